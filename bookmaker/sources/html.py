"""Blog posts saved from a browser ("Save page as…"), with pictures in a `<page>_files/` folder.

Several saved pages of one blog are read in two passes, as web pages are: first the blog's
template (the blocks its pages share) is learned from them, then each article is extracted with
that template stripped.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import unquote, urlparse

import lxml.html

from bookmaker.errors import SourceError
from bookmaker.extract.article import ExtractionError, extract, parse_page
from bookmaker.extract.overrides import Overrides, check_overrides
from bookmaker.extract.sanitize import clean_fragment
from bookmaker.extract.template import Template, learn_template, sample
from bookmaker.model import Post
from bookmaker.slug import slugify
from bookmaker.sources.assets import embed_local_images

# Browsers note where a saved page came from: <!-- saved from url=(0042)https://… -->
_SAVED_FROM = re.compile(rb"<!--\s*saved from url=\(\d+\)(\S+?)\s*-->", re.IGNORECASE)
_PAGE_SUFFIX = re.compile(r"\.(html?|php|aspx?)$", re.IGNORECASE)
HTML_SUFFIXES = (".html", ".htm")

log = logging.getLogger(__name__)


def load_html_pages(paths: Sequence[Path], overrides: Overrides | None = None) -> list[Post]:
    """Read saved pages, each blog's template learned from its pages first; in `paths` order."""
    check_overrides(overrides)
    templates = learn_saved_templates(paths)
    return [
        load_html(path, overrides, templates.get(_site_of(path, _head(path)))) for path in paths
    ]


def learn_saved_templates(paths: Sequence[Path]) -> dict[str, Template]:
    """The template of each blog among saved pages, keyed by site (see `_site_of`)."""
    sites: dict[str, list[Path]] = {}
    for path in paths:
        if path.suffix.lower() in HTML_SUFFIXES:
            sites.setdefault(_site_of(path, _head(path)), []).append(path)
    templates = {}
    for site, pages in sites.items():
        template = learn_template([doc for doc in map(_parsed, sample(pages)) if doc is not None])
        if template.blocks:
            log.debug("%s: %d blocks repeat across its saved pages", site, len(template.blocks))
            templates[site] = template
    return templates


def load_html(
    path: Path, overrides: Overrides | None = None, template: Template | None = None
) -> Post:
    """Read one saved page and keep only its article.

    `overrides` are the author's extraction rules, `template` what the blog's pages share.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        page = extract(data, overrides=overrides, template=template)
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


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as file:
            return file.read(2048)
    except OSError:
        return b""


def _site_of(path: Path, head: bytes) -> str:
    """The blog a saved page came from: the host the browser noted, else the page's folder."""
    address = saved_from_url(head)
    host = urlparse(address).netloc.lower() if address else ""
    return host or str(path.parent)


def _parsed(path: Path) -> lxml.html.HtmlElement | None:
    try:
        return parse_page(path.read_bytes())
    except (OSError, ExtractionError):
        return None


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
