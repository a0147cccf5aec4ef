"""Front and back matter: the pages around the chapters.

The author writes some of them as Markdown files named in book.toml (dedication, foreword, about
the author, …); bookmaker makes the others from the book's metadata and posts (title page,
copyright page, where the essays first appeared, an index by category). Each becomes a `Chapter`
of kind "front" or "back" whose id names its role, so the renderers can give it its semantics.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from bookmaker.config import Config, MatterPage
from bookmaker.log import warn
from bookmaker.model import Asset, BookMeta, Chapter, Post
from bookmaker.render.xhtml import human_date
from bookmaker.slug import slugify
from bookmaker.sources.local import load_post

log = logging.getLogger(__name__)

# Shown without a heading and left out of the contents.
UNLISTED = frozenset({"titlepage", "copyright", "dedication", "epigraph"})
DEFAULT_TITLES = {
    "titlepage": "Title Page",
    "copyright": "Copyright",
    "dedication": "Dedication",
    "epigraph": "Epigraph",
    "foreword": "Foreword",
    "preface": "Preface",
    "introduction": "Introduction",
    "afterword": "Afterword",
    "acknowledgments": "Acknowledgments",
    "about-the-author": "About the Author",
}
# Names the renderers use for their own pages, which no page of matter may take.
_RENDERER_NAMES = frozenset({"cover", "nav", "toc", "contents"})

Rewrite = Callable[[Post], str]


@dataclass(frozen=True)
class Matter:
    front: tuple[Chapter, ...] = ()
    back: tuple[Chapter, ...] = ()
    assets: tuple[Asset, ...] = ()


@dataclass(frozen=True)
class PlacedPost:
    """A post as it stands in the book: its chapter id, for lists that link to it."""

    post: Post
    chapter_id: str


def page_ids(config: Config) -> list[str]:
    """The ids of every page of matter, front then back, unique and stable."""
    ids: list[str] = []
    for page in config.matter.front + config.matter.back:
        base = page.role or slugify(page.path.stem if page.path else "") or "page"
        if not base[0].isalpha() or base in _RENDERER_NAMES or base.startswith("part-"):
            base = f"m-{base}"
        ident, n = base, 1
        while ident in ids:
            n += 1
            ident = f"{base}-{n}"
        ids.append(ident)
    return ids


def make_matter(
    config: Config, meta: BookMeta, placed: list[PlacedPost], rewrite: Rewrite
) -> Matter:
    """Every page of front and back matter book.toml asks for, in reading order."""
    ids = iter(page_ids(config))
    assets: dict[str, Asset] = {}
    sides: list[list[Chapter]] = [[], []]
    for side, kind, pages in ((0, "front", config.matter.front), (1, "back", config.matter.back)):
        for page in pages:
            ident = next(ids)
            chapter = _page(page, ident, kind, meta, placed, rewrite, assets)
            if chapter is not None:
                sides[side].append(chapter)
    return Matter(tuple(sides[0]), tuple(sides[1]), tuple(assets.values()))


def _page(
    page: MatterPage,
    ident: str,
    kind: str,
    meta: BookMeta,
    placed: list[PlacedPost],
    rewrite: Rewrite,
    assets: dict[str, Asset],
) -> Chapter | None:
    if page.path is not None:
        return _written_page(page, ident, kind, rewrite, assets)
    body = {
        "titlepage": lambda: title_page(meta),
        "copyright": lambda: copyright_page(meta),
        "first-appeared": lambda: first_appeared(placed, meta.language),
        "by-category": lambda: category_index(placed),
    }[page.role]()
    if not body:
        return None
    title = page.title or DEFAULT_TITLES.get(page.role, "")
    return Chapter(ident, title, body, kind=kind, listed=page.role not in UNLISTED)


def _written_page(
    page: MatterPage, ident: str, kind: str, rewrite: Rewrite, assets: dict[str, Asset]
) -> Chapter:
    assert page.path is not None
    post = load_written(page.path, assets)
    return Chapter(
        ident,
        _title(post, page),
        rewrite(post),
        kind=kind,
        authors=post.authors,  # a foreword by someone else says so; the author's own pages don't
        source=post.source,
        listed=page.role not in UNLISTED,
    )


def load_written(path: Path, assets: dict[str, Asset]) -> Post:
    """A page the author wrote (Markdown, HTML or text), its images added to `assets`."""
    post = load_post(path)
    for asset in post.assets:
        assets.setdefault(asset.name, asset)
    return post


def _title(post: Post, page: MatterPage) -> str:
    """The file's own title, else the role's name (a file without one gets its name from the
    loader, as 'Dedication' for dedication.md: only the role's name reads right)."""
    assert page.path is not None
    from_name = page.path.stem.replace("-", " ").replace("_", " ").strip().capitalize()
    if post.title == from_name and page.role in DEFAULT_TITLES:
        return DEFAULT_TITLES[page.role]
    return post.title


def title_page(meta: BookMeta) -> str:
    lines = [f'<h1 class="book-title">{_text(meta.title)}</h1>']
    if meta.subtitle:
        lines.append(f'<p class="book-subtitle">{_text(meta.subtitle)}</p>')
    if meta.authors:
        lines.append(f'<p class="book-authors">{_text(", ".join(meta.authors))}</p>')
    if meta.publisher:
        lines.append(f'<p class="book-publisher">{_text(meta.publisher)}</p>')
    return "\n".join(lines)


def copyright_page(meta: BookMeta) -> str:
    """Rights, edition, ISBN and publisher: the facts a copyright page states, when there are any.

    Only what the author wrote is shown, so the page reads right in the book's language.
    """
    lines = [
        (meta.rights, "rights"),
        (meta.edition, "edition"),
        (f"ISBN {meta.isbn}" if meta.isbn else "", "isbn"),
        (meta.publisher, "publisher"),
    ]
    if not any(text for text, _ in lines):
        return ""
    if meta.date is not None:
        lines.append((str(meta.date.year), "year"))
    return "\n".join(f'<p class="{cls}">{_text(text)}</p>' for text, cls in lines if text)


def first_appeared(placed: list[PlacedPost], language: str) -> str:
    """Where each essay was first published: title (a link to its chapter), date and address."""
    if not any(_address(p.post) for p in placed):
        warn(
            log,
            "matter.no_addresses",
            "no post has a web address (a 'url' in its front matter); the list of where the "
            "essays first appeared is left out",
        )
        return ""
    items = []
    for item in placed:
        parts = [f'<a href="{item.chapter_id}.xhtml">{_text(item.post.title)}</a>']
        if item.post.date is not None:
            day = item.post.date.date().isoformat()
            parts.append(f'<time datetime="{day}">{human_date(item.post.date, language)}</time>')
        address = _address(item.post)
        line = ", ".join(parts)
        if address:
            # The address is printed, not linked: the essay is in this book.
            line += f'<br/><span class="address">{_text(address)}</span>'
        items.append(f"<li>{line}</li>")
    return '<ul class="chapter-list first-appeared">\n' + "\n".join(items) + "\n</ul>"


def category_index(placed: list[PlacedPost]) -> str:
    """Every category, alphabetically, with links to the chapters filed under it."""
    groups: dict[str, list[PlacedPost]] = {}
    for item in placed:
        for category in dict.fromkeys(item.post.categories):
            groups.setdefault(category, []).append(item)
    if not groups:
        warn(log, "matter.no_categories", "no post has a category; the index is left out")
        return ""
    sections = []
    for name in sorted(groups, key=str.casefold):
        items = "".join(
            f'<li><a href="{p.chapter_id}.xhtml">{_text(p.post.title)}</a></li>'
            for p in groups[name]
        )
        sections.append(f'<h2>{_text(name)}</h2>\n<ul class="chapter-list">{items}</ul>')
    return "\n".join(sections)


def _address(post: Post) -> str:
    if post.url:
        return post.url
    return post.source if post.source.startswith(("http://", "https://")) else ""


def _text(value: str) -> str:
    return html.escape(value, quote=False)


# -- which files are matter, not posts ----------------------------------------------------------


def matter_files(config: Config) -> frozenset[Path]:
    intros = (p.intro for p in config.chapters.part_settings if p.intro is not None)
    return frozenset(Path(p).resolve() for p in (*config.matter.files(), *intros))


def matter_folders(config: Config) -> frozenset[Path]:
    """Folders that hold matter files: nothing in them is a post.

    A source's own folder is never one (a foreword may sit beside the posts).
    """
    roots = {Path(s.location).resolve() for s in config.sources if not s.is_url}
    roots |= {config.root.resolve(), (config.root / "chapters").resolve()}
    return frozenset(f.parent for f in matter_files(config) if f.parent not in roots)


def leave_out_matter(files: Iterable[Path], config: Config) -> list[Path]:
    """The files that are really posts: matter files a source folder also holds are left out."""
    named, folders = matter_files(config), matter_folders(config)
    kept = []
    for file in files:
        path = file.resolve()
        if path in named:
            continue
        if any(folder in path.parents for folder in folders):
            warn(
                log,
                "matter.unlisted",
                "%s is in a folder of front or back matter but book.toml names it nowhere; "
                "left out",
                file,
            )
            continue
        kept.append(file)
    return kept
