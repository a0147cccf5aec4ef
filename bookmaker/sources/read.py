"""Step 1 of a build: every source of the book read into posts.

Local files are loaded directly. Web addresses and WordPress export files go through a web
source (which finds the posts) and `remote.load_refs` (which turns them into posts), sharing one
polite, caching Fetcher. The same post reached twice (two sources, two addresses) counts once.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin

import lxml.etree as etree
import lxml.html

from bookmaker.config import Config, Filters, Source
from bookmaker.errors import SourceError
from bookmaker.extract.overrides import Overrides
from bookmaker.fetch import Fetcher, FetchError, FetchSettings, FetchStats
from bookmaker.log import warn
from bookmaker.matter import leave_out_matter
from bookmaker.model import Post, Skipped
from bookmaker.sources.html import HTML_SUFFIXES, load_html_pages
from bookmaker.sources.local import find_post_files, load_post
from bookmaker.sources.refs import Item, filter_refs, url_key

if TYPE_CHECKING:
    from bookmaker.sources.remote import ReadCounts

log = logging.getLogger(__name__)

WEB_FILE_SUFFIXES = (".xml",)  # WordPress export (WXR) files
_SITE_TITLE_SEPARATOR = re.compile(r"\s+[–—|·:-]\s+")


@dataclass(frozen=True)
class ReadResult:
    posts: tuple[Post, ...]
    skipped: tuple[Skipped, ...]
    fetch: FetchStats | None  # None when nothing came from the web
    site_name: str = ""  # the blog's name, when a web source tells it: a default book title


def read_posts(config: Config) -> ReadResult:
    sources = config.sources or _default_sources(config)
    local = [s for s in sources if not _is_web(s)]
    web = [s for s in sources if _is_web(s)]
    posts: list[Post] = []
    for source in local:
        files = leave_out_matter(find_post_files(Path(source.location)), config)
        log.info("Reading %d post file(s) from %s", len(files), source.location)
        posts += _filtered(_load_files(files, overrides(config, source)), source.filters)
    skipped: list[Skipped] = []
    stats, site = None, ""
    if web:
        web_posts, skipped, stats, site = _read_web(web, config)
        posts += web_posts
    posts = _unique(posts)
    for item in skipped:
        warn(log, item.code, "%s; skipped", item.reason)
    return ReadResult(tuple(posts), tuple(skipped), stats, site)


def overrides(config: Config, source: Source) -> Overrides:
    """The author's extraction rules for `source`: its own on top of [extract] ones."""
    return Overrides(remove=config.extract_remove).combined(
        Overrides(source.content, source.remove)
    )


def _load_files(files: list[Path], rules: Overrides) -> list[Post]:
    """Every file as a post; saved pages together, so their blog's template is learned first."""
    pages = [f for f in files if f.suffix.lower() in HTML_SUFFIXES]
    by_file = dict(zip(pages, load_html_pages(pages, rules), strict=True))
    return [by_file.get(f) or load_post(f) for f in files]


def _default_sources(config: Config) -> tuple[Source, ...]:
    default = config.root / "chapters"
    if default.is_dir():
        return (Source(str(default)),)
    raise SourceError(
        f"{config.root}: nothing to build: give a SOURCE file, folder or web address, "
        "add [[sources]] to book.toml, or put posts in chapters/"
    )


def _is_web(source: Source) -> bool:
    return source.is_url or Path(source.location).suffix.lower() in WEB_FILE_SUFFIXES


def fetch_settings(config: Config) -> FetchSettings:
    f = config.fetch
    return FetchSettings(
        cache_dir=f.cache_dir,
        offline=f.offline,
        ignore_robots=f.ignore_robots,
        refresh=f.refresh,
        per_host_concurrency=f.concurrency,
        delay=f.delay,
        timeout=f.timeout,
        retries=f.retries,
    )


def _read_web(
    sources: list[Source], config: Config
) -> tuple[list[Post], list[Skipped], FetchStats, str]:
    from bookmaker.sources.remote import Tally, load_refs
    from bookmaker.sources.web import find_posts

    if config.fetch.ignore_robots:
        # The author chose this: said plainly, but not a warning that --strict would fail on.
        log.info("Ignoring robots.txt (--ignore-robots): only do this for a blog you own")
    if config.fetch.offline:
        log.info("Offline: answering every request from the cache")
    posts: list[Post] = []
    skipped: list[Skipped] = []
    found = 0
    tally = Tally()
    with Fetcher(fetch_settings(config)) as fetcher:
        for source in sources:
            refs = find_posts(fetcher, source.location)
            kept = passing(refs, source.filters)
            if len(kept) < len(refs):
                log.info("%d of %d posts pass the filters", len(kept), len(refs))
            found += len(kept)
            loaded, failed = load_refs(
                kept,
                fetcher,
                max_image_pixels=config.fetch.max_image_pixels,
                overrides=overrides(config, source),
                workers=max(2, config.fetch.concurrency * 2),
                tally=tally,
            )
            # Refs of unknown date or terms passed the first filter; their pages now tell.
            posts += _filtered(loaded, source.filters)
            skipped += failed
        site = site_name(fetcher, sources[0].location) if sources[0].is_url else ""
        stats = fetcher.stats()
    _summarise(found, posts, skipped, tally.counts(), stats)
    return posts, skipped, stats, site


def site_name(fetcher: Fetcher, url: str) -> str:
    """The blog's name from its home page: og:site_name, else the first part of its <title>."""
    home = urljoin(url, "/")
    try:
        page = fetcher.get(home)
        doc = lxml.html.fromstring(page.content)
    except (FetchError, etree.ParserError, ValueError):
        return ""
    named = doc.xpath("string(//meta[@property='og:site_name']/@content)").strip()
    title = doc.xpath("string(//title)").strip()
    return named or _SITE_TITLE_SEPARATOR.split(title, maxsplit=1)[0].strip()


def passing(items: list[Item], filters: Filters) -> list[Item]:
    """The refs or posts that pass a source's filters, in their order."""
    return filter_refs(
        items,
        since=filters.since,
        until=filters.until,
        categories=filters.categories,
        exclude_categories=filters.exclude_categories,
        tags=filters.tags,
        exclude_tags=filters.exclude_tags,
        max_posts=filters.max_posts,
    )


def _filtered(posts: list[Post], filters: Filters) -> list[Post]:
    return posts if filters == Filters() else passing(posts, filters)


def _unique(posts: list[Post]) -> list[Post]:
    """One post per canonical address; posts without an address are all kept."""
    seen: set[str] = set()
    unique = []
    for post in posts:
        if post.url:
            key = url_key(post.url)
            if key in seen:
                log.debug("%s: already in the book from another source", post.url)
                continue
            seen.add(key)
        unique.append(post)
    return unique


def _summarise(
    found: int,
    posts: list[Post],
    skipped: list[Skipped],
    counts: ReadCounts,
    stats: FetchStats,
) -> None:
    """The end-of-reading summary: what was found, where it came from, what was left out."""
    log.info(
        "Posts: %d found, %d read (%d fetched, %d from the cache, %d from the source's own list), "
        "%d skipped. Images: %d downloaded, %d from the cache. Requests: %d sent, "
        "%d not modified (304), %d failed.",
        found,
        len(posts),
        counts.pages_fetched,
        counts.pages_cached,
        counts.bodies_listed,
        len(skipped),
        counts.images_fetched,
        counts.images_cached,
        stats.requests,
        stats.revalidated,
        stats.failed,
    )
