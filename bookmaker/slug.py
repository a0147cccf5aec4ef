"""Slugs: the lowercase ASCII, hyphen-separated names posts and chapters are known by."""

from __future__ import annotations

import re
import unicodedata

# Letters that Unicode does not decompose into a base letter plus accents.
_FOLDS = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ø": "o",
        "Ø": "o",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "Ð": "d",
        "þ": "th",
        "Þ": "th",
        "ı": "i",
    }
)
# Apostrophes join rather than split: "don't" becomes "dont", not "don-t".
_APOSTROPHES = re.compile(r"['’ʼ`]")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def slugify(text: str, max_length: int = 80) -> str:
    """Return `text` as a slug: "Café Talk: Don't Panic!" becomes "cafe-talk-dont-panic".

    Accents are folded to their base letter; anything without an ASCII form is dropped, so the
    result may be "" (the caller picks a fallback). Long slugs are cut at a hyphen.
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLDS))
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii").lower()
    slug = _NOT_ALNUM.sub("-", _APOSTROPHES.sub("", ascii_text)).strip("-")
    if len(slug) <= max_length:
        return slug
    cut = slug[: max_length + 1].rfind("-")
    return slug[: cut if cut > 0 else max_length].strip("-")
