"""Plain-text posts: copies of blog post pages, with the site furniture around them stripped."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import lxml.html
import pytest

from bookmaker.errors import SourceError
from bookmaker.sources.text import (
    Byline,
    find_article_end,
    load_text,
    parse_byline,
    parse_meta_line,
    parse_text,
)

FIXTURES = Path(__file__).parent / "resources" / "text"


@dataclass(frozen=True)
class Case:
    file: str
    title: str
    authors: tuple[str, ...]
    date: dt.datetime
    with_: tuple[str, ...]  # must survive: first and last sentence, a heading, a list item
    without: tuple[str, ...]  # must be gone: comments, spam, sign-up boxes, post links, bio
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


CASES = (
    Case(
        file="listening-post.txt",
        title="How to Listen So Your Partner Feels Heard",
        authors=("Dana Whitfield",),
        date=dt.datetime(2013, 11, 19),
        categories=("Communication", "Relationships"),
        with_=(
            "Most couples who come to my office do not have a talking problem.",
            "Then wait one more breath before you answer.",
            "Why We Stop Listening",
            "Ask one more question than feels natural.",
            "Attention is the first gift we give each other, and the last one",
        ),
        without=(
            "Heart Lines",
            "Coaching",
            "Post image for",
            "Filed under",
            "Share this",
            "Get my posts by email",
            "Enter your email address",
            "other subscribers",
            "Responses to",
            "printing the list for the fridge",
            "Mary K.",
            "sales.bags.outlet@spam.example",
            "bags-outlet.example.com",
            "Leave a Reply",
            "Previous post",
            "Five Questions to Ask Before Moving In Together",
            "Powered by WordPress",
            "©",
        ),
    ),
    Case(
        file="arguing-fairly.txt",
        title="Arguing Fairly When You Are Both Exhausted",
        authors=("Dana Whitfield",),
        date=dt.datetime(2015, 3, 3),
        with_=(
            "Every couple argues.",
            "Last week a reader asked in the comments of my listening post",
            "Leave a comment below and tell me which rule your household could not live without.",
            "The Rules We Agreed On",
            "One topic per argument.",
        ),
        without=(
            "Posted on",
            "Tweet",
            "Click to share",
            "Like Loading",
            'In "Communication"',
            "3 Comments",
            "Disqus",
            "Join the discussion",
            "Rule two saved our marriage",
            "9 years ago",
            "the kids use it on us",
        ),
    ),
    Case(
        file="raised-beds.txt",
        title="Raised Beds on a Budget: Año Uno",
        authors=("Rosa Martínez",),
        date=dt.datetime(2019, 4, 2),
        categories=("Vegetables", "Soil"),
        tags=("raised beds", "compost", "budget"),
        with_=(
            "When I moved into this house the back yard was a rectangle of compacted clay",
            "If the salvage yard still has boards, the budget will hold.",
            "Filling the Beds",
            "Galvanized corner brackets: $22",
            "I subscribe to the lasagna method",
            "something dark and crumbly that the worms clearly approve of",
        ),
        without=(
            "5 min read",
            "Featured image",
            "Categories:",
            "About the author",
            "far too many marigolds",
            "You may also like",
            "Mulch Is Not Optional",
            "thoughts on",
            "Where did you find the salvage yard?",
            "Pingback",
            "Back Forty Notebook",
            "most honest raised bed budget",
            "logged in",
        ),
    ),
    Case(
        file="clever-code.txt",
        title="Why I Stopped Writing Clever Code",
        authors=("Sam Okafor",),
        date=dt.datetime(2018, 6, 12),
        with_=(
            "For years I was proud of one-liners.",
            "I intend to keep giving it.",
            "Comments Are Not Apologies",
            "Does each function fit on one screen?",
            "My old team lead says:",
            "Clever code is a loan.",
            "subscribe to the newsletter at the bottom of the page",
        ),
        without=(
            "Skip to content",
            "Sam Writes Code",
            "Talks",
            "Written by",
            "Lena Fischer",
            "team wiki",
            "growth.hacker.1999@spam.example",
            "followers.example.net",
            "Pingback",
            "Previous post",
            "Testing Without Mocks",
            "A Year of Pair Programming",
            "All rights reserved",
        ),
    ),
    Case(
        file="long-distance.txt",
        title="Five Small Rituals for Long-Distance Couples",
        authors=("Dana Whitfield",),
        date=dt.datetime(2016, 6, 12),
        with_=(
            "Distance does not end relationships nearly as often as drift does.",
            "keep when the season ends.",
            "The Goodnight Call",
            "A photo of your breakfast every morning, even the sad cereal ones.",
            "with no explanation allowed until you are together again.",
            "each other’s company",
            "“the last thread that never frayed.”",
            "the café under her flat",
        ),
        without=(
            "June 12, 2016",
            "Comments (2)",
            "Marco",
            "breakfast photos were our thing",
            "Seoul",
            "Older",
            "Newer",
            "Copyright 2016",
        ),
    ),
)


def _text(body: str) -> str:
    root = lxml.html.fragment_fromstring(body, create_parent="div")
    return " ".join(root.text_content().split())


@pytest.fixture(params=CASES, ids=lambda case: case.file)
def case(request: pytest.FixtureRequest) -> Case:
    return request.param


def test_fixture_metadata(case: Case) -> None:
    post = load_text(FIXTURES / case.file)
    assert post.title == case.title
    assert post.authors == case.authors
    assert post.date == case.date
    assert post.categories == case.categories
    assert post.tags == case.tags
    assert post.source == str(FIXTURES / case.file)


def test_fixture_keeps_the_whole_article(case: Case) -> None:
    text = _text(load_text(FIXTURES / case.file).body)
    missing = [phrase for phrase in case.with_ if phrase not in text]
    assert not missing


def test_fixture_drops_the_furniture(case: Case) -> None:
    text = _text(load_text(FIXTURES / case.file).body)
    left = [phrase for phrase in case.without if phrase in text]
    assert not left


def test_fixture_body_starts_with_the_first_paragraph(case: Case) -> None:
    root = lxml.html.fragment_fromstring(load_text(FIXTURES / case.file).body, create_parent="div")
    first = root[0]
    assert first.tag == "p"
    assert " ".join(first.text_content().split()).startswith(case.with_[0])


def test_listening_post_structure() -> None:
    post = load_text(FIXTURES / "listening-post.txt")
    root = lxml.html.fragment_fromstring(post.body, create_parent="div")
    assert [h.text for h in root.iter("h2")] == ["Why We Stop Listening", "Three Habits That Help"]
    assert [len(ul) for ul in root.iter("ul")] == [3]
    assert len(list(root.iter("blockquote"))) == 1
    assert post.slug == "how-to-listen-so-your-partner-feels-heard"
    last = root[-1]
    assert last.text_content().endswith("Then wait one more breath before you answer.")


def test_numbered_list_and_continuation_lines() -> None:
    root = lxml.html.fragment_fromstring(
        load_text(FIXTURES / "long-distance.txt").body, create_parent="div"
    )
    (ol,) = root.iter("ol")
    items = [" ".join(li.text_content().split()) for li in ol]
    assert len(items) == 5
    assert items[0].endswith("until you are together again.")
    assert items[3] == "Handwritten letters — actual paper — once a month."


def test_slug_folds_accents() -> None:
    assert load_text(FIXTURES / "raised-beds.txt").slug == "raised-beds-on-a-budget-ano-uno"


# --- bylines --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "authors", "date"),
    [
        ("by Jane Doe on 11/19/2013", ("Jane Doe",), dt.datetime(2013, 11, 19)),
        ("By Jane Doe on 03/04/2015", ("Jane Doe",), dt.datetime(2015, 3, 4)),
        ("by Jane Doe on 19/11/2013", ("Jane Doe",), dt.datetime(2013, 11, 19)),
        ("Posted on March 3, 2015 by Jane Doe", ("Jane Doe",), dt.datetime(2015, 3, 3)),
        ("Jane Doe · 2019-04-02", ("Jane Doe",), dt.datetime(2019, 4, 2)),
        ("Written by Jane Doe | 12 June 2018", ("Jane Doe",), dt.datetime(2018, 6, 12)),
        ("March 3, 2015 by Jane Doe", ("Jane Doe",), dt.datetime(2015, 3, 3)),
        ("Jane Doe on March 3, 2015", ("Jane Doe",), dt.datetime(2015, 3, 3)),
        ("Jane Doe — 3rd March 2015 — 6 min read", ("Jane Doe",), dt.datetime(2015, 3, 3)),
        (
            "By Jane Doe and Sam Lee, May 4, 2016",
            ("Jane Doe", "Sam Lee"),
            dt.datetime(2016, 5, 4),
        ),
        (
            "Posted on June 3, 2014 at 9:12 pm by Mary Ann van der Berg | 3 Comments",
            ("Mary Ann van der Berg",),
            dt.datetime(2014, 6, 3, 21, 12),
        ),
        ("Published: 2020-01-05T10:30:00+02:00", (), dt.datetime(2020, 1, 5, 10, 30)),
        ("November 19, 2013", (), dt.datetime(2013, 11, 19)),
        ("by Rosa Martínez", ("Rosa Martínez",), None),
        ("by admin", ("admin",), None),
    ],
)
def test_byline_forms(line: str, authors: tuple[str, ...], date: dt.datetime | None) -> None:
    assert parse_byline(line) == Byline(authors, date)


@pytest.mark.parametrize(
    "line",
    [
        "By Tuesday I had decided to leave the garden alone for a week.",
        "By the way, this is not a byline.",
        "Dating · Communication",
        "Why We Stop Listening",
        "In May we planted beans",
        "Most couples who come to my office do not have a talking problem.",
        "3 Comments",
        "",
    ],
)
def test_lines_that_are_not_bylines(line: str) -> None:
    assert parse_byline(line) is None


def test_byline_date_is_naive() -> None:
    byline = parse_byline("Jane Doe | 2019-04-02T08:00:00Z")
    assert byline is not None and byline.date is not None
    assert byline.date.tzinfo is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Filed under: Dating, Communication", {"categories": ["Dating", "Communication"]}),
        ("Categories: Vegetables", {"categories": ["Vegetables"]}),
        ("Tags: listening, empathy", {"tags": ["listening", "empathy"]}),
        (
            "Posted in Dating | Tagged listening, empathy | 3 Comments",
            {"categories": ["Dating"], "tags": ["listening", "empathy"]},
        ),
        ("Filed under: Dating · Communication", {"categories": ["Dating", "Communication"]}),
    ],
)
def test_meta_lines(line: str, expected: dict[str, list[str]]) -> None:
    found = parse_meta_line(line)
    assert found is not None
    assert {kind: items for kind, items in found.items() if items} == expected


@pytest.mark.parametrize(
    "line",
    [
        "Tagged along with my sister to the market",
        "Posted in a hurry",
        "Categories are a trap.",
        "Topics we covered: money, sex, in-laws",
    ],
)
def test_sentences_are_not_meta_lines(line: str) -> None:
    assert parse_meta_line(line) is None


# --- where the article ends ------------------------------------------------------------------

ARTICLE = """\
Some readers asked in the comments last week why I never write about money.

Subscribe to the idea that money talk is love talk, and the rest gets easier.

I read every comment, even the grumpy ones, and a few of you said you would subscribe if I
wrote about budgets. So here it is.

My mother says:

> Count it together or fight about it separately.

Ways we stay in touch about money:

- Email
- Twitter
- A shared notebook on the fridge

Share this post with someone who needs it.

Leave a comment below and tell me what works in your house.

One response to criticism is to get defensive, and it never helps.

Topics we covered: money, sex, in-laws

Enter your email address in the settings panel of the budgeting app, then press Save.

Older couples often handle this better. The theme by itself is not the problem.

It goes like this. Say it out loud, like this:

> I am worried about the rent, not angry at you.

Mon amie a dit « pas ce soir »

Next, I want to talk about the week we stopped arguing.
"""


def test_article_that_mentions_comments_and_subscribing_is_not_cut() -> None:
    lines = ARTICLE.splitlines()
    assert find_article_end(lines) == (len(lines), None)


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("Share this:", "share.prompt"),
        ("Tweet", "share.prompt"),
        ("Click to share on Facebook (Opens in new window)", "share.button"),
        ("Get my posts by email", "subscribe.prompt"),
        ("Enter your email address to subscribe to this blog.", "subscribe.prompt"),
        ("Subscribe to Blog via Email", "subscribe.prompt"),
        ("Join 2,314 other subscribers", "subscribe.prompt"),
        ("Related posts", "related"),
        ("You may also like", "related"),
        ("About the Author", "author_bio"),
        ("About the author: Jane writes about gardens.", "author_bio"),
        ("14 Responses to “How to Listen”", "comments.header"),
        ("2 thoughts on “Raised Beds”", "comments.header"),
        ("Comments", "comments.header"),
        ("Comments (2)", "comments.header"),
        ("Leave a Reply", "comments.header"),
        ("Leave a comment", "comments.header"),
        ("Alex Moreno • 9 years ago", "comments.author_dated"),
        ("Mary K. on June 3, 2014 at 9:12 pm said:", "comments.author_dated"),
        ("June 3, 2014 at 9:12 pm", "comments.timestamp"),
        ("Reply", "comments.reply"),
        ("Pingback: Weekly Links | Another Blog", "comments.pingback"),
        ("Trackbacks/Pingbacks", "comments.pingback"),
        ("[…] the best advice I read this year […]", "comments.pingback"),
        ("Previous post: Five Questions", "post_nav"),
        ("Next post: Arguing Fairly", "post_nav"),
        ("« Older", "post_nav"),
        ("Newer Posts »", "post_nav"),
        ("© 2014 Heart Lines", "footer.copyright"),
        ("Copyright 2014 Dana Whitfield. All rights reserved.", "footer.copyright"),
        ("Powered by WordPress", "footer.powered_by"),
        ("Filed under: Dating, Communication", "meta.categories"),
    ],
)
def test_furniture_lines_end_the_article(line: str, rule: str) -> None:
    lines = ["The last paragraph of the article.", "", line, "", "Some furniture text."]
    assert find_article_end(lines) == (2, rule)


def test_comment_author_needs_a_date_or_reply_after_it() -> None:
    comment = ["Paragraph.", "", "- Mary K. says:", "  June 3, 2014 at 9:12 pm", "  Lovely."]
    numbered = ["Paragraph.", "", "1. Mary K. says:", "", "   Lovely.", "   Reply"]
    assert find_article_end(numbered) == (2, "comments.author")
    quote = ["Paragraph.", "", "My mother says:", "", "> Count it together."]
    assert find_article_end(comment) == (2, "comments.author")
    assert find_article_end(quote) == (len(quote), None)


def test_like_this_needs_the_like_button_after_it() -> None:
    assert find_article_end(["Paragraph.", "Like this:", "Like Loading..."]) == (1, "share.likes")
    assert find_article_end(["Paragraph.", "Like this:", "", "> An example."])[1] is None


def test_share_network_needs_a_second_share_line() -> None:
    assert find_article_end(["Paragraph.", "Facebook", "Twitter"]) == (1, "share.network")
    assert find_article_end(["Paragraph.", "Facebook", "is where we met."])[1] is None


def test_bio_box_naming_the_author_ends_the_article() -> None:
    lines = ["Paragraph.", "", "Dana Whitfield is a couples coach in Portland.", "More."]
    assert find_article_end(lines, ("Dana Whitfield",)) == (2, "author_bio")
    assert find_article_end(lines, ("Sam Okafor",)) == (len(lines), None)
    about = ["Paragraph.", "", "About Dana", "Dana has coached couples since 2004."]
    assert find_article_end(about, ("Dana Whitfield",)) == (2, "author_bio")


# --- the head: navigation, title, byline ---------------------------------------------------


def test_site_header_and_menu_before_the_title_are_stripped() -> None:
    text = (
        "Green Thumbs Up\nA gardening journal\n\nHome | Blog | About | Contact\n\n"
        "Compost in Winter\n\nby Rosa Martínez on 01/15/2020\n\n"
        "Cold piles slow down, but they do not stop.\n"
    )
    post = parse_text(text, "winter.txt")
    assert post.title == "Compost in Winter"
    assert post.authors == ("Rosa Martínez",)
    assert post.date == dt.datetime(2020, 1, 15)
    assert "Green Thumbs" not in post.body and "Home" not in post.body


def test_menu_copied_one_item_per_line_is_stripped() -> None:
    text = "Skip to main content\nHome\nArchive\nTalks\nAbout\n\nA Title\n\nBody text here.\n"
    assert parse_text(text, "t.txt").title == "A Title"


@pytest.mark.parametrize("title", ["Home / Work", "About Time", "Podcast", "Home"])
def test_titles_that_look_a_little_like_menus_are_kept(title: str) -> None:
    text = f"{title}\n\nby Jane Doe on 11/19/2013\n\nThe first paragraph of the post.\n"
    assert parse_text(text, "t.txt").title == title


def test_date_above_the_title_and_author_below() -> None:
    post = parse_text("May 4, 2016\n\nA Title\n\nby Jane Doe\n\nThe text.\n", "t.txt")
    assert (post.title, post.authors, post.date) == (
        "A Title",
        ("Jane Doe",),
        dt.datetime(2016, 5, 4),
    )


def test_subtitle_between_title_and_byline_stays_in_the_article() -> None:
    post = parse_text(
        "A Title\nWhat nobody tells you about listening\nby Jane Doe on 11/19/2013\n\nText.\n",
        "t.txt",
    )
    assert post.authors == ("Jane Doe",)
    assert "What nobody tells you about listening" in post.body
    assert "Jane Doe" not in post.body


def test_author_on_its_own_line_above_the_date() -> None:
    text = (
        "How I Stopped Fixing Things\nA note to my fellow fixers\nJane Doe\nFollow\n"
        "5 min read · Mar 3, 2015\n142\n\nMy husband says I treat every talk like a faucet.\n"
    )
    post = parse_text(text, "t.txt")
    assert (post.authors, post.date) == (("Jane Doe",), dt.datetime(2015, 3, 3))
    assert (
        _text(post.body)
        == "A note to my fellow fixers My husband says I treat every talk like a faucet."
    )


def test_signature_under_the_post_gives_the_author() -> None:
    text = (
        "Tuesday, November 19, 2013\n\nListening at the Kitchen Table\n\n"
        "Most of our best talks happened at the kitchen table.\n\n"
        "Posted by Jane Doe at 9:12 PM\nEmail This\nBlogThis!\nShare to Twitter\n"
        "Labels: listening, marriage\n\nNo comments:\n\nPost a Comment\n\n"
        "Newer Post Older Post Home\nSubscribe to: Post Comments (Atom)\n"
    )
    post = parse_text(text, "t.txt")
    assert (post.title, post.authors, post.date) == (
        "Listening at the Kitchen Table",
        ("Jane Doe",),
        dt.datetime(2013, 11, 19),
    )
    assert post.tags == ("listening", "marriage")
    assert _text(post.body) == "Most of our best talks happened at the kitchen table."


def test_no_byline_leaves_authors_and_date_empty() -> None:
    post = parse_text("A Title\n\nJust the text, nothing else.\n", "t.txt")
    assert (post.authors, post.date) == ((), None)
    assert post.body == "<p>Just the text, nothing else.</p>\n"


def test_share_row_and_comment_link_under_the_title_are_dropped() -> None:
    text = "A Title\nJane Doe · 2019-04-02\nLeave a comment\nShare\nTweet\n\nThe text.\n"
    post = parse_text(text, "t.txt")
    assert post.body == "<p>The text.</p>\n"


# --- the article's blocks ------------------------------------------------------------------


def _blocks(body_text: str) -> list[tuple[str, str]]:
    post = parse_text(f"A Title\n\n{body_text}", "t.txt")
    root = lxml.html.fragment_fromstring(post.body, create_parent="div")
    return [(el.tag, " ".join(el.text_content().split())) for el in root]


def test_headings_are_short_title_like_lines_over_content() -> None:
    paragraph = "A paragraph long enough to be the body of a section under a heading."
    blocks = _blocks(
        f"Intro paragraph.\n\nWhy Do We Interrupt?\n\n{paragraph}\n\nStart with your breath\n\n"
        f"- a list item\n\nSound familiar?\n\n{paragraph}\n\nI think so\n\n{paragraph}\n\n"
        f"This line ends with a period.\n\n{paragraph}\n\n"
        f"She said “not tonight.”\n\n{paragraph}\n\n"
        f"What you can do tonight\n\n{paragraph}\n\nUntil next time\n\nDana\n"
    )
    tags = [tag for tag, _ in blocks]
    assert tags == ["p", "h2", "p", "h2", "ul"] + ["p"] * 8 + ["h2", "p", "p", "p"]


def test_hard_wrapped_lines_are_joined() -> None:
    blocks = _blocks("One long sentence that was\nwrapped by hand, with a well-\nknown word.\n")
    assert blocks == [("p", "One long sentence that was wrapped by hand, with a well-known word.")]


def test_long_lines_with_single_breaks_are_separate_paragraphs() -> None:
    first = "Most couples who come to my office do not have a talking problem. " * 2
    second = (
        "We stop listening for good reasons: to help, to defend ourselves, or from tiredness. " * 2
    )
    lines = [
        first,
        "Why We Stop Listening",
        second,
        "- Put the phone away.",
        "- Ask one more question.",
    ]
    blocks = _blocks("\n".join(lines) + "\nShare this:\nTweet\n")
    assert blocks == [
        ("p", first.strip()),
        ("h2", "Why We Stop Listening"),
        ("p", second.strip()),
        ("ul", "Put the phone away.Ask one more question."),
    ]


def test_lists_and_quotes() -> None:
    blocks = _blocks(
        "Lead-in:\n* one\n* two\n\n• three\n\n1. first\n2) second\n\n> quoted\n> still quoted\n>\n"
        "> second paragraph\n\nAfter.\n"
    )
    assert blocks == [
        ("p", "Lead-in:"),
        ("ul", "onetwothree"),
        ("ol", "firstsecond"),
        ("blockquote", "quoted still quotedsecond paragraph"),
        ("p", "After."),
    ]


def test_text_is_escaped_and_addresses_become_links() -> None:
    post = parse_text(
        "A Title\n\nSee https://example.org/a?b=1&c=2, and <script>x()</script> & more.\n",
        "t.txt",
    )
    assert '<a href="https://example.org/a?b=1&amp;c=2">' in post.body
    assert "&lt;script&gt;" in post.body and "<script>" not in post.body


def test_image_lines_are_dropped() -> None:
    post = parse_text("A Title\n\nText.\n\nPost image for A Title\n\nMore text.\n", "t.txt")
    assert "Post image" not in post.body and "More text." in post.body


# --- files and errors --------------------------------------------------------------------


def test_utf8_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffCafé Talk\n\nby Jane Doe\n\nOlé.\n".encode())
    post = load_text(path)
    assert (post.title, post.slug) == ("Café Talk", "cafe-talk")


def test_cp1252_fallback_and_crlf() -> None:
    raw = (FIXTURES / "long-distance.txt").read_bytes()
    assert b"\r\n" in raw
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert "café" in load_text(FIXTURES / "long-distance.txt").body


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"   \n\n  \n",
        b"A Title\n\n3 Comments\n\nMary says:\nJune 3, 2014 at 9:12 pm\nNice.\n",
        b"Only A Title\n",
    ],
)
def test_no_article_text_is_an_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(SourceError) as info:
        load_text(path)
    assert info.value.format_message() == f"{path}: no article text found"


def test_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="missing.txt: cannot read file"):
        load_text(tmp_path / "missing.txt")


def test_a_binary_file_named_txt_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "photo.txt"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(SourceError) as info:
        load_text(path)
    assert info.value.message == f"{path}: a binary file, not text"


def test_control_characters_never_reach_the_title() -> None:
    text = (
        "Low\x0b Tide\x1b Notes\n\n"
        + "The harbour empties twice a day and the boats lie down. " * 3
    )
    post = parse_text(text, "tide.txt")
    assert post.title == "Low Tide Notes"
