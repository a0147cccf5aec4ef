"""`bookmaker extract PAGE`: what bookmaker keeps from one page, with its metadata.

The author's way to check a page and tune selectors before a build. A web address goes through
the same fetcher as a build (the cache beside book.toml, robots.txt, --offline); a file is read
as a saved page. A few other pages of the same blog are read too (the previous and next posts,
the feed; for a file, the other saved pages in its folder) to learn the blog's template, as a
build does, so the article printed is the one the book would get.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from bookmaker.cli_options import fetch_options
from bookmaker.config import apply_overrides, find_config
from bookmaker.errors import ConfigError, SourceError
from bookmaker.extract.overrides import Overrides
from bookmaker.extract.report import FORMATS, Reading, report
from bookmaker.extract.select import SelectorError
from bookmaker.extract.template import MIN_PAGES
from bookmaker.log import console_logging, quiet_libraries

if TYPE_CHECKING:  # the extractor and fetcher load when a page is read, not for --help
    import lxml.html

    from bookmaker.extract.article import Extracted
    from bookmaker.extract.template import Template
    from bookmaker.fetch import FetchSettings

log = logging.getLogger(__name__)


@click.command("extract")
@click.argument("page", metavar="URL_OR_FILE")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default="markdown",
    show_default=True,
    help="How to print the article.",
)
@click.option(
    "--content",
    "--selectors",
    "content",
    metavar="CSS",
    help="The element that holds the post (as book.toml's `content`).",
)
@click.option(
    "--remove",
    multiple=True,
    metavar="CSS",
    help="Drop blocks this selector finds (repeatable; as book.toml's `remove`).",
)
@click.option(
    "--explain",
    is_flag=True,
    help="Also show how the article was found and what was left out, with selectors to copy.",
)
@fetch_options
@click.pass_obj
def extract(obj: dict[str, Any] | None, **options: Any) -> None:
    """Print what bookmaker keeps from the page at URL_OR_FILE, with its metadata."""
    from bookmaker.sources.read import fetch_settings

    overrides = Overrides(options["content"], tuple(options["remove"]))
    problems = overrides.problems()
    if problems:
        raise ConfigError("\n".join(problems))
    config = apply_overrides(
        find_config(options["config_path"]),
        offline=options["offline"],
        refresh=options["refresh"],
        ignore_robots=options["ignore_robots"],
    )
    settings = fetch_settings(config)
    verbosity = int((obj or {}).get("verbosity", 0))
    quiet_libraries(debug=verbosity > 0)
    with console_logging(verbosity, config.silenced):
        reading = read_page(options["page"], overrides, settings, explain=options["explain"])
    click.echo(report(reading, options["output_format"], explain=options["explain"]), nl=False)


def read_page(
    location: str, overrides: Overrides, settings: FetchSettings, explain: bool = False
) -> Reading:
    """Extract one page (a URL or a saved file), the blog's template learned from its siblings."""
    from bookmaker.extract.article import ExtractionError
    from bookmaker.fetch import FetchError

    try:
        if location.startswith(("http://", "https://")):
            return _read_url(location, overrides, settings, explain)
        return _read_file(Path(location), overrides, explain)
    except FetchError as exc:
        raise SourceError(exc.message) from None
    except SelectorError as exc:
        raise ConfigError(str(exc)) from None
    except ExtractionError as exc:
        raise SourceError(f"{location}: {exc}") from None


def _read_url(url: str, overrides: Overrides, settings: FetchSettings, explain: bool) -> Reading:
    from bookmaker.extract.article import extract, parse_page
    from bookmaker.extract.template import learn_template
    from bookmaker.fetch import Fetcher
    from bookmaker.sources.siblings import sibling_pages

    with Fetcher(settings) as fetcher:
        page = fetcher.get(url, reuse=True)
        doc = parse_page(page.content, page.encoding)
        log.info("Reading other pages of the blog to learn its template")
        siblings = sibling_pages(fetcher, page, doc)
    docs = [doc] + [d for d in (_parsed(s.content, s.encoding) for s in siblings) if d is not None]
    template = learn_template(docs, selectors=explain)
    found = extract(page.content, page.final_url, page.encoding, overrides, template, explain)
    return _reading(url, found, template, tuple(s.final_url for s in siblings))


def _read_file(path: Path, overrides: Overrides, explain: bool) -> Reading:
    from bookmaker.extract.article import extract, parse_page
    from bookmaker.extract.template import learn_template
    from bookmaker.sources.siblings import sibling_files

    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceError(f"{path}: no such file") from None
    except OSError as exc:
        raise SourceError(f"{path}: cannot read ({exc.strerror})") from None
    siblings = sibling_files(path)
    docs = [parse_page(data)] + [d for d in map(_parsed_file, siblings) if d is not None]
    template = learn_template(docs, selectors=explain)
    found = extract(data, overrides=overrides, template=template, explain=explain)
    return _reading(str(path), found, template, tuple(str(s) for s in siblings))


def _reading(
    location: str, found: Extracted, template: Template, siblings: tuple[str, ...]
) -> Reading:
    pages = template.pages if template.pages >= MIN_PAGES else 0
    return Reading(location, found, template_pages=pages, siblings=siblings)


def _parsed(content: bytes, encoding: str | None = None) -> lxml.html.HtmlElement | None:
    from bookmaker.extract.article import ExtractionError, parse_page

    try:
        return parse_page(content, encoding)
    except ExtractionError:
        return None


def _parsed_file(path: Path) -> lxml.html.HtmlElement | None:
    try:
        return _parsed(path.read_bytes())
    except OSError:
        return None
