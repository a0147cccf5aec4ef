"""The read step: every source of a book into posts, with the author's extraction rules."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sites.static import StaticSite

from bookmaker.config import load_config
from bookmaker.sources.read import read_posts

PAGE = """<!doctype html><html><head><title>{title} – Odd Blog</title></head><body>
<article class="post"><h1 class="entry-title">{title}</h1><div class="entry-content">
<p>Keep this first paragraph of {title}, which is the article itself.</p>
<div class="oddbox">Drop this odd box text, no rule knows its class.</div>
<p>Keep this last paragraph too.</p></div></article></body></html>"""


def test_book_toml_remove_and_content_selectors_apply_to_saved_pages(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "one.html").write_text(PAGE.format(title="One"), encoding="utf-8")
    (tmp_path / "book.toml").write_text(
        '[[sources]]\npath = "pages"\nremove = ["div.oddbox"]\n', encoding="utf-8"
    )
    (post,) = read_posts(load_config(tmp_path / "book.toml")).posts
    assert "Keep this first paragraph of One" in post.body
    assert "Keep this last paragraph too." in post.body
    assert "odd box" not in post.body
    (tmp_path / "book.toml").write_text('[[sources]]\npath = "pages"\n', encoding="utf-8")
    (post,) = read_posts(load_config(tmp_path / "book.toml")).posts
    assert "odd box" in post.body  # the rule above, not the extractor, took it out


def test_extract_remove_applies_to_every_source(tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "p.html").write_text(PAGE.format(title=name), encoding="utf-8")
    (tmp_path / "book.toml").write_text(
        '[extract]\nremove = [".oddbox"]\n[[sources]]\npath = "a"\n[[sources]]\npath = "b"\n',
        encoding="utf-8",
    )
    posts = read_posts(load_config(tmp_path / "book.toml")).posts
    assert len(posts) == 2
    assert all("odd box" not in p.body and "Keep this last" in p.body for p in posts)


def test_a_rebuild_takes_posts_and_images_from_the_cache_and_says_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    site = StaticSite(Path(__file__).parent / "sites" / "lantern-blog")
    try:
        (tmp_path / "book.toml").write_text(
            f'[[sources]]\nurl = "{site.url}"\n[fetch]\ndelay = 0\nretries = 0\n',
            encoding="utf-8",
        )
        config = load_config(tmp_path / "book.toml")
        with caplog.at_level(logging.INFO, logger="bookmaker"):
            first = read_posts(config)
        summary = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Posts:")]
        assert "3 found, 3 read (3 fetched, 0 from the cache" in summary[-1]
        assert "Images: 2 downloaded, 0 from the cache" in summary[-1]
        asked = len(site.requests)
        with caplog.at_level(logging.INFO, logger="bookmaker"):
            second = read_posts(config)
        summary = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Posts:")]
        assert "3 read (0 fetched, 3 from the cache" in summary[-1]
        assert "Images: 0 downloaded, 2 from the cache" in summary[-1]
        again = site.requests[asked:]
        assert not [p for p in again if p.endswith((".png", ".jpg", ".html")) or "/20" in p]
        assert [p.body for p in second.posts] == [p.body for p in first.posts]
    finally:
        site.close()
