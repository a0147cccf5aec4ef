"""`bookmaker init`: a new book that builds from the first minute.

It writes a commented book.toml, starter front and back matter in chapters/, the default styles
to edit, and — unless the posts come from elsewhere — one starter post, so that `bookmaker build`
right after gives an EPUB and a PDF. Nothing that already exists is overwritten.
"""

from __future__ import annotations

import datetime as dt
import logging
from importlib import resources
from pathlib import Path
from string import Template

from bookmaker.errors import BookmakerError, ConfigError
from bookmaker.files import write_bytes_atomic
from bookmaker.sources.local import LOADER_SUFFIXES

log = logging.getLogger(__name__)

BOOK_TOML = Template("""\
# book.toml: the description of your book. Build it with `bookmaker build`.
# Every key is optional; a commented line shows an example. Paths are relative to this file.
# Every key is explained in bookmaker's README, section "book.toml".

[book]
title = $title
# subtitle = ""
author = $author
language = "en"                 # BCP 47: en, en-GB, de, fr …
# publisher = ""
rights = $rights
# edition = "First edition"
# isbn = ""                     # ISBN-13 or ISBN-10: checked, and the EPUB's identifier
# description = ""              # a paragraph for store listings
# subjects = []                 # keywords for store listings
# cover = "cover.jpg"           # your own cover, at least 1600×2560 pixels
# cover_color = "#2f4f4f"       # ground colour of the cover made when there is none

$sources
[chapters]
order = "date"                  # "date", "reverse-date" or a list of post slugs
group_by = "none"               # "category": one part per category
# exclude = []                  # slugs of posts to leave out

# With group_by = "category", one [[parts]] table per part, in reading order:
# [[parts]]
# category = "Letters"
# title = "Letters Home"
# intro = "chapters/parts/letters.md"

[front]
title_page = true
copyright_page = true
dedication = "chapters/front/dedication.md"
# epigraph = "chapters/front/epigraph.md"
foreword = "chapters/front/foreword.md"
# preface = ""
# introduction = ""

[back]
# afterword = ""
# acknowledgments = ""
first_appeared = $first_appeared         # where each post first appeared (posts with a url)
# index = true                  # an index of the chapters by category
about_author = "chapters/back/about-the-author.md"

# Another edition from the same posts, built beside the whole book:
# [editions.sampler]
# title_suffix = " — A Sampler"
# chapters = ["first-slug", "second-slug", "third-slug"]

[output]
dir = "output"
# name = ""                     # file name of the ebooks; from the title if unset
formats = ["epub", "pdf"]

[output.epub]
stylesheet = "styles/epub.css"

[output.pdf]
stylesheet = "styles/print.css"
page_size = "A5"                # "A5", "6x9", "Letter" or "A4"
link_footnotes = false          # print the address of each link to the web as a footnote
""")

LOCAL_SOURCE = """\
[[sources]]
path = "chapters"               # your posts: Markdown, pages saved from a browser, plain text
# url = "https://blog.example/" # … or your blog's address, in a [[sources]] of its own
"""

STARTER_PAGES = {
    "chapters/front/dedication.md": """\
---
title: Dedication
---

For someone who deserves a book. (Write your dedication in chapters/front/dedication.md.)
""",
    "chapters/front/foreword.md": """\
---
title: Foreword
---

This is where the foreword goes: a few paragraphs on why these posts became a book. Write it in
chapters/front/foreword.md, or remove the `foreword` line from book.toml to leave it out.
""",
    "chapters/back/about-the-author.md": """\
---
title: About the Author
---

A few lines about you, for the last page of the book. Write them in
chapters/back/about-the-author.md.
""",
}

STARTER_POST = Template("""\
---
title: A First Post
date: $date
author: $author
---

This starter post is here so that the book builds from the start. Put your own posts in the
chapters/ folder, as Markdown files with front matter like this one's, pages saved from a
browser or plain-text copies, and delete this one. Or let bookmaker read your blog: give its
address as a `url` under `[[sources]]` in book.toml.
""")


# Built ebooks and fetched pages do not belong in the book's history; its sources do.
GITIGNORE = """\
# Built by `bookmaker build`; rebuild them rather than version them.
/output/
# Pages and images fetched from the blog (`bookmaker fetch` writes editable copies instead).
/.bookmaker-cache/
"""


def init_book(
    folder: Path, source: str | None = None, title: str | None = None, author: str | None = None
) -> list[Path]:
    """Write a new book's files into `folder`; return those written. book.toml must not exist."""
    folder = folder.resolve()
    book_toml = folder / "book.toml"
    if book_toml.exists():
        raise ConfigError(f"{book_toml} already exists: nothing written")
    title = title or _title_from(folder)
    author = author or "Your Name"
    files = {"book.toml": _book_toml(folder, source, title, author), **STARTER_PAGES}
    if source is None and not _has_posts(folder / "chapters"):
        today = dt.date.today().isoformat()
        files["chapters/a-first-post.md"] = STARTER_POST.substitute(date=today, author=author)
    for name in ("epub.css", "print.css"):
        style = resources.files("bookmaker").joinpath("styles", name).read_text("utf-8")
        files[f"styles/{name}"] = style
    files[".gitignore"] = GITIGNORE
    written = []
    for name, text in files.items():
        path = folder / name
        if path.exists():
            log.info("%s exists; kept as it is", path)
            continue
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_bytes_atomic(path, text.encode("utf-8"))
        except OSError as exc:
            raise BookmakerError(f"{path}: cannot write ({exc.strerror})") from None
        written.append(path)
    return written


def _book_toml(folder: Path, source: str | None, title: str, author: str) -> str:
    year = dt.date.today().year
    return BOOK_TOML.substitute(
        title=_toml_string(title),
        author=_toml_string(author),
        rights=_toml_string(f"© {year} {author}. All rights reserved."),
        sources=_sources(folder, source),
        first_appeared="true " if source else "false",
    )


def _sources(folder: Path, source: str | None) -> str:
    if source is None:
        return LOCAL_SOURCE
    if source.startswith(("http://", "https://")):
        return f"[[sources]]\nurl = {_toml_string(source)}\n"
    path = (folder / source).resolve()
    if not path.exists():
        raise ConfigError(f"--source {source}: no such file or folder, and not a web address")
    try:
        shown = path.relative_to(folder).as_posix()
    except ValueError:
        shown = path.as_posix()
    return f"[[sources]]\npath = {_toml_string(shown)}\n"


def _has_posts(chapters: Path) -> bool:
    return chapters.is_dir() and any(
        p.suffix.lower() in LOADER_SUFFIXES for p in chapters.iterdir() if p.is_file()
    )


def _title_from(folder: Path) -> str:
    words = folder.name.replace("-", " ").replace("_", " ").split()
    return " ".join(w.capitalize() for w in words) or "My Book"


def _toml_string(text: str) -> str:
    """A TOML basic string (TOML 1.0, "String"): backslash and quote escaped, no control chars."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = "".join(ch if ch >= " " else f"\\u{ord(ch):04x}" for ch in escaped)
    return f'"{escaped}"'
