"""The extraction benchmark's yardstick and corpus (benchmarks/extraction): fast checks only.

The full run (three extractors over the corpus) is `python benchmarks/extraction/run.py`.
"""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path

import lxml.html
import pytest

BENCHMARK = Path(__file__).resolve().parents[1] / "benchmarks" / "extraction"


def _load_scoring():
    spec = importlib.util.spec_from_file_location("extraction_scoring", BENCHMARK / "scoring.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


scoring = _load_scoring()


# --- the scorer ------------------------------------------------------------------------------


def test_half_the_truth_found_and_nothing_else():
    s = scoring.score("the cat sat", "the cat sat on the mat")
    assert s.precision == 1.0
    assert s.recall == 0.5
    assert s.f1 == pytest.approx(2 / 3)


def test_leaked_words_cost_precision_only():
    s = scoring.score("Share this: the cat", "the cat")
    assert s.precision == 0.5
    assert s.recall == 1.0
    assert s.f1 == pytest.approx(2 / 3)


def test_words_count_as_often_as_they_occur():
    s = scoring.score("the the the", "the cat")
    assert s.precision == pytest.approx(1 / 3)
    assert s.recall == 0.5
    assert s.f1 == pytest.approx(0.4)


def test_case_and_punctuation_do_not_matter():
    assert scoring.score("Hello, World!", "hello world") == scoring.Score(1.0, 1.0, 1.0)


def test_nothing_extracted_scores_zero_and_nothing_expected_scores_one():
    assert scoring.score("", "the cat") == scoring.Score(0.0, 0.0, 0.0)
    assert scoring.score("", "") == scoring.Score(1.0, 1.0, 1.0)


def test_a_title_repeated_at_the_start_is_not_a_leak():
    assert scoring.score("My Title. The body", "the body", title="My title").precision == 1.0
    # Anywhere else, the title's words are extra words.
    assert scoring.score("the body my title", "the body", title="My title").precision == 0.5


def test_mean_score_is_the_mean_of_each_measure():
    mean = scoring.mean_score([scoring.Score(1.0, 0.5, 0.6), scoring.Score(0.5, 1.0, 0.8)])
    assert mean == scoring.Score(0.75, 0.75, pytest.approx(0.7))


def test_html_to_text_puts_blocks_on_lines_and_keeps_words_whole():
    html = (
        "<h2>Head</h2><p>One <b>wo</b>rd.</p><script>var x;</script><ul><li>a</li><li>b</li></ul>"
    )
    assert scoring.html_to_text(html) == "Head\nOne word.\na\nb"


# --- the corpus ------------------------------------------------------------------------------


def test_every_page_has_a_truth_file_and_every_truth_file_a_page():
    assert scoring.unmatched_files() == []


def test_the_corpus_has_three_wordpress_themes_and_eight_other_platforms():
    groups = Counter(page.group for page in scoring.corpus_pages())
    themes = [g for g in groups if g.startswith("wordpress-")]
    platforms = [g for g in groups if not g.startswith("wordpress-")]
    assert len(themes) >= 3 and all(groups[t] >= 12 for t in themes)
    assert len(platforms) >= 8 and all(groups[p] >= 2 for p in platforms)


@pytest.mark.parametrize("page", scoring.corpus_pages(), ids=lambda page: page.key)
def test_every_truth_word_is_on_its_page(page):
    """A truth holds only text the page shows: nothing invented, nothing from another page."""
    truth = page.truth()
    assert truth.title and truth.text
    body = lxml.html.document_fromstring(page.page.read_bytes()).body
    for el in body.iter("script", "style", "noscript", "template"):
        el.text = None
    # Words split by inline markup (H<sub>2</sub>O) and words in separate blocks both count.
    glued = Counter(scoring.tokens(body.text_content()))
    shown = glued | Counter(scoring.tokens(" ".join(body.itertext())))
    missing = Counter(scoring.tokens(truth.text)) - shown
    assert not missing, f"{page.key}: truth words not on the page: {sorted(missing)[:10]}"
