"""book.toml, declared once: every table and key with its type, default and meaning.

`validate(raw, problems)` checks a parsed file against the declaration and returns every table
with its defaults filled in; each mistake becomes one line in `problems` naming the dotted key,
what was expected and what was found. Turning the checked values into settings is `config.py`'s
work.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from typing import Any

PAGE_SIZES = ("A5", "6x9", "Letter", "A4")
FORMATS = ("epub", "pdf")
ORDERS = ("date", "reverse-date", "explicit")
GROUPINGS = ("none", "category")
EDITION_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")
FULL_EDITION = "full"  # the whole book as [book] describes it


@dataclass(frozen=True)
class Key:
    """One book.toml key: its type, default and meaning (the docstring of the setting)."""

    kind: type | tuple[type, ...]
    default: Any
    doc: str
    choices: tuple[str, ...] = ()
    items: type | None = None  # element type for lists


def _path(doc: str) -> Key:
    return Key(str, "", doc)


SCHEMA: dict[str, dict[str, Key]] = {
    "book": {
        "title": Key(str, "", "Title of the book; defaults to the post's title for one post."),
        "subtitle": Key(str, "", "Subtitle, shown on the cover and title page."),
        "author": Key((str, list), [], "Author name, or a list of names.", items=str),
        "language": Key(str, "en", "Language of the text as a BCP 47 tag (en, en-GB, de)."),
        "publisher": Key(str, "", "Publisher's name."),
        "rights": Key(str, "", "Copyright line, e.g. '© 2024 Maren Holt. All rights reserved.'"),
        "isbn": Key(str, "", "ISBN-13 or ISBN-10, hyphens allowed; the EPUB's identifier."),
        "edition": Key(str, "", "Edition or version, e.g. 'Second edition', for the imprint."),
        "description": Key(str, "", "A paragraph describing the book, for store listings."),
        "subjects": Key(list, [], "Subjects or keywords, for store listings.", items=str),
        "date": Key((dt.date, str), None, "Publication date (YYYY-MM-DD)."),
        "identifier": Key(
            str, "", "A stable identifier (URN) when there is no ISBN; derived from the title."
        ),
        "cover": _path("A cover image (at least 1600×2560, JPEG or PNG); generated when unset."),
        "cover_color": Key(str, "", "Ground colour of the generated cover, e.g. '#2f4f4f'."),
    },
    "sources": {
        "path": Key(str, "", "A file or folder of posts (.md, .html, .txt, a WordPress .xml)."),
        "url": Key(str, "", "A blog's address: home page, feed, sitemap, archive, post or API."),
        "since": Key((dt.date, str), None, "Only posts published on or after this day."),
        "until": Key((dt.date, str), None, "Only posts published on or before this day."),
        "categories": Key(list, [], "Only posts in one of these categories.", items=str),
        "exclude_categories": Key(list, [], "No posts in these categories.", items=str),
        "tags": Key(list, [], "Only posts with one of these tags.", items=str),
        "exclude_tags": Key(list, [], "No posts with these tags.", items=str),
        "max_posts": Key(int, 0, "Keep only the newest N posts (0: all)."),
        "content": Key(str, "", "CSS selector of the element holding the post, if bookmaker errs."),
        "remove": Key(
            list, [], "CSS selectors of blocks to drop from this source's posts.", items=str
        ),
    },
    "extract": {
        "remove": Key(list, [], "CSS selectors of blocks to drop from every post.", items=str),
    },
    "fetch": {
        "cache_dir": Key(str, ".bookmaker-cache", "Where fetched pages and images are kept."),
        "offline": Key(bool, False, "Build from the cache alone (same as --offline)."),
        "ignore_robots": Key(bool, False, "Ignore robots.txt: only for a blog you own."),
        "refresh": Key(bool, False, "Ask the blog again for posts and images already cached."),
        "delay": Key((int, float), 0.5, "Seconds between requests to one host."),
        "concurrency": Key(int, 2, "Requests in flight to one host at once."),
        "timeout": Key((int, float), 20, "Seconds to wait for a server before giving up."),
        "retries": Key(int, 3, "Retries after a connection error, a 5xx or a 429."),
        "max_image_pixels": Key(int, 3000, "Longer image sides are scaled down to this."),
    },
    "chapters": {
        "order": Key(
            (str, list),
            "date",
            "'date' (oldest first), 'reverse-date', or a list of post slugs in reading order.",
            items=str,
        ),
        "group_by": Key(
            str,
            "none",
            "'category' groups chapters into parts by first category.",
            choices=GROUPINGS,
        ),
        "parts": Key(list, [], "Order of the parts (category names) when grouping.", items=str),
        "ungrouped": Key(str, "More", "Title of the part holding posts without a category."),
        "exclude": Key(list, [], "Slugs of posts to leave out of the book.", items=str),
    },
    "parts": {
        "category": Key(str, "", "The category whose posts make this part (required)."),
        "title": Key(str, "", "Title of the part; the category's name if unset."),
        "intro": _path("A Markdown file introducing the part, printed on its title page."),
    },
    "front": {
        "title_page": Key(bool, True, "A title page: title, subtitle, authors, publisher."),
        "copyright_page": Key(bool, True, "A copyright page: rights, edition, ISBN, publisher."),
        "dedication": _path("A Markdown file with the dedication."),
        "epigraph": _path("A Markdown file with the epigraph."),
        "foreword": _path("A Markdown file with the foreword."),
        "preface": _path("A Markdown file with the preface."),
        "introduction": _path("A Markdown file with the introduction."),
        "pages": Key(list, [], "More Markdown pages before the first chapter.", items=str),
    },
    "back": {
        "afterword": _path("A Markdown file with the afterword."),
        "acknowledgments": _path("A Markdown file with the acknowledgments."),
        "pages": Key(list, [], "More Markdown pages after the last chapter.", items=str),
        "first_appeared": Key(
            bool, False, "A list of where each post first appeared: title, date, address."
        ),
        "first_appeared_title": Key(
            str, "Where These Essays First Appeared", "Title of that list."
        ),
        "index": Key(bool, False, "An index of the chapters by category."),
        "index_title": Key(str, "Essays by Category", "Title of the index."),
        "about_author": _path("A Markdown file about the author, the book's last page."),
    },
    "editions": {
        "title": Key(str, "", "Title of this edition; the book's title if unset."),
        "title_suffix": Key(str, "", "Added to the book's title, e.g. ' — A Sampler'."),
        "subtitle": Key(str, "", "Subtitle of this edition; the book's subtitle if unset."),
        "description": Key(str, "", "Description of this edition; the book's if unset."),
        "chapters": Key(list, [], "Slugs of the posts in this edition (default: all).", items=str),
        "name": Key(str, "", "File name without extension; '<book name>-<edition>' if unset."),
        "formats": Key(list, [], "Which ebooks to build (default: output.formats).", FORMATS, str),
        "isbn": Key(str, "", "This edition's own ISBN (an edition never shares the book's)."),
        "identifier": Key(str, "", "This edition's own identifier; derived if unset."),
        "cover": _path("This edition's cover image; the book's cover if unset."),
    },
    "output": {
        "dir": Key(str, "output", "Folder the ebooks are written to."),
        "name": Key(
            str, "", "File name of the ebooks, without extension; from the title if unset."
        ),
        "formats": Key(list, ["epub", "pdf"], "Which ebooks to build.", choices=FORMATS, items=str),
    },
    "output.epub": {
        "stylesheet": Key(str, "styles/epub.css", "CSS for the EPUB."),
    },
    "output.pdf": {
        "stylesheet": Key(str, "styles/print.css", "CSS for the print PDF."),
        "page_size": Key(str, "A5", "Trim size of the printed page.", choices=PAGE_SIZES),
        "link_footnotes": Key(
            bool, False, "Print the address of each link to the web as a footnote."
        ),
        "chapters_open": Key(
            str,
            "right",
            "'right': chapters start on a right-hand page; 'any': on the next page.",
            choices=("right", "any"),
        ),
    },
    "validation": {
        "strict": Key(bool, False, "Fail the build when any warning is reported."),
        "silence": Key(
            list, [], "Warning codes not to report, e.g. ['image.unreadable'].", items=str
        ),
    },
}
ARRAY_TABLES = frozenset({"sources", "parts"})  # [[sources]]: a list of tables
NAMED_TABLES = frozenset({"editions"})  # [editions.NAME]: tables under names the author picks
# Words authors reach for that book.toml spells differently.
SYNONYMS = {
    "authors": "author",
    "keywords": "subjects",
    "subject": "subjects",
    "copyright": "rights",
    "version": "edition",
    "cover_colour": "cover_color",
    "about": "about_author",
}


def validate(raw: dict[str, Any], problems: list[str]) -> dict[str, Any]:
    """Check every key against SCHEMA; return {dotted table: values} with defaults filled in.

    Array tables give a list of such dicts, named tables a dict of them by name.
    """
    tables = {name for name in SCHEMA if "." not in name}
    values: dict[str, Any] = {}
    for name in raw:
        if name not in tables:
            problems.append(unknown_key(name, tables))
    for name in SCHEMA:
        head, _, sub = name.partition(".")
        table = raw.get(head, [] if name in ARRAY_TABLES else {})
        if sub:
            table = table.get(sub, {}) if isinstance(table, dict) else {}
        if name in ARRAY_TABLES:
            values[name] = _validate_array(name, table, problems)
        elif not isinstance(table, dict):
            problems.append(f"{name}: expected a table ([{name}]); got {_kind(table)}")
        elif name in NAMED_TABLES:
            values[name] = _validate_named(name, table, problems)
        else:
            values[name] = _validate_table(name, table, problems)
    return values


def _validate_array(name: str, tables: Any, problems: list[str]) -> list[dict[str, Any]]:
    if not isinstance(tables, list):
        problems.append(f"{name}: expected an array of tables ([[{name}]]); got {_kind(tables)}")
        return []
    out = []
    for i, table in enumerate(tables):
        if not isinstance(table, dict):
            problems.append(f"{name}[{i}]: expected a table; got {_kind(table)}")
            continue
        out.append(_validate_table(f"{name}[{i}]", table, problems, SCHEMA[name]))
    return out


def _validate_named(name: str, tables: dict[str, Any], problems: list[str]) -> dict[str, Any]:
    out = {}
    for label, table in tables.items():
        key = f"{name}.{label}"
        if not isinstance(table, dict):
            problems.append(f"{key}: expected a table ([{key}]); got {_kind(table)}")
        elif not EDITION_NAME.fullmatch(label):
            problems.append(f"{key}: a name of lowercase letters, digits, '-' and '_' please")
        elif label == FULL_EDITION:
            problems.append(f"{key}: '{FULL_EDITION}' is the whole book; choose another name")
        else:
            out[label] = _validate_table(key, table, problems, SCHEMA[name])
    return out


def _validate_table(
    name: str, table: dict[str, Any], problems: list[str], keys: dict[str, Key] | None = None
) -> dict[str, Any]:
    keys = SCHEMA[name] if keys is None else keys
    subtables = {n.partition(".")[2] for n in SCHEMA if n.startswith(f"{name}.")}
    out: dict[str, Any] = {}
    for key, value in table.items():
        if key in subtables:
            continue
        if key not in keys:
            problems.append(unknown_key(f"{name}.{key}", [f"{name}.{k}" for k in keys]))
            continue
        problem = check_value(keys[key], value)
        if problem:
            problems.append(f"{name}.{key}: {problem}")
        out[key] = value
    return {k: out.get(k, spec.default) for k, spec in keys.items()}


def check_value(spec: Key, value: Any) -> str:
    """What is wrong with `value` for this key, or "" if nothing is."""
    kinds = spec.kind if isinstance(spec.kind, tuple) else (spec.kind,)
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        expected = " or ".join(_TYPE_NAMES[k] for k in kinds)
        return f"expected {expected}; got {_kind(value)} {value!r}"
    if isinstance(value, list):
        bad = [v for v in value if spec.items and not isinstance(v, spec.items)]
        if bad:
            return f"expected a list of {_TYPE_NAMES[spec.items]}; got {bad[0]!r}"
        wrong = [v for v in value if spec.choices and v not in spec.choices]
        if wrong:
            return f"expected items from {', '.join(spec.choices)}; got {wrong[0]!r}"
    elif spec.choices and value not in spec.choices:
        return f"expected one of {', '.join(spec.choices)}; got {value!r}"
    return ""


def unknown_key(key: str, valid: Any) -> str:
    """The message for a key book.toml does not know, with the closest valid key if any."""
    valid = list(valid)
    table, _, name = key.rpartition(".")
    alias = SYNONYMS.get(name, "")
    synonym = f"{table}.{alias}" if table and alias else alias
    if synonym and synonym in valid:
        close = [synonym]
    else:
        close = difflib.get_close_matches(key, valid, n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return f"unknown key '{key}'{hint}"


def default_of(key: str) -> Any:
    table, _, name = key.rpartition(".")
    return SCHEMA[table][name].default


def _kind(value: Any) -> str:
    return _TYPE_NAMES.get(type(value), type(value).__name__)


_TYPE_NAMES: dict[Any, str] = {
    str: "a string",
    list: "a list",
    bool: "true/false",
    int: "a number",
    float: "a number",
    dict: "a table",
    dt.date: "a date",
    dt.datetime: "a date-time",
}
