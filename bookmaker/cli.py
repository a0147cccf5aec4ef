"""The command line: each command parses its options and calls one function."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from bookmaker import __version__
from bookmaker.cli_options import FETCH_OPTIONS
from bookmaker.config import (
    FORMATS,
    Config,
    Filters,
    apply_overrides,
    find_config,
)
from bookmaker.errors import BookmakerError, ExitStatus
from bookmaker.files import display_path
from bookmaker.log import WarningCollector, console_logging, quiet_libraries

log = logging.getLogger("bookmaker")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="bookmaker")
@click.option("-v", "--verbose", count=True, help="Show detail (-v) for debugging.")
@click.option("-q", "--quiet", is_flag=True, help="Only warnings and errors.")
@click.option("--traceback", is_flag=True, help="Show the full traceback of an internal error.")
@click.pass_context
def cli(ctx: click.Context, verbose: int, quiet: bool, traceback: bool) -> None:
    """Turn a blog into a book: an EPUB to sell and a PDF to give away."""
    ctx.obj = {"verbosity": -1 if quiet else verbose, "traceback": traceback}


def source_options(command: Callable[..., None]) -> Callable[..., None]:
    """Options shared by the commands that read sources: which posts, and how to fetch them."""
    options = [
        click.argument("sources", nargs=-1),
        click.option(
            "--since",
            type=click.DateTime(["%Y-%m-%d"]),
            help="Only posts from this day on (YYYY-MM-DD).",
        ),
        click.option(
            "--until", type=click.DateTime(["%Y-%m-%d"]), help="Only posts up to this day."
        ),
        click.option(
            "--category",
            "categories",
            multiple=True,
            help="Only posts in this category (repeatable).",
        ),
        click.option(
            "--exclude-category",
            "exclude_categories",
            multiple=True,
            help="Leave out posts in this category.",
        ),
        click.option("--tag", "tags", multiple=True, help="Only posts with this tag (repeatable)."),
        click.option(
            "--exclude-tag", "exclude_tags", multiple=True, help="Leave out posts with this tag."
        ),
        click.option(
            "--max-posts", type=click.IntRange(min=1), help="Keep only the newest N posts."
        ),
        *FETCH_OPTIONS,
    ]
    for option in reversed(options):
        command = option(command)
    return command


def configured(options: dict[str, Any]) -> Config:
    """book.toml (or defaults), with the command line's choices on top."""
    config = find_config(options.pop("config_path"))
    since, until = options.pop("since"), options.pop("until")
    filters = Filters(
        since=since.date() if since else None,
        until=until.date() if until else None,
        categories=frozenset(options.pop("categories")) or None,
        exclude_categories=frozenset(options.pop("exclude_categories")),
        tags=frozenset(options.pop("tags")) or None,
        exclude_tags=frozenset(options.pop("exclude_tags")),
        max_posts=options.pop("max_posts"),
    )
    sources = tuple(_source_location(s) for s in options.pop("sources"))
    return apply_overrides(config, sources=sources, filters=filters, **options)


def _source_location(text: str) -> str:
    if text.startswith(("http://", "https://")):
        return text
    return str(Path(text).resolve())


@cli.command()
@source_options
@click.option(
    "-o",
    "--output",
    "output_dir",
    type=click.Path(path_type=Path),
    help="Folder to write the ebooks to (default: output/).",
)
@click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(FORMATS),
    help="Build only this format; repeat for several (default: all).",
)
@click.option("--title", help="Book title (overrides book.toml).")
@click.option("--author", help="Author name (overrides book.toml).")
@click.option("--strict", is_flag=True, help="Treat warnings as errors: write nothing.")
@click.option("--edition", metavar="NAME", help="Build only this edition (default: every one).")
@click.pass_obj
def build(obj: dict[str, object], **options: Any) -> None:
    """Build the book from SOURCE files, folders or web addresses, or from book.toml.

    With no SOURCE, the sources of book.toml are used, or the chapters/ folder.
    """
    from bookmaker.build import build as run_build

    config = configured(options)
    with _console(obj, config) as warnings:
        result = run_build(config, warnings)
    for path in result.written:
        click.echo(f"Wrote {display_path(path)}")


@cli.command()
@source_options
@click.option(
    "--into",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder to write the posts to (default: chapters/ beside book.toml).",
)
@click.option(
    "--overwrite", is_flag=True, help="Replace posts already in the folder, edits and all."
)
@click.pass_obj
def fetch(obj: dict[str, object], **options: Any) -> None:
    """Write the posts of SOURCE as Markdown files to edit; `build` then reads them offline.

    Each post becomes YYYY-MM-<slug>.md with front matter, its images in images/ beside it.
    A post already in the folder (same url) is kept as it is unless --overwrite is given.
    """
    from bookmaker.freeze import fetch_posts, summary

    into, overwrite = options.pop("into"), options.pop("overwrite")
    config = configured(options)
    target = into.resolve() if into is not None else config.root / "chapters"
    with _console(obj, config):
        result = fetch_posts(config, target, overwrite=overwrite)
    click.echo(summary(result, display_path(target) + "/"))


@contextmanager
def _console(obj: dict[str, object], config: Config) -> Iterator[WarningCollector]:
    """The command's log on stderr, and its warnings listed at the end, even when it fails."""
    verbosity = int(obj["verbosity"])  # type: ignore[call-overload]
    quiet_libraries(debug=verbosity > 0)
    with console_logging(verbosity, config.silenced) as warnings:
        try:
            yield warnings
        finally:
            _summarise_warnings(warnings.lines())


def _summarise_warnings(lines: list[str]) -> None:
    if lines:
        click.echo(f"{len(lines)} warning(s):", err=True)
        for line in lines:
            click.echo(f"  {line}", err=True)


def main() -> None:
    """Entry point: user errors are one line; bugs say so and point at --traceback."""
    show_traceback = "--traceback" in sys.argv[1:]
    try:
        cli.main(standalone_mode=False)
    except BookmakerError as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("bookmaker: interrupted", err=True)
        sys.exit(ExitStatus.INTERRUPTED)
    except click.ClickException as exc:  # usage errors: click's own message, exit 2
        exc.show()
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("bookmaker: interrupted", err=True)
        sys.exit(ExitStatus.INTERRUPTED)
    except Exception as exc:
        if show_traceback:
            raise
        click.echo(
            f"bookmaker: internal error: {type(exc).__name__}: {exc} "
            "(run with --traceback for details)",
            err=True,
        )
        sys.exit(ExitStatus.INTERNAL_ERROR)


from bookmaker.cli_extract import extract  # noqa: E402  (a command module of its own)

cli.add_command(extract)

from bookmaker.cli_book import init  # noqa: E402  (a command module of its own)

cli.add_command(init)
