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

import re
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
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
    name: str  # the file name without suffix
    page: Path
    truth_file: Path

    @property
    def key(self) -> str:
        return f"{self.group}/{self.name}"

    def truth(self) -> Truth:
        return read_truth(self.truth_file)


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
        pages.append(CorpusPage(page.parent.name, page.stem, page, truth_file))
    return pages


def unmatched_files(corpus: Path = CORPUS) -> list[Path]:
    """Pages without a truth file and truth files without a page."""
    pages = {p.with_suffix("") for p in corpus.glob(f"*/*{PAGE_SUFFIX}")}
    truths = {t.with_suffix("") for t in corpus.glob(f"*/*{TRUTH_SUFFIX}")}
    lonely = [p.with_suffix(PAGE_SUFFIX) for p in pages - truths]
    lonely += [t.with_suffix(TRUTH_SUFFIX) for t in truths - pages]
    return sorted(lonely)
