"""The sample book as a user builds it, and the same posts in all three local forms."""

from __future__ import annotations

import difflib
import re
import tomllib
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from pdfcheck import margin_text, outline
from pypdf import PdfReader

from bookmaker.build import build
from bookmaker.config import Source, load_config
from bookmaker.matter import matter_files, matter_folders
from bookmaker.model import Post
from bookmaker.sources.local import find_post_files, load_post

REPO = Path(__file__).resolve().parent.parent
BOOKS = REPO / "tests" / "books"
EXPECTED = tomllib.loads((BOOKS / "sample-expected.toml").read_text(encoding="utf-8"))["posts"]
FORMS = {"markdown": REPO / "chapters", "html": BOOKS / "sample-html", "text": BOOKS / "sample-txt"}


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory):
    config = load_config(REPO / "book.toml")
    out = tmp_path_factory.mktemp("sample")
    config = replace(config, output=replace(config.output, dir=out))
    return build(config)


def test_sample_book_writes_an_epub_and_a_pdf_of_the_book_and_of_the_sampler(sample) -> None:
    assert [p.name for p in sample.written] == [
        "small-hours.epub",
        "small-hours.pdf",
        "small-hours-sampler.epub",
        "small-hours-sampler.pdf",
    ]
    assert len(sample.book.chapters) == 7
    sampler = sample.editions[1].book
    assert [ch.id for ch in sampler.chapters] == [
        "listening-first",
        "fair-fights",
        "letters-across-time-zones",
    ]
    assert sampler.meta.title == "Small Hours — A Sampler"


def test_sample_book_has_front_and_back_matter(sample) -> None:
    front = {ch.id: ch for ch in sample.book.front}
    back = {ch.id: ch for ch in sample.book.back}
    assert list(front) == ["titlepage", "copyright", "dedication", "epigraph", "foreword"]
    assert list(back) == ["first-appeared", "by-category", "about-the-author"]
    assert "For Jonas" in front["dedication"].body
    assert front["foreword"].authors == ("Ines Varga",)
    assert '<a href="fair-fights.xhtml">Fair Fights</a>' in front["foreword"].body
    assert back["first-appeared"].body.count("https://smallhours.example/") == 7
    assert [p.intro != "" for p in sample.book.parts] == [True, True, True]
    # None of the matter files became a chapter.
    assert {ch.source for ch in sample.book.chapters} == {
        str(f) for f in find_post_files(REPO / "chapters") if f.parent == REPO / "chapters"
    }


@pytest.mark.parametrize("index", [0, 2])
def test_sample_epubs_pass_epubcheck(sample, epubcheck, index: int) -> None:
    report = epubcheck(sample.written[index])
    assert (report.errors, report.warnings, report.infos) == ([], [], [])


def test_sample_epub_cross_links_land_on_chapters(sample) -> None:
    with zipfile.ZipFile(sample.written[0]) as epub:
        names = set(epub.namelist())
        hrefs = [
            href
            for name in names
            if name.endswith(".xhtml")
            for href in re.findall(r'href="([^"]+)"', epub.read(name).decode())
        ]
    internal = [h for h in hrefs if not h.startswith(("http", "#", "mailto:"))]
    assert len([h for h in internal if not h.startswith(("styles/", "images/"))]) >= 8
    for href in internal:
        assert f"EPUB/{href.split('#')[0]}" in names, href
    assert not [h for h in hrefs if "smallhours.example" in h]  # every blog link became internal


@pytest.fixture(scope="module")
def pdf(sample) -> PdfReader:
    return PdfReader(sample.written[1])


def test_every_sample_chapter_has_a_bookmark(sample, pdf: PdfReader) -> None:
    titles = [title for depth, title, _ in outline(pdf) if depth == 1]
    assert titles == [ch.title for ch in sample.book.chapters]
    assert [title for depth, title, _ in outline(pdf) if depth == 0] == [
        "Foreword",
        "Communication",
        "Conflict",
        "Distance",
        "Where These Essays First Appeared",
        "Essays by Category",
        "About the Author",
    ]


def test_every_web_link_of_the_sample_has_its_address_as_a_footnote(sample, pdf) -> None:
    text = "".join(page.extract_text() for page in pdf.pages)
    for address in (
        "https://en.wikipedia.org/wiki/Carl_Rogers",
        "https://www.timeanddate.com/worldclock/meeting.html",
    ):
        assert address in text


def test_contents_gives_the_page_each_chapter_really_starts_on(sample, pdf: PdfReader) -> None:
    texts = [page.extract_text() for page in pdf.pages]
    toc_index = next(i for i, t in enumerate(texts) if t.startswith("Contents"))
    starts = {title: index for _, title, index in outline(pdf)}
    for chapter in sample.book.chapters:
        listed = re.search(re.escape(chapter.title) + r"[ .]*?(\d+)\s*$", texts[toc_index], re.M)
        assert listed, chapter.title
        start = int(listed[1]) - 1
        assert start == starts[chapter.title]
        assert " ".join(texts[start].split()).startswith(chapter.title), texts[start][:80]


def test_chapter_pages_after_the_first_carry_the_running_head(sample, pdf: PdfReader) -> None:
    marks = sorted((index, title) for _, title, index in outline(pdf))
    ends = dict(zip(marks, [index for index, _ in marks[1:]] + [len(pdf.pages)], strict=True))
    starts = sorted((index, title) for depth, title, index in outline(pdf) if depth == 1)
    part_pages = {index for depth, _, index in outline(pdf) if depth == 0}
    for start, title in starts:
        end = ends[(start, title)]
        assert margin_text(pdf, start)[0] == ""
        following = [
            i
            for i in range(start + 1, end)
            if i not in part_pages
            and i + 1 not in part_pages
            and pdf.pages[i].extract_text().strip()
        ]
        assert following, title
        for index in following:
            assert margin_text(pdf, index) == (title, str(index + 1)), (title, index)


def post_files(form: str) -> list[Path]:
    """The form's post files: in the Markdown form, chapters/ also holds front and back matter."""
    config = load_config(REPO / "book.toml")
    files, folders = matter_files(config), matter_folders(config)
    return [
        f
        for f in find_post_files(FORMS[form])
        if f not in files and not any(folder in f.parents for folder in folders)
    ]


def load_form(form: str) -> dict[str, Post]:
    posts = [load_post(f) for f in post_files(form)]
    return {
        Path(p.source).stem.split("-", 2)[-1] if form == "markdown" else Path(p.source).stem: p
        for p in posts
    }


def words(post: Post) -> list[str]:
    text = re.sub(r"<[^>]+>", " ", post.body)
    text = re.sub(r"&[a-z]+;|&#\d+;", " ", text)
    return re.findall(r"[A-Za-z]+(?:['’][a-z]+)?", text)


@pytest.mark.parametrize("form", ["markdown", "html", "text"])
def test_every_form_yields_the_expected_posts(form: str) -> None:
    posts = {p.slug: p for p in (load_post(f) for f in post_files(form))}
    by_title = {p.title: p for p in posts.values()}
    assert len(posts) == len(EXPECTED)
    for expected in EXPECTED.values():
        post = by_title[expected["title"]]
        assert post.authors == (expected["author"],)
        assert post.date is not None and post.date.date() == expected["date"]
        assert post.categories == tuple(expected["categories"])
        text = " ".join(re.sub(r"<[^>]+>", " ", post.body).split())
        for phrase in expected["with"]:
            assert phrase in text, (form, post.title, phrase)
        for phrase in expected["without"]:
            assert phrase not in text, (form, post.title, phrase)


@pytest.mark.parametrize("form", ["html", "text"])
def test_every_form_keeps_the_same_article_words_as_markdown(form: str) -> None:
    canonical = {p.title: words(p) for p in (load_post(f) for f in post_files("markdown"))}
    for post in (load_post(f) for f in post_files(form)):
        ratio = difflib.SequenceMatcher(
            a=canonical[post.title], b=words(post), autojunk=False
        ).ratio()
        assert ratio > 0.98, (form, post.title, ratio)


@pytest.mark.parametrize(
    "source",
    [
        "tests/books/sample-html",
        "tests/books/sample-txt",
        "tests/resources/text",
        "tests/resources/html",
    ],
)
def test_a_book_from_each_loaders_fixtures_passes_epubcheck(
    source: str, tmp_path: Path, epubcheck
) -> None:
    config = load_config(REPO / "book.toml")
    config = replace(
        config,
        sources=(Source(str(REPO / source)),),
        editions=(),  # the sampler names posts of the sample book
        output=replace(config.output, dir=tmp_path, formats=("epub",)),
    )
    result = build(config)
    report = epubcheck(result.written[0])
    assert (report.errors, report.warnings) == ([], [])
