"""Pictures and embeds in an article, made readable without scripts.

Lazy-loading themes leave a placeholder in `src` and the real address in `data-src`, `srcset` or a
<noscript> copy; a book has no script to swap them. Video players and social posts are scripts or
iframes, which no ebook shows: each becomes a short paragraph with a link to the original.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Collection
from urllib.parse import unquote, urlparse

import lxml.etree as etree
import lxml.html

from bookmaker.extract import rules
from bookmaker.extract.measure import is_inside

# Sizes blog engines add to a picture's file name: WordPress's -1024x683, Hugo's _800x0_resize….
_SIZE_SUFFIX = re.compile(r"(-\d+x\d+|_\d+x\d+_.*|@\dx)$")
_SRCSET_CANDIDATE = re.compile(r"\s*([^\s,][^\s]*?)(?:\s+(\d+(?:\.\d+)?)([wx]))?\s*(?:,|$)")


def resolve_lazy_images(article: lxml.html.HtmlElement) -> None:
    """Give every <img> its real address, in place."""
    for img in list(article.iter("img")):
        if not _inside_noscript(img):
            real = real_source(img)
            if real:
                img.set("src", real)
    for noscript in list(article.iter("noscript")):
        _use_noscript_copy(noscript)


def real_source(img: lxml.html.HtmlElement) -> str | None:
    """The address a lazy image would load, or None when its `src` is already the real one."""
    src = (img.get("src") or "").strip()
    if src and not rules.PLACEHOLDER_SRC.search(src):
        return None
    for attr in rules.LAZY_SRC_ATTRIBUTES:
        value = (img.get(attr) or "").strip()
        if value and not rules.PLACEHOLDER_SRC.search(value):
            return value
    sources = [img] + _picture_sources(img)
    for el in sources:
        for attr in rules.LAZY_SRCSET_ATTRIBUTES:
            best = best_srcset_candidate(el.get(attr) or "")
            if best:
                return best
    return None


def best_srcset_candidate(srcset: str) -> str | None:
    """The widest (or densest) candidate of a `srcset` value."""
    best, best_size = None, -1.0
    for match in _SRCSET_CANDIDATE.finditer(srcset):
        address, size, unit = match.groups()
        if not address or rules.PLACEHOLDER_SRC.search(address):
            continue
        # Widths and densities are not comparable; any width beats a density of a few x.
        value = float(size) * (1 if unit == "w" else 100) if size else 100.0
        if value > best_size:
            best, best_size = address, value
    return best


def _picture_sources(img: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    parent = img.getparent()
    return list(parent.iter("source")) if parent is not None and parent.tag == "picture" else []


def _inside_noscript(el: lxml.html.HtmlElement) -> bool:
    return any(a.tag == "noscript" for a in el.iterancestors())


def _use_noscript_copy(noscript: lxml.html.HtmlElement) -> None:
    """Swap a placeholder image for the copy its theme kept in <noscript>, then drop the copy."""
    copies = noscript.xpath(".//img[@src]")
    before = noscript.getprevious()
    if before is not None and before.tag != "img":
        inner = before.xpath(".//img")
        before = inner[-1] if len(inner) == 1 else None
    if copies:
        picture = copies[0]
        picture.tail = None
        if before is None:
            noscript.addprevious(picture)
        elif _is_placeholder(before):
            before.getparent().replace(before, picture)
    noscript.drop_tree()


def _is_placeholder(img: lxml.html.HtmlElement) -> bool:
    src = (img.get("src") or "").strip()
    return not src or bool(rules.PLACEHOLDER_SRC.search(src))


# --- embeds ---------------------------------------------------------------------------------


def replace_embeds(article: lxml.html.HtmlElement) -> None:
    """Turn players and social posts into `<p class="embed">Label: <a>address</a></p>`."""
    for el in list(article.iter("iframe", "blockquote", "video", "audio")):
        placeholder = _placeholder_for(el)
        if placeholder is None:
            continue
        target = el
        parent = el.getparent()
        if parent is not None and parent.tag == "p" and len(parent) == 1 and not _has_text(parent):
            target = parent  # a lone player in a paragraph: replace the paragraph
        placeholder.tail = target.tail
        target.getparent().replace(target, placeholder)


def _placeholder_for(el: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    if el.tag == "iframe":
        address = el.get("src") or el.get("data-src") or el.get("data-lazy-src") or ""
        if not _is_address(address):
            return None
        label = _provider_label(address)
        return _embed_paragraph(label, _page_address(address)) if label else None
    if el.tag == "blockquote":
        kinds = [rules.EMBED_BLOCKQUOTE_CLASSES.get(c) for c in (el.get("class") or "").split()]
        label = next((k for k in kinds if k), None)
        if label is None:
            return None
        return _embed_paragraph(label, _quoted_post_address(el), quote=_embed_text(el))
    address = el.get("src") or next((s.get("src") for s in el.iter("source") if s.get("src")), "")
    if not address or not _is_address(address):
        return None
    label = "Video" if el.tag == "video" else "Audio"
    return _embed_paragraph(label, address, name=media_name(el, address))


def media_name(player: lxml.html.HtmlElement, address: str) -> str:
    """What a reader is shown for a video or audio file: its title, else its file's name.

    The full address of a file on the blog's server is long and says nothing a reader needs;
    the link keeps it.
    """
    for attr in ("title", "aria-label"):
        if (player.get(attr) or "").strip():
            return " ".join(player.get(attr, "").split())
    path = urlparse(address).path.rstrip("/")
    return unquote(path.rsplit("/", 1)[-1]) or urlparse(address).hostname or address


def _is_address(address: str) -> bool:
    """False for what no reader could follow, such as "http://[::1" (an unclosed IPv6 host)."""
    try:
        urlparse(address if "//" in address else f"//{address}")
    except ValueError:
        return False
    return True


def _provider_label(address: str) -> str | None:
    host = (urlparse(address if "//" in address else f"//{address}").hostname or "").lower()
    return next((p.label for p in rules.EMBED_PROVIDERS if p.host.search(host)), None)


def _page_address(address: str) -> str:
    if address.startswith("//"):
        address = "https:" + address
    for pattern, page in rules.PLAYER_TO_PAGE:
        match = pattern.match(address)
        if match:
            return match.expand(page)
    return address


def _quoted_post_address(blockquote: lxml.html.HtmlElement) -> str:
    for attr in ("data-instgrm-permalink", "cite"):
        if blockquote.get(attr):
            return blockquote.get(attr, "")
    links = [a.get("href", "") for a in blockquote.iter("a")]
    links = [href for href in links if href.startswith(("https:", "http:"))]
    return links[-1] if links else ""


def _embed_text(blockquote: lxml.html.HtmlElement) -> str:
    first = next(blockquote.iter("p"), None)
    text = " ".join((first if first is not None else blockquote).text_content().split())
    if len(text) > rules.EMBED_TEXT_MAX:
        text = text[: rules.EMBED_TEXT_MAX].rsplit(" ", 1)[0] + "…"
    return text


def _embed_paragraph(
    label: str, address: str, quote: str = "", name: str = ""
) -> lxml.html.HtmlElement:
    """`Label: <a>name</a>`; the link shows the address itself when there is no better name."""
    p = lxml.html.Element("p", {"class": "embed"})
    p.text = f"{label}: “{quote}” " if quote else f"{label}: "
    if address:
        link = lxml.html.Element("a", {"href": address})
        p.append(link)
        link.text = name or address
    else:
        p.text = p.text.rstrip(" :") + "."
    return p


def _has_text(el: lxml.html.HtmlElement) -> bool:
    texts = [el.text] + [child.tail for child in el]
    return any(t and t.strip() for t in texts)


# --- the lead picture -----------------------------------------------------------------------


def add_lead_image(
    body: lxml.html.HtmlElement,
    post: lxml.html.HtmlElement | None,
    excluded: Collection[lxml.html.HtmlElement] = (),
) -> lxml.html.HtmlElement | None:
    """Put a copy of the post's lead picture, with its caption, at the top of `body`.

    Themes show the featured image above the post, outside the element that holds the body; it
    belongs to the post all the same, and the book has nowhere else to show it. `post` is the
    element holding the whole post (an <article>, the h-entry, <main>); blocks in `excluded`
    (the author's `remove` selectors, the blog's template) are never taken. Returns the copy.
    """
    lead = lead_image(body, post, excluded)
    if lead is None:
        return None
    figure = _figure_of(lead)
    figure.tail = body.text
    body.text = None
    body.insert(0, figure)
    return figure


def lead_image(
    body: lxml.html.HtmlElement,
    post: lxml.html.HtmlElement | None,
    excluded: Collection[lxml.html.HtmlElement] = (),
) -> lxml.html.HtmlElement | None:
    """The theme's lead-picture block of this post, or None (also when the body opens with it)."""
    if post is None or post is body or is_inside(post, body):
        return None
    order = {el: i for i, el in enumerate(post.iter())}
    if body not in order:
        return None
    for css in rules.LEAD_IMAGE_SELECTORS:
        for lead in _compiled(css)(post):
            if order.get(lead, len(order)) >= order[body] or is_inside(body, lead):
                continue  # not in this post, or after its body: another post's thumbnail
            if any(el in excluded for el in (lead, *lead.iterancestors())):
                continue
            picture = lead if lead.tag == "img" else lead.find(".//img")
            if picture is not None:
                return None if _shown_in(picture, body) else lead
    return None


def _figure_of(lead: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    if lead.tag == "figure":
        figure = copy.deepcopy(lead)
    else:
        figure = lxml.html.Element("figure")
        picture = lead if lead.tag == "img" else lead.find(".//img")
        figure.append(copy.deepcopy(picture))
        caption = lead.find(".//figcaption")
        if caption is not None:
            figure.append(copy.deepcopy(caption))
        for el in figure:
            el.tail = None
    figure.tail = None
    return figure


def _shown_in(picture: lxml.html.HtmlElement, body: lxml.html.HtmlElement) -> bool:
    """Whether the body opens with this picture, in any of its sizes (authors often put the
    featured image at the top of the post as well; twice in a row is once too many)."""
    first = next(body.iter("img"), None)
    if first is None:
        return False
    name = _picture_name(real_source(picture) or picture.get("src") or "")
    return bool(name) and name == _picture_name(real_source(first) or first.get("src") or "")


def _picture_name(address: str) -> str:
    """A picture's file name without the size a blog engine added (`-1024x683`, `_800x0_…`)."""
    try:
        stem = urlparse(address).path.rsplit("/", 1)[-1]
    except ValueError:  # no address at all: nothing to compare
        return ""
    return _SIZE_SUFFIX.sub("", stem.rsplit(".", 1)[0]).lower()


@functools.lru_cache(maxsize=32)
def _compiled(css: str) -> etree.XPath:
    # Relative, so only the post's own blocks match.
    return etree.XPath("." + rules.css_to_xpath(css))
