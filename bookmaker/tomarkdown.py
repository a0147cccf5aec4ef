"""Post bodies (sanitised XHTML) as Markdown an author can edit and the Markdown loader reads back.

Markdown where it says the same thing; the block's own XHTML where it cannot (a table with merged
cells, a picture in a figure, code with a language inside a list). Which is which is not guessed:
each top-level block is converted, rendered back with the loader's own Markdown settings and
compared with the original (`canonical`), and a block that would come back different is written
as HTML, which Markdown passes through untouched. Footnotes become Markdown footnotes when every
note converts; Markdown then places them at the end. Reading the XHTML (its blocks and footnotes)
and the comparison live in `tomarkdown_xhtml`; this module writes the Markdown.
"""

from __future__ import annotations

import copy
import re

import lxml.etree as etree
import lxml.html
import markdown
from lxml.html import HtmlElement

from bookmaker.extract.sanitize import clean_fragment
from bookmaker.sources.markdown import EXTENSION_CONFIGS, EXTENSIONS
from bookmaker.tomarkdown_xhtml import (
    INLINE_TAGS,
    NOTE,
    NOTE_MARK,
    WHITE_SPACE,
    canonical,
    find_footnotes,
    flow,
    note_mark,
    pre_text,
)

__all__ = [
    "HEADINGS",
    "INLINE_TAGS",
    "NOTE",
    "SEPARATOR",
    "NotMarkdown",
    "canonical",
    "code_block",
    "pre_text",
    "raw_html",
    "to_markdown",
]

HEADINGS = {f"h{n}": n for n in range(1, 7)}
SEPARATOR = "<!-- -->"  # keeps two adjacent lists (or quotes) from merging into one
_SPECIAL = re.compile(r"([\\`*\[\]{}|'\"])")  # quotes too: smarty would curl them
_RUNS = re.compile(r"-{2,}|\.{3,}|>{2,}")  # smarty's dashes, ellipsis and guillemets
_LINE_START = re.compile(r"^(?:[#>]|[+-](?=\s|$)|\d+[.)](?=\s|$)|=+\s*$|:(?=\s)|~~~)", re.M)


class NotMarkdown(Exception):
    """This element has no faithful Markdown form; it is written as HTML."""


def to_markdown(body: str) -> str:
    """The Markdown text of a post body; `load_markdown` turns it back into the same XHTML."""
    root = lxml.html.fragment_fromstring(body, create_parent="div")
    writer = _Writer()
    notes = writer.footnotes(root)
    text = "\n\n".join([text for text, _ in writer.blocks(root, check=True)] + notes)
    return NOTE_MARK.sub(r"[^\1]", text).strip("\n") + "\n"


class _Writer:
    def __init__(self) -> None:
        self.renderer = markdown.Markdown(
            extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS, output_format="html"
        )

    def footnotes(self, root: HtmlElement) -> list[str]:
        """Definitions `[^1]: …` for the notes list, whose references become marks; [] if none."""
        found = find_footnotes(root)
        if found is None:
            return []
        definitions = []
        for label, note in enumerate(found.notes(), start=1):
            blocks = self.blocks(note, check=True)
            if not blocks or any(raw for _, raw in blocks):
                return []  # a note Markdown cannot hold: the notes stay ordinary content
            definitions.append(_hang(f"[^{label}]:", "\n\n".join(t for t, _ in blocks)))
        found.replace_with_marks(root)
        return definitions

    # --- Blocks ---------------------------------------------------------------------------

    def blocks(self, container: HtmlElement, check: bool = False) -> list[tuple[str, bool]]:
        """Each block as (text, written as HTML); checked ones fall back to HTML if unfaithful."""
        out: list[tuple[str, bool]] = []
        previous = ""
        for el in flow(container):
            lists = ("ul", "ol")
            if (previous in lists and el.tag in lists) or (
                previous == el.tag and el.tag in ("blockquote", "dl")
            ):
                if not check:
                    raise NotMarkdown("adjacent lists inside a block")
                out.append((SEPARATOR, True))  # HTML, and no place for it inside a note
            out.append(self.checked(el) if check else (self.block(el, nested=True), False))
            previous = el.tag
        return out

    def checked(self, el: HtmlElement) -> tuple[str, bool]:
        try:
            text = self.block(el, nested=False)
        except NotMarkdown:
            return raw_html(el), True
        self.renderer.reset()
        html = self.renderer.convert(text)
        back = clean_fragment(html, top_level=_top_heading(el)) if html.strip() else ""
        return (text, False) if canonical(back) == canonical(el) else (raw_html(el), True)

    def inner(self, el: HtmlElement, joint: str = "\n\n") -> str:
        text = joint.join(text for text, _ in self.blocks(el))
        if not text.strip():
            raise NotMarkdown(f"empty {el.tag}")
        return text

    def block(self, el: HtmlElement, nested: bool) -> str:
        tag = el.tag
        if tag == "p":
            return _line_starts(self.inline(el)) + _attr_list(el, block=True)
        if tag in HEADINGS:
            text = self.inline(el, one_line=True).strip(" ")
            attrs = _attr_list(el)
            return "#" * HEADINGS[tag] + f" {text}" + (f" {attrs}" if attrs else "")
        if tag in ("ul", "ol"):
            return self.listing(el)
        if tag == "blockquote" and not el.attrib:
            return "\n".join(f"> {line}".rstrip(" ") for line in self.inner(el).split("\n"))
        if tag == "pre":
            return code_block(el, nested)
        if tag == "table":
            return self.table(el)
        if tag == "dl":
            return self.definitions(el)
        if tag == "hr" and not el.attrib:
            return "* * *"
        if tag in ("figure", "blockquote", "div", "section"):
            return self.html_container(el)
        raise NotMarkdown(tag)

    def listing(self, el: HtmlElement) -> str:
        items, start = list(el), el.get("start", "1")
        if set(el.attrib) - {"start"} or not start.isdigit() or (el.text or "").strip():
            raise NotMarkdown("list attributes")
        if not items or any(li.tag != "li" or (li.tail or "").strip() for li in items):
            raise NotMarkdown("list content")
        joint = "\n\n" if any(_has_blocks(li) for li in items) else "\n"
        out = []
        for n, li in enumerate(items):
            marker = f"{int(start) + n}." if el.tag == "ol" else "-"
            out.append(_hang(marker, self.inner(li, joint) + _attr_list(li, block=True)))
        return joint.join(out)

    def html_container(self, el: HtmlElement) -> str:
        """A figure, or a quote or division with attributes: HTML around Markdown (md_in_html)."""
        parts = []
        for child in flow(el, flatten=False):
            if child.tag == "figcaption":
                inline = self.inline(child, one_line=True).strip(" ")
                attrs = _html_attrs(child)
                parts.append(f'<figcaption{attrs} markdown="span">{inline}</figcaption>')
            else:
                parts.append(self.block(child, nested=True))
        inner = "\n\n".join(parts)
        return f'<{el.tag}{_html_attrs(el)} markdown="1">\n\n{inner}\n\n</{el.tag}>'

    def table(self, el: HtmlElement) -> str:
        rows = []
        for part in el:
            if part.tag not in ("tr", "thead", "tbody") or part.attrib or el.attrib:
                raise NotMarkdown(f"table {part.tag}")
            rows += [part] if part.tag == "tr" else list(part)
        if len(rows) < 2 or any(row.tag != "tr" or row.attrib for row in rows):
            raise NotMarkdown("table rows")
        width = len(rows[0])
        lines = [self.table_row(rows[0], "th"), "| " + " | ".join(["---"] * width) + " |"]
        for row in rows[1:]:
            if len(row) != width:
                raise NotMarkdown("irregular table")
            lines.append(self.table_row(row, "td"))
        return "\n".join(lines)

    def table_row(self, row: HtmlElement, cell_tag: str) -> str:
        if any(cell.tag != cell_tag or cell.attrib or _has_blocks(cell) for cell in row):
            raise NotMarkdown("table cell")
        return "| " + " | ".join(self.inline(c, one_line=True).strip(" ") for c in row) + " |"

    def definitions(self, el: HtmlElement) -> str:
        if el.attrib or any(child.tag not in ("dt", "dd") or child.attrib for child in el):
            raise NotMarkdown("definition list")
        joint = "\n\n" if any(_has_blocks(dd) for dd in el if dd.tag == "dd") else "\n"
        groups: list[tuple[list[str], list[str]]] = []
        for child in el:
            if child.tag == "dt":
                if not groups or groups[-1][1]:
                    groups.append(([], []))
                groups[-1][0].append(_line_starts(self.inline(child, one_line=True)))
            elif not groups:
                raise NotMarkdown("definition without a term")
            else:
                groups[-1][1].append(_hang(":  ", self.inner(child, joint)))
        return "\n\n".join("\n".join(dts) + joint + joint.join(dds) for dts, dds in groups)

    # --- Inline ---------------------------------------------------------------------------

    def inline(self, el: HtmlElement, one_line: bool = False) -> str:
        heading = el.tag in HEADINGS
        parts = [_escape(el.text, heading)]
        for child in el:
            parts += [self.inline_element(child, one_line), _escape(child.tail, heading)]
        return "".join(parts)

    def inline_element(self, el: HtmlElement, one_line: bool) -> str:
        tag = el.tag
        if not isinstance(tag, str):
            return ""
        if tag == NOTE:
            return note_mark(el)
        if tag == "br":
            return "<br>" if one_line else "<br>\n"
        if tag in ("em", "i", "strong", "b") and not el.attrib:
            return _emphasis("*" if tag in ("em", "i") else "**", self.inline(el, one_line))
        if tag == "code" and not len(el) and set(el.attrib) <= {"class"}:
            return _code_span(el.text or "")
        if tag == "img":
            alt = _escape(el.get("alt") or "", heading=False)
            return f"![{alt}]({_target(el, 'src')}){_attr_list(el, skip=('src', 'alt', 'title'))}"
        if tag == "a" and el.get("href") is not None:
            text = self.inline(el, one_line)
            return f"[{text}]({_target(el, 'href')}){_attr_list(el, skip=('href', 'title'))}"
        if tag in ("span", "a") and not el.attrib:
            return self.inline(el, one_line)
        if tag in INLINE_TAGS:
            return f"<{tag}{_html_attrs(el)}>{self.inline(el, one_line)}</{tag}>"
        raise NotMarkdown(f"{tag} inside a paragraph")


# --- Elements as text ---------------------------------------------------------------------


def code_block(el: HtmlElement, nested: bool) -> str:
    """Fenced code with its language at the top level; indented code inside lists and quotes."""
    code = el[0] if len(el) == 1 and el[0].tag == "code" and not (el.text or "").strip() else None
    classes = (code.get("class") or "").split() if code is not None else []
    languages = [c.removeprefix("language-") for c in classes if c.startswith("language-")]
    if el.attrib or len(classes) > len(languages) or len(languages) > 1:
        raise NotMarkdown("code attributes")
    if any(e.tag not in ("code", "span", "br") for e in el.iterdescendants()):
        raise NotMarkdown("markup inside code")
    text = pre_text(el).strip("\n")
    if not text.strip() or (nested and languages):
        raise NotMarkdown("code Markdown cannot hold here")
    if nested:
        return "\n".join(f"    {line}" if line.strip() else "" for line in text.split("\n"))
    fence = "`" * max(3, _longest_run("`", text) + 1)
    return f"{fence}{languages[0] if languages else ''}\n{text}\n{fence}"


def raw_html(el: HtmlElement) -> str:
    """The block as XHTML; footnote marks become references in the footnotes' own form."""
    el = copy.deepcopy(el)
    for mark in list(el.iter(NOTE)):
        n = mark.get("label")
        sup = etree.fromstring(f'<sup id="fnref-{n}"><a href="#fn-{n}">{n}</a></sup>')
        sup.tail = mark.tail
        mark.getparent().replace(mark, sup)
    html = etree.tostring(el, method="xml", encoding="unicode", with_tail=False)
    return html.replace("\t", "&#9;")  # Markdown expands tabs, even in HTML blocks


def _emphasis(mark: str, inner: str) -> str:
    core = inner.strip(" \n")  # Markdown emphasis cannot start or end with a space
    if not core:
        return inner
    start = inner.index(core)
    return f"{inner[:start]}{mark}{core}{mark}{inner[start + len(core) :]}"


def _code_span(text: str) -> str:
    text = WHITE_SPACE.sub(" ", text)
    if not text.strip():
        raise NotMarkdown("blank code")
    ticks = "`" * (_longest_run("`", text) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def _longest_run(char: str, text: str) -> int:
    return max((len(run) for run in re.findall(f"{re.escape(char)}+", text)), default=0)


def _escape(text: str | None, heading: bool) -> str:
    """Text as Markdown that reads back as the same characters."""
    if not text:
        return ""
    text = _SPECIAL.sub(r"\\\1", WHITE_SPACE.sub(" ", text))
    text = re.sub(r"&(?=#?\w+;)", "&amp;", text)
    text = re.sub(r"<(?=[A-Za-z/!?<])|(?<=<)<", "&lt;", text)  # what could open a tag, or «
    text = re.sub(r"(?<!\w)_|_(?!\w)", r"\\_", text)
    text = _RUNS.sub(lambda m: "".join("\\" + c for c in m.group()), text)
    return text.replace("#", "\\#") if heading else text


def _line_starts(text: str) -> str:
    """Lines (after a line break) that would start a heading, quote or list if left as they are."""
    text = "\n".join(line.strip(" ") for line in text.strip(" \n").split("\n"))
    if not text:
        raise NotMarkdown("empty paragraph")

    def escaped(match: re.Match[str]) -> str:
        s = match.group()
        if s[0].isdigit():
            return s[:-1] + "\\" + s[-1]
        return f"&#{ord(s[0])};{s[1:]}" if s[0] in "=:~" else "\\" + s

    return _LINE_START.sub(escaped, text)


def _target(el: HtmlElement, name: str) -> str:
    """A link's or image's address and title: `url "title"`, or `<url with spaces>`."""
    url, title = el.get(name) or "", el.get("title")
    if not url or re.search(r"[<>\n]", url) or re.search(r"[\n\\]", title or ""):
        raise NotMarkdown("unusual address or title")
    if " " in url or url.count("(") != url.count(")"):
        url = f"<{url}>"
    return url + (' "{}"'.format(title.replace('"', '\\"')) if title else "")


def _attr_list(el: HtmlElement, skip: tuple[str, ...] = (), block: bool = False) -> str:
    """Attributes in attr_list syntax, `{: #id .class lang="de" }`; on its own line for a block."""
    pairs = []
    for name, value in el.attrib.items():
        if name in skip:
            continue
        if re.search(r'["{}\n]', value) or (name == "id" and not re.fullmatch(r"[\w:.-]+", value)):
            raise NotMarkdown("unusual attribute")
        if name == "class":
            pairs += [f".{c}" for c in value.split()]
        else:
            pairs.append(f"#{value}" if name == "id" else f'{name}="{value}"')
    text = "{: " + " ".join(pairs) + " }" if pairs else ""
    return f"\n{text}" if text and block else text


def _html_attrs(el: HtmlElement) -> str:
    def quoted(value: str) -> str:
        return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")

    return "".join(f' {k}="{quoted(v)}"' for k, v in el.attrib.items())


def _hang(marker: str, text: str) -> str:
    """`marker` before the first line, the others indented four spaces (list items, notes)."""
    first, *rest = text.split("\n")
    return "\n".join([f"{marker} {first}", *(f"    {x}" if x.strip() else "" for x in rest)])


def _has_blocks(el: HtmlElement) -> bool:
    return any(isinstance(c.tag, str) and c.tag not in INLINE_TAGS | {"ul", "ol"} for c in el)


def _top_heading(el: HtmlElement) -> int:
    return min((HEADINGS[e.tag] for e in el.iter() if e.tag in HEADINGS), default=2)
