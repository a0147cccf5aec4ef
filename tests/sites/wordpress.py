"""The real WordPress test site on 127.0.0.1, as the session fixture `wordpress`.

The site comes from `shared/wordpress/start.sh` (WordPress 6.1 with the theme unit test content;
its README tells the rest). The fixture runs start.sh, which is idempotent and serialised by a
lock, and stops the site at the end only if this test run started it and no other test session
(say another pytest-xdist worker) still uses it.

Environment:
  BOOKMAKER_WORDPRESS_DIR   the folder holding start.sh (default: <repo>/../shared/wordpress)
  BOOKMAKER_WORDPRESS_PORT  the port to serve it on (default 8089)
  WP_STATE_DIR              passed on to start.sh and stop.sh
  CI                        when set, a missing site fails the tests instead of skipping them

start.sh installs Debian packages the first time (about 80 s), so it must run as root; as
another user the fixture uses a site that already answers on the port, or skips.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import pytest

REPO = Path(__file__).resolve().parents[2]
DEFAULT_PORT = 8089
START_TIMEOUT = 900  # seconds; the first start installs packages
STOP_TIMEOUT = 300
WORDPRESS_CODE = Path("/usr/share/wordpress")  # Debian's package, where start.sh's site runs from
# WordPress's own exporter (Tools > Export), run against the site's database.
EXPORT_PHP = r"""
$_SERVER['HTTP_HOST'] = $argv[1];
$_SERVER['SERVER_NAME'] = '127.0.0.1';
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['REQUEST_METHOD'] = 'GET';
require $argv[2] . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/export.php';
export_wp(['content' => 'post']);
"""


@dataclass(frozen=True)
class WordPressSite:
    url: str  # http://127.0.0.1:<port>, no trailing slash
    port: int
    folder: Path  # where start.sh and the WXR it imported live

    def export_wxr(self, target: Path) -> Path:
        """WordPress's own export (WXR) of every post, written to `target`."""
        netloc = self.url.removeprefix("http://")
        result = subprocess.run(
            ["php", "-r", EXPORT_PHP, netloc, str(WORDPRESS_CODE)],
            capture_output=True,
            timeout=120,
        )
        if result.returncode != 0 or b"<rss" not in result.stdout[:4096]:
            stderr = result.stderr.decode("utf-8", "replace").strip()
            message = f"WordPress's exporter failed (exit {result.returncode}): {stderr}"
            pytest.fail(message, pytrace=False)
        target.write_bytes(result.stdout)
        return target


def site_folder() -> Path:
    configured = os.environ.get("BOOKMAKER_WORDPRESS_DIR")
    return Path(configured) if configured else REPO.parent / "shared" / "wordpress"


def site_port() -> int:
    text = os.environ.get("BOOKMAKER_WORDPRESS_PORT", str(DEFAULT_PORT))
    if not text.isdigit():
        pytest.fail(f"BOOKMAKER_WORDPRESS_PORT must be a port number, got {text!r}", pytrace=False)
    return int(text)


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def unavailable(reason: str) -> NoReturn:
    """Skip, except in CI, where a test that cannot run must not pass unnoticed."""
    if in_ci():
        pytest.fail(
            f"{reason} (CI is set, so the WordPress tests fail instead of skipping)", pytrace=False
        )
    pytest.skip(reason)


@pytest.fixture(scope="session")
def wordpress() -> Iterator[WordPressSite]:
    """The running WordPress test site; started if need be, stopped after if this run started it."""
    folder, port = site_folder(), site_port()
    site = WordPressSite(f"http://127.0.0.1:{port}", port, folder)
    if not (folder / "start.sh").is_file():
        unavailable(
            f"no WordPress test site: {folder / 'start.sh'} not found "
            "(set BOOKMAKER_WORDPRESS_DIR to the folder holding start.sh)"
        )
    with _registry(port) as registry:
        started = _start(site)
        registry.join(started)
    yield site
    with _registry(port) as registry:
        if registry.leave():
            _stop(site)


# --- starting and stopping ---------------------------------------------------------------------


def _start(site: WordPressSite) -> bool:
    """Run start.sh; True if it had to start the site (it was not answering before)."""
    running = answers(site.url)
    if os.geteuid() != 0:
        if running:
            return False
        unavailable(
            f"the WordPress test site does not answer on {site.url}, and start.sh must run as "
            "root (it installs Debian packages): run `make wordpress` first"
        )
    try:
        result = subprocess.run(
            ["bash", str(site.folder / "start.sh")],
            env=_site_env(site),
            capture_output=True,
            text=True,
            timeout=START_TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"start.sh did not finish within {START_TIMEOUT} s", pytrace=False)
    if result.returncode != 0 or result.stdout.strip() != site.url:
        tail = "\n".join(result.stderr.strip().splitlines()[-10:])
        pytest.fail(f"start.sh failed (exit {result.returncode}):\n{tail}", pytrace=False)
    return not running


def _stop(site: WordPressSite) -> None:
    result = subprocess.run(
        ["bash", str(site.folder / "stop.sh")],
        env=_site_env(site),
        capture_output=True,
        text=True,
        timeout=STOP_TIMEOUT,
    )
    if result.returncode != 0:
        print(f"stop.sh failed (exit {result.returncode}): {result.stderr.strip()}")


def _site_env(site: WordPressSite) -> dict[str, str]:
    return {**os.environ, "PORT": str(site.port)}


def answers(url: str) -> bool:
    """True if a WordPress site answers at `url` (its home page links into /wp-content/)."""
    try:
        with urllib.request.urlopen(f"{url}/", timeout=10) as response:
            return b"/wp-content/" in response.read()
    except (OSError, urllib.error.URLError):
        return False


# --- who uses the site: a folder of one file per live test session ------------------------------


class _Registry:
    """Test sessions using the site on one port; the last to leave stops it, if a session
    started it. Sessions are pytest processes (each xdist worker is one), named by PID."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.marker = folder / "started-by-tests"
        self.me = folder / f"session-{os.getpid()}"

    def join(self, started: bool) -> None:
        self.me.touch()
        if started:
            self.marker.touch()

    def leave(self) -> bool:
        """Leave; True if the caller should stop the site now."""
        self.me.unlink(missing_ok=True)
        if not self.marker.exists() or self._others():
            return False
        self.marker.unlink()
        return True

    def _others(self) -> list[Path]:
        alive = []
        for path in self.folder.glob("session-*"):
            pid = int(path.name.removeprefix("session-"))
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                path.unlink(missing_ok=True)  # a session that died without leaving
                continue
            except PermissionError:
                pass  # alive, someone else's
            alive.append(path)
        return alive


@contextmanager
def _registry(port: int) -> Iterator[_Registry]:
    # One folder per user: only root's sessions start and stop the site, so only theirs count.
    folder = Path(tempfile.gettempdir()) / f"bookmaker-wordpress-{port}-uid{os.getuid()}"
    folder.mkdir(exist_ok=True)
    with open(folder / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield _Registry(folder)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
