"""Small measures of a page's elements that every tidying step uses."""

from __future__ import annotations

import re

import lxml.html


def text_of(el: lxml.html.HtmlElement) -> str:
    """The element's text, its runs of white space made single spaces."""
    return " ".join(el.text_content().split())


def same_words(a: str, b: str) -> bool:
    """Whether two texts have the same words, whatever their case and punctuation."""
    words_a, words_b = re.findall(r"\w+", a.casefold()), re.findall(r"\w+", b.casefold())
    return bool(words_a) and words_a == words_b


def is_inside(el: lxml.html.HtmlElement, root: lxml.html.HtmlElement) -> bool:
    """Whether `el` is (still) below `root`: not gone with a larger block already dropped."""
    return any(a is root for a in el.iterancestors())
