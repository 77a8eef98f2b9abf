"""Which language an HSDS response serves: ``?lang=``, else ``Accept-Language``, else a default.

HSDS has no per-field language, so the API serves one requested language and says, per object,
which language each text really is in (``languages_of_text``) and, for the whole response,
in the ``Content-Language`` header.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation.trans_real import parse_accept_lang_header

from commonhome.core.models import Place


class UnsupportedLanguage(ValueError):
    """A ``lang`` parameter outside the languages offered; the message names them."""


def offered_languages(place: Place | None) -> list[str]:
    """The place's content languages, or every content language of the platform."""
    return list(place.content_languages) if place is not None else list(settings.CONTENT_LANGUAGES)


def _match(code: str, offered: list[str]) -> str | None:
    code = code.strip().lower().replace("_", "-")
    if code in offered:
        return code
    base = code.split("-")[0]
    if base in offered:
        return base
    return next((o for o in offered if o.split("-")[0] == base), None)


def negotiate(requested: str | None, accept_language: str, place: Place | None) -> str:
    """The language to serve.

    An explicit ``lang`` must be offered (else :class:`UnsupportedLanguage`); ``Accept-Language``
    is a preference, so its first offered language wins and unknown ones are skipped. Without
    either: the place's default language, else the site's.
    """
    offered = offered_languages(place)
    if requested is not None:
        found = _match(requested, offered) if requested.strip() else None
        if found is None:
            raise UnsupportedLanguage(
                f"lang: '{requested}' is not offered here; use one of {', '.join(offered)}"
            )
        return found
    for code, _quality in parse_accept_lang_header(accept_language or ""):
        if code == "*":
            break
        found = _match(code, offered)
        if found is not None:
            return found
    if place is not None:
        return place.default_language
    return settings.LANGUAGE_CODE
