"""The print edition: structure of the PDF checked with pypdf (outline, contents, page sides,
running heads, page size, fonts, images, links), and the fetcher's refusal of outside resources."""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
import socket
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from pdfcheck import margin_text, outline
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from bookmaker.errors import RenderError
from bookmaker.matter import copyright_page, title_page
from bookmaker.model import Asset, Book, BookMeta, Chapter, Part
from bookmaker.render import pdf
from bookmaker.render.pdf import book_html, chapter_section, render_pdf

STYLESHEET = (Path(__file__).parents[1] / "styles" / "print.css").read_text(encoding="utf-8")
MODIFIED = dt.datetime(2023, 11, 5, 9, 30, tzinfo=dt.UTC)

# Made-up garden-blog prose, long enough that each chapter runs over several A5 pages.
SENTENCES = (
    "The allotment gate sticks every spring, and every spring I promise to plane it down.",
    "Broad beans went in on the second Saturday, two rows, staggered against the wind.",
    "My neighbour swears by crushed eggshells; the slugs have not read her correspondence.",
    "Rainwater from the shed roof fills both butts in a single thunderstorm.",
    "Comprehensively unsuccessful experiments with overwintering chillies taught me patience.",
    "The rhubarb forcer is an upturned dustbin, which the robin treats as a lectern.",
)


def prose(paragraphs: int, seed: int) -> str:
    out = []
    for n in range(paragraphs):
        picked = [SENTENCES[(seed + n + k) % len(SENTENCES)] for k in range(7)]
        out.append(f"<p>{' '.join(picked)}</p>\n")
    return "".join(out)


def red_png(
    size: tuple[int, int] = (40, 30), colour: tuple[int, int, int] = (200, 30, 30)
) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, colour).save(buf, "PNG")
    return buf.getvalue()


PHOTO = Asset("images/3f2a9c0d11aa22bb.png", "image/png", red_png(), "beds.png")

CHAPTERS = (
    Chapter(
        "seed-catalogues",
        "Seed Catalogues in Winter",
        '<h2 id="notes">Notes</h2>' + prose(9, 0) + '<p>See <a href="#fn1">the note</a>.</p>'
        '<p id="fn1">A note for the catalogue chapter.</p>',
        date=dt.datetime(2023, 1, 14, tzinfo=dt.UTC),
    ),
    Chapter(
        "compost-ledger",
        "The Compost Ledger",
        prose(8, 1)
        + f'<figure><img src="{PHOTO.name}" alt="Raised beds"/><figcaption>Beds</figcaption>'
        "</figure>" + prose(2, 3) + '<p>Back to <a href="seed-catalogues.xhtml#notes">the notes</a>'
        ' and <a href="frost-dates.xhtml">the frost</a>; also <a href="#fn1">a note</a>.</p>'
        '<p id="fn1">A note for the compost chapter.</p>',
    ),
    Chapter("frost-dates", "Frost Dates and Other Lies", prose(10, 2)),
    Chapter("bean-trellis", "A Trellis for Beans", prose(9, 4)),
)
PREFACE = Chapter("preface", "Preface", prose(1, 5), kind="front")


def make_book(
    parts: tuple[Part, ...],
    front: tuple[Chapter, ...] = (),
    cover: Asset | None = None,
    language: str = "en",
) -> Book:
    meta = BookMeta(
        title="A Year on Plot Nine",
        authors=("Morag Fennel", "Idris Thorne"),
        language=language,
        identifier="urn:uuid:6b0d3c5e-1f53-4e1c-9a59-3f7a11c2d0e4",
        modified=MODIFIED,
        subtitle="Notes from an allotment",
        publisher="Shed Press",
        rights="Text © the authors.",
        cover=cover,
        subjects=("Gardening", "Allotments"),
    )
    opening = (
        Chapter("titlepage", "Title Page", title_page(meta), kind="front", listed=False),
        Chapter("copyright", "Copyright", copyright_page(meta), kind="front", listed=False),
    )
    return Book(meta=meta, parts=parts, front=opening + front, assets=(PHOTO,))


def listed(book: Book) -> list[Chapter]:
    """The chapters with a heading: those the outline and the contents list."""
    return [ch for ch in book.reading_order() if ch.listed]


def flat_book() -> Book:
    return make_book((Part("", "main", CHAPTERS),), front=(PREFACE,))


def parts_book() -> Book:
    cover = Asset("images/cover.png", "image/png", red_png((60, 90), (20, 40, 160)), "cover.png")
    parts = (Part("Spring", "spring", CHAPTERS[:2]), Part("Autumn", "autumn", CHAPTERS[2:]))
    return make_book(parts, cover=cover)


@dataclass
class Rendered:
    book: Book
    reader: PdfReader
    texts: list[str]


def render(book: Book, path: Path, page_size: str = "A5") -> Rendered:
    render_pdf(book, path, STYLESHEET, page_size)
    reader = PdfReader(path)
    return Rendered(book, reader, [page.extract_text() for page in reader.pages])


@pytest.fixture(scope="module")
def flat(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    return render(flat_book(), tmp_path_factory.mktemp("flat") / "book.pdf")


@pytest.fixture(scope="module")
def with_parts(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    return render(parts_book(), tmp_path_factory.mktemp("parts") / "book.pdf", "6x9")


def chapter_pages(rendered: Rendered) -> dict[str, int]:
    titles = {ch.title for ch in rendered.book.reading_order()}
    return {title: page for _, title, page in outline(rendered.reader) if title in titles}


def test_outline_has_one_bookmark_per_chapter(flat: Rendered) -> None:
    titles = [title for _, title, _ in outline(flat.reader)]
    depths = {depth for depth, _, _ in outline(flat.reader)}
    assert titles == [ch.title for ch in listed(flat.book)]
    assert depths == {0}


def test_outline_with_parts_nests_chapters_under_parts(with_parts: Rendered) -> None:
    assert [(depth, title) for depth, title, _ in outline(with_parts.reader)] == [
        (0, "Spring"),
        (1, "Seed Catalogues in Winter"),
        (1, "The Compost Ledger"),
        (0, "Autumn"),
        (1, "Frost Dates and Other Lies"),
        (1, "A Trellis for Beans"),
    ]


def test_part_title_pages_are_right_hand_pages_of_their_own(with_parts: Rendered) -> None:
    for depth, title, index in outline(with_parts.reader):
        if depth == 0:
            assert index % 2 == 0, f"part {title} starts on page {index + 1}"
            assert with_parts.texts[index].strip() == title


@pytest.mark.parametrize("name", ["flat", "with_parts"])
def test_contents_gives_the_page_each_chapter_starts_on(
    name: str, request: pytest.FixtureRequest
) -> None:
    rendered: Rendered = request.getfixturevalue(name)
    toc_index = next(i for i, text in enumerate(rendered.texts) if text.startswith("Contents"))
    toc = rendered.texts[toc_index]
    for title, index in chapter_pages(rendered).items():
        listed = re.search(re.escape(title) + r"[ .]*?(\d+)\s*$", toc, re.MULTILINE)
        assert listed, f"{title} missing from contents"
        assert int(listed[1]) == index + 1
        # The bookmark's page is the first page after the contents that carries the title.
        first_seen = next(
            i for i in range(toc_index + 1, len(rendered.texts)) if title in rendered.texts[i]
        )
        assert first_seen == index


def test_contents_entries_link_to_their_chapters(flat: Rendered) -> None:
    toc_index = next(i for i, text in enumerate(flat.texts) if text.startswith("Contents"))
    targets = {link_dest(a) for a in link_annotations(flat.reader, toc_index)}
    assert {ch.id for ch in listed(flat.book)} <= targets
    assert "titlepage" not in targets and "copyright" not in targets


@pytest.mark.parametrize("name", ["flat", "with_parts"])
def test_chapters_open_on_right_hand_pages(name: str, request: pytest.FixtureRequest) -> None:
    rendered: Rendered = request.getfixturevalue(name)
    pages = chapter_pages(rendered)
    assert len(pages) == len(listed(rendered.book))
    for title, index in pages.items():
        assert (index + 1) % 2 == 1, f"{title} opens on page {index + 1}"


def test_running_heads_name_the_chapter_except_on_its_opening_page(flat: Rendered) -> None:
    openings = sorted(chapter_pages(flat).items(), key=lambda item: item[1])
    ends = [index for _, index in openings[1:]] + [len(flat.reader.pages)]
    for (title, start), end in zip(openings, ends, strict=True):
        assert margin_text(flat.reader, start) == ("", ""), f"{title} opening page has a head"
        following = [i for i in range(start + 1, end) if flat.texts[i].strip()]
        if title != PREFACE.title:
            assert following, f"{title} should run over more than one page"
        for index in following:
            assert margin_text(flat.reader, index) == (title, str(index + 1))


def test_blank_and_title_pages_carry_no_number(flat: Rendered) -> None:
    first_chapter = min(chapter_pages(flat).values())
    for index in range(first_chapter):
        if not flat.texts[index].startswith("Contents"):
            assert margin_text(flat.reader, index) == ("", "")


def test_long_words_are_hyphenated(flat: Rendered) -> None:
    body = "\n".join(flat.texts[min(chapter_pages(flat).values()) :])
    assert re.search(r"\w[\u2010-]\n", body), "no line ends with a hyphenated word"


@pytest.mark.parametrize(
    ("name", "size"), [("flat", (419.53, 595.28)), ("with_parts", (432.0, 648.0))]
)
def test_page_size_follows_the_argument(
    name: str, size: tuple[float, float], request: pytest.FixtureRequest
) -> None:
    rendered: Rendered = request.getfixturevalue(name)
    for page in rendered.reader.pages:
        assert float(page.mediabox.width) == pytest.approx(size[0], abs=0.1)
        assert float(page.mediabox.height) == pytest.approx(size[1], abs=0.1)


@pytest.mark.parametrize(("page_size", "size"), [("Letter", (612, 792)), ("A4", (595.28, 841.89))])
def test_large_page_sizes(page_size: str, size: tuple[float, float], tmp_path: Path) -> None:
    book = make_book((Part("", "main", CHAPTERS[2:3]),))
    page = render(book, tmp_path / "book.pdf", page_size).reader.pages[0]
    assert float(page.mediabox.width) == pytest.approx(size[0], abs=0.1)
    assert float(page.mediabox.height) == pytest.approx(size[1], abs=0.1)


def test_every_font_is_embedded(flat: Rendered) -> None:
    fonts = 0
    for page in flat.reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            described = (
                font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            )
            descriptor = described["/FontDescriptor"].get_object()
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), font["/BaseFont"]
            fonts += 1
    assert fonts


def image_xobjects(reader: PdfReader) -> dict[str, tuple[int, int]]:
    """Image XObjects by resource name, with their pixel size, across all pages."""
    found = {}
    for page in reader.pages:
        for name, xobject in page["/Resources"].get("/XObject", {}).items():
            xobject = xobject.get_object()
            if xobject["/Subtype"] == "/Image":
                found[name] = (int(xobject["/Width"]), int(xobject["/Height"]))
    return found


def drawn_xobjects(reader: PdfReader, index: int) -> set[str]:
    content = reader.pages[index].get_contents().get_data().decode("latin-1")
    return set(re.findall(r"(/\S+)\s+Do\b", content))


def test_image_asset_is_drawn_on_its_chapter_page(flat: Rendered) -> None:
    photo = [name for name, size in image_xobjects(flat.reader).items() if size == (40, 30)]
    assert len(photo) == 1
    pages = [i for i in range(len(flat.reader.pages)) if photo[0] in drawn_xobjects(flat.reader, i)]
    assert len(pages) == 1
    assert "Beds" in flat.texts[pages[0]]


def test_generated_cover_fills_the_first_page(flat: Rendered) -> None:
    drawn = drawn_xobjects(flat.reader, 0)
    sizes = [size for name, size in image_xobjects(flat.reader).items() if name in drawn]
    assert len(sizes) == 1
    width, height = sizes[0]
    # Made at the page's proportions (A5), not the 1:1.6 of an EPUB cover.
    assert height / width == pytest.approx(595.28 / 419.53, rel=0.01)
    assert flat.texts[1].strip() == ""  # the back of the cover stays blank
    assert "A Year on Plot Nine" in flat.texts[2]
    assert flat.texts[3].split("\n")[0] == "Text © the authors."  # the title page's back
    assert margin_text(flat.reader, 2) == margin_text(flat.reader, 3) == ("", "")


def test_author_cover_is_used_when_given(with_parts: Rendered) -> None:
    drawn = drawn_xobjects(with_parts.reader, 0)
    assert [s for n, s in image_xobjects(with_parts.reader).items() if n in drawn] == [(60, 90)]


def link_annotations(reader: PdfReader, index: int) -> list[DictionaryObject]:
    annotations = reader.pages[index].get("/Annots", [])
    links = [a.get_object() for a in annotations]
    return [a for a in links if a["/Subtype"] == "/Link"]


def link_dest(annotation: DictionaryObject) -> str:
    return str(annotation.get("/Dest", ""))


def test_links_between_chapters_become_internal_destinations(flat: Rendered) -> None:
    pages = chapter_pages(flat)
    compost_pages = range(pages["The Compost Ledger"], pages["Frost Dates and Other Lies"])
    links = [a for i in compost_pages for a in link_annotations(flat.reader, i)]
    assert links and all("/Dest" in a and "/A" not in a for a in links)
    targets = {link_dest(a) for a in links}
    assert targets == {"seed-catalogues--notes", "frost-dates", "compost-ledger--fn1"}
    destinations = flat.reader.named_destinations
    page_of = {
        name: flat.reader.get_destination_page_number(destinations[name]) for name in targets
    }
    assert page_of["frost-dates"] == pages["Frost Dates and Other Lies"]
    assert page_of["seed-catalogues--notes"] == pages["Seed Catalogues in Winter"]
    # Both chapters have an id "fn1"; each link reaches the note in its own chapter.
    assert "A note for the compost chapter." in flat.texts[page_of["compost-ledger--fn1"]]


def test_metadata_comes_from_the_book(flat: Rendered) -> None:
    info = flat.reader.metadata
    assert info.title == "A Year on Plot Nine"
    assert info.author == "Morag Fennel, Idris Thorne"
    assert info.creation_date == MODIFIED
    assert info.modification_date == MODIFIED


def test_no_content_warnings_for_a_clean_book(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    book = make_book((Part("", "main", CHAPTERS[2:3]),))
    with caplog.at_level(logging.WARNING, logger="bookmaker"):
        render(book, tmp_path / "book.pdf")
    assert [r for r in caplog.records if r.name.startswith("bookmaker")] == []


def test_same_book_gives_the_same_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    book = make_book((Part("", "main", CHAPTERS[3:]),))
    render_pdf(book, tmp_path / "one.pdf", STYLESHEET)
    render_pdf(book, tmp_path / "two.pdf", STYLESHEET)
    assert (tmp_path / "one.pdf").read_bytes() == (tmp_path / "two.pdf").read_bytes()


HOSTILE_URLS = (
    "http://203.0.113.9/tracker.png",
    "file:///etc/passwd",
    "https://book.invalid/etc/passwd",  # images/../../etc/passwd after resolution
    "http://203.0.113.9/evil.css",
    "file:///etc/hostname",
)
HOSTILE_BODY = (
    "<p>Pictures from elsewhere:</p>"
    '<p><img src="http://203.0.113.9/tracker.png" alt="tracker"/></p>'
    '<p><img src="file:///etc/passwd" alt="passwd"/></p>'
    '<p><img src="images/../../etc/passwd" alt="climb"/></p>'
    '<style>@import url("http://203.0.113.9/evil.css");'
    " p { background: url(file:///etc/hostname) }</style>"
    "<p>The end.</p>"
)


def test_outside_resources_are_refused_without_touching_network_or_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    went_out: list[object] = []
    monkeypatch.setattr(urllib.request.OpenerDirector, "open", lambda *a, **k: went_out.append(a))
    monkeypatch.setattr(socket.socket, "connect", lambda *a, **k: went_out.append(a))
    book = make_book((Part("", "main", (Chapter("elsewhere", "Elsewhere", HOSTILE_BODY),)),))
    with caplog.at_level(logging.WARNING, logger="bookmaker"):
        rendered = render(book, tmp_path / "book.pdf")
    assert went_out == []
    refused = sorted(r.getMessage() for r in caplog.records if r.name.startswith("bookmaker"))
    assert refused == sorted(f"PDF: left out {url} (not part of the book)" for url in HOSTILE_URLS)
    assert {getattr(r, "code", None) for r in caplog.records if r.name.startswith("bookmaker")} == {
        "pdf.outside_resource"
    }
    # Only the generated cover is an image; nothing from outside was embedded.
    assert len(image_xobjects(rendered.reader)) == 1
    assert "root:" not in "".join(rendered.texts)
    assert "The end." in "".join(rendered.texts)


def test_fetcher_serves_only_book_assets() -> None:
    fetcher = pdf.BookFetcher([(PHOTO.name, PHOTO)])
    response = fetcher.fetch("https://book.invalid/" + PHOTO.name)
    assert response.read() == PHOTO.data
    assert response.content_type == "image/png"
    for url in ("https://book.invalid/images/other.png", "data:image/png;base64,AAAA"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_chapter_section_prefixes_ids_and_rewrites_links() -> None:
    chapter = Chapter(
        "tomatoes",
        "Tomatoes & Blight",
        '<h2 id="start">Start</h2><p><a id="mark"/>See <a href="#note">note</a>, '
        '<a href="potatoes.xhtml">potatoes</a>, <a href="potatoes.xhtml#late">late</a>, '
        '<a href="https://example.org/x.xhtml">elsewhere</a>.</p><p id="note">Note</p>',
    )
    section = chapter_section(chapter, "en-GB")
    assert section.startswith('<section class="chapter" id="tomatoes" lang="en-GB">')
    assert '<h1 class="chapter-title">Tomatoes &amp; Blight</h1>' in section
    assert '<h2 id="tomatoes--start">' in section
    assert '<a id="tomatoes--mark"></a>' in section  # never an HTML-breaking <a/>
    assert 'href="#tomatoes--note"' in section and 'id="tomatoes--note"' in section
    assert 'href="#potatoes"' in section and 'href="#potatoes--late"' in section
    assert 'href="https://example.org/x.xhtml"' in section


def test_book_html_sets_language_metadata_and_page_size() -> None:
    document = book_html(make_book((Part("", "main", CHAPTERS[:1]),), language="fr"), "", "6x9")
    assert '<html lang="fr">' in document
    assert "Table des matières" in document
    assert '<meta name="author" content="Idris Thorne"/>' in document
    assert '<meta name="dcterms.modified" content="2023-11-05T09:30:00Z"/>' in document
    assert document.rstrip().endswith("</html>")
    assert "@page { size: 6in 9in; }" in document


def test_unknown_page_size_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(RenderError, match="A5, 6x9, Letter, A4; got 'A6'"):
        render_pdf(flat_book(), tmp_path / "book.pdf", STYLESHEET, "A6")
    assert list(tmp_path.iterdir()) == []


# -- cross-references, footnotes, the opening pages ----------------------------------------------


def test_links_to_other_chapters_say_which_page_they_lead_to(flat: Rendered) -> None:
    pages = chapter_pages(flat)
    compost = " ".join(
        flat.texts[i]
        for i in range(pages["The Compost Ledger"], pages["Frost Dates and Other Lies"])
    )
    compost = " ".join(compost.split())
    frost = re.search(r"the frost \(see page (\d+)\)", compost)
    assert frost and int(frost[1]) == pages["Frost Dates and Other Lies"] + 1
    notes = re.search(r"the notes \(see page (\d+)\)", compost)
    assert notes and "Notes" in flat.texts[int(notes[1]) - 1]
    # A link inside the chapter (to its own note) is not a cross-reference.
    assert not re.search(r"a note \(see page", compost)


def test_cross_references_speak_the_books_language() -> None:
    document = book_html(make_book((Part("", "main", CHAPTERS[:2]),), language="de"), "", "A5")
    assert 'a.xref::after { content: " (siehe Seite " target-counter(attr(href url), page)' in (
        document
    )
    assert '<a href="#frost-dates" class="xref">the frost</a>' in document


WEB_LINKS = Chapter(
    "elsewhere",
    "Elsewhere",
    prose(2, 0) + '<p>Seeds from <a href="https://seeds.example/heritage">the seed bank</a>, '
    'tools from <a href="https://tools.example/">https://tools.example/</a> and letters to '
    '<a href="mailto:plot9@example.org">the committee</a>.</p>' + prose(1, 1),
)


def test_addresses_of_web_links_can_be_printed_as_footnotes(tmp_path: Path) -> None:
    book = make_book((Part("", "main", (WEB_LINKS,)),))
    render_pdf(book, tmp_path / "notes.pdf", STYLESHEET, link_footnotes=True)
    reader = PdfReader(tmp_path / "notes.pdf")
    start = next(page for _, title, page in outline(reader) if title == "Elsewhere")
    lines = "\n".join(page.extract_text() for page in reader.pages[start:])
    text = " ".join(lines.split())
    assert "the seed bank1, tools" in text  # the footnote call
    assert re.search(r"^1\. https://seeds\.example/heritage$", lines, re.M)  # the note
    assert text.count("tools.example/") == 1  # its text is its address: no note
    assert "plot9@example.org" not in text  # only links to the web get a note
    uris = {
        str(a["/A"]["/URI"])
        for index in range(start, len(reader.pages))
        for a in link_annotations(reader, index)
        if "/A" in a
    }
    assert uris == {
        "https://seeds.example/heritage",
        "https://tools.example/",
        ("mailto:plot9@example.org"),
    }


def test_without_the_option_web_links_have_no_footnotes(tmp_path: Path) -> None:
    book = make_book((Part("", "main", (WEB_LINKS,)),))
    render_pdf(book, tmp_path / "plain.pdf", STYLESHEET)  # the default: no footnotes
    pages = PdfReader(tmp_path / "plain.pdf").pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "https://seeds.example/heritage" not in text
    assert "the seed bank, tools" in text


def test_opening_pages_come_before_the_contents_without_heading_or_bookmark(
    tmp_path: Path,
) -> None:
    dedication = Chapter(
        "dedication", "Dedication", "<p>For Morag's mother.</p>", kind="front", listed=False
    )
    book = make_book((Part("", "main", CHAPTERS[2:3]),), front=(dedication, PREFACE))
    rendered = render(book, tmp_path / "book.pdf")
    order = [
        next(i for i, text in enumerate(rendered.texts) if needle in text)
        for needle in ("A Year on Plot Nine", "Text © the authors.", "For Morag", "Contents")
    ]
    assert order == sorted(order) and order[2] % 2 == 0  # the dedication on a right-hand page
    assert margin_text(rendered.reader, order[2]) == ("", "")
    titles = [title for _, title, _ in outline(rendered.reader)]
    assert titles == ["Preface", "Frost Dates and Other Lies"]
    toc = rendered.texts[order[3]]
    assert "Dedication" not in toc and "Title Page" not in toc and "Preface" in toc


def test_a_part_page_prints_the_parts_introduction(tmp_path: Path) -> None:
    spring = Part("Spring", "spring", CHAPTERS[:1], intro="<p>Sowing, mostly, and hope.</p>")
    rendered = render(make_book((spring,)), tmp_path / "book.pdf")
    (index,) = [page for depth, title, page in outline(rendered.reader) if title == "Spring"]
    assert " ".join(rendered.texts[index].split()) == "Spring Sowing, mostly, and hope."


def test_subjects_become_the_pdf_keywords(flat: Rendered) -> None:
    assert flat.reader.metadata["/Keywords"] == "Gardening, Allotments"


def test_chapters_can_open_on_any_page_to_spare_blank_pages(tmp_path: Path) -> None:
    book = flat_book()
    render_pdf(book, tmp_path / "any.pdf", STYLESHEET, chapters_open="any")
    reader = PdfReader(tmp_path / "any.pdf")
    starts = [index for _, _, index in outline(reader)]  # the preface, then the chapters
    right = render(book, tmp_path / "right.pdf")
    assert len(reader.pages) < len(right.reader.pages)
    texts = [page.extract_text() for page in reader.pages]
    for previous, start in zip(starts, starts[1:], strict=False):
        assert texts[start - 1].strip(), f"blank page before the chapter on page {start + 1}"
        assert start > previous


def test_a_stylesheet_nested_thousands_deep_is_a_render_error(tmp_path: Path) -> None:
    nested = "@media print {" * 5000 + "}" * 5000
    with pytest.raises(RenderError) as info:
        render_pdf(flat_book(), tmp_path / "deep.pdf", STYLESHEET + nested)
    assert info.value.message == (
        "cannot lay out the PDF: the print stylesheet nests blocks too deeply"
        " — check [output.pdf] stylesheet"
    )
    assert list(tmp_path.iterdir()) == []
