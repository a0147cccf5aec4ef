"""A counting reverse proxy on 127.0.0.1, put in front of the real WordPress test site.

It forwards every request to the origin and records, for each one, the method, the path, the
request headers exactly as the client sent them, and the status and headers the client got back,
so tests can count 200s against 304s and check that conditional headers were sent.

Why a proxy that rewrites addresses, rather than counting in php -S's access log: WordPress
writes its own `host:port` into every page, feed, REST answer and `Link`/`Location` header, so a
client sent to a plain proxy would be led straight back to the origin for everything after the
first page. The proxy therefore swaps the origin's `host:port` for its own in response headers and
text bodies (and back in request headers, with `Host` set to the origin's so WordPress answers as
itself); images and other binary bodies pass through untouched. The access log would need no
rewriting, but it records no request headers (so no proof of If-None-Match), it holds every
client's requests (other test sessions, anyone browsing the site) and its line format is PHP's to
change; the proxy sees exactly one client's traffic, whole.

`hold_after(n)` lets the first `n` requests through and keeps the later ones waiting until
`release()`, so a test can interrupt a client at a known point of its run.
"""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import quote, urlsplit

# Headers about one connection, not the resource (RFC 9110, section 7.6.1), and the body's
# transfer form: the proxy reads bodies whole, so it sends its own length.
HOP_HEADERS = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "content-length",
    }
)
TEXT_MARKERS = ("text/", "json", "xml", "javascript")
HOLD_LIMIT = 120.0  # seconds a held request waits at most, so a forgotten release cannot hang


@dataclass(frozen=True)
class Exchange:
    """One request as the client sent it, and the status it got."""

    method: str
    path: str  # with the query string
    headers: dict[str, str]  # names in lower case
    status: int
    answer: dict[str, str]  # the response headers the client got, names in lower case

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    @property
    def validators(self) -> dict[str, str]:
        """The answer's ETag and Last-Modified, if any: what a client may revalidate with."""
        return {k: v for k, v in self.answer.items() if k in ("etag", "last-modified")}


class CountingProxy:
    """`with CountingProxy("http://127.0.0.1:8089") as proxy: … proxy.url …`"""

    def __init__(self, origin: str) -> None:
        parts = urlsplit(origin)
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError(f"origin must be an http:// address, got {origin!r}")
        self.origin_host = parts.hostname
        self.origin_port = parts.port or 80
        self.origin_netloc = parts.netloc
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.proxy = self  # type: ignore[attr-defined]
        self.netloc = f"127.0.0.1:{self._server.server_address[1]}"
        self.url = f"http://{self.netloc}"
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._exchanges: list[Exchange] = []
        self._arrived = 0
        self._hold_after: int | None = None
        self._released = threading.Event()
        self._holding = threading.Event()

    # --- life ---------------------------------------------------------------------------------

    def start(self) -> CountingProxy:
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop answering: later connections to `url` are refused."""
        if self._thread is None:
            return
        self.release()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)
        self._thread = None

    def __enter__(self) -> CountingProxy:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # --- what tests ask -----------------------------------------------------------------------

    def exchanges(self) -> list[Exchange]:
        """Every finished exchange so far, in the order the answers were sent."""
        with self._lock:
            return list(self._exchanges)

    def hold_after(self, count: int) -> None:
        with self._lock:
            self._arrived = 0
            self._hold_after = count
            self._released.clear()
            self._holding.clear()

    def wait_until_holding(self, timeout: float) -> bool:
        """True once a request beyond the `hold_after` count is waiting."""
        return self._holding.wait(timeout)

    def release(self) -> None:
        with self._lock:
            self._hold_after = None
        self._released.set()

    # --- the handler's side -------------------------------------------------------------------

    def arrive(self) -> None:
        """Called as each request arrives; waits while requests are held."""
        with self._lock:
            self._arrived += 1
            held = self._hold_after is not None and self._arrived > self._hold_after
        if held:
            self._holding.set()
            self._released.wait(HOLD_LIMIT)

    def record(self, exchange: Exchange) -> None:
        with self._lock:
            self._exchanges.append(exchange)

    def to_origin(self, value: str) -> str:
        return value.replace(self.netloc, self.origin_netloc)

    def to_proxy(self, value: str) -> str:
        return value.replace(self.origin_netloc, self.netloc)

    def body_to_proxy(self, body: bytes) -> bytes:
        for old, new in _spellings(self.origin_netloc, self.netloc):
            body = body.replace(old, new)
        return body


def _spellings(old: str, new: str) -> Iterator[tuple[bytes, bytes]]:
    # WordPress writes its address plainly, and percent-encoded inside query strings (oEmbed
    # discovery links, share links).
    yield old.encode("ascii"), new.encode("ascii")
    yield quote(old, safe="").encode("ascii"), quote(new, safe="").encode("ascii")


class _Handler(BaseHTTPRequestHandler):
    server_version = "CountingProxy"

    def do_GET(self) -> None:
        self._forward()

    def do_HEAD(self) -> None:
        self._forward()

    def log_message(self, format: str, *args: object) -> None:
        pass  # the exchanges are the log

    def _forward(self) -> None:
        proxy: CountingProxy = self.server.proxy  # type: ignore[attr-defined]
        sent = {name.lower(): value for name, value in self.headers.items()}
        proxy.arrive()
        try:
            status, reason, headers, body = self._ask_origin(proxy)
        except OSError as exc:
            status, reason, headers = 502, "Bad Gateway", [("Content-Type", "text/plain")]
            body = f"origin unreachable: {exc}\n".encode()
        try:
            self._answer(status, reason, headers, body)
        except (BrokenPipeError, ConnectionResetError):
            return  # the client left (interrupted): it got nothing
        answer = {name.lower(): value for name, value in headers}
        proxy.record(Exchange(self.command, self.path, sent, status, answer))

    def _answer(
        self, status: int, reason: str, headers: list[tuple[str, str]], body: bytes
    ) -> None:
        self.send_response_only(status, reason)  # the origin's own Date and Server follow
        for name, value in headers:
            self.send_header(name, value)
        if status not in (204, 304):
            self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD" and status not in (204, 304):
            self.wfile.write(body)

    def _ask_origin(self, proxy: CountingProxy) -> tuple[int, str, list[tuple[str, str]], bytes]:
        # Plain bodies from the origin (no Accept-Encoding), so addresses in them can be rewritten.
        forwarded = {
            name: proxy.to_origin(value)
            for name, value in self.headers.items()
            if name.lower() not in HOP_HEADERS | {"accept-encoding", "host"}
        }
        forwarded["Host"] = proxy.origin_netloc
        connection = http.client.HTTPConnection(proxy.origin_host, proxy.origin_port, timeout=60)
        try:
            connection.request(self.command, self.path, headers=forwarded)
            response = connection.getresponse()
            body = response.read()
        finally:
            connection.close()
        headers = [
            (name, proxy.to_proxy(value))
            for name, value in response.getheaders()
            if name.lower() not in HOP_HEADERS
        ]
        content_type = (response.getheader("Content-Type") or "").lower()
        if any(marker in content_type for marker in TEXT_MARKERS):
            body = proxy.body_to_proxy(body)
        return response.status, response.reason, headers, body
