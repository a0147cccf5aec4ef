"""WordPress: the REST API (`/wp-json/wp/v2/posts`) and export files (WXR).

Both carry each post whole, so the book needs no page fetch for them. Decisions:
- Only published posts of type `post` count: drafts, scheduled and private posts, pages and
  attachments never do. The REST API shows anonymous readers published posts only anyway.
- A multi-page post (`<!--nextpage-->`) is one chapter with all its pages in order: the REST
  API's `content.rendered` holds every page (with the marks left in), unlike the feed, which
  holds page 1 only.
- A password-protected post is kept and marked `protected`. The REST API gives no body for it;
  an export has the body (its owner made the export) and keeps it.
- A post without a title is titled from its date: "Untitled post of 2009-09-05".
- An export holds the post as written, before WordPress's rendering: paragraphs are blank-line
  separated text (see `autop`), and `[caption]` and `[embed]` shortcodes are turned into HTML
  here; other shortcodes are left as they are.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lxml import etree

from bookmaker.errors import SourceError
from bookmaker.fetch import Fetcher, FetchError
from bookmaker.log import warn
from bookmaker.model import Page
from bookmaker.sources.refs import (
    PostRef,
    aliases,
    clean_url,
    local_name,
    naming,
    parse_xml,
    plain_text,
    untitled,
    with_query,
    xml_child,
    xml_children,
    xml_text,
)

log = logging.getLogger(__name__)

REST_ACCEPT = "application/json"
PER_PAGE = 100  # the REST API's maximum
MAX_REST_PAGES = 100
_CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
_WXR_NS = re.compile(r"wordpress\.org/export/\d+\.\d+/$")
_NEXTPAGE = re.compile(r"(<p>\s*)?<!--\s*nextpage\s*-->(\s*</p>)?")


# --- REST API ------------------------------------------------------------------------------


def api_root_of(url: str) -> str | None:
    """The REST API root a URL lies under (`…/wp-json/` or `…/?rest_route=/`), if any."""
    if "/wp-json/" in url or url.endswith("/wp-json"):
        return url.split("/wp-json", 1)[0] + "/wp-json/"
    if "rest_route=" in url:
        return url.split("?", 1)[0] + "?rest_route=/"
    return None


def posts_endpoint(api_root: str) -> str:
    """The posts collection of the REST API at `api_root`."""
    if "rest_route=" in api_root:
        return with_query(api_root, rest_route="/wp/v2/posts")
    return f"{api_root.rstrip('/')}/wp/v2/posts"


def read_rest_api(
    fetcher: Fetcher, endpoint: str, *, max_pages: int = MAX_REST_PAGES
) -> list[PostRef]:
    """Every published post the REST API collection at `endpoint` lists, newest first.

    `endpoint` is `posts_endpoint(root)` or a user's own query such as
    `/wp-json/wp/v2/posts?categories=7`; pages of 100 with authors and terms embedded are read
    until `X-WP-TotalPages`.
    """
    url = with_query(endpoint, per_page=PER_PAGE, _embed=1, page=1)
    page = _fetch(fetcher, url)
    total = _int_header(page, "X-WP-TotalPages")
    refs: list[PostRef] = []
    for number in range(2, max_pages + 2):
        items = parse_json(page)
        if not isinstance(items, list):
            raise SourceError(f"{url}: not a list of posts from the WordPress REST API")
        refs.extend(ref for ref in map(rest_post, items) if ref is not None)
        last = number > total if total else len(items) < PER_PAGE
        if last or not items:
            break
        if number > max_pages:
            warn(log, "source.too_many", "%s: stopped after %d pages of posts", endpoint, max_pages)
            break
        url = with_query(endpoint, per_page=PER_PAGE, _embed=1, page=number)
        try:
            page = fetcher.get(url, accept=REST_ACCEPT)
        except FetchError as exc:
            warn(log, "source.rest_page", "%s: %s; later posts are left out", url, exc.message)
            break
    log.debug("%s: %d posts (the API counts %s)", endpoint, len(refs), page.header("X-WP-Total"))
    return refs


def read_rest_post(fetcher: Fetcher, url: str) -> PostRef | None:
    """One post from its REST URL (`…/wp/v2/posts/123`), or None if it is not a public post."""
    joiner = "&" if "?" in url else "?"
    item = parse_json(_fetch(fetcher, f"{url}{joiner}_embed=1"))
    return rest_post(item) if isinstance(item, dict) else None


def rest_post(item: object) -> PostRef | None:
    """A post from one REST API record; None for anything but a published post with a link."""
    if not isinstance(item, dict):
        return None
    if item.get("type", "post") != "post" or item.get("status", "publish") != "publish":
        return None
    link = item.get("link")
    if not isinstance(link, str) or not link:
        return None
    date = wordpress_date(item.get("date"), item.get("date_gmt"))
    content = _mapping(item.get("content"))
    protected = bool(content.get("protected"))
    rendered = content.get("rendered")
    embedded = _mapping(item.get("_embedded"))
    categories, tags = _rest_terms(embedded)
    url = clean_url(link)
    return PostRef(
        url=url,
        title=plain_text(_rendered(item.get("title"))) or untitled(date),
        date=date,
        authors=_names(embedded.get("author"), lambda author: True),
        categories=categories,
        tags=tags,
        html=join_pages(rendered) if isinstance(rendered, str) and not protected else None,
        aliases=aliases(url, _rendered(item.get("guid"))),
        protected=protected,
        source="rest",
    )


def _rest_terms(embedded: dict[str, Any]) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
    groups = embedded.get("wp:term")
    if not isinstance(groups, list):
        return None, None  # only term ids came: the names are unknown
    terms = [term for group in groups if isinstance(group, list) for term in group]
    return (
        _names(terms, lambda term: term.get("taxonomy") == "category"),
        _names(terms, lambda term: term.get("taxonomy") == "post_tag"),
    )


def _names(records: object, wanted: Callable[[dict[str, Any]], bool]) -> tuple[str, ...]:
    """The `name` of each wanted record (an author, a term), as plain text, once each."""
    if not isinstance(records, list):
        return ()
    found = (
        plain_text(str(record.get("name") or ""))
        for record in records
        if isinstance(record, dict) and wanted(record)
    )
    return tuple(dict.fromkeys(name for name in found if name))


def _mapping(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _rendered(field: object) -> str:
    if isinstance(field, dict):
        return str(field.get("rendered") or "")
    return str(field or "")


def _fetch(fetcher: Fetcher, url: str) -> Page:
    try:
        return fetcher.get(url, accept=REST_ACCEPT)
    except FetchError as exc:
        raise SourceError(naming(url, exc.message)) from None


def parse_json(page: Page) -> object:
    """A REST API answer; a SourceError naming the page when it is not JSON."""
    try:
        return json.loads(page.content)
    except (ValueError, RecursionError):
        raise SourceError(f"{page.url}: not a WordPress REST API answer (not JSON)") from None


def _int_header(page: Page, name: str) -> int | None:
    value = (page.header(name) or "").strip()
    return int(value) if value.isdigit() else None


# --- Export files (WXR) --------------------------------------------------------------------


def is_wxr(content: bytes) -> bool:
    head = content[:8192]
    return b"wordpress.org/export/" in head and b"<rss" in head


def read_wxr_file(path: Path) -> list[PostRef]:
    """The published posts of a WordPress export on disk."""
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{path}: cannot read ({exc.strerror})") from None
    return parse_wxr(content, str(path))


def parse_wxr(content: bytes, origin: str) -> list[PostRef]:
    """The published posts of a WordPress export (`origin` names it in messages)."""
    root = parse_xml(content, origin, "WordPress export", recover=True)
    channel = xml_child(root, "channel")
    wp = next((ns for ns in root.nsmap.values() if ns and _WXR_NS.search(ns)), None)
    if local_name(root) != "rss" or channel is None or wp is None:
        raise SourceError(f"{origin}: not a WordPress export (no WXR channel)")
    authors = {
        xml_text(xml_child(a, "author_login", wp)): xml_text(
            xml_child(a, "author_display_name", wp)
        )
        for a in xml_children(channel, "author", wp)
    }
    refs = [_wxr_post(item, wp, authors) for item in xml_children(channel, "item")]
    return [ref for ref in refs if ref is not None]


def _wxr_post(item: etree._Element, wp: str, authors: dict[str, str]) -> PostRef | None:
    def field(name: str) -> str:
        return xml_text(xml_child(item, name, wp))

    link = xml_text(xml_child(item, "link"))
    if field("post_type") != "post" or field("status") != "publish" or not link:
        return None
    date = wordpress_date(field("post_date"), field("post_date_gmt"))
    terms = [(el.get("domain"), xml_text(el)) for el in xml_children(item, "category")]
    creator = xml_text(xml_child(item, "creator"))
    url = clean_url(link)
    return PostRef(
        url=url,
        title=plain_text(xml_text(xml_child(item, "title"))) or untitled(date),
        date=date,
        authors=(authors.get(creator) or creator,) if creator else (),
        categories=tuple(dict.fromkeys(name for domain, name in terms if domain == "category")),
        tags=tuple(dict.fromkeys(name for domain, name in terms if domain == "post_tag")),
        html=export_body(xml_text(xml_child(item, "encoded", _CONTENT_NS))),
        aliases=aliases(url, xml_text(xml_child(item, "guid"))),
        protected=bool(field("post_password")),
        source="wxr",
    )


# --- Shared --------------------------------------------------------------------------------


def wordpress_date(local: object, gmt: object) -> dt.datetime | None:
    """A post date with the site's UTC offset, from WordPress's local and GMT date fields."""
    when = _naive(local)
    utc = _naive(gmt)
    if when is None:
        return utc.replace(tzinfo=dt.UTC) if utc else None
    if utc is None:
        return when
    offset = when - utc
    if abs(offset) > dt.timedelta(hours=18) or offset.seconds % 60:
        return when
    return when.replace(tzinfo=dt.timezone(offset))


def _naive(value: object) -> dt.datetime | None:
    # Drafts carry "0000-00-00 00:00:00" as their GMT date.
    if not isinstance(value, str) or not value or value.startswith("0000"):
        return None
    try:
        return dt.datetime.fromisoformat(value.strip()).replace(tzinfo=None)
    except ValueError:
        return None


def join_pages(body: str) -> str:
    """A multi-page post's pages as one body: the `<!--nextpage-->` marks taken out."""
    return _NEXTPAGE.sub("", body)


_BLOCK_TAGS = (
    "address|article|aside|blockquote|details|div|dl|fieldset|figcaption|figure|footer|form|"
    "h[1-6]|header|hr|iframe|li|menu|nav|ol|p|pre|section|table|tbody|td|tfoot|th|thead|tr|ul|"
    "audio|video|object|script|style"
)
_STARTS_BLOCK = re.compile(rf"^(<!--|</?({_BLOCK_TAGS})[\s/>])", re.I)
_PRE = re.compile(r"<pre[\s>].*?</pre>", re.I | re.S)
_CAPTION = re.compile(r"\[caption[^\]]*\](.*?)\[/caption\]", re.S)
_EMBED = re.compile(r"\[embed[^\]]*\](.*?)\[/embed\]", re.S)
_CAPTION_IMAGE = re.compile(r"^\s*((?:<a[^>]*>)?\s*<img[^>]*>\s*(?:</a>)?)(.*)$", re.S)


def export_body(raw: str) -> str:
    """A post body from an export as WordPress would show it: pages joined, paragraphs made."""
    body = _shortcodes(join_pages(raw))
    # The block editor stores finished HTML; WordPress adds paragraphs to classic posts only.
    return body if "<!-- wp:" in body else autop(body)


def autop(text: str) -> str:
    """Blank-line separated text as paragraphs, and single newlines as line breaks.

    A short form of WordPress's wpautop: a chunk that starts with a block element is left alone,
    and the inside of <pre> keeps its newlines.
    """
    kept: list[str] = []

    def keep(match: re.Match[str]) -> str:
        kept.append(match.group(0))
        return f"\n\n<pre>\x00{len(kept) - 1}\x00</pre>\n\n"

    text = _PRE.sub(keep, text.replace("\r\n", "\n"))
    paragraphs = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        chunk = chunk.strip()
        if chunk and not _STARTS_BLOCK.match(chunk):
            chunk = "<p>" + re.sub(r"\s*\n\s*", "<br />\n", chunk) + "</p>"
        paragraphs.append(chunk)
    body = "\n".join(p for p in paragraphs if p)
    return re.sub(r"<pre>\x00(\d+)\x00</pre>", lambda m: kept[int(m.group(1))], body)


def _shortcodes(body: str) -> str:
    def caption(match: re.Match[str]) -> str:
        parts = _CAPTION_IMAGE.match(match.group(1))
        if not parts:
            return match.group(1)
        text = parts.group(2).strip()
        figcaption = f"<figcaption>{text}</figcaption>" if text else ""
        return f"<figure>{parts.group(1).strip()}{figcaption}</figure>"

    body = _CAPTION.sub(caption, body)

    def embed(match: re.Match[str]) -> str:
        address = html.escape(match.group(1).strip())
        return f'<p><a href="{address}">{address}</a></p>'

    return _EMBED.sub(embed, body)
