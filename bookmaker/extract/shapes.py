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
from urllib.parse import urlparse

import lxml.html

from bookmaker.extract import rules
from bookmaker.extract.measure import is_inside, same_words, text_of
from bookmaker.extract.metadata import parse_date
from bookmaker.extract.trail import Trail

_BLOCKS = ("div", "section", "ul", "ol", "p", "aside", "article", "figure")
_HEADINGS = ("h1", "h2", "h3")


def drop_shaped_furniture(
    article: lxml.html.HtmlElement, trail: Trail, site: str | None = None
) -> None:
    """Take sign-up boxes, lists of other posts and calls to action out of the article.

    `site` is an address on the blog (the post's own): links elsewhere are no furniture of it.
    """
    drop_signup_boxes(article, trail)
    drop_post_lists(article, trail, site)
    drop_calls_to_action(article, trail, site)


def drop_signup_boxes(article: lxml.html.HtmlElement, trail: Trail) -> None:
    """A form asking for an email address, with the heading and pitch that sit around it.

    The box never grows to hold all of the article's text: a short post about its newsletter
    keeps its words.
    """
    for form in list(article.iterdescendants("form")):
        if not is_inside(form, article) or not form.xpath(f".//{rules.EMAIL_FIELD}"):
            continue
        box, form_text, whole = form, len(text_of(form)), len(text_of(article))
        for parent in form.iterancestors():
            around = len(text_of(parent))
            if parent is article or around == whole or around - form_text > rules.SIGNUP_PITCH_MAX:
                break
            box = parent
        trail.note(box, "rule", "a sign-up box: a form asking for an email address")
        box.drop_tree()


def drop_post_lists(article: lxml.html.HtmlElement, trail: Trail, site: str | None = None) -> None:
    """Blocks of cards linking to other posts, with at most a heading beside them."""
    cards = [link for link in article.iter("a") if _is_card(link, site)]
    if len(cards) < 2:
        return
    held: dict[lxml.html.HtmlElement, list[lxml.html.HtmlElement]] = {}
    for link in cards:
        for block in link.iterancestors():
            if block is article:
                break
            held.setdefault(block, []).append(link)
    for block in list(article.iterdescendants(*_BLOCKS)):
        its_cards = held.get(block, [])
        if len(its_cards) < 2 or not is_inside(block, article):
            continue
        label = len(text_of(block)) - sum(len(text_of(card)) for card in its_cards)
        if label <= rules.POST_LIST_LABEL_MAX:
            trail.note(block, "rule", "a list of other posts: links each holding a picture")
            block.drop_tree()


def _is_card(link: lxml.html.HtmlElement, site: str | None) -> bool:
    """A link into the blog that holds a picture and a block of text: a post's teaser, not a
    linked image, a gallery's picture or a shop's cover."""
    href = link.get("href") or ""
    if link.find(".//img") is None or rules.PICTURE_LINK.search(href):
        return False
    has_text = any(text_of(block) for block in link.iterdescendants(*_BLOCKS, "h2", "h3", "h4"))
    return has_text and _within(href, site)


def drop_calls_to_action(
    article: lxml.html.HtmlElement, trail: Trail, site: str | None = None
) -> None:
    """Links into the blog's site styled as buttons that stand alone in their block ("Shop the
    jams", "Book a call").

    A button that downloads a file stays: the file is part of the post; so does one to another
    site ("Read the survey"): it is what the post refers to.
    """
    for link in list(article.iterdescendants("a")):
        if link.find(".//img") is not None or not _styled_as_button(link, article):
            continue  # a picture's link is no call to action, whatever its class
        href = link.get("href") or ""
        if link.get("download") is not None or rules.FILE_LINK.search(href):
            continue
        if not is_inside(link, article) or not _within(href, site):
            continue
        block = _alone_in(link, article)
        if block is not None:
            trail.note(block, "rule", "a call to action: a link styled as a button")
            block.drop_tree()


def _styled_as_button(link: lxml.html.HtmlElement, article: lxml.html.HtmlElement) -> bool:
    """Whether the link, or a block around it holding nothing more, has a button's class.

    The class is looked for first, the text measured only then: this runs for every link.
    """
    for el in [link, *link.iterancestors()]:
        if el is article:
            return False
        tokens = rules.class_tokens(el.get("class"))
        if any(rules.token_words(t) & rules.BUTTON_WORDS for t in tokens):
            text = text_of(link)
            return bool(text) and text_of(el) == text
    return False


def _alone_in(
    link: lxml.html.HtmlElement, article: lxml.html.HtmlElement
) -> lxml.html.HtmlElement | None:
    """The largest block around `link` that holds nothing else, or None when it shares one."""
    text, block = text_of(link), None
    for parent in link.iterancestors():
        if parent is article or text_of(parent) != text:
            break
        block = parent
    return block


def _within(href: str, site: str | None) -> bool:
    """Whether a link stays on the blog's site; when the site is unknown, any link may."""
    host = urlparse(href).hostname
    if not host or not site:
        return True
    return _bare_host(host) == _bare_host(urlparse(site).hostname or "")


def _bare_host(host: str) -> str:
    return host.lower().removeprefix("www.")


# --- the dateline ---------------------------------------------------------------------------


def title_heading(article: lxml.html.HtmlElement, title: str) -> lxml.html.HtmlElement | None:
    """The article's first heading, when it repeats the title."""
    heading = next(article.iterdescendants(*_HEADINGS), None)
    if heading is None or not same_words(text_of(heading), title):
        return None
    return heading


def take_dateline(
    article: lxml.html.HtmlElement,
    title: str,
    trail: Trail,
    known: dt.datetime | None = None,
) -> dt.datetime | None:
    """Drop a dateline just above or below the title heading; return the date it gives.

    Themes with byline markup have it named and taken already; this finds the bare ones. With
    `known`, the date the page's metadata gives, a line of another date stays: it is about
    another day (a diary written up later), not the post's dateline.
    """
    heading = title_heading(article, title)
    if heading is None:
        return None
    box = heading
    while box.getparent() is not article and text_of(box.getparent()) == text_of(heading):
        box = box.getparent()
    for neighbour in (box.getprevious(), box.getnext()):
        if neighbour is None or not isinstance(neighbour.tag, str):
            continue
        date = dateline_date(text_of(neighbour))
        if date is None or neighbour.find(".//img") is not None:
            continue
        if known is None or _days_apart(date, known) <= rules.DATELINE_DAYS_APART:
            trail.note(neighbour, "rule", "a dateline beside the title")
            neighbour.drop_tree()
            return date
    return None


def dateline_date(text: str) -> dt.datetime | None:
    """The date of a dateline ("Journal · 14 February 2024"), or None for any other text."""
    if len(text) > rules.DATELINE_MAX:
        return None
    match = rules.DATE_IN_TEXT.search(text)
    if match is None or rules.SENTENCE_AFTER_DATE.search(text, match.end()):
        return None
    others = re.findall(r"\w+", text[: match.start()] + " " + text[match.end() :])
    if len(others) > rules.DATELINE_OTHER_WORDS:
        return None
    return parse_date(match.group())


def _days_apart(a: dt.datetime, b: dt.datetime) -> int:
    return abs((a.date() - b.date()).days)
