"""Posts from the web: turn each `PostRef` a web source found into a `Post`.

A ref that carries its body (REST API, export file, full-text feed) needs no page fetch; any
other is fetched and its article extracted. Images are downloaded through the same fetcher
(cached, polite) and embedded by content. A post that fails is skipped with a reason; the build
reports it as a warning.
"""

from __future__ import annotations

import html
import logging
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from urllib.parse import urljoin

from bookmaker.extract.article import ExtractionError, extract
from bookmaker.extract.sanitize import clean_fragment
from bookmaker.fetch import Fetcher, FetchError
from bookmaker.model import Asset, Post, Skipped
from bookmaker.progress import progress
from bookmaker.sources.assets import ImageProblem, asset_from_bytes, embed_images
from bookmaker.sources.html import post_slug
from bookmaker.sources.refs import PostRef

log = logging.getLogger(__name__)

IMAGE_ACCEPT = "image/avif,image/webp,image/png,image/jpeg,image/gif,*/*;q=0.5"


def load_refs(
    refs: list[PostRef], fetcher: Fetcher, max_image_pixels: int = 4000, workers: int = 4
) -> tuple[list[Post], list[Skipped]]:
    """Every ref as a post, in the refs' order, fetched concurrently (the fetcher paces hosts)."""
    load = partial(_attempt, fetcher=fetcher, max_pixels=max_image_pixels)
    results: list[Post | Skipped] = []
    with progress("Fetching posts", len(refs)) as bar, ThreadPoolExecutor(workers) as pool:
        for result in pool.map(load, refs):
            bar.advance()
            results.append(result)
    posts = [r for r in results if isinstance(r, Post)]
    return posts, [r for r in results if isinstance(r, Skipped)]


def _attempt(ref: PostRef, fetcher: Fetcher, max_pixels: int) -> Post | Skipped:
    if ref.protected and ref.html is None:  # an export file carries the body; the site does not
        return Skipped(ref.url, "source.protected", f"{ref.url}: password-protected post")
    try:
        return load_ref(ref, fetcher, max_pixels)
    except FetchError as exc:
        return Skipped(ref.url, exc.code, exc.message)
    except ExtractionError:
        return Skipped(ref.url, "extract.no_article", f"{ref.url}: no article found in the page")


def load_ref(ref: PostRef, fetcher: Fetcher, max_pixels: int = 4000) -> Post:
    """One post: its body from the ref or its page, its metadata merged, its images embedded."""
    if ref.html is not None:
        found = extract(_standalone_page(ref), url=ref.url)
        base = ref.url
    else:
        page = fetcher.get(ref.url, reuse=True)
        found = extract(page.content, url=page.final_url, encoding=page.encoding)
        base = page.final_url
    body, assets = embed_images(
        found.body_html, partial(_download, fetcher, base, max_pixels), origin=ref.url
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


def _download(fetcher: Fetcher, base: str, max_pixels: int, src: str) -> Asset:
    url = urljoin(base, src)
    if not url.startswith(("http://", "https://")):
        raise ImageProblem("is not a web address")
    try:
        page = fetcher.get(url, accept=IMAGE_ACCEPT, reuse=True)
    except FetchError as exc:
        raise ImageProblem(f"could not be downloaded ({exc.code.removeprefix('fetch.')})") from None
    return asset_from_bytes(page.content, origin=url, max_pixels=max_pixels)
