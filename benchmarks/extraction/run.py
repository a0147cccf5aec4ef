"""Score bookmaker's article extraction on the blog corpus beside trafilatura and readability-lxml.

    python benchmarks/extraction/run.py [--write-readme] [--worst 10] [--group ghost ...]
    python benchmarks/extraction/run.py --corpus DIR [--format bookmaker|scrapinghub]

Every extractor gets the same pages in the same run. Scores are token precision, recall and F1
against the hand-checked truth (see scoring.py and README.md). Prints the mean scores of each
extractor, the same per group of pages (WordPress per theme, each platform), and bookmaker's
worst pages with what leaked into its text and what it lost, and where in the page that sits.
With --write-readme the two tables go into the project's README between the marker comments.
With --corpus, another corpus is scored the same way: one in this corpus' layout, or a public
benchmark's pages in the ScrapingHub article-extraction-benchmark layout (see README.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import logging
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from diagnose import describe_page  # noqa: E402
from scoring import (  # noqa: E402
    CORPUS,
    CORPUS_FORMATS,
    CorpusPage,
    Score,
    html_to_text,
    mean_score,
    score,
)

README = ROOT / "README.md"
START_MARK = "<!-- extraction-benchmark:start -->"
END_MARK = "<!-- extraction-benchmark:end -->"
Extractor = Callable[[str], str]


@dataclass(frozen=True)
class Result:
    page: CorpusPage
    text: str
    score: Score
    error: str = ""


def bookmaker_text(html: str) -> str:
    from bookmaker.extract.article import extract

    return html_to_text(extract(html).body_html)


def trafilatura_text(html: str) -> str:
    import trafilatura

    # As the public benchmarks call it: defaults, comments off.
    return trafilatura.extract(html, include_comments=False) or ""


def readability_text(html: str) -> str:
    from readability import Document

    return html_to_text(Document(html).summary(html_partial=True))


EXTRACTORS: dict[str, Extractor] = {
    "bookmaker": bookmaker_text,
    "trafilatura": trafilatura_text,
    "readability-lxml": readability_text,
}
VERSIONED = {"trafilatura": "trafilatura", "readability-lxml": "readability-lxml"}


# --- measuring ----------------------------------------------------------------------------------


def measure(extractor: Extractor, pages: list[CorpusPage]) -> list[Result]:
    results = []
    for page in pages:
        html = page.html()
        truth = page.truth()
        try:
            text, error = extractor(html), ""
        except Exception as exc:  # one page failing is a score of 0, not the end of the run
            text, error = "", f"{type(exc).__name__}: {exc}"
        results.append(Result(page, text, score(text, truth.text, truth.title), error))
    return results


def groups_of(pages: list[CorpusPage]) -> list[str]:
    """WordPress themes first, then the platforms, each in name order."""
    names = {p.group for p in pages}
    return sorted(names, key=lambda g: (not g.startswith("wordpress-"), g))


# --- tables -------------------------------------------------------------------------------------


def summary_table(runs: dict[str, list[Result]]) -> str:
    # WordPress is most of the corpus, so its pages and the others' also get an F1 of their own.
    lines = [
        "| extractor | pages | precision | recall | F1 | F1 WordPress | F1 other platforms "
        "| failed |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, results in runs.items():
        mean = mean_score(r.score for r in results)
        wordpress = _mean_f1([r for r in results if _is_wordpress(r.page)])
        others = _mean_f1([r for r in results if not _is_wordpress(r.page)])
        failed = sum(1 for r in results if r.error)
        lines.append(
            f"| {name} | {len(results)} | {mean.precision:.3f} | {mean.recall:.3f} "
            f"| {mean.f1:.3f} | {wordpress} | {others} | {failed} |"
        )
    return "\n".join(lines)


def _mean_f1(results: list[Result]) -> str:
    return f"{mean_score(r.score for r in results).f1:.3f}" if results else "–"


def _is_wordpress(page: CorpusPage) -> bool:
    return page.group.startswith("wordpress-")


def group_table(runs: dict[str, list[Result]], groups: list[str]) -> str:
    head = " | ".join(f"{name} P / R / F1" for name in runs)
    lines = [f"| group | pages | {head} |", "| --- | ---: |" + " ---: |" * len(runs)]
    for group in groups:
        cells = []
        for results in runs.values():
            mean = mean_score(r.score for r in results if r.page.group == group)
            cells.append(f"{mean.precision:.2f} / {mean.recall:.2f} / {mean.f1:.2f}")
        count = sum(1 for r in next(iter(runs.values())) if r.page.group == group)
        lines.append(f"| {group} | {count} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def worst_pages(results: list[Result], count: int) -> str:
    worst = sorted(results, key=lambda r: (r.score.f1, r.page.key))[:count]
    blocks = []
    for r in worst:
        s = r.score
        head = f"{r.page.key}: P {s.precision:.3f}  R {s.recall:.3f}  F1 {s.f1:.3f}"
        blocks.append(head + (f"  ({r.error})" if r.error else ""))
        blocks.extend(f"    {line}" for line in describe_page(r.page, r.text))
    return "\n".join(blocks)


def versions(runs: dict[str, list[Result]]) -> str:
    found = [
        f"{name} {importlib.metadata.version(dist)}"
        for name, dist in VERSIONED.items()
        if name in runs
    ]
    return ", ".join(found) or "bookmaker only"


def write_readme(tables: str) -> None:
    text = README.read_text(encoding="utf-8")
    start, end = text.find(START_MARK), text.find(END_MARK)
    if start < 0 or end < start:
        raise SystemExit(f"{README}: no {START_MARK} … {END_MARK} markers to write between")
    head = text[: start + len(START_MARK)]
    README.write_text(f"{head}\n{tables}\n{text[end:]}", encoding="utf-8")


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write-readme", action="store_true", help="put the tables in README.md")
    parser.add_argument("--worst", type=int, default=10, help="how many of bookmaker's worst pages")
    parser.add_argument("--group", nargs="*", help="only these groups (folder names)")
    parser.add_argument(
        "--corpus", type=Path, help="score the pages of this folder instead of the project's"
    )
    parser.add_argument(
        "--format",
        choices=sorted(CORPUS_FORMATS),
        default="bookmaker",
        help="the corpus' layout: this corpus' (default) or the ScrapingHub benchmark's",
    )
    parser.add_argument(
        "--extractors",
        nargs="+",
        choices=list(EXTRACTORS),
        default=list(EXTRACTORS),
        help="which extractors to run (bookmaker always runs)",
    )
    args = parser.parse_args(argv)
    if args.write_readme and args.corpus:
        parser.error("--write-readme writes the project corpus' tables; leave out --corpus")
    return args


def read_pages(args: argparse.Namespace) -> list[CorpusPage]:
    try:
        pages = CORPUS_FORMATS[args.format](args.corpus or CORPUS)
    except (OSError, ValueError) as exc:
        raise SystemExit(f"cannot read the corpus: {exc}") from None
    return [p for p in pages if not args.group or p.group in args.group]


def main(argv: list[str] | None = None) -> None:
    args = parse_arguments(argv)
    logging.basicConfig(level=logging.ERROR)  # extractors' own warnings are not the result
    pages = read_pages(args)
    if not pages:
        raise SystemExit("no corpus pages to score")
    runs = {}
    for name in ["bookmaker", *(e for e in args.extractors if e != "bookmaker")]:
        started = time.perf_counter()
        runs[name] = measure(EXTRACTORS[name], pages)
        took = time.perf_counter() - started
        print(f"{name}: {len(pages)} pages in {took:.1f} s", file=sys.stderr)
    tables = (
        f"Measured {dt.date.today().isoformat()} on {len(pages)} pages with {versions(runs)}.\n\n"
        f"{summary_table(runs)}\n\n{group_table(runs, groups_of(pages))}"
    )
    print(tables)
    print(f"\nbookmaker's {args.worst} worst pages (+ leaked, - lost):")
    print(worst_pages(runs["bookmaker"], args.worst))
    if args.write_readme:
        write_readme(tables)
        print(f"\nwrote the tables into {README}", file=sys.stderr)


if __name__ == "__main__":
    main()
