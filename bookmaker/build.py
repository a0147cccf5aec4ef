"""build(config): the whole pipeline, read like a table of contents.

Posts are read once; each edition of the book (the whole book, a sampler, …) is then assembled
from them and rendered. Every ebook is written to a temporary file and moved into place only when
all of them have been rendered, so a failed build leaves the previous ebooks untouched.
"""

from __future__ import annotations

import logging
import re
import time
from contextlib import ExitStack
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

from bookmaker.assemble import assemble, book_meta
from bookmaker.config import Config, edition_names, for_edition
from bookmaker.config_schema import FULL_EDITION
from bookmaker.errors import BookmakerError, ConfigError, RenderError, SourceError, StrictError
from bookmaker.files import atomic_path
from bookmaker.log import WarningCollector, warn
from bookmaker.model import Asset, Book, Post
from bookmaker.slug import slugify
from bookmaker.sources.read import read_posts

log = logging.getLogger(__name__)

_FONT_FAMILY = re.compile(r"font-family\s*:\s*([^;}]+)", re.I)


@dataclass(frozen=True)
class EditionResult:
    name: str
    book: Book
    written: tuple[Path, ...]


@dataclass(frozen=True)
class BuildResult:
    book: Book  # the first edition built: the whole book unless --edition chose another
    written: tuple[Path, ...]  # every ebook written, edition by edition
    editions: tuple[EditionResult, ...] = ()


class _Steps:
    """Numbered progress lines: "Step 2/5 – Assembling …"."""

    def __init__(self, total: int) -> None:
        self.total, self.done = total, 0

    def __call__(self, message: str, *args: object) -> None:
        self.done += 1
        log.info(f"Step %d/%d – {message}", self.done, self.total, *args)


def build(config: Config, warnings: WarningCollector | None = None) -> BuildResult:
    started = time.monotonic()
    names = config.selected or edition_names(config)
    editions = [for_edition(config, name, "") for name in names]
    step = _Steps(1 + sum(1 + len(e.output.formats) for e in editions))
    step("Reading posts")
    result = read_posts(config)
    posts = [_with_defaults(p, config.book.authors) for p in result.posts]
    if not posts:
        raise SourceError("no posts to build a book from (every post was skipped)")

    full_title = book_meta(posts, config, None, result.site_name).title
    full_name = config.output.name or slugify(full_title) or "book"
    editions = [for_edition(config, name, full_name) for name in names]
    _check_file_names(editions)
    fonts = font_families(_stylesheet(config.output.pdf_stylesheet, "print.css"))
    covers: dict[Path | None, Asset | None] = {}
    done: list[EditionResult] = []
    with ExitStack() as stack:
        for edition in editions:
            name = edition.edition
            label = "the book" if name == FULL_EDITION else f"the '{name}' edition"
            step("Assembling %s", label)
            if edition.book.cover not in covers:
                covers[edition.book.cover] = _cover(edition)
            cover = covers[edition.book.cover]
            book = assemble(posts, edition, cover=cover, site_name=result.site_name)
            book = replace(book, meta=replace(book.meta, fonts=fonts))
            _check(book)
            written = _render(book, edition, stack, step)
            done.append(EditionResult(name, book, written))
        if config.strict and warnings is not None and warnings.counts:
            count = sum(warnings.counts.values())
            raise StrictError(f"{count} warning(s) with --strict: no ebook written")
    log.info("Done in %.1f s.", time.monotonic() - started)
    files = tuple(path for edition in done for path in edition.written)
    return BuildResult(book=done[0].book, written=files, editions=tuple(done))


def _with_defaults(post: Post, authors: tuple[str, ...]) -> Post:
    if post.authors or not authors:
        return post
    return replace(post, authors=authors)


def _cover(config: Config) -> Asset | None:
    """The author's cover, checked and stored as stores take it; None to generate one."""
    from bookmaker.render.cover import CoverProblem, prepare_cover

    path = config.book.cover
    if path is None:
        return None
    try:
        asset, problems = prepare_cover(path.read_bytes(), origin=str(path))
    except (OSError, CoverProblem) as exc:
        raise SourceError(f"{path}: cover image cannot be used: {exc}") from None
    for code, message in problems:
        warn(log, code, "%s", message)
    return asset


def _check(book: Book) -> None:
    if not book.chapters:
        raise SourceError("no posts found")


def _render(book: Book, config: Config, stack: ExitStack, step: _Steps) -> tuple[Path, ...]:
    """Render every format of one edition into temporary files that `stack` moves into place."""
    output = config.output
    targets = [output.dir / f"{output.name}.{fmt}" for fmt in output.formats]
    for fmt, target in zip(output.formats, targets, strict=True):
        try:
            tmp = stack.enter_context(atomic_path(target))
        except OSError as exc:
            raise RenderError(
                f"{target.parent}: cannot write the ebooks there ({exc.strerror}); "
                "choose another folder with -o or [output] dir"
            ) from None
        step("Writing %s", target.name)
        try:
            # Each renderer is imported only when asked for: WeasyPrint alone costs ~0.5 s.
            if fmt == "epub":
                from bookmaker.render.epub import render_epub

                render_epub(book, tmp, _stylesheet(output.epub_stylesheet, "epub.css"))
            else:
                from bookmaker.render.pdf import render_pdf

                render_pdf(
                    book,
                    tmp,
                    _stylesheet(output.pdf_stylesheet, "print.css"),
                    page_size=output.page_size,
                    link_footnotes=output.link_footnotes,
                    chapters_open=output.chapters_open,
                )
        except BookmakerError:
            raise
        except OSError as exc:
            raise RenderError(f"{target}: cannot write: {exc.strerror}") from None
    return tuple(targets)


def _check_file_names(editions: list[Config]) -> None:
    seen: dict[str, str] = {}
    for edition in editions:
        name = edition.output.name
        if name in seen:
            raise ConfigError(
                f"{edition.label}: the editions '{seen[name]}' and '{edition.edition}' would both "
                f"be written to {name}.*; give one a file name ([editions.{edition.edition}] name)"
            )
        seen[name] = edition.edition


def _stylesheet(path: Path | None, default_name: str) -> str:
    """The author's stylesheet, or bookmaker's own default."""
    if path is not None:
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise SourceError(f"{path}: cannot read stylesheet: {exc}") from None
    return resources.files("bookmaker").joinpath("styles", default_name).read_text("utf-8")


def font_families(stylesheet: str) -> tuple[str, ...]:
    """The first font-family list of a stylesheet (the book's type), first choice first."""
    match = _FONT_FAMILY.search(re.sub(r"/\*.*?\*/", "", stylesheet, flags=re.S))
    if match is None:
        return ()
    return tuple(name.strip().strip("\"'") for name in match[1].split(",") if name.strip())
