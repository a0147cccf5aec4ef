"""A blog on the web: from any address of it to the list of its posts.

`find_posts(fetcher, url)` fetches `url`, tells what it is, and reads it:

| what `url` is                              | read with                                   |
| ------------------------------------------ | ------------------------------------------- |
| RSS or Atom feed                           | `feed.read_feed`, all pages                 |
| sitemap or sitemap index (gzipped or not)  | `sitemap.read_sitemaps`                     |
| WordPress REST API (root, posts, one post) | `wordpress.read_rest_api`                   |
| WordPress export (WXR), on the web or disk | `wordpress.parse_wxr`                       |
| category, tag, author or date archive      | `archive.read_archive`, all pages           |
| a single post                              | that post (from the REST API if WordPress)  |
| a home page (anything else)                | the most complete source it leads to        |

From a home page: the REST API (announced by a `Link: <…>; rel="https://api.w.org/"` header or
`<link rel="https://api.w.org/">`) when it answers, since it lists every post whole; else the
larger of the feed (all pages) and the sitemaps, each filling in what the other lacks; archive
pages when neither lists a post.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html

from bookmaker.errors import SourceError
from bookmaker.fetch import Fetcher, FetchError
from bookmaker.model import Page
from bookmaker.sources import archive, feed, sitemap, wordpress
from bookmaker.sources.refs import (
    PostRef,
    absolute,
    clean_url,
    dedupe_refs,
    filter_refs,
    merge_refs,
    naming,
    non_post_kind,
    url_key,
)

__all__ = ["PostRef", "classify", "filter_refs", "find_posts"]

log = logging.getLogger(__name__)

ANY_ACCEPT = "text/html, application/xhtml+xml, application/xml;q=0.9, */*;q=0.8"
SOURCE_NAMES = {
    "rest": "the WordPress REST API",
    "wxr": "the WordPress export",
    "feed": "the feed",
    "sitemap": "the sitemap",
    "archive": "the archive pages",
    "post": "the post's page",
}
_ARCHIVE_KINDS = {"category", "tag", "author", "search", "archive", "date archive", "pagination"}
_FEED_TYPES = ("application/rss+xml", "application/atom+xml")
_API_REL = "https://api.w.org/"
_XML_ROOT = re.compile(rb"<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)[\s/>]")
_XML_PROLOG = re.compile(rb"^\s*(<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>|\s)*", re.S)


def find_posts(fetcher: Fetcher, url: str) -> list[PostRef]:
    """The posts `url` leads to, one ref per post; a SourceError if none or unreadable."""
    if not url.startswith(("http://", "https://")):
        return _local_export(url)
    try:
        page = fetcher.get(url, accept=ANY_ACCEPT)
    except FetchError as exc:
        raise SourceError(naming(url, exc.message)) from None
    kind = classify(page)
    log.debug("%s: read as %s", url, kind)
    if kind == "home":
        return _read_home(fetcher, page, url)
    refs = dedupe_refs(_READERS[kind](fetcher, page))
    if not refs:
        raise SourceError(f"{url}: no posts found in {SOURCE_NAMES[kind]}")
    log.info("Found %s via %s", _posts(len(refs)), SOURCE_NAMES[kind])
    return refs


def _local_export(path_text: str) -> list[PostRef]:
    path = Path(path_text)
    if not path.is_file():
        raise SourceError(f"{path_text}: neither a web address (http:// or https://) nor a file")
    refs = wordpress.read_wxr_file(path)
    if not refs:
        raise SourceError(f"{path_text}: no published posts in this WordPress export")
    log.info("Found %s via %s", _posts(len(refs)), SOURCE_NAMES["wxr"])
    return refs


# --- What a page is ------------------------------------------------------------------------


def classify(page: Page) -> str:
    """rest, wxr, feed, sitemap, home, archive or post: what the fetched `page` is."""
    head = page.content[:8192].removeprefix(b"\xef\xbb\xbf")
    content_type = page.content_type.lower()
    if head[:2] == b"\x1f\x8b":
        return "sitemap"
    if "json" in content_type or head.lstrip()[:1] in (b"{", b"["):
        return "rest"
    if wordpress.is_wxr(head):
        return "wxr"
    root = _xml_root(head)
    if root in ("rss", "feed", "RDF"):
        return "feed"
    if root in ("urlset", "sitemapindex"):
        return "sitemap"
    if content_type.startswith("text/plain") and head.lstrip().startswith(b"http"):
        return "sitemap"
    return _classify_html(page)


def _xml_root(head: bytes) -> str:
    prolog = _XML_PROLOG.match(head)
    match = _XML_ROOT.match(head, prolog.end() if prolog else 0)
    return match.group(2).decode("ascii") if match else ""


def _classify_html(page: Page) -> str:
    kind = non_post_kind(page.final_url)
    if kind == "home":
        return "home"
    if kind in _ARCHIVE_KINDS:
        return "archive"
    return "post" if _is_single_post(archive.parse_html(page)) else "home"


def _is_single_post(doc: lxml.html.HtmlElement) -> bool:
    body_classes = set(" ".join(doc.xpath("//body/@class")).split())
    if body_classes & {"single", "single-post"}:
        return True
    if _rest_post_link(doc):
        return True
    return bool(doc.xpath("//meta[@property='og:type'][@content='article']"))


def _rest_post_link(doc: lxml.html.HtmlElement) -> str | None:
    # WordPress announces a single post's own REST record; archives and pages have none of it.
    for href in doc.xpath("//link[@rel='alternate'][@type='application/json']/@href"):
        if re.search(r"/wp/v2/posts/\d+/?$", href):
            return str(href)
    return None


# --- Readers for each kind -----------------------------------------------------------------


def _read_feed(fetcher: Fetcher, page: Page) -> list[PostRef]:
    return feed.read_feed(fetcher, page.url, first=page)


def _read_sitemap(fetcher: Fetcher, page: Page) -> list[PostRef]:
    return sitemap.read_sitemaps(fetcher, [page.url], first=page)


def _read_wxr(fetcher: Fetcher, page: Page) -> list[PostRef]:
    return wordpress.parse_wxr(page.content, page.final_url)


def _read_archive(fetcher: Fetcher, page: Page) -> list[PostRef]:
    return archive.read_archive(fetcher, page.url, first=page)


def _read_rest(fetcher: Fetcher, page: Page) -> list[PostRef]:
    data = wordpress.parse_json(page)
    if isinstance(data, dict) and "link" in data:
        ref = wordpress.rest_post(data)
        return [ref] if ref else []
    root = wordpress.api_root_of(page.final_url)
    if isinstance(data, dict) and "routes" in data and root:
        return wordpress.read_rest_api(fetcher, wordpress.posts_endpoint(root))
    if isinstance(data, list):
        return wordpress.read_rest_api(fetcher, page.url)
    raise SourceError(f"{page.url}: not a WordPress REST API address (try …/wp-json/)")


def _read_post(fetcher: Fetcher, page: Page) -> list[PostRef]:
    doc = archive.parse_html(page)
    rest_url = _rest_post_link(doc)
    if rest_url:
        try:
            ref = wordpress.read_rest_post(fetcher, rest_url)
        except SourceError as exc:
            log.debug("%s: %s; reading the page instead", rest_url, exc.message)
        else:
            if ref:
                return [ref]
    canonical = doc.xpath("//link[@rel='canonical']/@href")
    url = (absolute(page.final_url, canonical[0]) if canonical else "") or page.final_url
    titles = doc.xpath("//meta[@property='og:title']/@content") or doc.xpath("//title/text()")
    title = " ".join(titles[0].split()) if titles else ""
    return [PostRef(url=clean_url(url), title=title or None, source="post")]


_READERS: dict[str, Callable[[Fetcher, Page], list[PostRef]]] = {
    "feed": _read_feed,
    "sitemap": _read_sitemap,
    "wxr": _read_wxr,
    "archive": _read_archive,
    "rest": _read_rest,
    "post": _read_post,
}


# --- A home page: every source it leads to -------------------------------------------------


def _read_home(fetcher: Fetcher, page: Page, url: str) -> list[PostRef]:
    found = _gather(fetcher, page, url)
    counts = {kind: len(dedupe_refs(refs)) for kind, refs in found.items()}
    # Most posts wins; on a tie, the source that carries more (SOURCE_NAMES is in that order).
    best = max(found, key=lambda kind: (counts[kind], -list(SOURCE_NAMES).index(kind)))
    if not counts[best]:
        raise SourceError(f"{url}: no posts found (tried feed, sitemap, REST API, archive pages)")
    others = ", ".join(
        f"{SOURCE_NAMES[kind].removeprefix('the ')} lists {n}"
        for kind, n in counts.items()
        if kind != best and n
    )
    suffix = f" ({others})" if others else ""
    log.info("Found %s via %s%s", _posts(counts[best]), SOURCE_NAMES[best], suffix)
    extra = [ref for kind, refs in found.items() if kind != best for ref in refs]
    return enrich(dedupe_refs(found[best]), extra)


def _gather(fetcher: Fetcher, page: Page, url: str) -> dict[str, list[PostRef]]:
    """The posts each source a home page leads to lists, read only as far as needed."""
    doc = archive.parse_html(page)
    api = rest_api_root(page, doc)
    feeds = feed_links(doc, page.final_url)
    found: dict[str, list[PostRef]] = {}
    if api:
        endpoint = wordpress.posts_endpoint(api)
        found["rest"] = _attempt(lambda: wordpress.read_rest_api(fetcher, endpoint))
    if found.get("rest"):
        # The API lists every post; the feed's first page only serves the report.
        found["feed"] = _attempt(lambda: _first_feed_page(fetcher, feeds))
        return found
    found["feed"] = _attempt(lambda: _first_readable_feed(fetcher, feeds))
    found["sitemap"] = _attempt(lambda: _site_sitemaps(fetcher, page.final_url))
    if not found["feed"] and not found["sitemap"]:
        found["archive"] = _attempt(lambda: archive.read_archive(fetcher, url, first=page))
    return found


def _posts(count: int) -> str:
    return f"{count} post" if count == 1 else f"{count} posts"


def _attempt(read: Callable[[], list[PostRef]]) -> list[PostRef]:
    # From a home page each source is a guess: one that is missing or broken is passed over.
    try:
        return read()
    except SourceError as exc:
        log.debug("%s", exc.message)
        return []


def _first_feed_page(fetcher: Fetcher, feeds: list[str]) -> list[PostRef]:
    for url in feeds:
        return list(feed.read_feed_page(fetcher, url).refs)
    return []


def _first_readable_feed(fetcher: Fetcher, feeds: list[str]) -> list[PostRef]:
    for url in feeds:
        try:
            refs = feed.read_feed(fetcher, url)
        except SourceError as exc:
            log.debug("%s", exc.message)
            continue
        if refs:
            return refs
    return []


def _site_sitemaps(fetcher: Fetcher, home: str) -> list[PostRef]:
    urls = sitemap.find_site_sitemaps(fetcher, home)
    refs = sitemap.read_sitemaps(fetcher, urls) if urls else []
    # A blog under /blog/ of a larger site keeps to its own part of the site's sitemap.
    path = urlsplit(home).path
    prefix = path[: path.rfind("/") + 1] or "/"
    return [ref for ref in refs if urlsplit(ref.url).path.startswith(prefix)]


def rest_api_root(page: Page, doc: lxml.html.HtmlElement) -> str | None:
    """The WordPress REST API root the page announces, in its Link header or its <head>."""
    for part in (page.header("Link") or "").split(","):
        match = re.match(r'\s*<([^>]+)>\s*;.*rel="?' + re.escape(_API_REL), part)
        if match:
            return absolute(page.final_url, match.group(1)) or None
    for href in doc.xpath("//link[@rel=$rel]/@href", rel=_API_REL):
        return absolute(page.final_url, href) or None
    return None


def feed_links(doc: lxml.html.HtmlElement, page_url: str) -> list[str]:
    """The page's post feeds (`<link rel="alternate">`), comment feeds left out."""
    found = []
    for link in doc.xpath("//link[@href][contains(concat(' ', @rel, ' '), ' alternate ')]"):
        if link.get("type", "").lower() not in _FEED_TYPES:
            continue
        url = absolute(page_url, link.get("href"))
        if not url:
            continue
        if "comments" in link.get("title", "").lower() or "/comments/" in url:
            continue
        found.append(url)
    return list(dict.fromkeys(found))


def enrich(refs: list[PostRef], others: list[PostRef]) -> list[PostRef]:
    """`refs` with what `others` know of the same posts filled in; no post added."""
    by_key: dict[str, PostRef] = {}
    for other in dedupe_refs(others):
        for address in (other.url, *other.aliases):
            by_key.setdefault(url_key(address), other)
    enriched = []
    for ref in refs:
        match = next(
            (by_key[k] for k in map(url_key, (ref.url, *ref.aliases)) if k in by_key), None
        )
        enriched.append(merge_refs(ref, match) if match else ref)
    return enriched
