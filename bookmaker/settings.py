"""The settings a book.toml becomes: frozen, typed, with paths already resolved.

`config.load_config` makes them; every stage reads them. Nothing here reads files.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

from bookmaker.config_schema import FORMATS, FULL_EDITION


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
    isbn: str = ""  # as the author wrote it, checked
    edition: str = ""
    subjects: tuple[str, ...] = ()
    cover_color: str = ""  # "#rrggbb" or ""
    title_suffix: str = ""  # an edition's addition to the title


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
    content: str | None = None  # the author's selector for the post body (extract overrides)
    remove: tuple[str, ...] = ()  # the author's selectors of blocks to drop

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
class PartSettings:
    """One [[parts]] table: the category a part gathers, its title and introduction."""

    category: str
    title: str = ""
    intro: Path | None = None


@dataclass(frozen=True)
class ChapterSettings:
    order: str = "date"
    explicit: tuple[str, ...] = ()
    group_by: str = "none"
    parts: tuple[str, ...] = ()
    ungrouped: str = "More"
    exclude: tuple[str, ...] = ()
    only: tuple[str, ...] = ()  # an edition's chosen posts; () means every post
    part_settings: tuple[PartSettings, ...] = ()


@dataclass(frozen=True)
class MatterPage:
    """A page of front or back matter: a Markdown file, or one bookmaker makes (no path)."""

    role: str  # "dedication", "foreword", "titlepage", "first-appeared", "" for an extra page
    path: Path | None = None
    title: str = ""


@dataclass(frozen=True)
class MatterSettings:
    front: tuple[MatterPage, ...] = (MatterPage("titlepage"), MatterPage("copyright"))
    back: tuple[MatterPage, ...] = ()

    def files(self) -> tuple[Path, ...]:
        return tuple(p.path for p in self.front + self.back if p.path is not None)


@dataclass(frozen=True)
class EditionSettings:
    """One [editions.NAME] table: how this edition differs from the whole book."""

    name: str
    title: str = ""
    title_suffix: str = ""
    subtitle: str = ""
    description: str = ""
    chapters: tuple[str, ...] = ()
    file_name: str = ""
    formats: tuple[str, ...] = ()
    isbn: str = ""
    identifier: str = ""
    cover: Path | None = None


@dataclass(frozen=True)
class OutputSettings:
    dir: Path = Path("output")
    name: str = ""
    formats: tuple[str, ...] = FORMATS
    epub_stylesheet: Path | None = None
    pdf_stylesheet: Path | None = None
    page_size: str = "A5"
    link_footnotes: bool = False
    chapters_open: str = "right"  # or "any"


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
    extract_remove: tuple[str, ...] = ()  # [extract] remove: blocks to drop from every source
    matter: MatterSettings = field(default_factory=MatterSettings)
    editions: tuple[EditionSettings, ...] = ()
    edition: str = FULL_EDITION  # which edition these settings describe
    selected: tuple[str, ...] = ()  # editions to build (--edition); () means every edition

    @property
    def label(self) -> str:
        """How messages name the file: 'book.toml' by its path, or the command line."""
        return str(self.file) if self.file else "the command line"
