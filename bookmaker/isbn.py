"""ISBNs: checked by their check digit, so a typo never reaches a store listing."""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s-]")
_LABEL = re.compile(r"^\s*ISBN(?:-1[03])?\s*:?", re.I)


def isbn_digits(text: str) -> str:
    """The ISBN's digits (and a final X of an ISBN-10), or "" if `text` is not a valid ISBN.

    Hyphens and spaces are allowed anywhere, as ISBNs are printed with them.
    """
    digits = _SEPARATORS.sub("", _LABEL.sub("", text)).upper()
    if re.fullmatch(r"\d{13}", digits) and _isbn13_ok(digits):
        return digits
    if re.fullmatch(r"\d{9}[\dX]", digits) and _isbn10_ok(digits):
        return digits
    return ""


def _isbn13_ok(digits: str) -> bool:
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits))
    return total % 10 == 0


def _isbn10_ok(digits: str) -> bool:
    values = [10 if d == "X" else int(d) for d in digits]
    return sum(v * (10 - i) for i, v in enumerate(values)) % 11 == 0


def isbn_urn(text: str) -> str:
    """The identifier an EPUB uses for an ISBN (RFC 3187): urn:isbn:<digits>."""
    return f"urn:isbn:{isbn_digits(text)}"
