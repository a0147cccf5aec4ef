"""Chapter XHTML shared by the renderers: one chapter in, one XHTML document string out.

Everything here is a pure function of its arguments (no globals, no I/O), so the build may render
chapters in parallel and cache each document by its inputs.

Documents follow EPUB 3.3 XHTML content documents (section 3.1: XML syntax of HTML, UTF-8, the
`epub` namespace for structural semantics) and carry DPUB-ARIA roles for assistive technology.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from urllib.parse import unquote, urlsplit

import lxml.etree as etree
import lxml.html

from bookmaker.extract.sanitize import xml_safe
from bookmaker.model import Chapter, Part

XHTML_NS = "http://www.w3.org/1999/xhtml"
EPUB_NS = "http://www.idpf.org/2007/ops"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPUB_TYPE = f"{{{EPUB_NS}}}type"
NSMAP = {None: XHTML_NS, "epub": EPUB_NS}

# Front and back matter whose id names its role get the matching EPUB SSV term and DPUB-ARIA role.
MATTER_SEMANTICS = {
    name: (name, f"doc-{name}")
    for name in (
        "foreword preface introduction prologue dedication acknowledgments epilogue afterword "
        "conclusion appendix colophon epigraph"
    ).split()
}
# EPUB SSV terms without a DPUB-ARIA role.
MATTER_SEMANTICS.update({"titlepage": ("titlepage", ""), "copyright": ("copyright-page", "")})
DIVISION_TYPES = {"front": "frontmatter", "chapter": "bodymatter", "back": "backmatter"}

_NOT_NAME_CHAR = re.compile(r"[^\w.\-]")
_NAME_START = re.compile(r"[^\W\d]")
# Attribute values the HTML schema in EPUBCheck rejects are dropped; the content stays.
_VALID_ATTRIBUTES = {
    name: re.compile(pattern)
    for name, pattern in {
        "lang": r"([A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*)?",
        "start": r"-?[0-9]+",
        "colspan": r"0*[1-9][0-9]*",
        "rowspan": r"[0-9]+",
        "span": r"0*[1-9][0-9]*",
        "width": r"[0-9]+",
        "height": r"[0-9]+",
        "scope": r"row|col|rowgroup|colgroup",
        "datetime": r"[0-9]{4}(-[0-9]{2}(-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?"
        r"(Z|[+-][0-9]{2}:?[0-9]{2})?)?)?)?",
    }.items()
}
# Navigation headings and landmark names, by language; other languages get the English ones.
NAV_LABELS = {
    "en": {"toc": "Contents", "landmarks": "Landmarks", "cover": "Cover", "bodymatter": "Start"},
    "de": {
        "toc": "Inhalt",
        "landmarks": "Orientierung",
        "cover": "Umschlag",
        "bodymatter": "Beginn",
    },
    "fr": {
        "toc": "Table des matières",
        "landmarks": "Repères",
        "cover": "Couverture",
        "bodymatter": "Début",
    },
    "es": {
        "toc": "Índice",
        "landmarks": "Puntos de referencia",
        "cover": "Portada",
        "bodymatter": "Comienzo",
    },
}
_MONTHS = (
    "January February March April May June July August September October November December".split()
)


def chapter_document(chapter: Chapter, language: str, stylesheet_href: str | None) -> str:
    """Return a complete XHTML document for one chapter, front- or back-matter page."""
    html, body = new_document(chapter.title or chapter.id, language, stylesheet_href)
    body.set(EPUB_TYPE, DIVISION_TYPES.get(chapter.kind, "bodymatter"))
    section = sub_element(body, "section", text="\n")
    epub_type, role = _section_semantics(chapter)
    if epub_type:
        section.set(EPUB_TYPE, epub_type)
    if role:
        section.set("role", role)
    if chapter.kind != "chapter":
        section.set("class", xml_id(chapter.id))  # the stylesheet's hook for each kind of page
    header = _chapter_header(chapter, language) if chapter.listed else None
    if header is not None:
        section.append(header)
    _append_fragment(section, chapter.body)
    return serialize(html)


def part_document(part: Part, language: str, stylesheet_href: str | None) -> str:
    """Return the title page that opens a part (EPUB SSV `part`, DPUB-ARIA `doc-part`), with the
    part's introduction if it has one."""
    html, body = new_document(part.title, language, stylesheet_href)
    body.set(EPUB_TYPE, "bodymatter")
    body.set("class", "part-page")
    section = sub_element(body, "section", {EPUB_TYPE: "part", "role": "doc-part"}, "\n")
    sub_element(section, "h1", {"class": "part-title"}, part.title)
    if part.intro:
        intro = sub_element(section, "div", {"class": "part-intro"}, "\n")
        _append_fragment(intro, part.intro)
    return serialize(html)


@dataclass(frozen=True)
class TocEntry:
    title: str
    href: str
    children: tuple[TocEntry, ...] = ()


def nav_document(
    toc: Sequence[TocEntry],
    landmarks: Sequence[tuple[str, str]],
    language: str,
    stylesheet_href: str | None,
) -> str:
    """The EPUB navigation document (EPUB 3.3, section 7.4): table of contents and landmarks.

    `landmarks` are (EPUB SSV term, href) pairs such as ("cover", "cover.xhtml").
    """
    contents = nav_label(language, "toc")
    html, body = new_document(contents, language, stylesheet_href)
    body.set("class", "nav-page")
    nav = sub_element(body, "nav", {EPUB_TYPE: "toc", "id": "toc", "role": "doc-toc"}, "\n")
    sub_element(nav, "h1", text=contents)
    _nav_list(nav, toc)
    marks = sub_element(body, "nav", {EPUB_TYPE: "landmarks", "id": "landmarks", "hidden": ""})
    marks.text = "\n"
    sub_element(marks, "h2", text=nav_label(language, "landmarks"))
    ol = sub_element(marks, "ol", text="\n")
    for kind, href in landmarks:
        link = sub_element(sub_element(ol, "li"), "a", {EPUB_TYPE: kind, "href": href})
        link.text = nav_label(language, kind)
        link.tail = None
    return serialize(html)


def nav_label(language: str, key: str) -> str:
    labels = NAV_LABELS.get(language.lower().split("-")[0], NAV_LABELS["en"])
    return labels.get(key, key)


def _nav_list(parent: etree._Element, entries: Sequence[TocEntry]) -> None:
    ol = sub_element(parent, "ol", text="\n")
    for entry in entries:
        item = sub_element(ol, "li")
        sub_element(item, "a", {"href": entry.href}, entry.title).tail = None
        if entry.children:
            _nav_list(item, entry.children)


def new_document(
    title: str, language: str, stylesheet_href: str | None
) -> tuple[etree._Element, etree._Element]:
    """Make the `<html>` skeleton (head with title and stylesheet) and return it with its body."""
    html = etree.Element(f"{{{XHTML_NS}}}html", nsmap=NSMAP)
    html.set("lang", language)
    html.set(XML_LANG, language)
    html.text = "\n"
    head = sub_element(html, "head", text="\n")
    # Redundant for XML parsers, but tools that read the file as HTML would guess another encoding.
    sub_element(head, "meta", {"charset": "utf-8"})
    sub_element(head, "title", text=title)
    if stylesheet_href:
        sub_element(
            head, "link", {"rel": "stylesheet", "type": "text/css", "href": stylesheet_href}
        )
    body = sub_element(html, "body", text="\n")
    return html, body


def serialize(html: etree._Element) -> str:
    markup = etree.tostring(html, encoding="unicode", doctype="<!DOCTYPE html>")
    return f'<?xml version="1.0" encoding="utf-8"?>\n{markup}\n'


def xml_id(value: str) -> str:
    """Turn any id into a valid XML name (EPUBCheck validates ids as NCNames), deterministically.

    Links are rewritten with the same function, so a link and its target keep matching.
    """
    name = _NOT_NAME_CHAR.sub("-", value.strip()) or "id"
    return name if _NAME_START.match(name) else f"id-{name}"


def sub_element(
    parent: etree._Element, tag: str, attrib: dict[str, str] | None = None, text: str | None = None
) -> etree._Element:
    el = etree.SubElement(parent, f"{{{XHTML_NS}}}{tag}", attrib or {})
    el.text = text
    el.tail = "\n"
    return el


def _section_semantics(chapter: Chapter) -> tuple[str, str]:
    if chapter.kind == "chapter":
        return "chapter", "doc-chapter"
    return MATTER_SEMANTICS.get(chapter.id, ("", ""))


def _chapter_header(chapter: Chapter, language: str) -> etree._Element | None:
    if not (chapter.title or chapter.authors or chapter.date):
        return None
    header = etree.Element(f"{{{XHTML_NS}}}header")
    header.text = "\n"
    header.tail = "\n"
    if chapter.title:
        sub_element(header, "h1", text=chapter.title)
    if chapter.authors or chapter.date:
        byline = sub_element(header, "p", {"class": "byline"})
        _fill_byline(byline, chapter.authors, chapter.date, language)
    return header


def _fill_byline(
    line: etree._Element, authors: tuple[str, ...], date: dt.datetime | None, language: str
) -> None:
    line.text = ", ".join(authors)
    if date is None:
        return
    if authors:
        line.text += " · "
    stamp = sub_element(
        line, "time", {"datetime": date.date().isoformat()}, human_date(date, language)
    )
    stamp.tail = None


def human_date(date: dt.datetime, language: str) -> str:
    # Month names are only known for English; other languages get the unambiguous ISO form.
    if language.lower().split("-")[0] == "en":
        return f"{date.day} {_MONTHS[date.month - 1]} {date.year}"
    return date.date().isoformat()


def _append_fragment(section: etree._Element, fragment: str) -> None:
    container = _parse_fragment(fragment)
    _repair(container)
    last = section[-1] if len(section) else None
    if container.text:
        if last is None:
            section.text = (section.text or "") + container.text
        else:
            last.tail = (last.tail or "") + container.text
    for child in list(container):
        section.append(child)


def _parse_fragment(fragment: str) -> etree._Element:
    """Parse the body as XML; if an upstream stage let malformed markup through, recover it."""
    safe = xml_safe(fragment)
    try:
        return etree.fromstring(_wrap(safe))
    except etree.XMLSyntaxError:
        pass
    root = lxml.html.fragment_fromstring(safe, create_parent="div")
    for el in root.iter():
        for name in [n for n in el.attrib if ":" in n and not n.startswith(("epub:", "xml:"))]:
            del el.attrib[name]
    inner = "".join(etree.tostring(child, method="xml", encoding="unicode") for child in root)
    try:
        return etree.fromstring(_wrap(escape(root.text or "", quote=False) + inner))
    except etree.XMLSyntaxError:
        return etree.fromstring(_wrap(f"<p>{escape(root.text_content(), quote=False)}</p>"))


def _wrap(markup: str) -> str:
    return f'<div xmlns="{XHTML_NS}" xmlns:epub="{EPUB_NS}">{markup}</div>'


def _repair(container: etree._Element) -> None:
    """Fix what XHTML validation rejects but blog markup often has; keep all content."""
    seen: set[str] = set()
    for el in container.iter():
        if not isinstance(el.tag, str):
            continue
        _repair_id(el, seen)
        _repair_attributes(el)
        if el.tag == f"{{{XHTML_NS}}}img" and el.get("alt") is None:
            el.set("alt", "")
        if el.tag == f"{{{XHTML_NS}}}a" and el.get("href"):
            el.set("href", _repair_href(el.get("href", "")))


def _repair_id(el: etree._Element, seen: set[str]) -> None:
    if el.get("id") is None:
        return
    ident = xml_id(el.get("id", ""))
    if ident in seen:
        del el.attrib["id"]  # the first element keeps the id, so links still land somewhere
        return
    seen.add(ident)
    el.set("id", ident)


def _repair_attributes(el: etree._Element) -> None:
    for name, pattern in _VALID_ATTRIBUTES.items():
        value = el.get(name)
        if value is not None and not pattern.fullmatch(value.strip()):
            del el.attrib[name]


def _repair_href(href: str) -> str:
    """Give the fragment of an internal link the same treatment as the ids it points at."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.fragment:
        return href
    base = href.split("#", 1)[0]
    return f"{base}#{xml_id(unquote(parts.fragment))}"
