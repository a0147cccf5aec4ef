"""Markdown posts with YAML front matter, the format of Jekyll, Hugo, Eleventy and Pelican."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import markdown
import yaml
from dateutil import parser as dateparser

from bookmaker.errors import SourceError
from bookmaker.extract.sanitize import clean_fragment, xml_safe
from bookmaker.model import Post
from bookmaker.slug import slugify
from bookmaker.sources.assets import embed_local_images

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
_FIRST_HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.M)
EXTENSIONS = [
    "abbr",
    "attr_list",
    "def_list",
    "fenced_code",
    "footnotes",
    "md_in_html",
    "tables",
    "sane_lists",
    "smarty",
]
# Footnote ids like "fn:1" are not valid XML names in EPUB package navigation; use hyphens.
EXTENSION_CONFIGS = {"footnotes": {"SEPARATOR": "-"}}


def load_markdown(path: Path) -> Post:
    text = _read(path)
    meta, body_md = split_front_matter(text, path)
    title = _text_field(meta, "title", path)
    if not title:
        heading = _FIRST_HEADING.search(body_md)
        if heading:
            title = heading.group(1)
            body_md = body_md[: heading.start()] + body_md[heading.end() :]
    title = title or path.stem.replace("-", " ").replace("_", " ").strip().capitalize()
    html = markdown.markdown(
        body_md, extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS, output_format="html"
    )
    html, assets = embed_local_images(html, path.parent, origin=str(path))
    body = clean_fragment(html)
    if not body.strip():
        raise SourceError(f"{path}: the post has no text after its front matter")
    return Post(
        slug=slugify(_text_field(meta, "slug", path) or title) or slugify(path.stem),
        title=title,
        body=body,
        source=str(path),
        authors=_names(meta, path),
        date=_date(meta, path),
        categories=_list_field(meta, "categories", path) or _list_field(meta, "category", path),
        tags=_list_field(meta, "tags", path),
        assets=assets,
        url=_text_field(meta, "url", path) or None,
        order=_order(meta, path),
        language=_text_field(meta, "lang", path) or _text_field(meta, "language", path) or None,
    )


def _read(path: Path) -> str:
    try:
        # XML forbids most control characters; one in a title would make the chapter invalid.
        return xml_safe(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise SourceError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise SourceError(f"{path}: cannot read ({exc.strerror})") from None


def split_front_matter(text: str, path: Path) -> tuple[dict[str, Any], str]:
    """Return (front matter mapping, Markdown body). A file without front matter has {}."""
    if not text.startswith("---"):
        return {}, text
    match = _FRONT_MATTER.match(text)
    if not match:
        raise SourceError(f"{path}: front matter starts with '---' but has no closing '---'")
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise SourceError(f"{path}: front matter{where}: {problem}") from None
    except ValueError as exc:  # YAML reads 0000-00-00 as a timestamp, then cannot make it a date
        raise SourceError(f"{path}: front matter: {exc}") from None
    if not isinstance(meta, dict):
        raise SourceError(f"{path}: front matter must be 'key: value' lines; got {meta!r}")
    return {str(k).lower(): v for k, v in meta.items()}, text[match.end() :]


def _text_field(meta: dict[str, Any], key: str, path: Path) -> str:
    value = meta.get(key)
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        raise SourceError(f"{path}: front matter '{key}' must be text; got {value!r}")
    return xml_safe(str(value)).strip()  # YAML escapes like "\v" make control characters


def _list_field(meta: dict[str, Any], key: str, path: Path) -> tuple[str, ...]:
    value = meta.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(v.strip() for v in value.split(",") if v.strip())
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        return tuple(xml_safe(str(v)).strip() for v in value if xml_safe(str(v)).strip())
    raise SourceError(f"{path}: front matter '{key}' must be a list of names; got {value!r}")


def _names(meta: dict[str, Any], path: Path) -> tuple[str, ...]:
    return _list_field(meta, "authors", path) or _list_field(meta, "author", path)


def _date(meta: dict[str, Any], path: Path) -> dt.datetime | None:
    value = meta.get("date")
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)  # keep the author's wall-clock time
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    try:
        return dateparser.parse(str(value)).replace(tzinfo=None)
    except (ValueError, OverflowError):
        raise SourceError(f"{path}: front matter 'date' is not a date: {value!r}") from None


def _order(meta: dict[str, Any], path: Path) -> int | None:
    value = meta.get("order")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise SourceError(f"{path}: front matter 'order' must be a whole number; got {value!r}")
    return value
