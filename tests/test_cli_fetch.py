"""`bookmaker fetch`: a blog frozen into Markdown files, and the same book built from them offline.

The fixture blog (tests/sites/lantern-blog: a feed, three post pages, two images) is served on
127.0.0.1. Commands run in-process through Click, except one that checks the real process's
exit status and error line.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

import lxml.etree as etree
import lxml.html
import pytest
from click.testing import CliRunner, Result
from sites.static import StaticSite

from bookmaker.cli import cli

SITES = Path(__file__).resolve().parent / "sites"
BLOCKS = "p li td th tr h1 h2 h3 h4 h5 h6 pre blockquote figure figcaption dt dd br div table"
BOOK_TOML = """\
[book]
title = "The Lantern Room"

[fetch]
delay = 0
retries = 0
timeout = 5
"""


@pytest.fixture
def lantern() -> Iterator[StaticSite]:
    site = StaticSite(SITES / "lantern-blog")
    yield site
    site.close()


@pytest.fixture
def book(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A book folder with a book.toml (no pause between requests), as the current folder."""
    folder = tmp_path / "book"
    folder.mkdir()
    (folder / "book.toml").write_text(BOOK_TOML)
    monkeypatch.chdir(folder)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1717200000")
    return folder


def bookmaker(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def spine(epub: Path) -> list[tuple[str, str, list[str]]]:
    """Each document in reading order: (file name, title, words of its text)."""
    with zipfile.ZipFile(epub) as z:
        opf_name = next(n for n in z.namelist() if n.endswith(".opf"))
        opf = etree.fromstring(z.read(opf_name))
        ns = {"opf": "http://www.idpf.org/2007/opf"}
        hrefs = {i.get("id"): i.get("href") for i in opf.iterfind(".//opf:manifest/opf:item", ns)}
        base = PurePosixPath(opf_name).parent
        out = []
        for ref in opf.iterfind(".//opf:spine/opf:itemref", ns):
            href = hrefs[ref.get("idref")]
            page = lxml.html.fromstring(z.read(str(base / href)))
            title = " ".join(" ".join(h.text_content().split()) for h in page.iter("h1"))
            out.append((href, title, words(page.find("body"))))
        return out


def words(body: lxml.html.HtmlElement) -> list[str]:
    for el in body.iter(*BLOCKS.split()):
        el.text, el.tail = " " + (el.text or ""), " " + (el.tail or "")
    return body.text_content().split()


def images(epub: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(epub) as z:
        return {n: z.read(n) for n in z.namelist() if "/images/" in n}


def test_fetched_folder_builds_offline_into_the_same_book(lantern: StaticSite, book: Path) -> None:
    fetched = bookmaker("fetch", lantern.url)
    assert fetched.exit_code == 0, fetched.output
    assert fetched.stdout == "Wrote 3 posts and 2 images to chapters/\n"
    assert sorted(p.name for p in (book / "chapters").iterdir()) == [
        "2024-03-the-long-table.md",
        "2024-04-the-keepers-log.md",
        "2024-05-rain-on-the-gallery.md",
        "images",
    ]
    assert len(list((book / "chapters" / "images").iterdir())) == 2

    asked = len(lantern.requests)
    frozen = bookmaker("build", "chapters", "--format", "epub", "-o", "frozen")
    assert frozen.exit_code == 0, frozen.output
    assert len(lantern.requests) == asked, "a build from the folder must not go to the blog"
    direct = bookmaker("build", lantern.url, "--format", "epub", "-o", "direct")
    assert direct.exit_code == 0, direct.output

    from_folder = spine(book / "frozen" / "the-lantern-room.epub")
    from_web = spine(book / "direct" / "the-lantern-room.epub")
    assert [(href, title) for href, title, _ in from_folder] == [
        ("cover.xhtml", ""),
        ("titlepage.xhtml", "The Lantern Room"),
        ("the-long-table.xhtml", "The Long Table"),
        ("the-keepers-log.xhtml", "The Keeper's Log"),
        ("rain-on-the-gallery.xhtml", 'Rain: "a short note" on the gallery'),
    ]
    assert [(href, title) for href, title, _ in from_web] == [
        (href, title) for href, title, _ in from_folder
    ]
    for (href, _, text), (_, _, web_text) in zip(from_folder, from_web, strict=True):
        assert text == web_text, href
    assert "sentimental" in from_folder[2][2] and "lit_hours(entries):" in from_folder[3][2]
    assert images(book / "frozen" / "the-lantern-room.epub") == images(
        book / "direct" / "the-lantern-room.epub"
    )


def test_book_built_from_the_folder_passes_epubcheck(
    lantern: StaticSite,
    book: Path,
    epubcheck,  # noqa: ANN001 - the session's EPUBCheck service
) -> None:
    assert bookmaker("fetch", lantern.url).exit_code == 0
    built = bookmaker("build", "--format", "epub")  # no SOURCE: the chapters/ folder
    assert built.exit_code == 0, built.output
    report = epubcheck(book / "output" / "the-lantern-room.epub")
    assert (report.errors, report.warnings) == ([], [])


def test_fetch_again_keeps_edits_adds_what_is_missing_and_overwrite_replaces(
    lantern: StaticSite, book: Path
) -> None:
    assert bookmaker("fetch", lantern.url).exit_code == 0
    chapters = book / "chapters"
    table = chapters / "2024-03-the-long-table.md"
    table.write_text(table.read_text().replace("nine metres", "nearly nine metres"))
    (chapters / "2024-05-rain-on-the-gallery.md").unlink()

    again = bookmaker("fetch", lantern.url)
    assert again.exit_code == 0, again.output
    assert again.stdout == "Wrote 1 post and 0 images to chapters/ (2 kept)\n"
    assert f"{table}: kept (exists)" in again.stderr
    assert "nearly nine metres" in table.read_text()
    assert (chapters / "2024-05-rain-on-the-gallery.md").is_file()

    replaced = bookmaker("fetch", lantern.url, "--overwrite")
    assert replaced.stdout == "Wrote 3 posts and 0 images to chapters/\n"
    assert "nearly" not in table.read_text()


def test_into_is_taken_from_the_current_folder_and_the_default_is_beside_book_toml(
    lantern: StaticSite, book: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    beside = bookmaker("fetch", lantern.url, "-c", book / "book.toml")
    assert beside.exit_code == 0, beside.output
    assert beside.stdout == f"Wrote 3 posts and 2 images to {book / 'chapters'}/\n"
    assert len(list((book / "chapters").glob("*.md"))) == 3
    into = bookmaker("fetch", lantern.url, "-c", book / "book.toml", "--into", "drafts")
    assert into.stdout == "Wrote 3 posts and 2 images to drafts/\n"
    assert len(list((elsewhere / "drafts").glob("*.md"))) == 3


def test_posts_that_fail_are_counted_and_no_posts_at_all_is_an_error(
    book: Path, tmp_path: Path
) -> None:
    site_dir = tmp_path / "site"
    (site_dir / "ok").mkdir(parents=True)
    (site_dir / "ok" / "index.html").write_text(
        "<!DOCTYPE html><html><head><title>Gull Count</title></head><body><article><h1>Gull "
        "Count</h1><p>Forty-one gulls on the gallery rail this morning, and one very patient "
        "cormorant on the lamp housing, drying its wings in the wind.</p></article></body></html>"
    )
    items = "".join(
        f"<item><title>{t}</title><link>/{p}/</link></item>"
        for t, p in (("Gull Count", "ok"), ("Gone", "gone"))
    )
    (site_dir / "feed.xml").write_text(f'<rss version="2.0"><channel>{items}</channel></rss>')
    (site_dir / "lost.xml").write_text(
        '<rss version="2.0"><channel><item><title>Gone</title><link>/gone/</link></item>'
        "</channel></rss>"
    )
    site = StaticSite(site_dir)
    try:
        partly = bookmaker("fetch", site.url + "feed.xml")
        assert partly.exit_code == 0, partly.output
        assert partly.stdout == "Wrote 1 post and 0 images to chapters/ (1 skipped)\n"
        assert f"{site.url}gone/: HTTP 404" in partly.stderr
        none = bookmaker("fetch", site.url + "lost.xml", "--into", "nothing")
    finally:
        site.close()
    assert none.exit_code == 1
    assert none.stderr.splitlines()[-1] == (
        "bookmaker: error: no posts to fetch (every post was skipped)"
    )
    assert not (book / "nothing").exists()


def test_nothing_to_fetch_is_one_line(book: Path) -> None:
    result = bookmaker("fetch")
    assert result.exit_code == 1
    assert result.stderr == (
        "bookmaker: error: nothing to fetch: give a SOURCE (a blog's address, a file or a "
        "folder) or add [[sources]] to book.toml\n"
    )


def test_missing_page_is_one_line_exit_1(fault_server, book: Path) -> None:  # noqa: ANN001
    site = fault_server()
    result = bookmaker("fetch", site.url("/missing"))
    assert result.exit_code == 1
    (line,) = [x for x in result.stderr.splitlines() if x.startswith("bookmaker: error:")]
    assert site.url("/missing") in line and "404" in line
    assert not (book / "chapters").exists()


def test_unreachable_site_is_one_line_exit_1_in_a_real_process(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    (tmp_path / "book.toml").write_text(BOOK_TOML)
    result = subprocess.run(
        [sys.executable, "-m", "bookmaker", "fetch", f"http://127.0.0.1:{port}/"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    errors = [x for x in result.stderr.splitlines() if x.startswith("bookmaker: error:")]
    assert len(errors) == 1 and "cannot connect" in errors[0], result.stderr
    assert not (tmp_path / "chapters").exists()
