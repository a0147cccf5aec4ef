"""book.toml: read once at the edge, checked against `config_schema.SCHEMA`, turned into settings.

Every mistake in the file is reported, each naming the file, the dotted key, what was expected and
what was found; an unknown key gets a "did you mean". Relative paths resolve against the folder
that holds book.toml. Command-line options override the file (see `apply_overrides`), and
`for_edition` gives the settings of one edition of the book.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import tomllib
from pathlib import Path
from typing import Any

from bookmaker.config_overrides import apply_overrides, edition_names, for_edition
from bookmaker.config_schema import (
    FORMATS,
    GROUPINGS,
    ORDERS,
    PAGE_SIZES,
    SCHEMA,
    default_of,
    validate,
)
from bookmaker.errors import ConfigError
from bookmaker.extract.select import check_selectors
from bookmaker.isbn import isbn_digits
from bookmaker.settings import (
    BookSettings,
    ChapterSettings,
    Config,
    EditionSettings,
    FetchOptions,
    Filters,
    MatterPage,
    MatterSettings,
    OutputSettings,
    PartSettings,
    Source,
)

__all__ = [
    "FORMATS",
    "GROUPINGS",
    "ORDERS",
    "PAGE_SIZES",
    "SCHEMA",
    "BookSettings",
    "ChapterSettings",
    "Config",
    "EditionSettings",
    "FetchOptions",
    "Filters",
    "MatterPage",
    "MatterSettings",
    "OutputSettings",
    "PartSettings",
    "Source",
    "apply_overrides",
    "default_config",
    "edition_names",
    "for_edition",
    "load_config",
]

MATTER_SUFFIXES = (".md", ".markdown", ".html", ".htm", ".txt")
FRONT_ROLES = ("dedication", "epigraph", "foreword", "preface", "introduction")
PAGE_IDS = {"about_author": "about-the-author"}  # book.toml keys whose page id reads better
_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")


def default_config(root: Path) -> Config:
    """The settings used when there is no book.toml: the sample-free, zero-config book."""
    return Config(
        root=root,
        output=OutputSettings(dir=root / "output"),
        fetch=FetchOptions(cache_dir=root / ".bookmaker-cache"),
    )


def find_config(path: Path | None) -> Config:
    """The book at `path`, else ./book.toml if there is one, else defaults for this folder."""
    if path is not None:
        return load_config(path)
    default = Path("book.toml")
    return load_config(default) if default.is_file() else default_config(Path.cwd())


def load_config(path: Path) -> Config:
    """Read and validate book.toml; raise ConfigError listing every mistake found."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{path}: not valid TOML: arrays or tables nested too deeply") from None
    problems: list[str] = []
    values = validate(raw, problems)
    if not problems:
        config = _Reader(path, problems).config(values)
    if problems:
        raise ConfigError("\n".join(f"{path}: {p}" for p in problems))
    return config


# Sensible bounds: a politeness delay cannot be negative, nor a server waited on for ever.
FETCH_RANGES = (
    ("delay", 0, 3600),
    ("concurrency", 1, 16),
    ("timeout", 1, 600),
    ("retries", 0, 10),
    ("max_image_pixels", 64, 20000),
)


class _Reader:
    """Turns checked values into settings, collecting the mistakes only values together show."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.root = path.parent.resolve()
        self.path = path
        self.problems = problems

    def config(self, v: dict[str, Any]) -> Config:
        return Config(
            root=self.root,
            file=self.path,
            book=self.book(v["book"]),
            sources=tuple(self.source(i, s) for i, s in enumerate(v["sources"])),
            fetch=self.fetch(v["fetch"]),
            chapters=self.chapters(v["chapters"], v["parts"]),
            output=self.output(v["output"], v["output.epub"], v["output.pdf"]),
            strict=v["validation"]["strict"],
            silenced=frozenset(v["validation"]["silence"]),
            extract_remove=self.selectors(v["extract"]["remove"], "extract.remove"),
            matter=self.matter(v["front"], v["back"]),
            editions=self.editions(v["editions"]),
        )

    def book(self, b: dict[str, Any]) -> BookSettings:
        if b["isbn"] and b["identifier"]:
            self.problems.append(
                "book.identifier: give either isbn or identifier (the ISBN is the identifier)"
            )
        return BookSettings(
            title=b["title"].strip(),
            subtitle=b["subtitle"].strip(),
            authors=tuple(b["author"]) if isinstance(b["author"], list) else (b["author"],),
            language=b["language"],
            publisher=b["publisher"],
            rights=b["rights"],
            description=b["description"],
            date=self.date(b["date"], "book.date"),
            identifier=b["identifier"],
            cover=self.existing(b["cover"], "book.cover"),
            isbn=self.isbn(b["isbn"], "book.isbn"),
            edition=b["edition"],
            subjects=tuple(s.strip() for s in b["subjects"] if s.strip()),
            cover_color=self.colour(b["cover_color"], "book.cover_color"),
        )

    def chapters(self, c: dict[str, Any], parts: list[dict[str, Any]]) -> ChapterSettings:
        order = c["order"]
        if isinstance(order, str) and order not in ("date", "reverse-date"):
            self.problems.append(
                f"chapters.order: expected 'date', 'reverse-date' or a list of slugs; got {order!r}"
            )
        if parts and c["group_by"] != "category":
            self.problems.append("parts: [[parts]] needs chapters.group_by = 'category'")
        if parts and c["parts"]:
            self.problems.append("chapters.parts: give the order of parts by [[parts]] alone")
        return ChapterSettings(
            order="explicit" if isinstance(order, list) else order,
            explicit=tuple(order) if isinstance(order, list) else (),
            group_by=c["group_by"],
            parts=tuple(c["parts"]) or tuple(p["category"] for p in parts),
            ungrouped=c["ungrouped"],
            exclude=tuple(c["exclude"]),
            part_settings=self.parts(parts),
        )

    def parts(self, tables: list[dict[str, Any]]) -> tuple[PartSettings, ...]:
        out: list[PartSettings] = []
        for i, table in enumerate(tables):
            key = f"parts[{i}]"
            if not table["category"].strip():
                self.problems.append(f"{key}.category: each [[parts]] names its category")
            elif table["category"] in (p.category for p in out):
                self.problems.append(f"{key}.category: '{table['category']}' is listed twice")
            intro = self.matter_file(table["intro"], f"{key}.intro")
            out.append(PartSettings(table["category"], table["title"].strip(), intro))
        return tuple(out)

    def matter(self, front: dict[str, Any], back: dict[str, Any]) -> MatterSettings:
        pages = [MatterPage("titlepage")] if front["title_page"] else []
        if front["copyright_page"]:
            pages.append(MatterPage("copyright"))
        pages += self.matter_pages(front, "front", FRONT_ROLES)
        closing = self.matter_pages(back, "back", ("afterword", "acknowledgments"))
        if back["first_appeared"]:
            closing.append(MatterPage("first-appeared", title=back["first_appeared_title"]))
        if back["index"]:
            closing.append(MatterPage("by-category", title=back["index_title"]))
        closing += self.matter_pages(back, "back", ("about_author",), extra=False)
        return MatterSettings(front=tuple(pages), back=tuple(closing))

    def matter_pages(
        self, table: dict[str, Any], name: str, roles: tuple[str, ...], extra: bool = True
    ) -> list[MatterPage]:
        pages = []
        for role in roles:
            path = self.matter_file(table[role], f"{name}.{role}")
            if path is not None:
                pages.append(MatterPage(PAGE_IDS.get(role, role), path))
        for i, value in enumerate(table["pages"] if extra else ()):
            path = self.matter_file(value, f"{name}.pages[{i}]")
            if path is not None:
                pages.append(MatterPage("", path))
        return pages

    def matter_file(self, value: str, key: str) -> Path | None:
        path = self.existing(value, key)
        if path is not None and (path.is_dir() or path.suffix.lower() not in MATTER_SUFFIXES):
            self.problems.append(f"{key}: expected a Markdown (.md), .html or .txt file: {value}")
            return None
        return path

    def editions(self, tables: dict[str, dict[str, Any]]) -> tuple[EditionSettings, ...]:
        out = []
        names: dict[str, str] = {}
        for name, e in tables.items():
            key = f"editions.{name}"
            if e["name"] and e["name"] in names:
                self.problems.append(
                    f"{key}.name: '{e['name']}' is already the file name of {names[e['name']]}"
                )
            names.setdefault(e["name"], key)
            if e["isbn"] and e["identifier"]:
                self.problems.append(f"{key}.identifier: give either isbn or identifier")
            out.append(
                EditionSettings(
                    name=name,
                    title=e["title"].strip(),
                    title_suffix=e["title_suffix"],
                    subtitle=e["subtitle"].strip(),
                    description=e["description"],
                    chapters=tuple(e["chapters"]),
                    file_name=self.file_name(e["name"], f"{key}.name"),
                    formats=tuple(dict.fromkeys(e["formats"])),
                    isbn=self.isbn(e["isbn"], f"{key}.isbn"),
                    identifier=e["identifier"],
                    cover=self.existing(e["cover"], f"{key}.cover"),
                )
            )
        return tuple(out)

    def source(self, index: int, table: dict[str, Any]) -> Source:
        key = f"sources[{index}]"
        if bool(table["path"]) == bool(table["url"]):
            self.problems.append(f"{key}: give either 'path' or 'url'")
            return Source(str(self.root))
        if table["url"] and not table["url"].startswith(("http://", "https://")):
            self.problems.append(
                f"{key}.url: expected an http:// or https:// address; got {table['url']!r}"
            )
        location = table["url"] or str(self.existing(table["path"], f"{key}.path") or self.root)
        filters = Filters(
            since=self.date(table["since"], f"{key}.since"),
            until=self.date(table["until"], f"{key}.until"),
            categories=frozenset(table["categories"]) or None,
            exclude_categories=frozenset(table["exclude_categories"]),
            tags=frozenset(table["tags"]) or None,
            exclude_tags=frozenset(table["exclude_tags"]),
            max_posts=table["max_posts"] or None,
        )
        content = self.selectors([table["content"]] if table["content"] else [], f"{key}.content")
        remove = self.selectors(table["remove"], f"{key}.remove")
        return Source(location, filters, content[0] if content else None, remove)

    def selectors(self, values: list[str], key: str) -> tuple[str, ...]:
        self.problems += [f"{key}: {problem}" for problem in check_selectors(values)]
        return tuple(values)

    def fetch(self, f: dict[str, Any]) -> FetchOptions:
        for key, low, high in FETCH_RANGES:
            value = f[key]
            if not (math.isfinite(value) and low <= value <= high):
                self.problems.append(
                    f"fetch.{key}: expected a number from {low} to {high}; got {value!r}"
                )
        return FetchOptions(
            cache_dir=self.root / f["cache_dir"],
            offline=f["offline"],
            ignore_robots=f["ignore_robots"],
            refresh=f["refresh"],
            delay=float(f["delay"]),
            concurrency=f["concurrency"],
            timeout=float(f["timeout"]),
            retries=f["retries"],
            max_image_pixels=f["max_image_pixels"],
        )

    def output(
        self, o: dict[str, Any], epub: dict[str, Any], pdf: dict[str, Any]
    ) -> OutputSettings:
        return OutputSettings(
            dir=self.root / o["dir"],
            name=self.file_name(o["name"], "output.name"),
            formats=tuple(o["formats"]),
            epub_stylesheet=self.existing(
                epub["stylesheet"], "output.epub.stylesheet", optional=True
            ),
            pdf_stylesheet=self.existing(pdf["stylesheet"], "output.pdf.stylesheet", optional=True),
            page_size=pdf["page_size"],
            link_footnotes=pdf["link_footnotes"],
            chapters_open=pdf["chapters_open"],
        )

    def file_name(self, value: str, key: str) -> str:
        """An ebook's name stays inside the output folder: no folders, no dots alone, no NUL."""
        if value and (
            any(c in value for c in "/\\\0") or value.strip(".") == "" or len(value) > 200
        ):
            self.problems.append(
                f"{key}: expected a file name without folders (letters, digits, '-'); got {value!r}"
            )
        return value

    def existing(self, value: str, key: str, optional: bool = False) -> Path | None:
        """Resolve a path setting; a missing file is a mistake unless the setting is the default."""
        if not value:
            return None
        try:
            path = (self.root / value).resolve()
            found = path.exists()
        except (OSError, ValueError):  # a NUL byte or a name longer than the system allows
            self.problems.append(f"{key}: not a usable file name: {value[:80]!r}")
            return None
        if not found:
            if optional and value == default_of(key):
                return None
            self.problems.append(f"{key}: no such file or folder: {value}")
            return None
        return path

    def date(self, value: Any, key: str) -> dt.date | None:
        if value is None or isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.problems.append(f"{key}: expected a date YYYY-MM-DD; got {value!r}")
            return None

    def isbn(self, value: str, key: str) -> str:
        if value and not isbn_digits(value):
            self.problems.append(
                f"{key}: not a valid ISBN-13 or ISBN-10 (wrong length or check digit); "
                f"got {value!r}"
            )
            return ""
        return value.strip()

    def colour(self, value: str, key: str) -> str:
        if not value:
            return ""
        if not _COLOUR.fullmatch(value.strip()):
            self.problems.append(f"{key}: expected a colour like '#2f4f4f'; got {value!r}")
            return ""
        digits = value.strip()[1:].lower()
        return "#" + (digits if len(digits) == 6 else "".join(c * 2 for c in digits))
