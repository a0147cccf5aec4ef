"""Posts frozen as Markdown files that an author can edit, keep in version control and build from.

`bookmaker fetch` reads the sources once and writes each post as `YYYY-MM-<slug>.md` with YAML
front matter, its images in `images/` beside it. `bookmaker build` then reads that folder offline
and gives the same chapters as a build from the web. A post already in the folder (the same `url`
in its front matter) is the author's to edit: it is kept unless `--overwrite` is given.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from bookmaker.config import Config
from bookmaker.errors import BookmakerError, SourceError
from bookmaker.files import write_bytes_atomic
from bookmaker.log import warn
from bookmaker.model import Asset, Post, Skipped
from bookmaker.sources.markdown import split_front_matter
from bookmaker.sources.read import read_posts
from bookmaker.sources.refs import url_key
from bookmaker.tomarkdown import to_markdown

log = logging.getLogger(__name__)

IMAGES = "images"
MARKDOWN_SUFFIXES = (".md", ".markdown")


@dataclass(frozen=True)
class FreezeResult:
    written: tuple[Path, ...]  # post files written
    kept: tuple[Path, ...]  # post files already there, left as the author has them
    images: tuple[Path, ...]  # image files written
    skipped: tuple[Skipped, ...] = ()


def fetch_posts(config: Config, into: Path, overwrite: bool = False) -> FreezeResult:
    """Read every source of `config` and freeze its posts into the folder `into`."""
    if not config.sources:
        raise SourceError(
            "nothing to fetch: give a SOURCE (a blog's address, a file or a folder) "
            "or add [[sources]] to book.toml"
        )
    log.info("Step 1/2 – Reading posts")
    read = read_posts(config)
    if not read.posts:
        raise SourceError("no posts to fetch (every post was skipped)")
    log.info("Step 2/2 – Writing %d post(s) to %s", len(read.posts), into)
    result = freeze(list(read.posts), into, overwrite=overwrite)
    return replace(result, skipped=read.skipped + result.skipped)


def freeze(posts: list[Post], into: Path, overwrite: bool = False) -> FreezeResult:
    """Write each post as Markdown with front matter, and its images once each into images/."""
    folder = _Folder(into)
    written: list[Path] = []
    kept: list[Path] = []
    images: list[Path] = []
    skipped: list[Skipped] = []
    for post in posts:
        existing = folder.existing(post)
        if existing is not None and not overwrite:
            log.info("%s: kept (exists)", existing)
            kept.append(existing)
            continue
        if not post.body.strip():
            ref = post.url or post.source
            skip = Skipped(ref, "freeze.empty", f"{ref}: the post has no text; not written")
            warn(log, skip.code, "%s", skip.reason)
            skipped.append(skip)
            continue
        target = existing or folder.new_path(post)
        body = _relinked(post)
        _write(target, post_markdown(replace(post, body=body)).encode("utf-8"))
        written.append(target)
        images += [p for a in post.assets if (p := _write_image(into, a, overwrite))]
    return FreezeResult(tuple(written), tuple(kept), tuple(images), tuple(skipped))


def post_markdown(post: Post) -> str:
    """The file for one post: YAML front matter, then the body as Markdown."""
    meta = yaml.dump(
        front_matter(post),
        Dumper=_FrontMatterDumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=10_000,  # a long title stays on one line
    )
    return f"---\n{meta}---\n\n{to_markdown(post.body)}"


def front_matter(post: Post) -> dict[str, Any]:
    meta: dict[str, Any] = {"title": post.title}
    if post.date is not None:
        midnight = post.date.time() == dt.time(0)
        meta["date"] = post.date.date() if midnight else post.date
    if len(post.authors) == 1:
        meta["author"] = post.authors[0]
    elif post.authors:
        meta["authors"] = list(post.authors)
    if post.categories:
        meta["categories"] = list(post.categories)
    if post.tags:
        meta["tags"] = list(post.tags)
    meta["slug"] = post.slug
    url = _address(post)
    if url:
        meta["url"] = url
    if post.order is not None:
        meta["order"] = post.order
    if post.language:
        meta["lang"] = post.language
    return meta


def summary(result: FreezeResult, where: str) -> str:
    """'Wrote 54 posts and 37 images to chapters/ (2 kept, 2 skipped)'."""
    line = (
        f"Wrote {_count(len(result.written), 'post')} and "
        f"{_count(len(result.images), 'image')} to {where}"
    )
    notes = [f"{len(result.kept)} kept"] if result.kept else []
    notes += [f"{len(result.skipped)} skipped"] if result.skipped else []
    return line + (f" ({', '.join(notes)})" if notes else "")


class _FrontMatterDumper(yaml.SafeDumper):
    """Safe YAML, with times written as ISO 8601 (2024-06-02T07:30:00+02:00)."""


def _timestamp(dumper: yaml.SafeDumper, value: dt.datetime) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat())


_FrontMatterDumper.add_representer(dt.datetime, _timestamp)


class _Folder:
    """The posts already in the folder, by address, and the file names taken."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.by_url: dict[str, Path] = {}
        self.without_url: set[str] = set()
        self.taken: set[str] = set()
        if root.is_dir():
            self.taken = {p.name.lower() for p in root.iterdir()}
            for path in _post_files(root):
                url = _front_matter_url(path)
                if url:
                    self.by_url.setdefault(url_key(url), path)
                elif path.parent == root:
                    self.without_url.add(path.name.lower())

    def existing(self, post: Post) -> Path | None:
        """The file already holding this post: same address, or same name if it has none."""
        url = _address(post)
        if url:
            return self.by_url.get(url_key(url))
        name = f"{_stem(post)}.md"
        return self.root / name if name.lower() in self.without_url else None

    def new_path(self, post: Post) -> Path:
        stem, n = _stem(post), 1
        while True:
            name = f"{stem}.md" if n == 1 else f"{stem}-{n}.md"
            if name.lower() not in self.taken:
                self.taken.add(name.lower())
                return self.root / name
            n += 1


def _post_files(root: Path) -> list[Path]:
    files = []
    for path in sorted(root.rglob("*")):
        hidden = any(part.startswith((".", "_")) for part in path.relative_to(root).parts)
        if not hidden and path.suffix.lower() in MARKDOWN_SUFFIXES and path.is_file():
            files.append(path)
    return files


def _front_matter_url(path: Path) -> str:
    try:
        meta, _ = split_front_matter(path.read_text(encoding="utf-8-sig"), path)
    except (OSError, UnicodeDecodeError, BookmakerError) as exc:
        log.debug("%s: front matter not readable (%s); taken as another post", path, exc)
        return ""
    url = meta.get("url")
    return url.strip() if isinstance(url, str) else ""


def _address(post: Post) -> str:
    if post.url:
        return post.url
    return post.source if post.source.startswith(("http://", "https://")) else ""


def _stem(post: Post) -> str:
    slug = post.slug or "post"
    return f"{post.date:%Y-%m}-{slug}" if post.date is not None else slug


def _image_path(asset: Asset) -> str:
    return f"{IMAGES}/{PurePosixPath(asset.name).name}"


def _relinked(post: Post) -> str:
    """The body with each image pointing at its file in images/ (asset names usually are)."""
    body = post.body
    for asset in post.assets:
        if asset.name != _image_path(asset):
            body = body.replace(f'src="{asset.name}"', f'src="{_image_path(asset)}"')
    return body


def _write_image(into: Path, asset: Asset, overwrite: bool) -> Path | None:
    """Write an image unless the same file is there; an author's changed image stays."""
    path = into / _image_path(asset)
    if path.is_file():
        try:
            same = path.read_bytes() == asset.data
        except OSError as exc:
            raise BookmakerError(f"{path}: cannot read ({exc.strerror})") from None
        if same or not overwrite:
            if not same:
                log.debug("%s: differs from the blog's image; kept", path)
            return None
    _write(path, asset.data)
    return path


def _write(path: Path, data: bytes) -> None:
    try:
        write_bytes_atomic(path, data)
    except OSError as exc:
        raise BookmakerError(f"{path}: cannot write ({exc.strerror})") from None


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
