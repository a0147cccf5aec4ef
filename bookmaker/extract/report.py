"""An extracted page as the author reads it: metadata header, article, and what was left out.

`bookmaker extract` prints this. Markdown output is a chapter file the Markdown loader reads back
(YAML front matter, then the body); HTML output keeps the header in a comment so the rest is a
fragment to save as it is; text output is for reading in a terminal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import lxml.html
import yaml

from bookmaker.extract.template import MIN_PAGES

if TYPE_CHECKING:
    from bookmaker.extract.article import Extracted
    from bookmaker.extract.trail import Removal

FORMATS = ("markdown", "html", "text")


@dataclass(frozen=True)
class Reading:
    """One page read for the author: the extraction, and what the template was learned from."""

    location: str  # the file or URL asked for
    extracted: Extracted
    template_pages: int = 0  # pages the template was learned from, this one included; 0: none
    siblings: tuple[str, ...] = ()  # the other pages it was learned from


def report(reading: Reading, fmt: str, explain: bool = False) -> str:
    """The whole output of `bookmaker extract` in format `fmt` (markdown, html or text)."""
    page = reading.extracted
    if fmt == "markdown":
        out = f"---\n{_yaml(front_matter(page))}---\n\n{_markdown(page.body_html)}"
    elif fmt == "html":
        header = "\n".join(f"{key}: {value}" for key, value in header_lines(page))
        out = f"<!--\n{header.replace('--', '- -')}\n-->\n{page.body_html}"
    else:
        header = "\n".join(f"{key + ':':<12}{value}" for key, value in header_lines(page))
        out = f"{header}\n\n{plain_text(page.body_html)}"
    if explain:
        out = out.rstrip("\n") + "\n\n" + explanation(reading)
    return out.rstrip("\n") + "\n"


# --- the header --------------------------------------------------------------------------


def header_lines(page: Extracted) -> list[tuple[str, str]]:
    lines = [("Title", page.title)]
    if page.authors:
        lines.append(("Authors" if len(page.authors) > 1 else "Author", ", ".join(page.authors)))
    for key, when in (("Published", page.date), ("Updated", page.updated)):
        if when:
            lines.append((key, _when(when)))
    for key, values in (("Categories", page.categories), ("Tags", page.tags)):
        if values:
            lines.append((key, ", ".join(values)))
    for key, value in (("Language", page.language), ("URL", page.url), ("Image", page.image)):
        if value:
            lines.append((key, value))
    return lines


def front_matter(page: Extracted) -> dict[str, Any]:
    """The keys the Markdown loader reads (title, date, author(s), terms, url, lang), and more."""
    meta: dict[str, Any] = {"title": page.title}
    if page.date:
        meta["date"] = page.date
    if page.updated:
        meta["updated"] = page.updated
    if len(page.authors) == 1:
        meta["author"] = page.authors[0]
    elif page.authors:
        meta["authors"] = list(page.authors)
    for key, values in (("categories", page.categories), ("tags", page.tags)):
        if values:
            meta[key] = list(values)
    for key, value in (("url", page.url), ("lang", page.language), ("image", page.image)):
        if value:
            meta[key] = value
    return meta


def _when(when: dt.datetime) -> str:
    return when.isoformat(sep=" ", timespec="minutes") if when.time() else when.date().isoformat()


class _Dumper(yaml.SafeDumper):
    """Safe YAML with times in ISO 8601, as the Markdown loader and Jekyll read them."""


_Dumper.add_representer(
    dt.datetime, lambda d, v: d.represent_scalar("tag:yaml.org,2002:timestamp", v.isoformat())
)


def _yaml(meta: dict[str, Any]) -> str:
    return yaml.dump(
        meta, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000
    )  # a long title stays on one line


def _markdown(body: str) -> str:
    from bookmaker.tomarkdown import to_markdown

    return to_markdown(body)


# --- the explanation ---------------------------------------------------------------------


def explanation(reading: Reading) -> str:
    """How the page was read and what was left out of the article, with selectors to copy."""
    page = reading.extracted
    lines = ["=== How bookmaker read this page ===", ""]
    lines.append(f"Blog engine: {page.platform or 'not recognised'}")
    lines.append(f"Article: found by {page.found_by}")
    lines.append(_template_line(reading))
    lines += ["", f"Left out of the article ({len(page.removed)}):"]
    for removal in page.removed:
        lines += _removal_lines(removal)
    if not page.removed:
        lines.append("  nothing")
    copyable = _copyable(page.removed)
    if copyable:
        lines += [
            "",
            "To remove the repeated blocks on every page even without the blog's other pages,",
            "add this to the source in book.toml:",
            "  remove = [" + ", ".join(_toml_string(css) for css in copyable) + "]",
        ]
    return "\n".join(lines) + "\n"


def _template_line(reading: Reading) -> str:
    if reading.template_pages >= MIN_PAGES:
        others = len(reading.siblings)
        return (
            f"Template: learned from {reading.template_pages} pages of this site "
            f"(this one and {others} other{'s' if others != 1 else ''})"
        )
    found = len(reading.siblings)
    return (
        f"Template: not learned ({found} other page{'s' if found != 1 else ''} of this site "
        f"could be read; {MIN_PAGES - 1} are needed)"
    )


def _removal_lines(removal: Removal) -> list[str]:
    lines = [f"  {removal.selector or '(no selector)'}"]
    lines.append(f"      why:  {_source_label(removal)}")
    lines.append(f"      text: {removal.text}")
    return lines


def _source_label(removal: Removal) -> str:
    if removal.source == "template":
        return f"{removal.reason} (the blog's template)"
    if removal.source == "override":
        return removal.reason
    return f"rule: {removal.reason}"


def _copyable(removals: tuple[Removal, ...]) -> list[str]:
    chosen = [r.selector for r in removals if r.source == "template" and r.selector]
    return list(dict.fromkeys(chosen))


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# --- plain text --------------------------------------------------------------------------


def plain_text(body: str) -> str:
    """A sanitised XHTML body as text to read: blank lines between blocks, lists marked."""
    if not body.strip():
        return ""
    root = lxml.html.fragment_fromstring(body, create_parent="div")
    return "\n\n".join(b for b in _blocks(root) if b.strip()) + "\n"


def _blocks(el: lxml.html.HtmlElement) -> list[str]:
    """The text of each block under `el`; inline runs between blocks become blocks too."""
    blocks: list[str] = []
    inline = [el.text or ""]
    for child in el:
        if child.tag in _BLOCK_TAGS:
            blocks.append(_inline_text(inline))
            blocks += _block(child)
            inline = [child.tail or ""]
        else:
            inline += [_inline(child), child.tail or ""]
    blocks.append(_inline_text(inline))
    return [b for b in blocks if b.strip()]


def _block(el: lxml.html.HtmlElement) -> list[str]:
    tag = el.tag
    if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        text = _inline_text([_inline(el)])
        return [f"{text}\n{('=' if tag in ('h1', 'h2') else '-') * len(text)}"]
    if tag == "pre":
        return [el.text_content().rstrip("\n")]
    if tag in ("ul", "ol"):
        items = [" ".join(_blocks(li)) for li in el if li.tag == "li"]
        start = int(el.get("start", "1")) if el.get("start", "1").isdigit() else 1
        markers = [f"{start + i}." if tag == "ol" else "-" for i in range(len(items))]
        return ["\n".join(f"{m} {item}" for m, item in zip(markers, items, strict=True))]
    if tag == "blockquote":
        return ["\n".join(f"> {line}" for line in "\n\n".join(_blocks(el)).splitlines())]
    if tag == "table":
        rows = [[_inline_text([_inline(cell)]) for cell in row] for row in el.iter("tr")]
        return ["\n".join(" | ".join(row) for row in rows)]
    if tag == "hr":
        return ["* * *"]
    if tag in ("p", "figcaption", "dt", "dd", "caption"):
        return [_inline_text([_inline(el)])]
    return _blocks(el)


def _inline(el: lxml.html.HtmlElement) -> str:
    if el.tag == "br":
        return "\n"
    if el.tag == "img":
        alt = (el.get("alt") or "").strip()
        return f"[Image: {alt}]" if alt else "[Image]"
    parts = [el.text or ""]
    for child in el:
        parts += [_inline(child), child.tail or ""]
    return "".join(parts)


def _inline_text(parts: list[str]) -> str:
    lines = "".join(parts).split("\n")
    return "\n".join(" ".join(line.split()) for line in lines).strip()


_BLOCK_TAGS = frozenset(
    "address article aside blockquote div dl dd dt figure figcaption footer h1 h2 h3 h4 h5 h6 "
    "header hr li ol p pre section table ul caption".split()
)
