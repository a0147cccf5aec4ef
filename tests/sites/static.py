"""A folder of files served on 127.0.0.1 for tests, recording what was asked for."""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class StaticSite:
    """A folder served on 127.0.0.1 in a thread; `requests` lists the paths asked for."""

    def __init__(self, root: Path) -> None:
        site = self

        class Handler(SimpleHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server name
                site.requests.append(self.path)
                super().do_GET()

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

        self.requests: list[str] = []
        handler = functools.partial(Handler, directory=str(root))
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        serve = functools.partial(self.httpd.serve_forever, poll_interval=0.05)
        threading.Thread(target=serve, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
