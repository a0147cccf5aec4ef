"""Blog engines recognised by their generator tag and markup, each with where it puts the post.

Once a page is known to come from an engine, that engine's own post-body selectors are tried
before any other rule, and class names that only mean "the post" there (Hugo's `.content`,
Jekyll's `.post-content`) become safe to trust. Data only; `detect_platform` reads a page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.html

from bookmaker.extract.rules import MIN_GENERIC_TEXT, ContentSelector, css_to_xpath


@dataclass(frozen=True)
class Furniture:
    css: str  # in the `rules.css_to_xpath` subset
    label: str  # what it is, for `bookmaker extract --explain`


@dataclass(frozen=True)
class Platform:
    name: str
    # Matched (case-insensitively, from the start) against <meta name="generator" content>.
    generator: str | None = None
    # <meta> tags (name or property, and a pattern for their content) only this engine writes.
    meta: tuple[tuple[str, str], ...] = ()
    # Markup only this engine writes: any match identifies it (the `css_to_xpath` subset).
    markers: tuple[str, ...] = ()
    content: tuple[ContentSelector, ...] = ()
    furniture: tuple[Furniture, ...] = ()


def _body(name: str, *selectors: str, min_text: int = 0) -> tuple[ContentSelector, ...]:
    return tuple(ContentSelector(name, css, min_text=min_text) for css in selectors)


# The more specific first: a block theme is WordPress too, and a Hugo site may use microformats.
PLATFORMS: tuple[Platform, ...] = (
    Platform(
        "WordPress block theme",
        generator="wordpress",
        markers=(".wp-site-blocks",),
        content=_body("WordPress block theme", ".wp-block-post-content", ".entry-content"),
    ),
    Platform(
        "WordPress classic",
        generator="wordpress",
        markers=("#wpadminbar", "body .hentry .entry-content", "link#wp-block-library-css"),
        content=_body(
            "WordPress classic",
            ".entry-content",
            "article .post-content",
            ".post-entry",
            "article .entry",
            min_text=0,
        ),
        furniture=(
            Furniture(".sharedaddy", "Jetpack share and like buttons"),
            Furniture(".jp-relatedposts", "Jetpack related posts"),
            Furniture(".wp-block-post-navigation-link", "previous/next post link"),
        ),
    ),  # fmt: skip
    Platform(
        "Blogger",
        generator="blogger",
        markers=(".blog-posts .post-outer", ".post-body.entry-content"),
        content=_body("Blogger", ".post-body", "[itemprop~=articleBody]"),
        furniture=(
            Furniture(".post-share-buttons", "Blogger share buttons"),
            Furniture(".post-footer", "Blogger post footer"),
        ),
    ),
    Platform(
        "Ghost",
        generator="ghost",
        markers=(".gh-content", ".kg-card"),
        content=_body("Ghost", ".gh-content", ".post-full-content", ".post-content"),
        furniture=(Furniture(".kg-signup-card", "Ghost sign-up card"),),
    ),
    Platform(
        "Substack",
        generator="substack",
        markers=(".available-content", ".post-header .pencraft"),
        content=_body("Substack", ".available-content .body", ".body.markup"),
        furniture=(
            Furniture(".subscription-widget-wrap", "Substack subscribe box"),
            Furniture(".button-wrapper", "Substack button"),
        ),
    ),
    Platform(
        "Medium",
        meta=(("al:android:app_name", "medium"), ("og:site_name", "medium$")),
        markers=("[data-testid=storyTitle]", ".pw-post-body-paragraph"),
        content=_body("Medium", "article", min_text=MIN_GENERIC_TEXT),
        furniture=(
            Furniture(".pw-subtitle-paragraph", "Medium subtitle (the standfirst, not body text)"),
        ),
    ),
    Platform(
        "Tumblr",
        generator="tumblr",
        meta=(("al:android:package", r"com\.tumblr"), ("twitter:site", "@?tumblr$")),
        markers=("#tumblr_controls", "iframe.tmblr-iframe", ".npf_row"),
        content=_body(
            "Tumblr",
            ".post-content .body-text",
            ".post-body-content",
            ".post-content",
            "article .body",
            ".text-post",
        ),
        furniture=(
            Furniture(".notes", "Tumblr notes (likes and reblogs)"),
            Furniture(".post-notes", "Tumblr notes (likes and reblogs)"),
            Furniture(".reblog-header", "Tumblr reblog header"),
            Furniture(".post-tags", "Tumblr tag list"),
        ),
    ),  # fmt: skip
    Platform(
        "Squarespace",
        generator="squarespace",
        markers=(".sqs-layout", "[data-block-type]", ".sqs-block"),
        content=(
            ContentSelector("Squarespace", ".blog-item-content"),
            ContentSelector("Squarespace", ".entry-content .sqs-layout"),
            ContentSelector("Squarespace", ".sqs-block-content", pieces=True),
        ),
        furniture=(
            Furniture(".sqs-block-newsletter", "Squarespace newsletter block"),
            Furniture(".sqs-block-button", "Squarespace button block (a call to action)"),
            Furniture(".blog-item-author-profile-wrapper", "Squarespace author profile"),
        ),
    ),
    Platform(
        "Wix",
        generator="wix",
        markers=("#SITE_CONTAINER", "[data-hook=post-description]", "[data-hook=post-title]"),
        content=_body(
            "Wix",
            "[data-hook=post-description] [data-id=rich-content-viewer]",
            "[data-hook=post-description]",
            ".post-content__body",
        ),
        furniture=(
            Furniture("[data-hook=post-footer]", "Wix post footer"),
            Furniture("[data-hook=recent-posts]", "Wix recent posts"),
            Furniture("[data-hook=post-main-actions-desktop]", "Wix share bar"),
        ),
    ),  # fmt: skip
    Platform(
        "Hugo",
        generator="hugo",
        content=_body(
            "Hugo",
            ".post-content",
            ".article-content",
            ".entry-content",
            ".td-content",
            "article .content",
            ".nested-copy-line-height",
            "article .markdown",
            ".post-body",
            min_text=0,
        ),
        furniture=(
            Furniture(".post-footer .share-buttons", "Hugo theme share buttons"),
            Furniture(".paginav", "Hugo theme previous/next links"),
            Furniture(".toc", "table of contents"),
        ),
    ),  # fmt: skip
    Platform(
        "Jekyll",
        generator="jekyll",
        content=_body(
            "Jekyll",
            "[itemprop~=articleBody]",
            ".post-content",
            ".page__content",
            ".blog-post",
            "article .content",
            ".post",
        ),
        furniture=(
            Furniture(".page__share", "Jekyll theme share buttons"),
            Furniture(".pagination", "Jekyll theme previous/next links"),
        ),
    ),  # fmt: skip
)

_MARKER_XPATHS = {p.name: [css_to_xpath(css) for css in p.markers] for p in PLATFORMS}


def detect_platform(doc: lxml.html.HtmlElement) -> Platform | None:
    """The engine that made the page: its generator tag, else engine-only <meta>, else markup."""
    generators = [g.strip().lower() for g in doc.xpath("//meta[@name='generator']/@content")]
    meta = _meta_tags(doc)
    by_generator = [p for p in PLATFORMS if p.generator and _generated(generators, p.generator)]
    if len(by_generator) == 1:
        return by_generator[0]
    candidates = by_generator or list(PLATFORMS)
    for platform in candidates:
        if any(re.match(pattern, meta.get(name, ""), re.I) for name, pattern in platform.meta):
            return platform
        if any(doc.xpath(xpath) for xpath in _MARKER_XPATHS[platform.name]):
            return platform
    return by_generator[-1] if by_generator else None


def _generated(generators: list[str], name: str) -> bool:
    return any(g.startswith(name) for g in generators)


def _meta_tags(doc: lxml.html.HtmlElement) -> dict[str, str]:
    found: dict[str, str] = {}
    for el in doc.xpath("//meta[@content and (@name or @property)]"):
        key = (el.get("property") or el.get("name") or "").strip().lower()
        found.setdefault(key, el.get("content", "").strip())
    return found


def content_selectors(
    platform: Platform | None, general: tuple[ContentSelector, ...]
) -> tuple[ContentSelector, ...]:
    """The platform's own selectors, then the general ones it does not already list."""
    if platform is None:
        return general
    own = {s.css for s in platform.content}
    return platform.content + tuple(s for s in general if s.css not in own)
