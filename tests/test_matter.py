"""Front and back matter: the pages bookmaker makes, the pages the author writes, and which files
are matter rather than posts."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import replace
from pathlib import Path

import pytest

from bookmaker.config import MatterPage, MatterSettings, Source, default_config
from bookmaker.matter import (
    PlacedPost,
    category_index,
    copyright_page,
    first_appeared,
    leave_out_matter,
    make_matter,
    page_ids,
    title_page,
)
from bookmaker.model import BookMeta, Post

META = BookMeta(
    title="Tide Tables",
    authors=("Oona Brack", "Ivo Marsh"),
    language="en",
    identifier="urn:isbn:9781234567897",
    modified=dt.datetime(2021, 3, 1),
    subtitle="Notes & Numbers",
    publisher="Breakwater Books",
    rights="© 2021 Oona Brack",
    date=dt.date(2021, 3, 1),
    isbn="978-1-234-56789-7",
    edition="First edition",
)


def post(slug: str, *, url: str | None = None, cats: tuple[str, ...] = (), day: int = 1) -> Post:
    return Post(
        slug=slug,
        title=slug.replace("-", " ").title(),
        body="<p>x</p>",
        source=f"/blog/{slug}.md",
        date=dt.datetime(2020, 1, day),
        categories=cats,
        url=url,
    )


def test_title_page_and_copyright_page_come_from_the_metadata() -> None:
    assert title_page(META) == (
        '<h1 class="book-title">Tide Tables</h1>\n'
        '<p class="book-subtitle">Notes &amp; Numbers</p>\n'
        '<p class="book-authors">Oona Brack, Ivo Marsh</p>\n'
        '<p class="book-publisher">Breakwater Books</p>'
    )
    assert copyright_page(META).splitlines() == [
        '<p class="rights">© 2021 Oona Brack</p>',
        '<p class="edition">First edition</p>',
        '<p class="isbn">ISBN 978-1-234-56789-7</p>',
        '<p class="publisher">Breakwater Books</p>',
        '<p class="year">2021</p>',
    ]


def test_no_copyright_page_when_there_is_nothing_to_state() -> None:
    bare = replace(META, rights="", edition="", isbn="", publisher="")
    assert copyright_page(bare) == ""


def test_first_appeared_lists_title_date_and_address_of_each_chapter(
    caplog: pytest.LogCaptureFixture,
) -> None:
    placed = [
        PlacedPost(post("harbour-lights", url="https://tides.example/harbour/", day=14), "h"),
        PlacedPost(post("offline-post", day=20), "o"),
    ]
    body = first_appeared(placed, "en")
    assert body.splitlines()[1:3] == [
        '<li><a href="h.xhtml">Harbour Lights</a>, <time datetime="2020-01-14">14 January 2020'
        '</time><br/><span class="address">https://tides.example/harbour/</span></li>',
        '<li><a href="o.xhtml">Offline Post</a>, <time datetime="2020-01-20">20 January 2020'
        "</time></li>",
    ]
    with caplog.at_level(logging.WARNING, logger="bookmaker"):
        assert first_appeared(placed[1:], "en") == ""
    assert [getattr(r, "code", "") for r in caplog.records] == ["matter.no_addresses"]


def test_category_index_lists_chapters_under_each_of_their_categories(
    caplog: pytest.LogCaptureFixture,
) -> None:
    placed = [
        PlacedPost(post("rain-gauge", cats=("weather", "Numbers")), "rain-gauge"),
        PlacedPost(post("fog", cats=("weather",)), "fog"),
    ]
    assert category_index(placed).splitlines() == [
        "<h2>Numbers</h2>",
        '<ul class="chapter-list"><li><a href="rain-gauge.xhtml">Rain Gauge</a></li></ul>',
        "<h2>weather</h2>",
        '<ul class="chapter-list"><li><a href="rain-gauge.xhtml">Rain Gauge</a></li>'
        '<li><a href="fog.xhtml">Fog</a></li></ul>',
    ]
    with caplog.at_level(logging.WARNING, logger="bookmaker"):
        assert category_index([PlacedPost(post("fog"), "fog")]) == ""
    assert [getattr(r, "code", "") for r in caplog.records] == ["matter.no_categories"]


def test_written_pages_keep_their_own_title_or_take_their_roles(tmp_path: Path) -> None:
    (tmp_path / "dedication.md").write_text("For the harbourmaster.\n")
    (tmp_path / "foreword.md").write_text(
        "---\ntitle: Before We Sail\nauthor: Ivo Marsh\n---\nHi.\n"
    )
    (tmp_path / "about.md").write_text("Oona lives by the sea.\n")
    (tmp_path / "1-notes.md").write_text("# Notes on the Text\n\nSpelling is British.\n")
    matter = MatterSettings(
        front=(
            MatterPage("dedication", tmp_path / "dedication.md"),
            MatterPage("foreword", tmp_path / "foreword.md"),
            MatterPage("", tmp_path / "1-notes.md"),
        ),
        back=(MatterPage("about-the-author", tmp_path / "about.md"),),
    )
    config = replace(default_config(tmp_path), matter=matter)
    made = make_matter(config, META, [], lambda p: p.body)
    assert [(ch.id, ch.title, ch.listed, ch.kind) for ch in made.front + made.back] == [
        ("dedication", "Dedication", False, "front"),
        ("foreword", "Before We Sail", True, "front"),
        ("m-1-notes", "Notes on the Text", True, "front"),
        ("about-the-author", "About the Author", True, "back"),
    ]
    assert made.front[1].authors == ("Ivo Marsh",)
    assert page_ids(config) == ["dedication", "foreword", "m-1-notes", "about-the-author"]


def test_matter_files_and_their_folders_are_not_posts(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    chapters = tmp_path / "chapters"
    (chapters / "front").mkdir(parents=True)
    for name in ("front/dedication.md", "front/stray.md", "foreword.md", "a-post.md"):
        (chapters / name).write_text("Text.\n")
    matter = MatterSettings(
        front=(
            MatterPage("dedication", chapters / "front" / "dedication.md"),
            MatterPage("foreword", chapters / "foreword.md"),  # beside the posts: only itself
        )
    )
    config = replace(default_config(tmp_path), matter=matter, sources=(Source(str(chapters)),))
    with caplog.at_level(logging.WARNING, logger="bookmaker"):
        kept = leave_out_matter(sorted(chapters.rglob("*.md")), config)
    assert [p.name for p in kept] == ["a-post.md"]
    assert [r.getMessage() for r in caplog.records] == [
        f"{chapters / 'front' / 'stray.md'} is in a folder of front or back matter but book.toml "
        "names it nowhere; left out"
    ]
