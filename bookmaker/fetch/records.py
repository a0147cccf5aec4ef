"""What the fetch stage is told (settings), what it counts (stats) and how it fails (FetchError)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bookmaker import __version__

USER_AGENT = f"bookmaker/{__version__} (+https://pypi.org/project/bookmaker/)"


@dataclass(frozen=True)
class FetchSettings:
    """How politely and how patiently bookmaker talks to a blog."""

    cache_dir: Path  # one file per URL; rebuilding with `offline` reads only this
    offline: bool = False  # answer from the cache only; never open a socket
    ignore_robots: bool = False  # for authors who own the blog
    refresh: bool = False  # revalidate even what callers would reuse from the cache
    user_agent: str = USER_AGENT
    per_host_concurrency: int = 2  # requests in flight to one host at once
    delay: float = 0.5  # seconds between request starts to one host (robots Crawl-delay if larger)
    timeout: float = 20.0  # connect and read timeout, per request
    total_timeout: float = 60.0  # wall-clock cap per request, body download included
    retries: int = 3  # extra attempts after a connection error, a timeout, a 5xx or a 429
    backoff: float = 1.0  # first retry waits this long, then twice as long each time
    max_bytes: int = 20 * 1024 * 1024  # a larger body (after decompression) is refused
    max_redirects: int = 10


@dataclass(frozen=True)
class FetchStats:
    """What a Fetcher did so far; `build` prints it at the end of a run."""

    requests: int = 0  # HTTP requests sent, retries, redirect hops and robots.txt included
    fresh: int = 0  # answers from the cache with no request (offline, or already checked this run)
    revalidated: int = 0  # answers from the cache after the server said 304 Not Modified
    failed: int = 0  # get() calls that raised FetchError
    bytes: int = 0  # body bytes received (after decompression)


class FetchError(Exception):
    """A URL could not be fetched. `message` is one line that names the URL.

    `code` is a warning code: fetch.http_<status>, fetch.timeout, fetch.robots, fetch.too_large,
    fetch.redirects, fetch.unreachable, fetch.connection, fetch.bad_response, fetch.invalid_url,
    fetch.offline_miss.
    """

    def __init__(self, url: str, code: str, message: str) -> None:
        super().__init__(message)
        self.url = url
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return self.message

    def copy(self) -> FetchError:
        """A fresh exception with the same facts, so a remembered failure can be raised again."""
        return FetchError(self.url, self.code, self.message)


class TransientError(FetchError):
    """A failure worth retrying: no connection, a broken one, or a timeout.

    `reason` is a few words for the retry log line ("timed out").
    """

    def __init__(self, url: str, code: str, message: str, reason: str) -> None:
        super().__init__(url, code, message)
        self.reason = reason
