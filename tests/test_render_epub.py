"""The EPUB renderer and the chapter XHTML it is made of: structure checked with XPath on the
unpacked archive, reproducibility byte for byte, and EPUBCheck on a few typical books."""

from __future__ import annotations

import datetime as dt
import io
import logging
import zipfile
from collections.abc import Callable
from pathlib import Path

import lxml.etree as etree
import pytest
from PIL import Image

import bookmaker.render.epub as epub_module
from bookmaker.errors import RenderError
from bookmaker.matter import copyright_page, title_page
from bookmaker.model import Asset, Book, BookMeta, Chapter, Part
from bookmaker.render.epub import render_epub
from bookmaker.render.xhtml import chapter_document, part_document

STYLESHEET = Path(__file__).parents[1] / "styles" / "epub.css"
NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
}
IDENTIFIER = "urn:uuid:7d3c2a9e-51f0-4a8b-9c61-0e2f4b5d8a13"
MODIFIED = dt.datetime(2024, 3, 9, 17, 45, 12, tzinfo=dt.UTC)


# -- building books by hand --------------------------------------------------------------------


def image_bytes(colour: tuple[int, int, int], fmt: str = "PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (48, 32), colour).save(out, fmt)
    return out.getvalue()


def chapter(
    ident: str, title: str, body: str = "", kind: str = "chapter", **extra: object
) -> Chapter:
    body = body or f"<p>{title} begins on a grey morning.</p>\n<p>Then the kettle sang.</p>"
    return Chapter(id=ident, title=title, body=body, kind=kind, **extra)  # type: ignore[arg-type]


def make_book(
    parts: tuple[Part, ...] | None = None,
    front: tuple[Chapter, ...] = (),
    back: tuple[Chapter, ...] = (),
    assets: tuple[Asset, ...] = (),
    **meta: object,
) -> Book:
    fields: dict[str, object] = {
        "title": "Rain on the Allotment",
        "authors": ("Ilse Marrow",),
        "language": "en",
        "identifier": IDENTIFIER,
        "modified": MODIFIED,
    }
    fields.update(meta)
    if parts is None:
        chapters = (
            chapter("first-frost", "First Frost"),
            chapter("seed-catalogues", "Seed Catalogues"),
            chapter("the-shed-roof", "The Shed Roof"),
        )
        parts = (Part(title="", id="main", chapters=chapters),)
    return Book(BookMeta(**fields), parts, front, back, assets)  # type: ignore[arg-type]


def parts_book(**meta: object) -> Book:
    spring = Part(
        "Spring",
        "part-spring",
        (chapter("sowing-beans", "Sowing Beans"), chapter("slug-patrol", "Slug Patrol")),
    )
    autumn = Part("Autumn", "part-autumn", (chapter("last-pumpkin", "The Last Pumpkin"),))
    return make_book(parts=(spring, autumn), **meta)


PHOTO = Asset("images/5be1c0ffee.png", "image/png", image_bytes((90, 140, 60)), "beans.png")
SKETCH = Asset("images/77aa0d15.jpg", "image/jpeg", image_bytes((200, 190, 160), "JPEG"), "s.jpg")


def illustrated_book(**meta: object) -> Book:
    body = (
        '<p>The beans came up <a href="harvest.xhtml#weights">in time</a>.</p>\n'
        f'<figure><img src="{PHOTO.name}" alt="Bean rows"/><figcaption>Rows</figcaption></figure>\n'
        f'<p><img src="{SKETCH.name}" alt="A sketch of the shed"/></p>'
    )
    harvest = '<h2 id="weights">Weights</h2>\n<table><tr><th>Crop</th><td>4 kg</td></tr></table>'
    main = Part(
        "",
        "main",
        (chapter("beans", "Beans", body), chapter("harvest", "Harvest", harvest)),
    )
    return make_book(
        parts=(main,),
        front=(chapter("preface", "Preface", kind="front"),),
        back=(chapter("colophon", "Colophon", kind="back"), chapter("about", "About", kind="back")),
        assets=(PHOTO, SKETCH),
        **meta,
    )


def framed_book(**meta: object) -> Book:
    """A book with every kind of matter: pages without a heading, listed ones, a part intro."""
    book = parts_book(publisher="Puddle Press", rights="© 2024 Ilse Marrow", **meta)
    spring = book.parts[0]
    parts = (Part(spring.title, spring.id, spring.chapters, intro="<p>Beans and hope.</p>"),)
    unlisted = [
        Chapter("titlepage", "Title Page", title_page(book.meta), kind="front", listed=False),
        Chapter("copyright", "Copyright", copyright_page(book.meta), kind="front", listed=False),
        Chapter("dedication", "Dedication", "<p>For Wren.</p>", kind="front", listed=False),
        Chapter(
            "epigraph",
            "Epigraph",
            "<blockquote><p>Dig, then wait.</p></blockquote>",
            kind="front",
            listed=False,
        ),
    ]
    listed = [
        chapter("foreword", "Foreword", kind="front"),
        chapter("about-the-author", "About the Author", kind="back"),
    ]
    return Book(book.meta, parts + book.parts[1:], (*unlisted, listed[0]), (listed[1],))


def render(book: Book, folder: Path, name: str = "book.epub") -> Path:
    path = folder / name
    render_epub(book, path, STYLESHEET.read_text(encoding="utf-8"))
    return path


def unpack(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def xml(files: dict[str, bytes], name: str) -> etree._Element:
    return etree.fromstring(files[name])


def package(files: dict[str, bytes]) -> etree._Element:
    container = xml(files, "META-INF/container.xml")
    opf_path = container.xpath("//*[local-name()='rootfile']/@full-path")[0]
    return xml(files, opf_path)


def spine_files(opf: etree._Element) -> list[str]:
    hrefs = {item.get("id"): item.get("href") for item in opf.xpath("//opf:item", namespaces=NS)}
    return [hrefs[ref] for ref in opf.xpath("//opf:spine/opf:itemref/@idref", namespaces=NS)]


def text_of(opf: etree._Element, path: str) -> list[str]:
    return [str(v) for v in opf.xpath(path, namespaces=NS)]


# -- package document --------------------------------------------------------------------------


def test_package_metadata(tmp_path: Path) -> None:
    modified = dt.datetime(2024, 3, 9, 19, 45, 12, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    book = make_book(
        subtitle="A Year in Weeds",
        authors=("Ilse Marrow", "Teodor Vinn"),
        language="en-GB",
        publisher="Puddle Press",
        rights="CC BY-SA 4.0",
        description="Essays from a small plot.",
        date=dt.date(2023, 11, 2),
        modified=modified,
    )
    opf = package(unpack(render(book, tmp_path)))

    unique = opf.get("unique-identifier")
    assert text_of(opf, f"//dc:identifier[@id='{unique}']/text()") == [IDENTIFIER]
    assert text_of(opf, "//dc:title/text()") == ["Rain on the Allotment", "A Year in Weeds"]
    assert text_of(opf, "//opf:meta[@property='title-type']/text()") == ["main", "subtitle"]
    assert text_of(opf, "//dc:creator/text()") == ["Ilse Marrow", "Teodor Vinn"]
    creator_ids = text_of(opf, "//dc:creator/@id")
    assert len(set(creator_ids)) == 2
    roles = text_of(opf, "//opf:meta[@property='role']/@refines")
    assert roles == [f"#{ident}" for ident in creator_ids]
    assert text_of(opf, "//dc:language/text()") == ["en-GB"]
    assert text_of(opf, "//dc:date/text()") == ["2023-11-02"]
    assert text_of(opf, "//opf:meta[@property='dcterms:modified']/text()") == [
        "2024-03-09T17:45:12Z"
    ]
    assert text_of(opf, "//dc:publisher/text()") == ["Puddle Press"]
    assert text_of(opf, "//dc:rights/text()") == ["CC BY-SA 4.0"]
    assert text_of(opf, "//dc:description/text()") == ["Essays from a small plot."]


def test_optional_metadata_left_out_and_date_taken_from_modified(tmp_path: Path) -> None:
    opf = package(unpack(render(make_book(), tmp_path)))
    assert text_of(opf, "//dc:date/text()") == ["2024-03-09"]
    assert opf.xpath("//dc:publisher | //dc:rights | //dc:description", namespaces=NS) == []
    assert text_of(opf, "//dc:title/text()") == ["Rain on the Allotment"]
    # Nothing of the writing library's own stamps: no generator, no random identifier.
    assert opf.xpath("//opf:meta[@name='generator']", namespaces=NS) == []
    assert text_of(opf, "//dc:identifier/text()") == [IDENTIFIER]


def test_manifest_lists_every_file_and_spine_follows_reading_order(tmp_path: Path) -> None:
    files = unpack(render(illustrated_book(), tmp_path))
    opf = package(files)
    hrefs = text_of(opf, "//opf:item/@href")
    members = {name.removeprefix("EPUB/") for name in files} - {"content.opf"}
    assert set(hrefs) == members - {"mimetype", "META-INF/container.xml"}
    assert len(text_of(opf, "//opf:item/@id")) == len(set(text_of(opf, "//opf:item/@id")))
    assert spine_files(opf) == [
        "cover.xhtml",
        "preface.xhtml",
        "beans.xhtml",
        "harvest.xhtml",
        "colophon.xhtml",
        "about.xhtml",
    ]
    assert text_of(opf, "//opf:item[@properties='nav']/@href") == ["nav.xhtml"]
    ncx_id = opf.xpath("//opf:spine/@toc", namespaces=NS)[0]
    assert text_of(opf, f"//opf:item[@id='{ncx_id}']/@href") == ["toc.ncx"]


def test_generated_cover_is_the_cover_image_and_first_page(tmp_path: Path) -> None:
    files = unpack(render(make_book(), tmp_path))
    opf = package(files)
    covers = opf.xpath("//opf:item[contains(@properties, 'cover-image')]", namespaces=NS)
    assert len(covers) == 1
    assert covers[0].get("media-type") == "image/jpeg"
    image = Image.open(io.BytesIO(files[f"EPUB/{covers[0].get('href')}"]))
    assert (image.format, image.size) == ("JPEG", (1600, 2560))
    first_page = xml(files, f"EPUB/{spine_files(opf)[0]}")
    assert first_page.xpath("//x:img/@src", namespaces=NS) == [covers[0].get("href")]


def test_author_cover_replaces_the_generated_one(tmp_path: Path) -> None:
    art = Asset("images/cover-art.png", "image/png", image_bytes((10, 60, 90)), "cover.png")
    files = unpack(render(make_book(cover=art), tmp_path))
    opf = package(files)
    assert text_of(opf, "//opf:item[@properties='cover-image']/@href") == [art.name]
    assert text_of(opf, "//opf:item[@properties='cover-image']/@media-type") == ["image/png"]
    assert files[f"EPUB/{art.name}"] == art.data
    assert not [name for name in files if name.endswith(".jpg")]


def test_author_cover_that_is_also_an_asset_is_stored_once(tmp_path: Path) -> None:
    files = unpack(render(make_book(cover=PHOTO, assets=(PHOTO,)), tmp_path))
    opf = package(files)
    assert text_of(opf, f"//opf:item[@href='{PHOTO.name}']/@properties") == ["cover-image"]


def test_images_are_embedded_with_their_media_types(tmp_path: Path) -> None:
    files = unpack(render(illustrated_book(), tmp_path))
    opf = package(files)
    for asset in (PHOTO, SKETCH):
        assert files[f"EPUB/{asset.name}"] == asset.data
        media = text_of(opf, f"//opf:item[@href='{asset.name}']/@media-type")
        assert media == [asset.media_type]
    beans = xml(files, "EPUB/beans.xhtml")
    assert beans.xpath("//x:img/@src", namespaces=NS) == [PHOTO.name, SKETCH.name]


def test_every_page_links_the_stylesheet(tmp_path: Path) -> None:
    files = unpack(render(parts_book(), tmp_path))
    assert files["EPUB/styles/epub.css"] == STYLESHEET.read_bytes()
    pages = [name for name in files if name.endswith(".xhtml")]
    assert len(pages) == 7  # nav, cover, two part pages, three chapters
    for name in pages:
        links = xml(files, name).xpath("//x:link[@rel='stylesheet']/@href", namespaces=NS)
        assert links == ["styles/epub.css"], name


# -- navigation --------------------------------------------------------------------------------


def test_nav_has_one_entry_per_chapter_and_landmarks(tmp_path: Path) -> None:
    book = illustrated_book()
    nav = xml(unpack(render(book, tmp_path)), "EPUB/nav.xhtml")
    toc = nav.xpath("//x:nav[@epub:type='toc']", namespaces=NS)[0]
    assert toc.xpath("x:ol/x:li/x:a/@href", namespaces=NS) == [
        ch.file_name for ch in book.reading_order()
    ]
    assert toc.xpath("x:ol/x:li/x:a/text()", namespaces=NS) == [
        ch.title for ch in book.reading_order()
    ]
    assert toc.xpath(".//x:ol/x:li/x:ol", namespaces=NS) == []
    marks = dict(
        zip(
            nav.xpath("//x:nav[@epub:type='landmarks']//x:a/@epub:type", namespaces=NS),
            nav.xpath("//x:nav[@epub:type='landmarks']//x:a/@href", namespaces=NS),
            strict=True,
        )
    )
    assert marks == {"cover": "cover.xhtml", "bodymatter": "beans.xhtml"}


def test_nav_has_two_levels_with_parts(tmp_path: Path) -> None:
    files = unpack(render(parts_book(), tmp_path))
    nav = xml(files, "EPUB/nav.xhtml")
    top = nav.xpath("//x:nav[@epub:type='toc']/x:ol/x:li", namespaces=NS)
    assert [li.xpath("string(x:a)", namespaces=NS) for li in top] == ["Spring", "Autumn"]
    assert [li.xpath("x:a/@href", namespaces=NS)[0] for li in top] == [
        "part-spring.xhtml",
        "part-autumn.xhtml",
    ]
    assert top[0].xpath("x:ol/x:li/x:a/@href", namespaces=NS) == [
        "sowing-beans.xhtml",
        "slug-patrol.xhtml",
    ]
    assert top[1].xpath("x:ol/x:li/x:a/text()", namespaces=NS) == ["The Last Pumpkin"]
    assert spine_files(package(files)) == [
        "cover.xhtml",
        "part-spring.xhtml",
        "sowing-beans.xhtml",
        "slug-patrol.xhtml",
        "part-autumn.xhtml",
        "last-pumpkin.xhtml",
    ]
    part_page = xml(files, "EPUB/part-autumn.xhtml")
    assert part_page.xpath("//x:section[@epub:type='part']/x:h1/text()", namespaces=NS) == [
        "Autumn"
    ]


def test_ncx_mirrors_the_nav(tmp_path: Path) -> None:
    ncx = xml(unpack(render(parts_book(), tmp_path)), "EPUB/toc.ncx")
    assert ncx.xpath("//ncx:meta[@name='dtb:uid']/@content", namespaces=NS) == [IDENTIFIER]
    assert ncx.xpath("//ncx:meta[@name='dtb:depth']/@content", namespaces=NS) == ["2"]
    top = ncx.xpath("/ncx:ncx/ncx:navMap/ncx:navPoint", namespaces=NS)
    assert [p.xpath("string(ncx:navLabel/ncx:text)", namespaces=NS) for p in top] == [
        "Spring",
        "Autumn",
    ]
    assert top[0].xpath("ncx:navPoint/ncx:content/@src", namespaces=NS) == [
        "sowing-beans.xhtml",
        "slug-patrol.xhtml",
    ]
    orders = [int(v) for v in ncx.xpath("//ncx:navPoint/@playOrder", namespaces=NS)]
    assert orders == list(range(1, 6))
    ids = ncx.xpath("//ncx:navPoint/@id", namespaces=NS)
    assert len(ids) == len(set(ids)) == 5


def test_navigation_labels_follow_the_book_language(tmp_path: Path) -> None:
    files = unpack(render(make_book(language="de"), tmp_path))
    nav = xml(files, "EPUB/nav.xhtml")
    assert nav.xpath("//x:nav[@epub:type='toc']/x:h1/text()", namespaces=NS) == ["Inhalt"]
    assert nav.get("lang") == "de"
    assert xml(files, "EPUB/first-frost.xhtml").get("lang") == "de"


# -- reproducibility and the container ---------------------------------------------------------


def test_two_renders_are_byte_identical(tmp_path: Path) -> None:
    first = render(illustrated_book(), tmp_path, "one.epub")
    second = render(illustrated_book(), tmp_path, "two.epub")
    assert first.read_bytes() == second.read_bytes()
    other = render(illustrated_book(modified=MODIFIED + dt.timedelta(days=1)), tmp_path, "3.epub")
    assert other.read_bytes() != first.read_bytes()


def test_container_layout_and_fixed_timestamps(tmp_path: Path) -> None:
    path = render(make_book(), tmp_path)
    raw = path.read_bytes()
    assert raw[30:38] == b"mimetype" and raw[38:58] == b"application/epub+zip"
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
    assert infos[0].filename == "mimetype"
    assert infos[0].compress_type == zipfile.ZIP_STORED and infos[0].extra == b""
    assert {info.compress_type for info in infos[1:]} == {zipfile.ZIP_DEFLATED}
    assert {info.date_time for info in infos} == {(2024, 3, 9, 17, 45, 12)}
    assert {info.external_attr >> 16 for info in infos} == {0o100644}


def test_timestamps_before_1980_are_clamped(tmp_path: Path) -> None:
    path = render(make_book(modified=dt.datetime(1970, 1, 1)), tmp_path)
    with zipfile.ZipFile(path) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    modified = text_of(package(unpack(path)), "//opf:meta[@property='dcterms:modified']/text()")
    assert modified == ["1970-01-01T00:00:00Z"]


def test_failure_mid_render_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "book.epub"
    target.write_bytes(b"the previous edition")

    def half_written(archive: bytes, tmp: Path, modified: dt.datetime) -> None:
        tmp.write_bytes(archive[:100])
        raise RuntimeError("disk fell off")

    monkeypatch.setattr(epub_module, "repack", half_written)
    with pytest.raises(RuntimeError, match="disk fell off"):
        render(make_book(), tmp_path)
    assert target.read_bytes() == b"the previous edition"
    assert [p.name for p in tmp_path.iterdir()] == ["book.epub"]

    target.unlink()
    with pytest.raises(RuntimeError):
        render(make_book(), tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_clashing_file_names_are_a_render_error(tmp_path: Path) -> None:
    book = make_book(parts=(Part("", "main", (chapter("cover", "Cover Crops"),)),))
    with pytest.raises(RenderError, match="cover.xhtml"):
        render(book, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_book_without_chapters_is_a_render_error(tmp_path: Path) -> None:
    with pytest.raises(RenderError, match="no chapters"):
        render(make_book(parts=(Part("", "main", ()),)), tmp_path)


# -- references between pages ------------------------------------------------------------------


def test_links_and_images_that_lead_nowhere_are_unlinked_with_warnings(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    body = (
        '<p><a href="harvest.xhtml#weights">ok</a> <a href="harvest.xhtml#nowhere">near</a> '
        '<a href="/2019/05/old-post/">gone</a> <a href="https://example.org/">web</a></p>\n'
        '<p>Before <img src="images/missing.png" alt="A lost photo"/> after '
        '<img src="http://example.org/x.png"/> end</p>'
    )
    main = Part("", "main", (chapter("beans", "Beans", body, source="posts/beans.md"),))
    main = Part(
        "", "main", main.chapters + (chapter("harvest", "Harvest", '<p id="weights">4</p>'),)
    )
    with caplog.at_level(logging.WARNING, logger="bookmaker"):
        files = unpack(render(make_book(parts=(main,)), tmp_path))
    page = xml(files, "EPUB/beans.xhtml")
    links = {a.text: a.get("href") for a in page.iter(f"{{{NS['x']}}}a")}
    assert links == {
        "ok": "harvest.xhtml#weights",
        "near": "harvest.xhtml",
        "gone": None,
        "web": "https://example.org/",
    }
    assert page.xpath("//x:img", namespaces=NS) == []
    assert "Before [A lost photo] after  end" in page.xpath("string(//x:p[2])", namespaces=NS)
    codes = sorted(getattr(r, "code", "") for r in caplog.records)
    assert codes == ["image.missing", "image.missing", "link.broken", "link.broken"]
    assert all(r.getMessage().startswith("posts/beans.md: ") for r in caplog.records)


# -- chapter XHTML -----------------------------------------------------------------------------


def parse(document: str) -> etree._Element:
    return etree.fromstring(document.encode("utf-8"))


def test_chapter_document_structure() -> None:
    ch = chapter(
        "puddles",
        "Puddles & Paths",
        "<p>One.</p>\n<p>Two.</p>",
        authors=("Ilse Marrow", "Teodor Vinn"),
        date=dt.datetime(2022, 6, 5, 8, 30),
    )
    doc = parse(chapter_document(ch, "en", "styles/epub.css"))
    assert doc.get("lang") == doc.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert doc.xpath("string(//x:title)", namespaces=NS) == "Puddles & Paths"
    section = doc.xpath("//x:body/x:section", namespaces=NS)[0]
    assert (section.get(f"{{{NS['epub']}}}type"), section.get("role")) == (
        "chapter",
        "doc-chapter",
    )
    assert section.xpath("string(x:header/x:h1)", namespaces=NS) == "Puddles & Paths"
    byline = section.xpath("x:header/x:p[@class='byline']", namespaces=NS)[0]
    assert byline.xpath("string(.)") == "Ilse Marrow, Teodor Vinn · 5 June 2022"
    assert byline.xpath("x:time/@datetime", namespaces=NS) == ["2022-06-05"]
    assert section.xpath("x:p/text()", namespaces=NS) == ["One.", "Two."]


def test_chapter_document_without_stylesheet_byline_or_known_role() -> None:
    doc = parse(chapter_document(chapter("notes", "Notes", kind="back"), "fr", None))
    assert doc.xpath("//x:link", namespaces=NS) == []
    assert doc.xpath("//x:p[@class='byline']", namespaces=NS) == []
    assert doc.xpath("//x:body/@epub:type", namespaces=NS) == ["backmatter"]
    assert doc.xpath("//x:section/@role", namespaces=NS) == []


def test_front_matter_named_for_its_role_gets_its_semantics() -> None:
    doc = parse(chapter_document(chapter("preface", "Preface", kind="front"), "en", None))
    assert doc.xpath("//x:body/@epub:type", namespaces=NS) == ["frontmatter"]
    assert doc.xpath("//x:section/@epub:type", namespaces=NS) == ["preface"]
    assert doc.xpath("//x:section/@role", namespaces=NS) == ["doc-preface"]


def test_chapter_document_repairs_what_validators_reject() -> None:
    body = (
        '<h2 id="2019 notes">Notes</h2>\n<p id="2019 notes">again</p>\n'
        '<p><a href="#2019%20notes">up</a> <a href="other.xhtml#3rd">there</a> '
        '<a href="https://example.org/#4x">web</a></p>\n'
        '<p><img src="images/a.png"/></p>\n<ol start="two"><li>x</li></ol>\n'
        '<table><tr><td colspan="0" rowspan="2">c</td></tr></table>\n'
        '<p lang="not a tag">text</p><p><time datetime="last Tuesday">then</time></p>'
    )
    doc = parse(chapter_document(chapter("c", "C", body), "en", None))
    assert doc.xpath("//@id") == ["id-2019-notes"]
    assert doc.xpath("//x:a/@href", namespaces=NS) == [
        "#id-2019-notes",
        "other.xhtml#id-3rd",
        "https://example.org/#4x",
    ]
    assert doc.xpath("//x:img/@alt", namespaces=NS) == [""]
    assert doc.xpath("//x:ol/@start | //x:td/@colspan | //x:p/@lang", namespaces=NS) == []
    assert doc.xpath("//x:td/@rowspan", namespaces=NS) == ["2"]
    assert doc.xpath("//x:time/@datetime", namespaces=NS) == []


def test_malformed_body_is_recovered_without_losing_text() -> None:
    body = "<p>Leaves &nbsp; and <b>mulch<br>and more</p><p>Second"
    doc = parse(chapter_document(chapter("c", "C", body), "en", None))
    text = doc.xpath("string(//x:section)", namespaces=NS)
    assert "Leaves \u00a0 and mulchand more" in text
    assert "Second" in text


def test_chapter_document_is_a_pure_function() -> None:
    ch = chapter("c", "C", '<p id="1">x</p>')
    assert chapter_document(ch, "en", "s.css") == chapter_document(ch, "en", "s.css")


def test_part_document() -> None:
    doc = parse(part_document(Part("Winter", "winter", ()), "en", "styles/epub.css"))
    assert doc.xpath("//x:section[@role='doc-part']/x:h1/text()", namespaces=NS) == ["Winter"]
    assert doc.xpath("string(//x:title)", namespaces=NS) == "Winter"


# -- front and back matter ---------------------------------------------------------------------


def test_pages_without_heading_are_in_the_spine_but_not_in_the_contents(tmp_path: Path) -> None:
    files = unpack(render(framed_book(), tmp_path))
    spine = spine_files(package(files))
    assert spine[:6] == [
        "cover.xhtml",
        "titlepage.xhtml",
        "copyright.xhtml",
        "dedication.xhtml",
        "epigraph.xhtml",
        "foreword.xhtml",
    ]
    toc = xml(files, "EPUB/nav.xhtml").xpath("//x:nav[@epub:type='toc']//x:a/@href", namespaces=NS)
    assert toc[0] == "foreword.xhtml" and toc[-1] == "about-the-author.xhtml"
    assert not {"titlepage.xhtml", "copyright.xhtml", "dedication.xhtml"} & set(toc)
    ncx = xml(files, "EPUB/toc.ncx").xpath("//ncx:content/@src", namespaces=NS)
    assert "dedication.xhtml" not in ncx
    dedication = xml(files, "EPUB/dedication.xhtml")
    assert dedication.xpath("//x:h1", namespaces=NS) == []
    assert dedication.xpath("string(//x:section)", namespaces=NS).strip() == "For Wren."


@pytest.mark.parametrize(
    ("page", "epub_type", "role"),
    [
        ("titlepage", "titlepage", None),
        ("copyright", "copyright-page", None),
        ("dedication", "dedication", "doc-dedication"),
        ("epigraph", "epigraph", "doc-epigraph"),
        ("foreword", "foreword", "doc-foreword"),
        ("about-the-author", None, None),
    ],
)
def test_matter_pages_carry_their_semantics(
    tmp_path: Path, page: str, epub_type: str | None, role: str | None
) -> None:
    files = unpack(render(framed_book(), tmp_path))
    section = xml(files, f"EPUB/{page}.xhtml").xpath("//x:body/x:section", namespaces=NS)[0]
    assert section.get(f"{{{NS['epub']}}}type") == epub_type
    assert section.get("role") == role
    assert section.get("class") == page


def test_title_page_and_part_introduction(tmp_path: Path) -> None:
    files = unpack(render(framed_book(subtitle="A Year in Weeds"), tmp_path))
    titlepage = xml(files, "EPUB/titlepage.xhtml")
    assert [
        " ".join(p.xpath("string(.)").split())
        for p in titlepage.xpath("//x:section/*", namespaces=NS)
    ] == ["Rain on the Allotment", "A Year in Weeds", "Ilse Marrow", "Puddle Press"]
    part = xml(files, "EPUB/part-spring.xhtml")
    assert part.xpath("string(//x:div[@class='part-intro']/x:p)", namespaces=NS) == (
        "Beans and hope."
    )


def test_subjects_are_dublin_core_subjects(tmp_path: Path) -> None:
    opf = package(unpack(render(make_book(subjects=("Gardening", "Weather")), tmp_path)))
    assert text_of(opf, "//dc:subject/text()") == ["Gardening", "Weather"]


# -- EPUBCheck ---------------------------------------------------------------------------------

BOOKS: dict[str, Callable[[], Book]] = {
    "plain": make_book,
    "parts": parts_book,
    "front-back-matter-and-part-intro": lambda: framed_book(subjects=("Gardening",)),
    "front-back-images-generated-cover": lambda: illustrated_book(
        subtitle="Notes", publisher="Puddle Press", rights="All rights reserved"
    ),
    "author-cover": lambda: make_book(
        cover=Asset("images/front.jpg", "image/jpeg", image_bytes((30, 30, 80), "JPEG"), "f.jpg")
    ),
    "repaired-markup": lambda: make_book(
        parts=(
            Part(
                "",
                "main",
                (
                    chapter(
                        "odd",
                        "Odd Markup",
                        '<p id="1st">a</p><p id="1st"><a href="#1st">b</a> '
                        '<a href="elsewhere.xhtml">c</a> <img src="images/none.png"/></p>',
                    ),
                ),
            ),
        )
    ),
}


@pytest.mark.epubcheck
@pytest.mark.parametrize("name", sorted(BOOKS))
def test_epubcheck_accepts(name: str, tmp_path: Path, epubcheck) -> None:  # type: ignore[no-untyped-def]
    report = epubcheck(render(BOOKS[name](), tmp_path))
    assert report.errors == []
    assert report.warnings == []
