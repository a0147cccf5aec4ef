"""Frozen posts: Markdown files that the Markdown loader reads back as the same posts.

Covers bookmaker/freeze.py (files, names, front matter, images, kept edits) and
bookmaker/tomarkdown.py (XHTML bodies as Markdown, with HTML only where Markdown cannot say it).
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
from pathlib import Path

import lxml.etree as etree
import lxml.html
import markdown
import pytest
import yaml
from PIL import Image

from bookmaker import files
from bookmaker.errors import BookmakerError
from bookmaker.extract.sanitize import clean_fragment
from bookmaker.freeze import FreezeResult, freeze, summary
from bookmaker.model import Asset, Post, Skipped
from bookmaker.sources.assets import asset_from_bytes
from bookmaker.sources.markdown import EXTENSION_CONFIGS, EXTENSIONS, load_markdown
from bookmaker.tomarkdown import canonical, to_markdown

UTC_PLUS_1 = dt.timezone(dt.timedelta(hours=1))
BLOCKS = "p li td th tr h2 h3 h4 h5 h6 pre blockquote figure figcaption dt dd br div table hr"


def image(colour: tuple[int, int, int], size: tuple[int, int] = (12, 8)) -> Asset:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return asset_from_bytes(out.getvalue(), origin="test")


LAMP = image((250, 210, 80))
SEA = image((40, 90, 140), (16, 10))

RICH_HTML = f"""
<p>The harbour master said the "new" lamp wasn't new at all -- it was the 1908 one, re-silvered...
and it's brighter than ever. Five &lt; six, and *stars* stay stars.</p>
<h2 id="the-lamp">The lamp, <em>restored</em></h2>
<p>Read <a href="https://harbour.example/2023/lenses/" title="On lenses">the lens post</a> first;
it explains <strong>why the prisms matter</strong> and <code>focal_length</code> too.<sup
id="fnref-1"><a href="#fn-1">1</a></sup></p>
<h3>What we replaced</h3>
<ul>
<li>The brass collar
<ul><li>polished, not replaced</li><li>re-threaded</li></ul></li>
<li>The clockwork<sup id="fnref-2"><a href="#fn-2">2</a></sup></li>
</ul>
<ol start="4"><li>Fourth step: wait.</li><li>Fifth step: light it.</li></ol>
<table><thead><tr><th>Part</th><th>Year</th><th>Cost</th></tr></thead>
<tbody><tr><td>Lens</td><td>1908</td><td><em>donated</em></td></tr>
<tr><td>Clockwork</td><td>1931</td><td>£140</td></tr></tbody></table>
<pre><code class="language-python">def beam(seconds):
    return "flash" if seconds % 10 &lt; 2 else "dark"
</code></pre>
<blockquote><p>A light is only as good as the keeper who trims it.</p></blockquote>
<figure><img src="{LAMP.name}" alt="The restored lamp" width="12" height="8"/>
<figcaption>The lamp on its first night back.</figcaption></figure>
<dl><dt>Lantern</dt><dd>The glazed room at the top.</dd><dt>Gallery</dt><dd>The balcony
around it.</dd></dl>
<p>Line one<br/># not a heading<br/>- not a list</p>
<div><hr/><ol>
<li id="fn-1"><p>The prisms bend the light into one beam. <a href="#fnref-1">↩</a></p></li>
<li id="fn-2"><p>Wound by hand every four hours. <a href="#fnref-2">↩</a></p></li>
</ol></div>
"""


def words(xhtml: str) -> list[str]:
    """The text's words, blocks kept apart ("end" + "<p>Next" is two words, not one)."""
    root = lxml.html.fragment_fromstring(xhtml, create_parent="div")
    for el in root.iter(*BLOCKS.split()):
        el.tail = " " + (el.tail or "")
        el.text = " " + (el.text or "")
    return root.text_content().split()


def html_blocks(body: str) -> list[str]:
    root = lxml.html.fragment_fromstring(body, create_parent="div")
    return [etree.tostring(el, method="xml", encoding="unicode", with_tail=False) for el in root]


def rendered(text: str) -> str:
    """Markdown as the loader renders it (without reading a file)."""
    html = markdown.markdown(
        text, extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS, output_format="html"
    )
    return clean_fragment(html)


def post(slug: str, **fields: object) -> Post:
    defaults: dict[str, object] = {
        "title": slug.replace("-", " ").title(),
        "body": "<p>A short note from the harbour wall.</p>\n",
        "source": f"https://harbour.example/{slug}/",
        "url": f"https://harbour.example/{slug}/",
        "date": dt.datetime(2024, 3, 17, 9, 30),
    }
    return Post(slug=slug, **{**defaults, **fields})  # type: ignore[arg-type]


def rich_posts() -> list[Post]:
    return [
        post(
            "the-lamp",
            title="The Lamp",
            body=clean_fragment(RICH_HTML),
            authors=("Tamsin Rowe",),
            date=dt.datetime(2024, 3, 17, 9, 30, tzinfo=UTC_PLUS_1),
            categories=("Restoration", "Lights"),
            tags=("brass", "1908"),
            assets=(LAMP,),
            language="en-GB",
        ),
        post(
            "rain-on-the-gallery",
            title='Rain: "a short note" on the gallery',
            body=f'<p>It rained sideways.</p>\n<p><img src="{SEA.name}" alt="Sea"/></p>\n',
            authors=("Tamsin Rowe", "Ezra Penhallow"),
            date=dt.datetime(2024, 4, 2),
            assets=(SEA,),
        ),
        post(
            "undated-notes",
            title="Undated: notes",
            date=None,
            url=None,
            source="posts/undated-notes.txt",
            order=3,
        ),
    ]


# --- The round trip (the acceptance check) ------------------------------------------------


def test_frozen_posts_read_back_with_the_same_metadata_and_text(tmp_path: Path) -> None:
    posts = rich_posts()
    result = freeze(posts, tmp_path)
    assert [p.name for p in result.written] == [
        "2024-03-the-lamp.md",
        "2024-04-rain-on-the-gallery.md",
        "undated-notes.md",
    ]
    for original, path in zip(posts, result.written, strict=True):
        back = load_markdown(path)
        assert back.title == original.title
        assert back.slug == original.slug
        assert back.date == (original.date.replace(tzinfo=None) if original.date else None)
        assert back.authors == original.authors
        assert back.categories == original.categories
        assert back.tags == original.tags
        assert back.url == original.url
        assert back.language == original.language
        assert back.order == original.order
        assert words(back.body) == words(original.body)
        assert {(a.name, a.data) for a in back.assets} == {
            (a.name, a.data) for a in original.assets
        }


def test_structures_survive_the_round_trip(tmp_path: Path) -> None:
    (path,) = freeze(rich_posts()[:1], tmp_path).written
    root = lxml.html.fragment_fromstring(load_markdown(path).body, create_parent="div")

    def texts(xpath: str) -> list[str]:
        return [" ".join(el.text_content().split()) for el in root.xpath(xpath)]

    assert texts("h2") == ["The lamp, restored"] and root.xpath("h2/@id") == ["the-lamp"]
    assert texts("h2/em") == ["restored"] and texts("h3") == ["What we replaced"]
    assert texts("ul/li/ul/li") == ["polished, not replaced", "re-threaded"]
    assert root.xpath("ol/@start") == ["4"]
    assert texts("table/thead/tr/th") == ["Part", "Year", "Cost"]
    assert texts("table/tbody/tr/td") == ["Lens", "1908", "donated", "Clockwork", "1931", "£140"]
    assert texts("table//td/em") == ["donated"]
    (code,) = root.xpath("pre/code[@class='language-python']")
    assert code.text == 'def beam(seconds):\n    return "flash" if seconds % 10 < 2 else "dark"\n'
    assert texts("blockquote/p") == ["A light is only as good as the keeper who trims it."]
    assert root.xpath("figure/img/@src") == [LAMP.name]
    assert root.xpath("figure/img/@width") == ["12"]
    assert texts("figure/figcaption") == ["The lamp on its first night back."]
    assert texts("dl/dt") == ["Lantern", "Gallery"] and len(root.xpath("dl/dd")) == 2
    (link,) = root.xpath("p/a[@href='https://harbour.example/2023/lenses/']")
    assert link.text == "the lens post" and link.get("title") == "On lenses"
    assert texts("p/strong") == ["why the prisms matter"] and texts("p/code") == ["focal_length"]
    assert len(root.xpath("p[1]/br")) == 0 and len(root.xpath("p/br")) == 2
    # Footnotes: each reference leads to its note, and the note keeps its text.
    for n, note in ((1, "The prisms bend the light into one beam."), (2, "Wound by hand")):
        (ref,) = root.xpath(f"//sup/a[@href='#fn-{n}']")
        assert ref.text == str(n)
        (item,) = root.xpath(f"//li[@id='fn-{n}']")
        assert note in item.text_content()


def test_first_paragraph_keeps_its_straight_quotes_dashes_and_asterisks(tmp_path: Path) -> None:
    (path,) = freeze(rich_posts()[:1], tmp_path).written
    first = lxml.html.fragment_fromstring(load_markdown(path).body, create_parent="div")[0]
    assert " ".join(first.text_content().split()) == (
        'The harbour master said the "new" lamp wasn\'t new at all -- it was the 1908 one, '
        "re-silvered... and it's brighter than ever. Five < six, and *stars* stay stars."
    )


# --- The converter, block by block --------------------------------------------------------

AS_MARKDOWN = {
    "specials": (
        "<p>Quotes \"x\" 'y', -- --- ..., << >>, [x](y), {z}, a|b, \\, `t`, _u_, #h, &amp;amp;</p>",
        "Quotes",
    ),
    "line starts": ("<p>a<br/># b<br/>&gt; c<br/>- d<br/>+ e<br/>1. f<br/>: g<br/>=</p>", "a<br>"),
    "heading id": ('<h2 id="s-1">Part #1: <em>Start</em></h2>', "## Part \\#1: *Start* {: #s-1 }"),
    "paragraph class": ('<p class="embed">Video: <a href="https://v.example/1">v</a></p>', "{: "),
    "nested lists": ("<ul><li>a<ol><li>b</li><li>c</li></ol></li><li>d</li></ul>", "    1. b"),
    "loose list": ("<ol><li><p>a</p><p>b</p></li><li><p>c</p></li></ol>", "1. a\n\n    b"),
    "adjacent lists": ("<ul><li>a</li></ul><ul><li>b</li></ul><ol><li>c</li></ol>", "- a"),
    "table": ("<table><tr><th>A</th><th>B|C</th></tr><tr><td>1</td><td></td></tr></table>", "---"),
    "code": ('<pre><code class="language-js">a = `x`;\n\n```\nb</code></pre>', "````js"),
    "plain code": ("<pre><code>  indented\n\ttab</code></pre>", "```\n"),
    "quote": (
        "<blockquote><p>a</p><ul><li>b</li></ul><blockquote><p>c</p></blockquote></blockquote>",
        "> > c",
    ),
    "definitions": (
        "<dl><dt>a</dt><dt>b</dt><dd>c</dd><dt>d</dt><dd><p>e</p><p>f</p></dd></dl>",
        ":   c",
    ),
    "figure with table": (
        "<figure><table><thead><tr><th>a</th></tr></thead><tbody><tr><td>1</td></tr></tbody>"
        "</table><figcaption>Cap <em>tion</em></figcaption></figure>",
        '<figure markdown="1">',
    ),
    "image": (f'<p><img src="{LAMP.name}" alt="A [lamp]" width="12" height="8"/></p>', "!["),
    "inline html": (
        '<p>H<sub>2</sub>O, <abbr title="a b">AB</abbr>, <span lang="fr">oui</span>, <del>x</del>'
        ', <time datetime="2024-01-02">then</time>, <kbd>K</kbd>, <a id="x">anchor</a></p>',
        "<sub>2</sub>",
    ),
    "links": (
        '<p><a href="https://e.example/a b">s</a> <a href="https://e.example/(c">p</a> '
        '<a href="#top" title="Say &quot;hi&quot;">t</a></p>',
        "(<https://e.example/a b>)",
    ),
    "emphasis": (
        "<p><strong>bold <em>both</em></strong>, <b>b</b> <i>i</i>, x<em> spaced </em>y</p>",
        "**bold *both***",
    ),
}


@pytest.mark.parametrize("name", AS_MARKDOWN)
def test_block_becomes_markdown_that_renders_back_the_same(name: str) -> None:
    html, expected = AS_MARKDOWN[name]
    body = clean_fragment(html)
    text = to_markdown(body)
    assert expected in text
    assert not [block for block in html_blocks(body) if block in text], "written as HTML"
    assert canonical(rendered(text)) == canonical(body)
    assert words(rendered(text)) == words(body)


AS_HTML = {
    "merged cells": "<table><tr><td colspan='2'>a</td></tr><tr><td>b</td><td>c</td></tr></table>",
    "picture in a figure": f'<figure><img src="{LAMP.name}" alt="x"/><figcaption>y</figcaption>'
    "</figure>",
    "code with a language in a list": '<ul><li>a<pre><code class="language-sh">ls</code></pre>'
    "</li></ul>",
    "reversed list": "<ol reversed=''><li>b</li><li>a</li></ol>",
    "table without header": "<table><tr><td>a</td></tr><tr><td>b</td></tr></table>",
}


@pytest.mark.parametrize("name", AS_HTML)
def test_block_markdown_cannot_say_stays_html_and_renders_back_the_same(name: str) -> None:
    body = clean_fragment(AS_HTML[name])
    text = to_markdown(body)
    assert text.startswith(body.split(">")[0]), text
    assert canonical(rendered(text)) == canonical(body)


def test_wordpress_footnotes_become_markdown_footnotes() -> None:
    body = clean_fragment(
        '<p>Tea<sup><a href="#n1" id="n1-ref">1</a></sup> and cake<sup><a href="#n2" '
        'id="n2-ref">2</a></sup>.</p><ol><li id="n1">Strong. <a href="#n1-ref">↩︎</a></li>'
        '<li id="n2">Lemon, <em>always</em>. <a href="#n2-ref">↩︎</a></li></ol>'
    )
    text = to_markdown(body)
    assert "Tea[^1] and cake[^2]." in text
    assert "[^1]: Strong.\n" in text and "[^2]: Lemon, *always*." in text
    root = lxml.html.fragment_fromstring(rendered(text), create_parent="div")
    assert root.xpath("p/sup/a/@href") == ["#fn-1", "#fn-2"]
    assert [" ".join(li.text_content().split()) for li in root.xpath("div/ol/li")] == [
        "Strong. ↩",
        "Lemon, always. ↩",
    ]


def test_a_note_markdown_cannot_hold_leaves_the_notes_as_they_were() -> None:
    body = clean_fragment(
        '<p>See<sup id="r1"><a href="#f1">1</a></sup>.</p><ol><li id="f1"><table><tr>'
        '<td colspan="2">odd</td></tr></table><a href="#r1">↩</a></li></ol>'
    )
    text = to_markdown(body)
    assert "[^" not in text
    back = rendered(text)
    assert canonical(back) == canonical(body)


def test_a_reference_inside_an_html_block_leads_to_the_markdown_note() -> None:
    body = clean_fragment(
        '<table><tr><td colspan="2">Lens<sup id="r1"><a href="#f1">1</a></sup></td></tr></table>'
        '<ol><li id="f1">Fresnel. <a href="#r1">↩</a></li></ol>'
    )
    text = to_markdown(body)
    assert text.startswith("<table>") and "[^1]: Fresnel." in text
    root = lxml.html.fragment_fromstring(rendered(text), create_parent="div")
    (ref,) = root.xpath("table//sup/a")
    assert root.xpath(f"//li[@id='{ref.get('href')[1:]}']")


# --- Files, names and front matter --------------------------------------------------------


def front(path: Path) -> dict[str, object]:
    match = re.match(r"---\n(.*?)\n---\n", path.read_text(encoding="utf-8"), re.S)
    assert match, path.read_text()
    return yaml.safe_load(match.group(1))


def test_front_matter_says_everything_the_loader_reads(tmp_path: Path) -> None:
    lamp, rain, undated = freeze(rich_posts(), tmp_path).written
    assert front(lamp) == {
        "title": "The Lamp",
        "date": dt.datetime(2024, 3, 17, 9, 30, tzinfo=UTC_PLUS_1),
        "author": "Tamsin Rowe",
        "categories": ["Restoration", "Lights"],
        "tags": ["brass", "1908"],
        "slug": "the-lamp",
        "url": "https://harbour.example/the-lamp/",
        "lang": "en-GB",
    }
    assert "date: 2024-03-17T09:30:00+01:00\n" in lamp.read_text()
    assert "date: 2024-04-02\n" in rain.read_text()
    assert front(rain)["authors"] == ["Tamsin Rowe", "Ezra Penhallow"]
    assert front(rain)["title"] == 'Rain: "a short note" on the gallery'
    assert "date" not in front(undated) and "url" not in front(undated)
    assert front(undated)["order"] == 3


def test_names_are_unique_and_never_take_an_authors_file(tmp_path: Path) -> None:
    (tmp_path / "2024-03-tide-tables.md").write_text("My own notes, no front matter.\n")
    posts = [
        post("tide-tables", url="https://harbour.example/a/"),
        post("tide-tables", url="https://harbour.example/b/"),
        post("tide-tables", url="https://harbour.example/c/", date=dt.datetime(2024, 5, 1)),
    ]
    result = freeze(posts, tmp_path)
    assert [p.name for p in result.written] == [
        "2024-03-tide-tables-2.md",
        "2024-03-tide-tables-3.md",
        "2024-05-tide-tables.md",
    ]
    assert (tmp_path / "2024-03-tide-tables.md").read_text() == "My own notes, no front matter.\n"


def test_images_are_written_once_each_and_referenced_beside_the_post(tmp_path: Path) -> None:
    both = f'<p>Lamp <img src="{LAMP.name}" alt="lamp"/></p>\n'
    posts = [post("one", body=both, assets=(LAMP,)), post("two", body=both, assets=(LAMP, SEA))]
    result = freeze(posts, tmp_path)
    assert sorted(p.name for p in result.images) == sorted(Path(a.name).name for a in (LAMP, SEA))
    assert (tmp_path / LAMP.name).read_bytes() == LAMP.data
    assert f"![lamp](images/{Path(LAMP.name).name})" in result.written[0].read_text()
    assert freeze(posts, tmp_path / "again").images and not freeze(posts, tmp_path).images


# --- An author's edits ----------------------------------------------------------------------


def test_an_edited_post_is_kept_and_new_posts_are_added(tmp_path: Path) -> None:
    first = freeze([post("tide-tables")], tmp_path)
    (edited,) = first.written
    moved = tmp_path / "tides.md"  # the author renamed and edited it
    edited.rename(moved)
    moved.write_text(moved.read_text().replace("harbour wall", "harbour wall, in fog"))
    mine = moved.read_bytes()
    # The same post reached at another form of its address is still the same post.
    again = post("tide-tables", url="http://www.harbour.example/tide-tables")
    result = freeze([again, post("fog-horn")], tmp_path)
    assert result.kept == (moved,)
    assert [p.name for p in result.written] == ["2024-03-fog-horn.md"]
    assert moved.read_bytes() == mine
    assert not edited.exists()


def test_overwrite_replaces_the_authors_file_in_place(tmp_path: Path) -> None:
    (path,) = freeze([post("tide-tables")], tmp_path).written
    path.write_text(path.read_text().replace("harbour wall", "pier"))
    result = freeze([post("tide-tables")], tmp_path, overwrite=True)
    assert result.written == (path,) and result.kept == ()
    assert "harbour wall" in path.read_text()


def test_a_failed_write_leaves_no_half_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_replace, calls = files.os.replace, []

    def crash_on_second(src: str, dst: str) -> None:
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(files.os, "replace", crash_on_second)
    with pytest.raises(BookmakerError, match="cannot write"):
        freeze([post("one"), post("two")], tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2024-03-one.md"]
    assert load_markdown(tmp_path / "2024-03-one.md").title == "One"


def test_a_post_without_text_is_skipped_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="bookmaker"):
        result = freeze([post("blank", body=""), post("full")], tmp_path)
    assert [p.name for p in result.written] == ["2024-03-full.md"]
    assert result.skipped == (
        Skipped(
            "https://harbour.example/blank/",
            "freeze.empty",
            "https://harbour.example/blank/: the post has no text; not written",
        ),
    )
    assert [r.code for r in caplog.records] == ["freeze.empty"]  # type: ignore[attr-defined]


def test_summary_counts_posts_images_kept_and_skipped() -> None:
    def result(written: int, images: int, kept: int, skipped: int) -> FreezeResult:
        return FreezeResult(
            written=(Path("p.md"),) * written,
            kept=(Path("k.md"),) * kept,
            images=(Path("i.png"),) * images,
            skipped=(Skipped("u", "c", "r"),) * skipped,
        )

    assert summary(result(54, 37, 2, 2), "chapters/") == (
        "Wrote 54 posts and 37 images to chapters/ (2 kept, 2 skipped)"
    )
    assert summary(result(1, 1, 0, 0), "book/") == "Wrote 1 post and 1 image to book/"
    assert summary(result(0, 0, 3, 0), "c/") == "Wrote 0 posts and 0 images to c/ (3 kept)"
