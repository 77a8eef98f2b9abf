"""Texts as a reader sees them: in their language, marked with the language they are in.

Every public page reads records through :func:`shown`: the text in the reader's language when
there is one, else the original, with a note saying which (machine translations labelled, the
original always one link away) and ``lang``/``dir`` attributes so screen readers switch voice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from commonhome.core.constants import TranslationStatus
from commonhome.core.translation import Localized, localize, status_of


def language_name(code: str) -> str:
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def _is_bidi(code: str) -> bool:
    try:
        return bool(get_language_info(code)["bidi"])
    except KeyError:
        return code in settings.LANGUAGES_BIDI


def lang_attrs(code: str, page_language: str) -> SafeString:
    """``lang``/``dir`` attributes for text in ``code`` shown on a page in another language."""
    if not code or code == page_language:
        return mark_safe("")  # noqa: S308 - constant empty string
    return format_html(' lang="{}" dir="{}"', code, "rtl" if _is_bidi(code) else "ltr")


@dataclass
class Text:
    """One text as shown, with the attributes saying which language it is in."""

    value: str
    attrs: SafeString

    def __str__(self) -> str:
        return self.value

    def __bool__(self) -> bool:
        return bool(self.value)


@dataclass
class Note:
    kind: str
    message: str
    link_label: str = ""
    link_url: str = ""


@dataclass
class Shown:
    """A record's texts in the reader's language, and the note a reader needs about them."""

    t: dict[str, Text]
    localized: Localized
    notes: list[Note] = field(default_factory=list)

    @property
    def is_machine(self) -> bool:
        return self.localized.is_machine

    @property
    def is_fallback(self) -> bool:
        return self.localized.is_fallback


def shown(record: Any, language: str, original: bool = False, page_url: str = "") -> Shown:
    loc = localize(record, language, original=original)
    texts = {
        name: Text(value, lang_attrs(loc.field_languages.get(name, ""), language))
        for name, value in loc.texts.items()
    }
    notes: list[Note] = []
    source = language_name(record.source_language)
    if page_url:
        original_url = f"{page_url}?original=1"
        if original:
            if record.source_language != language and status_of(record, language) not in (
                TranslationStatus.MISSING,
                TranslationStatus.SOURCE,
            ):
                notes.append(
                    Note(
                        "original",
                        _("You are reading the original text, in %(source)s.") % {"source": source},
                        _("Show the translation into %(language)s")
                        % {"language": language_name(language)},
                        page_url,
                    )
                )
        elif loc.status == TranslationStatus.MISSING:
            notes.append(
                Note(
                    "fallback",
                    _("Not yet translated into %(language)s — shown in %(source)s.")
                    % {"language": language_name(language), "source": source},
                )
            )
        elif loc.status == TranslationStatus.OUTDATED:
            notes.append(
                Note(
                    "outdated",
                    _(
                        "This translation was made from an older version of the text and may be "
                        "out of date."
                    ),
                    _("Show the original (%(source)s)") % {"source": source},
                    original_url,
                )
            )
        elif loc.status != TranslationStatus.SOURCE:
            message = _("Machine translation") if loc.is_machine else _("Translated text")
            notes.append(
                Note(
                    "machine" if loc.is_machine else "translated",
                    message,
                    _("Show the original (%(source)s)") % {"source": source},
                    original_url,
                )
            )
    return Shown(texts, loc, notes)
