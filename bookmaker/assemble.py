"""From posts to a book: order, parts, stable chapter ids, links between chapters, metadata."""

from __future__ import annotations

import datetime as dt
import difflib
import logging
import os
import re
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import lxml.etree as etree
import lxml.html

from bookmaker.config import Config
from bookmaker.errors import ConfigError
from bookmaker.log import warn
from bookmaker.model import Asset, Book, BookMeta, Chapter, Part, Post
from bookmaker.slug import slugify

log = logging.getLogger(__name__)

_FAR_FUTURE = dt.datetime.max
# File stems the renderers use for their own pages (cover, navigation, part title pages).
RESERVED_IDS = frozenset({"cover", "nav", "toc", "titlepage", "contents"})


def assemble(
    posts: list[Post], config: Config, cover: Asset | None = None, site_name: str = ""
) -> Book:
    ordered = order_posts(posts, config)
    ids = chapter_ids(ordered)
    links = LinkTargets(ordered, ids)
    chapters = {
        ids[i]: Chapter(
            id=ids[i],
            title=post.title,
            body=links.rewrite(post),
            authors=post.authors,
            date=post.date,
            source=post.source,
        )
        for i, post in enumerate(ordered)
    }
    parts = group_into_parts(ordered, [chapters[i] for i in ids], config)
    meta = book_meta(ordered, config, cover, site_name)
    return Book(meta=meta, parts=parts, assets=_assets(ordered))


def order_posts(posts: list[Post], config: Config) -> list[Post]:
    """Explicit list in book.toml first, else front matter `order`, else date (oldest first)."""
    by_date = sorted(posts, key=_date_key, reverse=config.chapters.order == "reverse-date")
    if config.chapters.order != "explicit":
        return sorted(by_date, key=lambda p: p.order if p.order is not None else 1 << 30)
    slugs = {p.slug: p for p in posts}
    missing = [s for s in config.chapters.explicit if s not in slugs]
    if missing:
        close = difflib.get_close_matches(missing[0], list(slugs), n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise ConfigError(f"{config.file}: chapters.order: no post with slug '{missing[0]}'{hint}")
    listed = [slugs[s] for s in config.chapters.explicit]
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


def chapter_ids(posts: list[Post]) -> list[str]:
    """Ids from slugs, unique and valid as XML ids and file names ("2 posts, same title" works)."""
    seen: Counter[str] = Counter()
    ids = []
    for post in posts:
        base = slugify(post.slug) or "chapter"
        if not base[0].isalpha() or base in RESERVED_IDS or base.startswith("part-"):
            base = f"c-{base}"  # XML ids start with a letter; other names belong to the renderers
        seen[base] += 1
        ids.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return ids


def group_into_parts(
    posts: list[Post], chapters: list[Chapter], config: Config
) -> tuple[Part, ...]:
    if config.chapters.group_by != "category":
        return (Part(title="", id="part-main", chapters=tuple(chapters)),)
    groups: dict[str, list[Chapter]] = {}
    for post, chapter in zip(posts, chapters, strict=True):
        name = post.categories[0] if post.categories else config.chapters.ungrouped
        groups.setdefault(name, []).append(chapter)
    names = [n for n in config.chapters.parts if n in groups]
    names += [n for n in groups if n not in names]
    return tuple(
        Part(title=name, id=f"part-{slugify(name) or i}", chapters=tuple(groups[name]))
        for i, name in enumerate(names, start=1)
    )


class LinkTargets:
    """Knows every post's file and URL, and rewrites links between posts into chapter links."""

    def __init__(self, posts: list[Post], ids: list[str]) -> None:
        self.by_file: dict[str, str] = {}
        self.by_url: dict[str, str] = {}
        for post, chapter_id in zip(posts, ids, strict=True):
            if not _is_url(post.source):
                self.by_file[os.path.normpath(os.path.abspath(post.source))] = chapter_id
            for url in (post.url, post.source if _is_url(post.source) else None):
                if url:
                    self.by_url[_url_key(url)] = chapter_id

    def rewrite(self, post: Post) -> str:
        if "<a" not in post.body:
            return post.body
        root = lxml.html.fragment_fromstring(post.body, create_parent="div")
        for link in root.iter("a"):
            href = link.get("href")
            if href is not None:
                self._rewrite_link(link, href, post)
        head = _escape(root.text) if root.text else ""
        return head + "".join(
            etree.tostring(child, method="xml", encoding="unicode") for child in root
        )

    def _rewrite_link(self, link: lxml.html.HtmlElement, href: str, post: Post) -> None:
        if not href or href.startswith("#"):
            return
        target, _, fragment = href.partition("#")
        chapter_id = self._target(target, post)
        if chapter_id:
            link.set("href", f"{chapter_id}.xhtml" + (f"#{fragment}" if fragment else ""))
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
        if _is_url(href):
            return self.by_url.get(_url_key(href))
        if _is_url(post.source) or post.url:
            base = post.url or post.source
            joined = _join(base, href)
            if joined in self.by_url:
                return self.by_url[joined]
        local = os.path.normpath(os.path.join(Path(post.source).parent, unquote(href)))
        return self.by_file.get(os.path.abspath(local))


def _is_url(text: str) -> bool:
    return bool(re.match(r"^https?://", text, re.I))


def _url_key(url: str) -> str:
    """The same post reached as http/https, with or without www, trailing slash or query."""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    return f"{host}{parts.path.rstrip('/') or '/'}"


def _join(base: str, href: str) -> str:
    return _url_key(urljoin(base, href))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def book_meta(
    posts: list[Post], config: Config, cover: Asset | None, site_name: str = ""
) -> BookMeta:
    settings = config.book
    title = settings.title or (
        posts[0].title if len(posts) == 1 else site_name or _folder_title(config)
    )
    authors = settings.authors or _most_common_authors(posts)
    modified = _modified(posts)
    identifier = settings.identifier or (
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


def _assets(posts: list[Post]) -> tuple[Asset, ...]:
    unique: dict[str, Asset] = {}
    for post in posts:
        for asset in post.assets:
            unique.setdefault(asset.name, asset)
    return tuple(sorted(unique.values(), key=lambda a: a.name))
