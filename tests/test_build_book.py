"""Acceptance checks on a book project as an author writes one (tests/books/linked): posts that
link to each other, two posts with the same title, parts by category, front and back matter and a
sampler edition, built by `build()` into EPUB and PDF."""

from __future__ import annotations

import os
import posixpath
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

import lxml.etree as etree
import pytest
from pdfcheck import outline
from pypdf import PdfReader

from bookmaker.build import BuildResult, build
from bookmaker.config import apply_overrides, load_config
from bookmaker.errors import ConfigError

BOOK = Path(__file__).resolve().parent / "books" / "linked"
BLOG_HOST = "tides.example"
NS = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}
OPF = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
SAMPLER = ["harbour-lights", "rain-gauge", "the-lighthouse-keeper"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    config = load_config(BOOK / "book.toml")
    out = tmp_path_factory.mktemp("linked")
    return build(replace(config, output=replace(config.output, dir=out)))


@dataclass
class Epub:
    files: dict[str, bytes]

    def xml(self, name: str) -> etree._Element:
        return etree.fromstring(self.files[f"EPUB/{name}"])

    def spine(self) -> list[str]:
        opf = etree.fromstring(self.files["EPUB/content.opf"])
        hrefs = {i.get("id"): i.get("href") for i in opf.xpath("//opf:item", namespaces=OPF)}
        return [hrefs[r] for r in opf.xpath("//opf:itemref/@idref", namespaces=OPF)]

    def nav_levels(self) -> list[tuple[str, list[str]]]:
        top = self.xml("nav.xhtml").xpath("//x:nav[@epub:type='toc']/x:ol/x:li", namespaces=NS)
        return [
            (li.xpath("string(x:a)", namespaces=NS), li.xpath("x:ol/x:li/x:a/@href", namespaces=NS))
            for li in top
        ]


def epub_of(result: BuildResult, name: str) -> Epub:
    path = next(p for p in result.written if p.name == name)
    with zipfile.ZipFile(path) as archive:
        return Epub({n: archive.read(n) for n in archive.namelist()})


def pdf_of(result: BuildResult, name: str) -> PdfReader:
    return PdfReader(next(p for p in result.written if p.name == name))


def test_every_edition_is_written_with_its_own_file_names(built: BuildResult) -> None:
    assert [p.name for p in built.written] == [
        "tide-tables.epub",
        "tide-tables.pdf",
        "tide-tables-sampler.epub",
        "tide-tables-sampler.pdf",
    ]
    assert [e.name for e in built.editions] == ["full", "sampler"]
    assert built.editions[1].book.meta.title == "Tide Tables — A Sampler"
    # Editions are told apart by their identifiers; only the whole book carries the ISBN.
    assert built.book.meta.identifier == "urn:isbn:9781234567897"
    assert built.editions[1].book.meta.identifier.startswith("urn:uuid:")


@pytest.mark.parametrize("name", ["tide-tables.epub", "tide-tables-sampler.epub"])
def test_both_editions_pass_epubcheck(built: BuildResult, name: str, epubcheck) -> None:
    report = epubcheck(next(p for p in built.written if p.name == name))
    assert (report.errors, report.warnings) == ([], [])


# -- links between posts ------------------------------------------------------------------------


def links(epub: Epub) -> list[tuple[str, str, str]]:
    """(page, href, expected target) for every link a test post marks with title="expect:…"."""
    found = []
    for name in epub.files:
        if name.endswith(".xhtml"):
            page = name.removeprefix("EPUB/")
            for a in epub.xml(page).iter(f"{{{NS['x']}}}a"):
                if (a.get("title") or "").startswith("expect:"):
                    found.append((page, a.get("href", ""), a.get("title", "")[7:]))
    return found


def test_links_between_posts_land_on_their_chapters_in_the_epub(built: BuildResult) -> None:
    epub = epub_of(built, "tide-tables.epub")
    checked = 0
    for page, href, expected in links(epub):
        if expected == "external":
            assert urlsplit(href).scheme == "https", (page, href)
            continue
        target, _, fragment = href.partition("#")
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page), target))
        expected_id, _, expected_fragment = expected.partition("#")
        assert (resolved, fragment) == (f"{expected_id}.xhtml", expected_fragment), (page, href)
        if fragment:
            assert epub.xml(resolved).xpath(f"//*[@id='{fragment}']"), (page, href)
        checked += 1
    assert checked == 8  # every cross-link of the test posts and the foreword, none lost


def test_no_link_leads_out_of_the_book_to_a_post_that_is_in_it(built: BuildResult) -> None:
    epub = epub_of(built, "tide-tables.epub")
    in_book = {urlsplit(p.url or "").path.rstrip("/") for p in _posts(built)}
    for name in epub.files:
        if name.endswith(".xhtml"):
            for href in epub.xml(name.removeprefix("EPUB/")).xpath("//x:a/@href", namespaces=NS):
                parts = urlsplit(str(href))
                if parts.netloc.removeprefix("www.") == BLOG_HOST:
                    assert parts.path.rstrip("/") not in in_book, (name, href)


def _posts(built: BuildResult):  # type: ignore[no-untyped-def]
    from bookmaker.sources.local import find_post_files, load_post

    return [load_post(f) for f in find_post_files(BOOK / "chapters") if f.parent.name == "chapters"]


def chapter_ranges(reader: PdfReader) -> dict[str, range]:
    """Each bookmarked chapter's pages, from its first page to the next bookmark's."""
    marks = sorted((page, title) for _, title, page in outline(reader))
    ends = [page for page, _ in marks[1:]] + [len(reader.pages)]
    return {title: range(page, end) for (page, title), end in zip(marks, ends, strict=True)}


def test_links_between_posts_land_on_their_chapters_in_the_pdf(built: BuildResult) -> None:
    reader = pdf_of(built, "tide-tables.pdf")
    book = built.book
    first_pages: dict[str, int] = {}
    for chapter in book.chapters:  # two chapters share a title: the outline lists both, in order
        first_pages[chapter.id] = next(
            page
            for _, title, page in outline(reader)
            if title == chapter.title and page not in first_pages.values()
        )
    in_book = {urlsplit(p.url or "").path.rstrip("/") for p in _posts(built)}
    destinations = reader.named_destinations
    landed = set()  # (page, destination): a link broken over two lines has two annotations
    for index, page in enumerate(reader.pages):
        for annotation in page.get("/Annots", []) or []:
            annotation = annotation.get_object()
            uri = urlsplit(str(annotation["/A"].get("/URI", ""))) if "/A" in annotation else None
            if uri is not None and uri.netloc == BLOG_HOST:
                assert uri.path.rstrip("/") not in in_book, (index, uri)
            chapter_id, _, fragment = str(annotation.get("/Dest", "")).partition("--")
            if chapter_id not in first_pages:
                continue
            target = reader.get_destination_page_number(destinations[annotation["/Dest"]])
            if fragment:
                assert "Measuring" in reader.pages[target].extract_text()
            else:
                assert target == first_pages[chapter_id], (index, chapter_id)
            landed.add((index, str(annotation["/Dest"])))
    # The 8 cross-links, and the contents, the first-appeared list and the index, 5 each.
    assert len(landed) == 8 + 3 * len(book.chapters)


def test_print_cross_references_give_the_page_they_lead_to(built: BuildResult) -> None:
    reader = pdf_of(built, "tide-tables.pdf")
    ranges = chapter_ranges(reader)
    harbour = " ".join(reader.pages[i].extract_text() for i in ranges["Harbour Lights"])
    said = re.search(r"Rain Gauge \(see page (\d+)\)", " ".join(harbour.split()))
    assert said and int(said[1]) - 1 == ranges["Rain Gauge"].start


def test_addresses_of_web_links_are_printed_as_footnotes(built: BuildResult) -> None:
    reader = pdf_of(built, "tide-tables.pdf")
    ranges = chapter_ranges(reader)
    harbour = "".join(reader.pages[i].extract_text() for i in ranges["Harbour Lights"])
    assert "https://tide-office.example/tables" in harbour
    rain = "".join(reader.pages[i].extract_text() for i in ranges["Rain Gauge"])
    assert "https://tides.example/2019/12/not-collected/" in rain


# -- structure ----------------------------------------------------------------------------------


def test_grouped_by_category_the_navigation_has_two_levels(built: BuildResult) -> None:
    epub = epub_of(built, "tide-tables.epub")
    levels = epub.nav_levels()
    assert levels == [
        ("Foreword", []),
        (
            "On the Coast",
            [
                "harbour-lights.xhtml",
                "the-lighthouse-keeper.xhtml",
                "notes-from-the-shore-2.xhtml",
            ],
        ),
        ("Weather", ["rain-gauge.xhtml", "notes-from-the-shore.xhtml"]),
        ("Where These Essays First Appeared", []),
        ("Essays by Category", []),
        ("About the Author", []),
    ]
    part_page = epub.xml("part-coast.xhtml")
    assert "Lights, keepers" in part_page.xpath(
        "string(//x:div[@class='part-intro'])", namespaces=NS
    )


def test_grouped_by_category_the_pdf_bookmarks_have_two_levels(built: BuildResult) -> None:
    marks = [(depth, title) for depth, title, _ in outline(pdf_of(built, "tide-tables.pdf"))]
    assert marks == [
        (0, "Foreword"),
        (0, "On the Coast"),
        (1, "Harbour Lights"),
        (1, "The Lighthouse Keeper"),
        (1, "Notes from the Shore"),
        (0, "Weather"),
        (1, "Rain Gauge"),
        (1, "Notes from the Shore"),
        (0, "Where These Essays First Appeared"),
        (0, "Essays by Category"),
        (0, "About the Author"),
    ]


def test_two_posts_with_the_same_title_are_two_chapters_both_in_the_contents(
    built: BuildResult,
) -> None:
    same = {ch.id: ch for ch in built.book.chapters if ch.title == "Notes from the Shore"}
    assert sorted(same) == ["notes-from-the-shore", "notes-from-the-shore-2"]
    # The older post keeps the plain id, whatever part it lands in: ids follow the dates.
    assert "summer" in same["notes-from-the-shore"].body
    assert "winter" in same["notes-from-the-shore-2"].body
    epub = epub_of(built, "tide-tables.epub")
    nav = epub.xml("nav.xhtml")
    listed = nav.xpath(
        "//x:nav[@epub:type='toc']//x:a[.='Notes from the Shore']/@href", namespaces=NS
    )
    assert sorted(listed) == ["notes-from-the-shore-2.xhtml", "notes-from-the-shore.xhtml"]
    assert {"notes-from-the-shore.xhtml", "notes-from-the-shore-2.xhtml"} <= set(epub.spine())


def test_front_and_back_matter_frame_the_chapters(built: BuildResult) -> None:
    book = built.book
    assert [ch.id for ch in book.front] == ["titlepage", "copyright", "dedication", "foreword"]
    assert [ch.id for ch in book.back] == ["first-appeared", "by-category", "about-the-author"]
    spine = epub_of(built, "tide-tables.epub").spine()
    assert spine[:5] == [
        "cover.xhtml",
        "titlepage.xhtml",
        "copyright.xhtml",
        "dedication.xhtml",
        "foreword.xhtml",
    ]
    assert spine[-3:] == ["first-appeared.xhtml", "by-category.xhtml", "about-the-author.xhtml"]
    copyright_text = " ".join(re.sub(r"<[^>]+>", " ", book.front[1].body).split())
    assert copyright_text == "© 2021 Oona Brack First edition ISBN 978-1-234-56789-7 " + (
        "Breakwater Books 2021"
    )
    appeared = book.back[0].body
    for chapter in book.chapters:
        assert f'href="{chapter.id}.xhtml"' in appeared
    assert appeared.count("https://tides.example/") == 5


# -- the sampler --------------------------------------------------------------------------------


def test_the_sampler_has_exactly_its_chapters_and_the_whole_front_matter(
    built: BuildResult,
) -> None:
    full, sampler = (e.book for e in built.editions)
    assert sorted(ch.id for ch in sampler.chapters) == sorted(SAMPLER)
    assert [(ch.id, ch.body) for ch in sampler.front[2:]] == [
        (ch.id, ch.body) for ch in full.front[2:]
    ]
    assert [ch.id for ch in sampler.front] == [ch.id for ch in full.front]
    epub = epub_of(built, "tide-tables-sampler.epub")
    chapter_pages = [
        name
        for name in epub.spine()
        if name.removesuffix(".xhtml") in {ch.id for ch in full.chapters}
    ]
    assert sorted(chapter_pages) == sorted(f"{slug}.xhtml" for slug in SAMPLER)
    for name in ("titlepage", "copyright", "dedication", "foreword"):
        assert f"{name}.xhtml" in epub.spine()
    titles = [t for _, t, _ in outline(pdf_of(built, "tide-tables-sampler.pdf"))]
    assert "Notes from the Shore" not in titles
    assert {"Harbour Lights", "Rain Gauge", "The Lighthouse Keeper", "Foreword"} <= set(titles)


def test_in_the_sampler_a_link_to_a_left_out_post_leads_to_the_blog(built: BuildResult) -> None:
    page = epub_of(built, "tide-tables-sampler.epub").xml("the-lighthouse-keeper.xhtml")
    hrefs = page.xpath("//x:a/@href", namespaces=NS)
    assert "https://tides.example/2021/02/notes-from-the-shore/" in hrefs
    assert "rain-gauge.xhtml#measuring" in hrefs


def test_one_edition_is_built_when_asked(tmp_path: Path) -> None:
    config = load_config(BOOK / "book.toml")
    config = replace(config, output=replace(config.output, dir=tmp_path, formats=("epub",)))
    result = build(apply_overrides(config, edition="sampler"))
    assert [p.name for p in result.written] == ["tide-tables-sampler.epub"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tide-tables-sampler.epub"]
    with pytest.raises(ConfigError) as info:
        apply_overrides(config, edition="samplr")
    assert info.value.message == (
        f"--edition samplr: {BOOK / 'book.toml'} declares no such edition; "
        "did you mean 'sampler'? editions: full, sampler"
    )


def test_the_command_line_builds_the_edition_it_is_given(tmp_path: Path) -> None:
    shutil.copytree(BOOK, tmp_path / "book")
    done = subprocess.run(
        [sys.executable, "-m", "bookmaker", "build", "--edition", "sampler", "--format", "epub"],
        cwd=tmp_path / "book",
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(BOOK.parents[2])},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["Wrote output/tide-tables-sampler.epub"]
    assert sorted(p.name for p in (tmp_path / "book" / "output").iterdir()) == [
        "tide-tables-sampler.epub"
    ]
