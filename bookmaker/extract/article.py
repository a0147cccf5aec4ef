"""Find the article in a blog page and return it clean, with its metadata.

The story: parse the page, find the element that holds the post (known engines' selectors first,
then a score of text against links), read the metadata, copy the post out, take the furniture off
(share bars, author boxes, ads…), make lazy images and embeds readable, and sanitise.
"""

from __future__ import annotations

import codecs
import copy
import datetime as dt
import logging
import re
from dataclasses import dataclass

import lxml.etree as etree
import lxml.html

from bookmaker.extract import rules
from bookmaker.extract.metadata import read_metadata
from bookmaker.extract.sanitize import clean_fragment
from bookmaker.extract.tidy import BLOCK_TAGS, is_furniture, take_title, text_of, tidy_article

log = logging.getLogger(__name__)

_SELECTOR_XPATHS = tuple((s, rules.css_to_xpath(s.css)) for s in rules.CONTENT_SELECTORS)
_POST_SCOPE_XPATH = (
    "ancestor-or-self::*[self::article or contains(concat(' ', normalize-space(@class), ' '),"
    " ' hentry ') or contains(concat(' ', normalize-space(@class), ' '), ' h-entry ')"
    " or contains(@itemtype, 'Posting') or contains(@itemtype, 'Article')][1]"
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# Void elements newer than libxml2's HTML parser: it would nest everything after them inside them
# (an <embed> would swallow the rest of the article). An explicit end tag keeps them empty.
_NEWER_VOID_TAG = re.compile(r"<(embed|source|track|wbr|keygen)\b[^>]*>", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))  # fmt: skip


class ExtractionError(ValueError):
    """The page holds no article that could be found."""


@dataclass(frozen=True)
class Extracted:
    title: str
    body_html: str  # a sanitised XHTML fragment whose top heading is <h2>
    authors: tuple[str, ...] = ()
    date: dt.datetime | None = None
    updated: dt.datetime | None = None
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    language: str | None = None
    url: str | None = None
    image: str | None = None


def extract(html: str | bytes, url: str | None = None, encoding: str | None = None) -> Extracted:
    """Extract the post from a page.

    `url` is where the page was fetched from, if anywhere; `encoding` the charset the server
    declared for the bytes, if any.
    """
    doc = parse_page(html, encoding)
    found = find_article(doc)
    if found is None:
        raise ExtractionError("no article found in this page")
    scope = found.xpath(_POST_SCOPE_XPATH) or found.xpath("ancestor-or-self::main[1]")
    meta = read_metadata(doc, url, scope=scope[0] if scope else None)
    article = copy.deepcopy(found)
    title = take_title(article, meta.title)
    tidy_article(article, page_url=url, link_base=meta.url or url)
    body_html = clean_fragment(_inner_html(article))
    if not _has_content(body_html):
        raise ExtractionError("no article found in this page")
    return Extracted(
        title=title,
        body_html=body_html,
        authors=meta.authors,
        date=meta.date,
        updated=meta.updated,
        categories=meta.categories,
        tags=meta.tags,
        language=meta.language,
        url=meta.url,
        image=meta.image,
    )


# --- reading the page -----------------------------------------------------------------------


def parse_page(html: str | bytes, encoding: str | None = None) -> lxml.html.HtmlElement:
    text = decode_page(html, encoding) if isinstance(html, bytes) else html
    text = _XML_DECLARATION.sub("", text, count=1)
    text = _NEWER_VOID_TAG.sub(r"\g<0></\1>", text)
    if not text.strip():
        raise ExtractionError("the page is empty")
    try:
        return lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise ExtractionError(f"the page cannot be parsed ({exc})") from None


def decode_page(data: bytes, encoding: str | None = None) -> str:
    """Decode page bytes as browsers do (HTML spec, "determining the character encoding").

    A byte-order mark wins, then the charset the server declared (`encoding`), then <meta
    charset>; without any, UTF-8 if the bytes are valid UTF-8, else windows-1252.
    """
    for bom, bom_encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(bom_encoding, errors="replace")
    declared = _known_encoding(encoding, meta=False) if encoding else _declared_encoding(data)
    if declared:
        return data.decode(declared, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Pages that declare nothing and are not UTF-8 are, in practice, Windows Western.
        return data.decode("cp1252", errors="replace")


def _declared_encoding(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    return _known_encoding(match.group(1).decode("ascii", errors="ignore")) if match else None


def _known_encoding(label: str, meta: bool = True) -> str | None:
    try:
        name = codecs.lookup(label.strip()).name
    except LookupError:
        return None
    if name.startswith("utf-16") and meta:
        return "utf-8"  # ASCII bytes saying "UTF-16" cannot be UTF-16 (HTML spec)
    return "cp1252" if name in ("latin-1", "iso8859-1", "ascii") else name


# --- finding the article --------------------------------------------------------------------


def find_article(doc: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The element holding the post: the first known selector that fits, else the best score."""
    for selector, xpath in _SELECTOR_XPATHS:
        found = [el for el in doc.xpath(xpath) if not in_region(el)]
        if not found:
            continue
        element = _common_ancestor(found) if selector.pieces else max(found, key=_text_length)
        length = _text_length(element)
        if length > selector.min_text or element.find(".//img") is not None:
            log.debug("article found by %s selector %r", selector.engine, selector.css)
            return element
    return best_scored_block(doc)


def in_region(el: lxml.html.HtmlElement) -> bool:
    """Whether an element sits in furniture: comments, a sidebar, related posts, a footer…"""
    for parent in el.iterancestors():
        if parent.tag in ("body", "html"):
            break
        if parent.tag in ("aside", "nav", "footer", "header"):
            return True
        if parent.get("role") in rules.BOILERPLATE_ROLES:
            return True
        for token in rules.class_tokens(parent.get("class"), parent.get("id")):
            words = rules.token_words(token)
            # "content-sidebar-wrap" describes a layout holding the article, not a sidebar.
            if words & rules.REGION_WORDS and not words & {"content", "main"}:
                return True
    return False


def _common_ancestor(elements: list[lxml.html.HtmlElement]) -> lxml.html.HtmlElement:
    common = elements[0]
    for el in elements[1:]:
        ancestors = {id(a) for a in el.iterancestors()} | {id(el)}
        while id(common) not in ancestors:
            common = common.getparent()
    return common


def best_scored_block(doc: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """Score blocks by the paragraphs under them, less their links (the readability idea)."""
    scores: dict[lxml.html.HtmlElement, float] = {}
    text_under: dict[lxml.html.HtmlElement, int] = {}
    for el in doc.iter(*rules.SCORED_TAGS):
        if el.tag not in ("p", "pre") and _has_block_child(el):
            continue
        text = text_of(el)
        if len(text) < rules.MIN_PARAGRAPH_TEXT or in_region(el) or is_furniture(el):
            continue
        if _link_density(el) > rules.MAX_PARAGRAPH_LINK_DENSITY:
            continue
        points = 1 + text.count(",") + min(len(text) / 100, 3)
        for depth, ancestor in enumerate(el.iterancestors()):
            text_under[ancestor] = text_under.get(ancestor, 0) + len(text)
            if depth < 2:
                scores[ancestor] = scores.get(ancestor, 0) + points / (depth + 1)
    if not scores:
        return None
    best = max(scores, key=lambda el: (scores[el] + _class_weight(el)) * (1 - _link_density(el)))
    parent = best.getparent()
    while parent is not None and parent.tag not in ("body", "html"):
        if text_under.get(parent, 0) < rules.PARENT_TEXT_RATIO * text_under.get(best, 0):
            break
        best, parent = parent, parent.getparent()
    log.debug("article found by scoring: <%s class=%r>", best.tag, best.get("class"))
    return best


def _class_weight(el: lxml.html.HtmlElement) -> float:
    tokens = rules.class_tokens(el.get("class"), el.get("id"))
    weight = 0.0
    if any(rules.token_words(t) & rules.POSITIVE_WORDS for t in tokens):
        weight += rules.CLASS_WEIGHT
    if any(rules.is_boilerplate_token(t) for t in tokens):
        weight -= rules.CLASS_WEIGHT
    return weight


# --- small measures -------------------------------------------------------------------------


def _text_length(el: lxml.html.HtmlElement) -> int:
    return len(text_of(el))


def _link_density(el: lxml.html.HtmlElement) -> float:
    total = _text_length(el)
    if not total:
        return 0.0
    linked = sum(_text_length(a) for a in el.iter("a"))
    return min(1.0, linked / total)


def _has_block_child(el: lxml.html.HtmlElement) -> bool:
    return any(child.tag in BLOCK_TAGS for child in el)


def _inner_html(el: lxml.html.HtmlElement) -> str:
    inner = [el.text or ""]
    inner += [lxml.html.tostring(child, encoding="unicode") for child in el]
    return "".join(inner)


def _has_content(fragment: str) -> bool:
    if "<img" in fragment:
        return True
    return bool(re.sub(r"<[^>]+>", "", fragment).strip())
