"""Blog posts saved from a browser ("Save page as…"), with pictures in a `<page>_files/` folder."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlparse

from bookmaker.errors import SourceError
from bookmaker.extract.article import ExtractionError, extract
from bookmaker.extract.sanitize import clean_fragment
from bookmaker.model import Post
from bookmaker.slug import slugify
from bookmaker.sources.assets import embed_local_images

# Browsers note where a saved page came from: <!-- saved from url=(0042)https://… -->
_SAVED_FROM = re.compile(rb"<!--\s*saved from url=\(\d+\)(\S+?)\s*-->", re.IGNORECASE)
_PAGE_SUFFIX = re.compile(r"\.(html?|php|aspx?)$", re.IGNORECASE)


def load_html(path: Path) -> Post:
    """Read one saved page and keep only its article."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        page = extract(data)
    except ExtractionError:
        raise SourceError(f"{path}: no article found in this page") from None
    body, assets = embed_local_images(page.body_html, path.parent, origin=str(path))
    url = page.url or saved_from_url(data)
    title = page.title or path.stem.replace("-", " ").replace("_", " ").strip().capitalize()
    return Post(
        slug=post_slug(url, title) or slugify(path.stem) or "post",
        title=title,
        body=clean_fragment(body),
        source=str(path),
        authors=page.authors,
        date=page.date,
        categories=page.categories,
        tags=page.tags,
        assets=assets,
        url=url,
        language=page.language,
    )


def saved_from_url(data: bytes) -> str | None:
    """The address a browser noted when it saved the page, if it did."""
    match = _SAVED_FROM.search(data[:2048])
    if not match:
        return None
    address = match.group(1).decode("ascii", errors="ignore")
    return address if urlparse(address).scheme in ("http", "https") else None


def post_slug(url: str | None, title: str) -> str:
    """The last meaningful part of the post's address (…/2013/11/19/my-post/), else its title."""
    segments = [s for s in urlparse(url).path.split("/") if s] if url else []
    if segments and _PAGE_SUFFIX.sub("", segments[-1]).lower() == "index":
        segments.pop()
    if segments:
        candidate = slugify(unquote(_PAGE_SUFFIX.sub("", segments[-1])))
        if candidate and not candidate.isdigit():
            return candidate
    return slugify(title)
