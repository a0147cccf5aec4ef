"""Plain-text posts: what select-all and copy gives for a blog post page in a browser.

The copy holds the article between pieces of site furniture: a header and menu before the title,
share buttons, sign-up boxes, comments and footers after the article. Reading takes four steps:
strip the navigation, read the head (title, byline, image line, categories), find where the
article ends (the first line that starts a furniture block), and turn the article's blocks of
lines into HTML.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from dateutil import parser as date_parser

from bookmaker.errors import SourceError
from bookmaker.extract.sanitize import clean_fragment
from bookmaker.model import Post
from bookmaker.slug import slugify

log = logging.getLogger(__name__)


class Furniture(NamedTuple):
    """A line that starts a block of site furniture after the article.

    `pattern` must match the whole line (stripped, leading bullet removed). `confirm`, when set,
    must also match one of the next few non-blank lines: it guards patterns an article could
    contain on its own.
    """

    name: str
    pattern: re.Pattern[str]
    confirm: re.Pattern[str] | None = None


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


_MONTH_DAY_YEAR = r"[a-z]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"
_DAY_MONTH_YEAR = r"\d{1,2}(?:st|nd|rd|th)?\s+[a-z]{3,9}\.?,?\s+\d{4}"
_DATE = rf"(?:{_MONTH_DAY_YEAR}|{_DAY_MONTH_YEAR}|\d{{1,2}}/\d{{1,2}}/\d{{2,4}}|\d{{4}}-\d{{2}}-\d{{2}})"
_TIME = r"\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?"
_AGO = r"(?:\d+|an?)\s+(?:second|minute|hour|day|week|month|year)s?\s+ago"
_STAMP = rf"(?:on\s+)?{_DATE}\s*(?:at|@|,|-)?\s*{_TIME}|{_AGO}"

FURNITURE: tuple[Furniture, ...] = (
    Furniture(
        "share.prompt",
        _rx(
            r"(?:share|share this(?: post| article| page| story)?|sharing is caring|like this|"
            r"spread the (?:word|love)|tweet(?: this)?|pin it|email this|print this)\s*[:!.]?"
        ),
    ),
    Furniture(
        "share.button",
        _rx(
            r"(?:click to )?(?:share on|email|print)\s+.{1,60}|\d+\s+shares?|facebook|twitter|"
            r"pinterest|linkedin|reddit|tumblr|whatsapp|pocket|telegram|mastodon|e-?mail|print|"
            r"like|loading(?:\.\.\.|…)"
        ),
    ),
    Furniture(
        "subscribe.prompt",
        _rx(
            r"subscribe(?:\s+(?:to|via|by|for)\s+(?:(?:my|our|the|this)\s+)?(?:blog|newsletter|"
            r"posts?|updates|mailing list|feed|rss|e-?mail)\b.{0,80})?\s*[:!.]?|"
            r"sign up for (?:my|our|the) (?:free )?(?:newsletter|updates|mailing list).{0,80}|"
            r"join [\d,]+ other (?:subscribers|followers|readers).{0,20}|"
            r"never miss a (?:post|thing|update).{0,80}|follow (?:this )?blog(?: via e-?mail)?|"
            r"get (?:my |new |the latest )?(?:posts|updates|articles) (?:by|via|in your) e-?mail"
            r".{0,40}|enter your e-?mail(?: address)?.{0,160}|e-?mail address\s*\*?:?"
        ),
    ),
    Furniture(
        "related",
        _rx(
            r"(?:related(?: posts?| articles?| reading| stories| content)?|(?:popular|recent) "
            r"posts|you (?:may|might) also (?:like|enjoy)|more (?:posts|articles|stories) "
            r"(?:like this|from .{1,60})|read (?:this )?next)\s*:?"
        ),
    ),
    Furniture(
        "author_bio",
        _rx(r"(?:about the (?:author|writer)|author bio|meet the author)(?:\s*[:—–-].{0,600})?"),
    ),
    Furniture(
        "comments.header",
        _rx(
            r"(?:\d+|no|one)\s+(?:comments?|responses?|replies|reactions?)"
            r"(?:\s+(?:to|on)\s+.{1,200})?\s*:?|"
            r"(?:\d+|one)\s+thoughts?(?:\s+on\s+[“\"‘'«].{1,200})?|comments?(?:\s*\(\d+\))?\s*:?|"
            r"leave a (?:reply|comment|response)(?:\s+to\s+.{1,200})?(?:\s*cancel reply)?|"
            r"(?:join|start) the (?:discussion|conversation)\W{0,3}|add (?:a|your) comment|"
            r"comments are closed\.?|your e-?mail address will not be published.{0,120}|"
            r"you must be logged in to post a comment\.?|cancel reply|sort by (?:best|newest|oldest)"
        ),
    ),
    Furniture(
        "comments.author",
        _rx(r".{1,80}?\s+(?:says|said|wrote)\s*:?"),
        confirm=_rx(rf"(?:.{{0,80}}\b)?(?:{_STAMP}|{_DATE})\b.{{0,40}}|reply"),
    ),
    Furniture(
        "comments.author_dated",
        _rx(
            rf".{{1,60}}?\s+(?:on\s+)?{_DATE}\s*(?:at|@|,)\s*{_TIME}(?:\s+(?:said|says|wrote))?"
            rf"\s*:?|.{{1,60}}?\s*[•·|]\s*{_AGO}"
        ),
    ),
    Furniture("comments.timestamp", _rx(_STAMP)),
    Furniture("comments.reply", _rx(r"(?:↓\s*)?reply(?:\s*↓|\s+to\s+.{1,60})?|log in to reply")),
    Furniture(
        "comments.pingback",
        _rx(
            r"(?:trackbacks?|pingbacks?)(?:\s*(?:/|&|and)\s*(?:trackbacks?|pingbacks?))?"
            r"(?:\s*:.*)?|\[(?:\.\.\.|…)\].*"
        ),
    ),
    Furniture(
        "post_nav",
        _rx(
            r"(?:previous|next|prev|older|newer)(?:\s+(?:post|article|entry|story))?"
            r"(?:\s*[:«»‹›←→]\s*.{0,200})?|(?:older|newer)\s+(?:posts|entries)|"
            r"[«‹←].{0,200}|.{0,200}[»›→]"
        ),
    ),
    Furniture(
        "footer.copyright",
        _rx(r"(?:©|\(c\)\s*\d{4}|copyright\s*(?:©|\(c\))?\s*\d{4}).{0,200}|.{0,120}all rights reserved\.?"),
    ),
    Furniture(
        "footer.powered_by",
        _rx(
            r"(?:proudly\s+)?powered by\s+(?:wordpress|blogger|ghost|disqus|squarespace|wix|"
            r"jekyll|hugo|medium|tumblr|typepad|substack)\b.{0,60}|back to top|"
            r"(?:.{1,60}\s)?theme(?::\s*.{1,60})?\s+by\s+.{1,60}"
        ),
    ),
)
# Lines of site navigation a copy may start with, before the title.
NAVIGATION: tuple[re.Pattern[str], ...] = (
    _rx(r"skip to (?:main )?(?:content|navigation)|(?:main|primary|site) (?:menu|navigation)"),
    _rx(r"menu|toggle navigation|open menu|close menu|search(?: for)?\s*:?\s*(?:…|\.\.\.)?"),
    _rx(r"you are here:.*"),
)
MENU_WORDS = frozenset(
    """home|about|about me|about us|blog|contact|contact me|contact us|archive|archives|search|
    subscribe|shop|store|resources|start here|work with me|services|books|podcast|newsletter|rss|
    menu|posts|articles|coaching|faq|portfolio|projects|events|press|speaking|courses|login|
    log in|sign in|categories|tags""".replace("\n", "").replace("    ", "").split("|")
)
_MENU_SPLIT = re.compile(r"\s*[|·•/»›]\s*|\s{2,}|\t")
# An image placeholder line ("Post image for How to Listen") the copy keeps instead of the image.
IMAGE_LINE = _rx(
    r"(?:post image for|featured image(?::|\s+for\b)|(?:header|hero|cover) image(?::|\s+for\b))"
    r".{0,200}|photo by .{1,60} on (?:unsplash|pexels|pixabay)"
)
# Byline and meta-line pieces a theme puts around the author and date.
HEAD_NOISE = _rx(
    r"\d+\s+min(?:ute)?s?\s+read|(?:\d+|no|one)\s+(?:comments?|responses?)|leave a (?:comment|"
    r"reply)|edit|uncategorized|\d+\s+shares?"
)
META_LABELS = {
    "filed under": "categories",
    "categories": "categories",
    "category": "categories",
    "posted in": "categories",
    "topics": "categories",
    "tags": "tags",
    "tagged": "tags",
    "tagged with": "tags",
    "tagged as": "tags",
    "keywords": "tags",
}
_META_LINE = _rx(rf"(?P<label>{'|'.join(sorted(META_LABELS, key=len, reverse=True))})(?P<colon>\s*:)?\s+(?P<items>.+)")
_SEPARATOR = re.compile(r"\s*[|·•—–]\s*|\s+-\s+")
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
