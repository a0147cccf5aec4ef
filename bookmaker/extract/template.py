"""Learn a blog's own template from several of its pages, and strip it from the article.

Posts of one blog share their furniture: the same newsletter box, share bar, author box or
sign-off line, at the same place in every page, whatever its class names. `learn_template`
finds the blocks that sit at the same structural place (a path of tags, ids and class names from
<body>) with the same or nearly the same text on most pages; `Template.find` and `apply` mark
them on any page of the site, so they go even when no rule knows their names.

What keeps the real article safe: a block must carry some text, repeat on at least 60 % of at
least three distinct pages, and long blocks must repeat word for word (near-same text is
accepted only for short ones, such as a byline whose date changes). `apply` never removes the
article itself or what holds it, and gives up on a page where the template would take most of it.
"""

from __future__ import annotations

import hashlib
import logging
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import lxml.html

from bookmaker.extract.select import selector_for, selector_for_all, stable_id, stable_tokens
from bookmaker.extract.trail import Trail

log = logging.getLogger(__name__)

MIN_PAGES = 3  # fewer pages cannot tell a template from a coincidence
MIN_SHARE = 0.6  # a block is template when this share of the pages has it
MIN_TEXT = 15  # characters of text a block needs; shorter ones (a heading "Method") are content
MIN_WORDS = 3
NEAR_SAME_MAX_TEXT = 300  # longer blocks must repeat word for word
NEAR_SAME = 0.5  # shingle overlap (Jaccard) for two short texts to count as the same block
MAX_ARTICLE_SHARE = 0.5  # more than this much of an article looking like template: keep it all
MAX_SAMPLE = 12  # pages learned from; a larger site is sampled evenly
BLOCK_TAGS = frozenset(
    "div section aside nav header footer form p ul ol dl blockquote figure table details center "
    "address".split()
)
_DIGITS = re.compile(r"\d+")
T = TypeVar("T")


@dataclass(frozen=True)
class TemplateBlock:
    path: str  # structural place: "div#page > main.site-main > article.post > div.xq-box"
    text: str  # normalised text of one occurrence
    shingles: frozenset[str]
    pages: int  # on how many of the learned pages it appears
    selector: str  # a selector for the author ("" unless asked for, and for inner blocks)
    outer: bool = True  # False when it only ever appears inside another template block

    def matches(self, text: str, shingles: frozenset[str]) -> bool:
        return text == self.text or _near_same(text, shingles, self.text, self.shingles)


@dataclass(frozen=True)
class Template:
    pages: int  # how many distinct pages it was learned from
    blocks: tuple[TemplateBlock, ...] = ()
    _by_path: dict[str, list[TemplateBlock]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def __post_init__(self) -> None:
        for block in self.blocks:
            self._by_path.setdefault(block.path, []).append(block)

    def reason(self, block: TemplateBlock) -> str:
        return f"repeats on {block.pages} of {self.pages} pages of this site"

    def match(
        self, el: lxml.html.HtmlElement, known: dict[lxml.html.HtmlElement, str] | None = None
    ) -> TemplateBlock | None:
        candidates = self._by_path.get(structural_path(el, known))
        if not candidates:
            return None
        text = normalised_text(el)
        grams = shingles(text)
        return next((b for b in candidates if b.matches(text, grams)), None)

    def find(self, doc: lxml.html.HtmlElement) -> dict[lxml.html.HtmlElement, TemplateBlock]:
        """The outermost template blocks of a page, each with the block it matched."""
        found: dict[lxml.html.HtmlElement, TemplateBlock] = {}
        if not self.blocks:
            return found
        known: dict[lxml.html.HtmlElement, str] = {}
        for el in doc.iter(*BLOCK_TAGS):
            if any(a in found for a in el.iterancestors()):
                continue
            block = self.match(el, known)  # the path first: it rules out most elements cheaply
            if block is not None:
                found[el] = block
        return found


def learn_template(pages: Sequence[lxml.html.HtmlElement], selectors: bool = False) -> Template:
    """The blocks that repeat across pages of one site; an empty template below three pages.

    `selectors`: also work out, for each block, a CSS selector that finds it on every page
    (for `bookmaker extract --explain`; it takes a while on large pages).
    """
    learned = sample(_distinct(pages))
    if len(learned) < MIN_PAGES:
        return Template(pages=len(learned))
    clusters: dict[str, list[_Cluster]] = {}
    for index, doc in enumerate(learned):
        for el, path, text in _candidates(doc):
            _add(clusters, index, el, path, text)
    needed = max(MIN_PAGES, math.ceil(MIN_SHARE * len(learned)))
    kept = [c for group in clusters.values() for c in group if len(c.pages) >= needed]
    members = {el for c in kept for el in c.members}
    blocks = tuple(c.block(not _always_nested(c, members), selectors) for c in kept)
    log.debug("template of %d pages: %d repeated blocks", len(learned), len(blocks))
    return Template(pages=len(learned), blocks=blocks)


def sample(items: Sequence[T], count: int = MAX_SAMPLE) -> list[T]:
    """At most `count` of `items`, spread evenly: enough to learn from, cheap on a large blog."""
    if len(items) <= count:
        return list(items)
    step = len(items) / count
    return [items[int(i * step)] for i in range(count)]


def apply(template: Template, article: lxml.html.HtmlElement, trail: Trail | None = None) -> int:
    """Remove the template blocks inside `article`, in place; return how many went."""
    return strip(template, article, template.find(article), trail)


def strip(
    template: Template,
    article: lxml.html.HtmlElement,
    found: dict[lxml.html.HtmlElement, TemplateBlock],
    trail: Trail | None = None,
) -> int:
    """Remove those of the `found` blocks that lie inside `article`; return how many went.

    Nothing is removed when they would make up more than half of the article's text: on such a
    page the "template" is more likely the article itself (a series of near-identical posts)
    than furniture.
    """
    inside = {el: b for el, b in found.items() if _strictly_inside(el, article)}
    if not inside or _too_much(article, list(inside)):
        return 0
    trail = trail or Trail()
    for el, block in inside.items():
        reason = template.reason(block)
        if _in_running_text(el):
            reason += "; a paragraph of the post's own text, like a sign-off"
        trail.note(el, "template", reason, block.selector)
        el.drop_tree()
    return len(inside)


def _in_running_text(el: lxml.html.HtmlElement) -> bool:
    parent = el.getparent()
    return el.tag == "p" and parent is not None and len(parent.findall("p")) > 1


def _strictly_inside(el: lxml.html.HtmlElement, article: lxml.html.HtmlElement) -> bool:
    return any(a is article for a in el.iterancestors())


def _too_much(article: lxml.html.HtmlElement, blocks: list[lxml.html.HtmlElement]) -> bool:
    total = len(normalised_text(article))
    taken = sum(len(normalised_text(el)) for el in blocks)
    if total and taken / total > MAX_ARTICLE_SHARE:
        log.debug("template would take %d of %d characters of the article; kept", taken, total)
        return True
    return False


# --- the pieces of a page ------------------------------------------------------------------


def _candidates(
    root: lxml.html.HtmlElement,
) -> Iterator[tuple[lxml.html.HtmlElement, str, str]]:
    """The blocks of a page with enough text to be told apart: (element, path, text)."""
    known: dict[lxml.html.HtmlElement, str] = {}
    for el in root.iter(*BLOCK_TAGS):
        text = normalised_text(el)
        if len(text) >= MIN_TEXT and len(text.split()) >= MIN_WORDS:
            yield el, structural_path(el, known), text


def structural_path(
    el: lxml.html.HtmlElement, known: dict[lxml.html.HtmlElement, str] | None = None
) -> str:
    """Where an element sits, from <body> down, by tags, ids and class names that are stable.

    Positions are left out on purpose: a post with one more paragraph must not move its footer.
    `known` holds paths already worked out on the page (it is filled in as a side effect).
    """
    known = {} if known is None else known
    if el in known:
        return known[el]
    parent = el.getparent()
    if parent is None or el.tag in ("body", "html"):
        return ""
    above = structural_path(parent, known)
    ident = stable_id(el)
    names = (f"#{ident}" if ident else "") + "".join(f".{c}" for c in sorted(stable_tokens(el)))
    path = f"{above} > {el.tag}{names}" if above else f"{el.tag}{names}"
    known[el] = path
    return path


def normalised_text(el: lxml.html.HtmlElement) -> str:
    """Text with case, spacing and numbers (dates, counts) evened out."""
    return _DIGITS.sub("0", " ".join(" ".join(el.itertext()).split()).casefold())


def shingles(text: str) -> frozenset[str]:
    words = text.split()
    if len(words) < 3:
        return frozenset([" ".join(words)])
    return frozenset(" ".join(words[i : i + 3]) for i in range(len(words) - 2))


def _near_same(text: str, grams: frozenset[str], other: str, other_grams: frozenset[str]) -> bool:
    if max(len(text), len(other)) > NEAR_SAME_MAX_TEXT:
        return False
    union = len(grams | other_grams)
    return bool(union) and len(grams & other_grams) / union >= NEAR_SAME


# --- learning ------------------------------------------------------------------------------


@dataclass
class _Cluster:
    path: str
    text: str
    shingles: frozenset[str]
    example: lxml.html.HtmlElement
    pages: set[int] = field(default_factory=set)
    members: list[lxml.html.HtmlElement] = field(default_factory=list)

    def selector(self) -> str:
        """A selector finding the block on every page it is on; else one for the first page."""
        return selector_for_all(self.members) or selector_for(self.example)

    def block(self, outer: bool, selector: bool) -> TemplateBlock:
        return TemplateBlock(
            path=self.path,
            text=self.text,
            shingles=self.shingles,
            pages=len(self.pages),
            selector=self.selector() if outer and selector else "",
            outer=outer,
        )


def _add(
    clusters: dict[str, list[_Cluster]], page: int, el: lxml.html.HtmlElement, path: str, text: str
) -> None:
    grams = shingles(text)
    group = clusters.setdefault(path, [])
    for cluster in group:
        if page not in cluster.pages and (
            cluster.text == text or _near_same(text, grams, cluster.text, cluster.shingles)
        ):
            cluster.pages.add(page)
            cluster.members.append(el)
            return
    group.append(_Cluster(path, text, grams, el, {page}, [el]))


def _always_nested(cluster: _Cluster, inside: set[lxml.html.HtmlElement]) -> bool:
    """Whether every occurrence of the block sits inside an occurrence of a kept block."""
    return all(any(a in inside for a in el.iterancestors()) for el in cluster.members)


def _distinct(pages: Sequence[lxml.html.HtmlElement]) -> list[lxml.html.HtmlElement]:
    """The pages, each page text once (the same post fetched under two addresses counts once)."""
    seen: set[str] = set()
    distinct = []
    for doc in pages:
        key = hashlib.sha256("".join(doc.itertext()).encode("utf-8")).hexdigest()
        if key not in seen:
            seen.add(key)
            distinct.append(doc)
    return distinct
