"""What every article passes before it reaches a book: the sanitiser and text hygiene.

Hostile pages leave nothing active in the EPUB and their article text survives; text in any
script (right-to-left, CJK, emoji) comes through intact; wrong charset labels, mojibake, byte-order
marks and characters XML forbids are dealt with.
"""

from __future__ import annotations

import datetime as dt
import logging
import zipfile
from pathlib import Path

import lxml.html
import pytest

from bookmaker.extract.article import extract
from bookmaker.extract.encoding import decode_page, repair_text
from bookmaker.extract.sanitize import clean_fragment
from bookmaker.model import Book, BookMeta, Chapter, Part, Post
from bookmaker.render.epub import render_epub
from bookmaker.sources.html import load_html

HTML = Path(__file__).parent / "resources" / "html"
STYLESHEET = Path(__file__).parents[1] / "styles" / "epub.css"
SENTENCE = "and enough words after it to make a paragraph of a post"

MORE_HOSTILE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Quince Cheese, Safely</title>
<meta http-equiv="refresh" content="0; url=https://evil.example/"><base href="https://evil.example/">
<link rel="import" href="https://evil.example/import.html"></head>
<body><article>
<p>Quince cheese starts with a kilo of fruit, washed of its grey fuzz.</p>
<p><a href="java&#x09;script:alert(1)">a tabbed link</a>, <a href="jav&#x0A;ascript:alert(2)">a
broken-line link</a>, <a href="file:///etc/passwd">a file link</a> and
<a href="https://quince.example/varieties" target="_blank" rel="opener">the variety list</a>.</p>
<p><img src="javascript:alert(3)" alt="a scripted picture">
<img src="x.png" srcset="javascript:alert(4) 2x" alt="a second picture"></p>
<svg xmlns="http://www.w3.org/2000/svg"><a xlink:href="javascript:alert(5)">
<text>SVG link text from evil</text></a><animate onbegin="alert(6)"/></svg>
<p style="position: fixed; top: 0; left: 0; width: 100%; height: 100%; z-index: 9999">
Simmer the pulp with its weight in sugar for an hour.</p>
<div onmouseover="alert(7)" class="recipe-step">
Stir until a spoon drawn across the pan leaves a trail.</div>
<textarea>Textarea text from evil</textarea><select><option>Option text from evil</option></select>
<iframe src="data:text/html;base64,PHNjcmlwdD5hbGVydCg4KTwvc2NyaXB0Pg=="></iframe>
<object data="data:image/svg+xml;base64,PHN2Zz48c2NyaXB0PmFsZXJ0KDkpPC9zY3JpcHQ+PC9zdmc+"></object>
<p>Pour into an oiled tin and leave it to set for two days.</p>
<![CDATA[ cdata text from evil ]]><?php echo 'processing instruction from evil'; ?>
</article></body></html>
"""
MORE_TRACES = (
    "javascript", "alert", "file:", "target=", "rel=", "<svg", "SVG link text", "onbegin",
    "style=", "position", "onmouseover", "<textarea", "Textarea text", "Option text", "<iframe",
    "data:", "<object", "srcset", "cdata text", "processing instruction", "<base", "<link",
    "<meta", "refresh",
)  # fmt: skip
MORE_KEPT = (
    "Quince cheese starts with a kilo of fruit",
    "the variety list",
    "Simmer the pulp with its weight in sugar for an hour.",
    "Stir until a spoon drawn across the pan leaves a trail.",
    "Pour into an oiled tin and leave it to set for two days.",
)
WORLD = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Letters From Everywhere</title></head>
<body><article>
<p>Letters arrive in every script, and the book must print each one as its writer wrote it.</p>
<p lang="he" dir="rtl">שלום מירושלים! קיבלנו את החבילה ב־12 במרץ, תודה רבה.</p>
<p lang="ar" dir="RTL">مرحبا من القاهرة، وصلت الرسالة يوم ٣ مارس.</p>
<p>Mixed: the word <bdi lang="he">ספר</bdi> means book,
and <bdo dir="rtl">reversed</bdo> stays marked.</p>
<p lang="ja">東京の<ruby>桜<rp>(</rp><rt>さくら</rt><rp>)</rp></ruby>は三月の終わりに咲きます。</p>
<p lang="zh">北京的秋天很短，但是很美。</p>
<p lang="ko">서울에서 안부를 전합니다.</p>
<p>Emoji: 👩‍👩‍👧 family, 🇳🇴 flag, ❤️ heart, 🧶 yarn, and a skin tone 👋🏽.</p>
<p dir="sideways">An unknown direction is dropped, not the paragraph.</p>
</article></body></html>
"""
WORLD_TEXTS = (
    "שלום מירושלים! קיבלנו את החבילה ב־12 במרץ, תודה רבה.",
    "مرحبا من القاهرة، وصلت الرسالة يوم ٣ مارس.",
    "ספר",
    "東京の",
    "さくら",
    "は三月の終わりに咲きます。",
    "北京的秋天很短，但是很美。",
    "서울에서 안부를 전합니다.",
    "👩\u200d👩\u200d👧 family, 🇳🇴 flag, ❤️ heart, 🧶 yarn, and a skin tone 👋🏽.",
    "An unknown direction is dropped, not the paragraph.",
)


def epub_chapters(posts: list[Post], path: Path) -> dict[str, str]:
    """Render the posts as an EPUB; return the text of each chapter document."""
    chapters = tuple(
        Chapter(id=f"chapter-{i}", title=post.title, body=post.body) for i, post in enumerate(posts)
    )
    meta = BookMeta(
        title="Hygiene",
        authors=("A. Tester",),
        language="en",
        identifier="urn:uuid:0b6f2d1e-7c3a-4e59-9d2b-5a8c1f4e3b27",
        modified=dt.datetime(2024, 5, 1, tzinfo=dt.UTC),
    )
    assets = tuple({a.name: a for post in posts for a in post.assets}.values())
    book = Book(meta, (Part("", "main", chapters),), assets=assets)
    render_epub(book, path, STYLESHEET.read_text(encoding="utf-8"))
    with zipfile.ZipFile(path) as epub:
        return {
            name: epub.read(name).decode("utf-8")
            for name in epub.namelist()
            if name.endswith(".xhtml") and "chapter-" in name
        }


def saved(tmp_path: Path, name: str, html: str) -> Post:
    path = tmp_path / name
    path.write_text(html, encoding="utf-8")
    return load_html(path)


def text_of(fragment: str) -> str:
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    return " ".join(" ".join(root.itertext()).split())


# --- hostile pages, all the way to the EPUB ------------------------------------------------


@pytest.fixture(scope="module")
def hostile_epub(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    folder = tmp_path_factory.mktemp("hostile")
    posts = [load_html(HTML / "hostile.html"), saved(folder, "more.html", MORE_HOSTILE)]
    chapters = epub_chapters(posts, folder / "hostile.epub")
    first, second = (chapters[k] for k in sorted(chapters))
    return first, second


@pytest.mark.parametrize(
    "trace",
    [
        "<script", "alert(", "javascript:", "vbscript:", "onclick", "onerror", "onload",
        "onmouseover", "ontoggle", "<iframe", "srcdoc", "<form", "<input", "<button", "<svg",
        "<object", "<embed", "<applet", "<style", "style=", "<template", "<noscript", "<math",
        "data:text", "evil", "secret-token",
    ],
)  # fmt: skip
def test_no_epub_chapter_from_a_hostile_page_holds(
    trace: str, hostile_epub: tuple[str, str]
) -> None:
    for chapter in hostile_epub:
        body = chapter.split("<body", 1)[1]
        assert trace.lower() not in body.lower()


@pytest.mark.parametrize("trace", MORE_TRACES)
def test_more_attacks_leave_no_trace(trace: str, hostile_epub: tuple[str, str]) -> None:
    body = hostile_epub[1].split("<body", 1)[1]
    assert trace.lower() not in body.lower()


def test_the_article_around_the_attacks_survives(hostile_epub: tuple[str, str]) -> None:
    first, second = (text_of(c.split("<body", 1)[1].rsplit("</body>", 1)[0]) for c in hostile_epub)
    assert "Plums make the best jam" in first and "Label every jar with the date" in first
    assert [phrase for phrase in MORE_KEPT if phrase not in second] == []
    assert "a tabbed link" in second and "a file link" in second  # the words stay, unlinked


def test_hostile_epub_passes_epubcheck(tmp_path: Path, epubcheck) -> None:  # type: ignore[no-untyped-def]
    posts = [load_html(HTML / "hostile.html"), saved(tmp_path, "more.html", MORE_HOSTILE)]
    epub_chapters(posts, tmp_path / "hostile.epub")
    report = epubcheck(tmp_path / "hostile.epub")
    assert (report.errors, report.warnings) == ([], [])


def test_an_svg_picture_is_never_embedded(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "drawing.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><circle r="4"/></svg>'
    )
    html = (
        "<article><p>A drawing of a quince, "
        + SENTENCE
        + ".</p><img src='drawing.svg' alt='A quince'></article>"
    )
    with caplog.at_level(logging.WARNING, logger="bookmaker"):
        post = saved(tmp_path, "drawing.html", f"<html><body>{html}</body></html>")
    assert post.assets == () and "<img" not in post.body and "[A quince]" in post.body
    assert "drawing.svg not a readable image; left out" in caplog.text


def test_inline_styles_and_classes_never_reach_the_book() -> None:
    body = clean_fragment(
        "<p style='color:red' class='lead'>Styled</p><span style='font-size:90px'>Big</span>"
    )
    assert body == "<p>Styled</p>\n<span>Big</span>\n"


# --- scripts of the world ----------------------------------------------------------------


def test_rtl_cjk_and_emoji_come_through_to_the_epub(tmp_path: Path, epubcheck) -> None:  # type: ignore[no-untyped-def]
    post = saved(tmp_path, "world.html", WORLD)
    chapters = epub_chapters([post], tmp_path / "world.epub")
    [chapter] = chapters.values()
    text = text_of(chapter.split("<body", 1)[1].rsplit("</body>", 1)[0])
    assert [t for t in WORLD_TEXTS if t not in text] == []
    assert 'dir="rtl"' in chapter and chapter.count('dir="rtl"') == 3  # he, ar, bdo
    assert "<ruby>桜<rp>(</rp><rt>さくら</rt><rp>)</rp></ruby>" in chapter
    assert "sideways" not in chapter
    report = epubcheck(tmp_path / "world.epub")
    assert (report.errors, report.warnings) == ([], [])


# --- encodings ---------------------------------------------------------------------------


def encoded(text: str, head: str = "") -> str:
    return (
        f"<!DOCTYPE html><html><head><title>Post</title>{head}</head>"
        f"<body><article><p>{text} {SENTENCE}.</p></article></body></html>"
    )


WESTERN = "Caf\u00e9 cr\u00e8me for \u20ac5 \u2014 \u201cgood\u201d, na\u00efvely"


@pytest.mark.parametrize(
    ("data", "server", "expected"),
    [
        (encoded(WESTERN).encode("cp1252"), "utf-8", WESTERN),  # cp1252 served as UTF-8
        (encoded(WESTERN, "<meta charset='utf-8'>").encode("cp1252"), None, WESTERN),
        (encoded("Gr\u00fc\u00dfe aus K\u00f6ln, \u65e5\u672c").encode(), "iso-8859-1",
         "Grüße aus Köln, 日本"),  # UTF-8 served as Latin-1
        (encoded("Stra\u00dfe", "<meta charset='iso-8859-1'>").encode(), None, "Straße"),
        (encoded("It\u00e2\u20ac\u2122s a caf\u00c3\u00a9").encode(), "utf-8", "It’s a café"),
        (encoded("\u041f\u0440\u0438\u0432\u0435\u0442").encode("koi8-r"), "koi8-r", "Привет"),
        (b"\xef\xbb\xbf" + encoded("B\u00f6m \ufeffinside").encode(), "windows-1252", "Böm inside"),
    ],
    ids=["cp1252-as-utf8", "cp1252-meta-utf8", "utf8-as-latin1", "utf8-meta-latin1", "mojibake",
         "honest-koi8r", "bom-beats-server"],
)  # fmt: skip
def test_mislabelled_and_double_encoded_text_is_repaired(
    data: bytes, server: str | None, expected: str
) -> None:
    body = extract(data, encoding=server).body_html
    assert expected in body
    assert "\ufffd" not in body and "Ã" not in body


def test_a_utf8_page_with_one_cp1252_comment_keeps_both() -> None:
    data = encoded("na\u00efve").encode() + "<p>caf\u00e9</p>".encode("cp1252")
    text = decode_page(data, "utf-8")
    assert "naïve" in text and "café" in text


def test_repair_leaves_correct_text_alone() -> None:
    for text in ("naïve café — “quoted”", "שלום 😀 日本語", "ASCII only", "Ärger über Öl"):
        assert repair_text(text) == text


def test_characters_xml_forbids_are_removed_and_the_rest_kept() -> None:
    html = encoded("Bell\x07 vertical\x0b escape\x1b nonchar\ufffe\uffff tab\tend")
    body = extract(html).body_html
    assert "Bell vertical escape nonchar tab\tend" in body
    for forbidden in ("\x07", "\x0b", "\x1b", "\ufffe", "\uffff"):
        assert forbidden not in body


def test_nesting_deeper_than_any_xml_reader_allows_is_flattened_keeping_the_text() -> None:
    html = "<blockquote>" * 200 + "<p>the bottom of the well</p>" + "</blockquote>" * 200
    fragment = clean_fragment(html)
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    depth = max(len(list(el.iterancestors())) for el in root.iter())
    assert depth <= 101
    assert "the bottom of the well" in fragment


@pytest.mark.parametrize(
    ("cell", "spans"),
    [
        ('<td colspan="99999999" rowspan="99999999">x</td>', ("1000", "65534")),
        (f'<td colspan="{"9" * 5000}">x</td>', ("1000", None)),
        ('<td colspan="0" rowspan="0">x</td>', ("1", "0")),
        ('<td colspan="wide" rowspan="²">x</td>', ("1", "1")),
    ],
)
def test_table_spans_are_clamped_as_html_says(cell: str, spans: tuple[str, str | None]) -> None:
    fragment = clean_fragment(f"<table><tr>{cell}</tr></table>")
    td = next(lxml.html.fragment_fromstring(fragment, create_parent="div").iter("td"))
    assert (td.get("colspan"), td.get("rowspan")) == spans


def test_addresses_no_reader_could_follow_do_not_stop_extraction() -> None:
    broken = "http://[::1"
    page = f"""<html><head><title>Tides</title><link rel="canonical" href="{broken}">
    <script type="application/ld+json">{{"@type": "BlogPosting", "headline": "Tides",
    "url": "{broken}", "image": "{broken}"}}</script></head><body><article><h1>Tides</h1>
    <p>The harbour empties twice a day and the boats lie down on the mud, patient as dogs.
    <a href="{broken}">A chart</a> and <img src="{broken}" alt=""/> a picture.</p>
    <iframe src="{broken}"></iframe><video src="{broken}"></video>
    <p>Then the water comes back, quietly, and lifts them all again by evening.</p>
    </article></body></html>"""
    found = extract(page, "https://tides.example/2020/tides/")
    assert "boats lie down" in found.body_html
    assert broken not in found.body_html


def test_json_ld_nested_thousands_deep_is_ignored() -> None:
    page = (
        '<html><head><script type="application/ld+json">'
        + "[" * 50000
        + "]" * 50000
        + "</script></head><body><article><h1>Tides</h1><p>The harbour empties twice a day"
        " and the boats lie down on the mud, patient as dogs, until evening.</p>"
        "</article></body></html>"
    )
    assert "boats lie down" in extract(page, "https://tides.example/tides/").body_html
