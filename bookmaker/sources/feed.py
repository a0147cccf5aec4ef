"""Feeds: RSS 2.0, RSS 1.0 and Atom, followed page by page.

Pagination: an RFC 5005 `<link rel="next">` when the feed has one; otherwise, for a feed that
WordPress generated, `?paged=2`, `?paged=3`... until WordPress answers 404. Both stop at a page
seen before, a page with no new post, or `max_pages`.

A feed's body counts as the post's full HTML only when it is RSS `content:encoded` or Atom
`<content>` and does not look cut short; RSS `<description>` and Atom `<summary>` are excerpts
often enough (Hugo's default feed cuts at 70 words without a mark) that they never do.
"""

from __future__ import annotations

import copy
import datetime as dt
import email.utils
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

from lxml import etree

from bookmaker.errors import SourceError
from bookmaker.extract.metadata import parse_date
from bookmaker.fetch import Fetcher, FetchError
from bookmaker.log import warn
from bookmaker.model import Page
from bookmaker.sources.refs import (
    PostRef,
    absolute,
    aliases,
    clean_url,
    local_name,
    naming,
    parse_xml,
    plain_text,
    untitled,
    url_key,
    with_query,
    xml_child,
    xml_children,
    xml_text,
)

log = logging.getLogger(__name__)

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5"
)
MAX_FEED_PAGES = 200

_CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
_ATOM_NS = "http://www.w3.org/2005/Atom"
_RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
# Marks of an excerpt: WordPress's "[…]", a trailing ellipsis, a "Read more" link.
_CUT_SHORT = re.compile(r"(\[(…|\.\.\.)\]|…|\.\.\.|read more|continue reading\W*)\s*$", re.I)
_PROTECTED_FORM = re.compile(r"post-password-form|name=[\"']post_password[\"']")


@dataclass(frozen=True)
class FeedPage:
    """One page of a feed: its posts, where the next page is, and whether WordPress made it."""

    refs: tuple[PostRef, ...]
    next_url: str | None
    wordpress: bool


def read_feed(
    fetcher: Fetcher, url: str, *, first: Page | None = None, max_pages: int = MAX_FEED_PAGES
) -> list[PostRef]:
    """Every post the feed at `url` lists, across its pages, newest first as the feed has them.

    A SourceError when the first page cannot be fetched or is not a feed.
    """
    page: Page | None = first or _fetch_first(fetcher, url)
    refs: list[PostRef] = []
    seen_posts: set[str] = set()
    seen_pages = {url_key(url)}
    while page is not None:
        feed = parse_feed(page.content, page.final_url)
        new = [ref for ref in feed.refs if url_key(ref.url) not in seen_posts]
        refs.extend(new)
        seen_posts.update(url_key(ref.url) for ref in new)
        wordpress_next = with_query(url, paged=len(seen_pages) + 1) if feed.wordpress else None
        next_url = feed.next_url or wordpress_next
        if not new or not next_url or url_key(next_url) in seen_pages:
            break
        if len(seen_pages) >= max_pages:
            warn(log, "source.too_many", "%s: stopped after %d feed pages", url, max_pages)
            break
        seen_pages.add(url_key(next_url))
        page = _fetch_next(fetcher, next_url)
    log.debug("%s: %d posts in %d feed pages", url, len(refs), len(seen_pages))
    return refs


def read_feed_page(fetcher: Fetcher, url: str) -> FeedPage:
    """The first page of the feed at `url` only."""
    page = _fetch_first(fetcher, url)
    return parse_feed(page.content, page.final_url)


def _fetch_first(fetcher: Fetcher, url: str) -> Page:
    try:
        return fetcher.get(url, accept=FEED_ACCEPT)
    except FetchError as exc:
        raise SourceError(naming(url, exc.message)) from None


def _fetch_next(fetcher: Fetcher, url: str) -> Page | None:
    # Past the last page WordPress answers 404: the normal end of a paged feed.
    try:
        return fetcher.get(url, accept=FEED_ACCEPT)
    except FetchError as exc:
        log.debug("%s: %s; taking it as the end of the feed", url, exc.message)
        return None


def parse_feed(content: bytes, url: str) -> FeedPage:
    """The posts on one feed page. Broken XML is read as far as it goes, as browsers do."""
    root = parse_xml(content, url, "feed", recover=True)
    kind = local_name(root)
    if kind == "feed":
        entries = xml_children(root, "entry")
        refs = [_atom_ref(entry, url) for entry in entries]
        channel = root
    elif kind in ("rss", "RDF"):
        channel = xml_child(root, "channel")
        items = xml_children(channel, "item") if channel is not None else []
        refs = [_rss_ref(item, url) for item in items + xml_children(root, "item")]
        channel = channel if channel is not None else root
    else:
        raise SourceError(f"{url}: not a feed (the document is <{kind}>, not RSS or Atom)")
    generator = xml_text(xml_child(channel, "generator")) + " " + _attr(channel, "generator", "uri")
    return FeedPage(
        refs=tuple(ref for ref in refs if ref is not None),
        next_url=_next_link(channel, url),
        wordpress="wordpress.org" in generator.lower(),
    )


# --- RSS -----------------------------------------------------------------------------------


def _rss_ref(item: etree._Element, feed_url: str) -> PostRef | None:
    guid = xml_child(item, "guid")
    guid_text = xml_text(guid)
    link = xml_text(xml_child(item, "link")) or item.get(f"{{{_RDF_NS}}}about", "")
    if not link and guid is not None and guid.get("isPermaLink", "true") != "false":
        link = guid_text
    if not link:
        return None
    url = clean_url(absolute(feed_url, link))
    if not url:
        return None
    date = _date(xml_text(xml_child(item, "pubDate")) or xml_text(xml_child(item, "date")))
    body, protected = _full_body(xml_text(xml_child(item, "encoded", _CONTENT_NS)))
    title = plain_text(xml_text(xml_child(item, "title")))
    if protected:
        title = title.removeprefix("Protected: ")
    return PostRef(
        url=url,
        title=title or untitled(date),
        date=date,
        authors=_names(
            [xml_text(el) for el in xml_children(item, "creator")] or [_rss_author(item)]
        ),
        # WordPress lists categories and tags alike as <category>: which is which is unknown.
        categories=_names(xml_text(el) for el in xml_children(item, "category")),
        html=body,
        aliases=aliases(url, guid_text),
        protected=protected,
        source="feed",
    )


def _rss_author(item: etree._Element) -> str:
    # RSS 2.0 <author> is "email (Name)"; keep the name.
    text = xml_text(xml_child(item, "author"))
    match = re.search(r"\(([^)]+)\)", text)
    return match.group(1) if match else ("" if "@" in text else text)


# --- Atom ----------------------------------------------------------------------------------


def _atom_ref(entry: etree._Element, feed_url: str) -> PostRef | None:
    base = entry.base or feed_url
    links = [el for el in xml_children(entry, "link") if el.get("rel", "alternate") == "alternate"]
    html_links = [el for el in links if "html" in el.get("type", "text/html")]
    link = (html_links or links or [None])[0]
    if link is None or not link.get("href"):
        return None
    url = clean_url(absolute(base, link.get("href")))
    if not url:
        return None
    date = _date(
        xml_text(xml_child(entry, "published"))
        or xml_text(xml_child(entry, "issued"))
        or xml_text(xml_child(entry, "updated"))
    )
    body, protected = _full_body(_atom_html(xml_child(entry, "content")))
    title = plain_text(_atom_html(xml_child(entry, "title")))
    return PostRef(
        url=url,
        title=title or untitled(date),
        date=date,
        authors=_names(xml_text(xml_child(a, "name")) for a in xml_children(entry, "author")),
        categories=_names(
            el.get("label") or el.get("term") or "" for el in xml_children(entry, "category")
        ),
        html=body,
        aliases=aliases(url, xml_text(xml_child(entry, "id"))),
        protected=protected,
        source="feed",
    )


def _atom_html(element: etree._Element | None) -> str:
    """An Atom text construct as HTML (RFC 4287 section 3.1)."""
    if element is None:
        return ""
    kind = element.get("type", "text")
    if kind == "xhtml":
        div = next(iter(element), None)
        if div is None:
            return ""
        div = copy.deepcopy(div)
        for node in div.iter(tag=etree.Element):
            node.tag = etree.QName(node).localname  # XHTML as plain HTML: no xmlns on each tag
        etree.cleanup_namespaces(div)
        inner = [etree.tostring(child, encoding="unicode") for child in div]
        return (div.text or "") + "".join(inner)
    if kind in ("html", "text/html"):
        return element.text or ""
    if kind in ("text", "text/plain"):
        text = (element.text or "").strip()
        return escape(text, quote=False)
    return ""  # a media type other than text: nothing a book can show


# --- Shared --------------------------------------------------------------------------------


def _full_body(markup: str) -> tuple[str | None, bool]:
    """(the body if it is the full post, whether it is password-protected)."""
    if not markup.strip():
        return None, False
    if _PROTECTED_FORM.search(markup):
        return None, True
    # Only the end counts: a full post may quote excerpts of others (a "latest posts" block).
    tail = markup.rstrip()[-400:]
    if "more-link" in tail or _CUT_SHORT.search(plain_text(tail)):
        return None, False
    return markup, False


def _next_link(channel: etree._Element, url: str) -> str | None:
    for link in xml_children(channel, "link"):
        if etree.QName(link).namespace in (_ATOM_NS, None) and link.get("rel") == "next":
            href = absolute(str(channel.base or url), link.get("href"))
            if href:
                return href
    return None


def _date(text: str) -> dt.datetime | None:
    if not text:
        return None
    try:
        return email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return parse_date(text)


def _names(values: Iterable[str]) -> tuple[str, ...]:
    names = (" ".join(value.split()) for value in values)
    return tuple(dict.fromkeys(name for name in names if name))


def _attr(element: etree._Element, child: str, name: str) -> str:
    found = xml_child(element, child)
    return found.get(name, "") if found is not None else ""
