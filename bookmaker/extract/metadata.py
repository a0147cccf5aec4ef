"""What a page says about its post: title, authors, dates, taxonomy, language, address, picture.

Sources are read in order of trust and the first one that knows a field wins: JSON-LD, then
OpenGraph and other <meta> tags, then schema.org microdata and microformats (h-entry, rel-tag),
then <time> elements, then bylines, and last the date in the post's address.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlparse

import dateutil.parser
import lxml.html

from bookmaker.extract.jsonld import JsonLdGraph

META_TITLE = ("og:title", "twitter:title", "dc.title", "dcterms.title")
META_AUTHOR = ("author", "article:author", "dc.creator", "dcterms.creator", "citation_author")
META_PUBLISHED = (
    "article:published_time", "og:published_time", "datepublished", "pubdate", "publish-date",
    "publish_date", "date", "dc.date", "dc.date.issued", "dcterms.created", "dcterms.issued",
)  # fmt: skip
META_UPDATED = ("article:modified_time", "og:updated_time", "datemodified", "dcterms.modified")
META_IMAGE = ("og:image", "og:image:url", "og:image:secure_url", "twitter:image")
# Elements whose text names the author, by class; `rel=author` links count too.
BYLINE_CLASSES = (
    "byline", "author", "post-author", "author-name", "entry-author", "p-author",
    "wp-block-post-author-name", "wp-block-post-author__name", "article-author",
)  # fmt: skip
# Taxonomy links (rel=tag) inside an element with one of these class words are categories.
CATEGORY_WORDS = frozenset({"category", "categories", "cat", "section"})
BYLINE_NAME_XPATH = (
    ".//*[contains(concat(' ', normalize-space(@class), ' '), ' fn ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' p-name ')"
    " or @itemprop='name' or contains(concat(' ', normalize-space(@rel), ' '), ' author ')]"
)
BYLINE_PREFIX = re.compile(r"^(posted|written|published)?\s*by\s*:?\s+", re.IGNORECASE)
BYLINE_CUT = re.compile(r"\s+(?:on|in|at)\s+|\s*[·|•,—–]\s*|\s+-\s+")
MAX_AUTHOR_WORDS = 6
URL_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?!\d)")
TITLE_SEPARATOR = re.compile(r"\s+(?:[|–—·»~]|-|::)\s+|:\s+")
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
EARLIEST_YEAR, LATEST_YEAR = 1990, 2100


@dataclass(frozen=True)
class Metadata:
    title: str = ""
    authors: tuple[str, ...] = ()
    date: dt.datetime | None = None
    updated: dt.datetime | None = None
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    language: str | None = None
    url: str | None = None
    image: str | None = None
    site_name: str = ""


def read_metadata(
    doc: lxml.html.HtmlElement, url: str | None = None, scope: lxml.html.HtmlElement | None = None
) -> Metadata:
    """Read the post's metadata from a whole page; `scope` is the element holding the post."""
    scope = doc if scope is None else scope
    found = _merge(
        _from_json_ld(doc),
        _from_meta_tags(doc),
        _from_microdata(scope),
        _from_microformats(scope),
        _from_time_elements(scope),
        _from_bylines(scope),
        _from_document(doc),
    )
    address = _absolute(found.url, url) or url
    title = strip_site_name(found.title, found.site_name)
    if title == found.title:
        title = _title_matching_heading(doc, title)
    return dataclasses.replace(
        found,
        title=title,
        url=address,
        image=_absolute(found.image, url),
        date=found.date or date_in_url(address),
        language=normalise_language(found.language),
    )


def _merge(*layers: Metadata) -> Metadata:
    """Each field from the first (most trusted) layer that has it."""
    empty = Metadata()
    values: dict[str, Any] = {}
    for f in dataclasses.fields(Metadata):
        found = (getattr(m, f.name) for m in layers)
        values[f.name] = next((v for v in found if v), getattr(empty, f.name))
    return Metadata(**values)


# --- JSON-LD --------------------------------------------------------------------------------


def _from_json_ld(doc: lxml.html.HtmlElement) -> Metadata:
    graph = JsonLdGraph.from_page(doc)
    node, site = graph.post(), graph.site()
    if node is None:
        return Metadata(site_name=graph.name(site))
    return Metadata(
        title=_clean(graph.text(node.get("headline") or node.get("name"))),
        authors=_names(graph.names(node.get("author") or node.get("creator"))),
        date=parse_date(graph.text(node.get("datePublished") or node.get("dateCreated"))),
        updated=parse_date(graph.text(node.get("dateModified"))),
        categories=_unique(graph.texts(node.get("articleSection"))),
        tags=_unique(graph.keywords(node.get("keywords"))),
        language=graph.text(node.get("inLanguage")) or None,
        url=graph.url(node.get("url")) or graph.url(node.get("mainEntityOfPage")) or None,
        image=graph.url(node.get("image")) or graph.url(node.get("thumbnailUrl")) or None,
        site_name=graph.name(site) or graph.name(node.get("publisher")),
    )


# --- <meta> tags ----------------------------------------------------------------------------


def _from_meta_tags(doc: lxml.html.HtmlElement) -> Metadata:
    meta: dict[str, list[str]] = {}
    for el in doc.xpath("//meta[@content and (@property or @name)]"):
        key = (el.get("property") or el.get("name") or "").strip().lower()
        meta.setdefault(key, []).append(el.get("content", "").strip())

    def first(keys: Iterable[str]) -> str:
        return next((meta[k][0] for k in keys if meta.get(k) and meta[k][0]), "")

    canonical = doc.xpath("//link[@href][contains(concat(' ', @rel, ' '), ' canonical ')]/@href")
    authors = next((v for k in META_AUTHOR if (v := _names(meta.get(k, [])))), ())
    language = first(["og:locale", "dc.language", "content-language"])
    language = language or _http_equiv(doc, "content-language")
    return Metadata(
        title=_clean(first(META_TITLE)),
        authors=authors,
        date=parse_date(first(META_PUBLISHED)),
        updated=parse_date(first(META_UPDATED)),
        categories=_unique(meta.get("article:section", [])),
        tags=_unique(meta.get("article:tag", [])),
        language=language or None,
        url=(canonical[0].strip() if canonical else "") or first(["og:url"]) or None,
        image=first(META_IMAGE) or None,
        site_name=_clean(first(["og:site_name", "application-name"])),
    )


def _http_equiv(doc: lxml.html.HtmlElement, name: str) -> str:
    for el in doc.xpath("//meta[@http-equiv][@content]"):
        if el.get("http-equiv", "").lower() == name:
            return el.get("content", "").strip()
    return ""


# --- microdata, microformats, <time>, bylines ------------------------------------------------


def _from_microdata(scope: lxml.html.HtmlElement) -> Metadata:
    def prop(name: str) -> str:
        test = f"contains(concat(' ', normalize-space(@itemprop), ' '), ' {name} ')"
        found = scope.xpath(f".//*[{test}]")
        return _property_value(found[0]) if found else ""

    author_els = scope.xpath(".//*[@itemprop='author' or @itemprop='creator']")
    return Metadata(
        title=_clean(prop("headline")),
        authors=_names(_byline_name(el) for el in author_els),
        date=parse_date(prop("datePublished")),
        updated=parse_date(prop("dateModified")),
    )


def _from_microformats(scope: lxml.html.HtmlElement) -> Metadata:
    entry = _entry(scope)
    root = entry if entry is not None else scope
    name = _first(root, ".p-name", ".entry-title")
    authors = [_byline_name(el) for el in _all(root, ".p-author") or _all(root, ".author")]
    published = _first(root, ".dt-published", ".published")
    updated = _first(root, ".dt-updated", ".updated")
    categories, tags = _taxonomy_links(root)
    tags += [_text(el) for el in _all(root, ".p-category")]
    return Metadata(
        title=_clean(_text(name)) if name is not None else "",
        authors=_names(authors) if entry is not None else (),
        date=parse_date(_property_value(published)) if published is not None else None,
        updated=parse_date(_property_value(updated)) if updated is not None else None,
        categories=_unique(categories),
        tags=_unique(tags),
    )


def _entry(scope: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The h-entry describing the post: the scope itself, or on a whole page the first one.

    Inside a narrower scope, a nested entry is another post (a "more posts" list), not this one.
    """
    if {"h-entry", "hentry"} & set((scope.get("class") or "").split()):
        return scope
    if scope.getparent() is not None:
        return None
    return _first(scope, ".h-entry", ".hentry")


def _taxonomy_links(root: lxml.html.HtmlElement) -> tuple[list[str], list[str]]:
    """rel=tag and rel=category links; block themes mark category links rel=tag too."""
    categories, tags = [], []
    for link in root.xpath(".//a[@rel]"):
        rel = link.get("rel", "").split()
        if "category" in rel or ("tag" in rel and _in_category_list(link, root)):
            categories.append(_text(link))
        elif "tag" in rel:
            tags.append(_text(link))
    return categories, tags


def _in_category_list(link: lxml.html.HtmlElement, root: lxml.html.HtmlElement) -> bool:
    for parent in link.iterancestors():
        words = set(re.split(r"[-_\s]+", (parent.get("class") or "").lower()))
        if words & CATEGORY_WORDS:
            return True
        if parent is root:
            break
    return False


def _from_time_elements(scope: lxml.html.HtmlElement) -> Metadata:
    published, updated = None, None
    for el in scope.xpath(".//time"):
        when = parse_date(el.get("datetime") or _text(el))
        if when is None:
            continue
        if re.search(r"updated|modified", el.get("class", ""), re.IGNORECASE):
            updated = updated or when
        else:
            published = published or when
    return Metadata(date=published, updated=updated)


def _from_bylines(scope: lxml.html.HtmlElement) -> Metadata:
    tests = [_class_test(name) for name in BYLINE_CLASSES]
    tests.append("contains(concat(' ', normalize-space(@rel), ' '), ' author ')")
    for el in scope.xpath(f".//*[{' or '.join(tests)}]"):
        name = _byline_name(el)
        if name:
            return Metadata(authors=_names(re.split(r"\s+(?:and|&)\s+", name)))
    return Metadata()


def _byline_name(el: lxml.html.HtmlElement) -> str:
    inner = el.xpath(BYLINE_NAME_XPATH)
    text = _text(inner[0]) if inner else (el.get("content") or _text(el))
    text = BYLINE_PREFIX.sub("", text)
    text = BYLINE_CUT.split(text, maxsplit=1)[0].strip()
    return text if 0 < len(text.split()) <= MAX_AUTHOR_WORDS else ""


def _from_document(doc: lxml.html.HtmlElement) -> Metadata:
    titles = doc.xpath("//title")
    headings = doc.xpath("//h1")
    title = _text(titles[0]) if titles else ""
    return Metadata(
        title=_clean(title or (_text(headings[0]) if headings else "")),
        language=(doc.get("lang") or doc.get("xml:lang") or "").strip() or None,
    )


# --- values ---------------------------------------------------------------------------------


def parse_date(text: str | None) -> dt.datetime | None:
    """Parse an ISO 8601 or human date; None for anything without a plausible calendar date."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        when = dateutil.parser.isoparse(text)
    except (ValueError, OverflowError):
        try:
            when = dateutil.parser.parse(text, default=dt.datetime(1, 1, 1))
        except (ValueError, OverflowError, TypeError):
            return None
    return when if EARLIEST_YEAR <= when.year <= LATEST_YEAR else None


def date_in_url(url: str | None) -> dt.datetime | None:
    """The date a permalink like /2013/11/19/slug/ carries, if any."""
    match = URL_DATE.search(urlparse(url).path) if url else None
    if not match:
        return None
    try:
        year, month, day = (int(g) for g in match.groups())
        return dt.datetime(year, month, day)
    except ValueError:
        return None


def strip_site_name(title: str, site_name: str) -> str:
    """Drop a " | Site" or "Site: " part from a title when it names the site."""
    separators = list(TITLE_SEPARATOR.finditer(title))
    site = site_name.strip().casefold()
    if not separators or not site:
        return title
    last, first = separators[-1], separators[0]
    if title[last.end() :].strip().casefold() == site:
        return title[: last.start()].strip()
    if title[: first.start()].strip().casefold() == site:
        return title[first.end() :].strip()
    return title


def _title_matching_heading(doc: lxml.html.HtmlElement, title: str) -> str:
    """Without a known site name, "Post – Site" is trimmed only when a heading says "Post"."""
    parts = TITLE_SEPARATOR.split(title)
    if len(parts) < 2:
        return title
    headings = {_text(h).casefold() for h in doc.xpath("//h1 | //h2")}
    return parts[0] if parts[0].casefold() in headings else title


def normalise_language(value: str | None) -> str | None:
    """A BCP 47 tag in its usual case ("en_us" becomes "en-US"), or None if it is not one."""
    tag = (value or "").strip().replace("_", "-").split(",")[0].strip()
    if not LANGUAGE_TAG.match(tag):
        return None
    first, *rest = tag.split("-")
    cased = [p.upper() if len(p) == 2 else p.title() if len(p) == 4 else p.lower() for p in rest]
    return "-".join([first.lower(), *cased])


def _property_value(el: lxml.html.HtmlElement) -> str:
    for attr in ("datetime", "content", "title"):
        if el.get(attr):
            return el.get(attr).strip()
    return _text(el)


def _first(root: lxml.html.HtmlElement, *css_classes: str) -> lxml.html.HtmlElement | None:
    """The first element with the first of these classes that any element has."""
    for css_class in css_classes:
        found = _all(root, css_class)
        if found:
            return found[0]
    return None


def _all(root: lxml.html.HtmlElement, css_class: str) -> list[lxml.html.HtmlElement]:
    name = css_class.lstrip(".")
    test = _class_test(name)
    own = [root] if root.get("class") and name in root.get("class", "").split() else []
    return own + root.xpath(f".//*[{test}]")


def _class_test(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def _text(el: lxml.html.HtmlElement) -> str:
    return " ".join(el.text_content().split())


def _clean(text: str) -> str:
    return " ".join(html.unescape(text).split())


def _names(values: Iterable[str]) -> tuple[str, ...]:
    names = (BYLINE_PREFIX.sub("", _clean(v)) for v in values if v)
    return _unique(n for n in names if n and not _is_address(n))


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for value in values:
        text = _clean(value)
        if text and text.casefold() not in seen:
            seen[text.casefold()] = text
    return tuple(seen.values())


def _is_address(text: str) -> bool:
    return bool(re.match(r"^(https?://|www\.|@)|\S+@\S+\.\S+$", text.strip()))


def _absolute(address: str | None, base: str | None) -> str | None:
    if not address:
        return None
    try:
        return urljoin(base, address) if base else address
    except ValueError:  # "http://[broken": no address at all
        return None
