"""The print edition: the whole book as one HTML document, laid out by WeasyPrint into a PDF.

The HTML is built in two layers so chapters can later be rendered in parallel and stitched:
`chapter_section(chapter, language)` is a pure function of one chapter, and `book_html` only wraps
those sections with the cover, title page, contents and part pages.

Everything WeasyPrint loads goes through `BookFetcher`, which serves the book's own images and
refuses every other URL: chapter bodies come from the web, so no network or local file may be read
while rendering.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import os
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urldefrag, urljoin

import lxml.etree as etree
import lxml.html
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from bookmaker.errors import RenderError
from bookmaker.files import atomic_path
from bookmaker.log import warn
from bookmaker.model import Asset, Book, BookMeta, Chapter, Part
from bookmaker.render.cover import generate_cover
from bookmaker.render.xhtml import human_date

log = logging.getLogger(__name__)

PAGE_SIZES = {"A5": "A5", "6x9": "6in 9in", "Letter": "letter", "A4": "A4"}
# Width and height in inches, to make a generated cover with the page's own proportions.
PAGE_INCHES = {"A5": (5.83, 8.27), "6x9": (6.0, 9.0), "Letter": (8.5, 11.0), "A4": (8.27, 11.69)}
COVER_DPI = 300
SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"

# Relative asset names (images/….png) resolve against this origin. The .invalid top-level domain
# can never resolve (RFC 2606), so even a bug that bypassed the fetcher could not reach a host.
BOOK_ORIGIN = "https://book.invalid/"
GENERATED_COVER_NAME = "cover/generated-cover"

CONTENTS_LABELS = {
    "en": "Contents",
    "de": "Inhalt",
    "fr": "Table des matières",
    "es": "Índice",
    "it": "Indice",
    "nl": "Inhoud",
    "pt": "Sumário",
}

SEE_PAGE_LABELS = {
    "en": "see page",
    "de": "siehe Seite",
    "fr": "voir page",
    "es": "véase la página",
    "it": "vedi pagina",
    "nl": "zie pagina",
    "pt": "ver página",
}

# Structure, not look: the outline must survive any author stylesheet, so these rules come first
# and the page size (from the config) comes last. Properties: CSS GCPM 3, "Bookmarks" and
# "Footnotes"; target-counter() is CSS GCPM 3, "Cross-references". A footnote's call moves to
# the next page with its note (policy "line"): the layout engine can otherwise lose a note that
# does not fit below the page's last line.
_OUTLINE_CSS = """
h1, h2, h3, h4, h5, h6 { bookmark-level: none; }
.chapter-title, .part-title { bookmark-level: 1; }
.part .chapter-title { bookmark-level: 2; }
.part-title { bookmark-state: open; }
.link-note { float: footnote; footnote-policy: line; }
"""

_CHAPTER_LINK = re.compile(r"^(?P<id>[A-Za-z0-9_][A-Za-z0-9_.-]*)\.xhtml(?:#(?P<frag>.*))?$")


class BookFetcher(URLFetcher):
    """Serves the book's assets by name and refuses everything else (network, files, data:)."""

    def __init__(self, assets: Iterable[tuple[str, Asset]]) -> None:
        super().__init__(allowed_protocols=(), allow_redirects=False)
        self._assets = {urljoin(BOOK_ORIGIN, name): asset for name, asset in assets}
        self.refused: list[str] = []

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        asset = self._assets.get(urldefrag(url).url)
        if asset is None:
            if url not in self.refused:
                self.refused.append(url)
                shown = url if len(url) <= 100 else url[:97] + "..."
                warn(log, "pdf.outside_resource", "PDF: left out %s (not part of the book)", shown)
            raise ValueError(f"not part of the book: {url}")
        return URLFetcherResponse(url, asset.data, {"Content-Type": asset.media_type})


def render_pdf(
    book: Book,
    path: Path,
    stylesheet: str,
    page_size: str = "A5",
    link_footnotes: bool = False,
    chapters_open: str = "right",
) -> None:
    """Write the print edition of `book` to `path`, replacing it only once the PDF is complete.

    With `link_footnotes`, the address of every link to the web is printed as a footnote.
    `chapters_open` "right" starts parts and chapters on a right-hand page, as printed books do;
    "any" on the next page, which spares a blank page after each short post.
    """
    document = book_html(book, stylesheet, page_size, link_footnotes, chapters_open)
    fetcher = BookFetcher(_book_assets(book, page_size))
    log.debug("Laying out %d chapters for %s", len(book.reading_order()), path)
    html_doc = HTML(string=document, base_url=BOOK_ORIGIN, url_fetcher=fetcher)
    try:
        with atomic_path(path) as tmp, _pinned_font_timestamps(book.meta.modified):
            html_doc.write_pdf(tmp)
    except OSError as exc:
        raise RenderError(f"cannot write {path}: {exc.strerror or exc}") from exc
    except RecursionError:  # WeasyPrint parses CSS blocks recursively: @media inside @media ...
        raise RenderError(
            "cannot lay out the PDF: the print stylesheet nests blocks too deeply"
            " — check [output.pdf] stylesheet"
        ) from None


@contextmanager
def _pinned_font_timestamps(modified: dt.datetime) -> Iterator[None]:
    """Stamp subset fonts with the book's date, not "now", so the same book gives the same bytes.

    fontTools, which subsets the embedded fonts, writes the current time into each font's `head`
    table unless SOURCE_DATE_EPOCH is set. A value the caller set is left alone.
    """
    if SOURCE_DATE_EPOCH in os.environ:
        yield
        return
    os.environ[SOURCE_DATE_EPOCH] = str(int(_as_utc(modified).timestamp()))
    try:
        yield
    finally:
        os.environ.pop(SOURCE_DATE_EPOCH, None)


def _book_assets(book: Book, page_size: str) -> list[tuple[str, Asset]]:
    assets = [(asset.name, asset) for asset in book.assets]
    if book.meta.cover is not None:
        assets.append((book.meta.cover.name, book.meta.cover))
    else:
        width, height = (round(inches * COVER_DPI) for inches in PAGE_INCHES[page_size])
        assets.append((GENERATED_COVER_NAME, generate_cover(book.meta, width=width, height=height)))
    return assets


def book_html(
    book: Book,
    stylesheet: str,
    page_size: str,
    link_footnotes: bool = False,
    chapters_open: str = "right",
) -> str:
    """The whole book as one HTML document: cover, opening pages, contents, then every chapter.

    The pages without a heading that open the book (title page, copyright page, dedication,
    epigraph) come before the contents, as in a printed book; the rest of the front matter after.
    """
    if page_size not in PAGE_SIZES:
        choices = ", ".join(PAGE_SIZES)
        raise RenderError(f"PDF page size must be one of {choices}; got {page_size!r}")
    meta = book.meta
    opening = 0
    while opening < len(book.front) and not book.front[opening].listed:
        opening += 1

    def section(chapter: Chapter) -> str:
        return chapter_section(chapter, meta.language, link_footnotes)

    body = [
        _cover_page(meta),
        *(section(ch) for ch in book.front[:opening]),
        _contents(book),
        *(section(ch) for ch in book.front[opening:]),
        *(_part_html(part, meta.language, book.has_parts, link_footnotes) for part in book.parts),
        *(section(ch) for ch in book.back),
    ]
    classes = "book with-parts" if book.has_parts else "book"
    return (
        f'<!DOCTYPE html>\n<html lang="{_attr(meta.language)}">\n<head>\n'
        f"{_head(meta, stylesheet, page_size, chapters_open)}</head>\n"
        f'<body class="{classes}">\n{"".join(body)}</body>\n</html>\n'
    )


def _head(meta: BookMeta, stylesheet: str, page_size: str, chapters_open: str = "right") -> str:
    stamp = _w3c_datetime(meta.modified)
    lines = ['<meta charset="utf-8"/>', f"<title>{_text(meta.title)}</title>"]
    lines += [f'<meta name="author" content="{_attr(name)}"/>' for name in meta.authors]
    if meta.description:
        lines.append(f'<meta name="description" content="{_attr(meta.description)}"/>')
    if meta.subjects:
        lines.append(f'<meta name="keywords" content="{_attr(", ".join(meta.subjects))}"/>')
    see_page = SEE_PAGE_LABELS.get(meta.language.split("-")[0].lower(), SEE_PAGE_LABELS["en"])
    lines += [
        f'<meta name="dcterms.created" content="{stamp}"/>',
        f'<meta name="dcterms.modified" content="{stamp}"/>',
        f"<style>{_OUTLINE_CSS}{_xref_css(see_page)}</style>",
        f"<style>\n{_style_text(stylesheet)}\n</style>",
        f"<style>@page {{ size: {PAGE_SIZES[page_size]}; }}</style>",
    ]
    if chapters_open == "any":  # after the author's stylesheet, so the setting wins
        lines.append("<style>.chapter, .part-title-page { break-before: page; }</style>")
    return "".join(line + "\n" for line in lines)


def _xref_css(label: str) -> str:
    """In print, a link to another chapter says where it leads: "(see page 12)".

    Before the author's stylesheet, which may restyle or drop it (`a.xref::after`).
    """
    quoted = label.replace("\\", "\\\\").replace('"', '\\"')
    return f'a.xref::after {{ content: " ({quoted} " target-counter(attr(href url), page) ")"; }}\n'


def _cover_page(meta: BookMeta) -> str:
    src = meta.cover.name if meta.cover is not None else GENERATED_COVER_NAME
    return f'<section class="cover"><img src="{_attr(src)}" alt="{_attr(meta.title)}"/></section>\n'


def _contents(book: Book) -> str:
    """The table of contents; print.css adds leaders and page numbers (target-counter)."""
    label = CONTENTS_LABELS.get(book.meta.language.split("-")[0].lower(), "Contents")
    items = [_contents_item(ch) for ch in book.front if ch.listed]
    for part in book.parts:
        entries = "".join(_contents_item(ch) for ch in part.chapters)
        if part.title:
            link = f'<a href="#{_attr(part.id)}">{_text(part.title)}</a>'
            items.append(f'<li class="toc-part">{link}<ol>{entries}</ol></li>')
        else:
            items.append(entries)
    items += [_contents_item(ch) for ch in book.back if ch.listed]
    return (
        f'<nav class="toc" id="contents"><h1 class="toc-title">{_text(label)}</h1>'
        f"<ol>{''.join(items)}</ol></nav>\n"
    )


def _contents_item(chapter: Chapter) -> str:
    link = f'<a href="#{_attr(chapter.id)}">{_text(chapter.title)}</a>'
    return f'<li class="toc-{_attr(chapter.kind)}">{link}</li>'


def _part_html(part: Part, language: str, with_parts: bool, link_footnotes: bool = False) -> str:
    chapters = "".join(chapter_section(ch, language, link_footnotes) for ch in part.chapters)
    if not (with_parts and part.title):
        return chapters
    intro = ""
    if part.intro:
        body = _relinked_body(part.id, part.intro, link_footnotes)
        intro = f'<div class="part-intro">\n{body}</div>'
    opening = (
        f'<section class="part-title-page" id="{_attr(part.id)}">'
        f'<h1 class="part-title">{_text(part.title)}</h1>{intro}</section>\n'
    )
    return f'<div class="part">\n{opening}{chapters}</div>\n'


def chapter_section(chapter: Chapter, language: str, link_footnotes: bool = False) -> str:
    """One chapter as an HTML <section>, self-contained so it can be laid out on its own.

    Ids inside the body get the prefix `<chapter-id>--` so ids from different chapters never
    collide, and links to `other.xhtml#frag` (the EPUB file names) become `#other--frag`.
    A page without a heading (title page, dedication) is a plain section classed by its role.
    """
    body = _relinked_body(chapter.id, chapter.body, link_footnotes)
    if not chapter.listed:
        return (
            f'<section class="matter-page {_attr(chapter.id)}" id="{_attr(chapter.id)}" '
            f'lang="{_attr(language)}">\n{body}</section>\n'
        )
    byline = _byline(chapter, language)
    classes = "chapter"
    if chapter.kind != "chapter":
        classes = f"chapter {chapter.kind}-matter {chapter.id}"
    return (
        f'<section class="{_attr(classes)}" id="{_attr(chapter.id)}" '
        f'lang="{_attr(language)}">\n'
        f'<h1 class="chapter-title">{_text(chapter.title)}</h1>\n{byline}'
        f'<div class="chapter-body">\n{body}</div>\n'
        "</section>\n"
    )


def _byline(chapter: Chapter, language: str) -> str:
    parts = [_text(", ".join(chapter.authors))] if chapter.authors else []
    if chapter.date is not None:
        day = chapter.date.date().isoformat()
        parts.append(f'<time datetime="{day}">{human_date(chapter.date, language)}</time>')
    if not parts:
        return ""
    return f'<p class="chapter-byline">{" · ".join(parts)}</p>\n'


def _relinked_body(chapter_id: str, body: str, link_footnotes: bool = False) -> str:
    root = _parse_fragment(body)
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        element_id = element.get("id")
        if element_id:
            element.set("id", f"{chapter_id}--{element_id}")
        href = element.get("href")
        if href and etree.QName(element).localname == "a":
            target = _book_href(chapter_id, href.strip())
            element.set("href", target)
            if _CHAPTER_LINK.match(href.strip()):
                element.set("class", _classes(element.get("class"), "xref"))
            elif link_footnotes and _is_web(target):
                _add_link_note(element, target)
    return _serialize_children(root)


def _classes(existing: str | None, added: str) -> str:
    return f"{existing} {added}" if existing else added


def _is_web(href: str) -> bool:
    return href.lower().startswith(("http://", "https://"))


def _add_link_note(link: etree._Element, url: str) -> None:
    """Follow a link to the web with its address as a footnote, unless the text is the address."""
    shown = " ".join("".join(link.itertext()).split())
    if shown.rstrip("/") in (url.rstrip("/"), url.split("://", 1)[1].rstrip("/")):
        return
    namespace = etree.QName(link).namespace
    prefix = f"{{{namespace}}}" if namespace else ""
    note = etree.Element(f"{prefix}span", {"class": "link-note"})
    etree.SubElement(note, f"{prefix}a", href=url).text = url
    note.tail, link.tail = link.tail, None
    link.addnext(note)


def _book_href(chapter_id: str, href: str) -> str:
    """Map an EPUB-style link to an anchor in the single print document."""
    if href.startswith("#"):
        return f"#{chapter_id}--{href[1:]}" if len(href) > 1 else href
    match = _CHAPTER_LINK.match(href)
    if match is None:
        return href
    target, fragment = match["id"], match["frag"]
    return f"#{target}--{fragment}" if fragment else f"#{target}"


def _parse_fragment(body: str) -> etree._Element:
    """Parse a chapter body: XHTML as promised, or tolerant HTML if it is not well-formed."""
    try:
        return etree.fromstring(f"<div>{body}</div>")
    except etree.XMLSyntaxError:
        log.debug("Chapter body is not well-formed XML; parsing it as HTML")
        return lxml.html.fragment_fromstring(body, create_parent="div")


def _serialize_children(root: etree._Element) -> str:
    # HTML serialisation: an XML-style empty <a id="x"/> would open an element in an HTML parser.
    text = html.escape(root.text or "", quote=False)
    children = "".join(
        etree.tostring(child, method="html", encoding="unicode", with_tail=True) for child in root
    )
    return text + children + "\n"


def _w3c_datetime(moment: dt.datetime) -> str:
    return _as_utc(moment).strftime("%Y-%m-%dT%H:%M:%SZ")


def _as_utc(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:  # the model's dates are UTC when they carry no zone
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def _style_text(stylesheet: str) -> str:
    # "</" would end the <style> element early; "<\/" means the same to a CSS parser.
    return stylesheet.replace("</", "<\\/")


def _text(value: str) -> str:
    return html.escape(value, quote=False)


def _attr(value: str) -> str:
    return html.escape(value, quote=True)
