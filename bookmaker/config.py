"""book.toml: one declaration of every key, validated once at the edge.

Every mistake in the file is reported, each naming the file, the dotted key, what was expected and
what was found; an unknown key gets a "did you mean". Relative paths resolve against the folder
that holds book.toml. Command-line options override the file (see `apply_overrides`).
"""

from __future__ import annotations

import datetime as dt
import difflib
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from bookmaker.errors import ConfigError

PAGE_SIZES = ("A5", "6x9", "Letter", "A4")
FORMATS = ("epub", "pdf")
ORDERS = ("date", "reverse-date", "explicit")
GROUPINGS = ("none", "category")


@dataclass(frozen=True)
class Key:
    """One book.toml key: its type, default and meaning (the docstring of the setting)."""

    kind: type | tuple[type, ...]
    default: Any
    doc: str
    choices: tuple[str, ...] = ()
    items: type | None = None  # element type for lists


SCHEMA: dict[str, dict[str, Key]] = {
    "book": {
        "title": Key(str, "", "Title of the book; defaults to the post's title for one post."),
        "subtitle": Key(str, "", "Subtitle, shown on the cover and title page."),
        "author": Key((str, list), [], "Author name, or a list of names.", items=str),
        "language": Key(str, "en", "Language of the text as a BCP 47 tag (en, en-GB, de)."),
        "publisher": Key(str, "", "Publisher's name."),
        "rights": Key(str, "", "Copyright line, e.g. '© 2024 Maren Holt. All rights reserved.'"),
        "description": Key(str, "", "A paragraph describing the book, for store listings."),
        "date": Key((dt.date, str), None, "Publication date (YYYY-MM-DD)."),
        "identifier": Key(
            str, "", "A stable identifier (ISBN or URN); derived from title if unset."
        ),
        "cover": Key(str, "", "Path to a cover image; a cover is generated when unset."),
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
    },
    "validation": {
        "strict": Key(bool, False, "Fail the build when any warning is reported."),
        "silence": Key(
            list, [], "Warning codes not to report, e.g. ['image.unreadable'].", items=str
        ),
    },
}
ARRAY_TABLES = frozenset({"sources"})


@dataclass(frozen=True)
class BookSettings:
    title: str = ""
    subtitle: str = ""
    authors: tuple[str, ...] = ()
    language: str = "en"
    publisher: str = ""
    rights: str = ""
    description: str = ""
    date: dt.date | None = None
    identifier: str = ""
    cover: Path | None = None


@dataclass(frozen=True)
class Filters:
    """Which posts of a source go into the book. None means "no restriction"."""

    since: dt.date | None = None
    until: dt.date | None = None
    categories: frozenset[str] | None = None
    exclude_categories: frozenset[str] = frozenset()
    tags: frozenset[str] | None = None
    exclude_tags: frozenset[str] = frozenset()
    max_posts: int | None = None

    def overridden_by(self, other: Filters) -> Filters:
        """`other`'s settings where it has them (command-line filters win over book.toml)."""
        changed = {k: v for k, v in vars(other).items() if v not in (None, frozenset())}
        return replace(self, **changed)


@dataclass(frozen=True)
class Source:
    location: str  # an absolute path, or a URL
    filters: Filters = field(default_factory=Filters)

    @property
    def is_url(self) -> bool:
        return self.location.startswith(("http://", "https://"))


@dataclass(frozen=True)
class FetchOptions:
    cache_dir: Path = Path(".bookmaker-cache")
    offline: bool = False
    ignore_robots: bool = False
    refresh: bool = False
    delay: float = 0.5
    concurrency: int = 2
    timeout: float = 20.0
    retries: int = 3
    max_image_pixels: int = 3000


@dataclass(frozen=True)
class ChapterSettings:
    order: str = "date"
    explicit: tuple[str, ...] = ()
    group_by: str = "none"
    parts: tuple[str, ...] = ()
    ungrouped: str = "More"


@dataclass(frozen=True)
class OutputSettings:
    dir: Path = Path("output")
    name: str = ""
    formats: tuple[str, ...] = FORMATS
    epub_stylesheet: Path | None = None
    pdf_stylesheet: Path | None = None
    page_size: str = "A5"


@dataclass(frozen=True)
class Config:
    root: Path  # the folder relative paths resolve against
    file: Path | None = None  # the book.toml read, if any
    book: BookSettings = field(default_factory=BookSettings)
    sources: tuple[Source, ...] = ()
    fetch: FetchOptions = field(default_factory=FetchOptions)
    chapters: ChapterSettings = field(default_factory=ChapterSettings)
    output: OutputSettings = field(default_factory=OutputSettings)
    strict: bool = False
    silenced: frozenset[str] = frozenset()


def default_config(root: Path) -> Config:
    """The settings used when there is no book.toml: the sample-free, zero-config book."""
    return Config(
        root=root,
        output=OutputSettings(dir=root / "output"),
        fetch=FetchOptions(cache_dir=root / ".bookmaker-cache"),
    )


def load_config(path: Path) -> Config:
    """Read and validate book.toml; raise ConfigError listing every mistake found."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    problems: list[str] = []
    values = _validate(raw, problems)
    if not problems:
        config = _build(path, values, problems)
    if problems:
        raise ConfigError("\n".join(f"{path}: {p}" for p in problems))
    return config


def _validate(raw: dict[str, Any], problems: list[str]) -> dict[str, Any]:
    """Check every key against SCHEMA; return {dotted table: {key: value}} with defaults filled."""
    tables = {name for name in SCHEMA if "." not in name}
    values: dict[str, Any] = {}
    for name in raw:
        if name not in tables:
            problems.append(_unknown(name, tables))
    for name in SCHEMA:
        head, _, sub = name.partition(".")
        table = raw.get(head, [] if name in ARRAY_TABLES else {})
        if sub:
            table = table.get(sub, {}) if isinstance(table, dict) else {}
        if name in ARRAY_TABLES:
            values[name] = _validate_array(name, table, problems)
        elif not isinstance(table, dict):
            problems.append(f"{name}: expected a table ([{name}]); got {_kind(table)}")
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
            problems.append(_unknown(f"{name}.{key}", [f"{name}.{k}" for k in keys]))
            continue
        problem = _check_value(keys[key], value)
        if problem:
            problems.append(f"{name}.{key}: {problem}")
        out[key] = value
    return {k: out.get(k, spec.default) for k, spec in keys.items()}


def _check_value(spec: Key, value: Any) -> str:
    kinds = spec.kind if isinstance(spec.kind, tuple) else (spec.kind,)
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        expected = " or ".join(_TYPE_NAMES[k] for k in kinds)
        return f"expected {expected}; got {_kind(value)} {value!r}"
    if isinstance(value, list):
        bad = [v for v in value if spec.items and not isinstance(v, spec.items)]
        if bad:
            return f"expected a list of {_TYPE_NAMES[spec.items]}; got {bad[0]!r}"  # type: ignore[index]
        wrong = [v for v in value if spec.choices and v not in spec.choices]
        if wrong:
            return f"expected items from {', '.join(spec.choices)}; got {wrong[0]!r}"
    elif spec.choices and value not in spec.choices:
        return f"expected one of {', '.join(spec.choices)}; got {value!r}"
    return ""


def _build(path: Path, v: dict[str, Any], problems: list[str]) -> Config:
    root = path.parent.resolve()
    b = v["book"]
    order = v["chapters"]["order"]
    if isinstance(order, str) and order not in ("date", "reverse-date"):
        problems.append(
            f"chapters.order: expected 'date', 'reverse-date' or a list of slugs; got {order!r}"
        )
    book = BookSettings(
        title=b["title"].strip(),
        subtitle=b["subtitle"].strip(),
        authors=tuple(b["author"]) if isinstance(b["author"], list) else (b["author"],),
        language=b["language"],
        publisher=b["publisher"],
        rights=b["rights"],
        description=b["description"],
        date=_date(b["date"], "book.date", problems),
        identifier=b["identifier"],
        cover=_existing(root, b["cover"], "book.cover", problems),
    )
    c = v["chapters"]
    chapters = ChapterSettings(
        order="explicit" if isinstance(order, list) else order,
        explicit=tuple(order) if isinstance(order, list) else (),
        group_by=c["group_by"],
        parts=tuple(c["parts"]),
        ungrouped=c["ungrouped"],
    )
    sources = tuple(_source(root, i, s, problems) for i, s in enumerate(v["sources"]))
    f = v["fetch"]
    fetch = FetchOptions(
        cache_dir=root / f["cache_dir"],
        offline=f["offline"],
        ignore_robots=f["ignore_robots"],
        refresh=f["refresh"],
        delay=float(f["delay"]),
        concurrency=f["concurrency"],
        timeout=float(f["timeout"]),
        retries=f["retries"],
        max_image_pixels=f["max_image_pixels"],
    )
    output = OutputSettings(
        dir=root / v["output"]["dir"],
        name=v["output"]["name"],
        formats=tuple(v["output"]["formats"]),
        epub_stylesheet=_existing(
            root, v["output.epub"]["stylesheet"], "output.epub.stylesheet", problems, optional=True
        ),
        pdf_stylesheet=_existing(
            root, v["output.pdf"]["stylesheet"], "output.pdf.stylesheet", problems, optional=True
        ),
        page_size=v["output.pdf"]["page_size"],
    )
    return Config(
        root=root,
        file=path,
        book=book,
        sources=sources,
        fetch=fetch,
        chapters=chapters,
        output=output,
        strict=v["validation"]["strict"],
        silenced=frozenset(v["validation"]["silence"]),
    )


def _source(root: Path, index: int, table: dict[str, Any], problems: list[str]) -> Source:
    key = f"sources[{index}]"
    if bool(table["path"]) == bool(table["url"]):
        problems.append(f"{key}: give either 'path' or 'url'")
        return Source(str(root))
    if table["url"] and not table["url"].startswith(("http://", "https://")):
        problems.append(f"{key}.url: expected an http:// or https:// address; got {table['url']!r}")
    location = table["url"] or str(_existing(root, table["path"], f"{key}.path", problems) or root)
    filters = Filters(
        since=_date(table["since"], f"{key}.since", problems),
        until=_date(table["until"], f"{key}.until", problems),
        categories=frozenset(table["categories"]) or None,
        exclude_categories=frozenset(table["exclude_categories"]),
        tags=frozenset(table["tags"]) or None,
        exclude_tags=frozenset(table["exclude_tags"]),
        max_posts=table["max_posts"] or None,
    )
    return Source(location, filters)


def _existing(
    root: Path, value: str, key: str, problems: list[str], optional: bool = False
) -> Path | None:
    """Resolve a path setting; a missing file is a mistake unless the setting is the default."""
    if not value:
        return None
    path = (root / value).resolve()
    if not path.exists():
        if optional and value == _default_of(key):
            return None
        problems.append(f"{key}: no such file or folder: {value}")
        return None
    return path


def _default_of(key: str) -> Any:
    table, _, name = key.rpartition(".")
    return SCHEMA[table][name].default


def _date(value: Any, key: str, problems: list[str]) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        problems.append(f"{key}: expected a date YYYY-MM-DD; got {value!r}")
        return None


def _unknown(key: str, valid: Any) -> str:
    close = difflib.get_close_matches(key, list(valid), n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return f"unknown key '{key}'{hint}"


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


def apply_overrides(config: Config, **overrides: Any) -> Config:
    """Command-line options win over book.toml. None means 'not given'."""
    book, output = config.book, config.output
    if overrides.get("title"):
        book = replace(book, title=overrides["title"])
    if overrides.get("author"):
        book = replace(book, authors=(overrides["author"],))
    if overrides.get("output_dir"):
        output = replace(output, dir=Path(overrides["output_dir"]).resolve())
    if overrides.get("formats"):
        output = replace(output, formats=tuple(dict.fromkeys(overrides["formats"])))
    sources = tuple(Source(str(s)) for s in overrides.get("sources") or ()) or config.sources
    cli_filters = overrides.get("filters")
    if cli_filters is not None:
        sources = tuple(replace(s, filters=s.filters.overridden_by(cli_filters)) for s in sources)
    fetch = replace(
        config.fetch,
        offline=config.fetch.offline or bool(overrides.get("offline")),
        ignore_robots=config.fetch.ignore_robots or bool(overrides.get("ignore_robots")),
        refresh=config.fetch.refresh or bool(overrides.get("refresh")),
    )
    strict = config.strict or bool(overrides.get("strict"))
    return replace(config, book=book, output=output, sources=sources, fetch=fetch, strict=strict)
