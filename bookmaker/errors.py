"""What stops a whole build: one exception tree, each turned into one line and an exit status."""

from __future__ import annotations

import enum
from typing import IO, Any

import click


class ExitStatus(enum.IntEnum):
    OK = 0
    USER_ERROR = 1  # bad input: missing file, bad config, no posts, --strict warnings
    INTERNAL_ERROR = 70  # a bug in bookmaker (EX_SOFTWARE)
    INTERRUPTED = 130


class BookmakerError(click.ClickException):
    """A user-facing error: printed as one line, `bookmaker: error: <message>`, no traceback."""

    exit_code = ExitStatus.USER_ERROR

    def show(self, file: IO[Any] | None = None) -> None:
        for line in self.format_message().splitlines() or [""]:
            click.echo(f"bookmaker: error: {line}", err=True, file=file)


class ConfigError(BookmakerError):
    """book.toml or command-line options are wrong."""


class SourceError(BookmakerError):
    """A source cannot be read at all, or yields no posts."""


class RenderError(BookmakerError):
    """An ebook could not be written."""


class StrictError(BookmakerError):
    """--strict and warnings were reported."""
