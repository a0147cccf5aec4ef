"""The command line: each command parses its options and calls one function."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from bookmaker import __version__
from bookmaker.config import FORMATS, apply_overrides, default_config, load_config
from bookmaker.errors import BookmakerError, ExitStatus
from bookmaker.log import console_logging, quiet_libraries

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


@cli.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "-c",
    "--config",
    "config_path",
    type=click.Path(path_type=Path),
    help="The book description (default: ./book.toml if present).",
)
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
@click.pass_obj
def build(
    obj: dict[str, object],
    sources: tuple[Path, ...],
    config_path: Path | None,
    output_dir: Path | None,
    formats: tuple[str, ...],
    title: str | None,
    author: str | None,
    strict: bool,
) -> None:
    """Build the book from SOURCE files or folders, or from book.toml.

    With no SOURCE, the sources of book.toml are used, or the chapters/ folder.
    """
    from bookmaker.build import build as run_build

    config = _config(config_path)
    config = apply_overrides(
        config,
        sources=tuple(p.resolve() for p in sources),
        output_dir=output_dir,
        formats=formats,
        title=title,
        author=author,
        strict=strict,
    )
    verbosity = int(obj["verbosity"])  # type: ignore[call-overload]
    quiet_libraries(debug=verbosity > 0)
    with console_logging(verbosity, config.silenced) as warnings:
        try:
            result = run_build(config, warnings)
        finally:
            _summarise_warnings(warnings.lines())
    for path in result.written:
        click.echo(f"Wrote {_display(path)}")


def _config(path: Path | None):  # type: ignore[no-untyped-def]
    if path is not None:
        return load_config(path)
    default = Path("book.toml")
    if default.is_file():
        return load_config(default)
    return default_config(Path.cwd())


def _summarise_warnings(lines: list[str]) -> None:
    if lines:
        click.echo(f"{len(lines)} warning(s):", err=True)
        for line in lines:
            click.echo(f"  {line}", err=True)


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


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
