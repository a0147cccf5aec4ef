"""Site furniture and navigation in a copied blog post page, kept as named data.

The plain-text loader (`bookmaker.sources.text`) reads a page copy with these: the lines of a site
header and menu before the title, the noise around a byline, and the lines that start a block of
furniture after the article (share rows, sign-up boxes, comments, footers). A theme the loader does
not know yet is taught here, by adding a pattern; the few functions at the end apply the data.
"""

from __future__ import annotations

import re
from typing import NamedTuple


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


def _rule(name: str, *alternatives: str, confirm: str = "") -> Furniture:
    return Furniture(name, _rx("|".join(alternatives)), _rx(confirm) if confirm else None)


# Dates and times as themes print them over comments; the byline reader needs TIME too.
_MONTH_DAY_YEAR = r"[a-z]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"
_DAY_MONTH_YEAR = r"\d{1,2}(?:st|nd|rd|th)?\s+[a-z]{3,9}\.?,?\s+\d{4}"
_NUMERIC_DATE = r"\d{1,2}/\d{1,2}/\d{2,4}|\d{4}-\d{2}-\d{2}"
_DATE = rf"(?:{_MONTH_DAY_YEAR}|{_DAY_MONTH_YEAR}|{_NUMERIC_DATE})"
TIME = r"\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?"
_AGO = r"(?:\d+|an?)\s+(?:second|minute|hour|day|week|month|year)s?\s+ago"
_STAMP = rf"(?:on\s+)?{_DATE}\s*(?:at|@|,|-)?\s*{TIME}"
_QUOTED = r"[“\"‘'«].{1,200}[”\"’'»]"
_NETWORK = (
    r"facebook|twitter|x|pinterest|linkedin|reddit|tumblr|whatsapp|pocket|telegram|mastodon|"
    r"e-?mail|print|threads|bluesky|more"
)
_SHARE_ON = r"(?:click to )?share (?:on|to|via)\s+.{1,60}"

# Each rule matches a whole line, so a sentence that merely mentions comments or subscribing
# never ends the article.
FURNITURE: tuple[Furniture, ...] = (
    _rule(
        "share.prompt",
        r"(?:share|share this(?: post| article| page| story)?|sharing is caring)\s*[:!.]?",
        r"(?:spread the (?:word|love)|tweet(?: this)?|pin it|email this|print this)\s*[:!.]?",
    ),
    _rule(
        "share.button",
        _SHARE_ON,
        r"click to (?:email|print).{0,60}",
        r"blogthis!|\d+\s+shares?|like\s+loading.{0,3}",
    ),
    # "Like this:" could lead into an example; WordPress follows it with its like button.
    _rule(
        "share.likes",
        r"like this\s*:?",
        confirm=r"like|(?:like\s+)?loading.{0,3}|be the first to like this\.?|.{0,40} like this\.?",
    ),
    # A network's name alone could be a line of an article; two in a row are a share row.
    _rule("share.network", _NETWORK, confirm=rf"{_NETWORK}|{_SHARE_ON}"),
    _rule(
        "subscribe.prompt",
        r"subscribe(?:\s+(?:to|via|by|for)\s+(?:(?:my|our|the|this)\s+)?(?:blog|newsletter|posts?|"
        r"updates|mailing list|feed|rss|e-?mail)\b.{0,80})?\s*[:!.]?",
        r"subscribe(?: now| today)? to [^.,;!?]{1,60}[:!]?",
        r"subscribe to:.{0,80}",
        r"sign up for (?:my|our|the) (?:free )?(?:newsletter|updates|mailing list).{0,80}",
        r"join [\d,]+ other (?:subscribers|followers|readers).{0,20}",
        r"never miss a (?:post|thing|update).{0,80}",
        r"follow (?:this )?blog(?: via e-?mail)?",
        r"get (?:my |new |the latest )?(?:posts|updates|articles) (?:by|via|in your) e-?mail"
        r".{0,40}",
        r"enter your e-?mail(?: address)?[:.]?",
        r"enter your e-?mail.{0,160}\b(?:subscribe|posts?|newsletter|updates|notifications|inbox)"
        r"\b.{0,120}",
        r"e-?mail address\s*\*?:?",
    ),
    _rule(
        "related",
        r"(?:related(?: posts?| articles?| reading| stories| content)?|(?:popular|recent) posts|"
        r"you (?:may|might) also (?:like|enjoy)|read (?:this )?next)\s*:?",
        r"more (?:posts|articles|stories) (?:like this|from .{1,60})\s*:?",
    ),
    _rule(
        "author_bio",
        r"(?:about the (?:author|writer)|author bio|meet the author)(?:\s*[:—–-].{0,600})?",
    ),
    _rule(
        "comments.header",
        rf"(?:\d+|no|one)\s+(?:comments?|responses?|replies|reactions?|thoughts?)"
        rf"(?:\s+(?:to|on)\s+{_QUOTED})?\s*:?",
        r"comments?(?:\s*\(\d+\))?\s*:?|no responses yet|comments are closed\.?",
        r"leave a (?:reply|comment|response)|post a comment|add (?:a|your) comment",
        r"leave a reply to (?:.{1,60}cancel reply|[^.!?]{1,40})|cancel reply",
        r"(?:join|start) the (?:discussion|conversation)\W{0,3}|sort by (?:best|newest|oldest)",
        r"your e-?mail address will not be published.{0,120}",
        r"you must be logged in to post a comment\.?",
    ),
    _rule(
        "comments.author",
        r".{1,80}?\s+(?:says|said|wrote)\s*:",
        confirm=rf"(?:.{{0,80}}\b)?(?:{_DATE}|{_AGO})\b.{{0,40}}|reply",
    ),
    _rule(
        "comments.author_dated",
        rf".{{1,60}}?\s+(?:on\s+)?{_DATE}\s*(?:at|@|,)\s*{TIME}(?:\s+(?:said|says|wrote))?\s*:?",
        rf".{{1,60}}?\s*[•·|]\s*{_AGO}",
    ),
    _rule("comments.timestamp", _STAMP),
    _rule("comments.reply", r"(?:↓\s*)?reply(?:\s*↓|\s+to\s+.{1,60})?|log in to reply"),
    _rule(
        "comments.pingback",
        r"(?:trackbacks?|pingbacks?)(?:\s*(?:/|&|and)\s*(?:trackbacks?|pingbacks?))?(?:\s*:.*)?",
        r"\[(?:\.\.\.|…)\].*",
    ),
    _rule(
        "post_nav",
        r"(?:previous|next|prev|older|newer)(?:\s+(?:post|article|entry|story))?"
        r"(?:\s*[:«»‹›←→]\s*.{0,200})?",
        r"(?:older|newer)\s+(?:posts|entries)|(?:(?:newer|older) posts?\s*){1,2}(?:home)?",
        # "« Older", "Newer »"; a phrase in guillemets (« oui ») is not a link.
        r"[«‹←][^»›→]{0,80}|[^«‹←]{0,80}[»›→]",
    ),
    _rule(
        "footer.copyright",
        r"(?:©|\(c\)\s*\d{4}|copyright\s*(?:©|\(c\))?\s*\d{4}).{0,200}",
        r".{0,120}all rights reserved\.?",
    ),
    _rule(
        "footer.powered_by",
        r"(?:proudly\s+)?powered by\s+(?:wordpress|blogger|ghost|disqus|squarespace|wix|jekyll|"
        r"hugo|medium|tumblr|typepad|substack)\b.{0,60}",
        r"back to top|theme(?::\s*.{1,60})?\s+by\s+[^.]{1,40}",
    ),
)
# Lines of site navigation a copy may start with, before the title.
NAVIGATION: tuple[re.Pattern[str], ...] = (
    _rx(r"skip to (?:main )?(?:content|navigation)|(?:main|primary|site) (?:menu|navigation)"),
    _rx(r"menu|toggle navigation|open menu|close menu|search(?: for)?\s*:?\s*(?:…|\.\.\.)?"),
    _rx(r"you are here:.*"),
)
MENU_WORDS = frozenset(
    word.strip()
    for word in """home|about|about me|about us|blog|contact|contact me|contact us|archive|archives|
    search|subscribe|shop|store|resources|start here|work with me|services|books|podcast|newsletter|
    rss|menu|posts|articles|coaching|faq|portfolio|projects|events|press|speaking|courses|talks|
    login|log in|sign in|categories|tags""".split("|")
)
# What separates the items of a menu copied onto one line ("Home | About | Contact").
MENU_SPLIT = re.compile(r"\s*[|·•/»›]\s*|\s{2,}|\t")
# An image placeholder line ("Post image for How to Listen") the copy keeps instead of the image.
IMAGE_LINE = _rx(
    r"(?:post image for|featured image(?::|\s+for\b)|(?:header|hero|cover) image(?::|\s+for\b))"
    r".{0,200}|photo by .{1,60} on (?:unsplash|pexels|pixabay)"
)
# Byline and meta-line pieces a theme puts around the author and date.
HEAD_NOISE = _rx(
    r"\d+\s+min(?:ute)?s?\s+read|(?:\d+|no|one)\s+(?:comments?|responses?|shares?|likes?)|"
    r"leave a (?:comment|reply)|edit|uncategorized|follow|listen|share|\d+"
)
# Labels of a meta line ("Filed under: Dating | Tags: listening") and the list each one fills.
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
    "labels": "tags",
}
# Comment lists are bulleted or numbered ("1. Mary K. says:", "◦ Sam says:").
COMMENT_MARKER = re.compile(r"^(?:[-*•◦▪]|\d{1,3}[.)])\s+")


def author_rules(authors: tuple[str, ...]) -> tuple[Furniture, ...]:
    """Bio boxes name the author: "About Jane Doe", "Jane Doe is a coach in Portland…"."""
    if not authors:
        return ()
    full = "|".join(re.escape(a) for a in authors)
    short = "|".join(re.escape(a.split()[0]) for a in authors)
    return (
        Furniture("author_bio", _rx(rf"about\s+(?:{full}|{short})(?:\s*[:—–-].{{0,600}})?")),
        Furniture("author_bio", _rx(rf"(?:{full})\s+(?:is|has been|helps|writes|lives)\b.*")),
    )


def is_furniture(text: str, group: str = "") -> bool:
    """Whether a line fits a furniture pattern (of one group, such as "share.", if given).

    Only the pattern is tried, not `confirm`.
    """
    return any(rule.pattern.fullmatch(text) for rule in FURNITURE if rule.name.startswith(group))


def is_navigation(text: str) -> bool:
    """A line of site navigation: a known pattern, or a menu of two or more menu words."""
    if any(pattern.fullmatch(text) for pattern in NAVIGATION):
        return True
    items = [item for item in MENU_SPLIT.split(text) if item]
    if len(items) < 2 or any(len(item) > 30 or len(item.split()) > 4 for item in items):
        return False
    return sum(item.lower() in MENU_WORDS for item in items) >= 2
