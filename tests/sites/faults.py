"""A misbehaving blog on 127.0.0.1: every way a web server can fail a fetch, on purpose.

`FaultServer` is a real threaded HTTP server in a background thread. It records every request
(method, path, headers, arrival time) and the most requests it ever had in flight at once (from
arrival until the answer starts), so tests can assert what was asked for, how often, and how
politely. Sleeps are bounded and end when
the server stops, so no test waits on it for long.

Routes (query parameters in brackets):
  /robots.txt                  the `robots` text given to the server, or 404 when None
  /page/<name>                 an HTML post with ETag and Last-Modified; answers 304 to a matching
                               If-None-Match or If-Modified-Since [validators=etag|date|none]
  /private/<name>              an HTML page, for robots.txt rules to forbid
  /missing                     404
  /flaky/<name>                500 the first times, then 200 [fails=1, status=500]
  /busy/<name>                 429 with Retry-After, then 200 [after=1, fails=1, status=429]
  /slow                        waits before answering [seconds=2]
  /drip                        answers at once, then sends the body slowly [chunks=10, every=0.1]
  /hold                        waits a little, for measuring concurrency [seconds=0.2]
  /loop/a, /loop/b             redirect to each other
  /chain/<n>                   n redirects, alternating relative and absolute Location, then 200
  /redirect                    redirects to any location [to=/page/x, status=302]
  /big                         a body of `bytes` bytes, streamed [bytes=1000, length=1]
  /gzip                        a gzip-compressed body that inflates to `bytes` bytes
                               [broken=1: corrupt compressed data]
  /hangup                      closes the connection without an answer [midway=1: after headers]

Use it through the `fault_server` fixture: `site = fault_server(robots=ROBOTS_FORBID_ALL)`.
"""

from __future__ import annotations

import datetime as dt
import gzip
import socket
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

ROBOTS_FORBID_ALL = "User-agent: *\nDisallow: /\n"
ROBOTS_FORBID_PRIVATE = "User-agent: *\nDisallow: /private/\n"
MAX_SLEEP = 5.0  # no route sleeps longer than this, whatever the query asks
MAX_BODY = 64 * 1024 * 1024
FIRST_MODIFIED = dt.datetime(2024, 3, 1, 12, 0, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Seen:
    """One request as the server received it."""

    method: str
    path: str  # with the query string
    headers: dict[str, str]  # names in lower case
    at: float  # time.monotonic() on arrival


def sample_post(name: str, version: int = 1) -> str:
    title = name.replace("-", " ").capitalize()
    return (
        "<!DOCTYPE html>\n<html><head><meta charset='utf-8'>"
        f"<title>{title} – Notes from the Allotment</title></head>\n"
        f"<body><article><h1>{title}</h1>\n"
        f"<p>Revision {version}. The broad beans came up in a single week of rain, and the "
        "shed roof held, which is more than could be said for last spring.</p>\n"
        "<p>Next: netting for the brassicas before the pigeons notice.</p>"
        "</article></body></html>\n"
    )


class FaultServer:
    def __init__(self, robots: str | None = None, robots_status: int = 200) -> None:
        self.robots = robots
        self.robots_status = robots_status
        self.stopping = threading.Event()
        self.max_in_flight = 0
        self._in_flight = 0
        self._seen: list[Seen] = []
        self._hits: dict[str, int] = {}
        self._versions: dict[str, int] = {}
        self._pages: dict[str, str] = {}
        self._lock = threading.Lock()
        self.errors: list[str] = []  # tracebacks of handler failures, for debugging a test
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.faults = self
        # A short poll keeps stop() (which waits for the serving loop to notice) quick.
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def start(self) -> FaultServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    # What the tests read.

    @property
    def requests(self) -> list[Seen]:
        with self._lock:
            return list(self._seen)

    def paths(self) -> list[str]:
        return [seen.path for seen in self.requests]

    def count(self, path: str | None = None) -> int:
        """Requests for `path` (query included, exactly), or all requests."""
        return sum(1 for seen in self.requests if path is None or seen.path == path)

    def set_page(self, name: str, html: str) -> None:
        """Change /page/<name>: a new body, a new ETag, a later Last-Modified."""
        with self._lock:
            self._pages[name] = html
            self._versions[name] = self._versions.get(name, 1) + 1

    # What the handler uses.

    def record(self, seen: Seen) -> None:
        with self._lock:
            self._seen.append(seen)
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)

    def finished(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def hit(self, path: str) -> int:
        """How many times `path` has been asked for, this request included."""
        with self._lock:
            self._hits[path] = self._hits.get(path, 0) + 1
            return self._hits[path]

    def page(self, name: str) -> tuple[str, int]:
        with self._lock:
            version = self._versions.get(name, 1)
            return self._pages.get(name) or sample_post(name, version), version

    def sleep(self, seconds: float) -> None:
        self.stopping.wait(min(max(seconds, 0.0), MAX_SLEEP))


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    faults: FaultServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client hanging up early is the point of several routes: keep stderr quiet.
        self.faults.errors.append(traceback.format_exc())


class _Handler(BaseHTTPRequestHandler):
    server: Any

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output clean

    def do_GET(self) -> None:
        faults: FaultServer = self.server.faults
        headers = {name.lower(): value for name, value in self.headers.items()}
        faults.record(Seen(self.command, self.path, headers, time.monotonic()))
        self._counted = True
        try:
            self._route(faults)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up on purpose (too large, too slow)
        finally:
            self._done()

    def send_response(self, code: int, message: str | None = None) -> None:
        # A request stops counting as in flight once its answer starts: from arrival to here
        # lies wholly inside the time the client holds its slot, so the measured concurrency
        # can never exceed the client's real one.
        self._done()
        super().send_response(code, message)

    def _done(self) -> None:
        if getattr(self, "_counted", False):
            self._counted = False
            self.server.faults.finished()

    def _route(self, faults: FaultServer) -> None:
        parts = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        path = parts.path
        for prefix, route in ROUTES.items():
            if path == prefix or (prefix.endswith("/") and path.startswith(prefix)):
                route(self, faults, path.removeprefix(prefix), query)
                return
        self.send_body(404, b"<p>No such page.</p>")

    def send_body(
        self, status: int, body: bytes, content_type: str = "text/html; charset=utf-8", **extra: str
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, location: str, status: int = 302) -> None:
        self.send_response(status)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()


Query = dict[str, str]


def _robots(h: _Handler, faults: FaultServer, rest: str, query: Query) -> None:
    if faults.robots is None:
        h.send_body(404, b"")
    else:
        h.send_body(faults.robots_status, faults.robots.encode(), "text/plain; charset=utf-8")


def _page(h: _Handler, faults: FaultServer, name: str, query: Query) -> None:
    html, version = faults.page(name)
    etag = f'"{name}-v{version}"'
    modified = FIRST_MODIFIED + dt.timedelta(days=version)
    which = query.get("validators", "etag,date")
    validators = {}
    if "etag" in which:
        validators["ETag"] = etag
    if "date" in which:
        validators["Last_Modified"] = format_datetime(modified, usegmt=True)
    if _not_modified(h, etag if "etag" in which else None, modified if "date" in which else None):
        h.send_response(304)
        for name, value in validators.items():
            h.send_header(name.replace("_", "-"), value)
        h.end_headers()
        return
    h.send_body(200, html.encode("utf-8"), **validators)


def _not_modified(h: _Handler, etag: str | None, modified: dt.datetime | None) -> bool:
    # RFC 9110, section 13.2.2: If-None-Match wins over If-Modified-Since.
    if_none_match = h.headers.get("If-None-Match")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return etag is not None and (etag in tags or "*" in tags)
    since = h.headers.get("If-Modified-Since")
    if since is None or modified is None:
        return False
    try:
        return parsedate_to_datetime(since) >= modified
    except (TypeError, ValueError):
        return False


def _private(h: _Handler, faults: FaultServer, name: str, query: Query) -> None:
    h.send_body(200, sample_post(f"private {name}").encode())


def _missing(h: _Handler, faults: FaultServer, rest: str, query: Query) -> None:
    h.send_body(404, b"<p>That post was moved to the compost heap.</p>")


def _flaky(h: _Handler, faults: FaultServer, name: str, query: Query) -> None:
    if faults.hit(h.path) <= int(query.get("fails", "1")):
        h.send_body(int(query.get("status", "500")), b"<p>The server tripped over a rake.</p>")
    else:
        h.send_body(200, sample_post(name).encode())


def _busy(h: _Handler, faults: FaultServer, name: str, query: Query) -> None:
    if faults.hit(h.path) <= int(query.get("fails", "1")):
        status = int(query.get("status", "429"))
        h.send_body(status, b"<p>Slow down.</p>", Retry_After=query.get("after", "1"))
    else:
        h.send_body(200, sample_post(name).encode())


def _slow(h: _Handler, faults: FaultServer, rest: str, query: Query) -> None:
    faults.sleep(float(query.get("seconds", "2")))
    h.send_body(200, sample_post("worth the wait").encode())


def _hold(h: _Handler, faults: FaultServer, rest: str, query: Query) -> None:
    faults.sleep(float(query.get("seconds", "0.2")))
    h.send_body(200, sample_post("held").encode())


def _drip(h: _Handler, faults: FaultServer, rest: str, query: Query) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "text/html; charset=utf-8")
    h.end_headers()
    for _ in range(min(int(query.get("chunks", "10")), 100)):
        h.wfile.write(b"<p>drip</p>\n")
        h.wfile.flush()
        faults.sleep(float(query.get("every", "0.1")))
        if faults.stopping.is_set():
            return


def _loop(h: _Handler, faults: FaultServer, rest: str, query: Query) -> None:
    h.redirect("/loop/b" if rest == "a" else "/loop/a")


def _chain(h: _Handler, faults: FaultServer, rest: str, query: Query) -> None:
    left = int(rest or "0")
    if left <= 0:
        h.send_body(200, sample_post("end of the chain").encode())
    elif left % 2:
        h.redirect(str(left - 1))  # relative to /chain/
    else:
        h.redirect(faults.url(f"/chain/{left - 1}"), 301)


def _redirect(h: _Handler, faults: FaultServer, rest: str, query: Query) -> None:
    h.redirect(query.get("to", "/page/redirected"), int(query.get("status", "302")))


def _big(h: _Handler, faults: FaultServer, rest: str, query: Query) -> None:
    size = min(int(query.get("bytes", "1000")), MAX_BODY)
    h.send_response(200)
    h.send_header("Content-Type", "application/octet-stream")
    if query.get("length", "1") == "1":
        h.send_header("Content-Length", str(size))
    h.end_headers()
    block = b"x" * 65536
    while size > 0 and not faults.stopping.is_set():
        h.wfile.write(block[:size])
        size -= len(block)


def _gzip(h: _Handler, faults: FaultServer, rest: str, query: Query) -> None:
    size = min(int(query.get("bytes", "1000")), MAX_BODY)
    body = gzip.compress(b"a" * size)
    if query.get("broken") == "1":
        body = body[:10] + b"this is not deflate data" + body[10:]
    h.send_body(200, body, "text/plain; charset=utf-8", Content_Encoding="gzip")


def _hangup(h: _Handler, faults: FaultServer, rest: str, query: Query) -> None:
    if query.get("midway") == "1":
        h.send_response(200)
        h.send_header("Content-Length", "5000")
        h.end_headers()
        h.wfile.write(b"<p>The beginning of a post that never ends")
    h.wfile.flush()
    h.close_connection = True
    h.connection.shutdown(socket.SHUT_RDWR)


ROUTES: dict[str, Callable[[_Handler, FaultServer, str, Query], None]] = {
    "/robots.txt": _robots,
    "/page/": _page,
    "/private/": _private,
    "/missing": _missing,
    "/flaky/": _flaky,
    "/busy/": _busy,
    "/slow": _slow,
    "/hold": _hold,
    "/drip": _drip,
    "/loop/": _loop,
    "/chain/": _chain,
    "/redirect": _redirect,
    "/big": _big,
    "/gzip": _gzip,
    "/hangup": _hangup,
}


@pytest.fixture
def fault_server() -> Iterator[Callable[..., FaultServer]]:
    """A factory: `fault_server(robots=..., robots_status=...)` starts a FaultServer.

    Every server started is stopped when the test ends.
    """
    started: list[FaultServer] = []

    def start(**options: Any) -> FaultServer:
        server = FaultServer(**options).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
