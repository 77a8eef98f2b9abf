"""The one translation mechanism: status, reader fallback, saving, machine providers."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .constants import TranslationOrigin, TranslationStatus
from .models import TranslatableModel, Translation

log = logging.getLogger("commonhome.translation")


#: The columns of a translation that :func:`status_of` and :func:`localize` read; loaders that
#: fetch translations partially must fetch at least these.
STATUS_FIELDS = ("language", "fields", "source_version", "origin", "reviewed_at")


def status_of(record: TranslatableModel, language: str) -> TranslationStatus:
    """The translation status of ``record`` in ``language``.

    Rules, in order:
    - the source language is the original;
    - no translation row, or one without any text: missing;
    - made from an older content version than the record's: outdated (minor edits keep the
      content version, so they do not make translations outdated);
    - machine-made and not reviewed by a person: machine;
    - reviewed by a person: reviewed; otherwise: human.
    """
    if language == record.source_language:
        return TranslationStatus.SOURCE
    tr = record.translation_for(language)
    if tr is None or not any((tr.fields or {}).values()):
        return TranslationStatus.MISSING
    if tr.source_version < record.content_version:
        return TranslationStatus.OUTDATED
    if tr.reviewed_at is not None:
        return TranslationStatus.REVIEWED
    if tr.origin == TranslationOrigin.MACHINE:
        return TranslationStatus.MACHINE
    return TranslationStatus.HUMAN


@dataclass
class Localized:
    """The texts a reader sees, with what language each one is in and why."""

    requested: str
    language: str
    status: TranslationStatus
    texts: dict[str, str] = field(default_factory=dict)
    source_language: str = ""
    field_languages: dict[str, str] = field(default_factory=dict)

    @property
    def is_fallback(self) -> bool:
        return self.language != self.requested

    @property
    def is_machine(self) -> bool:
        return self.status == TranslationStatus.MACHINE

    def __getitem__(self, name: str) -> str:
        return self.texts.get(name, "")


def localize(record: TranslatableModel, language: str, original: bool = False) -> Localized:
    """Texts of ``record`` for a reader of ``language``: the translation, else the original.

    A translation field left empty falls back to the source field, and says so per field.
    Outdated translations are still shown (labelled), since they are usually better than
    nothing for a reader who does not read the source language.
    """
    source = record.source_texts()
    src_lang = record.source_language
    status = status_of(record, language)
    if original or status in (TranslationStatus.SOURCE, TranslationStatus.MISSING):
        return Localized(
            requested=language,
            language=src_lang,
            status=TranslationStatus.SOURCE if original else status,
            texts=source,
            source_language=src_lang,
            field_languages={name: src_lang for name in source},
        )
    tr = record.translation_for(language)
    assert tr is not None
    texts: dict[str, str] = {}
    langs: dict[str, str] = {}
    for name, value in source.items():
        translated = (tr.fields or {}).get(name) or ""
        if translated or not value:
            texts[name], langs[name] = translated, language
        else:
            texts[name], langs[name] = value, src_lang
    return Localized(language, language, status, texts, src_lang, langs)


@transaction.atomic
def save_translation(
    record: TranslatableModel,
    language: str,
    texts: dict[str, str],
    *,
    origin: str = TranslationOrigin.HUMAN,
    provider: str = "",
    reviewed_by: Any = None,
) -> Translation:
    """Create or replace the translation of ``record`` into ``language``.

    Only the record's translatable fields are kept; unknown names raise ``ValueError``.
    """
    unknown = set(texts) - set(record.translatable_fields)
    if unknown:
        raise ValueError(f"not translatable fields: {', '.join(sorted(unknown))}")
    if language == record.source_language:
        raise ValueError(f"'{language}' is the source language of this record")
    ct = ContentType.objects.get_for_model(type(record))
    tr, _created = Translation.objects.update_or_create(
        content_type=ct,
        object_id=record.pk,
        language=language,
        defaults={
            "fields": {k: v for k, v in texts.items() if v is not None},
            "source_version": record.content_version,
            "origin": origin,
            "provider": provider,
            "reviewed_by": reviewed_by,
            "reviewed_at": timezone.now() if reviewed_by is not None else None,
        },
    )
    return tr


# --- Machine translation providers -------------------------------------------------------


class MachineTranslationProvider:
    """Base class of machine translation providers. Off unless configured."""

    name = "base"

    def supports(self, source: str, target: str) -> bool:
        return False

    def translate(self, texts: list[str], source: str, target: str) -> list[str]:
        raise RuntimeError(f"{self.name} cannot translate {source} → {target}")


class FakeProvider(MachineTranslationProvider):
    """A deterministic provider for tests: marks each text with the target language."""

    name = "fake"

    def supports(self, source: str, target: str) -> bool:
        return source != target

    def translate(self, texts: list[str], source: str, target: str) -> list[str]:
        return [f"[{target}] {text}" if text else "" for text in texts]


class LibreTranslateProvider(MachineTranslationProvider):
    """An operator's own LibreTranslate server, at ``COMMONHOME_MT_URL``."""

    name = "libretranslate"

    def __init__(self, url: str, api_key: str = "") -> None:
        self.url = url.rstrip("/")
        self.api_key = api_key

    def supports(self, source: str, target: str) -> bool:
        return bool(self.url) and source != target

    def translate(self, texts: list[str], source: str, target: str) -> list[str]:
        import json
        import urllib.request

        body = {"q": texts, "source": source, "target": target, "format": "text"}
        if self.api_key:
            body["api_key"] = self.api_key
        req = urllib.request.Request(
            f"{self.url}/translate",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=30) as resp:  # noqa: S310 - operator's URL
            payload = json.load(resp)
        result = payload["translatedText"]
        return list(result) if isinstance(result, list) else [result]


def get_provider() -> MachineTranslationProvider | None:
    """The configured provider, or None with a log line saying why it is off."""
    name = settings.MACHINE_TRANSLATION_PROVIDER
    if not name:
        log.info("machine translation is off: COMMONHOME_MT_PROVIDER is not set")
        return None
    if name == "fake":
        return FakeProvider()
    if name == "libretranslate":
        if not settings.MACHINE_TRANSLATION_URL:
            log.warning("machine translation is off: COMMONHOME_MT_URL is not set")
            return None
        return LibreTranslateProvider(
            settings.MACHINE_TRANSLATION_URL, settings.MACHINE_TRANSLATION_KEY
        )
    provider_cls = import_string(name)
    provider: MachineTranslationProvider = provider_cls()
    return provider


def machine_translate(record: TranslatableModel, language: str) -> Translation | None:
    """Fill a missing or outdated translation by machine; a human translation is never replaced."""
    provider = get_provider()
    if provider is None or not provider.supports(record.source_language, language):
        if provider is not None:
            log.info(
                "machine translation is off for %s → %s: %s does not support it",
                record.source_language,
                language,
                provider.name,
            )
        return None
    status = status_of(record, language)
    if status not in (
        TranslationStatus.MISSING,
        TranslationStatus.OUTDATED,
        TranslationStatus.MACHINE,
    ):
        return None
    source = record.source_texts()
    names = list(source)
    out = provider.translate([source[n] for n in names], record.source_language, language)
    return save_translation(
        record,
        language,
        dict(zip(names, out, strict=True)),
        origin=TranslationOrigin.MACHINE,
        provider=provider.name,
    )
