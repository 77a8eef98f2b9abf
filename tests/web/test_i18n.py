"""The interface in every language it is offered in: complete catalogues, translated pages."""

from __future__ import annotations

import gettext
import io
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.core.signals import setting_changed
from django.utils import translation
from django.utils.translation import get_language_info, ngettext

from commonhome.directory.filters import language_choices

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
PACKAGE_DIR = LOCALE_DIR.parent
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
PLACEHOLDER = re.compile(r"%\(\w+\)[sdfi]|%[sdfi]|\{\w*\}")
HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+"(.*)"$')


# --- Reading a catalogue -------------------------------------------------------------------


def _unquote(text: str) -> str:
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(0)), text)


def read_po(path: Path) -> list[dict]:
    """Entries of a .po file: each a dict of its keywords (msgid, msgstr[0], …) and flags."""
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8").strip()):
        entry: dict = {"flags": set()}
        key = None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif match := KEYWORD.match(line):
                key = match.group(1)
                entry[key] = _unquote(match.group(2))
            elif line.startswith('"') and key:
                entry[key] += _unquote(line[1:-1])
        if "msgid" in entry:
            entries.append(entry)
    return entries


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.po"


def messages(language: str) -> list[dict]:
    """The translatable entries of a catalogue (without its header)."""
    return [entry for entry in read_po(po_path(language)) if entry["msgid"] or "msgctxt" in entry]


def header(language: str) -> dict:
    return next(e for e in read_po(po_path(language)) if not e["msgid"] and "msgctxt" not in e)


def plural_count(language: str) -> int:
    match = re.search(r"nplurals\s*=\s*(\d+)", header(language)["msgstr"])
    assert match, f"{language}: the catalogue header has no Plural-Forms"
    return int(match.group(1))


def translations_of(entry: dict) -> list[str]:
    return [value for key, value in sorted(entry.items()) if key.startswith("msgstr")]


def label(entry: dict) -> str:
    return repr(entry["msgid"][:70])


# --- Compiled catalogues -------------------------------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogues():
    """Compile the catalogues when a .mo file is missing or older than its .po file."""
    stale = [
        language
        for language in TRANSLATED
        if not po_path(language).with_suffix(".mo").exists()
        or po_path(language).with_suffix(".mo").stat().st_mtime < po_path(language).stat().st_mtime
    ]
    if stale:
        try:
            call_command(
                "compilemessages",
                locale=stale,
                ignore_patterns=[".venv", "var", ".git", "node_modules"],
                verbosity=0,
            )
        except CommandError:
            # test_catalogue_compiles_with_format_checks names the faulty entries.
            return
        # Catalogues already loaded in this process were read without the new files.
        setting_changed.send(
            sender=None, setting="LOCALE_PATHS", value=settings.LOCALE_PATHS, enter=False
        )


# --- Catalogues ----------------------------------------------------------------------------


@pytest.mark.parametrize("language", TRANSLATED)
def test_catalogue_compiles_with_format_checks(language, tmp_path):
    if not shutil.which("msgfmt"):
        pytest.fail("msgfmt (GNU gettext) is needed to compile the catalogues")
    compiled = tmp_path / "django.mo"
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(compiled), str(po_path(language))],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    with compiled.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    assert catalogue.info()["language"] == language
    assert catalogue.gettext("Skip to content") != "Skip to content"


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    assert "fuzzy" not in header(language)["flags"], "a fuzzy header drops the plural rules"
    entries = messages(language)
    assert entries, f"{language}: the catalogue is empty"
    forms = plural_count(language)
    problems = []
    for entry in entries:
        if "fuzzy" in entry["flags"]:
            problems.append(f"fuzzy: {label(entry)}")
        values = translations_of(entry)
        if "msgid_plural" in entry and len(values) != forms:
            problems.append(f"{len(values)} plural forms instead of {forms}: {label(entry)}")
        if not values or any(not value.strip() for value in values):
            problems.append(f"untranslated: {label(entry)}")
    assert not problems, f"{language}:\n" + "\n".join(problems)


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_the_placeholders_and_markup_of_the_source(language):
    problems = []
    for entry in messages(language):
        if "msgid_plural" in entry:
            allowed = set(PLACEHOLDER.findall(entry["msgid"] + entry["msgid_plural"]))
            values = translations_of(entry)
            for value in values:
                extra = set(PLACEHOLDER.findall(value)) - allowed
                if extra:
                    problems.append(f"unknown {sorted(extra)} in {label(entry)}")
            # The last form serves most numbers: it must say everything the source says.
            missing = set(PLACEHOLDER.findall(entry["msgid_plural"])) - set(
                PLACEHOLDER.findall(values[-1])
            )
            if missing:
                problems.append(f"last form lacks {sorted(missing)}: {label(entry)}")
        else:
            if Counter(PLACEHOLDER.findall(entry["msgid"])) != Counter(
                PLACEHOLDER.findall(entry["msgstr"])
            ):
                problems.append(f"placeholders differ: {label(entry)} -> {entry['msgstr']!r}")
            if sorted(HTML_TAG.findall(entry["msgid"])) != sorted(
                HTML_TAG.findall(entry["msgstr"])
            ):
                problems.append(f"markup differs: {label(entry)}")
    assert not problems, f"{language}:\n" + "\n".join(problems)


def test_catalogues_hold_every_string_marked_in_the_code(tmp_path, settings, monkeypatch):
    """Extract the marked strings from a copy of the code; each must be in every catalogue."""
    copy = tmp_path / "commonhome"
    shutil.copytree(
        PACKAGE_DIR,
        copy,
        ignore=shutil.ignore_patterns("locale", "__pycache__", "*.pyc", "static"),
    )
    (copy / "locale").mkdir()
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)
    call_command(
        "makemessages", locale=["fr"], ignore_patterns=[".venv"], verbosity=0, stdout=io.StringIO()
    )
    marked = {
        (entry.get("msgctxt"), entry["msgid"])
        for entry in read_po(copy / "locale" / "fr" / "LC_MESSAGES" / "django.po")
        if entry["msgid"]
    }
    assert marked, "no marked string was found in the code"
    for language in TRANSLATED:
        present = {(entry.get("msgctxt"), entry["msgid"]) for entry in messages(language)}
        absent = sorted(msgid for _context, msgid in marked - present)
        assert not absent, (
            f"{language}: run makemessages and translate these strings:\n"
            + "\n".join(repr(msgid) for msgid in absent)
        )


@pytest.mark.parametrize(
    ("language", "count", "expected"),
    [
        ("ar", 1, "تم العثور على خدمة واحدة"),
        ("ar", 2, "تم العثور على خدمتين"),
        ("ar", 5, "تم العثور على 5 خدمات"),
        ("ar", 11, "تم العثور على 11 خدمة"),
        ("uk", 1, "Знайдено 1 послугу"),
        ("uk", 3, "Знайдено 3 послуги"),
        ("uk", 11, "Знайдено 11 послуг"),
        ("uk", 21, "Знайдено 21 послугу"),
        ("fr", 0, "0 service trouvé"),
        ("fr", 2, "2 services trouvés"),
        ("es", 1, "1 servicio encontrado"),
        ("es", 7, "7 servicios encontrados"),
        ("fa", 4, "4 خدمت پیدا شد"),
    ],
)
def test_counts_use_the_plural_form_of_each_language(language, count, expected):
    with translation.override(language):
        text = ngettext("%(counter)s service found", "%(counter)s services found", count)
    assert text % {"counter": count} == expected


# --- Pages ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "direction", "expected", "english"),
    [
        (
            "ar",
            "rtl",
            ["انتقال إلى المحتوى", "تطبيق عوامل التصفية", "البحث عن مساعدة في Coventry"],
            ["Skip to content", "Apply filters", "Find help in Coventry"],
        ),
        (
            "uk",
            "ltr",
            ["Перейти до вмісту", "Застосувати фільтри", "Пошук допомоги: Coventry"],
            ["Skip to content", "Apply filters", "Find help in Coventry"],
        ),
    ],
)
def test_search_page_shows_the_interface_in_the_requested_language(
    client, place, language, direction, expected, english
):
    response = client.get(f"/{language}/{place.slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in html
    for text in expected:
        assert text in html
    for text in english:
        assert text not in html


def test_home_page_in_farsi_is_translated_and_right_to_left(client, place):
    html = client.get("/fa/").content.decode()
    assert 'dir="rtl"' in html
    assert "پیدا کردن کمک در نزدیکی شما" in html
    assert "Find help near you" not in html


# --- Language names ------------------------------------------------------------------------


@pytest.mark.parametrize("code", settings.CONTENT_LANGUAGES)
def test_every_content_language_has_a_name(code):
    info = get_language_info(code)
    assert info["name"] and info["name"] != code
    assert info["name_local"] and info["name_local"] != code


def test_language_filter_names_each_language_in_its_own_words():
    choices = dict(language_choices())
    assert set(choices) == set(settings.CONTENT_LANGUAGES)
    assert all(name != code for code, name in choices.items())
    assert choices["ku"] == "Kurdî"


@pytest.mark.parametrize(
    ("language", "code", "expected"),
    [
        ("ar", "ku", "الكردية"),
        ("fa", "prs", "دری"),
        ("uk", "so", "сомалійська"),
        ("fr", "ps", "pachto"),
    ],
)
def test_names_of_languages_django_lacks_are_translated(language, code, expected):
    with translation.override(language):
        assert str(get_language_info(code)["name_translated"]) == expected
