"""Furniture known by its shape rather than its name, and the dateline beside the title.

Page builders (Wix, Squarespace, Elementor) and many themes give their blocks names that say
nothing ("comp-lm3a", "KcpHeO"), so the rules in `rules.BOILERPLATE_WORDS` cannot see them. These
blocks still have a shape no paragraph of a post has: a sign-up box is a form asking for an email
address, a list of other posts is a row of cards, a call to action is a link styled as a button
standing alone, a dateline is a date and a word or two beside the title. Each works in place on
the found article and notes what it took on the trail.
"""

from __future__ import annotations

import datetime as dt
import re

import lxml.html

from bookmaker.extract import rules
from bookmaker.extract.metadata import parse_date
from bookmaker.extract.trail import Trail

_BLOCKS = ("div", "section", "ul", "ol", "p", "aside", "article", "figure")
_HEADINGS = ("h1", "h2", "h3")


def drop_shaped_furniture(article: lxml.html.HtmlElement, trail: Trail) -> None:
    """Take sign-up boxes, lists of other posts and calls to action out of the article."""
    drop_signup_boxes(article, trail)
    drop_post_lists(article, trail)
    drop_calls_to_action(article, trail)


def drop_signup_boxes(article: lxml.html.HtmlElement, trail: Trail) -> None:
    """A form asking for an email address, with the heading and pitch that sit around it."""
    for form in list(article.iterdescendants("form")):
        if not _attached(form, article) or not form.xpath(f".//{rules.EMAIL_FIELD}"):
            continue
        box, form_text = form, len(_text(form))
        for parent in form.iterancestors():
            if parent is article or len(_text(parent)) - form_text > rules.SIGNUP_PITCH_MAX:
                break
            box = parent
        trail.note(box, "rule", "a sign-up box: a form asking for an email address")
        box.drop_tree()


def drop_post_lists(article: lxml.html.HtmlElement, trail: Trail) -> None:
    """Blocks of cards linking to other posts, with at most a heading beside them."""
    for block in list(article.iterdescendants(*_BLOCKS)):
        if not _attached(block, article):
            continue
        cards = [link for link in block.iter("a") if _is_card(link)]
        if len(cards) < 2:
            continue
        label = len(_text(block)) - sum(len(_text(card)) for card in cards)
        if label <= rules.POST_LIST_LABEL_MAX:
            trail.note(block, "rule", "a list of other posts: links each holding a picture")
            block.drop_tree()


def _is_card(link: lxml.html.HtmlElement) -> bool:
    """A link that holds a picture and a block of text: a post's teaser, not a linked image."""
    if link.find(".//img") is None:
        return False
    return any(_text(block) for block in link.iterdescendants(*_BLOCKS, "h2", "h3", "h4"))


def drop_calls_to_action(article: lxml.html.HtmlElement, trail: Trail) -> None:
    """Links styled as buttons that stand alone in their block ("Shop the jams", "Book a call").

    A button that downloads a file stays: the file is part of the post.
    """
    for link in list(article.iterdescendants("a")):
        if not _attached(link, article) or link.find(".//img") is not None or not _text(link):
            continue  # a picture's link is no call to action, whatever its class
        if not _styled_as_button(link, article):
            continue
        if link.get("download") is not None or rules.FILE_LINK.search(link.get("href") or ""):
            continue
        block = _alone_in(link, article)
        if block is not None:
            trail.note(block, "rule", "a call to action: a link styled as a button")
            block.drop_tree()


def _styled_as_button(link: lxml.html.HtmlElement, article: lxml.html.HtmlElement) -> bool:
    text = _text(link)
    for el in [link, *link.iterancestors()]:
        if el is article or _text(el) != text:
            return False
        tokens = rules.class_tokens(el.get("class"))
        if any(rules.token_words(t) & rules.BUTTON_WORDS for t in tokens):
            return True
    return False


def _alone_in(
    link: lxml.html.HtmlElement, article: lxml.html.HtmlElement
) -> lxml.html.HtmlElement | None:
    """The largest block around `link` that holds nothing else, or None when it shares one."""
    text, block = _text(link), None
    for parent in link.iterancestors():
        if parent is article or _text(parent) != text:
            break
        block = parent
    return block


# --- the dateline ---------------------------------------------------------------------------


def title_heading(article: lxml.html.HtmlElement, title: str) -> lxml.html.HtmlElement | None:
    """The article's first heading, when it repeats the title."""
    heading = next(article.iterdescendants(*_HEADINGS), None)
    if heading is None or not _same_words(_text(heading), title):
        return None
    return heading


def take_dateline(article: lxml.html.HtmlElement, title: str, trail: Trail) -> dt.datetime | None:
    """Drop a dateline just above or below the title heading; return the date it gives.

    Themes with byline markup have it named and taken already; this finds the bare ones.
    """
    heading = title_heading(article, title)
    if heading is None:
        return None
    box = heading
    while box.getparent() is not article and _text(box.getparent()) == _text(heading):
        box = box.getparent()
    for neighbour in (box.getprevious(), box.getnext()):
        if neighbour is None or not isinstance(neighbour.tag, str):
            continue
        date = dateline_date(_text(neighbour))
        if date is not None and neighbour.find(".//img") is None:
            trail.note(neighbour, "rule", "a dateline beside the title")
            neighbour.drop_tree()
            return date
    return None


def dateline_date(text: str) -> dt.datetime | None:
    """The date of a dateline ("Journal · 14 February 2024"), or None for any other text."""
    if len(text) > rules.DATELINE_MAX:
        return None
    match = rules.DATE_IN_TEXT.search(text)
    if match is None:
        return None
    others = re.findall(r"\w+", text[: match.start()] + " " + text[match.end() :])
    if len(others) > rules.DATELINE_OTHER_WORDS:
        return None
    return parse_date(match.group())


# --- small measures -------------------------------------------------------------------------


def _text(el: lxml.html.HtmlElement) -> str:
    return " ".join(el.text_content().split())


def _same_words(a: str, b: str) -> bool:
    words_a, words_b = re.findall(r"\w+", a.casefold()), re.findall(r"\w+", b.casefold())
    return bool(words_a) and words_a == words_b


def _attached(el: lxml.html.HtmlElement, root: lxml.html.HtmlElement) -> bool:
    return any(a is root for a in el.iterancestors())
