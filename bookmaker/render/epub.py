"""The EPUB 3 renderer: a `Book` in, a reproducible .epub file out.

ebooklib writes the package document (EPUB 3.3, section 5) and the container; every content
document, the navigation document and the NCX are made here, so their markup and ids are ours.
The archive is then re-packed with fixed timestamps (OCF, EPUB 3.3 section 6.3) so the same book
always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import posixpath
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.etree as etree
from ebooklib import epub

from bookmaker.errors import RenderError
from bookmaker.files import atomic_path
from bookmaker.log import warn
from bookmaker.model import Asset, Book, BookMeta, Chapter
from bookmaker.render.cover import cover_document, generate_cover
from bookmaker.render.xhtml import (
    XHTML_NS,
    XML_LANG,
    TocEntry,
    chapter_document,
    nav_document,
    nav_label,
    part_document,
    serialize,
)

log = logging.getLogger(__name__)

STYLESHEET_HREF = "styles/epub.css"
NAV_FILE = "nav.xhtml"
NCX_FILE = "toc.ncx"
COVER_PAGE = "cover.xhtml"
NCX_NS = "http://www.daisy.org/z3986/2005/ncx/"
XHTML_TYPE = "application/xhtml+xml"
# A zip entry can only be dated 1980-2107 (PKZIP format); 0o644 so unpacked files are readable.
ZIP_FIRST_DATE = (1980, 1, 1, 0, 0, 0)
ZIP_LAST_DATE = (2107, 12, 31, 23, 59, 58)
ZIP_FILE_MODE = 0o100644 << 16


@dataclass
class Page:
    """One XHTML document of the spine: its manifest id, file, title and markup."""

    uid: str
    file_name: str
    title: str
    content: str
    origin: str


def render_epub(book: Book, path: Path, stylesheet: str) -> None:
    """Write `book` as an EPUB 3 file at `path`; a failure leaves no file behind."""
    meta = book.meta
    cover = meta.cover or generate_cover(meta)
    pages = reading_pages(book)
    toc = table_of_contents(book)
    if not toc:
        raise RenderError("the book has no chapters to put in an EPUB")
    assets = _book_assets(book, cover)
    _check_file_names(pages, assets)
    resolve_references(pages, {asset.name for asset in assets})
    package = _package(book, pages, toc, cover, assets, stylesheet)
    archive = _write_package(package, _utc(meta.modified))
    try:
        with atomic_path(path) as tmp:
            repack(archive, tmp, _utc(meta.modified))
    except OSError as exc:
        raise RenderError(f"cannot write {path}: {exc.strerror or exc}") from exc
    log.debug("wrote %s (%d documents, %d assets)", path, len(pages), len(assets))


def reading_pages(book: Book) -> list[Page]:
    """Front matter, part title pages and chapters, back matter: the spine after the cover."""
    language = book.meta.language
    pages = [_chapter_page(ch, language) for ch in book.front]
    for part in book.parts:
        if book.has_parts and part.title:
            content = part_document(part, language, STYLESHEET_HREF)
            pages.append(Page(part.id, _part_file(part.id), part.title, content, part.id))
        pages.extend(_chapter_page(ch, language) for ch in part.chapters)
    pages.extend(_chapter_page(ch, language) for ch in book.back)
    return pages


def table_of_contents(book: Book) -> list[TocEntry]:
    """One entry per chapter; with parts, part titles on the first level and chapters below.

    Pages without a heading (title page, dedication, …) are not listed.
    """
    entries = [_toc_entry(ch) for ch in book.front if ch.listed]
    for part in book.parts:
        chapters = tuple(_toc_entry(ch) for ch in part.chapters)
        if book.has_parts and part.title:
            entries.append(TocEntry(part.title, _part_file(part.id), chapters))
        else:
            entries.extend(chapters)
    entries.extend(_toc_entry(ch) for ch in book.back if ch.listed)
    return entries


def _chapter_page(chapter: Chapter, language: str) -> Page:
    content = chapter_document(chapter, language, STYLESHEET_HREF)
    origin = chapter.source or chapter.file_name
    return Page(f"ch-{chapter.id}", chapter.file_name, chapter.title, content, origin)


def _toc_entry(chapter: Chapter) -> TocEntry:
    return TocEntry(chapter.title or chapter.id, chapter.file_name)


def _part_file(part_id: str) -> str:
    return f"{part_id}.xhtml"  # assemble gives part ids a "part-" prefix no chapter id has


def _book_assets(book: Book, cover: Asset) -> list[Asset]:
    """The book's assets plus the cover image, each name once."""
    named = {asset.name: asset for asset in book.assets}
    named.setdefault(cover.name, cover)
    return list(named.values())


def _check_file_names(pages: list[Page], assets: list[Asset]) -> None:
    seen = {NAV_FILE, NCX_FILE, COVER_PAGE, STYLESHEET_HREF}
    for name in [page.file_name for page in pages] + [asset.name for asset in assets]:
        if name in seen:
            raise RenderError(
                f"two files of the EPUB would be named {name} — give the chapter or part "
                "a different slug"
            )
        seen.add(name)


# -- links and images --------------------------------------------------------------------------


def resolve_references(pages: list[Page], asset_names: set[str]) -> None:
    """Unlink links and drop images that point at nothing in the book.

    EPUBCheck rejects a hyperlink to a file outside the spine (RSC-007, RSC-011) or to a missing
    fragment (RSC-012); a reader would show a dead link. The text of the link stays.
    """
    trees = {page.file_name: etree.fromstring(page.content.encode("utf-8")) for page in pages}
    anchors = {name: {str(v) for v in tree.xpath("//@id")} for name, tree in trees.items()}
    for page in pages:
        tree = trees[page.file_name]
        changed = _resolve_links(tree, page, anchors, asset_names)
        changed |= _resolve_images(tree, page, asset_names)
        if changed:
            page.content = serialize(tree)


def _resolve_links(
    tree: etree._Element, page: Page, anchors: dict[str, set[str]], asset_names: set[str]
) -> bool:
    changed = False
    for link in tree.iter(f"{{{XHTML_NS}}}a"):
        href = link.get("href")
        if href is None:
            continue
        target = _link_target(href, page.file_name)
        if target is None:
            continue
        file_name, fragment = target
        if file_name in anchors and (not fragment or fragment in anchors[file_name]):
            continue
        if file_name in anchors:
            warn(log, "link.broken", "%s: link %s: no such place in the chapter", page.origin, href)
            link.set("href", file_name)
        else:
            if file_name not in asset_names:
                warn(log, "link.broken", "%s: link %s leads outside the book", page.origin, href)
            del link.attrib["href"]
        changed = True
    return changed


def _link_target(href: str, base: str) -> tuple[str, str] | None:
    """The (file, fragment) an internal link points at, or None for a link to the web."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    if not parts.path:
        return base, unquote(parts.fragment)
    path = posixpath.normpath(posixpath.join(posixpath.dirname(base), unquote(parts.path)))
    return path, unquote(parts.fragment)


def _resolve_images(tree: etree._Element, page: Page, asset_names: set[str]) -> bool:
    changed = False
    for img in list(tree.iter(f"{{{XHTML_NS}}}img")):
        src = img.get("src", "")
        target = _link_target(src, page.file_name) if src else None
        if target is not None and target[0] in asset_names:
            continue
        warn(log, "image.missing", "%s: image %s is not in the book; left out", page.origin, src)
        _replace_with_alt(img)
        changed = True
    return changed


def _replace_with_alt(img: etree._Element) -> None:
    parent = img.getparent()
    alt = (img.get("alt") or "").strip()
    if alt:
        span = etree.Element(f"{{{XHTML_NS}}}span")
        span.text = f"[{alt}]"
        span.tail = img.tail
        parent.replace(img, span)
        return
    previous = img.getprevious()
    if img.tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + img.tail
        else:
            parent.text = (parent.text or "") + img.tail
    parent.remove(img)


# -- NCX --------------------------------------------------------------------------------


def ncx_document(meta: BookMeta, toc: list[TocEntry]) -> str:
    """The EPUB 2 NCX, kept for older reading systems (EPUB 3.3, section 5.6.3.2 `toc`)."""
    root = etree.Element(f"{{{NCX_NS}}}ncx", nsmap={None: NCX_NS}, version="2005-1")
    root.set(XML_LANG, meta.language)
    head = etree.SubElement(root, f"{{{NCX_NS}}}head")
    depth = 2 if any(entry.children for entry in toc) else 1
    for name, value in (
        ("dtb:uid", meta.identifier),
        ("dtb:depth", str(depth)),
        ("dtb:totalPageCount", "0"),
        ("dtb:maxPageNumber", "0"),
    ):
        etree.SubElement(head, f"{{{NCX_NS}}}meta", name=name, content=value)
    _ncx_text(etree.SubElement(root, f"{{{NCX_NS}}}docTitle"), meta.title)
    for author in meta.authors:
        _ncx_text(etree.SubElement(root, f"{{{NCX_NS}}}docAuthor"), author)
    _nav_points(etree.SubElement(root, f"{{{NCX_NS}}}navMap"), toc, [0])
    markup = etree.tostring(root, encoding="unicode", pretty_print=True)
    return f'<?xml version="1.0" encoding="utf-8"?>\n{markup}'


def _ncx_text(parent: etree._Element, text: str) -> None:
    etree.SubElement(parent, f"{{{NCX_NS}}}text").text = text


def _nav_points(parent: etree._Element, entries: Sequence[TocEntry], counter: list[int]) -> None:
    for entry in entries:
        counter[0] += 1
        point = etree.SubElement(
            parent, f"{{{NCX_NS}}}navPoint", id=f"navpoint-{counter[0]}", playOrder=str(counter[0])
        )
        _ncx_text(etree.SubElement(point, f"{{{NCX_NS}}}navLabel"), entry.title)
        etree.SubElement(point, f"{{{NCX_NS}}}content", src=entry.href)
        _nav_points(point, entry.children, counter)


# -- package -----------------------------------------------------------------------------------


def _package(
    book: Book,
    pages: list[Page],
    toc: list[TocEntry],
    cover: Asset,
    assets: list[Asset],
    stylesheet: str,
) -> epub.EpubBook:
    """The package: metadata, manifest in a fixed order, spine, and the EPUB 2 guide."""
    meta = book.meta
    package = _package_metadata(meta)
    package.add_metadata(None, "meta", "", {"name": "cover", "content": _asset_uid(cover.name)})
    start = (pages[len(book.front) :] or pages)[0]
    # No `toc` landmark: the navigation document is not in the spine, and EPUBCheck rejects links
    # to documents outside it (RSC-011).
    landmarks = [("cover", COVER_PAGE), ("bodymatter", start.file_name)]
    nav = nav_document(toc, landmarks, meta.language, STYLESHEET_HREF)
    _add(package, "nav", NAV_FILE, XHTML_TYPE, nav, ["nav"])
    _add(package, "ncx", NCX_FILE, "application/x-dtbncx+xml", ncx_document(meta, toc))
    _add(package, "stylesheet", STYLESHEET_HREF, "text/css", stylesheet)
    cover_page = cover_document(meta, cover.name, STYLESHEET_HREF)
    _add(package, "cover", COVER_PAGE, XHTML_TYPE, cover_page)
    for page in pages:
        _add(package, page.uid, page.file_name, XHTML_TYPE, page.content)
    for asset in assets:
        properties = ["cover-image"] if asset.name == cover.name else []
        _add(package, _asset_uid(asset.name), asset.name, asset.media_type, asset.data, properties)
    package.spine = ["cover", *(page.uid for page in pages)]
    package.guide = [
        {"type": "cover", "title": nav_label(meta.language, "cover"), "href": COVER_PAGE},
        {"type": "text", "title": start.title, "href": start.file_name},
    ]
    return package


def _package_metadata(meta: BookMeta) -> epub.EpubBook:
    """Dublin Core and EPUB metadata (EPUB 3.3, section 5.5), nothing taken from the clock."""
    package = epub.EpubBook()
    package.metadata.pop(epub.NAMESPACES["OPF"], None)  # the library's generator stamp
    package.IDENTIFIER_ID = "book-id"
    package.set_identifier(meta.identifier)
    package.title = meta.title
    package.language = meta.language
    _refined(package, "title", meta.title, "title", "title-type", "main")
    if meta.subtitle:
        _refined(package, "title", meta.subtitle, "subtitle", "title-type", "subtitle")
    package.add_metadata("DC", "language", meta.language)
    for number, author in enumerate(meta.authors, start=1):
        _refined(package, "creator", author, f"creator-{number}", "role", "aut")
    date = meta.date or _utc(meta.modified).date()
    package.add_metadata("DC", "date", date.isoformat())
    for name, value in (
        ("publisher", meta.publisher),
        ("rights", meta.rights),
        ("description", meta.description),
    ):
        if value:
            package.add_metadata("DC", name, value)
    for subject in meta.subjects:
        package.add_metadata("DC", "subject", subject)
    return package


def _refined(
    package: epub.EpubBook, name: str, value: str, uid: str, prop: str, refinement: str
) -> None:
    package.add_metadata("DC", name, value, {"id": uid})
    attributes = {"refines": f"#{uid}", "property": prop}
    if prop == "role":
        attributes["scheme"] = "marc:relators"
    package.add_metadata(None, "meta", refinement, attributes)


def _add(
    package: epub.EpubBook,
    uid: str,
    file_name: str,
    media_type: str,
    content: str | bytes,
    properties: list[str] | None = None,
) -> None:
    data = content.encode("utf-8") if isinstance(content, str) else content
    item = epub.EpubItem(uid=uid, file_name=file_name, media_type=media_type, content=data)
    item.properties = properties or []
    package.add_item(item)


def _asset_uid(name: str) -> str:
    return "res-" + re.sub(r"[^A-Za-z0-9_.-]", "-", name)


def _write_package(package: epub.EpubBook, modified: dt.datetime) -> bytes:
    options = {"mtime": modified, "epub3_landmark": False, "epub3_pages": False}
    buffer = io.BytesIO()
    writer = epub.EpubWriter(buffer, package, options)
    writer.process()
    writer.write()
    return buffer.getvalue()


# -- container ---------------------------------------------------------------------------------


def repack(archive: bytes, target: Path, modified: dt.datetime) -> None:
    """Re-zip with `mimetype` first and stored (OCF, EPUB 3.3 section 6.3.2) and fixed dates."""
    stamp = min(ZIP_LAST_DATE, max(ZIP_FIRST_DATE, modified.timetuple()[:6]))
    with zipfile.ZipFile(io.BytesIO(archive)) as source, zipfile.ZipFile(target, "w") as out:
        names = ["mimetype"] + [name for name in source.namelist() if name != "mimetype"]
        for name in names:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.create_system = 3
            info.external_attr = ZIP_FILE_MODE
            stored = name == "mimetype"
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            out.writestr(info, source.read(name), compresslevel=None if stored else 9)


def _utc(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)
