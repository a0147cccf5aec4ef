"""Article extraction: saved pages in the markup of real blog engines, and the rules one by one.

Each fixture lists phrases that must survive (`keep`) and furniture that must be gone (`drop`).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path

import lxml.etree
import lxml.html
import pytest

from bookmaker.extract import rules
from bookmaker.extract.article import Extracted, ExtractionError, decode_page, extract

HTML = Path(__file__).parent / "resources" / "html"
UTC = dt.UTC


@dataclass(frozen=True)
class Fixture:
    name: str
    title: str
    authors: tuple[str, ...]
    date: dt.datetime | None
    keep: tuple[str, ...]
    drop: tuple[str, ...]


FIXTURES = (
    Fixture(
        "wordpress-classic",
        title="Five Questions to Ask Before Moving In Together",
        authors=("Marisol Vega",),
        date=dt.datetime(2013, 11, 19, 8, 30, tzinfo=UTC),
        keep=(
            "Every autumn, a handful of couples book a session with me",
            "you are probably ready to hire the van.",
            "2. How will we split the money?",
            "Pay in proportion to what each of you earns.",
            "Memory is a generous accountant and it always rounds",
            "One partner earns much more",
            "Three ways to share a household budget",
            "One ring, two keys, and a lot of negotiation.",
            "Conflict is not the opposite of closeness; avoiding it is.",
            "A client, after our third session",
            "Video (YouTube): https://www.youtube.com/watch?v=Xp4uS3pause",
            "A two-minute workshop clip on the pause word.",
            "Where most of these talks happen.",  # the featured image's caption
        ),
        drop=(
            "Skip to content",
            "Weekend Workshops",
            "Find cheap removal vans",
            "Advertisements",
            "Get the Thursday letter",
            "Join 4,000 readers",
            "Share this:",
            "Click to share",
            "Like this:",
            "Loading…",
            "The Chore Wheel That Saved a Marriage",
            "It started with a whiteboard",
            "Categorized as",
            "burns the rice every Sunday",
            "View all of Marisol",
            "Love Languages Are Not Enough",
            "Surviving the In-Laws at Christmas",
            "We skipped question five",
            "it is never too late to ask it",
            "Links of the week",
            "Leave a comment",
            "Your email address will not be published",
            "About this blog",
            "almost a decade",
            "The Sunday Meeting",
            "November 2013",
            "Family Matters",
            "Proudly powered by",
            "We use cookies",
        ),
    ),
    Fixture(
        "wordpress-block",
        title="Sourdough Without the Drama",
        authors=("Tomasz Nowak",),
        date=dt.datetime(2022, 3, 6, 9, 12, 44, tzinfo=UTC),
        keep=(
            "Most sourdough guides read like a contract with a very demanding pet.",
            "the second loaf is always better than the first.",
            "What you need",
            "350 g water at roughly room temperature",
            "Fri 21:30 add salt, fold four times over two hours",
            "Soft but obedient",
            "Water as a share of the flour’s weight",
            "Seventy per cent water, eighteen hours in the fridge.",
            "Shape tighter than feels polite.",
        ),
        drop=(
            "All Recipes",
            "About Tomasz",
            "Jump to Recipe",
            "Print Recipe",
            "— by",
            "A Better Weeknight Dal",
            "Pickled Everything",
            "Made this with spelt",
            "Leave a Reply",
            "Post Comment",
            "More posts",
            "The Lazy Cook’s Stock",
            "Honest food for busy kitchens",
            "Follow along",
            "Designed with WordPress",
        ),
    ),
    Fixture(
        "blogger",
        title="Three Days on the Ferry to Lofoten",
        authors=("Ingrid Solberg",),
        date=dt.datetime(2016, 7, 16, 21, 40, tzinfo=dt.timezone(dt.timedelta(hours=2))),
        keep=(
            "The coastal ferry is slow on purpose",
            "north to Kirkenes and back.",
            "What the cabin costs",
            "Earplugs for the engine hum.",
            "The ship squeezing into the Trollfjord at midnight, in full daylight.",
            "At Ørnes a fisherman handed me a dried cod",
        ),
        drop=(
            "Slow travel by boat, bus and boot",
            "My Packing List",
            "Saturday, 16 July 2016",
            "Posted by",
            "Email This",
            "Share to Pinterest",
            "Labels:",
            "Did you get off at Stamsund",
            "Book the youth hostel early",
            "Post a Comment",
            "Newer Post",
            "Older Post",
            "Post Comments (Atom)",
            "Former ferry deckhand",
            "Join this site and follow along",
            "Night Train to Lapland",
            "Blog Archive",
            "Powered by",
        ),
    ),
    Fixture(
        "ghost",
        title="Why I Stopped Digging My Beds",
        authors=("Priya Raman",),
        date=dt.datetime(2021, 4, 12, 7, 15, tzinfo=UTC),
        keep=(
            "For eleven years I turned every bed on plot 14B each November",
            "my back has forgiven me.",
            "What changed in the first year",
            "Thirty-one worms in a single spadeful, April 2021.",
            "Cardboard must be plain and brown.",
            "No-dig, year three",
            "30 5 */2 * * /home/priya/pump.sh --beds 1-4 --minutes 12",
            "Video (Vimeo): https://vimeo.com/50322811",
            "Laying cardboard on a new bed, in real time.",
        ),
        drop=(
            "Sowing Calendar",
            "About the Plot",
            "Four winters of no-dig on plot 14B, and what the worms taught me.",
            "4 min read",
            "Get the monthly sowing list",
            "Does the cardboard not attract slugs",
            "Saving Bean Seeds Without Losing Your Mind",
            "The Only Three Tools You Need",
            "Sign up for The Allotment Diaries",
            "Data & privacy",
            "Powered by Ghost",
            "successfully subscribed",
        ),
    ),
    Fixture(
        "substack",
        title="The Apology Nobody Teaches You",
        authors=("Dana Whitfield",),
        date=dt.datetime(2022, 3, 3, 13, 1, 22, tzinfo=UTC),
        keep=(
            "My clients are very good at apologising.",
            "Reply and tell me how it went; I read every letter.",
            "The three sentences",
            "Name what it cost them, not what you intended.",
            "The chairs in my consulting room, deliberately the same height.",
            "It is a weather report about somebody else.",
            "Try it this week",
        ),
        drop=(
            "Sign in",
            "142",
            "reader-supported letter",
            "Type your email",
            "Share",
            "Restack",
            "Ready for more?",
            "Discussion about this post",
            "underlined the weather report line",
            "When You Both Want to Be Right",
            "Collection notice",
            "uses cookies",
        ),
    ),
    Fixture(
        "medium",
        title="Learning to Sail at Forty",
        authors=("Rosa Lindqvist",),
        date=dt.datetime(2023, 9, 14, 6, 2, 11, 482000, tzinfo=UTC),
        keep=(
            "On my fortieth birthday my sister gave me a voucher",
            "I have never been happier on a Saturday.",
            "The wind is not your enemy",
            "The harbour at Rättvik, where Maj spends her winters.",
            "wind: under 8 m/s, and from the lake side",
            "Learn one knot properly rather than five badly.",
            "that is not what boats are for.",
        ),
        drop=(
            "Open in app",
            "Sign up",
            "Follow",
            "6 min read",
            "Sep 14, 2023",
            "1.4K",
            "Listen",
            "Share",
            "Midlife",
            "Written by Rosa Lindqvist",
            "2.3K Followers",
            "part-time worrier",
            "The Lake in November",
            "Why Do We Call Boats",
            "Text to speech",
        ),
    ),
    Fixture(
        "jekyll",
        title="Backing Up a Photo Library with rsync",
        authors=("Jonas Keller",),
        date=dt.datetime(2019, 6, 2, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=2))),
        keep=(
            "Twelve years of photographs live on one spinning disk",
            "A backup you understand is a backup you will keep running.",
            "How long it takes",
            "3 h 40 min",
            "That three random old photographs still open.",
            "rsync -a --delete --backup-dir=/mnt/vault/attic/$(date +%F)",
            "She thinks it is a very boring present.",
        ),
        drop=(
            "About these notes",
            "Camera Gear",
            "Jun 2, 2019",
            "Share on",
            "Choosing a NAS for a Tiny Flat",
            "Film Scanning on a Budget",
            "powered by Disqus",
            "jonas@fieldnotes.example",
            "the tedious work of keeping them safe",
            "#The setup",
        ),
    ),
    Fixture(
        "handmade",
        title="Over the Tourmalet on a Loaded Bike",
        authors=(),
        date=None,
        keep=(
            "Everybody warned me that the Tourmalet is no place for a touring bike",
            "the best forty minutes of the whole summer.",
            "The climb",
            "Eat the cheese before the climb, not after.",
            "At the top, 2115 metres",
            "once for water at Barèges",
        ),
        drop=(
            "Norway 2001",
            "Sign my guestbook!",
            "You are visitor number",
            "Touring Cyclists Webring",
            "Best viewed with any browser",
        ),
    ),
)


@functools.cache
def extracted(name: str) -> Extracted:
    return extract((HTML / f"{name}.html").read_bytes())


def text_of(fragment: str) -> str:
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    return " ".join(root.text_content().split())


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda f: f.name)
def test_fixture_keeps_the_article(fixture: Fixture) -> None:
    text = text_of(extracted(fixture.name).body_html)
    missing = [phrase for phrase in fixture.keep if phrase not in text]
    assert not missing


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda f: f.name)
def test_fixture_drops_the_furniture(fixture: Fixture) -> None:
    text = text_of(extracted(fixture.name).body_html)
    left = [phrase for phrase in fixture.drop if phrase in text]
    assert not left


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda f: f.name)
def test_fixture_metadata(fixture: Fixture) -> None:
    page = extracted(fixture.name)
    assert (page.title, page.authors, page.date) == (fixture.title, fixture.authors, fixture.date)


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda f: f.name)
def test_fixture_body_is_clean_xhtml_without_the_title(fixture: Fixture) -> None:
    body = extracted(fixture.name).body_html
    root = lxml.etree.fromstring(f"<div>{body}</div>")  # well-formed XML
    headings = [el.tag for el in root.iter() if el.tag in ("h1", "h2", "h3", "h4", "h5", "h6")]
    assert "h1" not in headings
    assert fixture.title not in text_of(body)
    assert all(el.get("class") in (None, "embed") or el.tag == "code" for el in root.iter())


def test_fixture_structure_survives() -> None:
    wordpress = lxml.etree.fromstring(f"<div>{extracted('wordpress-classic').body_html}</div>")
    # Three figures in the body, and the featured image the theme shows above it.
    assert len(wordpress.findall(".//figure/figcaption")) == 4
    assert len(wordpress.findall(".//table//td")) == 6
    assert wordpress.find(".//blockquote/cite") is not None
    assert wordpress.find(".//ul/li/..").tag == "ul"
    jekyll = lxml.etree.fromstring(f"<div>{extracted('jekyll').body_html}</div>")
    assert jekyll.find(".//pre/code") is not None
    assert [h.text for h in jekyll.iter("h2")] == [
        "The setup",
        "How long it takes",
        "What I check every month",
    ]


def test_other_metadata_of_a_wordpress_page() -> None:
    page = extracted("wordpress-classic")
    assert page.updated == dt.datetime(2014, 2, 3, 17, 5, 12, tzinfo=UTC)
    assert page.categories == ("Couples",)
    assert set(page.tags) == {"chores", "living together", "money"}
    assert page.language == "en-US"
    assert (
        page.url == "https://heartsinpractice.example/2013/11/19/five-questions-before-moving-in/"
    )
    assert (
        page.image
        == "https://heartsinpractice.example/wp-content/uploads/2013/11/kitchen-table.jpg"
    )


def test_block_theme_taxonomy_from_term_lists() -> None:
    page = extracted("wordpress-block")
    assert page.categories == ("Bread", "Weekend Projects")
    assert page.tags == ("sourdough", "slow food")


def test_relative_links_resolve_against_the_post_address() -> None:
    body = extracted("jekyll").body_html
    assert 'href="https://fieldnotes.example/2019/05/12/choosing-a-nas.html"' in body
    assert 'href="#fn:1"' in body  # in-page links stay in the page


def test_lazy_image_takes_its_real_address_and_noscript_copy_goes() -> None:
    body = extracted("wordpress-classic").body_html
    assert body.count("two-keys.png") == 1
    assert "data:image/svg" not in body


# --- the hostile page -------------------------------------------------------------------------


def test_hostile_page_keeps_the_text_around_the_attacks() -> None:
    text = text_of(extract((HTML / "hostile.html").read_bytes()).body_html)
    for phrase in (
        "Plums make the best jam",
        "Halve the plums",
        "Here is the plum chart, a mixed-case link",
        "the variety guide to pick your fruit",
        "Weigh out 800 grams of sugar",
        "Warm a small plate",
        "Boil hard for about ten minutes",
        "Put a spoonful on the cold plate",
        "Pour into warm, clean jars",
        "Sealed jars keep for a year",
        "Label every jar with the date",
    ):
        assert phrase in text


@pytest.mark.parametrize(
    "trace",
    [
        "<script", "alert", "javascript", "vbscript", "onclick", "onerror", "onload", "onmouseover",
        "ontoggle", "<iframe", "srcdoc", "<form", "<input", "<button", "secret-token", "<svg",
        "<object", "<embed", "<applet", "<param", "<style", "style=", "<meta", "<base", "<link",
        "<template", "<noscript", "<math", "data:text", "evil", "<!--", "target=",
    ],
)  # fmt: skip
def test_hostile_page_leaves_no_trace(trace: str) -> None:
    body = extract((HTML / "hostile.html").read_bytes()).body_html
    assert trace.lower() not in body.lower()


# --- rules --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "token",
    [
        "ad", "ads", "ad-slot", "top_ad", "adContainer", "advert-box", "adsbygoogle",
        "sponsored-links", "comments-area", "comment-respond", "commentlist", "pingback",
        "sidebar-widget", "widget_recent_entries", "jp-relatedposts", "related-posts",
        "author-bio", "about-author", "authorbox", "newsletter-signup", "mc4wp-form",
        "cookie-notice", "breadcrumbs", "post-navigation", "nav-links", "share-buttons",
        "social-icons", "site-header", "site-footer", "pagination",
    ],
)  # fmt: skip
def test_boilerplate_tokens(token: str) -> None:
    assert rules.is_boilerplate_token(token)


@pytest.mark.parametrize(
    "token",
    [
        "header-image", "read-more-text", "reading-time", "shadow", "thread-title", "badge",
        "gradient-bg", "download-link", "loaded", "commentary-text", "commentator",
        "entry-content", "post-body", "wp-block-image", "kg-image-card", "highlight",
        "footnotes", "advantage", "navy-theme",
    ],
)  # fmt: skip
def test_content_tokens_are_not_boilerplate(token: str) -> None:
    assert not rules.is_boilerplate_token(token)


def test_taxonomy_and_state_tokens_are_neutral() -> None:
    tokens = rules.class_tokens(
        "post tag-social-media category-ads has-sidebar is-layout-flow", None
    )
    assert tokens == ["post"]


@pytest.mark.parametrize(
    ("css", "xpath"),
    [
        ("article", "//article"),
        ("#main", "//*[@id='main']"),
        ("[itemprop=articleBody]", "//*[@itemprop='articleBody']"),
        (
            "article .post-content",
            "//article//*[contains(concat(' ', normalize-space(@class), ' '), ' post-content ')]",
        ),
    ],
)
def test_css_subset_compiles_to_xpath(css: str, xpath: str) -> None:
    assert rules.css_to_xpath(css) == xpath


def test_unsupported_selector_is_refused() -> None:
    with pytest.raises(ValueError, match="unsupported selector"):
        rules.css_to_xpath("div > p")


# --- finding the article ----------------------------------------------------------------------

PARAGRAPH = "<p>{} is a sentence long enough to be counted as part of an article body.</p>"


def page(body: str, head: str = "<title>Test post</title>") -> str:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>"


def body_text(html: str, url: str | None = None) -> str:
    return text_of(extract(html, url=url).body_html)


def test_known_selector_beats_the_generic_article() -> None:
    html = page(
        "<article><div class='share'>Tweet this</div><div class='entry-content'>"
        + PARAGRAPH.format("Inside") * 2
        + "</div><p>Outside the entry content but inside the article element.</p></article>"
    )
    text = body_text(html)
    assert "Inside is a sentence" in text
    assert "Outside the entry" not in text


def test_a_one_line_post_in_an_engine_selector_is_still_the_article() -> None:
    html = page(
        "<article><div class='entry-content'><p>Back on Monday.</p></div></article>"
        "<aside class='widget-area'>" + PARAGRAPH.format("About me, at length") * 3 + "</aside>"
    )
    assert body_text(html) == "Back on Monday."


def test_content_inside_the_comments_is_never_the_article() -> None:
    html = page(
        "<main>" + PARAGRAPH.format("Real") * 2 + "</main>"
        "<div id='comments' class='comments-area'><ol class='comment-list'><li class='comment'>"
        "<div class='entry-content'>" + PARAGRAPH.format("Spam") * 3 + "</div></li></ol></div>"
    )
    text = body_text(html)
    assert "Real is a sentence" in text
    assert "Spam" not in text


def test_a_sidebar_layout_wrapper_does_not_hide_the_article() -> None:
    html = page(
        "<div class='content-sidebar-wrap'><main class='content'><article>"
        "<div class='entry-content'>" + PARAGRAPH.format("Wrapped") + "</div></article></main>"
        "<aside class='sidebar'>" + PARAGRAPH.format("Sidebar") + "</aside></div>"
    )
    assert body_text(html).startswith("Wrapped is a sentence")


def test_engines_that_cut_an_article_into_blocks_get_all_blocks() -> None:
    html = page(
        "<div class='sqs-layout'><div class='sqs-block html-block'><div class='sqs-block-content'>"
        + PARAGRAPH.format("First block")
        + "</div></div><div class='sqs-block image-block'><div class='sqs-block-content'>"
        "<figure><img src='a.jpg' alt='x'><figcaption>Block caption</figcaption></figure></div>"
        "</div><div class='sqs-block html-block'><div class='sqs-block-content'>"
        + PARAGRAPH.format("Last block")
        + "</div></div></div>"
    )
    text = body_text(html)
    assert "First block" in text and "Block caption" in text and "Last block" in text


def test_scoring_finds_an_article_without_any_known_markup() -> None:
    html = page(
        "<div id='links'><a href='/a'>Home page link</a> <a href='/b'>Archive link list</a> "
        "<a href='/c'>Another long link text here</a></div>"
        "<div id='col2'><div class='box'>" + PARAGRAPH.format("Scored, with, commas") * 4 + "</div>"
        "<div class='box'>" + PARAGRAPH.format("Second part") * 3 + "</div></div>"
        "<div id='bottom'>Copyright notice for the whole site</div>"
    )
    text = body_text(html)
    assert "Scored, with, commas" in text and "Second part" in text
    assert "Home page link" not in text and "Copyright notice" not in text


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   ",
        page("<nav><a href='/'>Home</a></nav>"),
        page("<div>Short.</div>"),
        page("<article><div class='sharedaddy'>Share this post with everyone</div></article>"),
    ],
)
def test_no_article_raises(html: str) -> None:
    with pytest.raises(ExtractionError):
        extract(html)


def test_extraction_error_is_a_value_error() -> None:
    assert issubclass(ExtractionError, ValueError)


# --- tidying ------------------------------------------------------------------------------


def article(inner: str, head: str = "<title>Test post</title>", url: str | None = None) -> str:
    return extract(
        page(f"<article>{PARAGRAPH.format('Lead')}{inner}</article>", head), url
    ).body_html


def test_title_heading_is_dropped_only_when_it_repeats_the_title() -> None:
    assert "Test post" not in article("<h1>Test Post!</h1>" + PARAGRAPH.format("More"))
    body = article("<h1>Another heading</h1>" + PARAGRAPH.format("More"))
    assert "<h2>Another heading</h2>" in body


def test_first_heading_becomes_the_title_when_the_page_has_none() -> None:
    page_html = page(
        "<article><h1>Only a heading</h1>" + PARAGRAPH.format("Body") + "</article>", ""
    )
    result = extract(page_html)
    assert result.title == "Only a heading"
    assert "Only a heading" not in result.body_html


def test_share_prompts_go_but_sentences_about_sharing_stay() -> None:
    body = article("<p>Share this:</p><h3>Related</h3><p>Share the chores with your partner.</p>")
    assert "Share this" not in body and "Related" not in body
    assert "Share the chores with your partner." in body


def test_hidden_elements_go() -> None:
    body = article(
        "<div style='display: none'>Hidden trap</div><p hidden>Hidden too</p>"
        "<p style='color: red'>Visible text</p>"
    )
    assert "Hidden" not in body and "Visible text" in body


def test_quote_attribution_in_a_footer_stays() -> None:
    body = article("<blockquote><p>Less is more.</p><footer>— A minimalist</footer></blockquote>")
    assert "A minimalist" in body


def test_heading_permalink_signs_go() -> None:
    body = article(
        "<h2 id='x'>Why <a href='#x' class='anchor'>¶</a></h2><h2>How<a href='#y'>#</a></h2>"
    )
    assert "¶" not in body and "#" not in text_of(body)


def test_previous_and_next_links_go() -> None:
    body = article("<p><a href='/old/' rel='prev'>« The older post</a></p>")
    assert "older post" not in body


def test_text_with_double_breaks_becomes_paragraphs() -> None:
    html = page(
        "<div class='post-body'>First line of a long paragraph, written the old way.<br>"
        "Same paragraph, second line.<br><br>A new paragraph after two breaks, long enough.<br>"
        "<br><ul><li>A list</li></ul>Closing words.</div>"
    )
    root = lxml.etree.fromstring(f"<div>{extract(html).body_html}</div>")
    for br in root.iter("br"):
        br.tail = "|" + (br.tail or "")
    paragraphs = [" ".join("".join(p.itertext()).split()) for p in root.iter("p")]
    assert paragraphs == [
        "First line of a long paragraph, written the old way.|Same paragraph, second line.",
        "A new paragraph after two breaks, long enough.",
        "Closing words.",
    ]


def test_layout_wrappers_dissolve_but_anchored_blocks_stay() -> None:
    body = article(
        "<div class='l'><div class='m'><section><p>Deep inside.</p></section></div></div>"
        "<div id='note-1'><p>An anchored note.</p></div>"
    )
    assert "<p>Deep inside.</p>" in body and "<div><div>" not in body
    assert '<div id="note-1"><p>An anchored note.</p></div>' in body


def test_line_numbers_beside_code_go() -> None:
    body = article(
        "<div class='highlight'><pre class='chroma'><code><span class='line'><span class='ln'>1"
        "</span><span class='cl'>make book</span></span></code></pre></div>"
    )
    assert "<code><span><span>make book</span></span></code>" in body


def test_images_resolve_against_the_page_address_only_when_there_is_one() -> None:
    inner = "<img src='pics/a.jpg' alt='A'>"
    assert 'src="pics/a.jpg"' in article(inner)
    assert 'src="https://blog.example/2020/pics/a.jpg"' in article(
        inner, url="https://blog.example/2020/post.html"
    )


# --- media ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("img", "expected"),
    [
        ("<img src='data:image/gif;base64,R0lGOD' data-src='real.jpg'>", "real.jpg"),
        ("<img src='/img/blank.gif' data-lazy-src='photo-large.jpg'>", "photo-large.jpg"),
        ("<img src='lazy-placeholder.png?v=2' data-src='lazy-sunday.jpg'>", "lazy-sunday.jpg"),
        ("<img data-srcset='s.jpg 300w, l.jpg 1200w, m.jpg 800w'>", "l.jpg"),
        ("<img srcset='one.jpg 1x,two.jpg 2x'>", "two.jpg"),
        ("<img src='keep.jpg' data-src='other.jpg'>", "keep.jpg"),
        ("<picture><source srcset='p-small.webp 400w, p-big.webp 900w'><img></picture>",
         "p-big.webp"),
    ],
)  # fmt: skip
def test_lazy_images_get_their_real_address(img: str, expected: str) -> None:
    body = article(f"<figure>{img}<figcaption>Cap</figcaption></figure>")
    assert f'src="{expected}"' in body
    assert body.count("<img") == 1


def test_noscript_copy_replaces_a_placeholder_image() -> None:
    body = article(
        "<figure><img src='data:image/gif;base64,R0lGOD' class='lazyload'>"
        "<noscript><img src='from-noscript.jpg' alt='Real'></noscript></figure>"
    )
    assert 'src="from-noscript.jpg"' in body and body.count("<img") == 1


@pytest.mark.parametrize(
    ("embed", "expected"),
    [
        (
            "<iframe src='https://www.youtube-nocookie.com/embed/abcDEF_123?rel=0'></iframe>",
            'Video (YouTube): <a href="https://www.youtube.com/watch?v=abcDEF_123">',
        ),
        (
            "<p><iframe src='//player.vimeo.com/video/76979871'></iframe></p>",
            'Video (Vimeo): <a href="https://vimeo.com/76979871">',
        ),
        (
            "<iframe data-src='https://open.spotify.com/embed/episode/7makk4oTQel'></iframe>",
            'Audio (Spotify): <a href="https://open.spotify.com/embed/episode/7makk4oTQel">',
        ),
        (
            "<video controls><source src='https://cdn.example/clip.mp4'></video>",
            'Video: <a href="https://cdn.example/clip.mp4">',
        ),
    ],
)
def test_players_become_a_linked_placeholder(embed: str, expected: str) -> None:
    body = article(embed)
    assert f'<p class="embed">{expected}' in body
    assert "<iframe" not in body and "<video" not in body


def test_social_post_becomes_a_placeholder_with_its_text() -> None:
    body = article(
        "<blockquote class='twitter-tweet' data-width='550'><p lang='en'>Jam season is here!</p>"
        "&mdash; Plum Fan (@plumfan) <a href='https://twitter.com/plumfan/status/123'>July 4, 2019"
        "</a></blockquote><script async src='https://platform.twitter.com/widgets.js'></script>"
    )
    assert (
        '<p class="embed">Post (X): “Jam season is here!” '
        '<a href="https://twitter.com/plumfan/status/123">' in body
    )
    assert "<blockquote" not in body


def test_unknown_iframes_and_plain_quotes_are_left_to_the_sanitiser() -> None:
    body = article(
        "<iframe src='https://ads.example/x'></iframe><blockquote>Plain quote</blockquote>"
    )
    assert "ads.example" not in body and "embed" not in body
    assert "<blockquote>Plain quote</blockquote>" in body


def test_void_elements_unknown_to_the_parser_do_not_swallow_the_text() -> None:
    body = article("<p>Before<embed src='x.swf'> after the embed.</p><p>Long<wbr>word here.</p>")
    assert "after the embed." in body and "Longword here." in body


# --- decoding -------------------------------------------------------------------------------


def encoded_page(text: str, head: str = "") -> str:
    return page(f"<article><p>{text} and enough words to make a paragraph.</p></article>", head)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"\xef\xbb\xbf" + encoded_page("Caf\u00e9 cr\u00e8me").encode("utf-8"), "Café crème"),
        (
            "\ufeff".encode("utf-16-le") + encoded_page("Gr\u00fc\u00dfe").encode("utf-16-le"),
            "Grüße",
        ),
        (
            encoded_page("Caf\u00e9 \u20ac5", "<meta charset='windows-1252'>").encode("cp1252"),
            "Café €5",
        ),
        (encoded_page("\u20ac5", "<meta charset='iso-8859-1'>").encode("cp1252"), "€5"),
        (
            encoded_page(
                "Stra\u00dfe",
                '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-15">',
            ).encode("iso-8859-15"),
            "Straße",
        ),
        (encoded_page("Na\u00efve \u2014 \u65e5\u672c").encode("utf-8"), "Naïve — 日本"),
        (encoded_page("Caf\u00e9 cr\u00e8me").encode("cp1252"), "Café crème"),
    ],
    ids=["utf8-bom", "utf16-bom", "meta-cp1252", "latin1-is-cp1252", "http-equiv", "utf8", "guess"],
)
def test_page_bytes_are_decoded(data: bytes, expected: str) -> None:
    assert expected in decode_page(data)
    assert expected in extract(data).body_html


def test_charset_from_the_server_beats_the_page_but_not_a_byte_order_mark() -> None:
    data = encoded_page("Gr\u00fc\u00dfe", "<meta charset='koi8-r'>").encode("cp1252")
    assert "Grüße" in extract(data, encoding="windows-1252").body_html
    assert "Grüße" not in decode_page(data)  # the page's own label, when the server has none
    assert "Grüße" in decode_page(
        b"\xef\xbb\xbf" + data.replace(b"\xfc\xdf", "üß".encode()), "koi8-r"
    )
