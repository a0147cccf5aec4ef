"""Page bytes to text, the way browsers read them, and wrong labels and mojibake put right.

Browsers decode by the HTML spec ("determining the character encoding"): a byte-order mark wins,
then the charset the server declared, then <meta charset>; without any, UTF-8 if the bytes are
valid UTF-8, else windows-1252. Blogs often lie about it, so two labels are checked against the
bytes: a page said to be UTF-8 whose bytes are not (an old cp1252 page on a new server, or one
pasted-in comment) has its stray bytes read as windows-1252, and a page said to be Western
(latin-1, cp1252) whose bytes are valid multi-byte UTF-8 is read as UTF-8. Text that was
double-encoded before it was ever served ("Itâ€™s", from a blog database moved between
charsets) is repaired by ftfy, which only changes sequences that are surely mojibake.
"""

from __future__ import annotations

import codecs
import logging
import re

import ftfy

log = logging.getLogger(__name__)

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))  # fmt: skip
# Labels under which servers and old editors commonly send what is really UTF-8.
_WESTERN = frozenset({"cp1252", "iso8859-15"})
_FALLBACK_ERRORS = "bookmaker-cp1252"
_NON_ASCII = re.compile(rb"[\x80-\xff]")


def _bytes_as_cp1252(exc: UnicodeError) -> tuple[str, int]:
    """Decode-error handler: the bytes that are not UTF-8 read as windows-1252."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return "".join(map(_cp1252_char, exc.object[exc.start : exc.end])), exc.end


def _cp1252_char(byte: int) -> str:
    # The five bytes windows-1252 leaves undefined map to C1 controls (WHATWG Encoding).
    if byte in (0x81, 0x8D, 0x8F, 0x90, 0x9D):
        return chr(byte)
    return bytes([byte]).decode("cp1252")


codecs.register_error(_FALLBACK_ERRORS, _bytes_as_cp1252)


def decode_page(data: bytes, encoding: str | None = None) -> str:
    """Decode page bytes; `encoding` is the charset the server declared, if any."""
    for bom, bom_encoding in _BOMS:
        if data.startswith(bom):
            return repair_text(data[len(bom) :].decode(bom_encoding, errors="replace"))
    declared = known_encoding(encoding, meta=False) if encoding else _declared_encoding(data)
    return repair_text(_decode(data, declared))


def _decode(data: bytes, declared: str | None) -> str:
    if declared in _WESTERN and _is_multibyte_utf8(data):
        log.debug("page labelled %s is UTF-8; read as UTF-8", declared)
        return data.decode("utf-8")
    if declared and declared != "utf-8":
        return data.decode(declared, errors="replace")
    return data.decode("utf-8", errors=_FALLBACK_ERRORS)


def _is_multibyte_utf8(data: bytes) -> bool:
    if not _NON_ASCII.search(data):
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def repair_text(text: str) -> str:
    """Undo double-encoded UTF-8 ("cafÃ©") and drop byte-order marks left inside the text."""
    text = text.replace("\ufeff", "")
    if text.isascii():
        return text
    return ftfy.fix_encoding(text)


def _declared_encoding(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    return known_encoding(match.group(1).decode("ascii", errors="ignore")) if match else None


def known_encoding(label: str, meta: bool = True) -> str | None:
    """Python's name for a charset label, as browsers map it; None if it is unknown."""
    try:
        name = codecs.lookup(label.strip()).name
    except LookupError:
        return None
    if name.startswith("utf-16") and meta:
        return "utf-8"  # ASCII bytes saying "UTF-16" cannot be UTF-16 (HTML spec)
    if name == "utf-8-sig":
        return "utf-8"
    return "cp1252" if name in ("latin-1", "iso8859-1", "ascii") else name
