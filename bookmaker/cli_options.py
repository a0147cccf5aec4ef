"""Command-line options more than one command takes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

# How to reach the blog and which book.toml to read: shared by every command that fetches.
FETCH_OPTIONS = (
    click.option("--offline", is_flag=True, help="Use the cache only; fetch nothing."),
    click.option(
        "--refresh",
        is_flag=True,
        help="Ask the blog again for posts and images already cached.",
    ),
    click.option(
        "--ignore-robots", is_flag=True, help="Ignore robots.txt (only for a blog you own)."
    ),
    click.option(
        "-c",
        "--config",
        "config_path",
        type=click.Path(path_type=Path),
        help="The book description (default: ./book.toml if present).",
    ),
)


def fetch_options(command: Callable[..., None]) -> Callable[..., None]:
    for option in reversed(FETCH_OPTIONS):
        command = option(command)
    return command
