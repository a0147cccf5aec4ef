"""The records passed between stages. Frozen, typed, and free of behaviour beyond small helpers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Asset:
    """A file the book embeds (an image); `name` is its path in the book: images/3f2a….png."""

    name: str
    media_type: str
    data: bytes
    origin: str  # the path or URL it came from, for messages


@dataclass(frozen=True)
class Post:
    """One article, cleaned, as every source yields it.

    `body` is a sanitised XHTML fragment whose highest heading is <h2> (the chapter title is <h1>)
    and whose <img src> values are names of entries in `assets`.
    """

    slug: str
    title: str
    body: str
    source: str  # file path or URL the post was read from
    authors: tuple[str, ...] = ()
    date: dt.datetime | None = None
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    assets: tuple[Asset, ...] = ()
    url: str | None = (
        None  # the post's address on the blog, used to turn links into cross-references
    )
    order: int | None = None  # explicit position from front matter
    language: str | None = None


@dataclass(frozen=True)
class Chapter:
    """A post (or a piece of front/back matter) placed in the book.

    `id` is unique in the book, stable across builds, and safe as an XML id and a file stem.
    """

    id: str
    title: str
    body: str
    kind: str = "chapter"  # "chapter", "front" or "back"
    authors: tuple[str, ...] = ()
    date: dt.datetime | None = None
    source: str = ""
    # False for pages shown without a heading and left out of the contents: the title page,
    # copyright page, dedication and epigraph. Their id names their role.
    listed: bool = True

    @property
    def file_name(self) -> str:
        return f"{self.id}.xhtml"


@dataclass(frozen=True)
class Part:
    """A titled group of chapters. A book without parts has one part with an empty title."""

    title: str
    id: str
    chapters: tuple[Chapter, ...]
    intro: str = ""  # an XHTML fragment printed on the part's title page


@dataclass(frozen=True)
class BookMeta:
    title: str
    authors: tuple[str, ...]
    language: str
    identifier: str  # a URN, stable for the same book
    modified: dt.datetime  # from SOURCE_DATE_EPOCH or the newest post, never "now" by accident
    subtitle: str = ""
    publisher: str = ""
    rights: str = ""
    description: str = ""
    date: dt.date | None = None  # publication date
    cover: Asset | None = None  # author-supplied cover image; None means generate one
    isbn: str = ""  # as printed, e.g. 978-1-4028-9462-6; `identifier` is then urn:isbn:…
    edition: str = ""  # e.g. "Second edition"
    subjects: tuple[str, ...] = ()
    cover_color: str = ""  # ground of a generated cover, "#rrggbb"; "" picks one from the title
    fonts: tuple[str, ...] = ()  # the book's font families, first choice first, for the cover


@dataclass(frozen=True)
class Book:
    meta: BookMeta
    parts: tuple[Part, ...]
    front: tuple[Chapter, ...] = ()
    back: tuple[Chapter, ...] = ()
    assets: tuple[Asset, ...] = ()

    @property
    def chapters(self) -> tuple[Chapter, ...]:
        """The main chapters in reading order, across parts."""
        return tuple(ch for part in self.parts for ch in part.chapters)

    @property
    def has_parts(self) -> bool:
        return any(part.title for part in self.parts)

    def reading_order(self) -> tuple[Chapter, ...]:
        return self.front + self.chapters + self.back


@dataclass(frozen=True)
class Skipped:
    """A source item that did not become a post, and why. A failure is data, never None."""

    ref: str
    code: str  # a warning code such as "source.no_article"
    reason: str


@dataclass(frozen=True)
class Page:
    """A fetched resource: the bytes, where they finally came from, and how.

    `url` is what was asked for, `final_url` where redirects ended. `encoding` is the charset the
    server declared, if any (the bytes are never decoded here). `from_cache` is True when no
    request went out or the server answered 304 Not Modified.
    """

    url: str
    final_url: str
    status: int
    content: bytes
    content_type: str = ""
    encoding: str | None = None
    from_cache: bool = False
    headers: tuple[tuple[str, str], ...] = ()

    def header(self, name: str) -> str | None:
        lname = name.lower()
        return next((v for k, v in self.headers if k.lower() == lname), None)

    def text(self) -> str:
        return self.content.decode(self.encoding or "utf-8", errors="replace")
