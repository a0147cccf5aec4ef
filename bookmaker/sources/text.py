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
from typing import Any, NamedTuple

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


def _rule(name: str, *alternatives: str, confirm: str = "") -> Furniture:
    return Furniture(name, _rx("|".join(alternatives)), _rx(confirm) if confirm else None)


_MONTH_DAY_YEAR = r"[a-z]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"
_DAY_MONTH_YEAR = r"\d{1,2}(?:st|nd|rd|th)?\s+[a-z]{3,9}\.?,?\s+\d{4}"
_NUMERIC_DATE = r"\d{1,2}/\d{1,2}/\d{2,4}|\d{4}-\d{2}-\d{2}"
_DATE = rf"(?:{_MONTH_DAY_YEAR}|{_DAY_MONTH_YEAR}|{_NUMERIC_DATE})"
_TIME = r"\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?"
_AGO = r"(?:\d+|an?)\s+(?:second|minute|hour|day|week|month|year)s?\s+ago"
_STAMP = rf"(?:on\s+)?{_DATE}\s*(?:at|@|,|-)?\s*{_TIME}"
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
        rf".{{1,60}}?\s+(?:on\s+)?{_DATE}\s*(?:at|@|,)\s*{_TIME}(?:\s+(?:said|says|wrote))?\s*:?",
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
_MENU_SPLIT = re.compile(r"\s*[|·•/»›]\s*|\s{2,}|\t")
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
_META_LABEL = "|".join(sorted(META_LABELS, key=len, reverse=True))
_META_LINE = _rx(rf"(?P<label>{_META_LABEL})(?:(?P<colon>\s*:)\s*|\s+)(?P<items>.+)")
_SEPARATOR = re.compile(r"\s*[|·•—–]\s*|\s+-\s+")
_LIST_ITEM = re.compile(r"^\s*(?:(?P<bullet>[-*•])|(?P<number>\d{1,3})[.)])\s+(?P<text>\S.*)$")
# Comment lists are bulleted or numbered ("1. Mary K. says:", "◦ Sam says:").
_COMMENT_MARKER = re.compile(r"^(?:[-*•◦▪]|\d{1,3}[.)])\s+")
_URL = re.compile(r"https?://[^\s<>\"]*[^\s<>\".,;:!?)\]'’”]")
_BY = re.compile(r"(?:^|\s)by\s+", re.IGNORECASE)
_BYLINE_LEAD = _rx(r"(?:posted|written|published|words|text|story|article)?")
_DATE_PREFIX = _rx(r"^(?:(?:posted|published|written|updated|last updated|date[d]?|on)\b\s*:?\s*)+")
_HAS_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b|\b\d{1,2}[/.]\d{1,2}[/.]\d\d\b")
_NAME_SPLIT = re.compile(r"\s*(?:,|&|\band\b)\s*")
_NAME_PARTICLES = frozenset("van von de der den da di du del della la le bin al st".split())
_NOT_NAMES = frozenset("the a an this that my our your his her their".split())
# Short words title case leaves in lower case.
_SMALL_WORDS = frozenset("a an and as at but by for from in into of on or the to vs with".split())


@dataclass(frozen=True)
class Byline:
    authors: tuple[str, ...] = ()
    date: dt.datetime | None = None


def load_text(path: Path) -> Post:
    """Read a plain-text copy of a blog post page; see `parse_text`."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{path}: cannot read file: {exc.strerror or exc}") from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    return parse_text(text, str(path))


def parse_text(text: str, source: str) -> Post:
    """Turn the text of a copied blog post page into a post, without the site furniture."""
    lines = _strip_navigation(_normalise(text).split("\n"))
    title, byline, meta, body = _read_head(lines, source)
    end, rule = find_article_end(body, byline.authors)
    if rule:
        log.debug("%s: article ends at line %d of its body (%s)", source, end + 1, rule)
    tail_meta, signature = _tail_details(body[end:])
    for kind, items in tail_meta.items():
        meta[kind] += [item for item in items if item not in meta[kind]]
    if not byline.authors:
        byline = Byline(signature.authors, byline.date or signature.date)
    html_body = "".join(_element_html(el) for el in _article_elements(body[:end]))
    body_xhtml = clean_fragment(html_body) if html_body else ""
    if not body_xhtml.strip():
        raise SourceError(f"{source}: no article text found")
    return Post(
        slug=slugify(title) or slugify(Path(source).stem) or "post",
        title=title,
        body=body_xhtml,
        source=source,
        authors=byline.authors,
        date=byline.date,
        categories=tuple(meta["categories"]),
        tags=tuple(meta["tags"]),
    )


def _normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    return text.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")


# --- before the title: site header and navigation ---------------------------------------------


def _strip_navigation(lines: list[str]) -> list[str]:
    """Drop a site header and menu the copy starts with; keep every line if no menu is found."""
    window: list[int] = []
    for i, line in enumerate(lines):
        if len(line.strip()) > 100 or len(window) == 15:  # a paragraph: the article has begun
            break
        window += [i] if line.strip() else []
    menu = [i for i in window[:-1] if _is_navigation(lines[i].strip())]
    menu += [i for run in _menu_runs(lines, window[:-1]) for i in run]
    return lines[max(menu) + 1 :] if menu else lines


def _menu_runs(lines: list[str], window: list[int]) -> list[list[int]]:
    """Menus copied item by item: adjacent short lines, mostly menu words ("Home", "About")."""
    runs: list[list[int]] = []
    for i in window:
        text = lines[i].strip()
        if len(text) > 25 or len(text.split()) > 3 or text[-1] in ".?!:,":
            continue
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    # One menu word alone could be a title; two or more, making up half the run, are a menu.
    return [
        run
        for run in runs
        if 2 <= (words := sum(lines[i].strip().lower() in MENU_WORDS for i in run))
        and 2 * words >= len(run)
    ]


def _is_navigation(text: str) -> bool:
    if any(pattern.fullmatch(text) for pattern in NAVIGATION):
        return True
    items = [item for item in _MENU_SPLIT.split(text) if item]
    if len(items) < 2 or any(len(item) > 30 or len(item.split()) > 4 for item in items):
        return False
    return sum(item.lower() in MENU_WORDS for item in items) >= 2


# --- the head: title, byline, image line, categories ------------------------------------------


def _read_head(
    lines: list[str], source: str
) -> tuple[str, Byline, dict[str, list[str]], list[str]]:
    """Return title, byline, categories/tags and the remaining lines (head lines blanked)."""
    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    if not nonblank:
        raise SourceError(f"{source}: no article text found")
    bylines: list[Byline] = []
    k = 0
    # Some themes show the date (or the whole byline) above the title.
    while k + 2 < len(nonblank) and not parse_byline(lines[nonblank[k + 1]]):
        above = parse_byline(lines[nonblank[k]])
        if above is None:
            break
        bylines.append(above)
        k += 1
    title = " ".join(lines[nonblank[k]].split())
    body = lines[nonblank[k] + 1 :]
    meta: dict[str, list[str]] = {"categories": [], "tags": []}
    _consume_head_lines(body, bylines, meta)
    return title, _merge_bylines(bylines), meta, body


def _consume_head_lines(body: list[str], bylines: list[Byline], meta: dict[str, list[str]]) -> None:
    """Blank out the byline, image, meta and share lines that follow the title.

    The byline may sit under a subtitle (which stays in the article) or under the author's name
    on a line of its own ("Jane Doe", then "Mar 3, 2015 · 5 min read").
    """
    window = [i for i, line in enumerate(body) if line.strip()][:8]
    readings = [_head_reading(body[i].strip()) for i in window]
    last = _last_byline(readings)
    name_lines: dict[int, list[str]] = {}
    for n, (i, (kind, value)) in enumerate(zip(window, readings, strict=True)):
        if n > last and kind not in ("byline", "meta", "noise"):
            break
        if kind == "byline":
            bylines.append(value)
        elif kind == "meta":
            for key, items in value.items():
                meta[key] += items
        elif kind == "name":
            name_lines[i] = value
        if kind in ("byline", "meta", "noise"):
            body[i] = ""
    named = {a for b in bylines for a in b.authors}
    if name_lines and not named:  # the author's name on a line above the date
        i = max(name_lines)
        bylines.append(Byline(tuple(name_lines[i])))
        body[i] = ""
    for i in (i for i, names in name_lines.items() if named and set(names) <= named):
        body[i] = ""  # the author's name again; another name line is a subtitle


def _head_reading(text: str) -> tuple[str, Any]:
    if byline := parse_byline(text):
        return "byline", byline
    if found := parse_meta_line(text):
        return "meta", found
    if _is_head_noise(text):
        return "noise", None
    if any(rule.pattern.fullmatch(text) for rule in FURNITURE):
        return "furniture", None
    names = _names(text) if len(text) <= 60 and len(text.split()) <= 5 else None
    return ("name", names) if names else ("text", None)


def _last_byline(readings: list[tuple[str, Any]]) -> int:
    """Position of the byline in the head; at most two other lines (subtitle, name) before it."""
    last, others = -1, 0
    for n, (kind, _) in enumerate(readings):
        if kind == "byline":
            last = n
        elif kind == "furniture" or (kind in ("text", "name") and (others := others + 1) > 2):
            break
    return last


def _is_head_noise(text: str) -> bool:
    return bool(
        IMAGE_LINE.fullmatch(text)
        or HEAD_NOISE.fullmatch(text)
        or _is_navigation(text)
        or any(r.pattern.fullmatch(text) for r in FURNITURE if r.name.startswith("share."))
    )


def _merge_bylines(bylines: list[Byline]) -> Byline:
    authors = tuple(dict.fromkeys(a for b in bylines for a in b.authors))
    dates = [b.date for b in bylines if b.date]
    return Byline(authors, dates[0] if dates else None)


def parse_byline(line: str) -> Byline | None:
    """Read a byline such as "by Jane Doe on 11/19/2013" or "Jane Doe · 2019-04-02".

    Returns None unless every piece of the line is an author, a date or known byline noise
    ("3 Comments", "5 min read"), so an ordinary sentence is never taken for a byline.
    """
    text = " ".join(line.split())
    if not text or len(text) > 160:
        return None
    authors: list[str] = []
    dates: list[dt.datetime] = []
    bare_names: list[str] = []
    for segment in _SEPARATOR.split(text):
        if not segment:
            continue
        reading = _read_segment(segment)
        if reading is None:
            return None
        authors += reading[0]
        dates += [reading[1]] if reading[1] else []
        bare_names += reading[2]
    if bare_names and not (authors or dates):
        return None  # "Dating · Communication" is not a byline
    authors += bare_names
    if not (authors or dates):
        return None
    return Byline(tuple(dict.fromkeys(authors)), dates[0] if dates else None)


def _read_segment(segment: str) -> tuple[list[str], dt.datetime | None, list[str]] | None:
    """(authors after "by", date, names without "by") of one piece of a byline, or None."""
    by = _BY.search(segment)
    if by:
        before, after = segment[: by.start()].strip(), segment[by.end() :]
        date = _parse_date(before) if before else None
        if before and date is None and not _BYLINE_LEAD.fullmatch(before):
            return None
        split = _names_and_date(after)
        return None if split is None else (split[0], date or split[1], [])
    if date := _parse_date(segment):
        return [], date, []
    if HEAD_NOISE.fullmatch(segment):
        return [], None, []
    split = _names_and_date(segment)
    if split is None:
        return None
    return (split[0], split[1], []) if split[1] else ([], None, split[0])


def _names_and_date(text: str) -> tuple[list[str], dt.datetime | None] | None:
    """Split "Jane Doe on 11/19/2013" or "Jane Doe and Sam Lee, May 4, 2016" into names and date."""
    words = text.split()
    for k in range(1, len(words) + 1):
        names = _names(" ".join(words[:k]).rstrip(","))
        if names is None:
            continue
        rest = re.sub(r"^(?:on|at)\s+", "", " ".join(words[k:]), flags=re.IGNORECASE)
        if not rest or re.fullmatch(_TIME, rest, re.IGNORECASE):  # "Jane Doe at 9:12 PM"
            return names, None
        if date := _parse_date(rest):
            return names, date
    return None


def _names(text: str) -> list[str] | None:
    names = [name for name in _NAME_SPLIT.split(text.strip()) if name]
    if not names:
        return None
    if (
        len(names) == 1
        and re.fullmatch(r"[a-z][\w.-]{1,30}", names[0])
        and names[0] not in _NOT_NAMES
    ):
        return names  # a login name such as "admin"
    for name in names:
        words = name.split()
        if not 1 <= len(words) <= 5 or words[0].lower() in _NOT_NAMES:
            return None
        for word in words:
            if not re.fullmatch(r"[^\W\d_][\w.'’-]*", word):
                return None
            if not (word[0].isupper() or word.lower() in _NAME_PARTICLES):
                return None
    return names


def _parse_date(text: str) -> dt.datetime | None:
    """A date with a year in it, US month-first for slashed dates unless impossible."""
    text = _DATE_PREFIX.sub("", text.strip()).strip(" ,")
    if not _HAS_YEAR.search(text):
        return None
    try:
        value: dt.datetime = date_parser.parse(
            text, dayfirst=False, default=dt.datetime(2000, 1, 1)
        )
    except (ValueError, OverflowError):
        return None
    return value.replace(tzinfo=None)


def parse_meta_line(line: str) -> dict[str, list[str]] | None:
    """Read "Filed under: Dating, Communication | Tags: listening" into categories and tags."""
    text = " ".join(line.split())
    if len(text) > 300:
        return None
    found: dict[str, list[str]] = {"categories": [], "tags": []}
    label = ""
    for segment in _SEPARATOR.split(text):
        if not segment or HEAD_NOISE.fullmatch(segment):
            continue
        match = _META_LINE.fullmatch(segment)
        if match:
            label, items, colon = match["label"].lower(), match["items"], bool(match["colon"])
        elif label:  # "Filed under: Dating · Communication" goes on after a separator
            items, colon = segment, True
        else:
            return None
        terms = [item.strip().rstrip(".") for item in re.split(r"[,;]", items) if item.strip()]
        if not _plausible_terms(terms, label, colon):
            return None
        found[META_LABELS[label]] += terms
    return found if label else None


def _plausible_terms(terms: list[str], label: str, colon: bool) -> bool:
    if not terms or any(len(t) > 40 or len(t.split()) > 4 or ":" in t for t in terms):
        return False
    if colon:
        return True
    # Without a colon only a few labels read as a list, and "Tagged along with my sister" or
    # "Posted in a hurry" must not pass: ask for Names, or for a list of tags.
    if label not in ("filed under", "posted in", "tagged", "tagged with", "tagged as"):
        return False
    return all(t[0].isupper() for t in terms) or (label.startswith("tagged") and len(terms) > 1)


# --- the end of the article -------------------------------------------------------------------


def find_article_end(lines: list[str], authors: tuple[str, ...] = ()) -> tuple[int, str | None]:
    """Index of the first line that starts site furniture (or len(lines)), and its rule name."""
    rules = FURNITURE + _author_rules(authors)
    for i, line in enumerate(lines):
        text = line.strip()
        if not text:
            continue
        if parse_meta_line(text):
            return i, "meta.categories"
        if _is_footer_byline(text):
            return i, "meta.byline"
        unbulleted = _COMMENT_MARKER.sub("", text)
        for rule in rules:
            # Reader comments are often bulleted; article lists must not be read as share rows.
            candidate = unbulleted if rule.name.startswith("comments.") else text
            if rule.pattern.fullmatch(candidate) and _confirmed(rule, lines, i):
                return i, rule.name
    return len(lines), None


def _is_footer_byline(text: str) -> bool:
    """Some engines (Blogger) sign the post under it: "Posted by Jane Doe at 9:12 PM"."""
    if not re.match(r"(?:posted|written|published)\s+by\s", text, re.IGNORECASE):
        return False
    signed = parse_byline(text)
    return bool(signed and signed.authors)


def _author_rules(authors: tuple[str, ...]) -> tuple[Furniture, ...]:
    """Bio boxes name the author: "About Jane Doe", "Jane Doe is a coach in Portland…"."""
    if not authors:
        return ()
    full = "|".join(re.escape(a) for a in authors)
    short = "|".join(re.escape(a.split()[0]) for a in authors)
    return (
        Furniture("author_bio", _rx(rf"about\s+(?:{full}|{short})(?:\s*[:—–-].{{0,600}})?")),
        Furniture("author_bio", _rx(rf"(?:{full})\s+(?:is|has been|helps|writes|lives)\b.*")),
    )


def _confirmed(rule: Furniture, lines: list[str], index: int) -> bool:
    if rule.confirm is None:
        return True
    following = [line.strip() for line in lines[index + 1 :] if line.strip()][:3]
    unbulleted = [_COMMENT_MARKER.sub("", line) for line in following]
    return any(rule.confirm.fullmatch(line) for line in unbulleted)


def _tail_details(tail: list[str]) -> tuple[dict[str, list[str]], Byline]:
    """Categories, tags and a signature listed after the article, before the comments begin."""
    found: dict[str, list[str]] = {"categories": [], "tags": []}
    signatures = []
    for line in tail:
        text = line.strip()
        if meta := parse_meta_line(text):
            for kind, items in meta.items():
                found[kind] += items
        elif _is_footer_byline(text):
            signatures.append(parse_byline(text) or Byline())
        elif any(r.pattern.fullmatch(text) for r in FURNITURE if r.name.startswith("comments.")):
            break
    return found, _merge_bylines(signatures)


# --- the article: blocks of lines to HTML -----------------------------------------------------


@dataclass
class _Element:
    kind: str  # "p", "h2", "ul", "ol" or "blockquote"
    parts: list[str]  # the text of the paragraph, the list items or the quoted paragraphs
    start: int = 1


def _article_elements(lines: list[str]) -> list[_Element]:
    blocks = _blocks([line for line in lines if not IMAGE_LINE.fullmatch(line.strip())])
    elements: list[_Element] = []
    for n, block in enumerate(blocks):
        following = blocks[n + 1] if n + 1 < len(blocks) else None
        if len(block) == 1 and following and _leads_content(following) and _is_heading(block[0]):
            elements.append(_Element("h2", [block[0].strip()]))
            continue
        for element in _block_elements(block):
            if not _continues(elements[-1:], element):
                elements.append(element)
                continue
            # A list or quote with blank lines between its items is still one list or quote.
            separator = [""] if element.kind == "blockquote" else []
            elements[-1].parts += separator + element.parts
    return elements


def _blocks(lines: list[str]) -> list[list[str]]:
    """Runs of lines between blank lines."""
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            blocks[-1].append(line.rstrip())
        elif blocks[-1]:
            blocks.append([])
    unwrapped: list[list[str]] = []
    for block in blocks:
        # Nobody wraps by hand past 90 characters: longer lines are paragraphs copied with single
        # line breaks between them.
        if any(len(line) > 90 for line in block[:-1]):
            unwrapped += [[line] for line in block]
        elif block:
            unwrapped.append(block)
    return unwrapped


def _continues(previous: list[_Element], element: _Element) -> bool:
    if not previous or previous[0].kind != element.kind or element.kind in ("p", "h2"):
        return False
    last = previous[0]
    return element.kind != "ol" or element.start == last.start + len(last.parts)


def _block_elements(block: list[str]) -> list[_Element]:
    """Paragraphs, lists and quotes in one block; hard-wrapped lines are joined."""
    elements: list[_Element] = []
    for line in block:
        text = line.strip()
        item = _LIST_ITEM.match(line)
        last = elements[-1] if elements else None
        if item:
            kind = "ol" if item["number"] else "ul"
            if last and last.kind == kind:
                last.parts.append(item["text"].strip())
            else:
                elements.append(_Element(kind, [item["text"].strip()], int(item["number"] or 1)))
        elif text.startswith(">"):
            quoted = text[1:].strip()
            if last and last.kind == "blockquote" and quoted:
                last.parts[-1] = _join(last.parts[-1], quoted)
            elif last and last.kind == "blockquote":
                last.parts.append("")  # a bare ">" separates quoted paragraphs
            else:
                elements.append(_Element("blockquote", [quoted]))
        elif last and (last.kind == "p" or (last.kind in ("ul", "ol") and line[0].isspace())):
            last.parts[-1] = _join(last.parts[-1], text)
        else:
            elements.append(_Element("p", [text]))
    return elements


def _join(before: str, after: str) -> str:
    if not before:
        return after
    if re.search(r"[a-z]-$", before) and after[:1].islower():
        return before + after  # "well-" + "known"
    return f"{before} {after}"


def _leads_content(block: list[str]) -> bool:
    """Whether a block is content a heading could stand over (not a sign-off like "Dana")."""
    first = block[0].strip()
    return len(block) > 1 or len(first) >= 60 or bool(_LIST_ITEM.match(first)) or first[0] == ">"


def _is_heading(line: str) -> bool:
    """A short stand-alone line without a final period that reads like a title."""
    text = line.strip()
    core = text.rstrip("\"'”’)]»")  # `She said “no.”` ends with a period
    if not 2 <= len(text) <= 80 or not core or core[-1] in ".,;:!…" or text[0] in ">-*•":
        return False
    if _LIST_ITEM.match(text) or _URL.search(text) or "@" in text:
        return False
    if not (text[0].isupper() or text[0].isdigit()):
        return False
    words = text.split()
    significant = [w for w in words if w.lower().strip("?") not in _SMALL_WORDS] or words
    capitalised = sum(w[0].isupper() or w[0].isdigit() for w in significant)
    title_case = len(words) <= 12 and capitalised / len(significant) >= 0.6
    if text.endswith("?"):
        return title_case
    # Sentence-case headings are short and impersonal; "I think so" is a one-line paragraph.
    personal = re.search(r"\b(?:I|me|my)\b", text) or "'" in text or "’" in text
    return title_case or (len(words) <= 7 and not personal)


def _element_html(element: _Element) -> str:
    if element.kind in ("p", "h2"):
        return f"<{element.kind}>{_inline(element.parts[0])}</{element.kind}>\n"
    if element.kind == "blockquote":
        paragraphs = "".join(f"<p>{_inline(p)}</p>" for p in element.parts if p)
        return f"<blockquote>{paragraphs}</blockquote>\n"
    start = f' start="{element.start}"' if element.kind == "ol" and element.start != 1 else ""
    items = "".join(f"<li>{_inline(item)}</li>" for item in element.parts)
    return f"<{element.kind}{start}>{items}</{element.kind}>\n"


def _inline(text: str) -> str:
    """Escape text and turn bare web addresses into links."""
    out, pos = [], 0
    for match in _URL.finditer(text):
        out.append(html.escape(text[pos : match.start()], quote=False))
        url = html.escape(match.group(), quote=True)
        out.append(f'<a href="{url}">{url}</a>')
        pos = match.end()
    out.append(html.escape(text[pos:], quote=False))
    return "".join(out)
