from hypothesis import given
from hypothesis import strategies as st

from commonhome.core.text import normalize, tokens


def test_arabic_with_and_without_diacritics_normalise_alike():
    assert normalize("مَدْرَسَةٌ") == normalize("مدرسة")


def test_tatweel_and_alef_forms_are_folded():
    assert normalize("مـــساعدة") == normalize("مساعدة")
    assert normalize("أحمد") == normalize("احمد") == normalize("إحمد") == normalize("آحمد")


def test_persian_and_arabic_keyboards_match():
    assert normalize("کمک") == normalize("كمك")  # keheh vs kaf
    assert normalize("یی") == normalize("يي")  # farsi yeh vs arabic yeh


def test_latin_accents_and_case_are_folded():
    assert normalize("Café ÉCOLE Straße") == "cafe ecole strasse"


def test_fullwidth_forms_are_folded_by_nfkc():
    assert normalize("ＥＳＯＬ") == "esol"


def test_tokens_split_words_in_any_script():
    assert tokens("ESOL — دروس اللغة!") == ["esol", "دروس", "اللغه"]


@given(st.text())
def test_normalize_is_idempotent(text):
    once = normalize(text)
    assert normalize(once) == once
