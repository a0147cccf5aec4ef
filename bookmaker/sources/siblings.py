"""Other pages of the same blog as a given page, to learn the blog's template from.

`bookmaker extract --explain` has one page; the template needs a few more. For a web page they
are its previous and next posts (`rel=prev`/`rel=next`), then the newest posts of the blog's feed,
then the posts the page links to on its own site, fetched through the cache. For a saved page
they are the other saved pages in its folder.
"""

from __future__ import annotations

import logging
from pathlib import Path

import lxml.html

from bookmaker.errors import SourceError
from bookmaker.extract.article import ExtractionError, parse_page
from bookmaker.fetch import Fetcher, FetchError
from bookmaker.model import Page
from bookmaker.sources import feed
from bookmaker.sources.archive import listed_posts
from bookmaker.sources.html import HTML_SUFFIXES, saved_from_url
from bookmaker.sources.refs import absolute, clean_url, non_post_kind, url_key
from bookmaker.sources.web import feed_links

log = logging.getLogger(__name__)

MAX_SIBLINGS = 5  # with the page itself, enough to tell a template (3 pages) with room to spare
_PREV_NEXT = (
    "//link[@href][contains(concat(' ', normalize-space(@rel), ' '), ' prev ')"
    " or contains(concat(' ', normalize-space(@rel), ' '), ' next ')]/@href"
    " | //a[@href][contains(concat(' ', normalize-space(@rel), ' '), ' prev ')"
    " or contains(concat(' ', normalize-space(@rel), ' '), ' next ')]/@href"
)


def sibling_pages(
    fetcher: Fetcher, page: Page, doc: lxml.html.HtmlElement, limit: int = MAX_SIBLINGS
) -> list[Page]:
    """Up to `limit` other post pages of the blog `page` belongs to; [] when none can be had."""
    own = {url_key(page.url), url_key(page.final_url)}
    own.update(
        url_key(absolute(page.final_url, c)) for c in doc.xpath("//link[@rel='canonical']/@href")
    )
    found: list[Page] = []
    tried: set[str] = set(own)
    for source in (_prev_next, _from_feed, _linked_posts):
        for url in source(fetcher, doc, page.final_url):
            if len(found) >= limit:
                return found
            key = url_key(url)
            if key in tried:
                continue
            tried.add(key)
            sibling = _fetch(fetcher, url)
            if sibling is not None:
                found.append(sibling)
    return found


def _prev_next(fetcher: Fetcher, doc: lxml.html.HtmlElement, base: str) -> list[str]:
    return [_same_site(base, href) for href in doc.xpath(_PREV_NEXT) if _same_site(base, href)]


def _from_feed(fetcher: Fetcher, doc: lxml.html.HtmlElement, base: str) -> list[str]:
    for url in feed_links(doc, base):
        try:
            return [ref.url for ref in feed.read_feed_page(fetcher, url).refs]
        except (SourceError, FetchError) as exc:
            log.debug("%s: %s", url, exc)
    return []


def _linked_posts(fetcher: Fetcher, doc: lxml.html.HtmlElement, base: str) -> list[str]:
    return [ref.url for ref in listed_posts(doc, base)]


def _same_site(base: str, href: str) -> str:
    url = clean_url(absolute(base, href))
    same = url_key(url).split("/", 1)[0] == url_key(base).split("/", 1)[0]
    return (
        url if same and url.startswith(("http://", "https://")) and not non_post_kind(url) else ""
    )


def _fetch(fetcher: Fetcher, url: str) -> Page | None:
    try:
        page = fetcher.get(url, reuse=True)
    except FetchError as exc:
        log.debug("sibling page %s: %s", url, exc.message)
        return None
    return page if "html" in page.content_type or not page.content_type else None


def sibling_files(path: Path, limit: int = MAX_SIBLINGS) -> list[Path]:
    """Up to `limit` other saved pages in the folder of `path`, of the same blog when known.

    A page's blog is the host its browser noted when saving it, else its canonical address.
    """
    site = saved_site(path)
    others: list[Path] = []
    for other in sorted(path.parent.iterdir()):
        if len(others) >= limit:
            break
        if other == path or other.suffix.lower() not in HTML_SUFFIXES or not other.is_file():
            continue
        if saved_site(other) == site:
            others.append(other)
    return others


def saved_site(path: Path) -> str:
    """The host of the blog a saved page came from; "" when the page does not say."""
    try:
        data = path.read_bytes()
    except OSError:
        return ""
    address = saved_from_url(data)
    if not address:
        try:
            doc = parse_page(data)
        except ExtractionError:
            return ""
        found = doc.xpath("//link[@rel='canonical']/@href | //meta[@property='og:url']/@content")
        address = str(found[0]) if found else ""
    return url_key(address).split("/", 1)[0] if "//" in address else ""
