"""`bookmaker extract`: one page as bookmaker keeps it, from a file or from a blog on 127.0.0.1."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result
from test_extract_template import FURNITURE, UNIQUE, loom_pages
from test_sources_web import SITES, SiteServer

from bookmaker.cli import cli
from bookmaker.sources.markdown import load_markdown

REPO = Path(__file__).resolve().parent.parent
WORDPRESS = Path(__file__).parent / "resources" / "html" / "wordpress-classic.html"
ARTICLE = "Every autumn, a handful of couples book a session with me"
COMMENTS = ("We skipped question five", "Priyanka", "Your email address will not be published")
FAST_FETCH = "[fetch]\ndelay = 0\nretries = 0\ntimeout = 5\n"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, ["extract", *map(str, args)], catch_exceptions=False)


@pytest.fixture
def in_book(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A book folder as the working directory, its fetches unhurried for tests."""
    (tmp_path / "book.toml").write_text(FAST_FETCH)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def loom_site() -> Iterator[SiteServer]:
    with SiteServer(SITES / "loom-blog") as server:
        yield server


# --- a saved page -----------------------------------------------------------------------------


def test_wordpress_post_prints_article_title_author_and_date_but_no_comments() -> None:
    # As a user runs it, in a process of its own.
    result = subprocess.run(
        [sys.executable, "-m", "bookmaker", "extract", str(WORDPRESS), "--format", "text"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ},
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("Title:      Five Questions to Ask Before Moving In Together\n")
    assert "Author:     Marisol Vega\n" in out
    assert "Published:  2013-11-19 08:30+00:00\n" in out
    assert ARTICLE in out and "you are probably ready to hire the van." in out
    assert [phrase for phrase in COMMENTS if phrase in out] == []
    assert "Traceback" not in result.stderr


def test_markdown_output_is_a_chapter_the_markdown_loader_reads(tmp_path: Path) -> None:
    result = run(WORDPRESS)
    assert result.exit_code == 0, result.stderr
    front, body = result.stdout.removeprefix("---\n").split("\n---\n", 1)
    meta = yaml.safe_load(front)
    assert meta["title"] == "Five Questions to Ask Before Moving In Together"
    assert meta["author"] == "Marisol Vega"
    assert meta["categories"] == ["Couples"]
    assert "## 1. What does a normal Tuesday look like?" in body
    chapter = tmp_path / "five-questions.md"
    chapter.write_text(result.stdout, encoding="utf-8")
    post = load_markdown(chapter)
    assert post.title == meta["title"] and post.authors == ("Marisol Vega",)
    assert "<h2>1. What does a normal Tuesday look like?</h2>" in post.body


def test_html_output_keeps_the_header_in_a_comment() -> None:
    out = run(WORDPRESS, "--format", "html").stdout
    header, body = out.split("-->\n", 1)
    assert header.startswith("<!--\nTitle: Five Questions")
    assert "Author: Marisol Vega" in header
    assert body.startswith("<figure>") and "<figcaption>Where most of these talks happen." in body
    assert "<p>Every autumn" in body and "<h2>2. How will we split the money?</h2>" in body
    assert "<script" not in body and "Priyanka" not in body


def test_remove_and_content_selectors_change_what_is_kept() -> None:
    out = run(WORDPRESS, "--format", "text", "--remove", "figure", "--explain").stdout
    assert "Three ways to share a household budget" not in out
    assert "your remove selector 'figure'" in out
    narrow = run(WORDPRESS, "--format", "text", "--selectors", "blockquote").stdout
    assert "Conflict is not the opposite of closeness" in narrow
    assert ARTICLE not in narrow


def test_explain_on_a_saved_page_lists_the_template_as_selectors(tmp_path: Path) -> None:
    pages = loom_pages(tmp_path / "saved")
    result = run(pages[0], "--format", "text", "--explain")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    article, explanation = out.split("=== How bookmaker read this page ===")
    assert [phrase for phrase in FURNITURE if phrase in article] == []
    assert UNIQUE[pages[0].stem] in article
    assert "Template: learned from 5 pages of this site (this one and 4 others)" in explanation
    assert "repeats on 5 of 5 pages of this site (the blog's template)" in explanation
    for selector in ("div.zz-7", "div.xq-box", "div.qb-card", "div.rt-text > p:last-of-type"):
        assert f"\n  {selector}\n" in explanation
    remove_line = next(line for line in explanation.splitlines() if "remove = [" in line)
    assert '"div.zz-7"' in remove_line and '"div.xq-box"' in remove_line


def test_explain_says_when_there_was_nothing_to_learn_from(tmp_path: Path) -> None:
    page = loom_pages(tmp_path / "saved")[0]
    alone = tmp_path / "alone"
    alone.mkdir()
    (alone / page.name).write_bytes(page.read_bytes())
    out = run(alone / page.name, "--explain", "--format", "text").stdout
    assert "Template: not learned (0 other pages of this site could be read; 2 are needed)" in out
    assert "Pass it on" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("nope.html",), "nope.html: no such file"),
        ((WORDPRESS, "--remove", "div >> p"), "'div >> p' is not a CSS selector"),
        ((WORDPRESS, "--content", "p::first-line"), "pseudo-element"),
    ],
)
def test_errors_are_one_line(args: tuple[str | Path, ...], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("bookmaker: error: ")
    assert message in lines[0]


# --- a page on the web -----------------------------------------------------------------------


def test_a_url_is_fetched_with_its_siblings_and_cached(
    loom_site: SiteServer, in_book: Path
) -> None:
    url = loom_site.url("/posts/twill-at-last.html")
    result = run(url, "--format", "text", "--explain")
    assert result.exit_code == 0, result.stderr
    article, explanation = result.stdout.split("=== How bookmaker read this page ===")
    assert "Title:      Twill at Last\n" in article
    assert f"URL:        {url}\n" in article
    assert UNIQUE["twill-at-last"] in article
    assert [phrase for phrase in FURNITURE if phrase in article] == []
    assert "Template: learned from 5 pages" in explanation
    assert "/robots.txt" in loom_site.requests
    assert (in_book / ".bookmaker-cache").is_dir()


def test_offline_reads_the_page_and_its_siblings_from_the_cache(
    loom_site: SiteServer, in_book: Path
) -> None:
    url = loom_site.url("/posts/choosing-yarn.html")
    online = run(url, "--format", "text")
    asked = len(loom_site.requests)
    offline = run(url, "--format", "text", "--offline")
    assert offline.exit_code == 0, offline.stderr
    assert offline.stdout == online.stdout
    assert len(loom_site.requests) == asked  # not one request more
    missing = run(loom_site.url("/posts/never-fetched.html"), "--offline")
    assert missing.exit_code == 1 and "is not in the cache" in missing.stderr


def test_robots_txt_is_honoured_unless_ignored(loom_site: SiteServer, in_book: Path) -> None:
    url = loom_site.url("/private/draft.html")
    refused = run(url, "--format", "text")
    assert refused.exit_code == 1
    assert "robots.txt" in refused.stderr
    allowed = run(url, "--format", "text", "--ignore-robots")
    assert allowed.exit_code == 0, allowed.stderr
    assert "Title:      A Draft Not Yet Public" in allowed.stdout
