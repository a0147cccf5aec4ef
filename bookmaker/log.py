"""Logging policy: INFO is progress, WARNING is content degraded, each warning carries a code.

Warnings are collected by `WarningCollector` so the build can list them at the end and `--strict`
can turn them into a failure. Repeats of the same code and message collapse into one line.
"""

from __future__ import annotations

import logging
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

LOGGER_NAME = "bookmaker"


def warn(logger: logging.Logger, code: str, message: str, *args: object) -> None:
    """Log a content warning with a code (e.g. `image.unreadable`) that the collector keeps."""
    logger.warning(message, *args, extra={"code": code})


class WarningCollector(logging.Handler):
    def __init__(self, silenced: frozenset[str] = frozenset()) -> None:
        super().__init__(logging.WARNING)
        self.silenced = silenced
        self.counts: Counter[tuple[str, str]] = Counter()

    def filter(self, record: logging.LogRecord) -> bool:
        return getattr(record, "code", "") not in self.silenced

    def emit(self, record: logging.LogRecord) -> None:
        self.counts[(getattr(record, "code", "general"), record.getMessage())] += 1

    def lines(self) -> list[str]:
        out = []
        for (code, message), n in self.counts.items():
            suffix = f" (x{n})" if n > 1 else ""
            out.append(f"warning [{code}]: {message}{suffix}")
        return out


class _ConsoleFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        msg = record.getMessage()
        if record.levelno >= logging.WARNING:
            code = getattr(record, "code", None)
            label = record.levelname.lower()
            return f"{label} [{code}]: {msg}" if code else f"{label}: {msg}"
        return msg


@contextmanager
def console_logging(
    verbosity: int, silenced: frozenset[str] = frozenset()
) -> Iterator[WarningCollector]:
    """Route bookmaker's log to stderr for the length of one command; yield the warning collector.

    verbosity: -1 quiet (warnings and errors only), 0 normal, 1 debug.
    """
    logger = logging.getLogger(LOGGER_NAME)
    console = logging.StreamHandler(sys.stderr)
    console.setFormatter(_ConsoleFormatter())
    console.addFilter(lambda r: getattr(r, "code", "") not in silenced)
    collector = WarningCollector(silenced)
    level = {-1: logging.WARNING, 0: logging.INFO}.get(verbosity, logging.DEBUG)
    console.setLevel(level)
    previous = logger.level, logger.propagate
    logger.setLevel(min(level, logging.WARNING))
    logger.propagate = False
    logger.addHandler(console)
    logger.addHandler(collector)
    try:
        yield collector
    finally:
        logger.removeHandler(console)
        logger.removeHandler(collector)
        logger.setLevel(previous[0])
        logger.propagate = previous[1]


def quiet_libraries(debug: bool) -> None:
    """WeasyPrint and fontTools log through their own loggers; keep them quiet unless -v."""
    # WeasyPrint logs an ERROR for each resource the render boundary refuses; bookmaker already
    # reports those as warnings with a code, so the library's own line would be noise.
    levels = {"weasyprint": logging.CRITICAL, "fontTools": logging.ERROR, "PIL": logging.ERROR}
    for name, level in levels.items():
        logging.getLogger(name).setLevel(logging.DEBUG if debug else level)
