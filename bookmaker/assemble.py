"""From posts to a book: which posts, their order and parts, stable chapter ids, links between
chapters, front and back matter, metadata."""

from __future__ import annotations

import datetime as dt
import difflib
import logging
import os
import re
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from html import escape
from pathlib import Path
from urllib.parse import unquote, urljoin

import lxml.etree as etree
import lxml.html

from bookmaker.config import Config, PartSettings
from bookmaker.errors import ConfigError
from bookmaker.isbn import isbn_urn
from bookmaker.log import warn
from bookmaker.matter import PlacedPost, load_written, make_matter, page_ids
from bookmaker.model import Asset, Book, BookMeta, Chapter, Part, Post
from bookmaker.slug import slugify
from bookmaker.sources.refs import url_key

log = logging.getLogger(__name__)

_FAR_FUTURE = dt.datetime.max
# File stems the renderers use for their own pages (cover, navigation, part title pages).
RESERVED_IDS = frozenset({"cover", "nav", "toc", "titlepage", "contents"})


def assemble(
    posts: list[Post], config: Config, cover: Asset | None = None, site_name: str = ""
) -> Book:
    chosen = order_posts(select_posts(posts, config), config)
    ids = chapter_ids(chosen, reserved=RESERVED_IDS | set(page_ids(config)))
    chosen_ids = {id(post) for post in chosen}
    links = LinkTargets(chosen, ids, elsewhere=[p for p in posts if id(p) not in chosen_ids])
    chapters = [
        Chapter(
            id=ids[i],
            title=post.title,
            body=links.rewrite(post),
            authors=post.authors,
            date=post.date,
            source=post.source,
        )
        for i, post in enumerate(chosen)
    ]
    extra: dict[str, Asset] = {}
    parts = group_into_parts(chosen, chapters, config, _intro_reader(links, extra))
    meta = book_meta(chosen, config, cover, site_name)
    placed = [PlacedPost(post, ident) for post, ident in zip(chosen, ids, strict=True)]
    matter = make_matter(config, meta, placed, links.rewrite)
    assets = _assets(chosen, [*extra.values(), *matter.assets])
    return Book(meta=meta, parts=parts, front=matter.front, back=matter.back, assets=assets)


def select_posts(posts: list[Post], config: Config) -> list[Post]:
    """Leave out the posts `chapters.exclude` names; keep only an edition's chosen ones.

    Every slug book.toml names must be a post's: a misspelt one is an error, not a quiet no-op.
    """
    slugs = [p.slug for p in posts]
    _check_slugs(config.chapters.explicit, slugs, config, "chapters.order")
    _check_slugs(config.chapters.exclude, slugs, config, "chapters.exclude")
    _check_slugs(config.chapters.only, slugs, config, f"editions.{config.edition}.chapters")
    excluded = set(config.chapters.exclude)
    only = set(config.chapters.only)
    return [p for p in posts if p.slug not in excluded and (not only or p.slug in only)]


def _check_slugs(wanted: tuple[str, ...], slugs: list[str], config: Config, key: str) -> None:
    missing = [s for s in wanted if s not in slugs]
    if missing:
        close = difflib.get_close_matches(missing[0], slugs, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise ConfigError(f"{config.label}: {key}: no post with slug '{missing[0]}'{hint}")


def order_posts(posts: list[Post], config: Config) -> list[Post]:
    """Explicit list in book.toml first, else front matter `order`, else date (oldest first)."""
    by_date = sorted(posts, key=_date_key, reverse=config.chapters.order == "reverse-date")
    if config.chapters.order != "explicit":
        return sorted(by_date, key=lambda p: p.order if p.order is not None else 1 << 30)
    slugs = {p.slug: p for p in posts}
    # Slugs of posts an exclusion or an edition left out are passed over (select_posts checked
    # that each names a post).
    listed = [slugs[s] for s in config.chapters.explicit if s in slugs]
    rest = [p for p in by_date if p.slug not in set(config.chapters.explicit)]
    if rest:
        warn(
            log,
            "chapters.unlisted",
            "chapters.order does not list %d post(s) (%s); they follow the listed ones by date",
            len(rest),
            ", ".join(p.slug for p in rest),
        )
    return listed + rest


def _date_key(post: Post) -> tuple[dt.datetime, str]:
    date = post.date.replace(tzinfo=None) if post.date else _FAR_FUTURE
    return date, post.title.casefold()


def chapter_ids(posts: list[Post], reserved: frozenset[str] = RESERVED_IDS) -> list[str]:
    """Ids from slugs, unique and valid as XML ids and file names ("2 posts, same title" works).

    `reserved` are names taken by the renderers' pages and by front and back matter.
    """
    taken: set[str] = set()
    ids: list[str] = []
    for post in posts:
        base = slugify(post.slug) or "chapter"
        if not base[0].isalpha() or base in reserved or base.startswith("part-"):
            base = f"c-{base}"  # XML ids start with a letter; other names belong to the renderers
        ident, n = base, 1
        while ident in taken:  # "hello-2" may also be another post's own slug
            n += 1
            ident = f"{base}-{n}"
        taken.add(ident)
        ids.append(ident)
    return ids


def group_into_parts(
    posts: list[Post],
    chapters: list[Chapter],
    config: Config,
    read_intro: Callable[[Path], str] | None = None,
) -> tuple[Part, ...]:
    if config.chapters.group_by != "category":
        return (Part(title="", id="part-main", chapters=tuple(chapters)),)
    groups: dict[str, list[Chapter]] = {}
    for post, chapter in zip(posts, chapters, strict=True):
        name = post.categories[0] if post.categories else config.chapters.ungrouped
        groups.setdefault(name, []).append(chapter)
    _warn_empty_parts(config, groups)
    names = [n for n in config.chapters.parts if n in groups]
    names += [n for n in groups if n not in names]
    settings = {p.category: p for p in config.chapters.part_settings}
    parts, ids = [], set()
    for i, name in enumerate(names, start=1):
        setting = settings.get(name, PartSettings(name))
        ident = f"part-{slugify(name) or i}"
        ident = ident if ident not in ids else f"{ident}-{i}"
        ids.add(ident)
        intro = read_intro(setting.intro) if read_intro and setting.intro else ""
        parts.append(Part(setting.title or name, ident, tuple(groups[name]), intro=intro))
    return tuple(parts)


def _warn_empty_parts(config: Config, groups: dict[str, list[Chapter]]) -> None:
    """A part with no posts in the whole book is most likely a misspelt category."""
    if config.chapters.only:
        return  # an edition's selection leaves parts empty on purpose
    for name in config.chapters.parts:
        if name not in groups:
            close = difflib.get_close_matches(name, list(groups), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            warn(log, "parts.empty", "part '%s': no post has this category%s", name, hint)


def _intro_reader(links: LinkTargets, assets: dict[str, Asset]) -> Callable[[Path], str]:
    def read(path: Path) -> str:
        return links.rewrite(load_written(path, assets))

    return read


class LinkTargets:
    """Knows every post's file and URL, and rewrites links between posts into chapter links.

    Posts that were read but are not in this book (left out by an exclusion or an edition) are
    known too: a link to one leads to its web address, or becomes plain text if it has none.
    """

    def __init__(self, posts: list[Post], ids: list[str], elsewhere: Iterable[Post] = ()) -> None:
        self.by_file: dict[str, str] = {}
        self.by_url: dict[str, str] = {}
        for post, chapter_id in zip(posts, ids, strict=True):
            self._learn(post, chapter_id)
        for post in elsewhere:
            self._learn(post, _address(post) or _NOWHERE)

    def _learn(self, post: Post, target: str) -> None:
        if not _is_url(post.source):
            self.by_file.setdefault(os.path.normpath(os.path.abspath(post.source)), target)
        for url in (post.url, post.source if _is_url(post.source) else None):
            if url:
                self.by_url.setdefault(url_key(url), target)

    def rewrite(self, post: Post) -> str:
        if "<a" not in post.body:
            return post.body
        root = lxml.html.fragment_fromstring(post.body, create_parent="div")
        for link in root.iter("a"):
            href = link.get("href")
            if href is not None:
                self._rewrite_link(link, href, post)
        head = escape(root.text, quote=False) if root.text else ""
        return head + "".join(
            etree.tostring(child, method="xml", encoding="unicode") for child in root
        )

    def _rewrite_link(self, link: lxml.html.HtmlElement, href: str, post: Post) -> None:
        if not href or href.startswith("#"):
            return
        target, _, fragment = href.partition("#")
        found = self._target(target, post)
        if found == _NOWHERE:
            log.info(
                "%s: link to %s: that post is not in this book; kept as text", post.source, href
            )
            del link.attrib["href"]
        elif found and _is_url(found):
            link.set("href", found)
        elif found:
            link.set("href", f"{found}.xhtml" + (f"#{fragment}" if fragment else ""))
        elif not _is_url(href) and not href.startswith("mailto:"):
            warn(
                log,
                "link.broken",
                "%s: link to %s leads to nothing in the book; kept as text",
                post.source,
                href,
            )
            del link.attrib["href"]

    def _target(self, href: str, post: Post) -> str | None:
        """The chapter id a link leads to, or the address of a post outside the book."""
        if _is_url(href):
            return self.by_url.get(url_key(href))
        if _is_url(post.source) or post.url:
            base = post.url or post.source
            joined = _join(base, href)
            if joined in self.by_url:
                return self.by_url[joined]
        local = os.path.normpath(os.path.join(Path(post.source).parent, unquote(href)))
        return self.by_file.get(os.path.abspath(local))


_NOWHERE = " "  # the target of a post outside the book that has no web address


def _address(post: Post) -> str:
    return post.url or (post.source if _is_url(post.source) else "")


def _is_url(text: str) -> bool:
    return bool(re.match(r"^https?://", text, re.I))


def _join(base: str, href: str) -> str:
    return url_key(urljoin(base, href))


def book_meta(
    posts: list[Post], config: Config, cover: Asset | None, site_name: str = ""
) -> BookMeta:
    settings = config.book
    title = settings.title or (
        posts[0].title if len(posts) == 1 else site_name or _folder_title(config)
    )
    title += settings.title_suffix
    authors = settings.authors or _most_common_authors(posts)
    modified = _modified(posts)
    identifier = (isbn_urn(settings.isbn) if settings.isbn else settings.identifier) or (
        f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'bookmaker:' + title + '|' + '|'.join(authors))}"
    )
    return BookMeta(
        title=title,
        subtitle=settings.subtitle,
        authors=authors,
        language=settings.language or _language(posts),
        identifier=identifier,
        modified=modified,
        publisher=settings.publisher,
        rights=settings.rights,
        description=settings.description,
        date=settings.date or modified.date(),
        cover=cover,
        isbn=settings.isbn,
        edition=settings.edition,
        subjects=settings.subjects,
        cover_color=settings.cover_color,
    )


def _folder_title(config: Config) -> str:
    if len(config.sources) == 1 and Path(config.sources[0].location).is_dir():
        name = Path(config.sources[0].location).name
        return name.replace("-", " ").replace("_", " ").strip().title() or "Collected Posts"
    return "Collected Posts"


def _most_common_authors(posts: list[Post]) -> tuple[str, ...]:
    counts = Counter(a for p in posts for a in p.authors)
    return tuple(name for name, _ in counts.most_common(3)) or ("Unknown Author",)


def _language(posts: list[Post]) -> str:
    counts = Counter(p.language for p in posts if p.language)
    return counts.most_common(1)[0][0] if counts else "en"


def _modified(posts: list[Post]) -> dt.datetime:
    """SOURCE_DATE_EPOCH if set (reproducible builds), else the newest post's date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).replace(tzinfo=None)
    dates = [p.date.replace(tzinfo=None) for p in posts if p.date]
    return max(dates) if dates else dt.datetime(2000, 1, 1)


def _assets(posts: list[Post], more: Iterable[Asset] = ()) -> tuple[Asset, ...]:
    unique: dict[str, Asset] = {}
    for asset in [a for post in posts for a in post.assets] + list(more):
        unique.setdefault(asset.name, asset)
    return tuple(sorted(unique.values(), key=lambda a: a.name))
