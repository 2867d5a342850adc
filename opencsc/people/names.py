"""Name keys for spelling-tolerant search: folded text and a phonetic code."""

from __future__ import annotations

import re
import unicodedata

import jellyfish

_NON_LETTERS = re.compile(r"[^a-z]")


def fold(name: str) -> str:
    """Lower case, accents removed, letters only: 'O'Brien-Smith' -> 'obriensmith'."""
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode("ascii")
    return _NON_LETTERS.sub("", text.lower())


def phonetic(name: str) -> str:
    """A sound-alike key (NYSIIS), so Mohammed, Muhammad and Mohamed meet."""
    folded = fold(name)
    return jellyfish.nysiis(folded)[:20] if folded else ""


def search_keys(first_name: str, last_name: str) -> dict[str, str]:
    return {
        "search_first": fold(first_name)[:100],
        "search_last": fold(last_name)[:100],
        "phonetic_first": phonetic(first_name),
        "phonetic_last": phonetic(last_name),
    }
