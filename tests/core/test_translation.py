import pytest

from commonhome.core.constants import TranslationOrigin, TranslationStatus
from commonhome.core.translation import localize, machine_translate, save_translation, status_of
from commonhome.directory.services import update_record
from tests.factories import member


def test_status_moves_from_missing_to_human_to_reviewed(service, place):
    assert status_of(service, "en") == TranslationStatus.SOURCE
    assert status_of(service, "ar") == TranslationStatus.MISSING
    save_translation(service, "ar", {"name": "جلسة استشارية"})
    assert status_of(service, "ar") == TranslationStatus.HUMAN
    reviewer = member(place, "moderator")
    save_translation(service, "ar", {"name": "جلسة استشارية"}, reviewed_by=reviewer)
    assert status_of(service, "ar") == TranslationStatus.REVIEWED


def test_major_edit_outdates_translations_and_minor_edit_does_not(service, place):
    admin = member(place, "admin")
    save_translation(service, "fa", {"name": "مشاوره"})
    service = update_record(admin, service, {"name": "Advise session"}, base_version=1, minor=True)
    assert status_of(service, "fa") == TranslationStatus.HUMAN
    service = update_record(admin, service, {"description": "New times"}, base_version=2)
    assert status_of(service, "fa") == TranslationStatus.OUTDATED


def test_reader_gets_fallback_with_field_languages(service):
    save_translation(service, "uk", {"name": "Консультація"})
    shown = localize(service, "uk")
    assert shown["name"] == "Консультація"
    assert shown.field_languages["name"] == "uk"
    # The description has no Ukrainian text: the original is shown and labelled as such.
    assert shown["description"] == service.description
    assert shown.field_languages["description"] == "en"
    missing = localize(service, "fr")
    assert missing.is_fallback and missing.status == TranslationStatus.MISSING
    original = localize(service, "uk", original=True)
    assert original["name"] == service.name


def test_unknown_field_is_refused(service):
    with pytest.raises(ValueError, match="not translatable fields: url"):
        save_translation(service, "ar", {"url": "x"})


def test_machine_translation_is_off_by_default(service, settings):
    settings.MACHINE_TRANSLATION_PROVIDER = ""
    assert machine_translate(service, "ar") is None


def test_fake_provider_fills_missing_and_is_labelled_machine(service, settings):
    settings.MACHINE_TRANSLATION_PROVIDER = "fake"
    tr = machine_translate(service, "ar")
    assert tr is not None and tr.origin == TranslationOrigin.MACHINE
    assert tr.fields["name"] == f"[ar] {service.name}"
    assert status_of(service, "ar") == TranslationStatus.MACHINE


def test_machine_never_replaces_a_human_translation(service, settings):
    settings.MACHINE_TRANSLATION_PROVIDER = "fake"
    save_translation(service, "ar", {"name": "ترجمة بشرية"})
    assert machine_translate(service, "ar") is None
    assert localize(service, "ar")["name"] == "ترجمة بشرية"
