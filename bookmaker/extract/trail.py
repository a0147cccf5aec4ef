"""What extraction took out of an article, and why: the record `bookmaker extract --explain` prints.

Each removal names its cause (a built-in rule, the author's own `remove` selector, or the blog's
template learned from its other pages) and, when asked for, a CSS selector the author can copy
into book.toml.
"""

from __future__ import annotations

from dataclasses import dataclass

import lxml.html

from bookmaker.extract.select import selector_for

PREVIEW_CHARS = 70


@dataclass(frozen=True)
class Removal:
    source: str  # "rule", "platform", "override" or "template"
    reason: str  # e.g. "class 'sharedaddy' names furniture", "repeats on 5 of 5 pages"
    text: str  # the first words of what went, or its tag when it has no text
    selector: str = ""  # a selector for it; only worked out when explaining


class Trail:
    """Collects removals while an article is tidied; cheap unless `explain` asks for selectors."""

    def __init__(self, explain: bool = False) -> None:
        self.explain = explain
        self.removals: list[Removal] = []

    def note(self, el: lxml.html.HtmlElement, source: str, reason: str, selector: str = "") -> None:
        """Record `el` as removed; call while it is still in the page, before dropping it.

        `selector` is one known to fit (a template block's, tried on several pages).
        """
        if self.explain and not selector:
            selector = selector_for(el)
        self.removals.append(Removal(source, reason, preview(el), selector if self.explain else ""))


def preview(el: lxml.html.HtmlElement) -> str:
    text = " ".join(" ".join(el.itertext()).split())
    if not text:
        return f"<{el.tag}>"
    if len(text) <= PREVIEW_CHARS:
        return text
    return text[:PREVIEW_CHARS].rsplit(" ", 1)[0] + "…"
