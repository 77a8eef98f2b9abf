"""Text normalisation for search, shared by every search backend.

Pure Python, no Django: the same function prepares indexed text and queries, so a search
with or without diacritics, tatweel or alef variants finds the same records.
"""

from __future__ import annotations

import re
import unicodedata

# Arabic harakat (fatha … sukun), superscript alef, Quranic marks and small high letters.
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_TATWEEL = "\u0640"
# Alef with madda/hamza above/below and wasla become bare alef; alef maqsura becomes ya;
# Persian forms (keheh, farsi yeh) are folded to their Arabic twins so both keyboards match.
_LETTER_FOLDS = str.maketrans(
    {
        "\u0622": "\u0627",
        "\u0623": "\u0627",
        "\u0625": "\u0627",
        "\u0671": "\u0627",
        "\u0649": "\u064a",
        "\u06cc": "\u064a",
        "\u06a9": "\u0643",
        "\u0629": "\u0647",
    }
)
_WORD = re.compile(r"\w+", re.UNICODE)


def normalize(text: str) -> str:
    """Return ``text`` folded for matching: NFKC, casefold, no Latin accents, no Arabic marks."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.replace(_TATWEEL, "")
    text = _ARABIC_MARKS.sub("", text)
    text = text.translate(_LETTER_FOLDS)
    # Strip combining marks of Latin, Greek and Cyrillic letters (é → e) but keep those that
    # carry meaning in other scripts (Devanagari vowel signs, for example).
    decomposed = unicodedata.normalize("NFD", text)
    kept = [
        ch for ch in decomposed if not (unicodedata.combining(ch) and _is_accent_on_alphabet(ch))
    ]
    return unicodedata.normalize("NFC", "".join(kept))


def _is_accent_on_alphabet(mark: str) -> bool:
    # Combining diacritical marks blocks used by Latin, Greek and Cyrillic.
    return "\u0300" <= mark <= "\u036f" or "\u1dc0" <= mark <= "\u1dff"


def tokens(text: str) -> list[str]:
    """Split normalised text into words."""
    return _WORD.findall(normalize(text))
