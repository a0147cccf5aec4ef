"""Posts from the web: turn each `PostRef` a web source found into a `Post`.

A ref that carries its body (REST API, export file, full-text feed) needs no page fetch; any
other is fetched and its article extracted. Pages are read in two passes: first every page is
fetched, and the blog's template (the blocks its pages share) is learned from them; then each
article is extracted with that template stripped. Images are downloaded through the same fetcher
(cached, polite) and embedded by content. A post that fails is skipped with a reason; the build
reports it as a warning.
"""

from __future__ import annotations

import html
import logging
import re
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from urllib.parse import urljoin, urlsplit

import lxml.html

from bookmaker.extract.article import ExtractionError, extract, parse_page
from bookmaker.extract.overrides import Overrides, check_overrides
from bookmaker.extract.sanitize import clean_fragment
from bookmaker.extract.template import Template, learn_template, sample
from bookmaker.fetch import Fetcher, FetchError
from bookmaker.model import Asset, Page, Post, Skipped
from bookmaker.progress import progress
from bookmaker.sources.assets import ImageProblem, asset_from_bytes, embed_images
from bookmaker.sources.html import post_slug
from bookmaker.sources.refs import PostRef

log = logging.getLogger(__name__)

# WordPress shows a password form in place of a protected post's text.
PROTECTED_FORM = re.compile(
    rb"class=[\"'][^\"']*\bpost-password-form\b|name=[\"']post_password[\"']"
)
IMAGE_ACCEPT = "image/avif,image/webp,image/png,image/jpeg,image/gif,*/*;q=0.5"


@dataclass(frozen=True)
class ReadCounts:
    """Where the posts' pages and images came from, each distinct address counted once."""

    pages_fetched: int = 0
    pages_cached: int = 0
    bodies_listed: int = 0  # bodies the source's own list carried (REST, export, full feed)
    images_fetched: int = 0
    images_cached: int = 0


class Tally:
    """What reading the web took, for the summary at the end, by distinct address."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pages: dict[str, bool] = {}  # address -> downloaded (not only cached) this run
        self._images: dict[str, bool] = {}
        self._listed = 0

    def page(self, page: Page) -> None:
        self._note(self._pages, page)

    def image(self, page: Page) -> None:
        self._note(self._images, page)

    def listed(self) -> None:
        with self._lock:
            self._listed += 1

    def counts(self) -> ReadCounts:
        with self._lock:
            pages, images = sum(self._pages.values()), sum(self._images.values())
            return ReadCounts(
                pages_fetched=pages,
                pages_cached=len(self._pages) - pages,
                bodies_listed=self._listed,
                images_fetched=images,
                images_cached=len(self._images) - images,
            )

    def _note(self, seen: dict[str, bool], page: Page) -> None:
        """An address downloaded once in this run counts as downloaded."""
        with self._lock:
            seen[page.url] = seen.get(page.url, False) or not page.from_cache


def load_refs(
    refs: list[PostRef],
    fetcher: Fetcher,
    max_image_pixels: int = 4000,
    workers: int = 4,
    overrides: Overrides | None = None,
    tally: Tally | None = None,
) -> tuple[list[Post], list[Skipped]]:
    """Every ref as a post, in the refs' order, fetched concurrently (the fetcher paces hosts).

    `overrides` are the author's extraction rules for this source; `tally` counts the work.
    """
    check_overrides(overrides)
    tally = tally or Tally()
    with progress("Fetching posts", len(refs)) as bar, ThreadPoolExecutor(workers) as pool:
        pages = list(pool.map(partial(_fetch, fetcher=fetcher, advance=bar.advance), refs))
    for ref, page in zip(refs, pages, strict=True):
        if isinstance(page, Page):
            tally.page(page)
        elif page is None and ref.html is not None:
            tally.listed()
    templates = learn_templates(refs, pages)
    load = partial(
        _attempt, fetcher=fetcher, max_pixels=max_image_pixels, overrides=overrides, tally=tally
    )
    results: list[Post | Skipped] = []
    with progress("Reading posts", len(refs)) as bar, ThreadPoolExecutor(workers) as pool:
        for result in pool.map(load, refs, pages, [templates.get(_site(r)) for r in refs]):
            bar.advance()
            results.append(result)
    posts = [r for r in results if isinstance(r, Post)]
    return posts, [r for r in results if isinstance(r, Skipped)]


def _fetch(ref: PostRef, fetcher: Fetcher, advance: Callable[[], None]) -> Page | Skipped | None:
    """The ref's page; None when the ref carries its body; Skipped when it cannot be had."""
    try:
        if ref.html is not None:
            return None
        if ref.protected:  # an export file carries the body; the site does not
            return Skipped(ref.url, "source.protected", f"{ref.url}: password-protected post")
        page = fetcher.get(ref.url, reuse=True)
        if PROTECTED_FORM.search(page.content):
            return Skipped(ref.url, "source.protected", f"{ref.url}: password-protected post")
        return page
    except FetchError as exc:
        return Skipped(ref.url, exc.code, exc.message)
    finally:
        advance()


def learn_templates(refs: list[PostRef], pages: list[Page | Skipped | None]) -> dict[str, Template]:
    """The template of each site (by host) among the fetched pages, and of the bodies refs carry.

    Bodies from an API or export are learned apart from whole pages: they share sign-off lines
    and newsletter boxes, never a page layout.
    """
    sites: dict[str, list[str | Page]] = {}
    for ref, page in zip(refs, pages, strict=True):
        if isinstance(page, Page):
            sites.setdefault(_site(ref), []).append(page)
        elif page is None and ref.html is not None:
            sites.setdefault(_site(ref), []).append(_standalone_page(ref))
    templates = {}
    for site, found in sites.items():
        parsed = [_parsed(item) for item in sample(found)]
        template = learn_template([doc for doc in parsed if doc is not None])
        if template.blocks:
            log.debug("%s: %d blocks repeat across its pages", site, len(template.blocks))
            templates[site] = template
    return templates


def _site(ref: PostRef) -> str:
    kind = "body" if ref.html is not None else "page"
    return f"{kind} {urlsplit(ref.url).netloc.lower()}"


def _parsed(item: str | Page) -> lxml.html.HtmlElement | None:
    try:
        if isinstance(item, Page):
            return parse_page(item.content, item.encoding)
        return parse_page(item)
    except ExtractionError:
        return None


def _attempt(
    ref: PostRef,
    page: Page | Skipped | None,
    template: Template | None,
    fetcher: Fetcher,
    max_pixels: int,
    overrides: Overrides | None = None,
    tally: Tally | None = None,
) -> Post | Skipped:
    if isinstance(page, Skipped):
        return page
    try:
        return load_ref(
            ref, fetcher, max_pixels, overrides=overrides, template=template, page=page, tally=tally
        )
    except FetchError as exc:
        return Skipped(ref.url, exc.code, exc.message)
    except ExtractionError:
        return Skipped(ref.url, "extract.no_article", f"{ref.url}: no article found in the page")


def load_ref(
    ref: PostRef,
    fetcher: Fetcher,
    max_pixels: int = 4000,
    overrides: Overrides | None = None,
    template: Template | None = None,
    page: Page | None = None,
    tally: Tally | None = None,
) -> Post:
    """One post: its body from the ref or its page, its metadata merged, its images embedded.

    `page` is the ref's page when it was fetched already; `template` the blog's learned one.
    """
    if ref.html is not None:
        found = extract(_standalone_page(ref), ref.url, overrides=overrides, template=template)
        base = ref.url
    else:
        page = page or fetcher.get(ref.url, reuse=True)
        found = extract(
            page.content, page.final_url, page.encoding, overrides=overrides, template=template
        )
        base = page.final_url
    body, assets = embed_images(
        found.body_html, partial(_download, fetcher, base, max_pixels, tally=tally), origin=ref.url
    )
    title = ref.title or found.title
    return Post(
        slug=post_slug(ref.url, title) or "post",
        title=title,
        body=clean_fragment(body),
        source=ref.url,
        authors=ref.authors or found.authors,
        date=ref.date or found.date,
        categories=ref.categories if ref.categories is not None else found.categories,
        tags=ref.tags if ref.tags is not None else found.tags,
        assets=assets,
        url=ref.url,
        language=found.language,
    )


def _standalone_page(ref: PostRef) -> str:
    """The ref's body wrapped as a minimal post page, so extraction treats it like any page."""
    title = html.escape(ref.title or "")
    return (
        f"<!doctype html><html><head><title>{title}</title></head><body>"
        f'<article class="post hentry"><div class="entry-content">{ref.html}</div></article>'
        "</body></html>"
    )


def _download(
    fetcher: Fetcher, base: str, max_pixels: int, src: str, tally: Tally | None = None
) -> Asset:
    url = urljoin(base, src)
    if not url.startswith(("http://", "https://")):
        raise ImageProblem("is not a web address")
    try:
        page = fetcher.get(url, accept=IMAGE_ACCEPT, reuse=True)
    except FetchError as exc:
        raise ImageProblem(f"could not be downloaded ({exc.code.removeprefix('fetch.')})") from None
    if tally is not None:
        tally.image(page)
    return asset_from_bytes(page.content, origin=url, max_pixels=max_pixels)
