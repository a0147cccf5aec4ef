"""The allow-list boundary every article body passes before it reaches a renderer.

Anything not listed here is dropped: scripts, event handlers, iframes, forms, objects, styles,
`javascript:` URLs. The result is a well-formed XHTML fragment whose top heading is <h2>.
"""

from __future__ import annotations

import re
from html import escape

import lxml.etree as etree
import lxml.html
import nh3

ALLOWED_TAGS = frozenset(
    """a abbr b bdi bdo blockquote br caption cite code col colgroup dd del dfn div dl dt em
    figcaption figure h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre q rp rt ruby s samp
    section small span strong sub sup table tbody td tfoot th thead time tr u ul var""".split()
)  # bdi, bdo: mixed right-to-left text; ruby, rt, rp: pronunciation over CJK characters
ALLOWED_ATTRIBUTES = {
    "*": {"id", "lang", "title", "dir"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start", "reversed"},
    "time": {"datetime"},
    "col": {"span"},
    "colgroup": {"span"},
    "blockquote": {"cite"},
    "code": {"class"},  # language-xxx from Markdown fenced code
}
# Classes kept because the book's stylesheets style them (class is dropped everywhere else).
ALLOWED_CLASSES = {"p": {"embed"}}  # a video or social post that the book links to
# Tags whose content goes with them (nh3 would otherwise keep their text).
DROP_WITH_CONTENT = frozenset(
    "script style iframe object embed form noscript template svg math button select textarea "
    "audio video canvas".split()
)
URL_SCHEMES = frozenset({"http", "https", "mailto"})

# Characters XML 1.0 forbids (C0 controls other than tab, LF, CR; lone surrogates; U+FFFE/F).
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_HEADING = re.compile(r"^h([1-6])$")
# Text direction values HTML knows; any other would make the chapter invalid XHTML.
TEXT_DIRECTIONS = frozenset({"ltr", "rtl", "auto"})
# libxml2 refuses XML nested deeper than 256 elements; a chapter's page adds a few levels.
MAX_DEPTH = 100
# HTML, section 4.9.11: colspan is clamped to 1000, rowspan to 65534; 0 and junk mean 1.
SPAN_LIMITS = {"colspan": 1000, "rowspan": 65534, "span": 1000}


def xml_safe(text: str) -> str:
    return _XML_FORBIDDEN.sub("", text)


def clean_fragment(html: str, top_level: int = 2) -> str:
    """Sanitise an HTML fragment; return XHTML with headings re-levelled from `top_level`."""
    cleaned = nh3.clean(
        xml_safe(html),
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROP_WITH_CONTENT),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        allowed_classes={k: set(v) for k, v in ALLOWED_CLASSES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )
    if not cleaned.strip():
        return ""
    root = lxml.html.fragment_fromstring(cleaned, create_parent="div")
    _flatten_deep_nesting(root)
    _clamp_spans(root)
    relevel_headings(root, top_level)
    _drop_empty(root)
    _mend_definition_lists(root)
    _drop_empty_classes(root)
    _drop_unknown_directions(root)
    return _inner_xhtml(root)


def relevel_headings(root: lxml.html.HtmlElement, top_level: int = 2) -> None:
    """Shift headings so the highest one becomes h{top_level}, keeping their relative depth."""
    headings = [el for el in root.iter() if isinstance(el.tag, str) and _HEADING.match(el.tag)]
    if not headings:
        return
    shift = top_level - min(int(el.tag[1]) for el in headings)
    for el in headings:
        el.tag = f"h{min(6, int(el.tag[1]) + shift)}"


def _flatten_deep_nesting(root: lxml.html.HtmlElement) -> None:
    """Unwrap elements nested deeper than MAX_DEPTH, keeping their text (hostile or broken
    markup such as thousands of nested quotes would otherwise stop the book being written)."""
    depth, too_deep = 0, []
    for event, el in etree.iterwalk(root, events=("start", "end")):
        depth += 1 if event == "start" else -1
        if event == "start" and depth > MAX_DEPTH:
            too_deep.append(el)
    for el in reversed(too_deep):
        el.drop_tag()


def _clamp_spans(root: lxml.html.HtmlElement) -> None:
    for el in root.iter("td", "th", "col", "colgroup"):
        for name, limit in SPAN_LIMITS.items():
            if name in el.attrib:
                value = el.get(name, "").strip()
                digits = value.lstrip("0")[:9] or "0"  # long enough to exceed every limit
                span = int(digits) if value.isascii() and value.isdigit() else 1
                least = 0 if name == "rowspan" else 1  # rowspan="0" runs to the end of its group
                el.set(name, str(min(max(span, least), limit)))


def _drop_empty(root: lxml.html.HtmlElement) -> None:
    """Remove paragraphs and headings left empty by cleaning (they render as blank space)."""
    # Innermost first, so a wrapper whose only child was empty goes too.
    for el in reversed(list(root.iter("p", "h2", "h3", "h4", "h5", "h6", "span", "div"))):
        if el is root or len(el) or (el.text or "").strip():
            continue
        el.drop_tag()


def _mend_definition_lists(root: lxml.html.HtmlElement) -> None:
    """A <dl> needs terms and definitions (HTML, section 4.4.9); old WordPress captions write a
    <dl> of one <dt> holding the image and no <dd>. Such a list becomes plain blocks."""
    for dl in list(root.iter("dl")):
        kinds = {child.tag for child in dl if isinstance(child.tag, str)}
        if kinds and kinds <= {"dt", "dd", "div"} and {"dt", "dd"} <= kinds:
            continue
        dl.tag = "div"
        for child in dl:
            if child.tag in ("dt", "dd"):
                child.tag = "div"


def _drop_empty_classes(root: lxml.html.HtmlElement) -> None:
    """nh3 keeps `class=""` where it removed every class that is not allowed."""
    for el in root.iter():
        if isinstance(el.tag, str) and el.get("class", "x").strip() == "":
            del el.attrib["class"]


def _drop_unknown_directions(root: lxml.html.HtmlElement) -> None:
    for el in root.iter():
        if isinstance(el.tag, str) and "dir" in el.attrib:
            direction = el.get("dir", "").strip().lower()
            if direction in TEXT_DIRECTIONS:
                el.set("dir", direction)
            else:
                del el.attrib["dir"]
        if el.tag == "bdo" and "dir" not in el.attrib:
            el.tag = "span"  # <bdo> means nothing without a direction, and is invalid


def _inner_xhtml(root: lxml.html.HtmlElement) -> str:
    parts = []
    if root.text and root.text.strip():
        parts.append(f"<p>{escape(root.text.strip(), quote=False)}</p>")
    for child in root:
        parts.append(etree.tostring(child, method="xml", encoding="unicode", with_tail=False))
        if child.tail and child.tail.strip():
            parts.append(f"<p>{escape(child.tail.strip(), quote=False)}</p>")
        else:
            parts.append("\n")
    return "".join(parts).strip() + "\n"
