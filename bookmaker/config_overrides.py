"""Settings changed after book.toml is read: by the command line, and edition by edition."""

from __future__ import annotations

import difflib
from dataclasses import replace
from pathlib import Path
from typing import Any

from bookmaker.config_schema import FULL_EDITION
from bookmaker.errors import ConfigError
from bookmaker.settings import Config, Source


def apply_overrides(config: Config, **overrides: Any) -> Config:
    """Command-line options win over book.toml. None means 'not given'."""
    book, output = config.book, config.output
    if overrides.get("title"):
        book = replace(book, title=overrides["title"])
    if overrides.get("author"):
        book = replace(book, authors=(overrides["author"],))
    if overrides.get("output_dir"):
        output = replace(output, dir=Path(overrides["output_dir"]).resolve())
    if overrides.get("formats"):
        output = replace(output, formats=tuple(dict.fromkeys(overrides["formats"])))
    sources = tuple(Source(str(s)) for s in overrides.get("sources") or ()) or config.sources
    cli_filters = overrides.get("filters")
    if cli_filters is not None:
        sources = tuple(replace(s, filters=s.filters.overridden_by(cli_filters)) for s in sources)
    fetch = replace(
        config.fetch,
        offline=config.fetch.offline or bool(overrides.get("offline")),
        ignore_robots=config.fetch.ignore_robots or bool(overrides.get("ignore_robots")),
        refresh=config.fetch.refresh or bool(overrides.get("refresh")),
    )
    strict = config.strict or bool(overrides.get("strict"))
    selected = config.selected
    if overrides.get("edition"):
        selected = (_known_edition(config, overrides["edition"]),)
    return replace(
        config,
        book=book,
        output=output,
        sources=sources,
        fetch=fetch,
        strict=strict,
        selected=selected,
    )


def edition_names(config: Config) -> tuple[str, ...]:
    return (FULL_EDITION, *(e.name for e in config.editions))


def _known_edition(config: Config, name: str) -> str:
    names = edition_names(config)
    if name in names:
        return name
    close = difflib.get_close_matches(name, names, n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    raise ConfigError(
        f"--edition {name}: {config.label} declares no such edition; {hint}"
        f"editions: {', '.join(names)}"
    )


def for_edition(config: Config, name: str, full_file_name: str) -> Config:
    """The settings of one edition: the whole book's, changed as [editions.NAME] says.

    An edition never inherits the book's ISBN or identifier: stores and readers tell editions
    apart by them. `full_file_name` is the whole book's file name, which editions extend.
    """
    if name == FULL_EDITION:
        return replace(config, output=replace(config.output, name=full_file_name))
    edition = next(e for e in config.editions if e.name == name)
    book = replace(
        config.book,
        title=edition.title or config.book.title,
        title_suffix="" if edition.title else edition.title_suffix,
        subtitle=edition.subtitle or config.book.subtitle,
        description=edition.description or config.book.description,
        isbn=edition.isbn,
        identifier=edition.identifier,
        cover=edition.cover or config.book.cover,
    )
    output = replace(
        config.output,
        name=edition.file_name or f"{full_file_name}-{name}",
        formats=edition.formats or config.output.formats,
    )
    chapters = replace(config.chapters, only=edition.chapters)
    return replace(config, book=book, output=output, chapters=chapters, edition=name)
