"""Learning a blog's template from its pages, and stripping it from the article.

tests/sites/loom-blog is a made-up weaving blog of five posts whose furniture uses class names no
rule knows: a share bar `div.zz-7`, a newsletter box `div.xq-box`, an author card `div.qb-card`,
a sign-off line that is a plain <p> of the post body. Each post also holds text that must stay: its
own paragraphs, a "Materials" heading several posts share, a paragraph two of the five posts share,
and a long note that is nearly the same in every post (one word differs).
"""

from __future__ import annotations

import functools
from pathlib import Path

import lxml.html
import pytest

from bookmaker.extract.article import Extracted, extract, parse_page
from bookmaker.extract.template import Template, apply, learn_template, sample, structural_path
from bookmaker.extract.trail import Trail
from bookmaker.model import Post
from bookmaker.sources.html import load_html, load_html_pages

LOOM = Path(__file__).parent / "sites" / "loom-blog" / "posts"
BASE = "https://quietloom.example"
FURNITURE = (
    "Pass it on",  # the share bar, div.zz-7
    "The Thursday Thread",  # the newsletter box, div.xq-box
    "Put me on the list",
    "Hedda Lind weaves in a converted barn",  # the author card, div.qb-card
    "Until the next row, and mind the selvedges.",  # the sign-off, a plain <p>
)
UNIQUE = {
    "warping-the-loom": "tie the cross before you take anything off the peg",
    "choosing-yarn": "it will teach you a great deal about swearing",
    "mending-a-broken-warp": "weight it over the back beam with a film canister of coins",
    "twill-at-last": "sounds like an injury and looks like a herringbone",
    "washing-handwoven-cloth": "The threads bloom and close the gaps",
}
SHARED_BY_TWO = "If you are new here, start with the warping post"
LONG_NOTE = "this one was taken on a quiet"


def loom_pages(folder: Path) -> list[Path]:
    """The loom posts as saved pages in `folder`, their {{base}} placeholders filled."""
    folder.mkdir(exist_ok=True)
    for source in sorted(LOOM.glob("*.html")):
        text = source.read_text(encoding="utf-8").replace("{{base}}", BASE)
        (folder / source.name).write_text(text, encoding="utf-8")
    return sorted(folder.glob("*.html"))


@functools.cache
def loom_bytes() -> dict[str, bytes]:
    return {p.stem: p.read_bytes().replace(b"{{base}}", BASE.encode()) for p in LOOM.glob("*.html")}


@functools.cache
def loom_template() -> Template:
    return learn_template([parse_page(data) for data in loom_bytes().values()], selectors=True)


def text_of(fragment: str) -> str:
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    return " ".join(" ".join(root.itertext()).split())


def with_template(name: str, explain: bool = False) -> Extracted:
    return extract(loom_bytes()[name], template=loom_template(), explain=explain)


def test_no_rule_knows_the_loom_furniture() -> None:
    # Without the template every piece of furniture stays: the test below proves the template.
    text = text_of(extract(loom_bytes()["twill-at-last"]).body_html)
    assert all(phrase in text for phrase in FURNITURE)


@pytest.mark.parametrize("name", sorted(UNIQUE))
def test_the_template_strips_the_furniture_and_keeps_the_article(name: str) -> None:
    page = with_template(name)
    text = text_of(page.body_html)
    assert [phrase for phrase in FURNITURE if phrase in text] == []
    assert UNIQUE[name] in text
    assert LONG_NOTE in text  # long and only nearly the same on every page: content
    assert page.title and page.authors == ("Hedda Lind",)


def test_text_some_posts_share_is_not_template() -> None:
    for name in ("choosing-yarn", "mending-a-broken-warp"):  # two of five pages: below 60 %
        assert SHARED_BY_TWO in text_of(with_template(name).body_html)
    assert "<h2>Materials</h2>" in with_template("twill-at-last").body_html  # too short


def test_the_template_lists_the_blocks_as_selectors() -> None:
    selectors = {b.selector for b in loom_template().blocks if b.outer}
    assert {"div.zz-7", "div.xq-box", "div.qb-card", "div.rt-text > p:last-of-type"} <= selectors
    assert all(b.pages == 5 for b in loom_template().blocks)
    assert loom_template().pages == 5


def test_blocks_inside_a_template_block_are_not_listed_apart() -> None:
    inner = [b for b in loom_template().blocks if not b.outer]
    assert any("one letter a week" in b.text for b in inner)  # a <p> of the newsletter box
    assert all(b.selector == "" for b in inner)


def test_each_removal_says_why_and_gives_a_selector() -> None:
    removed = with_template("choosing-yarn", explain=True).removed
    reasons = {r.selector: r.reason for r in removed if r.source == "template"}
    assert reasons["div.xq-box"] == "repeats on 5 of 5 pages of this site"
    assert "div.zz-7" in reasons and "div.rt-text > p:last-of-type" in reasons
    sign_off = next(r for r in removed if r.selector == "div.rt-text > p:last-of-type")
    assert sign_off.text == "Until the next row, and mind the selvedges. — Hedda"


def test_fewer_than_three_pages_learn_nothing() -> None:
    pages = [parse_page(data) for data in list(loom_bytes().values())[:2]]
    assert learn_template(pages).blocks == ()


def test_the_same_page_twice_counts_once() -> None:
    data = loom_bytes()["twill-at-last"]
    template = learn_template([parse_page(data) for _ in range(4)])
    assert template.pages == 1 and template.blocks == ()


def test_sixty_percent_of_the_pages_is_enough() -> None:
    names = sorted(UNIQUE)
    docs = [parse_page(loom_bytes()[n]) for n in names]
    for doc in docs[3:]:  # the newsletter box on three of five pages only
        for box in doc.xpath("//div[@class='xq-box']"):
            box.drop_tree()
    template = learn_template(docs, selectors=True)
    box = next(b for b in template.blocks if b.selector == "div.xq-box")
    assert box.pages == 3
    for doc in docs[2:]:  # and on two of five: no longer template
        for box_el in doc.xpath("//div[@class='xq-box']"):
            box_el.drop_tree()
    assert not any(b.selector == "div.xq-box" for b in learn_template(docs, selectors=True).blocks)


def test_a_post_that_is_mostly_template_is_kept_whole() -> None:
    data = loom_bytes()["washing-handwoven-cloth"]
    doc = parse_page(data)
    text = doc.xpath("//div[@class='rt-text']")[0]
    for paragraph in text.xpath("p")[:-1]:  # only the sign-off paragraph is left
        paragraph.drop_tree()
    article = doc.xpath("//article")[0]
    assert apply(loom_template(), article, Trail()) == 0
    assert "Pass it on" in article.text_content()


def test_apply_strips_in_place_and_notes_each_block() -> None:
    doc = parse_page(loom_bytes()["choosing-yarn"])
    article = doc.xpath("//article")[0]
    trail = Trail(explain=True)
    assert apply(loom_template(), article, trail) == 5  # date line, share bar, sign-off, box, card
    assert "Pass it on" not in article.text_content()
    assert {r.source for r in trail.removals} == {"template"}


def test_structural_paths_leave_out_per_post_numbers_and_positions() -> None:
    doc = lxml.html.document_fromstring(
        "<html><body><div id='page'><article id='post-412' class='post post-412 tag-x hentry'>"
        "<p>One</p><p class='zz-7'>Two</p></article></div></body></html>"
    )
    second = doc.xpath("//p")[1]
    assert structural_path(second) == "div#page > article.hentry.post > p.zz-7"


def test_sample_spreads_evenly_and_keeps_small_lists_whole() -> None:
    assert sample([1, 2, 3]) == [1, 2, 3]
    picked = sample(list(range(100)), 10)
    assert picked == list(range(0, 100, 10))


# --- the sources use it ---------------------------------------------------------------------


def test_saved_pages_of_a_folder_share_their_template(tmp_path: Path) -> None:
    pages = loom_pages(tmp_path / "saved")
    posts = load_html_pages(pages)
    assert [p.source for p in posts] == [str(p) for p in pages]
    for post in posts:
        assert isinstance(post, Post)
        text = text_of(post.body)
        assert [phrase for phrase in FURNITURE if phrase in text] == []
        assert UNIQUE[Path(post.source).stem] in text


def test_one_saved_page_alone_keeps_its_furniture(tmp_path: Path) -> None:
    page = loom_pages(tmp_path / "saved")[0]
    assert "Pass it on" in text_of(load_html(page).body)
