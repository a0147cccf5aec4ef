"""Listing pages: a blog's home, category, tag, author or date archive, read page by page.

A listing shows posts as titled entries: links in the headings of `<article>` or `.hentry`
blocks, or links marked `rel="bookmark"` (WordPress, microformats). The next page is a
`rel="next"` link, a `.next` pagination link, WordPress's "Older posts" (`.nav-previous`), or a
link to `/page/N+1/`. Reading stops at a page seen before, a page with no new post, or
`max_pages`.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from bookmaker.errors import SourceError
from bookmaker.fetch import Fetcher, FetchError
from bookmaker.model import Page
from bookmaker.sources.refs import PostRef, absolute, clean_url, non_post_kind, url_key

log = logging.getLogger(__name__)

MAX_ARCHIVE_PAGES = 100
HTML_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"

_ENTRY = (
    "//article | //*[contains(concat(' ', normalize-space(@class), ' '), ' hentry ')]"
    " | //*[contains(concat(' ', normalize-space(@class), ' '), ' h-entry ')]"
    " | //*[contains(concat(' ', normalize-space(@class), ' '), ' wp-block-post ')]"
)
_HEADING_LINKS = ".//*[self::h1 or self::h2 or self::h3 or self::h4]//a[@href]"
_TITLE_LINKS = (
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' entry-title ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' post-title ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' wp-block-post-title ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' p-name ')]//a[@href]"
    " | //a[@href][contains(concat(' ', normalize-space(@rel), ' '), ' bookmark ')]"
)
# An entry without a linked title (WordPress asides and status updates) links to its post from
# a "Continue reading" link, a `.more-link`, or its date.
_LOWER = "translate(normalize-space(.), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
_ENTRY_LINKS = (
    ".//a[@href][contains(concat(' ', normalize-space(@class), ' '), ' more-link ') or .//time"
    f" or contains({_LOWER}, 'continue reading') or contains({_LOWER}, 'read more')]"
)
_NEXT_LINKS = (
    "//link[@href][contains(concat(' ', normalize-space(@rel), ' '), ' next ')]"
    " | //a[@href][contains(concat(' ', normalize-space(@rel), ' '), ' next ')]"
    " | //a[@href][contains(concat(' ', normalize-space(@class), ' '), ' next ')]"
    " | //*[contains(concat(' ', normalize-space(@class), ' '), ' nav-previous ')]//a[@href]"
    " | //a[@href][contains(@class, 'wp-block-query-pagination-next')]"
)
_PAGE_NUMBER = re.compile(r"/page/(\d+)/?$")


def read_archive(
    fetcher: Fetcher, url: str, *, first: Page | None = None, max_pages: int = MAX_ARCHIVE_PAGES
) -> list[PostRef]:
    """The posts listed on the listing page at `url` and the pages after it."""
    refs: dict[str, PostRef] = {}
    seen_pages: set[str] = set()
    page_url: str | None = url
    while page_url and len(seen_pages) < max_pages:
        seen_pages.add(url_key(page_url))
        page = first if first is not None and len(seen_pages) == 1 else _fetch(fetcher, page_url)
        if page is None:
            break
        doc = parse_html(page)
        new = [ref for ref in listed_posts(doc, page.final_url) if url_key(ref.url) not in refs]
        if not new:
            break
        refs.update((url_key(ref.url), ref) for ref in new)
        page_url = next_page(doc, page.final_url)
        if page_url and url_key(page_url) in seen_pages:
            break
    log.debug("%s: %d posts on %d listing pages", url, len(refs), len(seen_pages))
    return list(refs.values())


def _fetch(fetcher: Fetcher, url: str) -> Page | None:
    try:
        return fetcher.get(url, accept=HTML_ACCEPT)
    except FetchError as exc:
        log.debug("%s: %s; taking it as the last listing page", url, exc.message)
        return None


def parse_html(page: Page) -> lxml.html.HtmlElement:
    """The page as an lxml document; a SourceError naming the page when it is not HTML."""
    try:
        return lxml.html.document_fromstring(page.content, base_url=page.final_url)
    except (etree.ParserError, ValueError) as exc:
        raise SourceError(f"{page.final_url}: not a readable HTML page ({exc})") from None


def listed_posts(doc: lxml.html.HtmlElement, page_url: str) -> list[PostRef]:
    """The posts a listing page links to, in page order, with the link text as title."""
    base = _base(doc, page_url)
    entry_links = []
    for entry in doc.xpath(_ENTRY):
        entry_links += entry.xpath(_HEADING_LINKS) or entry.xpath(_ENTRY_LINKS)
    chosen = set(entry_links + doc.xpath(_TITLE_LINKS))
    found: dict[str, PostRef] = {}
    for link in doc.iter("a"):
        if link not in chosen:
            continue
        url = clean_url(absolute(base, link.get("href")))
        key = url_key(url)
        if not _is_post_link(url, page_url) or (key in found and found[key].title):
            continue
        in_heading = bool(link.xpath("ancestor::*[self::h1 or self::h2 or self::h3 or self::h4]"))
        title = " ".join(link.text_content().split()) if in_heading else ""
        if key not in found or title:
            found[key] = PostRef(url=url, title=title or None, source="archive")
    return list(found.values())


def _is_post_link(url: str, page_url: str) -> bool:
    if urlsplit(url).scheme not in ("http", "https") or non_post_kind(url):
        return False
    same_site = _host(url) == _host(page_url)
    return same_site and url_key(url) != url_key(page_url)


def _host(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


def next_page(doc: lxml.html.HtmlElement, page_url: str) -> str | None:
    """The URL of the listing's next (older) page, if the page links to one."""
    base = _base(doc, page_url)
    hrefs = [absolute(base, el.get("href")) for el in doc.xpath(_NEXT_LINKS)]
    hrefs += [absolute(base, a.get("href")) for a in doc.iter("a") if _is_page_after(a, base)]
    for href in hrefs:
        # absolute() gave "" for what is not an address.
        if href and _host(href) == _host(page_url) and url_key(href) != url_key(page_url):
            return clean_url(href)
    return None


def _is_page_after(link: lxml.html.HtmlElement, base: str) -> bool:
    """Whether `link` goes to /page/N+1/ of the listing at `base`."""
    match = _PAGE_NUMBER.search(urlsplit(base).path)
    number = int(match.group(1)) if match else 1
    root = urlsplit(base).path[: match.start()] if match else urlsplit(base).path.rstrip("/")
    target = urlsplit(absolute(base, link.get("href"))).path
    return target.rstrip("/") == f"{root}/page/{number + 1}"


def _base(doc: lxml.html.HtmlElement, page_url: str) -> str:
    found = doc.xpath("//base/@href")
    return (absolute(page_url, found[0]) if found else "") or page_url
