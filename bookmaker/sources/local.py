"""Posts the author has on disk: Markdown, saved HTML pages and plain-text copies.

A SOURCE is a file or a folder. Folders are searched recursively, skipping hidden folders and the
`<page>_files/` folders browsers save beside a page. Files of other kinds (images) are ignored.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path

from bookmaker.errors import SourceError
from bookmaker.model import Post

log = logging.getLogger(__name__)

Loader = Callable[[Path], Post]


def _loaders() -> dict[str, Loader]:
    # Imported here so a missing optional stage does not break the others at import time.
    from bookmaker.sources.html import load_html
    from bookmaker.sources.markdown import load_markdown
    from bookmaker.sources.text import load_text

    return {
        ".md": load_markdown,
        ".markdown": load_markdown,
        ".html": load_html,
        ".htm": load_html,
        ".txt": load_text,
    }


LOADER_SUFFIXES = (".md", ".markdown", ".html", ".htm", ".txt")


def find_post_files(source: Path) -> list[Path]:
    """The post files a SOURCE names, in a stable order; an error if there are none."""
    if not source.exists():
        raise SourceError(f"{source}: no such file or folder")
    if source.is_file():
        if source.suffix.lower() not in LOADER_SUFFIXES:
            raise SourceError(f"{source}: not a post file (expected {', '.join(LOADER_SUFFIXES)})")
        return [source]
    files = sorted(_walk(source))
    if not files:
        raise SourceError(
            f"{source}: no posts found (looked for {', '.join(LOADER_SUFFIXES)} files)"
        )
    return files


def _walk(folder: Path, seen: set[Path] | None = None) -> Iterator[Path]:
    # A symlink back to a folder already walked (a loop) would yield its posts again and again.
    seen = seen if seen is not None else {folder.resolve()}
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith((".", "_")):
            continue
        if entry.is_dir():
            target = entry.resolve()
            if not entry.name.endswith("_files") and target not in seen:
                seen.add(target)
                yield from _walk(entry, seen)
        elif entry.suffix.lower() in LOADER_SUFFIXES and entry.name.lower() != "readme.md":
            yield entry


def load_post(path: Path) -> Post:
    loader = _loaders()[path.suffix.lower()]
    log.debug("reading %s", path)
    return loader(path)
