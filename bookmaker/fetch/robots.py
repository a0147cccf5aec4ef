"""robots.txt: read with urllib.robotparser, matched the way RFC 9309 says.

urllib.robotparser does the line parsing and grouping. Its own matching takes the first rule that
is a plain prefix of the path; RFC 9309 (section 2.2.2) wants the longest matching rule, `Allow`
winning a tie, with `*` as a wildcard and `$` as an end anchor. Sites write rules such as
`Disallow: /*?replytocom=`, so the matching here follows the RFC.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote, urlsplit
from urllib.robotparser import RobotFileParser

from bookmaker.fetch.records import FetchError

# Characters left as they are when paths and rules are brought to one spelling; `*` and `$` stay
# literal so rules keep their wildcard and anchor.
_SAFE = "/?&=;:@!$'()*+,~"


def robots_url(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/robots.txt"


def _canonical(path: str) -> str:
    return quote(unquote(path), safe=_SAFE)


@dataclass(frozen=True)
class _Rule:
    pattern: re.Pattern[str]
    length: int  # octets in the rule: the longest match decides
    allow: bool


def _compile(path: str, allow: bool) -> _Rule | None:
    canonical = _canonical(path)
    if not canonical:
        return None
    anchored = canonical.endswith("$")
    body = canonical[:-1] if anchored else canonical
    regex = ".*".join(re.escape(part) for part in body.split("*"))
    return _Rule(re.compile(regex + ("$" if anchored else "")), len(canonical), allow)


def _groups_for(parser: RobotFileParser, token: str) -> list[Any]:
    """The parsed groups that apply to `token`.

    RFC 9309, section 2.2.1: every group naming the product token applies, merged; the `*` group
    only when none does. robotparser keeps its groups in `entries` and `default_entry`, attributes
    it has had since its first release though the type stubs leave them out.
    """
    entries: list[Any] = parser.entries  # type: ignore[attr-defined]
    default: Any = parser.default_entry  # type: ignore[attr-defined]
    groups = [e for e in entries if token in (agent.lower() for agent in e.useragents)]
    if not groups and default is not None:
        groups = [default]
    return groups


@dataclass(frozen=True)
class RobotsRules:
    """The rules of one site's robots.txt that apply to bookmaker."""

    robots_url: str
    rules: tuple[_Rule, ...] = ()
    crawl_delay: float | None = None
    unreadable: str = ""  # why robots.txt could not be read; if set, nothing may be fetched
    unreadable_code: str = "fetch.robots"

    @classmethod
    def parse(cls, robots_url: str, text: str, user_agent: str) -> RobotsRules:
        parser = RobotFileParser()
        parser.parse(text.splitlines())
        groups = _groups_for(parser, user_agent.split("/")[0].strip().lower())
        lines = [line for group in groups for line in group.rulelines]
        rules = (_compile(unquote(line.path), line.allowance) for line in lines)
        delays = [float(g.delay) for g in groups if g.delay is not None]
        return cls(robots_url, tuple(r for r in rules if r), max(delays, default=None))

    @classmethod
    def unreachable(cls, robots_url: str, failure: FetchError) -> RobotsRules:
        reason = failure.message.removeprefix(f"{robots_url}: ")
        return cls(robots_url, unreadable=reason, unreadable_code=failure.code)

    def allows(self, url: str) -> bool:
        parts = urlsplit(url)
        path = parts.path or "/"
        if path == "/robots.txt":
            return True
        if self.unreadable:
            return False
        target = _canonical(path + (f"?{parts.query}" if parts.query else ""))
        matches = [(rule.length, rule.allow) for rule in self.rules if rule.pattern.match(target)]
        return max(matches)[1] if matches else True


class RobotsPolicy:
    """Reads each site's robots.txt once per run and refuses what it forbids. Thread-safe."""

    def __init__(self, load: Callable[[str], RobotsRules]) -> None:
        self._load = load
        self._rules: dict[str, RobotsRules] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def rules_for(self, url: str) -> RobotsRules:
        where = robots_url(url)
        with self._lock:
            site_lock = self._locks.setdefault(where, threading.Lock())
        with site_lock:
            if where not in self._rules:
                self._rules[where] = self._load(where)
            return self._rules[where]

    def check(self, url: str, asked: str | None = None) -> None:
        """Raise FetchError unless robots.txt lets bookmaker fetch `url`.

        `asked` is the URL that redirected to `url`, if any, so the message names both.
        """
        rules = self.rules_for(url)
        if rules.allows(url):
            return
        via = f" (redirected from {asked})" if asked and asked != url else ""
        named = asked or url  # the caller's URL, so its failure can be matched to what it asked
        if rules.unreadable_code == "fetch.unreachable":
            # A host that cannot be reached at all: say so, not that its robots.txt is missing.
            raise FetchError(named, rules.unreadable_code, f"{url}{via}: {rules.unreadable}")
        if rules.unreadable:
            message = (
                f"{url}{via}: robots.txt could not be read ({rules.unreadable}), so the whole "
                "site counts as off-limits (RFC 9309); try again later, or pass --ignore-robots "
                "if the blog is yours"
            )
        else:
            message = (
                f"{url}{via} is disallowed by {rules.robots_url}; "
                "pass --ignore-robots only if the blog is yours"
            )
        raise FetchError(named, "fetch.robots", message)
