"""What an extractor got wrong on one page, and where in the page it sits: a guide for tuning.

The extracted tokens are lined up against the truth's; runs only in the extraction leaked, runs
only in the truth were lost. Each run is looked up in the page to name the element holding it
(`section#comments > ol.comment-list`); a lost run that bookmaker took out on purpose also names
the rule that took it.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

import lxml.html
from scoring import CorpusPage, tokens, without_leading_title

RUNS_SHOWN = 3  # of each kind, longest first
RUN_WORDS = 12  # words of a run shown
PROBE_WORDS = 6  # words of a run looked up in the page


def describe_page(page: CorpusPage, extracted: str) -> list[str]:
    """Lines naming the longest leaked and lost runs of words, with where each sits."""
    truth = page.truth()
    expected = tokens(truth.text)
    found = without_leading_title(tokens(extracted), truth.title)
    leaked, lost = diff_runs(expected, found)
    html = page.html()
    doc = lxml.html.document_fromstring(html)
    reasons = removal_reasons(html)
    lines = [f"+ {count_words(leaked)} words leaked in {len(leaked)} runs"] if leaked else []
    lines += [_run_line("+", run, doc, {}) for run in longest(leaked)]
    lines += [f"- {count_words(lost)} words lost in {len(lost)} runs"] if lost else []
    lines += [_run_line("-", run, doc, reasons) for run in longest(lost)]
    return lines


def diff_runs(expected: list[str], found: list[str]) -> tuple[list[list[str]], list[list[str]]]:
    """Runs of words found but not expected (leaked), and expected but not found (lost)."""
    matcher = difflib.SequenceMatcher(a=expected, b=found, autojunk=False)
    leaked, lost = [], []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op in ("insert", "replace"):
            leaked.append(found[b1:b2])
        if op in ("delete", "replace"):
            lost.append(expected[a1:a2])
    return leaked, lost


def longest(runs: list[list[str]]) -> list[list[str]]:
    return sorted(runs, key=len, reverse=True)[:RUNS_SHOWN]


def count_words(runs: Iterable[list[str]]) -> int:
    return sum(len(run) for run in runs)


def _run_line(sign: str, run: list[str], doc: lxml.html.HtmlElement, reasons: dict) -> str:
    shown = " ".join(run[:RUN_WORDS]) + (" …" if len(run) > RUN_WORDS else "")
    places = holders_of(doc, run[:PROBE_WORDS])
    where = " | ".join(element_path(el) for el in places[:2]) or "(not in the page's text)"
    reason = next((why for text, why in reasons.items() if _contains(text, run[:3])), "")
    return f"{sign} [{len(run)}] {shown!r}  in {where}" + (f"; removed: {reason}" if reason else "")


def holders_of(doc: lxml.html.HtmlElement, words: list[str]) -> list[lxml.html.HtmlElement]:
    """The innermost elements whose text holds these words in a row, in page order."""
    matches = [
        el
        for el in doc.iter()
        if isinstance(el.tag, str)
        and el.tag not in ("script", "style", "head")
        and _contains(" ".join(el.itertext()), words)  # blocks apart, as a reader sees them
    ]
    inner = set(matches) - {a for el in matches for a in el.iterancestors()}
    return [el for el in matches if el in inner]


def element_path(el: lxml.html.HtmlElement) -> str:
    """Up to three labelled elements from the page's body down to `el`, CSS-style."""
    labels = []
    for node in [el, *el.iterancestors()]:
        if node.tag in ("body", "html"):
            break
        if node.get("id") or node.get("class") or not labels:
            labels.append(_label(node))
        if len(labels) == 3:
            break
    return " > ".join(reversed(labels))


def _label(el: lxml.html.HtmlElement) -> str:
    ident = f"#{el.get('id')}" if el.get("id") else ""
    classes = "".join(f".{c}" for c in (el.get("class") or "").split()[:3])
    return f"{el.tag}{ident}{classes}"


def _contains(text: str, words: list[str]) -> bool:
    return f" {' '.join(words)} " in f" {' '.join(tokens(text))} "


def removal_reasons(html: str) -> dict[str, str]:
    """What bookmaker says it took out of this page, and why (preview text → reason)."""
    from bookmaker.extract.article import extract

    try:
        removed = getattr(extract(html, explain=True), "removed", ())
    except Exception:  # the page's score already says it failed
        return {}
    return {r.text: f"{r.reason} ({r.selector})" if r.selector else r.reason for r in removed}
