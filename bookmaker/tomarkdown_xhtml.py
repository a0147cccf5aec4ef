"""The XHTML side of `tomarkdown`: a body's blocks, its footnotes, and what counts as the same.

`canonical` is the comparison behind the round-trip check: a block is written as Markdown only if
the loader would give back XHTML with the same canonical form. Footnotes are found here and their
references replaced by NOTE marks, which the writer turns into `[^1]` and `canonical` into text.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from typing import NamedTuple

import lxml.html
from lxml.html import HtmlElement

NOTE = "bm-note"  # stands for a footnote reference while the body is converted
INLINE_TAGS = frozenset(
    f"a abbr b br cite code del dfn em i img ins kbd mark q s samp small span strong sub sup time "
    f"u var {NOTE}".split()
)
WHITE_SPACE = re.compile(r"[ \t\n\r\f]+")  # HTML's white space; a no-break space is text
NOTE_MARK = re.compile("\ue000(\\d+)\ue001")


def note_mark(el: HtmlElement) -> str:
    """The text that stands for a NOTE element: private-use characters round its label."""
    return f"\ue000{el.get('label')}\ue001"


def pre_text(el: HtmlElement) -> str:
    """The text of a <pre> as it shows, a <br> as a line break."""
    parts = [el.text or ""]
    for child in el:
        parts += ["\n" if child.tag == "br" else pre_text(child), child.tail or ""]
    return "".join(parts)


# --- Structure ----------------------------------------------------------------------------


def flow(container: HtmlElement, flatten: bool = True) -> Iterator[HtmlElement]:
    """The blocks of a container; loose inline content is gathered into paragraphs, and
    divisions without attributes (which only group blocks) are looked through."""
    run: HtmlElement | None = None

    def gather(node: HtmlElement | None, text: str | None) -> None:
        nonlocal run
        if run is None and node is None and not WHITE_SPACE.sub("", text or ""):
            return
        if run is None:
            run = lxml.html.Element("p")
        if node is not None:
            run.append(copy.deepcopy(node))
            run[-1].tail = text
        elif len(run):
            run[-1].tail = (run[-1].tail or "") + (text or "")
        else:
            run.text = (run.text or "") + (text or "")

    gather(None, container.text)
    for child in container:
        if not isinstance(child.tag, str):
            gather(None, child.tail)
            continue
        if child.tag in INLINE_TAGS:
            gather(child, child.tail)
            continue
        if run is not None:
            yield run
            run = None
        if flatten and child.tag in ("div", "section") and not child.attrib:
            yield from flow(child)
        else:
            yield child
        gather(None, child.tail)
    if run is not None:
        yield run


# --- Footnotes ----------------------------------------------------------------------------


class Footnotes(NamedTuple):
    """A post's notes list and its references as (reference id, note)."""

    notes_list: HtmlElement
    refs: list[tuple[str, HtmlElement]]

    def notes(self) -> Iterator[HtmlElement]:
        """A copy of each note in order, less its links back: Markdown adds its own."""
        for item in self.notes_list:
            note = copy.deepcopy(item)
            _drop_backlinks(note, {ref_id for ref_id, target in self.refs if target is item})
            yield note

    def replace_with_marks(self, root: HtmlElement) -> None:
        """Each reference becomes a NOTE mark labelled with its note's number; the list goes."""
        labels = {item: n for n, item in enumerate(self.notes_list, start=1)}
        for ref_id, target in self.refs:
            _mark_reference(root, ref_id, labels[target])
        _detach_notes(self.notes_list)


def find_footnotes(root: HtmlElement) -> Footnotes | None:
    """The post's footnotes, if it has any.

    A footnote is a list item that a link points at and that links back to that link: the shape
    Markdown, kramdown, Pandoc and WordPress all give footnotes.
    """
    ids = {el.get("id"): el for el in root.iter() if isinstance(el.tag, str) and el.get("id")}
    refs: list[tuple[str, HtmlElement]] = []
    for link in root.iter("a"):
        target = ids.get((link.get("href") or "").removeprefix("#"))
        if target is None or target.tag != "li" or target in link.iterancestors():
            continue
        ref_id = _reference(link).get("id") or link.get("id")
        if ref_id and f"#{ref_id}" in {back.get("href") for back in target.iter("a")}:
            refs.append((ref_id, target))
    lists = {target.getparent() for _, target in refs}
    if len(lists) != 1:
        return None
    (notes_list,) = lists
    noted = {target for _, target in refs}
    if notes_list.tag != "ol" or any(item not in noted for item in notes_list):
        return None
    return Footnotes(notes_list, refs)


def _reference(link: HtmlElement) -> HtmlElement:
    """The element that stands for a note reference: the link, or the <sup> wrapped round it."""
    parent = link.getparent()
    if parent is None or parent.tag != "sup" or len(parent) != 1:
        return link
    alone = not (parent.text or "").strip() and not (link.tail or "").strip()
    return parent if alone else link


def _drop_backlinks(note: HtmlElement, ref_ids: set[str]) -> None:
    """Markdown adds its own link back to the reference; the space before the old one goes too."""
    for link in list(note.iter("a")):
        if (link.get("href") or "").removeprefix("#") not in ref_ids:
            continue
        previous, parent = link.getprevious(), link.getparent()
        if previous is not None:
            previous.tail = (previous.tail or "").rstrip(" \u00a0")
        else:
            parent.text = (parent.text or "").rstrip(" \u00a0")
        link.drop_tree()


def _mark_reference(root: HtmlElement, ref_id: str, label: int) -> None:
    holder = next(el for el in root.iter() if isinstance(el.tag, str) and el.get("id") == ref_id)
    holder = _reference(holder) if holder.tag == "a" else holder
    mark = lxml.html.Element(NOTE, label=str(label))
    mark.tail = holder.tail
    holder.getparent().replace(holder, mark)


def _detach_notes(notes_list: HtmlElement) -> None:
    """Take the notes list out, and the division round it if that held only a rule and it."""
    parent = notes_list.getparent()
    parent.remove(notes_list)
    leftover = [c for c in parent if c.tag != "hr"] or (parent.text or "").strip()
    if parent.tag == "div" and not parent.attrib and not leftover:
        if parent.getparent() is not None:
            parent.getparent().remove(parent)


# --- What counts as the same --------------------------------------------------------------

_TRANSPARENT = ("div", "section", "span", "a", "thead", "tbody")  # when without attributes
_ALIASES = {"b": "strong", "i": "em"}
_INLINE = "|".join(sorted(INLINE_TAGS - {"br", "img", NOTE}))
_INLINE_START, _INLINE_END = (
    re.compile(f"(<(?:{_INLINE})\\b[^>]*>) "),
    re.compile(f"( )(</(?:{_INLINE})>)"),
)
_BLOCK_TAG = re.compile(
    r"\s*(</?(?:p|h[1-6]|ul|ol|li|dl|dt|dd|blockquote|pre|table|tr|td|th|figure|figcaption|hr|br)"
    r"\b[^>]*>)\s*"
)


def canonical(content: str | HtmlElement) -> str:
    """A fragment or block, less the differences that do not change the book.

    The same: white space between blocks, <b> and <strong>, wrappers without attributes, a lone
    paragraph in a list item, loose text in a quote and a paragraph, a footnote mark and its text.
    """
    if isinstance(content, str):
        root = lxml.html.fragment_fromstring(content or "<p></p>", create_parent="div")
    else:
        root = lxml.html.Element("div")
        root.append(copy.deepcopy(content))
        root[0].tail = None
    _normalise(root)
    inner = WHITE_SPACE.sub(" ", root.text or "") + "".join(_serialise(c) for c in root)
    while True:  # a space just inside <em> is the same as one just outside it
        moved = _INLINE_END.sub(r"\2 ", _INLINE_START.sub(r" \1", inner)).replace("  ", " ")
        if moved == inner:
            return _BLOCK_TAG.sub(r"\1", inner).strip()
        inner = moved


def _normalise(root: HtmlElement) -> None:
    for el in list(root.iter()):
        if el is root or not isinstance(el.tag, str):
            continue
        if el.tag == NOTE:
            el.text, el.tag = note_mark(el), "span"
            el.attrib.clear()
        if el.tag in _TRANSPARENT and not el.attrib:
            el.drop_tag()
        elif el.tag == "code" and el.getparent().tag != "pre":
            el.attrib.pop("class", None)
        elif el.tag == "img":
            el.set("alt", el.get("alt", ""))
        el.tag = _ALIASES.get(el.tag, el.tag)
    for container in [root, *root.iter("blockquote")]:
        blocks = list(flow(container, flatten=False))
        container.text = None
        for child in list(container):
            container.remove(child)
        for block in blocks:
            block.tail = None
            container.append(block)
    for item in root.iter("li", "dd"):
        paragraphs = [c for c in item if c.tag == "p"]
        if len(paragraphs) == 1 and item[0] is paragraphs[0] and not (item.text or "").strip():
            paragraphs[0].drop_tag()


def _serialise(el: HtmlElement) -> str:
    tail = WHITE_SPACE.sub(" ", el.tail or "")
    if not isinstance(el.tag, str):
        return tail
    attrs = "".join(f' {k}="{v}"' for k, v in sorted(el.attrib.items()))
    if el.tag == "pre":
        code = el.find("code")
        language = code.get("class", "") if code is not None else ""
        text = pre_text(el).strip("\n").expandtabs(4)
        return f"<pre{attrs} {language}>{text}</pre>{tail}"
    inner = WHITE_SPACE.sub(" ", el.text or "") + "".join(_serialise(c) for c in el)
    return f"<{el.tag}{attrs}>{inner}</{el.tag}>{tail}"
