"""The author's own rules for a source (`content`, `remove`), in extraction and through the sources.

Also: the web source reads a blog's pages in two passes, learning its template in the first.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest
from test_extract_template import FURNITURE, UNIQUE, loom_pages
from test_sources_web import SITES, SiteServer

from bookmaker.errors import ConfigError
from bookmaker.extract.article import extract
from bookmaker.extract.overrides import Overrides
from bookmaker.extract.select import SelectorError, check_selectors, select, selector_for
from bookmaker.fetch import Fetcher, FetchSettings
from bookmaker.sources.html import load_html, load_html_pages
from bookmaker.sources.refs import PostRef
from bookmaker.sources.remote import load_refs

SENTENCE = "<p>{} is a sentence long enough to count as part of an article body.</p>"


def page(body: str) -> str:
    return f"<!DOCTYPE html><html><head><title>Rules</title></head><body>{body}</body></html>"


def text_of(fragment: str) -> str:
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    return " ".join(" ".join(root.itertext()).split())


POST = page(
    "<article><div class='entry-content'>"
    + SENTENCE.format("First")
    + "<div class='odd-box'><p>Buy my pottery in the shop, every mug half price today.</p></div>"
    + SENTENCE.format("Second")
    + "</div></article><div class='extra'>"
    + SENTENCE.format("Postscript")
    + "</div>"
)


def test_remove_drops_blocks_no_rule_knows() -> None:
    assert "Buy my pottery" in text_of(extract(POST).body_html)
    found = extract(POST, overrides=Overrides(remove=(".odd-box",)), explain=True)
    text = text_of(found.body_html)
    assert "Buy my pottery" not in text
    assert "First is a sentence" in text and "Second is a sentence" in text
    assert [(r.source, r.reason, r.selector) for r in found.removed] == [
        ("override", "your remove selector '.odd-box'", ".odd-box")
    ]


def test_content_wins_over_every_built_in_selector() -> None:
    found = extract(POST, overrides=Overrides(content="div.extra"))
    assert text_of(found.body_html).startswith("Postscript is a sentence")
    assert found.found_by == "your content selector 'div.extra'"


def test_several_content_matches_are_taken_together_and_nothing_between() -> None:
    html = page(
        "<div class='layout'><section class='part'>"
        + SENTENCE.format("Part one")
        + "</section>Loose words between.<div class='ad-slot'>Buy now</div><section class='part'>"
        + SENTENCE.format("Part two")
        + "</section></div>"
    )
    text = text_of(extract(html, overrides=Overrides(content="section.part")).body_html)
    assert text.startswith("Part one is a sentence") and "Part two is a sentence" in text
    assert "Loose words" not in text and "Buy now" not in text


def test_content_that_matches_nothing_warns_and_falls_back(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="bookmaker"):
        found = extract(POST, url="https://b.example/p", overrides=Overrides(content=".gone"))
    assert "First is a sentence" in text_of(found.body_html)
    [record] = caplog.records
    assert record.code == "extract.content_missing"  # type: ignore[attr-defined]
    assert record.getMessage() == (
        "https://b.example/p: content selector '.gone' matches nothing; "
        "the article was looked for as usual"
    )


def test_removed_blocks_are_never_taken_for_the_article() -> None:
    html = page(
        "<div id='chatter'>" + SENTENCE.format("Comment, long, with, commas") * 6 + "</div>"
        "<div id='story'>" + SENTENCE.format("Story") * 2 + "</div>"
    )
    assert "Comment" in text_of(extract(html).body_html)  # scoring prefers the longer block
    text = text_of(extract(html, overrides=Overrides(remove=("#chatter",))).body_html)
    assert "Story is a sentence" in text and "Comment" not in text


@pytest.mark.parametrize("css", ["div >> p", "p::after", "a:hover", "", "p,"])
def test_unusable_selectors_are_refused_with_a_reason(css: str) -> None:
    with pytest.raises(SelectorError):
        extract(POST, overrides=Overrides(remove=(css,)))
    assert len(check_selectors([css, ".fine"])) == 1
    assert Overrides(content=".ok", remove=(css,)).problems()


def test_full_css_is_understood() -> None:
    doc = lxml.html.document_fromstring(
        "<html><body><div id='a'><p class='x y'>1</p><p data-role='share bar'>2</p><p>3</p>"
        "</div></body></html>"
    )
    texts = {
        css: [el.text for el in select(doc, css)]
        for css in (
            "#a > p:nth-of-type(2)",
            "p:not(.x)",
            "[data-role~='share']",
            "p.x, p:last-child",
        )
    }
    assert texts == {
        "#a > p:nth-of-type(2)": ["2"],
        "p:not(.x)": ["2", "3"],
        "[data-role~='share']": ["2"],
        "p.x, p:last-child": ["1", "3"],
    }


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<div id='newsletter'><p>x</p></div>", "#newsletter"),
        ("<div id='post-412' class='share-row box'><p>x</p></div>", "div.share-row.box"),
        ("<section class='c'><p>a</p><p>x</p></section>", "body > section > p:nth-of-type(2)"),
    ],
)
def test_selectors_written_for_the_author_find_the_element(html: str, expected: str) -> None:
    doc = lxml.html.document_fromstring(f"<html><body>{html}</body></html>")
    target = next(el for el in doc.iter() if el.text == "x")
    target = target if expected.endswith(")") else target.getparent()
    assert selector_for(target) == expected
    assert select(doc, expected) == [target]


def test_overrides_combine_global_and_per_source_rules() -> None:
    site = Overrides(remove=(".cookie", ".share"))
    source = Overrides(content=".post", remove=(".share", ".promo"))
    assert site.combined(source) == Overrides(
        content=".post", remove=(".cookie", ".share", ".promo")
    )
    assert site.combined(None) == site
    assert not Overrides() and Overrides(remove=(".x",))


def test_saved_page_source_takes_overrides(tmp_path: Path) -> None:
    saved = loom_pages(tmp_path / "saved")[0]
    post = load_html(saved, Overrides(remove=("div.zz-7", "div.qb-card")))
    text = text_of(post.body)
    assert "Pass it on" not in text and "Hedda Lind weaves" not in text
    assert "The Thursday Thread" in text  # one page alone: no template


# --- the web source ----------------------------------------------------------------------------


@pytest.fixture
def loom_site() -> Iterator[SiteServer]:
    with SiteServer(SITES / "loom-blog") as server:
        yield server


@pytest.fixture
def fetcher(tmp_path: Path) -> Iterator[Fetcher]:
    settings = FetchSettings(cache_dir=tmp_path / "cache", delay=0, retries=0, timeout=5)
    with Fetcher(settings) as client:
        yield client


def test_web_posts_of_one_blog_are_read_with_its_template(
    loom_site: SiteServer, fetcher: Fetcher
) -> None:
    refs = [PostRef(url=loom_site.url(f"/posts/{name}.html")) for name in sorted(UNIQUE)]
    posts, skipped = load_refs(refs, fetcher, workers=2)
    assert skipped == [] and [p.url for p in posts] == [r.url for r in refs]
    for post, name in zip(posts, sorted(UNIQUE), strict=True):
        text = text_of(post.body)
        assert [phrase for phrase in FURNITURE if phrase in text] == []
        assert UNIQUE[name] in text
    for ref in refs:  # each page fetched once, for both passes
        assert loom_site.requests.count(ref.url.removeprefix(loom_site.base)) == 1


def test_web_source_takes_overrides(loom_site: SiteServer, fetcher: Fetcher) -> None:
    refs = [PostRef(url=loom_site.url("/posts/twill-at-last.html"))]
    [post], _ = load_refs(refs, fetcher, overrides=Overrides(content="div.rt-text"))
    text = text_of(post.body)
    assert "Pass it on" not in text  # outside the chosen element
    assert "The Thursday Thread" in text  # one page alone: no template


NEWS = (
    "The plums came in early this year, so the jam table is back by the church gate.",
    "Rain closed the square on Saturday; the cheese van parked behind the library instead.",
    "A new stall sells honey from hives on the allotments, in jars you can bring back.",
    "The bread man retires at Christmas and is looking for someone to take on his oven.",
)


def test_bodies_from_an_api_learn_their_own_template(fetcher: Fetcher) -> None:
    sign_off = "<p>Thanks for reading, and see you next Sunday at the market stall.</p>"
    refs = [
        PostRef(
            url=f"https://market.example/{n}/", title=f"Week {n}", html=f"<p>{news}</p>{sign_off}"
        )
        for n, news in enumerate(NEWS)
    ]
    posts, skipped = load_refs(refs, fetcher)
    assert skipped == []
    assert [text_of(post.body) for post in posts] == list(NEWS)


def test_sources_refuse_unusable_selectors_before_reading(fetcher: Fetcher, tmp_path: Path) -> None:
    bad = Overrides(remove=(".ok", "div >> p"))
    with pytest.raises(ConfigError, match="'div >> p' is not a CSS selector"):
        load_refs([PostRef(url="https://never.example/a/")], fetcher, overrides=bad)
    with pytest.raises(ConfigError, match="'div >> p' is not a CSS selector"):
        load_html_pages(loom_pages(tmp_path / "saved"), bad)
