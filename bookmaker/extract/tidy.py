"""Tidying a found article: furniture off, media readable, loose text into paragraphs.

Works in place on the article element; `clean_fragment` does the sanitising after. What goes is
noted on a `Trail` with the rule that took it.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlparse

import lxml.html

from bookmaker.extract import media, rules
from bookmaker.extract.measure import is_inside, same_words, text_of
from bookmaker.extract.shapes import drop_shaped_furniture
from bookmaker.extract.trail import Trail

BLOCK_TAGS = frozenset(
    "address article aside blockquote center details dl div fieldset figure footer form h1 h2 h3 "
    "h4 h5 h6 header hr li main nav ol p pre section table ul".split()
)


def tidy_article(
    article: lxml.html.HtmlElement,
    page_url: str | None = None,
    link_base: str | None = None,
    trail: Trail | None = None,
) -> None:
    """Take the furniture off a copied article and make its media readable, in place.

    `page_url` is where the page was fetched from (images resolve against it); `link_base` is the
    post's own address (links resolve against it, so they can become cross-references).
    """
    trail = trail or Trail()
    media.resolve_lazy_images(article)
    media.replace_embeds(article)
    drop_shaped_furniture(article, trail, site=link_base)
    remove_boilerplate(article, trail)
    space_adjacent_links(article)
    for container in [article, *article.iterdescendants("div", "section", "article")]:
        paragraphs_from_breaks(container)
    unwrap_wrappers(article)
    _absolutise(article, "a", "href", link_base)
    _absolutise(article, "img", "src", page_url)


def remove_boilerplate(article: lxml.html.HtmlElement, trail: Trail | None = None) -> None:
    trail = trail or Trail()
    for el in list(article.iterdescendants()):
        if not isinstance(el.tag, str) or not is_inside(el, article):
            continue
        reason = furniture_reason(el, within=article)
        if reason:
            trail.note(el, "rule", reason)
            el.drop_tree()
    for el in list(article.iterdescendants("p", "h2", "h3", "h4", "h5", "h6", "div", "span", "li")):
        if not is_inside(el, article):
            continue
        text = text_of(el)
        if len(text) <= rules.BOILERPLATE_TEXT_MAX and rules.BOILERPLATE_TEXTS.fullmatch(text):
            if el.find(".//img") is None:
                trail.note(el, "rule", f"the text {text!r} is a share or widget prompt")
                el.drop_tree()
    _drop_heading_anchors(article)
    _drop_prev_next_links(article, trail)
    _drop_term_lists(article, trail)


def is_furniture(el: lxml.html.HtmlElement, within: lxml.html.HtmlElement | None = None) -> bool:
    """Whether an element is page furniture by its tag, role, visibility or class and id."""
    return furniture_reason(el, within) is not None


def furniture_reason(
    el: lxml.html.HtmlElement, within: lxml.html.HtmlElement | None = None
) -> str | None:
    """Why an element is page furniture (its tag, role, visibility, class or id), or None."""
    if el.tag in rules.BOILERPLATE_TAGS:
        # <footer> in a quote or figure holds its attribution (HTML's own example).
        in_quote = _inside(el, ("blockquote", "figure"), within)
        if el.tag in ("footer", "header") and in_quote:
            return None
        return f"<{el.tag}> is never part of a post"
    if el.get("role") in rules.BOILERPLATE_ROLES:
        return f"role {el.get('role')!r} is a page landmark"
    if el.get("hidden") is not None:
        return "hidden"
    style = (el.get("style") or "").replace(" ", "").lower()
    if "display:none" in style or "visibility:hidden" in style:
        return "hidden by its style"
    tokens = rules.class_tokens(el.get("class"), el.get("id"), el.get("data-testid"))
    token = next((t for t in tokens if rules.is_boilerplate_token(t)), None)
    return f"the name {token!r} marks furniture" if token else None


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
            if href.startswith("#") and text_of(link) in rules.HEADING_ANCHOR_TEXTS:
                link.drop_tree()


def _drop_prev_next_links(article: lxml.html.HtmlElement, trail: Trail) -> None:
    for link in list(article.xpath(".//a[@rel]")):
        if not {"prev", "next"} & set(link.get("rel", "").split()):
            continue
        block = link.getparent()
        only_link = block is not None and len(text_of(block)) <= len(text_of(link)) + 20
        gone = block if only_link and block is not article else link
        trail.note(gone, "rule", "a link to the previous or next post")
        gone.drop_tree()


def _drop_term_lists(article: lxml.html.HtmlElement, trail: Trail) -> None:
    """Blocks made only of links to tag and category pages (themes print them under a post)."""
    for el in list(article.iterdescendants("ul", "ol", "p", "div")):
        if not is_inside(el, article):
            continue
        links = list(el.iter("a"))
        if not links or not all(rules.TAXONOMY_LINK.search(a.get("href") or "") for a in links):
            continue
        rest = text_of(el)
        for link in links:
            rest = rest.replace(text_of(link), " ", 1)
        if not re.sub(r"[\W_]+", "", rules.TAXONOMY_LABEL.sub("", rest)):
            trail.note(el, "rule", "a list of links to tag or category pages")
            el.drop_tree()


def space_adjacent_links(article: lxml.html.HtmlElement) -> None:
    """Put a space between two links that touch: a theme shows them apart as buttons or a row,
    and without its styles their words would run into one ("File.pdfDownload"). A note's
    marker (a link opening with <sup>) keeps to its word."""
    for link in article.iterdescendants("a"):
        following = link.getnext()
        if following is None or following.tag != "a" or link.tail:
            continue
        if following.text or len(following) == 0 or following[0].tag != "sup":
            link.tail = " "


def _absolutise(article: lxml.html.HtmlElement, tag: str, attr: str, base: str | None) -> None:
    if not base:
        return
    for el in article.iter(tag):
        value = (el.get(attr) or "").strip()
        if not value or value.startswith("#"):
            continue
        try:
            if not urlparse(value).scheme:
                el.set(attr, urljoin(base, value))
        except ValueError:  # e.g. "http://[::1": an address no reader could follow
            del el.attrib[attr]


def take_title(article: lxml.html.HtmlElement, title: str) -> str:
    """Drop the article's first heading when it repeats the title; use it when there is none."""
    heading = next(article.iterdescendants("h1", "h2", "h3"), None)
    if heading is None:
        return title
    text = text_of(heading)
    if not title and heading.tag == "h1":
        title = text
    if same_words(text, title):
        heading.drop_tree()
    return title


def unwrap_wrappers(article: lxml.html.HtmlElement) -> None:
    """Dissolve empty elements and wrappers that hold only blocks.

    Without their classes, layout <div>s mean nothing, and a dozen nested ones (Medium has them)
    only get in a renderer's way. Elements with an id stay: a link may point at them.
    """
    for el in reversed(list(article.iterdescendants("div", "section", "span"))):
        if el.get("id") or (el.text or "").strip():
            continue
        if not len(el) or all(
            child.tag in BLOCK_TAGS and not (child.tail or "").strip() for child in el
        ):
            el.drop_tag()


# --- loose text ------------------------------------------------------------------------------


def paragraphs_from_breaks(container: lxml.html.HtmlElement) -> None:
    """Wrap loose text into <p>, starting a new paragraph at each run of two or more <br>.

    Blogger and older editors write posts as text and <br><br>, never <p>; a book needs the
    paragraphs to indent and space them.
    """
    loose = (container.text or "").strip() or any(
        child.tag == "br" or (child.tail or "").strip() for child in container
    )
    if not loose:
        return
    items: list[lxml.html.HtmlElement | str] = [container.text or ""]
    for child in list(container):
        items += [child, child.tail or ""]
        child.tail = None
        container.remove(child)
    container.text = None
    _rebuild(container, items)


def _rebuild(container: lxml.html.HtmlElement, items: list[lxml.html.HtmlElement | str]) -> None:
    paragraph: lxml.html.HtmlElement | None = None
    breaks: list[lxml.html.HtmlElement] = []
    for item in items:
        if isinstance(item, str) and not item.strip():
            if paragraph is not None and not breaks:
                _append_text(paragraph, item)
            continue
        if not isinstance(item, str) and item.tag == "br":
            breaks.append(item)
            continue
        if not isinstance(item, str) and item.tag in BLOCK_TAGS:
            paragraph, breaks = None, []
            container.append(item)
            continue
        if paragraph is None or len(breaks) >= 2:
            paragraph = lxml.html.Element("p")
            container.append(paragraph)
            item = item.lstrip() if isinstance(item, str) else item
        elif breaks:
            paragraph.append(breaks[0])  # a single <br> is a line break inside the paragraph
        breaks = []
        if isinstance(item, str):
            _append_text(paragraph, item)
        else:
            paragraph.append(item)


def _append_text(el: lxml.html.HtmlElement, text: str) -> None:
    if len(el):
        el[-1].tail = (el[-1].tail or "") + text
    else:
        el.text = (el.text or "") + text
