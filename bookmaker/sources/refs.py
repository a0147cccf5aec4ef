"""What web sources find: `PostRef`, one per post, before its page is fetched.

Every web source (feed, sitemap, archive pages, the WordPress REST API, a WordPress export) yields
`PostRef` records. A ref names the post by URL and carries whatever the source already knows:
title, date, authors, terms, and the full body HTML when the source has it, so the build can skip
fetching the page.

`categories` and `tags` are None when the source does not say (a sitemap), and () when it says
there are none. Filters keep a ref whose date or terms are unknown: the post's own page decides.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace
from typing import Protocol, TypeVar
from urllib.parse import (
    SplitResult,
    parse_qsl,
    unquote,
    urlencode,
    urljoin,
    urlsplit,
    urlunsplit,
)

from lxml import etree

from bookmaker.errors import SourceError
from bookmaker.slug import slugify


@dataclass(frozen=True)
class PostRef:
    url: str  # the post's address, cleaned of fragments and tracking parameters
    title: str | None = None
    date: dt.datetime | None = None
    authors: tuple[str, ...] = ()
    categories: tuple[str, ...] | None = None  # None: the source does not say
    tags: tuple[str, ...] | None = None
    html: str | None = None  # the full body, when the source has it (never an excerpt)
    aliases: tuple[str, ...] = ()  # other addresses of the same post: guid, ?p=123 shortlink
    protected: bool = False  # password-protected: the body is not public
    source: str = ""  # which source found it: rest, wxr, feed, sitemap, archive, post


# --- URLs ----------------------------------------------------------------------------------

_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|_ga|_hsenc|_hsmi)$")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _netloc(parts: SplitResult, *, drop_www: bool = False) -> str:
    host = (parts.hostname or "").lower()
    if drop_www:
        host = host.removeprefix("www.")
    if ":" in host:
        host = f"[{host}]"  # an IPv6 address
    try:
        port = parts.port
    except ValueError:  # a port that is not a number: keep what was written
        return parts.netloc.lower()
    if port is None or _DEFAULT_PORTS.get(parts.scheme.lower()) == port:
        return host
    return f"{host}:{port}"


def clean_url(url: str) -> str:
    """`url` with scheme and host in lower case, no fragment and no tracking parameters."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # "http://[broken": left for the fetch stage to report
        return url.strip()
    query = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in query if not _TRACKING.match(k.lower())]
    query_text = parts.query if len(kept) == len(query) else urlencode(kept)
    path = parts.path or ("/" if parts.netloc else "")
    return urlunsplit((parts.scheme.lower(), _netloc(parts), path, query_text, ""))


def url_key(url: str) -> str:
    """What two addresses of the same post share: no scheme, no `www.`, no trailing slash."""
    try:
        parts = urlsplit(clean_url(url))
    except ValueError:
        return url.strip()
    path = unquote(parts.path).rstrip("/") or "/"
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return f"{_netloc(parts, drop_www=True)}{path}" + (f"?{query}" if query else "")


def aliases(url: str, other: str) -> tuple[str, ...]:
    """`other` (a guid, an Atom id) as another address of the post at `url`, if it is one."""
    if not re.match(r"https?://", other, re.I) or url_key(other) == url_key(url):
        return ()
    return (clean_url(other),)


def absolute(base: str, href: object) -> str:
    """`href` resolved against `base`; "" when it is no usable address ("http://[broken")."""
    try:
        return urljoin(str(base), str(href or "").strip())
    except ValueError:
        return ""


def with_query(url: str, **params: str | int) -> str:
    """`url` with these query parameters set (replacing any of the same name)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    query += [(k, str(v)) for k, v in params.items()]
    return urlunsplit(parts._replace(query=urlencode(query, safe="/")))


# Path segments that name a listing, not a post. Matched as whole segments, so a post slug that
# merely contains the word ("tag-you-are-it") is not caught.
_LISTING_SEGMENTS = {
    "category": "category",
    "categories": "category",
    "topic": "category",
    "topics": "category",
    "tag": "tag",
    "tags": "tag",
    "label": "tag",
    "author": "author",
    "authors": "author",
    "search": "search",
    "archive": "archive",
    "archives": "archive",
}
# A section's own index (/posts/, /blog/) lists posts; the posts lie under it.
_SECTION_SEGMENTS = {"posts", "blog", "articles", "entries", "notes", "journal"}
_FEED_SEGMENTS = {"feed", "rss", "rss2", "atom", "comments"}
_INTERNAL_SEGMENTS = {"wp-json", "wp-admin", "wp-content", "wp-includes", "wp-login.php"}
_NON_POST_QUERY = {
    "page_id": "page",
    "cat": "category",
    "tag": "tag",
    "author": "author",
    "s": "search",
    "m": "date archive",
    "attachment_id": "attachment",
    "feed": "feed",
    "paged": "pagination",
}
_FILE_SUFFIX = re.compile(
    r"\.(xml|gz|rss|atom|json|jpe?g|png|gif|webp|svg|ico|pdf|zip|mp3|mp4|mov|webm|ogg|css|js|txt"
    r"|xsl)$"
)


def non_post_kind(url: str) -> str | None:
    """What a URL is when it is surely not a post ("category", "home", "feed", ...), else None."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "invalid address"
    query = dict(parse_qsl(parts.query))
    if "p" in query:
        return None
    for key, kind in _NON_POST_QUERY.items():
        if key in query:
            return kind
    segments = [s.lower() for s in parts.path.split("/") if s]
    if not segments:
        return "home"
    return _path_kind(segments)


def _path_kind(segments: list[str]) -> str | None:
    for index, segment in enumerate(segments):
        kind = _LISTING_SEGMENTS.get(segment)
        if kind and (index < len(segments) - 1 or len(segments) == 1):
            return kind
        if segment in _INTERNAL_SEGMENTS:
            return "site file"
        if segment == "attachment":
            return "attachment"
        if segment == "page" and index + 1 < len(segments) and segments[index + 1].isdigit():
            return "pagination"
    if len(segments) == 1 and segments[0] in _SECTION_SEGMENTS:
        return "section"
    if segments[-1] in _FEED_SEGMENTS:
        return "feed"
    if all(s.isdigit() for s in segments) and len(segments[0]) == 4 and len(segments) <= 3:
        return "date archive"
    if _FILE_SUFFIX.search(segments[-1]):
        return "file"
    return None


def naming(url: str, message: str) -> str:
    """`message` as a one-line error that names `url`, without naming it twice."""
    return message if url in message else f"{url}: {message}"


# --- Dates, titles, text -----------------------------------------------------------------


def untitled(date: dt.datetime | None) -> str:
    """The title of a post that has none, as WordPress allows."""
    return f"Untitled post of {date:%Y-%m-%d}" if date else "Untitled post"


_TAG = re.compile(r"<[^>]*>")


def plain_text(markup: str) -> str:
    """Text of a small HTML snippet (a rendered title, a term name), entities decoded."""
    return " ".join(html.unescape(_TAG.sub("", markup)).split())


def parse_xml(content: bytes, url: str, what: str, *, recover: bool = False) -> etree._Element:
    """Parse a feed, sitemap or export; a SourceError naming `url` when it is not XML."""
    parser = etree.XMLParser(
        recover=recover, resolve_entities=False, no_network=True, huge_tree=False
    )
    try:
        root = etree.fromstring(content.lstrip(), parser, base_url=url)
    except etree.XMLSyntaxError as exc:
        raise SourceError(f"{url}: not a readable {what} (XML error: {exc})") from None
    if root is None:
        raise SourceError(f"{url}: not a readable {what} (no XML content)")
    return root


def local_name(element: etree._Element) -> str:
    tag = element.tag
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def xml_children(parent: etree._Element, name: str, ns: str | None = None) -> list[etree._Element]:
    return [
        el
        for el in parent
        if local_name(el) == name and (ns is None or etree.QName(el).namespace == ns)
    ]


def xml_child(
    parent: etree._Element | None, name: str, ns: str | None = None
) -> etree._Element | None:
    if parent is None:
        return None
    return next(iter(xml_children(parent, name, ns)), None)


def xml_text(element: etree._Element | None) -> str:
    return "".join(element.itertext()).strip() if element is not None else ""


# --- Merging and filtering -----------------------------------------------------------------


def merge_refs(first: PostRef, second: PostRef) -> PostRef:
    """One ref from two of the same post: `first` wins, `second` fills what it lacks."""
    aliases = tuple(dict.fromkeys(first.aliases + second.aliases + (second.url,)))
    return replace(
        first,
        title=first.title or second.title,
        date=first.date or second.date,
        authors=first.authors or second.authors,
        categories=first.categories if first.categories is not None else second.categories,
        tags=first.tags if first.tags is not None else second.tags,
        html=first.html if first.html is not None else second.html,
        aliases=tuple(a for a in aliases if url_key(a) != url_key(first.url)),
        protected=first.protected or second.protected,
    )


def dedupe_refs(refs: Iterable[PostRef]) -> list[PostRef]:
    """Refs with one entry per post, in first-seen order; aliases (`?p=123`) join their post."""
    refs = list(refs)
    canonical: dict[str, str] = {}
    for ref in refs:
        for alias in ref.aliases:
            canonical.setdefault(url_key(alias), url_key(ref.url))
    merged: dict[str, PostRef] = {}
    for ref in refs:
        own = url_key(ref.url)
        key = canonical.get(own, own)
        if key not in merged:
            merged[key] = ref
        elif own == key and url_key(merged[key].url) != key:
            merged[key] = merge_refs(ref, merged[key])  # the permalink leads, not a shortlink
        else:
            merged[key] = merge_refs(merged[key], ref)
    return list(merged.values())


def _term_keys(terms: Iterable[str]) -> set[str]:
    return {key for term in terms for key in (term.casefold(), slugify(term)) if key}


def _terms_pass(
    terms: Sequence[str] | None, wanted: AbstractSet[str] | None, unwanted: AbstractSet[str]
) -> bool:
    if terms is None:
        return True
    have = _term_keys(terms)
    if wanted is not None and not have & _term_keys(wanted):
        return False
    return not have & _term_keys(unwanted)


class Dated(Protocol):
    """What the filters read: a `PostRef`, or a `Post` once its page has been read."""

    @property
    def date(self) -> dt.datetime | None: ...
    @property
    def categories(self) -> Sequence[str] | None: ...
    @property
    def tags(self) -> Sequence[str] | None: ...


Item = TypeVar("Item", bound=Dated)


def filter_refs(
    refs: Iterable[Item],
    since: dt.date | None = None,
    until: dt.date | None = None,
    categories: AbstractSet[str] | None = None,
    exclude_categories: AbstractSet[str] = frozenset(),
    tags: AbstractSet[str] | None = None,
    exclude_tags: AbstractSet[str] = frozenset(),
    max_posts: int | None = None,
) -> list[Item]:
    """The refs (or posts) that pass every filter, in their given order.

    `since` and `until` are inclusive days, in each post's own time zone. Terms match by name or
    slug, ignoring case. A ref whose date or terms are unknown passes: filter the posts again
    once their pages are read. `max_posts` keeps the newest that many (undated ones count as
    oldest).
    """
    kept = []
    for ref in refs:
        day = ref.date.date() if ref.date else None
        if day and ((since and day < since) or (until and day > until)):
            continue
        if not _terms_pass(ref.categories, categories, exclude_categories):
            continue
        if not _terms_pass(ref.tags, tags, exclude_tags):
            continue
        kept.append(ref)
    if max_posts is None or len(kept) <= max_posts:
        return kept
    newest = sorted(range(len(kept)), key=lambda i: _age_key(kept[i].date), reverse=True)
    chosen = set(newest[:max_posts])
    return [ref for i, ref in enumerate(kept) if i in chosen]


def _age_key(date: dt.datetime | None) -> float:
    if date is None:
        return float("-inf")
    if date.tzinfo is None:
        date = date.replace(tzinfo=dt.UTC)
    return date.timestamp()
