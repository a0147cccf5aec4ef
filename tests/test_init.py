"""`bookmaker init`: a new author starts from something that builds, as a user runs it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from bookmaker.config import SCHEMA, load_config
from bookmaker.errors import BookmakerError
from bookmaker.init import init_book

REPO = Path(__file__).resolve().parent.parent


def bookmaker(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bookmaker", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


def test_init_then_build_in_an_empty_folder_gives_an_epub_and_a_pdf(
    tmp_path: Path, epubcheck
) -> None:
    folder = tmp_path / "garden-letters"
    folder.mkdir()
    made = bookmaker("init", cwd=folder)
    assert made.returncode == 0, made.stderr
    assert "Wrote book.toml" in made.stdout
    built = bookmaker("build", cwd=folder)
    assert built.returncode == 0, built.stderr
    assert "warning" not in built.stderr.lower() and "error" not in built.stderr.lower()
    written = sorted(p.name for p in (folder / "output").iterdir())
    assert written == ["garden-letters.epub", "garden-letters.pdf"]
    report = epubcheck(folder / "output" / "garden-letters.epub")
    assert (report.errors, report.warnings) == ([], [])


def test_init_writes_a_commented_book_toml_starter_matter_and_styles(tmp_path: Path) -> None:
    written = init_book(tmp_path, title='The "Quiet" Year', author="Ada Wren")
    names = sorted(str(p.relative_to(tmp_path)) for p in written)
    assert names == [
        ".gitignore",
        "book.toml",
        "chapters/a-first-post.md",
        "chapters/back/about-the-author.md",
        "chapters/front/dedication.md",
        "chapters/front/foreword.md",
        "styles/epub.css",
        "styles/print.css",
    ]
    ignored = (tmp_path / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert {"/output/", "/.bookmaker-cache/"} <= set(ignored)
    text = (tmp_path / "book.toml").read_text(encoding="utf-8")
    assert text.count("\n# ") > 20  # commented
    config = load_config(tmp_path / "book.toml")
    assert config.book.title == 'The "Quiet" Year'
    assert config.book.authors == ("Ada Wren",)
    assert [p.role for p in config.matter.front] == [
        "titlepage",
        "copyright",
        "dedication",
        "foreword",
    ]
    assert config.sources[0].location == str(tmp_path / "chapters")
    assert config.output.epub_stylesheet == tmp_path / "styles" / "epub.css"
    packaged = (REPO / "styles" / "print.css").read_text(encoding="utf-8")
    assert (tmp_path / "styles" / "print.css").read_text(encoding="utf-8") == packaged


def test_init_with_a_source_url_reads_the_blog_and_writes_no_starter_post(tmp_path: Path) -> None:
    made = bookmaker("init", "--source", "https://blog.example/", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    raw = tomllib.loads((tmp_path / "book.toml").read_text(encoding="utf-8"))
    assert raw["sources"] == [{"url": "https://blog.example/"}]
    assert raw["back"]["first_appeared"] is True
    assert not (tmp_path / "chapters" / "a-first-post.md").exists()
    assert load_config(tmp_path / "book.toml").sources[0].is_url


def test_init_keeps_what_exists_and_adds_no_starter_post_beside_real_posts(tmp_path: Path) -> None:
    folder = tmp_path / "sea-glass_notes"
    (folder / "chapters" / "front").mkdir(parents=True)
    (folder / "chapters" / "2019-05-first.md").write_text("---\ntitle: Mine\n---\nText.\n")
    (folder / "chapters" / "front" / "dedication.md").write_text("For my sister.\n")
    written = init_book(folder)
    assert folder / "chapters" / "a-first-post.md" not in written
    assert folder / "chapters" / "front" / "dedication.md" not in written
    assert (folder / "chapters" / "front" / "dedication.md").read_text() == "For my sister.\n"
    config = load_config(folder / "book.toml")
    assert (config.book.title, config.book.authors) == ("Sea Glass Notes", ("Your Name",))


def test_init_refuses_to_replace_a_book_toml(tmp_path: Path) -> None:
    (tmp_path / "book.toml").write_text('[book]\ntitle = "Mine"\n')
    made = bookmaker("init", cwd=tmp_path)
    assert made.returncode == 1
    assert made.stderr.strip() == (
        f"bookmaker: error: {tmp_path / 'book.toml'} already exists: nothing written"
    )
    assert (tmp_path / "book.toml").read_text() == '[book]\ntitle = "Mine"\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.toml"]


def test_every_key_the_template_shows_or_suggests_is_a_real_key(tmp_path: Path) -> None:
    init_book(tmp_path)
    table, seen = "", 0
    for line in (tmp_path / "book.toml").read_text(encoding="utf-8").splitlines():
        line = line.removeprefix("# ").strip()
        header = re.fullmatch(r"\[\[?([a-z_.]+?)\]?\]", line)
        if header:
            table = re.sub(r"^editions\..*", "editions", header[1])
            continue
        key = re.match(r"([a-z_]+) = ", line)
        if key and table:
            assert key[1] in SCHEMA[table], f"{table}.{key[1]}"
            seen += 1
    assert seen > 40


def test_a_folder_that_cannot_be_written_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(BookmakerError) as info:
        init_book(blocker / "book")
    assert info.value.message.startswith(str(blocker / "book"))
    assert "cannot write" in info.value.message
