"""Find the article in a blog page and return it clean, with its metadata.

The story: parse the page, recognise the blog engine, mark what must go (the author's `remove`
selectors, the engine's own furniture, the blog's learned template), find the element that holds
the post (the author's `content` selector, then the engine's selectors, then the known ones, then
a score of text against links), read the metadata, take the marked blocks off, bring in the lead
picture the theme shows above the body, take the title and its dateline and the furniture off
(share bars, author boxes, ads…), make lazy images and embeds readable, and sanitise. Every
removal is noted with its reason, for `bookmaker extract --explain`.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
from collections.abc import Collection
from dataclasses import dataclass

import lxml.etree as etree
import lxml.html

from bookmaker.extract import rules
from bookmaker.extract.encoding import decode_page, repair_text
from bookmaker.extract.measure import text_of
from bookmaker.extract.media import add_lead_image
from bookmaker.extract.metadata import read_metadata
from bookmaker.extract.overrides import Overrides
from bookmaker.extract.platforms import Platform, content_selectors, detect_platform
from bookmaker.extract.sanitize import clean_fragment
from bookmaker.extract.select import select
from bookmaker.extract.shapes import take_dateline
from bookmaker.extract.template import Template
from bookmaker.extract.template import strip as strip_template
from bookmaker.extract.tidy import BLOCK_TAGS, is_furniture, take_title, tidy_article
from bookmaker.extract.trail import Removal, Trail
from bookmaker.log import warn

__all__ = ["Extracted", "ExtractionError", "Removal", "decode_page", "extract", "parse_page"]

log = logging.getLogger(__name__)

_POST_SCOPE_XPATH = (
    "ancestor-or-self::*[self::article or contains(concat(' ', normalize-space(@class), ' '),"
    " ' hentry ') or contains(concat(' ', normalize-space(@class), ' '), ' h-entry ')"
    " or contains(@itemtype, 'Posting') or contains(@itemtype, 'Article')][1]"
)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# Void elements newer than libxml2's HTML parser: it would nest everything after them inside them
# (an <embed> would swallow the rest of the article). An explicit end tag keeps them empty.
_NEWER_VOID_TAG = re.compile(r"<(embed|source|track|wbr|keygen)\b[^>]*>", re.IGNORECASE)


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
    platform: str | None = None  # the blog engine the page was recognised as
    found_by: str = ""  # how the article was found, e.g. "Ghost selector .gh-content"
    removed: tuple[Removal, ...] = ()  # what was taken out of the article, and why


@dataclass(frozen=True)
class _Mark:
    source: str  # "override" or "platform"
    reason: str
    selector: str  # the selector that found it


def extract(
    html: str | bytes,
    url: str | None = None,
    encoding: str | None = None,
    overrides: Overrides | None = None,
    template: Template | None = None,
    explain: bool = False,
) -> Extracted:
    """Extract the post from a page.

    `url` is where the page was fetched from, if anywhere; `encoding` the charset the server
    declared for the bytes, if any. `overrides` are the author's selectors for this source,
    `template` what the blog's other pages share (see `template.learn_template`). With
    `explain`, each removal carries a selector the author can copy.
    Raises ExtractionError, and SelectorError for a selector that cannot be used.
    """
    doc = parse_page(html, encoding)
    platform = detect_platform(doc)
    overrides = overrides or Overrides()
    marks = _marked(doc, overrides, platform)
    repeated = template.find(doc) if template else {}
    found, found_by = find_article(doc, platform, overrides.content, {*marks, *repeated}, url)
    if found is None:
        raise ExtractionError("no article found in this page")
    scope = found.xpath(_POST_SCOPE_XPATH) or found.xpath("ancestor-or-self::main[1]")
    meta = read_metadata(doc, url, scope=scope[0] if scope else None)
    # The article is taken apart in place: the page is this call's own, and selectors for the
    # author need each removed block where it was.
    article = found
    trail = Trail(explain)
    _strip_marked(article, marks, trail)
    if template:
        strip_template(template, article, repeated, trail)
    add_lead_image(article, scope[0] if scope else None, excluded={*marks, *repeated})
    dated = take_dateline(article, meta.title, trail, known=meta.date)
    title = take_title(article, meta.title)
    tidy_article(article, page_url=url, link_base=meta.url or url, trail=trail)
    body_html = clean_fragment(_inner_html(article))
    if not _has_content(body_html):
        raise ExtractionError("no article found in this page")
    return Extracted(
        title=title,
        body_html=body_html,
        authors=meta.authors,
        date=meta.date or dated,
        updated=meta.updated,
        categories=meta.categories,
        tags=meta.tags,
        language=meta.language,
        url=meta.url,
        image=meta.image,
        platform=platform.name if platform else None,
        found_by=found_by,
        removed=tuple(trail.removals),
    )


# --- reading the page -----------------------------------------------------------------------


def parse_page(html: str | bytes, encoding: str | None = None) -> lxml.html.HtmlElement:
    text = decode_page(html, encoding) if isinstance(html, bytes) else repair_text(html)
    text = _XML_DECLARATION.sub("", text, count=1)
    text = _NEWER_VOID_TAG.sub(r"\g<0></\1>", text)
    if not text.strip():
        raise ExtractionError("the page is empty")
    try:
        return lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise ExtractionError(f"the page cannot be parsed ({exc})") from None


@functools.lru_cache(maxsize=256)
def compiled_css(css: str) -> etree.XPath:
    """A built-in selector (the `rules.css_to_xpath` subset), compiled once."""
    return etree.XPath(rules.css_to_xpath(css))


# --- what must go -----------------------------------------------------------------------------


def _marked(
    doc: lxml.html.HtmlElement, overrides: Overrides, platform: Platform | None
) -> dict[lxml.html.HtmlElement, _Mark]:
    marks: dict[lxml.html.HtmlElement, _Mark] = {}
    for css in overrides.remove:
        for el in select(doc, css):
            marks.setdefault(el, _Mark("override", f"your remove selector {css!r}", css))
    if platform is None:
        return marks
    for furniture in platform.furniture:
        for el in compiled_css(furniture.css)(doc):
            reason = f"{platform.name}: {furniture.label}"
            marks.setdefault(el, _Mark("platform", reason, furniture.css))
    return marks


def _strip_marked(
    article: lxml.html.HtmlElement, marks: dict[lxml.html.HtmlElement, _Mark], trail: Trail
) -> None:
    for el, mark in marks.items():
        # Skips the article itself, what holds it, and blocks already gone with a larger one.
        if any(a is article for a in el.iterancestors()):
            trail.note(el, mark.source, mark.reason, mark.selector)
            el.drop_tree()


# --- finding the article --------------------------------------------------------------------


def find_article(
    doc: lxml.html.HtmlElement,
    platform: Platform | None = None,
    content: str | None = None,
    excluded: Collection[lxml.html.HtmlElement] = (),
    url: str | None = None,
) -> tuple[lxml.html.HtmlElement | None, str]:
    """The element holding the post, and how it was found.

    The author's `content` selector first, then the platform's own selectors and the known
    ones (the first that fits wins), else the best-scored block. Elements in `excluded`, and
    everything inside them, are never the article.
    """
    if content:
        chosen = _content_override(doc, content, url)
        if chosen is not None:
            return chosen, f"your content selector {content!r}"
    for selector in content_selectors(platform, rules.CONTENT_SELECTORS):
        found = [
            el
            for el in compiled_css(selector.css)(doc)
            if not in_region(el) and not _inside_any(el, excluded)
        ]
        if not found:
            continue
        element = _common_ancestor(found) if selector.pieces else max(found, key=_text_length)
        length = _text_length(element)
        if length > selector.min_text or element.find(".//img") is not None:
            log.debug("article found by %s selector %r", selector.engine, selector.css)
            return element, f"{selector.engine} selector {selector.css}"
    best = best_scored_block(doc, excluded)
    return best, "scoring text against links" if best is not None else ""


def _content_override(
    doc: lxml.html.HtmlElement, content: str, url: str | None
) -> lxml.html.HtmlElement | None:
    found = select(doc, content)
    if not found:
        warn(
            log,
            "extract.content_missing",
            "%s: content selector %r matches nothing; the article was looked for as usual",
            url or "page",
            content,
        )
        return None
    outermost = [el for el in found if not any(a in found for a in el.iterancestors())]
    if len(outermost) == 1:
        return outermost[0]
    return _only_these(outermost)


def _only_these(elements: list[lxml.html.HtmlElement]) -> lxml.html.HtmlElement:
    """The closest common ancestor of `elements`, pruned of every branch that holds none."""
    common = _common_ancestor(elements)
    wanted = set(elements)
    paths = {a for el in elements for a in el.iterancestors()} | wanted
    for el in list(common.iterdescendants()):
        parent = el.getparent()
        if el in paths:
            el.tail = None  # text between the chosen blocks is not theirs
            if el not in wanted:
                el.text = None
        elif parent in paths and parent not in wanted:
            el.drop_tree()
    common.text = None
    return common


def _inside_any(el: lxml.html.HtmlElement, excluded: Collection[lxml.html.HtmlElement]) -> bool:
    if not excluded:
        return False
    return el in excluded or any(a in excluded for a in el.iterancestors())


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


def best_scored_block(
    doc: lxml.html.HtmlElement, excluded: Collection[lxml.html.HtmlElement] = ()
) -> lxml.html.HtmlElement | None:
    """Score blocks by the paragraphs under them, less their links (the readability idea)."""
    scores: dict[lxml.html.HtmlElement, float] = {}
    text_under: dict[lxml.html.HtmlElement, int] = {}
    for el in doc.iter(*rules.SCORED_TAGS):
        if el.tag not in ("p", "pre") and _has_block_child(el):
            continue
        text = text_of(el)
        if len(text) < rules.MIN_PARAGRAPH_TEXT or in_region(el) or is_furniture(el):
            continue
        if _inside_any(el, excluded):
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
