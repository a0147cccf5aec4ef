from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from bookmaker.assemble import assemble
from bookmaker.config import ChapterSettings, default_config
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
