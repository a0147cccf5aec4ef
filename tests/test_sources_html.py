"""Saved HTML pages as posts: the article, its pictures from `<page>_files/`, slug and errors."""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from pathlib import Path

import lxml.etree
import pytest

from bookmaker.errors import SourceError
from bookmaker.sources.html import load_html, post_slug, saved_from_url

HTML = Path(__file__).parent / "resources" / "html"


def xhtml(body: str) -> lxml.etree._Element:
    return lxml.etree.fromstring(f"<div>{body}</div>")


def image_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if getattr(r, "code", "") == "image.unreadable"]


def test_saved_wordpress_page_becomes_a_post(caplog: pytest.LogCaptureFixture) -> None:
    path = HTML / "wordpress-classic.html"
    with caplog.at_level(logging.WARNING):
        post = load_html(path)
    assert not caplog.records
    assert post.slug == "five-questions-before-moving-in"
    assert post.title == "Five Questions to Ask Before Moving In Together"
    assert post.source == str(path)
    assert (
        post.url == "https://heartsinpractice.example/2013/11/19/five-questions-before-moving-in/"
    )
    assert post.authors == ("Marisol Vega",)
    assert post.date == dt.datetime(2013, 11, 19, 8, 30, tzinfo=dt.UTC)
    assert post.categories == ("Couples",)
    assert set(post.tags) == {"chores", "living together", "money"}
    assert post.language == "en-US"
    assert "hire the van" in post.body and "We use cookies" not in post.body


def test_pictures_from_the_files_folder_become_assets() -> None:
    post = load_html(HTML / "wordpress-classic.html")
    files = HTML / "wordpress-classic_files"
    # The featured image above the post, then the picture in its body.
    expected = [(files / name).read_bytes() for name in ("kitchen-table.jpg", "two-keys.png")]
    assert [a.data for a in post.assets] == expected
    featured, keys = post.assets
    assert (featured.media_type, featured.name.endswith(".jpg")) == ("image/jpeg", True)
    assert (keys.media_type, keys.name.endswith(".png")) == ("image/png", True)
    images = xhtml(post.body).findall(".//img")
    assert [(img.get("src"), img.get("alt")) for img in images] == [
        (featured.name, "Two mugs on a kitchen table"),
        (keys.name, "Two keys on one ring"),
    ]


def test_remote_pictures_are_left_out_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    path = HTML / "blogger.html"
    with caplog.at_level(logging.WARNING):
        post = load_html(path)
    assert image_warnings(caplog) == [
        f"{path}: image https://blogger.example/img/b/R29vZ2xl/s320/deck-at-dawn.jpg is remote "
        "(fetch the blog to download images); left out",
        f"{path}: image https://blogger.example/img/b/QmVyZ2Vu/s320/trollfjord.jpg is remote "
        "(fetch the blog to download images); left out",
    ]
    assert post.assets == ()
    assert "<img" not in post.body
    assert post.slug == "three-days-on-ferry-to-lofoten"


def test_missing_local_picture_keeps_its_alt_text(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    page = tmp_path / "walk.html"
    page.write_text(
        "<html><head><title>A Walk</title></head><body><article><p>We walked along the canal "
        "for most of the afternoon, until the rain came.</p><img src='walk_files/gone.jpg' "
        "alt='The canal in the rain'></article></body></html>",
        encoding="utf-8",
    )
    with caplog.at_level(logging.WARNING):
        post = load_html(page)
    assert image_warnings(caplog) == [f"{page}: image walk_files/gone.jpg not found; left out"]
    assert "[The canal in the rain]" in post.body and "<img" not in post.body


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("jekyll", "backing-up-photos"),
        ("ghost", "why-i-stopped-digging"),
        ("substack", "the-apology-nobody-teaches-you"),
        ("hostile", "a-perfectly-normal-jam-recipe"),  # no address: from the title
    ],
)
def test_slug_from_the_address_or_the_title(name: str, slug: str) -> None:
    assert load_html(HTML / f"{name}.html").slug == slug


def test_address_noted_by_the_browser_is_used_without_a_canonical_link(tmp_path: Path) -> None:
    page = tmp_path / "saved.html"
    shutil.copy(HTML / "handmade.html", page)
    data = page.read_bytes()
    page.write_bytes(
        b"<!-- saved from url=(0042)http://jans-pages.example/trips/tour.htm -->\r\n" + data
    )
    post = load_html(page)
    assert (post.url, post.slug) == ("http://jans-pages.example/trips/tour.htm", "tour")


def test_windows_1252_page_is_decoded() -> None:
    post = load_html(HTML / "handmade.html")
    assert "once for water at Barèges" in post.body
    assert post.title == "Over the Tourmalet on a Loaded Bike"


def test_page_without_an_article_is_a_source_error(tmp_path: Path) -> None:
    page = tmp_path / "menu.html"
    page.write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>", encoding="utf-8")
    with pytest.raises(SourceError) as info:
        load_html(page)
    assert info.value.format_message() == f"{page}: no article found in this page"


def test_empty_file_is_a_source_error(tmp_path: Path) -> None:
    page = tmp_path / "empty.html"
    page.write_bytes(b"")
    with pytest.raises(SourceError, match="no article found in this page"):
        load_html(page)


def test_unreadable_file_is_a_source_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as info:
        load_html(tmp_path / "nowhere.html")
    assert (
        info.value.format_message()
        == f"{tmp_path / 'nowhere.html'}: cannot read (No such file or directory)"
    )


@pytest.mark.parametrize(
    ("url", "title", "slug"),
    [
        ("https://b.example/2013/11/19/five-questions/", "T", "five-questions"),
        ("https://b.example/2019/06/02/backing-up.html", "T", "backing-up"),
        ("https://b.example/posts/caf%C3%A9-au-lait/", "T", "cafe-au-lait"),
        ("https://b.example/trips/index.html", "T", "trips"),
        ("https://b.example/?p=123", "Plum Jam, Again!", "plum-jam-again"),
        ("https://b.example/2020/05/index.htm", "Plum Jam", "plum-jam"),
        (None, "Plum Jam", "plum-jam"),
    ],
)
def test_post_slug(url: str | None, title: str, slug: str) -> None:
    assert post_slug(url, title) == slug


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"<!-- saved from url=(0022)https://b.example/x/ -->\n<html>", "https://b.example/x/"),
        (b"<!DOCTYPE html>\n<!-- saved from url=(0014)about:internet -->", None),
        (b"<html><head>", None),
    ],
)
def test_saved_from_url(data: bytes, expected: str | None) -> None:
    assert saved_from_url(data) == expected
