"""Fetcher: the one way bookmaker reads the web — polite, cached, bounded, and able to work offline.

The cache is keyed on the URL alone (`accept` only shapes the request). Offline, answers come
from the cache and nothing else: no socket, no robots.txt. Every online fetch of a cached URL is
a conditional request (If-None-Match / If-Modified-Since); a 304 answer returns the stored body.
Within one run a URL is asked for at most once: a repeat is read from the cache, and a failure
(a 404, a timeout after its retries, a robots refusal) is remembered and raised again without a
request. Failures are never written to disk, so the next run tries them afresh.
"""

from __future__ import annotations

import codecs
import logging
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass, fields
from types import TracebackType
from urllib.parse import urljoin, urlsplit

import httpx

from bookmaker.fetch.cache import CacheEntry, PageCache, normalise_url, storable_headers
from bookmaker.fetch.politeness import HostGate, backoff_seconds, retry_after_seconds
from bookmaker.fetch.records import FetchError, FetchSettings, FetchStats, TransientError
from bookmaker.fetch.robots import RobotsPolicy, RobotsRules
from bookmaker.model import Page

log = logging.getLogger(__name__)

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
DEFAULT_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
MAX_RETRY_AFTER = 60.0  # a server asking for a longer pause gets an error instead of a wait
MAX_CRAWL_DELAY = 60.0  # a longer robots.txt Crawl-delay is shortened to this, and said so


@dataclass(frozen=True)
class _Reply:
    """One HTTP exchange, body read in full."""

    url: str
    status: int
    reason: str
    headers: httpx.Headers
    body: bytes


class Fetcher:
    """Fetches pages for the sources. A context manager; `get` may be called from many threads."""

    def __init__(self, settings: FetchSettings) -> None:
        self.settings = settings
        self._cache = PageCache(settings.cache_dir)
        self._gate = HostGate(settings.per_host_concurrency, settings.delay)
        self._robots = RobotsPolicy(self._load_robots)
        self._client: httpx.Client | None = None
        self._lock = threading.Lock()
        self._url_locks: dict[str, threading.Lock] = {}
        self._settled: dict[str, FetchError | None] = {}  # this run: None = fetched and cached
        self._counts: Counter[str] = Counter()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None

    def stats(self) -> FetchStats:
        with self._lock:
            return FetchStats(**{f.name: self._counts[f.name] for f in fields(FetchStats)})

    def get(self, url: str, *, accept: str | None = None, reuse: bool = False) -> Page:
        """The page at `url`, from the cache or the web. Raises FetchError.

        `reuse`: a cached copy is good enough, no request at all (post pages and images, whose
        addresses rarely change content; the lists that lead to them are always revalidated).
        `FetchSettings.refresh` turns reuse off for one run.
        """
        try:
            normal = normalise_url(url)
        except ValueError as exc:
            self._count("failed")
            raise FetchError(
                url, "fetch.invalid_url", f"{url} is not a web address ({exc})"
            ) from None
        with self._url_lock(normal):
            try:
                reuse = reuse and not self.settings.refresh
                return self._answer(url, normal, accept or DEFAULT_ACCEPT, reuse)
            except FetchError as exc:
                self._count("failed")
                self._settled[normal] = exc.copy()
                raise

    def _answer(self, url: str, normal: str, accept: str, reuse: bool = False) -> Page:
        if normal in self._settled:
            failure = self._settled[normal]
            if failure is not None:
                raise failure.copy()
            entry = self._cache.load(normal)
            if entry is not None:
                self._count("fresh")
                return _page(url, entry, from_cache=True)
        if self.settings.offline or reuse:
            entry = self._cache.load(normal)
            if entry is not None:
                self._count("fresh")
                return _page(url, entry, from_cache=True)
            if self.settings.offline:
                message = f"{url} is not in the cache (built with --offline)"
                raise FetchError(url, "fetch.offline_miss", message)
        return self._fetch_page(url, normal, accept, robots=not self.settings.ignore_robots)

    def _fetch_page(self, url: str, normal: str, accept: str, *, robots: bool) -> Page:
        entry = self._cache.load(normal)
        reply = self._follow(url, normal, accept, entry, robots=robots)
        if reply.status == 304 and entry is not None and reply.url == entry.final_url:
            refreshed = entry.refreshed(reply.headers)
            if refreshed is not entry:
                self._cache.store(refreshed)
            self._count("revalidated")
            self._settled[normal] = None
            return _page(url, refreshed, from_cache=True)
        if not 200 <= reply.status < 300:
            where = f" (redirected to {reply.url})" if reply.url != normal else ""
            status = f"HTTP {reply.status} {reply.reason}".rstrip()
            message = f"{url}: {status}{where}"
            raise FetchError(url, f"fetch.http_{reply.status}", message)
        headers = storable_headers(reply.headers)
        stored = CacheEntry(normal, reply.url, reply.status, headers, reply.body)
        self._cache.store(stored)
        self._settled[normal] = None
        if reply.url != normal:
            # The address redirected to is often linked to directly as well: keep it too.
            self._cache.store(CacheEntry(reply.url, reply.url, reply.status, headers, reply.body))
            self._settled[reply.url] = None
        return _page(url, stored, from_cache=False)

    def _follow(
        self, url: str, normal: str, accept: str, entry: CacheEntry | None, *, robots: bool
    ) -> _Reply:
        """Request `normal`, following redirects ourselves so robots.txt is checked at each hop."""
        visited = [normal]
        for _hop in range(self.settings.max_redirects + 1):
            current = visited[-1]
            if robots:
                self._robots.check(current, url if current != normal else None)
            headers = {"Accept": accept}
            if entry is not None and entry.final_url == current:
                headers.update(entry.validators())
            try:
                reply = self._exchange(current, headers)
            except FetchError as exc:
                if current == normal:
                    raise
                raise FetchError(url, exc.code, f"{exc.message} (redirected from {url})") from None
            target = _redirect_target(url, reply)
            if target is None:
                return reply
            if target in visited:
                loop = " -> ".join(visited[visited.index(target) :] + [target])
                raise FetchError(url, "fetch.redirects", f"{url}: redirect loop ({loop})")
            visited.append(target)
        limit = self.settings.max_redirects
        message = f"{url}: more than {limit} redirects (stopped at {visited[-1]})"
        raise FetchError(url, "fetch.redirects", message)

    def _exchange(self, url: str, headers: dict[str, str]) -> _Reply:
        """One request, retried after connection errors, timeouts, 5xx and 429."""
        host = _host(url)
        retries = max(0, self.settings.retries)
        for attempt in range(retries + 1):
            last = attempt == retries
            wait = backoff_seconds(self.settings.backoff, attempt)
            try:
                reply = self._send(url, headers)
            except TransientError as exc:
                if last:
                    raise
                why = exc.reason
            else:
                if reply.status != 429 and reply.status < 500:
                    return reply
                asked = retry_after_seconds(reply.headers.get("retry-after"))
                if asked is not None and asked > MAX_RETRY_AFTER:
                    raise _wait_too_long(url, reply, asked)
                if last:
                    return reply
                wait = wait if asked is None else asked
                why = f"HTTP {reply.status}"
            log.info("retrying %s in %.1f s (%s)", url, wait, why)
            self._gate.hold_off(host, wait)
        raise AssertionError("the retry loop always returns or raises")

    def _send(self, url: str, headers: dict[str, str]) -> _Reply:
        with self._gate.turn(_host(url)):
            self._count("requests")
            log.debug("GET %s%s", url, " (conditional)" if len(headers) > 1 else "")
            started = time.monotonic()
            try:
                with self._http().stream("GET", url, headers=headers) as response:
                    body = self._read_body(url, response, started)
            except (httpx.HTTPError, httpx.InvalidURL) as exc:
                raise self._failure(url, exc) from None
        took = time.monotonic() - started
        log.debug("%s: HTTP %d, %d bytes in %.2f s", url, response.status_code, len(body), took)
        return _Reply(url, response.status_code, response.reason_phrase, response.headers, body)

    def _failure(self, url: str, exc: httpx.HTTPError | httpx.InvalidURL) -> FetchError:
        """The FetchError for what httpx raised; a TransientError if trying again may help."""
        if isinstance(exc, httpx.InvalidURL | httpx.UnsupportedProtocol):
            return FetchError(url, "fetch.invalid_url", f"{url} cannot be fetched ({exc})")
        if isinstance(exc, httpx.TimeoutException):
            message = f"{url}: no answer within {self.settings.timeout:g} s"
            return TransientError(url, "fetch.timeout", message, "timed out")
        if isinstance(exc, httpx.ConnectError):
            message = _connect_message(url, exc)
            if _unresolvable(exc):  # a name that does not resolve will not in a few seconds
                return FetchError(url, "fetch.unreachable", message)
            return TransientError(url, "fetch.unreachable", message, "cannot connect")
        if isinstance(exc, httpx.TransportError):
            message = f"{url}: the server broke off the connection ({exc})"
            return TransientError(url, "fetch.connection", message, "connection broken")
        message = f"{url}: the response cannot be read ({exc})"
        return FetchError(url, "fetch.bad_response", message)

    def _read_body(self, url: str, response: httpx.Response, started: float) -> bytes:
        limit = self.settings.max_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise _too_large(url, limit)
        deadline = started + self.settings.total_timeout
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > limit:
                raise _too_large(url, limit)
            if time.monotonic() > deadline:
                message = f"{url}: download took longer than {self.settings.total_timeout:g} s"
                raise FetchError(url, "fetch.timeout", message)
            chunks.append(chunk)
        self._count("bytes", size)
        return b"".join(chunks)

    def _load_robots(self, where: str) -> RobotsRules:
        try:
            page = self._fetch_page(where, where, "text/plain", robots=False)
        except FetchError as exc:
            # RFC 9309, section 2.3.1: "unavailable" (4xx, or too many redirects) allows all;
            # "unreachable" (5xx, network errors; 429 counted here too) forbids all.
            status = exc.code.removeprefix("fetch.http_")
            if exc.code == "fetch.redirects" or (status.startswith("4") and status != "429"):
                log.debug("%s is unavailable (%s): everything is allowed", where, exc.message)
                return RobotsRules(where)
            return RobotsRules.unreachable(where, exc)
        rules = RobotsRules.parse(
            where, page.content.decode("utf-8", "replace"), self.settings.user_agent
        )
        if rules.crawl_delay and rules.crawl_delay > self.settings.delay:
            self._obey_crawl_delay(where, rules.crawl_delay)
        return rules

    def _obey_crawl_delay(self, where: str, asked: float) -> None:
        delay = min(asked, MAX_CRAWL_DELAY)
        shortened = f"; bookmaker waits {delay:g} s" if delay < asked else ""
        log.info("%s asks for %g s between requests%s", where, asked, shortened)
        self._gate.slow_down(_host(where), delay)

    def _http(self) -> httpx.Client:
        # Made on first use, so a run that needs no request (offline) never builds one.
        with self._lock:
            if self._client is None:
                self._client = httpx.Client(
                    headers={"User-Agent": self.settings.user_agent},
                    timeout=httpx.Timeout(self.settings.timeout),
                    follow_redirects=False,
                )
            return self._client

    def _url_lock(self, normal: str) -> threading.Lock:
        # Two threads asking for the same URL: the second waits and reads the first's answer.
        with self._lock:
            return self._url_locks.setdefault(normal, threading.Lock())

    def _count(self, name: str, amount: int = 1) -> None:
        with self._lock:
            self._counts[name] += amount


def _host(url: str) -> str:
    return urlsplit(url).netloc


def _redirect_target(url: str, reply: _Reply) -> str | None:
    location = reply.headers.get("location")
    if reply.status not in REDIRECT_STATUSES or not location:
        return None
    target = urljoin(reply.url, location.strip())
    try:
        return normalise_url(target)
    except ValueError:
        message = f"{url}: redirected to {target}, which is not an http(s) address"
        raise FetchError(url, "fetch.redirects", message) from None


def _wait_too_long(url: str, reply: _Reply, asked: float) -> FetchError:
    message = (
        f"{url}: HTTP {reply.status}; the server asks to wait {asked:.0f} s before asking again, "
        f"longer than bookmaker waits ({MAX_RETRY_AFTER:.0f} s); try again later"
    )
    return FetchError(url, f"fetch.http_{reply.status}", message)


def _too_large(url: str, limit: int) -> FetchError:
    size = f"{limit / 2**20:g} MB" if limit >= 2**20 else f"{limit} bytes"
    return FetchError(url, "fetch.too_large", f"{url}: larger than the {size} limit")


def _unresolvable(exc: httpx.ConnectError) -> bool:
    cause: BaseException | None = exc
    for _depth in range(8):  # httpx wraps httpcore, which wraps the OS error
        if cause is None:
            return False
        if isinstance(cause, socket.gaierror):
            return True
        cause = cause.__cause__ or cause.__context__
    return False


def _connect_message(url: str, exc: httpx.ConnectError) -> str:
    host = urlsplit(url).hostname or url
    if _unresolvable(exc):
        return f"{url}: cannot resolve host {host} — check the address"
    return f"{url}: cannot connect to {host} ({exc})"


def _page(url: str, entry: CacheEntry, *, from_cache: bool) -> Page:
    media_type, charset = _content_type(entry.header("content-type") or "")
    return Page(
        url=url,
        final_url=entry.final_url,
        status=entry.status,
        content=entry.body,
        content_type=media_type,
        encoding=charset,
        from_cache=from_cache,
        headers=entry.headers,
    )


def _content_type(value: str) -> tuple[str, str | None]:
    """The media type (lower case) and the declared charset, if Python knows it."""
    media_type, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        name, _, raw = param.partition("=")
        if name.strip().lower() == "charset":
            charset = raw.strip().strip("\"'") or None
    if charset is not None:
        try:
            codecs.lookup(charset)
        except LookupError:
            charset = None
    return media_type.strip().lower(), charset
