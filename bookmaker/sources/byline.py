"""The head of a copied blog post page: its title, who wrote it, when, and filed under what.

`read_head` takes the title and the byline, image, meta and share lines around it. The line
readers (`parse_byline`, `parse_meta_line`) refuse a line unless every piece of it is accounted
for (an author, a date, a label with its terms, or known noise such as "5 min read"), so an
ordinary sentence of the article is never taken for a byline or a list of tags.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from dateutil import parser as date_parser

from bookmaker.errors import SourceError
from bookmaker.sources.text_rules import (
    HEAD_NOISE,
    IMAGE_LINE,
    META_LABELS,
    TIME,
    is_furniture,
    is_navigation,
)

_META_LABEL = "|".join(sorted(META_LABELS, key=len, reverse=True))
_META_LINE = re.compile(
    rf"(?P<label>{_META_LABEL})(?:(?P<colon>\s*:)\s*|\s+)(?P<items>.+)", re.IGNORECASE
)
_SEPARATOR = re.compile(r"\s*[|·•—–]\s*|\s+-\s+")
_BY = re.compile(r"(?:^|\s)by\s+", re.IGNORECASE)
_BYLINE_LEAD = re.compile(r"(?:posted|written|published|words|text|story|article)?", re.IGNORECASE)
_SIGNED = re.compile(r"(?:posted|written|published)\s+by\s", re.IGNORECASE)
_DATE_PREFIX = re.compile(
    r"^(?:(?:posted|published|written|updated|last updated|date[d]?|on)\b\s*:?\s*)+", re.IGNORECASE
)
_HAS_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b|\b\d{1,2}[/.]\d{1,2}[/.]\d\d\b")
_TIME_ONLY = re.compile(TIME, re.IGNORECASE)
_NAME_SPLIT = re.compile(r"\s*(?:,|&|\band\b)\s*")
_NAME_PARTICLES = frozenset("van von de der den da di du del della la le bin al st".split())
_NOT_NAMES = frozenset("the a an this that my our your his her their".split())


@dataclass(frozen=True)
class Byline:
    """Who wrote a post and when, as far as its page copy says."""

    authors: tuple[str, ...] = ()
    date: dt.datetime | None = None


# --- one line: a byline, a list of names, a date, a meta line -----------------------------------


def merge_bylines(bylines: list[Byline]) -> Byline:
    """All the authors named, in order and once each, and the first date given."""
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


def footer_signature(text: str) -> Byline | None:
    """A post signed under it, as some engines (Blogger) do: "Posted by Jane Doe at 9:12 PM"."""
    if not _SIGNED.match(text):
        return None
    signed = parse_byline(text)
    return signed if signed and signed.authors else None


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
        names = parse_names(" ".join(words[:k]).rstrip(","))
        if names is None:
            continue
        rest = re.sub(r"^(?:on|at)\s+", "", " ".join(words[k:]), flags=re.IGNORECASE)
        if not rest or _TIME_ONLY.fullmatch(rest):  # "Jane Doe at 9:12 PM"
            return names, None
        if date := _parse_date(rest):
            return names, date
    return None


def parse_names(text: str) -> list[str] | None:
    """The people in "Jane Doe and Sam Lee", or None unless every piece reads as a name."""
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


# --- the head: title, byline, image line, categories ------------------------------------------


def read_head(lines: list[str], source: str) -> tuple[str, Byline, dict[str, list[str]], list[str]]:
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
    return title, merge_bylines(bylines), meta, body


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
    if is_furniture(text):
        return "furniture", None
    names = parse_names(text) if len(text) <= 60 and len(text.split()) <= 5 else None
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
        or is_navigation(text)
        or is_furniture(text, "share.")
    )
