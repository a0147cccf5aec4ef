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
from urllib.parse import urljoin, urlparse

import lxml.etree as etree
import lxml.html

from bookmaker.extract import media, rules
from bookmaker.extract.metadata import read_metadata
from bookmaker.extract.sanitize import clean_fragment

log = logging.getLogger(__name__)

_SELECTOR_XPATHS = tuple((s, rules.css_to_xpath(s.css)) for s in rules.CONTENT_SELECTORS)
_POST_SCOPE_XPATH = (
    "ancestor-or-self::*[self::article or contains(concat(' ', normalize-space(@class), ' '),"
    " ' hentry ') or contains(concat(' ', normalize-space(@class), ' '), ' h-entry ')"
    " or contains(@itemtype, 'Posting') or contains(@itemtype, 'Article')][1]"
)
_BLOCK_TAGS = frozenset(
    "address article aside blockquote details div dl fieldset figure footer form h1 h2 h3 h4 h5 "
    "h6 header hr li main nav ol p pre section table ul".split()
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
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


def extract(html: str | bytes, url: str | None = None) -> Extracted:
    """Extract the post from a page; `url` is where the page was fetched from, if anywhere."""
    doc = parse_page(html)
    found = find_article(doc)
    if found is None:
        raise ExtractionError("no article found in this page")
    scope = found.xpath(_POST_SCOPE_XPATH) or found.xpath("ancestor-or-self::main[1]")
    meta = read_metadata(doc, url, scope=scope[0] if scope else None)
    article = copy.deepcopy(found)
    title = _take_title(article, meta.title)
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


def parse_page(html: str | bytes) -> lxml.html.HtmlElement:
    text = decode_page(html) if isinstance(html, bytes) else html
    text = _XML_DECLARATION.sub("", text, count=1)
    if not text.strip():
        raise ExtractionError("the page is empty")
    try:
        return lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise ExtractionError(f"the page cannot be parsed ({exc})") from None


def decode_page(data: bytes) -> str:
    """Decode page bytes: a byte-order mark first, then <meta charset>, then UTF-8, then cp1252."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    declared = _declared_encoding(data[:4096])
    if declared:
        return data.decode(declared, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Pages that declare nothing and are not UTF-8 are, in practice, Windows Western.
        return data.decode("cp1252", errors="replace")


def _declared_encoding(head: bytes) -> str | None:
    match = _META_CHARSET.search(head)
    if not match:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None
    if name.startswith("utf-16"):
        return "utf-8"  # a page cannot truly declare UTF-16 in ASCII bytes (HTML spec)
    return "cp1252" if name in ("latin-1", "iso8859-1", "ascii") else name


# --- finding the article --------------------------------------------------------------------


def find_article(doc: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The element holding the post: the first known selector that fits, else the best score."""
    for selector, xpath in _SELECTOR_XPATHS:
        found = [el for el in doc.xpath(xpath) if not in_region(el)]
        if not found:
            continue
        element = _common_ancestor(found) if selector.pieces else max(found, key=_text_length)
        if _text_length(element) >= rules.MIN_SELECTED_TEXT or element.find(".//img") is not None:
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
        if el.tag in ("div", "section", "li") and _has_block_child(el):
            continue
        text = _text(el)
        if len(text) < rules.MIN_PARAGRAPH_TEXT or in_region(el) or _is_furniture(el):
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


# --- tidying the article --------------------------------------------------------------------


def tidy_article(
    article: lxml.html.HtmlElement, page_url: str | None = None, link_base: str | None = None
) -> None:
    """Take the furniture off a copied article and make its media readable, in place."""
    media.resolve_lazy_images(article)
    media.replace_embeds(article)
    remove_boilerplate(article)
    _absolutise(article, "a", "href", link_base)
    _absolutise(article, "img", "src", page_url)


def remove_boilerplate(article: lxml.html.HtmlElement) -> None:
    for el in list(article.iterdescendants()):
        if isinstance(el.tag, str) and _is_furniture(el, within=article):
            el.drop_tree()
    for el in list(article.iterdescendants("p", "h2", "h3", "h4", "h5", "h6", "div", "span", "li")):
        text = _text(el)
        if len(text) <= rules.BOILERPLATE_TEXT_MAX and rules.BOILERPLATE_TEXTS.fullmatch(text):
            if el.find(".//img") is None:
                el.drop_tree()
    _drop_heading_anchors(article)
    _drop_prev_next_links(article)


def _is_furniture(el: lxml.html.HtmlElement, within: lxml.html.HtmlElement | None = None) -> bool:
    if el.tag in rules.BOILERPLATE_TAGS:
        # <footer> in a quote or figure holds its attribution (HTML's own example).
        in_quote = _inside(el, ("blockquote", "figure"), within)
        return not (el.tag in ("footer", "header") and in_quote)
    if el.get("role") in rules.BOILERPLATE_ROLES or el.get("hidden") is not None:
        return True
    style = (el.get("style") or "").replace(" ", "").lower()
    if "display:none" in style or "visibility:hidden" in style:
        return True
    tokens = rules.class_tokens(el.get("class"), el.get("id"))
    return any(rules.is_boilerplate_token(t) for t in tokens)


def _inside(
    el: lxml.html.HtmlElement, tags: tuple[str, ...], root: lxml.html.HtmlElement | None
) -> bool:
    for parent in el.iterancestors():
        if parent is root:
            return False
        if parent.tag in tags:
            return True
    return False


def _drop_heading_anchors(article: lxml.html.HtmlElement) -> None:
    for heading in article.iterdescendants("h1", "h2", "h3", "h4", "h5", "h6"):
        for link in list(heading.iter("a")):
            href = link.get("href") or ""
            if href.startswith("#") and _text(link) in rules.HEADING_ANCHOR_TEXTS:
                link.drop_tree()


def _drop_prev_next_links(article: lxml.html.HtmlElement) -> None:
    for link in list(article.xpath(".//a[@rel]")):
        if not {"prev", "next"} & set(link.get("rel", "").split()):
            continue
        block = link.getparent()
        only_link = block is not None and len(_text(block)) <= len(_text(link)) + 20
        if only_link and block is not article:
            block.drop_tree()
        else:
            link.drop_tree()


def _absolutise(article: lxml.html.HtmlElement, tag: str, attr: str, base: str | None) -> None:
    if not base:
        return
    for el in article.iter(tag):
        value = (el.get(attr) or "").strip()
        if value and not value.startswith("#") and not urlparse(value).scheme:
            el.set(attr, urljoin(base, value))


def _take_title(article: lxml.html.HtmlElement, title: str) -> str:
    """Drop the article's first heading when it repeats the title; use it when there is none."""
    heading = next(article.iterdescendants("h1", "h2", "h3"), None)
    if heading is None:
        return title
    text = _text(heading)
    if not title and heading.tag == "h1":
        title = text
    if _same_words(text, title):
        heading.drop_tree()
    return title


# --- small measures -------------------------------------------------------------------------


def _text(el: lxml.html.HtmlElement) -> str:
    return " ".join(el.text_content().split())


def _text_length(el: lxml.html.HtmlElement) -> int:
    return len(_text(el))


def _link_density(el: lxml.html.HtmlElement) -> float:
    total = _text_length(el)
    if not total:
        return 0.0
    linked = sum(_text_length(a) for a in el.iter("a"))
    return min(1.0, linked / total)


def _has_block_child(el: lxml.html.HtmlElement) -> bool:
    return any(child.tag in _BLOCK_TAGS for child in el)


def _same_words(a: str, b: str) -> bool:
    def words(s: str) -> list[str]:
        return re.findall(r"\w+", s.casefold())

    return bool(words(a)) and words(a) == words(b)


def _inner_html(el: lxml.html.HtmlElement) -> str:
    inner = [el.text or ""]
    inner += [lxml.html.tostring(child, encoding="unicode") for child in el]
    return "".join(inner)


def _has_content(fragment: str) -> bool:
    if "<img" in fragment:
        return True
    return bool(re.sub(r"<[^>]+>", "", fragment).strip())
