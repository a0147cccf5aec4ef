"""JSON-LD as pages carry it: one object, a list, or a Yoast-style `@graph` whose nodes refer to
each other by `@id`; values that may be a string, an object with a name, or a list of either."""

from __future__ import annotations

import html
import json
import logging
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import lxml.html

log = logging.getLogger(__name__)

ARTICLE_TYPES = frozenset(
    "Article BlogPosting NewsArticle TechArticle Report ScholarlyArticle SocialMediaPosting "
    "LiveBlogPosting OpinionNewsArticle ReportageNewsArticle AnalysisNewsArticle".split()
)
PAGE_TYPES = frozenset({"WebPage", "ItemPage"})
_WRAPPERS = re.compile(r"^\s*(<!--|//\s*<!\[CDATA\[)|(-->|//\s*\]\]>)\s*$")

Node = dict[str, Any]


class JsonLdGraph:
    """Every typed node of a page's JSON-LD blocks, with `@id` references resolvable."""

    def __init__(self, nodes: list[Node]) -> None:
        self.nodes = nodes
        self.by_id = {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str)}

    @classmethod
    def from_page(cls, doc: lxml.html.HtmlElement) -> JsonLdGraph:
        nodes: list[Node] = []
        for script in doc.xpath("//script[@type='application/ld+json']"):
            try:
                data = json.loads(_WRAPPERS.sub("", script.text or ""))
            except (ValueError, RecursionError):  # hostile pages nest arrays thousands deep
                log.debug("ignoring unreadable JSON-LD block")
                continue
            nodes.extend(_flatten(data))
        return cls(nodes)

    def post(self) -> Node | None:
        """The node describing the post: an article type, else the web page."""
        posts = [n for n in self.nodes if types(n) & ARTICLE_TYPES]
        pages = [n for n in self.nodes if types(n) & PAGE_TYPES]
        found = posts or pages
        return found[0] if found else None

    def site(self) -> Node | None:
        return next((n for n in self.nodes if "WebSite" in types(n)), None)

    def resolve(self, value: Any) -> Any:
        if isinstance(value, dict) and "@id" in value and len(value) <= 2:
            return self.by_id.get(value["@id"], value)
        return value

    def text(self, value: Any) -> str:
        value = self.resolve(value[0] if isinstance(value, list) and value else value)
        if isinstance(value, dict):
            value = value.get("name") or value.get("alternateName") or value.get("@value")
        return html.unescape(str(value)).strip() if value else ""

    def texts(self, value: Any) -> list[str]:
        items = value if isinstance(value, list) else [value]
        return [t for t in (self.text(v) for v in items) if t]

    def keywords(self, value: Any) -> list[str]:
        if isinstance(value, str):
            return [k.strip() for k in html.unescape(value).split(",") if k.strip()]
        return self.texts(value)

    def name(self, value: Any) -> str:
        value = self.resolve(value)
        return self.text(value.get("name")) if isinstance(value, dict) else self.text(value)

    def names(self, value: Any) -> list[str]:
        items = value if isinstance(value, list) else [value]
        return [n for n in (self.name(v) for v in items if v) if n]

    def url(self, value: Any) -> str:
        value = self.resolve(value[0] if isinstance(value, list) and value else value)
        if isinstance(value, dict):
            value = value.get("url") or value.get("contentUrl") or value.get("@id") or ""
        address = str(value).split("#", 1)[0].strip() if value else ""
        try:
            scheme = urlparse(address).scheme
        except ValueError:  # "http://[broken": no address at all
            return ""
        return address if scheme in ("http", "https", "") else ""


def types(node: Node) -> set[str]:
    kind = node.get("@type", ())
    return {str(t).rsplit("/", 1)[-1] for t in ([kind] if isinstance(kind, str) else kind)}


def _flatten(data: Any) -> Iterator[Node]:
    if isinstance(data, list):
        for item in data:
            yield from _flatten(item)
    elif isinstance(data, dict):
        if "@type" in data:
            yield data
        if "@graph" in data:
            yield from _flatten(data["@graph"])
