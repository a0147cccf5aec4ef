"""How often bookmaker may knock: per-host concurrency, spacing between requests, retry waits."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime


@dataclass
class _Host:
    slots: threading.Semaphore
    delay: float
    next_start: float = 0.0  # time.monotonic() before which no request may start
    lock: threading.Lock = field(default_factory=threading.Lock)


class HostGate:
    """Lets at most `concurrency` requests be in flight per host, their starts `delay` apart.

    A host can be slowed down for good (robots.txt Crawl-delay) or held off for a while (a server
    that answered 429 or 503): every thread waiting for that host then waits, not just the one
    that was told.
    """

    def __init__(self, concurrency: int, delay: float) -> None:
        self._concurrency = max(1, concurrency)
        self._delay = max(0.0, delay)
        self._hosts: dict[str, _Host] = {}
        self._lock = threading.Lock()

    def _host(self, host: str) -> _Host:
        with self._lock:
            if host not in self._hosts:
                slots = threading.Semaphore(self._concurrency)
                self._hosts[host] = _Host(slots, self._delay)
            return self._hosts[host]

    @contextmanager
    def turn(self, host: str) -> Iterator[None]:
        """Wait until a request to `host` may start; hold one of its slots until the block ends."""
        state = self._host(host)
        with state.slots:
            self._wait_for_start(state)
            yield

    def _wait_for_start(self, state: _Host) -> None:
        # Re-check after each sleep: a hold-off may have moved the start time meanwhile.
        while True:
            with state.lock:
                now = time.monotonic()
                wait = state.next_start - now
                if wait <= 0:
                    state.next_start = now + state.delay
                    return
            time.sleep(wait)

    def slow_down(self, host: str, delay: float) -> None:
        state = self._host(host)
        with state.lock:
            state.delay = max(state.delay, delay)

    def hold_off(self, host: str, seconds: float) -> None:
        state = self._host(host)
        with state.lock:
            state.next_start = max(state.next_start, time.monotonic() + seconds)


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Seconds a Retry-After header asks to wait: a number of seconds or an HTTP date.

    None when there is no usable header. `now` is a Unix time, for tests.
    """
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:  # "-0000": UTC by RFC 5322, section 3.3
        when = when.replace(tzinfo=dt.UTC)
    reference = time.time() if now is None else now
    return max(0.0, when.timestamp() - reference)


def backoff_seconds(base: float, attempt: int) -> float:
    """The wait before retry number `attempt + 1`: base, 2 x base, 4 x base, ..."""
    return base * 2**attempt
