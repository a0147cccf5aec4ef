"""Commands that shape a book rather than build it: `init`."""

from __future__ import annotations

from pathlib import Path

import click

from bookmaker.files import display_path
from bookmaker.init import init_book


@click.command()
@click.argument(
    "folder", required=False, default=".", type=click.Path(file_okay=False, path_type=Path)
)
@click.option(
    "--source",
    metavar="URL",
    help="Your blog's address (or a folder of posts, or a WordPress export) for book.toml.",
)
@click.option("--title", help="The book's title (default: from the folder's name).")
@click.option("--author", help="The author's name.")
def init(folder: Path, source: str | None, title: str | None, author: str | None) -> None:
    """Start a new book in FOLDER (default: here).

    Writes a commented book.toml, starter front and back matter in chapters/, the default
    styles in styles/ and, without --source, a starter post, so that `bookmaker build` works
    straight away. Existing files are kept.
    """
    for path in init_book(folder, source=source, title=title, author=author):
        click.echo(f"Wrote {display_path(path)}")
    click.echo("Next: edit book.toml, then run `bookmaker build`.")
