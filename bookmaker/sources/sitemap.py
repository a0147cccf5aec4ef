"""Sitemaps: the sitemaps.org protocol, nested indexes, gzip, and robots.txt `Sitemap:` lines.

A sitemap lists every page of a site, not just posts. Two filters keep the posts:
- in an index that names a post sitemap (WordPress `wp-sitemap-posts-post-1.xml`, Yoast and Rank
  Math `post-sitemap.xml`, Ghost `sitemap-posts.xml`) only those count; otherwise sitemaps named
  for pages, taxonomies, users, images or videos are skipped;
- every URL that is surely not a post (home, category, tag, author, date archive, feed, file)
  is left out.
"""

from __future__ import annotations

import logging
import re
import zlib
from collections import deque
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from bookmaker.errors import SourceError
from bookmaker.fetch import Fetcher, FetchError
from bookmaker.log import warn
from bookmaker.model import Page
from bookmaker.sources.refs import (
    PostRef,
    absolute,
    clean_url,
    local_name,
    non_post_kind,
    parse_xml,
    url_key,
    xml_child,
    xml_children,
    xml_text,
)

log = logging.getLogger(__name__)

SITEMAP_ACCEPT = "application/xml, text/xml;q=0.9, */*;q=0.5"
MAX_SITEMAPS = 500
# The protocol caps a sitemap at 50 MB uncompressed; more is a broken or hostile file.
MAX_SITEMAP_BYTES = 50 * 1024 * 1024
WELL_KNOWN_SITEMAPS = ("wp-sitemap.xml", "sitemap.xml", "sitemap_index.xml")

_POST_SITEMAP = re.compile(
    r"(posts-post-\d+|^post-sitemap\d*|^sitemap-posts?(-\d+)?)\.xml(\.gz)?$", re.I
)
_OTHER_SITEMAP = re.compile(
    r"page|categor|tag|taxonom|user|author|attachment|image|video|product|format", re.I
)


@dataclass(frozen=True)
class Sitemap:
    """One sitemap file: either an index of other sitemaps or a list of page URLs."""

    is_index: bool
    locations: tuple[str, ...]


def read_sitemaps(
    fetcher: Fetcher,
    urls: list[str],
    *,
    first: Page | None = None,
    max_sitemaps: int = MAX_SITEMAPS,
) -> list[PostRef]:
    """The post URLs the sitemaps at `urls` (and the sitemaps they index) list.

    The first of `urls` must be readable (a SourceError if not); a nested sitemap that cannot be
    read is a warning, and the others still count.
    """
    queue = deque(urls)
    seen: set[str] = set()
    refs: dict[str, PostRef] = {}
    skipped = 0
    while queue and len(seen) < max_sitemaps:
        url = queue.popleft()
        if url_key(url) in seen:
            continue
        seen.add(url_key(url))
        sitemap = _read_one(fetcher, url, strict=len(seen) == 1, first=first)
        if sitemap is None:
            continue
        if sitemap.is_index:
            queue.extend(post_sitemaps(list(sitemap.locations)))
            continue
        for location in sitemap.locations:
            if non_post_kind(location):
                skipped += 1
            else:
                refs.setdefault(
                    url_key(location), PostRef(url=clean_url(location), source="sitemap")
                )
    log.debug("sitemaps: %d post URLs, %d other URLs left out", len(refs), skipped)
    return list(refs.values())


def _read_one(fetcher: Fetcher, url: str, *, strict: bool, first: Page | None) -> Sitemap | None:
    try:
        page = first if first is not None and strict else fetcher.get(url, accept=SITEMAP_ACCEPT)
        return parse_sitemap(page.content, page.final_url)
    except FetchError as exc:
        if strict:
            raise SourceError(
                exc.message if url in exc.message else f"{url}: {exc.message}"
            ) from None
        warn(log, "source.sitemap_unreadable", "%s: %s; its URLs are left out", url, exc.message)
    except SourceError as exc:
        if strict:
            raise
        warn(log, "source.sitemap_unreadable", "%s; its URLs are left out", exc.message)
    return None


def post_sitemaps(locations: list[str]) -> list[str]:
    """The sitemaps of an index that can hold posts."""
    names = {location: urlsplit(location).path.rsplit("/", 1)[-1] for location in locations}
    posts = [location for location, name in names.items() if _POST_SITEMAP.search(name)]
    if posts:
        return posts
    return [location for location, name in names.items() if not _OTHER_SITEMAP.search(name)]


def parse_sitemap(content: bytes, url: str) -> Sitemap:
    """A sitemap or sitemap index, gzipped or not; a SourceError naming `url` if neither."""
    if content[:2] == b"\x1f\x8b":
        content = _gunzip(content, url)
    if not content.lstrip()[:1] == b"<":
        return _text_sitemap(content, url)
    root = parse_xml(content, url, "sitemap")
    kind = local_name(root)
    if kind not in ("urlset", "sitemapindex"):
        raise SourceError(f"{url}: not a sitemap (the document is <{kind}>)")
    entries = xml_children(root, "sitemap" if kind == "sitemapindex" else "url")
    locations = (xml_text(xml_child(entry, "loc")) for entry in entries)
    found = (absolute(url, location) for location in locations)
    return Sitemap(kind == "sitemapindex", tuple(location for location in found if location))


def _text_sitemap(content: bytes, url: str) -> Sitemap:
    # The protocol's plain-text form: one URL a line.
    lines = content.decode("utf-8", errors="replace").split()
    urls = tuple(line for line in lines if line.startswith(("http://", "https://")))
    if not urls:
        raise SourceError(f"{url}: not a sitemap (neither XML nor a list of URLs)")
    return Sitemap(False, urls)


def _gunzip(content: bytes, url: str) -> bytes:
    inflater = zlib.decompressobj(wbits=31)
    try:
        data = inflater.decompress(content, MAX_SITEMAP_BYTES + 1)
    except zlib.error as exc:
        raise SourceError(f"{url}: not a readable sitemap (bad gzip data: {exc})") from None
    if len(data) > MAX_SITEMAP_BYTES:
        raise SourceError(f"{url}: sitemap larger than 50 MB uncompressed; not read")
    return data


def robots_sitemaps(fetcher: Fetcher, site: str) -> list[str]:
    """The `Sitemap:` lines of the site's robots.txt; [] when there is none."""
    robots = urljoin(site, "/robots.txt")
    try:
        page = fetcher.get(robots, accept="text/plain")
    except FetchError as exc:
        log.debug("%s: %s", robots, exc.message)
        return []
    lines = (line.split("#", 1)[0].strip() for line in page.text().splitlines())
    found = [line.split(":", 1)[1].strip() for line in lines if line.lower().startswith("sitemap:")]
    return [url for url in (absolute(robots, line) for line in found) if url]


def find_site_sitemaps(fetcher: Fetcher, site: str) -> list[str]:
    """Where a site's sitemaps are: robots.txt first, else the first well-known path that is one."""
    listed = robots_sitemaps(fetcher, site)
    if listed:
        return listed
    for name in WELL_KNOWN_SITEMAPS:
        url = urljoin(site, f"/{name}")
        try:
            page = fetcher.get(url, accept=SITEMAP_ACCEPT)
            parse_sitemap(page.content, page.final_url)
        except (FetchError, SourceError) as exc:
            log.debug("%s: no sitemap here (%s)", url, getattr(exc, "message", exc))
            continue
        return [url]
    return []
