from __future__ import annotations

import datetime as dt
import logging
from dataclasses import replace
from pathlib import Path

import pytest

from bookmaker.assemble import assemble
from bookmaker.config import (
    ChapterSettings,
    MatterPage,
    MatterSettings,
    PartSettings,
    default_config,
)
from bookmaker.errors import ConfigError
from bookmaker.model import Post


def post(
    slug: str,
    date: str | None,
    *,
    cats: tuple[str, ...] = (),
    body: str = "<p>x</p>",
    source: str = "",
    url: str | None = None,
    order: int | None = None,
) -> Post:
    return Post(
        slug=slug,
        title=slug.replace("-", " ").title(),
        body=body,
        source=source or f"/blog/{slug}.md",
        authors=("Maren Holt",),
        date=dt.datetime.fromisoformat(date) if date else None,
        categories=cats,
        url=url,
        order=order,
    )


def config(tmp_path: Path, **chapters: object):
    base = default_config(tmp_path)
    return replace(base, chapters=replace(ChapterSettings(), **chapters))


def test_default_order_is_by_date_oldest_first_undated_last(tmp_path: Path) -> None:
    posts = [
        post("c", "2020-01-01"),
        post("undated", None),
        post("a", "2014-05-02"),
        post("b", "2016-07-08T10:00:00+02:00"),
    ]
    book = assemble(posts, config(tmp_path))
    assert [ch.id for ch in book.chapters] == ["a", "b", "c", "undated"]


def test_reverse_date_and_front_matter_order(tmp_path: Path) -> None:
    posts = [post("a", "2014-01-01"), post("b", "2015-01-01"), post("c", "2016-01-01")]
    book = assemble(posts, config(tmp_path, order="reverse-date"))
    assert [ch.id for ch in book.chapters] == ["c", "b", "a"]
    posts[2] = replace(posts[2], order=1)
    book = assemble(posts, config(tmp_path))
    assert [ch.id for ch in book.chapters] == ["c", "a", "b"]


def test_explicit_order_overrides_dates_and_unknown_slug_is_an_error(tmp_path: Path) -> None:
    posts = [post("a", "2014-01-01"), post("b", "2015-01-01"), post("c", "2016-01-01")]
    book = assemble(posts, config(tmp_path, order="explicit", explicit=("c", "a", "b")))
    assert [ch.id for ch in book.chapters] == ["c", "a", "b"]
    with pytest.raises(ConfigError, match="no post with slug 'bb'; did you mean 'b'"):
        assemble(posts, config(tmp_path, order="explicit", explicit=("bb",)))


def test_grouping_by_category_makes_parts_in_configured_order(tmp_path: Path) -> None:
    posts = [
        post("a", "2014-01-01", cats=("Talk",)),
        post("b", "2015-01-01", cats=("Fights",)),
        post("c", "2016-01-01", cats=("Talk", "Fights")),
        post("d", "2017-01-01"),
    ]
    book = assemble(posts, config(tmp_path, group_by="category", parts=("Fights",)))
    assert [(p.title, [c.id for c in p.chapters]) for p in book.parts] == [
        ("Fights", ["b"]),
        ("Talk", ["a", "c"]),
        ("More", ["d"]),
    ]
    assert book.has_parts


def test_same_titles_give_distinct_stable_ids(tmp_path: Path) -> None:
    posts = [post("hello", "2014-01-01"), post("hello", "2015-01-01"), post("2019-recap", None)]
    book = assemble(posts, config(tmp_path))
    assert [ch.id for ch in book.chapters] == ["hello", "hello-2", "c-2019-recap"]
    assert [ch.id for ch in assemble(posts, config(tmp_path)).chapters] == [
        ch.id for ch in book.chapters
    ]


def test_links_between_posts_become_chapter_links(tmp_path: Path) -> None:
    body = (
        '<p><a href="b.md">by file</a> <a href="https://www.blog.example/2015/01/b">by url</a>'
        ' <a href="/2015/01/b/#part">by path</a> <a href="https://other.example/">out</a>'
        ' <a href="missing.md">gone</a> <a href="#fn-1">note</a></p>'
    )
    posts = [
        post(
            "a", "2014-01-01", body=body, source="/blog/a.md", url="https://blog.example/2014/01/a/"
        ),
        post("b", "2015-01-01", source="/blog/b.md", url="http://blog.example/2015/01/b/"),
    ]
    chapter = assemble(posts, config(tmp_path)).chapters[0]
    assert '<a href="b.xhtml">by file</a>' in chapter.body
    assert '<a href="b.xhtml">by url</a>' in chapter.body
    assert '<a href="b.xhtml#part">by path</a>' in chapter.body
    assert '<a href="https://other.example/">out</a>' in chapter.body
    assert "<a>gone</a>" in chapter.body
    assert '<a href="#fn-1">note</a>' in chapter.body


def test_links_to_plain_permalinks_lead_to_their_own_chapter(tmp_path: Path) -> None:
    # WordPress's default addresses differ only in the query: ?p=11, ?p=13.
    body = (
        '<p><a href="https://blog.example/?p=13">to c</a>'
        ' <a href="https://blog.example/">home</a></p>'
    )
    posts = [
        post("a", "2014-01-01", body=body, url="https://blog.example/?p=11"),
        post("b", "2015-01-01", url="https://blog.example/?p=12"),
        post("c", "2016-01-01", url="https://blog.example/?p=13"),
    ]
    chapter = assemble(posts, config(tmp_path)).chapters[0]
    assert '<a href="c.xhtml">to c</a>' in chapter.body
    assert '<a href="https://blog.example/">home</a>' in chapter.body


def test_metadata_defaults_from_posts_and_source_date_epoch(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    posts = [post("a", "2014-01-01"), post("b", "2019-03-04")]
    meta = assemble(posts, config(tmp_path)).meta
    assert meta.authors == ("Maren Holt",)
    assert meta.modified == dt.datetime(2019, 3, 4)
    assert meta.identifier.startswith("urn:uuid:")
    assert assemble(posts, config(tmp_path)).meta.identifier == meta.identifier
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert assemble(posts, config(tmp_path)).meta.modified == dt.datetime(2023, 11, 14, 22, 13, 20)
    single = assemble([posts[0]], config(tmp_path)).meta
    assert single.title == "A"


# -- which posts, parts, matter, editions ----------------------------------------------------------


def test_excluded_posts_are_left_out_and_a_misspelt_slug_is_an_error(tmp_path: Path) -> None:
    posts = [post("a", "2014-01-01"), post("b", "2015-01-01"), post("c", "2016-01-01")]
    book = assemble(posts, config(tmp_path, exclude=("b",)))
    assert [ch.id for ch in book.chapters] == ["a", "c"]
    with pytest.raises(ConfigError, match="chapters.exclude: no post with slug 'bb'; did you mean"):
        assemble(posts, config(tmp_path, exclude=("bb",)))


def test_links_to_posts_outside_the_book_lead_to_the_blog_or_become_text(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    body = '<p><a href="b.md">b by file</a> <a href="c.md">c by file</a></p>'
    posts = [
        post("a", "2014-01-01", body=body, source="/blog/a.md"),
        post("b", "2015-01-01", source="/blog/b.md", url="https://blog.example/b/"),
        post("c", "2016-01-01", source="/blog/c.md"),
    ]
    edition = replace(config(tmp_path, only=("a",)), edition="sampler")
    with caplog.at_level(logging.WARNING, logger="bookmaker"):
        (chapter,) = assemble(posts, edition).chapters
    assert '<a href="https://blog.example/b/">b by file</a>' in chapter.body
    assert "<a>c by file</a>" in chapter.body
    assert caplog.records == []  # left out on purpose: not a broken link
    with pytest.raises(ConfigError, match="editions.sampler.chapters: no post with slug 'x'"):
        assemble(posts, replace(config(tmp_path, only=("x",)), edition="sampler"))


def test_parts_take_their_titles_and_introductions_from_book_toml(tmp_path: Path) -> None:
    intro = tmp_path / "letters.md"
    intro.write_text("Written on <em>thin</em> paper; see [b](b.md).\n")
    posts = [
        post("a", "2014-01-01", cats=("Talk",)),
        post("b", "2015-01-01", cats=("Letters",), source=str(tmp_path / "b.md")),
    ]
    parts = (PartSettings("Letters", "Letters Home", intro), PartSettings("Talk"))
    settings = config(tmp_path, group_by="category", parts=("Letters", "Talk"))
    book = assemble(
        posts, replace(settings, chapters=replace(settings.chapters, part_settings=parts))
    )
    assert [(p.title, p.id) for p in book.parts] == [
        ("Letters Home", "part-letters"),
        ("Talk", "part-talk"),
    ]
    intro_html = '<p>Written on <em>thin</em> paper; see <a href="b.xhtml">b</a>.</p>'
    assert book.parts[0].intro.strip() == intro_html
    assert book.parts[1].intro == ""


def test_a_part_without_posts_is_a_warning_naming_the_closest_category(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    posts = [post("a", "2014-01-01", cats=("Letters",))]
    with caplog.at_level(logging.WARNING, logger="bookmaker"):
        assemble(posts, config(tmp_path, group_by="category", parts=("Leters",)))
    assert [r.getMessage() for r in caplog.records] == [
        "part 'Leters': no post has this category; did you mean 'Letters'?"
    ]


def test_posts_never_take_the_ids_of_matter_pages(tmp_path: Path) -> None:
    dedication = tmp_path / "dedication.md"
    dedication.write_text("For Jonas.\n")
    settings = config(tmp_path)
    settings = replace(
        settings,
        matter=MatterSettings(
            front=(MatterPage("titlepage"), MatterPage("dedication", dedication))
        ),
    )
    posts = [post("dedication", "2014-01-01"), post("titlepage", "2015-01-01")]
    book = assemble(posts, settings)
    assert [ch.id for ch in book.front] == ["titlepage", "dedication"]
    assert [ch.id for ch in book.chapters] == ["c-dedication", "c-titlepage"]
    assert [ch.listed for ch in book.front] == [False, False]


def test_the_isbn_is_the_identifier_and_an_edition_adds_its_suffix(tmp_path: Path) -> None:
    posts = [post("a", "2014-01-01"), post("b", "2015-01-01")]
    settings = config(tmp_path)
    book = replace(settings.book, title="Tide Tables", isbn="978-1-234-56789-7", edition="2nd")
    meta = assemble(posts, replace(settings, book=book)).meta
    assert (meta.identifier, meta.isbn, meta.edition) == (
        "urn:isbn:9781234567897",
        "978-1-234-56789-7",
        "2nd",
    )
    sampler = replace(book, isbn="", title_suffix=" — A Sampler")
    meta = assemble(posts, replace(settings, book=sampler)).meta
    assert meta.title == "Tide Tables — A Sampler"
    assert meta.identifier.startswith("urn:uuid:")


def test_chapter_ids_stay_unique_when_a_slug_looks_like_a_numbered_duplicate(
    tmp_path: Path,
) -> None:
    posts = [
        post("hello", "2014-01-01"),
        post("hello-2", "2014-06-01"),
        post("hello", "2015-01-01"),
    ]
    assert [ch.id for ch in assemble(posts, config(tmp_path)).chapters] == [
        "hello",
        "hello-2",
        "hello-3",
    ]


def test_an_explicit_order_passes_over_excluded_posts_but_not_misspelt_slugs(
    tmp_path: Path,
) -> None:
    posts = [post("a", "2014-01-01"), post("b", "2015-01-01"), post("c", "2016-01-01")]
    settings = config(tmp_path, order="explicit", explicit=("c", "b", "a"), exclude=("b",))
    assert [ch.id for ch in assemble(posts, settings).chapters] == ["c", "a"]
    settings = config(tmp_path, order="explicit", explicit=("c", "bb", "a"), exclude=("b",))
    with pytest.raises(ConfigError, match="chapters.order: no post with slug 'bb'"):
        assemble(posts, settings)
