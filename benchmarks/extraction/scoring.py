"""The benchmark's yardstick: the corpus on disk, HTML to text, and token overlap scores.

A page scores by the overlap of its bag of words with the truth's: both texts are lowercased and
cut into word tokens (`\\w+`, so any script works), each token counts as often as it occurs, and

    precision = shared / tokens extracted      recall = shared / tokens in the truth
    F1 = 2 * precision * recall / (precision + recall)

where `shared` is the size of the multiset intersection. An extractor that returns nothing scores
0 on all three: giving up is not precise. Corpus figures are means over pages, so a long post
weighs no more than a short one.

The post's title is not part of the truth (it becomes the chapter's heading, apart from the
text), so a title an extractor repeats at the very start of its text is not held against it.
"""

from __future__ import annotations

import functools
import gzip
import json
import re
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import lxml.html

CORPUS = Path(__file__).resolve().parent / "corpus"
PAGE_SUFFIX = ".html"
TRUTH_SUFFIX = ".txt"
TITLE_PREFIX = "title: "

_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"[\s\u200b]+")  # a zero-width space is how some editors keep an empty line
_BLOCK_TAGS = frozenset(
    "address article aside blockquote br caption dd details div dl dt figcaption figure footer "
    "form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody td tfoot "
    "th thead tr ul".split()
)
_SILENT_TAGS = frozenset("script style template noscript head title".split())


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float


@dataclass(frozen=True)
class Truth:
    title: str
    text: str


@dataclass(frozen=True)
class CorpusPage:
    group: str  # the folder: "wordpress-twentytwentyone", "ghost", …
    name: str  # the file name without suffix, or the page's id in a JSON truth file
    page: Path  # the HTML, UTF-8, gzip-compressed when its name ends in .gz
    truth_file: Path
    # Set when `truth_file` is a JSON file mapping page ids to {"articleBody": …}.
    truth_key: str | None = None

    @property
    def key(self) -> str:
        return f"{self.group}/{self.name}"

    def html(self) -> str:
        data = self.page.read_bytes()
        if self.page.suffix == ".gz":
            data = gzip.decompress(data)
        return data.decode("utf-8", errors="replace")

    def truth(self) -> Truth:
        if self.truth_key is None:
            return read_truth(self.truth_file)
        # The JSON truth has no title; the page's headline stands in, so that an extractor
        # repeating it at the start is forgiven here as on this corpus.
        text = _json_truths(self.truth_file)[self.truth_key]
        return Truth(title=headline(self.html()), text=text)


# --- scores -----------------------------------------------------------------------------------


def tokens(text: str) -> list[str]:
    """Lowercased word tokens, in order."""
    return _WORD.findall(text.lower())


def without_leading_title(words: Sequence[str], title: str) -> list[str]:
    """`words` less the title's tokens when the text opens with them."""
    heading = tokens(title)
    if heading and list(words[: len(heading)]) == heading:
        return list(words[len(heading) :])
    return list(words)


def score(extracted: str, truth: str, title: str = "") -> Score:
    """Precision, recall and F1 of the extracted text's words against the truth's."""
    found = Counter(without_leading_title(tokens(extracted), title))
    expected = Counter(tokens(truth))
    if not found and not expected:
        return Score(1.0, 1.0, 1.0)
    shared = sum((found & expected).values())
    if not shared:
        return Score(0.0, 0.0, 0.0)
    precision = shared / sum(found.values())
    recall = shared / sum(expected.values())
    return Score(precision, recall, 2 * precision * recall / (precision + recall))


def mean_score(scores: Iterable[Score]) -> Score:
    """The mean of each measure over pages."""
    scores = list(scores)
    return Score(
        statistics.fmean(s.precision for s in scores),
        statistics.fmean(s.recall for s in scores),
        statistics.fmean(s.f1 for s in scores),
    )


# --- text -------------------------------------------------------------------------------------


def html_to_text(html: str) -> str:
    """The visible text of an HTML fragment or page, a line per block, whitespace normalised."""
    if not html.strip():
        return ""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    pieces: list[str] = []
    _collect_text(root, pieces)
    return normalise("".join(pieces))


def _collect_text(el: lxml.html.HtmlElement, pieces: list[str]) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in _SILENT_TAGS or not tag:  # comments and processing instructions have no text
        return
    block = tag in _BLOCK_TAGS
    pieces.append("\n" if block else "")
    pieces.append(el.text or "")
    for child in el:
        _collect_text(child, pieces)
        pieces.append(child.tail or "")
    pieces.append("\n" if block else "")


def normalise(text: str) -> str:
    """Whitespace collapsed within lines, blank lines dropped."""
    lines = (_SPACE.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


# --- the corpus on disk -----------------------------------------------------------------------


def read_truth(path: Path) -> Truth:
    """A truth file: `title: …` on the first line, a blank line, then the article's text."""
    head, _, body = path.read_text(encoding="utf-8").partition("\n")
    if not head.startswith(TITLE_PREFIX):
        raise ValueError(f"{path}: the first line must be '{TITLE_PREFIX}…'")
    return Truth(title=head[len(TITLE_PREFIX) :].strip(), text=body.strip())


def format_truth(truth: Truth) -> str:
    return f"{TITLE_PREFIX}{truth.title}\n\n{truth.text.strip()}\n"


def corpus_pages(corpus: Path = CORPUS) -> list[CorpusPage]:
    """Every page of the corpus that has a truth file, by group and name."""
    pages = []
    for page in sorted(corpus.glob(f"*/*{PAGE_SUFFIX}")):
        truth_file = page.with_suffix(TRUTH_SUFFIX)
        if truth_file.is_file():
            pages.append(CorpusPage(page.parent.name, page.stem, page, truth_file))
    return pages


def unmatched_files(corpus: Path = CORPUS) -> list[Path]:
    """Pages without a truth file and truth files without a page."""
    pages = {p.with_suffix("") for p in corpus.glob(f"*/*{PAGE_SUFFIX}")}
    truths = {t.with_suffix("") for t in corpus.glob(f"*/*{TRUTH_SUFFIX}")}
    lonely = [p.with_suffix(PAGE_SUFFIX) for p in pages - truths]
    lonely += [t.with_suffix(TRUTH_SUFFIX) for t in truths - pages]
    return sorted(lonely)


# --- other corpora ----------------------------------------------------------------------------

SCRAPINGHUB_TRUTH = "ground-truth.json"
SCRAPINGHUB_PAGES = "html"


def scrapinghub_pages(root: Path) -> list[CorpusPage]:
    """The pages of a corpus in the layout of the ScrapingHub article-extraction benchmark.

    `root/ground-truth.json` maps each page id to {"articleBody": text, "url": address}, and
    `root/html/<id>.html.gz` is the page, gzip-compressed UTF-8. The truth has no title: the
    body is the article without its headline (see `headline`). A page id without its HTML file
    is an error.
    """
    truth_file = root / SCRAPINGHUB_TRUTH
    if not truth_file.is_file():
        raise ValueError(f"{root}: no {SCRAPINGHUB_TRUTH} (is this the benchmark's folder?)")
    pages, missing = [], []
    for key in sorted(_json_truths(truth_file)):
        page = root / SCRAPINGHUB_PAGES / f"{key}.html.gz"
        if not page.is_file():
            missing.append(page.name)
        pages.append(CorpusPage(root.name, key, page, truth_file, truth_key=key))
    if missing:
        raise ValueError(f"{root / SCRAPINGHUB_PAGES}: missing {len(missing)} pages: {missing[:3]}")
    return pages


@functools.lru_cache(maxsize=4)
def _json_truths(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8") as f:
        items = json.load(f)
    if not isinstance(items, dict):
        raise ValueError(f"{path}: expected an object mapping page ids to their truth")
    return {key: (item.get("articleBody") or "").strip() for key, item in items.items()}


def headline(html: str) -> str:
    """A page's headline: its first <h1>, else its og:title, else nothing."""
    if not html.strip():
        return ""
    doc = lxml.html.document_fromstring(html.encode("utf-8"))
    first = next(doc.iter("h1"), None)
    if first is not None and first.text_content().strip():
        return normalise(first.text_content())
    og = doc.xpath("//meta[@property='og:title']/@content")
    return normalise(og[0]) if og else ""


# How each corpus layout is read, by the name `run.py --format` takes.
CORPUS_FORMATS: dict[str, Callable[[Path], list[CorpusPage]]] = {
    "bookmaker": corpus_pages,
    "scrapinghub": scrapinghub_pages,
}
