"""build(config): the whole pipeline, read like a table of contents."""

from __future__ import annotations

import logging
import time
from contextlib import ExitStack
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

from bookmaker.assemble import assemble
from bookmaker.config import Config
from bookmaker.errors import BookmakerError, RenderError, SourceError, StrictError
from bookmaker.files import atomic_path
from bookmaker.log import WarningCollector
from bookmaker.model import Asset, Book, Post
from bookmaker.slug import slugify
from bookmaker.sources.assets import ImageProblem, asset_from_bytes
from bookmaker.sources.read import read_posts

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuildResult:
    book: Book
    written: tuple[Path, ...]


def build(config: Config, warnings: WarningCollector | None = None) -> BuildResult:
    steps = 3 + len(config.output.formats)
    started = time.monotonic()
    log.info("Step 1/%d – Reading posts", steps)
    result = read_posts(config)
    posts = [_with_defaults(p, config.book.authors) for p in result.posts]
    if not posts:
        raise SourceError("no posts to build a book from (every post was skipped)")

    log.info("Step 2/%d – Assembling %d chapter(s)", steps, len(posts))
    book = assemble(posts, config, cover=_cover(config), site_name=result.site_name)

    log.info("Step 3/%d – Checking the book", steps)
    _check(book)

    written = _render_all(book, config, steps, warnings)
    log.info("Done in %.1f s.", time.monotonic() - started)
    return BuildResult(book=book, written=written)


def _with_defaults(post: Post, authors: tuple[str, ...]) -> Post:
    if post.authors or not authors:
        return post
    return replace(post, authors=authors)


def _cover(config: Config) -> Asset | None:
    path = config.book.cover
    if path is None:
        return None
    try:
        return asset_from_bytes(path.read_bytes(), origin=str(path), max_pixels=4096)
    except (OSError, ImageProblem) as exc:
        raise SourceError(f"{path}: cover image cannot be used: {exc}") from None


def _check(book: Book) -> None:
    if not book.chapters:
        raise SourceError("no posts found")


def _render_all(
    book: Book, config: Config, steps: int, warnings: WarningCollector | None
) -> tuple[Path, ...]:
    """Render every format into temporary files; move them into place only if all succeed."""
    from bookmaker.render.epub import render_epub
    from bookmaker.render.pdf import render_pdf

    name = config.output.name or slugify(book.meta.title) or "book"
    targets = [config.output.dir / f"{name}.{fmt}" for fmt in config.output.formats]
    with ExitStack() as stack:
        for step, (fmt, target) in enumerate(
            zip(config.output.formats, targets, strict=True), start=4
        ):
            tmp = stack.enter_context(atomic_path(target))
            log.info("Step %d/%d – Writing %s", step, steps, target.name)
            try:
                if fmt == "epub":
                    render_epub(book, tmp, _stylesheet(config.output.epub_stylesheet, "epub.css"))
                else:
                    render_pdf(
                        book,
                        tmp,
                        _stylesheet(config.output.pdf_stylesheet, "print.css"),
                        page_size=config.output.page_size,
                    )
            except BookmakerError:
                raise
            except OSError as exc:
                raise RenderError(f"{target}: cannot write: {exc.strerror}") from None
        if config.strict and warnings is not None and warnings.counts:
            count = sum(warnings.counts.values())
            raise StrictError(f"{count} warning(s) with --strict: no ebook written")
    return tuple(targets)


def _stylesheet(path: Path | None, default_name: str) -> str:
    """The author's stylesheet, or bookmaker's own default."""
    if path is not None:
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise SourceError(f"{path}: cannot read stylesheet: {exc}") from None
    return resources.files("bookmaker").joinpath("styles", default_name).read_text("utf-8")
