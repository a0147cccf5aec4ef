"""The on-disk page cache: one file per URL, written atomically, checked on every read.

An entry is one file, `<cache_dir>/<key[:2]>/<key>`, where the key is the SHA-256 of the
normalised URL. The file holds a format line, one line of JSON (status, final URL, headers, body
length and digest), then the body. A file that is truncated, altered or from another format is
a miss, never an error: the page is simply fetched again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from bookmaker.files import write_bytes_atomic
from bookmaker.log import warn

log = logging.getLogger(__name__)

FORMAT_LINE = b"bookmaker-page-cache 1\n"
DEFAULT_PORTS = {"http": 80, "https": 443}
# Headers that describe the transfer rather than the resource, or that must not be replayed.
# The stored body is already decompressed, so its encoding and length headers would lie.
UNSTORED_HEADERS = frozenset(
    {
        "connection",
        "keep-alive",
        "transfer-encoding",
        "te",
        "trailer",
        "upgrade",
        "proxy-authenticate",
        "proxy-connection",
        "content-encoding",
        "content-length",
        "set-cookie",
    }
)
# Headers a 304 Not Modified may refresh on the stored entry (RFC 9111, section 4.3.4).
REFRESHED_HEADERS = ("etag", "last-modified", "cache-control", "expires", "date")


def normalise_url(url: str) -> str:
    """The URL in one spelling: lower-case scheme and host, no default port, no fragment.

    Raises ValueError for anything that is not an absolute http(s) URL.
    """
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise ValueError(str(exc)) from exc
    if parsed.scheme not in DEFAULT_PORTS or not parsed.raw_host:
        raise ValueError("not an absolute http(s) URL")
    host = parsed.raw_host.decode("ascii")
    if ":" in host:
        host = f"[{host}]"
    port = "" if parsed.port in (None, DEFAULT_PORTS[parsed.scheme]) else f":{parsed.port}"
    return f"{parsed.scheme}://{host}{port}{parsed.raw_path.decode('ascii')}"


def cache_key(url: str) -> str:
    return hashlib.sha256(normalise_url(url).encode("utf-8")).hexdigest()


def storable_headers(headers: httpx.Headers) -> tuple[tuple[str, str], ...]:
    return tuple((k, v) for k, v in headers.multi_items() if k.lower() not in UNSTORED_HEADERS)


@dataclass(frozen=True)
class CacheEntry:
    """A stored answer: what the server said for `url`, after following redirects."""

    url: str  # the normalised URL that was asked for
    final_url: str
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes

    def header(self, name: str) -> str | None:
        lname = name.lower()
        return next((v for k, v in self.headers if k.lower() == lname), None)

    def validators(self) -> dict[str, str]:
        """Request headers that ask the server to answer 304 if the page has not changed."""
        found = {
            "If-None-Match": self.header("etag"),
            "If-Modified-Since": self.header("last-modified"),
        }
        return {name: value for name, value in found.items() if value}

    def refreshed(self, not_modified: httpx.Headers) -> CacheEntry:
        """This entry with the validators and freshness headers a 304 answer carried."""
        updates = {name: not_modified[name] for name in REFRESHED_HEADERS if name in not_modified}
        if all(self.header(name) == value for name, value in updates.items()):
            return self
        kept = tuple((k, v) for k, v in self.headers if k.lower() not in updates)
        return CacheEntry(
            self.url, self.final_url, self.status, kept + tuple(updates.items()), self.body
        )


class PageCache:
    """Thread-safe because each write replaces a whole file in one rename."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path_for(self, url: str) -> Path:
        key = cache_key(url)
        return self.folder / key[:2] / key

    def load(self, url: str) -> CacheEntry | None:
        path = self.path_for(url)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            log.debug("cache entry for %s is unreadable (%s); fetching it again", url, exc)
            return None
        try:
            return _decode(data, normalise_url(url))
        except (ValueError, KeyError, TypeError) as exc:
            log.debug("cache entry %s for %s is damaged (%s); fetching it again", path, url, exc)
            return None

    def store(self, entry: CacheEntry) -> None:
        """Write the entry; a cache that cannot be written costs speed next time, not this page."""
        path = self.path_for(entry.url)
        try:
            write_bytes_atomic(path, _encode(entry))
        except OSError as exc:
            warn(
                log,
                "fetch.cache",
                "cannot write to the fetch cache in %s: %s",
                self.folder,
                exc.strerror,
            )


def _encode(entry: CacheEntry) -> bytes:
    meta = {
        "url": entry.url,
        "final_url": entry.final_url,
        "status": entry.status,
        "headers": [list(pair) for pair in entry.headers],
        "length": len(entry.body),
        "sha256": hashlib.sha256(entry.body).hexdigest(),
        "stored": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    return FORMAT_LINE + json.dumps(meta, ensure_ascii=True).encode("ascii") + b"\n" + entry.body


def _decode(data: bytes, url: str) -> CacheEntry:
    if not data.startswith(FORMAT_LINE):
        raise ValueError("unknown format")
    meta_line, sep, body = data[len(FORMAT_LINE) :].partition(b"\n")
    if not sep:
        raise ValueError("no body")
    meta = json.loads(meta_line)
    if meta["url"] != url:
        raise ValueError(f"entry belongs to {meta['url']}")
    if len(body) != meta["length"] or hashlib.sha256(body).hexdigest() != meta["sha256"]:
        raise ValueError("body does not match its digest")
    headers = tuple((str(k), str(v)) for k, v in meta["headers"])
    return CacheEntry(url, str(meta["final_url"]), int(meta["status"]), headers, body)
