"""Progress on long work: a bar on a terminal, a few plain log lines otherwise (CI logs)."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

import click

log = logging.getLogger(__name__)


class Progress(Protocol):
    def advance(self, n: int = 1) -> None: ...


class _Lines:
    """Logs "label: done/total" at about every tenth of the work, and at the end."""

    def __init__(self, label: str, total: int) -> None:
        self.label, self.total, self.done = label, total, 0
        self.step = max(1, total // 10)
        self.lock = threading.Lock()

    def advance(self, n: int = 1) -> None:
        with self.lock:
            before, self.done = self.done, self.done + n
            if self.done == self.total or before // self.step != self.done // self.step:
                log.info("%s: %d/%d", self.label, self.done, self.total)


class _Bar:
    def __init__(self, bar: click._termui_impl.ProgressBar[int]) -> None:
        self.bar = bar
        self.lock = threading.Lock()

    def advance(self, n: int = 1) -> None:
        with self.lock:
            self.bar.update(n)


@contextmanager
def progress(label: str, total: int, enabled: bool = True) -> Iterator[Progress]:
    """Report progress on `total` items; a bar only when stderr is an interactive terminal."""
    if enabled and sys.stderr.isatty() and total > 1:
        with click.progressbar(length=total, label=label, file=sys.stderr, show_pos=True) as bar:
            yield _Bar(bar)
    else:
        yield _Lines(label, total)
