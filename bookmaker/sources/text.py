"""Plain-text posts: what select-all and copy gives for a blog post page in a browser.

The copy holds the article between pieces of site furniture: a header and menu before the title,
share buttons, sign-up boxes, comments and footers after the article. Reading takes four steps:
strip the navigation, read the head (title, byline, image line, categories), find where the
article ends (the first line that starts a furniture block), and turn the article's blocks of
lines into HTML.

The patterns for furniture and navigation are data in `text_rules`; the head is read by `byline`.
The names callers use from both are re-exported here, so the loader has one import path.
"""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from bookmaker.errors import SourceError
from bookmaker.extract.sanitize import clean_fragment, xml_safe
from bookmaker.model import Post
from bookmaker.slug import slugify
from bookmaker.sources.byline import (
    Byline,
    footer_signature,
    merge_bylines,
    parse_byline,
    parse_meta_line,
    read_head,
)
from bookmaker.sources.text_rules import (
    COMMENT_MARKER,
    FURNITURE,
    HEAD_NOISE,
    IMAGE_LINE,
    MENU_WORDS,
    META_LABELS,
    NAVIGATION,
    Furniture,
    author_rules,
    is_furniture,
    is_navigation,
)

__all__ = [
    "FURNITURE",
    "HEAD_NOISE",
    "IMAGE_LINE",
    "MENU_WORDS",
    "META_LABELS",
    "NAVIGATION",
    "Byline",
    "Furniture",
    "find_article_end",
    "load_text",
    "parse_byline",
    "parse_meta_line",
    "parse_text",
]

log = logging.getLogger(__name__)

_LIST_ITEM = re.compile(r"^\s*(?:(?P<bullet>[-*•])|(?P<number>\d{1,3})[.)])\s+(?P<text>\S.*)$")
_URL = re.compile(r"https?://[^\s<>\"]*[^\s<>\".,;:!?)\]'’”]")
# Short words title case leaves in lower case.
_SMALL_WORDS = frozenset("a an and as at but by for from in into of on or the to vs with".split())


def load_text(path: Path) -> Post:
    """Read a plain-text copy of a blog post page; see `parse_text`."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{path}: cannot read file: {exc.strerror or exc}") from exc
    if b"\0" in data:  # text never holds NUL; an image or archive renamed to .txt does
        raise SourceError(f"{path}: a binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    return parse_text(text, str(path))


def parse_text(text: str, source: str) -> Post:
    """Turn the text of a copied blog post page into a post, without the site furniture."""
    lines = _strip_navigation(_normalise(text).split("\n"))
    title, byline, meta, body = read_head(lines, source)
    end, rule = find_article_end(body, byline.authors)
    if rule:
        log.debug("%s: article ends at line %d of its body (%s)", source, end + 1, rule)
    tail_meta, signature = _tail_details(body[end:])
    for kind, items in tail_meta.items():
        meta[kind] += [item for item in items if item not in meta[kind]]
    if not byline.authors:
        byline = Byline(signature.authors, byline.date or signature.date)
    html_body = "".join(_element_html(el) for el in _article_elements(body[:end]))
    body_xhtml = clean_fragment(html_body) if html_body else ""
    if not body_xhtml.strip():
        raise SourceError(f"{source}: no article text found")
    return Post(
        slug=slugify(title) or slugify(Path(source).stem) or "post",
        title=title,
        body=body_xhtml,
        source=source,
        authors=byline.authors,
        date=byline.date,
        categories=tuple(meta["categories"]),
        tags=tuple(meta["tags"]),
    )


def _normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")
    return xml_safe(text)  # a stray control character in the title would make invalid XHTML


# --- before the title: site header and navigation ---------------------------------------------


def _strip_navigation(lines: list[str]) -> list[str]:
    """Drop a site header and menu the copy starts with; keep every line if no menu is found."""
    window: list[int] = []
    for i, line in enumerate(lines):
        if len(line.strip()) > 100 or len(window) == 15:  # a paragraph: the article has begun
            break
        window += [i] if line.strip() else []
    menu = [i for i in window[:-1] if is_navigation(lines[i].strip())]
    menu += [i for run in _menu_runs(lines, window[:-1]) for i in run]
    return lines[max(menu) + 1 :] if menu else lines


def _menu_runs(lines: list[str], window: list[int]) -> list[list[int]]:
    """Menus copied item by item: adjacent short lines, mostly menu words ("Home", "About")."""
    runs: list[list[int]] = []
    for i in window:
        text = lines[i].strip()
        if len(text) > 25 or len(text.split()) > 3 or text[-1] in ".?!:,":
            continue
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    # One menu word alone could be a title; two or more, making up half the run, are a menu.
    return [
        run
        for run in runs
        if 2 <= (words := sum(lines[i].strip().lower() in MENU_WORDS for i in run))
        and 2 * words >= len(run)
    ]


# --- the end of the article -------------------------------------------------------------------


def find_article_end(lines: list[str], authors: tuple[str, ...] = ()) -> tuple[int, str | None]:
    """Index of the first line that starts site furniture (or len(lines)), and its rule name."""
    rules = FURNITURE + author_rules(authors)
    for i, line in enumerate(lines):
        text = line.strip()
        if not text:
            continue
        if parse_meta_line(text):
            return i, "meta.categories"
        if footer_signature(text):
            return i, "meta.byline"
        unbulleted = COMMENT_MARKER.sub("", text)
        for rule in rules:
            # Reader comments are often bulleted; article lists must not be read as share rows.
            candidate = unbulleted if rule.name.startswith("comments.") else text
            if rule.pattern.fullmatch(candidate) and _confirmed(rule, lines, i):
                return i, rule.name
    return len(lines), None


def _confirmed(rule: Furniture, lines: list[str], index: int) -> bool:
    if rule.confirm is None:
        return True
    following = [line.strip() for line in lines[index + 1 :] if line.strip()][:3]
    unbulleted = [COMMENT_MARKER.sub("", line) for line in following]
    return any(rule.confirm.fullmatch(line) for line in unbulleted)


def _tail_details(tail: list[str]) -> tuple[dict[str, list[str]], Byline]:
    """Categories, tags and a signature listed after the article, before the comments begin."""
    found: dict[str, list[str]] = {"categories": [], "tags": []}
    signatures = []
    for line in tail:
        text = line.strip()
        if meta := parse_meta_line(text):
            for kind, items in meta.items():
                found[kind] += items
        elif signed := footer_signature(text):
            signatures.append(signed)
        elif is_furniture(text, "comments."):
            break
    return found, merge_bylines(signatures)


# --- the article: blocks of lines to HTML -----------------------------------------------------


@dataclass
class _Element:
    kind: str  # "p", "h2", "ul", "ol" or "blockquote"
    parts: list[str]  # the text of the paragraph, the list items or the quoted paragraphs
    start: int = 1


def _article_elements(lines: list[str]) -> list[_Element]:
    blocks = _blocks([line for line in lines if not IMAGE_LINE.fullmatch(line.strip())])
    elements: list[_Element] = []
    for n, block in enumerate(blocks):
        following = blocks[n + 1] if n + 1 < len(blocks) else None
        if len(block) == 1 and following and _leads_content(following) and _is_heading(block[0]):
            elements.append(_Element("h2", [block[0].strip()]))
            continue
        for element in _block_elements(block):
            if not _continues(elements[-1:], element):
                elements.append(element)
                continue
            # A list or quote with blank lines between its items is still one list or quote.
            separator = [""] if element.kind == "blockquote" else []
            elements[-1].parts += separator + element.parts
    return elements


def _blocks(lines: list[str]) -> list[list[str]]:
    """Runs of lines between blank lines."""
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            blocks[-1].append(line.rstrip())
        elif blocks[-1]:
            blocks.append([])
    unwrapped: list[list[str]] = []
    for block in blocks:
        # Nobody wraps by hand past 90 characters: longer lines are paragraphs copied with single
        # line breaks between them.
        if any(len(line) > 90 for line in block[:-1]):
            unwrapped += [[line] for line in block]
        elif block:
            unwrapped.append(block)
    return unwrapped


def _continues(previous: list[_Element], element: _Element) -> bool:
    if not previous or previous[0].kind != element.kind or element.kind in ("p", "h2"):
        return False
    last = previous[0]
    return element.kind != "ol" or element.start == last.start + len(last.parts)


def _block_elements(block: list[str]) -> list[_Element]:
    """Paragraphs, lists and quotes in one block; hard-wrapped lines are joined."""
    elements: list[_Element] = []
    for line in block:
        text = line.strip()
        item = _LIST_ITEM.match(line)
        last = elements[-1] if elements else None
        if item:
            kind = "ol" if item["number"] else "ul"
            if last and last.kind == kind:
                last.parts.append(item["text"].strip())
            else:
                elements.append(_Element(kind, [item["text"].strip()], int(item["number"] or 1)))
        elif text.startswith(">"):
            quoted = text[1:].strip()
            if last and last.kind == "blockquote" and quoted:
                last.parts[-1] = _join(last.parts[-1], quoted)
            elif last and last.kind == "blockquote":
                last.parts.append("")  # a bare ">" separates quoted paragraphs
            else:
                elements.append(_Element("blockquote", [quoted]))
        elif last and (last.kind == "p" or (last.kind in ("ul", "ol") and line[0].isspace())):
            last.parts[-1] = _join(last.parts[-1], text)
        else:
            elements.append(_Element("p", [text]))
    return elements


def _join(before: str, after: str) -> str:
    if not before:
        return after
    if re.search(r"[a-z]-$", before) and after[:1].islower():
        return before + after  # "well-" + "known"
    return f"{before} {after}"


def _leads_content(block: list[str]) -> bool:
    """Whether a block is content a heading could stand over (not a sign-off like "Dana")."""
    first = block[0].strip()
    return len(block) > 1 or len(first) >= 60 or bool(_LIST_ITEM.match(first)) or first[0] == ">"


def _is_heading(line: str) -> bool:
    """A short stand-alone line without a final period that reads like a title."""
    text = line.strip()
    core = text.rstrip("\"'”’)]»")  # `She said “no.”` ends with a period
    if not 2 <= len(text) <= 80 or not core or core[-1] in ".,;:!…" or text[0] in ">-*•":
        return False
    if _LIST_ITEM.match(text) or _URL.search(text) or "@" in text:
        return False
    if not (text[0].isupper() or text[0].isdigit()):
        return False
    words = text.split()
    significant = [w for w in words if w.lower().strip("?") not in _SMALL_WORDS] or words
    capitalised = sum(w[0].isupper() or w[0].isdigit() for w in significant)
    title_case = len(words) <= 12 and capitalised / len(significant) >= 0.6
    if text.endswith("?"):
        return title_case
    # Sentence-case headings are short and impersonal; "I think so" is a one-line paragraph.
    personal = re.search(r"\b(?:I|me|my)\b", text) or "'" in text or "’" in text
    return title_case or (len(words) <= 7 and not personal)


def _element_html(element: _Element) -> str:
    if element.kind in ("p", "h2"):
        return f"<{element.kind}>{_inline(element.parts[0])}</{element.kind}>\n"
    if element.kind == "blockquote":
        paragraphs = "".join(f"<p>{_inline(p)}</p>" for p in element.parts if p)
        return f"<blockquote>{paragraphs}</blockquote>\n"
    start = f' start="{element.start}"' if element.kind == "ol" and element.start != 1 else ""
    items = "".join(f"<li>{_inline(item)}</li>" for item in element.parts)
    return f"<{element.kind}{start}>{items}</{element.kind}>\n"


def _inline(text: str) -> str:
    """Escape text and turn bare web addresses into links."""
    out, pos = [], 0
    for match in _URL.finditer(text):
        out.append(html.escape(text[pos : match.start()], quote=False))
        url = html.escape(match.group(), quote=True)
        out.append(f'<a href="{url}">{url}</a>')
        pos = match.end()
    out.append(html.escape(text[pos:], quote=False))
    return "".join(out)
