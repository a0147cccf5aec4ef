"""Blog engines recognised from their generator tag and markup, each read by its own selectors.

The pages under tests/resources/html are written in each engine's markup, with the furniture that
engine puts around a post. Each fixture lists phrases that must survive and phrases that must go.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path

import lxml.html
import pytest

from bookmaker.extract.article import Extracted, extract, parse_page
from bookmaker.extract.platforms import PLATFORMS, content_selectors, detect_platform
from bookmaker.extract.rules import CONTENT_SELECTORS

HTML = Path(__file__).parent / "resources" / "html"
UTC = dt.UTC


@dataclass(frozen=True)
class Fixture:
    name: str
    platform: str
    found_by: str
    title: str
    authors: tuple[str, ...]
    date: dt.datetime
    keep: tuple[str, ...]
    drop: tuple[str, ...]


FIXTURES = (
    Fixture(
        "tumblr",
        platform="Tumblr",
        found_by="Tumblr selector .post-content .body-text",
        title="Pressing flowers: a beginner's field guide",
        authors=("Wren Callaway",),
        date=dt.datetime(2023, 10, 4, 18, 42, 10, tzinfo=UTC),
        keep=(
            "I ruined my first violets by pressing them in a glossy magazine.",
            "nothing fancier than a phone book and a brick.",
            "What to pick",
            "Leave the roses for when you have patience to spare.",
            "A pressed flower is a letter the summer writes to the winter.",
            "Next time: mounting specimens",
        ),
        drop=(
            "Herbarium notes, field scribbles",
            "Ask me anything",
            "asked for this one",
            "October 4th, 2023",
            "#botany",
            "238 notes",
            "Reblog",
            "petalpusher",
            "every psalm has a buttercup",
            "does this work with hydrangea",
            "Blogs I read while the presses",
            "Theme by Tumblr",
        ),
    ),
    Fixture(
        "wix",
        platform="Wix",
        found_by="Wix selector [data-hook=post-description] [data-id=rich-content-viewer]",
        title="How We Restored a 1960s Caravan",
        authors=("Bea Okonkwo",),
        date=dt.datetime(2022, 8, 30, 11, 24, 5, tzinfo=UTC),
        keep=(
            "We bought her for four hundred pounds from a field outside Ludlow",
            "only leaks when it rains sideways.",
            "Stripping her back",
            "something like wet cake.",
            "The frame, laid bare, week three.",
            "Buy the sealant by the box, not the tube.",
            "cried a little when we towed her away.",
        ),
        drop=(
            "Shop our prints",
            "Writer's picture",
            "6 min read",
            "Updated: Sep 2, 2022",
            "Share post:",
            "312 views",
            "Recent Posts",
            "Rewiring a Caravan on a Budget",
            "Write a comment",
            "boomerang pattern",
            "Proudly created with Wix.com",
            "Join our mailing list",
        ),
    ),
    Fixture(
        "squarespace",
        platform="Squarespace",
        found_by="Squarespace selector .blog-item-content",
        title="Glazing Notes: Chasing Celadon",
        authors=("Ruth Abernathy",),
        date=dt.datetime(2021, 11, 8, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
        keep=(
            "Celadon is the glaze that taught me humility.",
            "The recipe I started from",
            "sieved twice.",
            "Test tiles from the third firing, darkest on the left.",
            "What finally worked",
            "I sat on the kiln shed step for a while.",
        ),
        drop=(
            "Classes",
            "November 8, 2021",
            "Kiln Notes, Monthly",
            "first dibs on seconds",
            "Sign Up",
            "throws functional stoneware on the Maine coast",
            "Trimming Feet Without Tears",
            "A Wood-Firing Weekend",
            "2 Comments",
            "a little bone ash",
            "Open Saturdays",
        ),
    ),
    Fixture(
        "hugo",
        platform="Hugo",
        found_by="Hugo selector .nested-copy-line-height",
        title="Notes on Sourcing Local Clay",
        authors=(),
        date=dt.datetime(2023, 5, 21, 8, 15, tzinfo=dt.timezone(dt.timedelta(hours=1))),
        keep=(
            "There is clay under most gardens in this valley",
            "smeared on my thumb like soft cheese.",
            "Drying and slaking",
            "Dry clay slakes; damp clay just sulks.",
            "bucket 1: 4.2 kg dry lumps + 6 l water",
            "toasted brown",
            "blended one to three with bought clay it throws beautifully.",
        ),
        drop=(
            "About",
            "Post it",
            "Pass it round",
            "4 minutes read",
            "712 words",
            "clay digging",
            "Related",
            "Building a Wood Kiln",
            "2 comments",
            "Did you wedge in any grog",
            "Leave a comment",
            "Built with Hugo",
        ),
    ),
)
# The engine each of the other fixtures is recognised as.
KNOWN = {
    "wordpress-classic": "WordPress classic",
    "wordpress-block": "WordPress block theme",
    "blogger": "Blogger",
    "ghost": "Ghost",
    "substack": "Substack",
    "medium": "Medium",
    "jekyll": None,  # no generator tag, no engine-only markup: read by the general rules
    "handmade": None,
    **{f.name: f.platform for f in FIXTURES},
}


@functools.cache
def extracted(name: str) -> Extracted:
    return extract((HTML / f"{name}.html").read_bytes())


def text_of(fragment: str) -> str:
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    return " ".join(" ".join(root.itertext()).split())


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda f: f.name)
def test_fixture_keeps_the_article(fixture: Fixture) -> None:
    text = text_of(extracted(fixture.name).body_html)
    assert [phrase for phrase in fixture.keep if phrase not in text] == []


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda f: f.name)
def test_fixture_drops_the_furniture(fixture: Fixture) -> None:
    text = text_of(extracted(fixture.name).body_html)
    assert [phrase for phrase in fixture.drop if phrase in text] == []


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda f: f.name)
def test_fixture_metadata_and_how_it_was_read(fixture: Fixture) -> None:
    page = extracted(fixture.name)
    assert (page.title, page.authors, page.date) == (fixture.title, fixture.authors, fixture.date)
    assert (page.platform, page.found_by) == (fixture.platform, fixture.found_by)
    assert fixture.title not in text_of(page.body_html)


@pytest.mark.parametrize(("name", "platform"), sorted(KNOWN.items()))
def test_each_fixture_is_recognised(name: str, platform: str | None) -> None:
    found = detect_platform(parse_page((HTML / f"{name}.html").read_bytes()))
    assert (found.name if found else None) == platform


# --- recognising an engine --------------------------------------------------------------------


def page(head: str = "", body: str = "") -> lxml.html.HtmlElement:
    return parse_page(html(head, body))


def generator(content: str) -> str:
    return f'<meta name="generator" content="{content}">'


@pytest.mark.parametrize(
    ("head", "body", "expected"),
    [
        (generator("WordPress 6.5"), "<div class='wp-site-blocks'></div>", "WordPress block theme"),
        (generator("WordPress 6.5"), "<article class='hentry'></article>", "WordPress classic"),
        (generator("Blogger"), "", "Blogger"),
        (generator("Ghost 5.80"), "", "Ghost"),
        (generator("Hugo 0.125.4"), "", "Hugo"),
        (generator("Jekyll v4.3.3"), "", "Jekyll"),
        (generator("Wix.com Website Builder"), "", "Wix"),
        ("", "<div id='SITE_CONTAINER'></div>", "Wix"),
        ("", "<div class='sqs-layout sqs-grid-12'></div>", "Squarespace"),
        ('<meta property="al:android:package" content="com.tumblr">', "", "Tumblr"),
        ('<meta property="og:site_name" content="Medium">', "", "Medium"),
        ("", "<div class='available-content'><div class='body markup'></div></div>", "Substack"),
        (generator("Hand-rolled shell script"), "<article></article>", None),
        ("", "<div class='post'><p>Nothing says who made this.</p></div>", None),
    ],
)
def test_detect_platform(head: str, body: str, expected: str | None) -> None:
    found = detect_platform(page(head, body))
    assert (found.name if found else None) == expected


def test_platform_selectors_come_first_and_general_ones_follow_once() -> None:
    hugo = next(p for p in PLATFORMS if p.name == "Hugo")
    selectors = content_selectors(hugo, CONTENT_SELECTORS)
    assert selectors[: len(hugo.content)] == hugo.content
    assert len([s for s in selectors if s.css == ".article-content"]) == 1
    assert content_selectors(None, CONTENT_SELECTORS) == CONTENT_SELECTORS


THEME = (
    "<main><article class='post'><header><h1>Kiln Log</h1><p class='kicker'>Firing nine</p>"
    "</header>"
    "<div class='content'><p>Cone six went down at eleven at night, and the glaze ran a little "
    "onto the shelf.</p><p>Next time: more wadding under the tall jars.</p></div>"
    "<p class='small-print'>Reading time: two minutes, give or take a jar.</p></article></main>"
)


def html(head: str, body: str) -> str:
    return f"<html><head><title>Kiln Log</title>{head}</head><body>{body}</body></html>"


def test_an_engine_selector_only_counts_on_that_engines_pages() -> None:
    as_hugo = extract(html(generator("Hugo 0.125.4"), THEME))
    assert as_hugo.found_by == "Hugo selector article .content"
    assert "Reading time" not in text_of(as_hugo.body_html)
    unknown = extract(html("", THEME))
    assert unknown.found_by == "generic selector article"
    assert "Reading time" in text_of(unknown.body_html)
