"""Extraction rules as named data: where blog engines put the article, and what is furniture.

Everything a maintainer may want to tune lives here, away from the code that applies it. Class and
id values are matched token by token, and each token word by word (`comments-area` is the words
`comments` and `area`), so `comment` finds `comment-respond` but not `commentary-text`, and `ad`
finds `ad-slot` but never `header`, `read` or `shadow`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# --- Where the article is -------------------------------------------------------------------


# Tried in this order; the first selector that matches an element outside furniture wins. When a
# selector matches several elements, the one with the most text is the article, except for
# engines that cut one article into blocks ("pieces"): there it is their closest common ancestor.
# A small CSS subset: tags, .class, #id, [attr], [attr=value], [attr~=value], descendants.
@dataclass(frozen=True)
class ContentSelector:
    engine: str
    css: str
    pieces: bool = False
    # Generic selectors also match empty wrappers and teasers: they need this much text (or a
    # picture). An engine's own selector is trusted for a one-line post.
    min_text: int = 0


# Characters of text a generic selector's match needs to count as the article.
MIN_GENERIC_TEXT = 80

CONTENT_SELECTORS: tuple[ContentSelector, ...] = (
    ContentSelector("schema.org microdata", "[itemprop~=articleBody]"),
    ContentSelector("WordPress classic", ".entry-content"),
    ContentSelector("WordPress classic", "article .post-content"),
    ContentSelector("WordPress block theme", ".wp-block-post-content"),
    ContentSelector("Blogger", ".post-body"),
    ContentSelector("Ghost", ".gh-content"),
    ContentSelector("Ghost", ".post-content"),
    ContentSelector("Substack", ".available-content .body"),
    ContentSelector("microformats h-entry", ".e-content"),
    ContentSelector("Squarespace", ".blog-item-content"),
    ContentSelector("Squarespace", ".sqs-block-content", pieces=True),
    ContentSelector("Tumblr", ".post-body-content"),
    ContentSelector("Hugo / Jekyll", ".article-content"),
    ContentSelector("Hugo / Jekyll", ".post-text"),
    ContentSelector("generic", "article", min_text=MIN_GENERIC_TEXT),
    ContentSelector("generic", "main", min_text=MIN_GENERIC_TEXT),
    ContentSelector("generic", "[role=main]", min_text=MIN_GENERIC_TEXT),
)

# --- What is furniture ----------------------------------------------------------------------

# Elements dropped whole wherever they appear inside the article.
BOILERPLATE_TAGS = frozenset(
    "nav aside footer header form button input select textarea script style template dialog "
    "menu link meta object embed applet".split()
)
# ARIA landmark roles that never hold the article.
BOILERPLATE_ROLES = frozenset(
    "navigation complementary contentinfo banner search dialog alertdialog menu menubar".split()
)
# Words that mark a class or id token as furniture.
BOILERPLATE_WORDS = frozenset(
    """
    sidebar widget widgets widgettitle secondary
    share shares sharing sharedaddy addtoany sociable social socials
    related relatedposts yarpp recommended linkwithin nrelate zemanta relpost rp4wp
    newsletter subscribe subscription subscribers signup optin mc4wp mailchimp convertkit
    comment comments commentlist respond responses pingback pingbacks trackback trackbacks
    disqus dsq wpdiscuz
    byline author authors bio
    cookie cookies consent gdpr
    footer colophon masthead
    nav navbar navigation breadcrumb breadcrumbs pagination pager
    meta postmeta tags taglist
    ad ads adv advert adverts advertisement advertising adsense adsbygoogle adslot adunit
    wpcnt wpa sponsor sponsors sponsored promo promoted outbrain taboola
    popup modal toolbar clap claps bookmark follow followers
    skip
    gutter lineno linenos
    """.split()
)
# Whole tokens that mark furniture where single words would be too eager.
BOILERPLATE_TOKENS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p)
    for p in (
        r"header",
        r"(site|page|global|top)[-_]?header",
        r"about[-_]?(the[-_]?)?(author|me)",
        r"author[-_]?(box|bio|info|card|wrap|details|profile)",
        r"(post|entry)[-_]?(navigation|nav|links)",
        r"(nav|post)[-_](previous|next|prev)",
        r"prev[-_]?next",
        r"cat[-_]links",
        r"(sub|main|primary|top)[-_]?menu|menu[-_]item",
        r"screen[-_]reader[-_]text|sr[-_]only|visually[-_]hidden",
        r"you[-_]may[-_]also[-_]like|read[-_]next|more[-_]posts",
        r"jp[-_]post[-_]flair",
        r"lnt?",  # line numbers beside highlighted code (Hugo, Pygments)
        r"speechify[-_]ignore",  # Medium marks its own page chrome so text-to-speech skips it
    )
)
# Tokens that describe a state or a taxonomy term, never a region: WordPress puts
# `tag-social-media` on the article itself and `has-sidebar` on the page.
NEUTRAL_TOKEN = re.compile(
    r"(category|tag|format|status|type|label|has|is|with|no|hide|show|single|"
    r"page-template|postid|post-format|wp-embed-aspect|size)[-_].+"
)
# Words that, on an ancestor, put a would-be article out of bounds (the comments, a sidebar, a
# related-posts strip). Narrower than BOILERPLATE_WORDS: Blogger's posts live in a "widget Blog",
# and a wrapper named "post-meta-wrap" must not disqualify everything under it.
REGION_WORDS = frozenset(
    """
    sidebar secondary comment comments commentlist respond responses
    pingback pingbacks trackback related relatedposts yarpp recommended linkwithin footer colophon
    subscribe signup share sharing sharedaddy social disqus wpdiscuz
    ad ads advert advertisement sponsor sponsored promo cookie consent popup modal
    """.split()
)

# Short blocks whose whole text is one of these are share prompts and widget labels.
BOILERPLATE_TEXTS = re.compile(
    r"(share( this( post| article)?)?|like this|like loading\W*|related( posts| articles)?|"
    r"you (may|might) also like|more from (this|the) blog|tweet|pin it|email|"
    r"print( (this|the))?( recipe| post| page)?|jump to (the )?recipe|"
    r"advertisement|advertisements|sponsored( content)?|leave a (reply|comment)|"
    r"subscribe( now)?|sign up|back to top|skip to (main )?content|top highlight)\s*:?",
    re.IGNORECASE,
)
BOILERPLATE_TEXT_MAX = 40

# --- Furniture known by its shape, whatever its class names ------------------------------

# A sign-up box is a form asking for an email address; its heading and pitch go with it, up to
# this much text around the form.
SIGNUP_PITCH_MAX = 240
EMAIL_FIELD = "input[@type='email' or contains(translate(@name, 'EMAIL', 'email'), 'email')]"
# A list of other posts ("More from the journal"): two or more cards (links to pages of the blog
# that each hold a picture and a block of text), beside at most a heading this long. Links to
# pictures (a gallery's) or to other sites (a post's list of favourite books) are no such cards.
POST_LIST_LABEL_MAX = 80
PICTURE_LINK = re.compile(r"\.(jpe?g|png|gif|webp|avif|svg|tiff?|heic)([?#].*)?$", re.IGNORECASE)
# Class words that style a link as a button; alone in its block and pointing into the blog's own
# site, it is a call to action. A button to another site is a reference the post makes.
BUTTON_WORDS = frozenset({"button", "btn", "cta"})
# A link to a file stays even when styled as a button: the download is part of the post.
FILE_LINK = re.compile(
    r"\.(pdf|epub|mobi|zip|gz|docx?|xlsx?|pptx?|od[tsp]|csv|txt|mp3|m4a|ogg|wav|mp4|mov|webm)"
    r"([?#].*)?$",
    re.IGNORECASE,
)
# A dateline beside the title ("Journal · 14 February 2024"): a short block holding a date and at
# most a few other words. Page builders, which have no byline markup, print one.
DATELINE_MAX = 80
DATELINE_OTHER_WORDS = 4
# A sentence ending after the date ("3 March 2014. Rain all day.") opens a diary post: it stays.
SENTENCE_AFTER_DATE = re.compile(r"[^\W\d_][.!?…]")
# A dateline whose date is this far from the page's own date is about another day: it stays.
DATELINE_DAYS_APART = 1
_MONTH = (
    r"(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t(ember)?)?|"
    r"oct(ober)?|nov(ember)?|dec(ember)?)"
)
DATE_IN_TEXT = re.compile(
    rf"\b(\d{{1,2}}(st|nd|rd|th)?\s+{_MONTH}\.?,?\s+\d{{4}}"
    rf"|{_MONTH}\.?\s+\d{{1,2}}(st|nd|rd|th)?,?\s+\d{{4}}"
    r"|\d{4}-\d\d-\d\d|\d{1,2}[./]\d{1,2}[./]\d{4})\b",
    re.IGNORECASE,
)

# Links to a blog's tag and category pages; a block made only of them is the post's term list.
TAXONOMY_LINK = re.compile(
    r"/(tags?|tagged|categor(y|ies)|labels?|topics?|search/label)/[^/?#]+/?(\?.*)?$", re.I
)
# Words that may introduce a term list: "Tags: a, b", "Filed under a".
TAXONOMY_LABEL = re.compile(
    r"(tags?|tagged( with)?|categor(y|ies|ized as)|labels?|topics?|filed under|posted in|in)\b",
    re.I,
)

# Anchors inside headings that only show a permalink sign.
HEADING_ANCHOR_TEXTS = frozenset({"", "#", "¶", "§", "🔗", "link"})

# --- Generic article finding (when no selector matches) ------------------------------------

SCORED_TAGS = frozenset({"p", "pre", "td", "blockquote", "dd", "li", "div", "section"})
MIN_PARAGRAPH_TEXT = 25
MAX_PARAGRAPH_LINK_DENSITY = 0.5
POSITIVE_WORDS = frozenset(
    "article body content entry main post story text blog hentry h-entry prose markdown".split()
)
CLASS_WEIGHT = 25.0
# Climb to the parent while it holds this much more paragraph text than the best block:
# an article split over several sibling divs becomes one.
PARENT_TEXT_RATIO = 1.3

# --- Media ----------------------------------------------------------------------------------

# Where themes show the post's lead picture: above the body, outside it. Looked for only inside
# the post and before its body, so other posts' thumbnails further down never match.
LEAD_IMAGE_SELECTORS = (
    ".wp-block-post-featured-image",  # WordPress block themes
    ".post-thumbnail",  # WordPress classic themes
    ".article-image",  # Ghost Casper, Hugo Stack
    ".gh-article-image",  # Ghost Source
    ".post-full-image",  # older Ghost Casper
    ".gh-feature-image",
    ".feature-image",
    ".featured-image",
    ".entry-cover",  # Hugo PaperMod
)
# Attributes lazy-loading scripts keep the real image address in, most specific first.
LAZY_SRC_ATTRIBUTES = (
    "data-lazy-src",
    "data-src",
    "data-original",
    "data-orig-file",
    "data-large-file",
    "data-url",
    "data-hi-res-src",
)
LAZY_SRCSET_ATTRIBUTES = ("data-lazy-srcset", "data-srcset", "srcset")
# An <img src> like these is a stand-in until a script swaps in the real picture.
PLACEHOLDER_SRC = re.compile(
    r"^(data:|about:blank)|(^|/)(blank|spacer|pixel|placeholder|lazy[-_]?(load|placeholder)?|"
    r"loading|transparent|empty|grey|gray|1x1)(\.min)?\.(gif|png|svg|jpe?g|webp)(\?.*)?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class EmbedProvider:
    label: str  # what the reader is told is missing, e.g. "Video (YouTube)"
    host: re.Pattern[str]  # matched against the iframe's host


EMBED_PROVIDERS: tuple[EmbedProvider, ...] = tuple(
    EmbedProvider(label, re.compile(host))
    for label, host in (
        ("Video (YouTube)", r"(^|\.)(youtube(-nocookie)?\.com|youtu\.be)$"),
        ("Video (Vimeo)", r"(^|\.)vimeo\.com$"),
        ("Video (Dailymotion)", r"(^|\.)dailymotion\.com$"),
        ("Video (TED)", r"(^|\.)ted\.com$"),
        ("Audio (Spotify)", r"(^|\.)spotify\.com$"),
        ("Audio (SoundCloud)", r"(^|\.)soundcloud\.com$"),
        ("Post (X)", r"(^|\.)(twitter|x)\.com$"),
        ("Post (Instagram)", r"(^|\.)instagram\.com$"),
        ("Post (Facebook)", r"(^|\.)facebook\.com$"),
        ("Video (TikTok)", r"(^|\.)tiktok\.com$"),
        ("Map (Google Maps)", r"(^|\.)google\.[a-z.]+$"),
        ("Map (OpenStreetMap)", r"(^|\.)openstreetmap\.org$"),
        ("Code (CodePen)", r"(^|\.)codepen\.io$"),
        ("Slides (Speaker Deck)", r"(^|\.)speakerdeck\.com$"),
    )
)
# Blockquotes that a script turns into a social post; the class names the network.
EMBED_BLOCKQUOTE_CLASSES = {
    "twitter-tweet": "Post (X)",
    "twitter-video": "Video (X)",
    "instagram-media": "Post (Instagram)",
    "tiktok-embed": "Video (TikTok)",
    "bluesky-embed": "Post (Bluesky)",
    "mastodon-embed": "Post (Mastodon)",
}
# Video platforms' player addresses, rewritten to the page a reader can open.
PLAYER_TO_PAGE: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"^https?://(?:www\.)?youtube(?:-nocookie)?\.com/embed/([\w-]+)"),
        r"https://www.youtube.com/watch?v=\1",
    ),
    (re.compile(r"^https?://player\.vimeo\.com/video/(\d+)"), r"https://vimeo.com/\1"),
)
EMBED_TEXT_MAX = 200


# --- Matching -------------------------------------------------------------------------------

_WORD_SPLIT = re.compile(r"[-_\s]+|(?<=[a-z])(?=[A-Z])")


def class_tokens(*values: str | None) -> list[str]:
    """The class, id (and test id) tokens of an element that can describe a region.

    Neutral tokens (states, taxonomy terms) are left out.
    """
    raw = " ".join(v for v in values if v).split()
    return [t for t in raw if not NEUTRAL_TOKEN.fullmatch(t.lower())]


def token_words(token: str) -> set[str]:
    return {w.lower() for w in _WORD_SPLIT.split(token) if w}


def is_boilerplate_token(token: str) -> bool:
    low = token.lower()
    if any(p.fullmatch(low) for p in BOILERPLATE_TOKENS):
        return True
    return bool(token_words(token) & BOILERPLATE_WORDS)


# --- A small CSS subset compiled to XPath --------------------------------------------------

_SIMPLE = re.compile(
    r"(?P<tag>[a-z][a-z0-9]*)?(?P<rest>(?:\.[\w-]+|#[\w-]+|\[[\w-]+(?:[~]?=[\w-]+)?\])*)$"
)
_PART = re.compile(r"\.([\w-]+)|#([\w-]+)|\[([\w-]+)(?:([~]?=)([\w-]+))?\]")


def css_to_xpath(selector: str) -> str:
    """Compile `article .post-content`, `[itemprop=articleBody]` and the like to XPath."""
    steps = []
    for simple in selector.split():
        match = _SIMPLE.match(simple)
        if not match:
            raise ValueError(f"unsupported selector: {selector!r}")
        tests = [_part_test(m) for m in _PART.finditer(match["rest"])]
        steps.append((match["tag"] or "*") + "".join(f"[{t}]" for t in tests))
    return "//" + "//".join(steps)


def _part_test(m: re.Match[str]) -> str:
    class_name, id_value, attr, operator, value = m.groups()
    if class_name:
        return f"contains(concat(' ', normalize-space(@class), ' '), ' {class_name} ')"
    if id_value:
        return f"@id='{id_value}'"
    if operator == "~=":
        return f"contains(concat(' ', normalize-space(@{attr}), ' '), ' {value} ')"
    if operator == "=":
        return f"@{attr}='{value}'"
    return f"@{attr}"
