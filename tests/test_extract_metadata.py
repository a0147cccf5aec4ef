"""Post metadata from JSON-LD, <meta> tags, microdata, microformats, <time>, bylines and URLs."""

from __future__ import annotations

import datetime as dt
import json

import lxml.html
import pytest

from bookmaker.extract.metadata import (
    Metadata,
    date_in_url,
    normalise_language,
    parse_date,
    read_metadata,
    strip_site_name,
)

UTC = dt.UTC


def read(head: str = "", body: str = "", url: str | None = None, html_attrs: str = "") -> Metadata:
    doc = lxml.html.document_fromstring(
        f"<!DOCTYPE html><html {html_attrs}><head>{head}</head><body>{body}</body></html>"
    )
    return read_metadata(doc, url)


def ld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def meta(prop: str, content: str) -> str:
    attr = "property" if ":" in prop else "name"
    return f'<meta {attr}="{prop}" content="{content}">'


# --- JSON-LD ----------------------------------------------------------------------------------


def test_json_ld_graph_with_author_reference() -> None:
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "@id": "https://b.example/#site", "name": "The Blog"},
            {
                "@type": "BlogPosting",
                "headline": "Tea &amp; Toast",
                "author": {"@id": "https://b.example/#ana"},
                "datePublished": "2015-05-01T10:00:00+01:00",
                "dateModified": "2015-06-01",
                "articleSection": ["Breakfast", "Habits"],
                "keywords": "tea, toast, mornings",
                "inLanguage": "en-GB",
                "mainEntityOfPage": {"@id": "https://b.example/tea-and-toast/"},
                "image": {"@id": "https://b.example/tea-and-toast/#img"},
            },
            {"@type": "Person", "@id": "https://b.example/#ana", "name": "Ana Ruiz"},
            {"@type": "ImageObject", "@id": "https://b.example/tea-and-toast/#img",
             "url": "https://b.example/toast.jpg"},
        ],
    }  # fmt: skip
    found = read(ld(graph))
    assert found.title == "Tea & Toast"
    assert found.authors == ("Ana Ruiz",)
    assert found.date == dt.datetime(2015, 5, 1, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert found.updated == dt.datetime(2015, 6, 1)
    assert found.categories == ("Breakfast", "Habits")
    assert found.tags == ("tea", "toast", "mornings")
    assert found.language == "en-GB"
    assert found.url == "https://b.example/tea-and-toast/"
    assert found.image == "https://b.example/toast.jpg"
    assert found.site_name == "The Blog"


@pytest.mark.parametrize(
    ("author", "expected"),
    [
        ("Ana Ruiz", ("Ana Ruiz",)),
        ({"@type": "Person", "name": "Ana Ruiz"}, ("Ana Ruiz",)),
        ([{"@type": "Person", "name": "Ana Ruiz"}, "Tom Lee"], ("Ana Ruiz", "Tom Lee")),
        ([{"name": "Ana Ruiz"}, {"name": "ana ruiz"}], ("Ana Ruiz",)),
        ("https://facebook.example/ana", ()),
    ],
)
def test_json_ld_author_shapes(author: object, expected: tuple[str, ...]) -> None:
    found = read(ld({"@type": "Article", "headline": "T", "author": author}))
    assert found.authors == expected


def test_json_ld_type_may_be_a_list_and_blocks_may_be_lists() -> None:
    blocks = [{"@type": "Organization", "name": "Org"}, {"@type": ["BlogPosting"], "headline": "L"}]
    assert read(ld(blocks)).title == "L"


def test_unreadable_json_ld_is_skipped() -> None:
    head = '<script type="application/ld+json">{"@type": "Article", oops}</script>'
    head += ld({"@type": "NewsArticle", "headline": "Second block"})
    assert read(head).title == "Second block"


def test_json_ld_is_trusted_over_opengraph_and_time() -> None:
    head = ld({"@type": "Article", "headline": "From JSON-LD", "datePublished": "2020-01-02"})
    head += meta("og:title", "From OpenGraph") + meta("article:published_time", "2019-09-09")
    found = read(head, "<time datetime='2018-08-08'>8 Aug</time>")
    assert (found.title, found.date) == ("From JSON-LD", dt.datetime(2020, 1, 2))


# --- <meta> tags ------------------------------------------------------------------------------


def test_opengraph_and_article_tags() -> None:
    head = "".join(
        [
            meta("og:title", "Pickles – Salt &amp; Crumb"),
            meta("og:site_name", "Salt &amp; Crumb"),
            meta("article:published_time", "2022-03-06T09:12:44+00:00"),
            meta("article:modified_time", "2022-03-08T10:00:00+00:00"),
            meta("article:section", "Preserving"),
            meta("article:tag", "vinegar"),
            meta("article:tag", "summer"),
            meta("author", "Tomasz Nowak"),
            meta("og:image", "/uploads/jar.jpg"),
            meta("og:locale", "pl_PL"),
            '<link rel="canonical" href="/pickles/">',
        ]
    )
    found = read(head, url="https://saltandcrumb.example/feed-item")
    assert found.title == "Pickles"
    assert found.authors == ("Tomasz Nowak",)
    assert found.date == dt.datetime(2022, 3, 6, 9, 12, 44, tzinfo=UTC)
    assert found.updated == dt.datetime(2022, 3, 8, 10, 0, tzinfo=UTC)
    assert found.categories == ("Preserving",)
    assert found.tags == ("vinegar", "summer")
    assert found.language == "pl-PL"
    assert found.url == "https://saltandcrumb.example/pickles/"
    assert found.image == "https://saltandcrumb.example/uploads/jar.jpg"


def test_title_element_is_the_last_resort_and_loses_the_site_name_by_heading() -> None:
    found = read("<title>Over the Hill | Jan's Pages</title>", "<h1>Over the Hill</h1>")
    assert found.title == "Over the Hill"
    assert read("<title>Over the Hill | Jan's Pages</title>").title == "Over the Hill | Jan's Pages"


def test_address_of_the_page_is_used_when_the_page_names_none() -> None:
    found = read(url="https://b.example/2013/11/19/post/")
    assert found.url == "https://b.example/2013/11/19/post/"
    assert found.date == dt.datetime(2013, 11, 19)


# --- microdata, microformats, <time>, bylines -------------------------------------------------


def test_microformats_h_entry() -> None:
    body = """
    <article class="h-entry">
      <h1 class="p-name">Notes on Film</h1>
      <a class="p-author h-card" href="/">Jonas Keller</a>
      <time class="dt-published" datetime="2019-06-02T10:00:00+02:00">2 June</time>
      <time class="dt-updated" datetime="2019-06-05">5 June</time>
      <a class="p-category" href="/t/film">film</a><a class="p-category" href="/t/analog">analog</a>
    </article>
    <div class="h-entry"><span class="p-name">Another entry</span></div>
    """
    found = read(body=body)
    assert found.title == "Notes on Film"
    assert found.authors == ("Jonas Keller",)
    assert found.date == dt.datetime(2019, 6, 2, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert found.updated == dt.datetime(2019, 6, 5)
    assert found.tags == ("film", "analog")


def test_wordpress_hentry_vcard_and_rel_taxonomy() -> None:
    body = """
    <article class="post hentry">
      <span class="byline"><span class="author vcard"><a class="url fn n" href="/a/">Marisol Vega</a></span></span>
      <time class="entry-date published" datetime="2013-11-19T08:30:00+00:00">Nov 19</time>
      <time class="updated" datetime="2014-02-03T17:05:12+00:00">Feb 3</time>
      <span class="cat-links"><a href="/c/couples/" rel="category tag">Couples</a></span>
      <span class="tags-links"><a href="/t/money/" rel="tag">money</a></span>
    </article>
    """  # noqa: E501
    found = read(body=body)
    assert found.authors == ("Marisol Vega",)
    assert found.date == dt.datetime(2013, 11, 19, 8, 30, tzinfo=UTC)
    assert found.updated == dt.datetime(2014, 2, 3, 17, 5, 12, tzinfo=UTC)
    assert (found.categories, found.tags) == (("Couples",), ("money",))


def test_microdata_blogger_style() -> None:
    body = """
    <div class="post" itemscope itemtype="http://schema.org/BlogPosting">
      <span class="fn" itemprop="author" itemscope itemtype="http://schema.org/Person">
        <meta itemprop="url" content="https://profile.example/1"><a rel="author"><span itemprop="name">Ingrid Solberg</span></a>
      </span>
      <abbr class="published" itemprop="datePublished" title="2016-07-16T21:40:00+02:00">21:40</abbr>
    </div>
    """  # noqa: E501
    found = read(body=body)
    assert found.authors == ("Ingrid Solberg",)
    assert found.date == dt.datetime(2016, 7, 16, 21, 40, tzinfo=dt.timezone(dt.timedelta(hours=2)))


def test_time_elements_published_and_updated() -> None:
    body = "<time class='modified' datetime='2021-02-02'>x</time><time>March 3, 2021</time>"
    found = read(body=body)
    assert (found.date, found.updated) == (dt.datetime(2021, 3, 3), dt.datetime(2021, 2, 2))


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        ("<p class='byline'>By Ana Ruiz and Tom Lee</p>", ("Ana Ruiz", "Tom Lee")),
        ("<p class='byline'>Written by Ana Ruiz · 5 min read</p>", ("Ana Ruiz",)),
        ("<p class='byline'>Posted by Ana Ruiz on 3 May 2020</p>", ("Ana Ruiz",)),
        ("<a rel='author' href='/ana'>Ana Ruiz</a>", ("Ana Ruiz",)),
        ("<div class='author'>By <span class='fn'>Ana Ruiz</span>, staff</div>", ("Ana Ruiz",)),
        ("<p class='byline'>A long sentence that is clearly not anybody's name at all</p>", ()),
    ],
)  # fmt: skip
def test_bylines(byline: str, expected: tuple[str, ...]) -> None:
    assert read(body=byline).authors == expected


def test_scope_keeps_other_posts_out() -> None:
    doc = lxml.html.document_fromstring(
        "<html><body><main><h1>Post</h1><div class='wp-block-post-author-name'>Tomasz Nowak</div>"
        "<div class='entry-content'><p>Text</p></div>"
        "<ul><li class='hentry'><span class='author vcard'><span class='fn'>Someone Else</span>"
        "</span><a rel='category tag' href='/c/x'>Other</a></li></ul></main>"
        "<aside><a rel='author' href='/x'>Sidebar Person</a></aside></body></html>"
    )
    found = read_metadata(doc, scope=doc.find(".//main"))
    assert found.authors == ("Tomasz Nowak",)


# --- values -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2013-11-19T08:30:00+00:00", dt.datetime(2013, 11, 19, 8, 30, tzinfo=UTC)),
        ("2013-11-19T08:30:00.000Z", dt.datetime(2013, 11, 19, 8, 30, tzinfo=UTC)),
        ("2013-11-19", dt.datetime(2013, 11, 19)),
        ("2013-11-19 08:30:00", dt.datetime(2013, 11, 19, 8, 30)),
        ("November 19, 2013", dt.datetime(2013, 11, 19)),
        ("19 Nov 2013", dt.datetime(2013, 11, 19)),
        ("9:30 AM", None),
        ("Tuesday", None),
        ("1850-01-01", None),
        ("not a date at all", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_date(text: str | None, expected: dt.datetime | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://b.example/2013/11/19/five-questions/", dt.datetime(2013, 11, 19)),
        ("https://b.example/blog/2013/1/5/x", dt.datetime(2013, 1, 5)),
        ("https://b.example/2013-11-19-five-questions.html", dt.datetime(2013, 11, 19)),
        ("https://b.example/2016/07/ferry.html", None),
        ("https://b.example/2013/02/30/impossible/", None),
        ("https://b.example/about/?d=2013/11/19", None),
        (None, None),
    ],
)
def test_date_in_url(url: str | None, expected: dt.datetime | None) -> None:
    assert date_in_url(url) == expected


@pytest.mark.parametrize(
    ("title", "site", "expected"),
    [
        ("Five Questions | Hearts in Practice", "Hearts in Practice", "Five Questions"),
        ("Five Questions – Hearts in Practice", "hearts in practice", "Five Questions"),
        ("Hearts in Practice: Five Questions", "Hearts in Practice", "Five Questions"),
        ("Part 1 - Part 2 - The Blog", "The Blog", "Part 1 - Part 2"),
        ("Jam: A Love Story | The Blog", "The Blog", "Jam: A Love Story"),
        ("Five Questions | Another Site", "Hearts in Practice", "Five Questions | Another Site"),
        ("Well-being for beginners", "Beginners", "Well-being for beginners"),
        ("Five Questions", "", "Five Questions"),
    ],
)
def test_strip_site_name(title: str, site: str, expected: str) -> None:
    assert strip_site_name(title, site) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("en_us", "en-US"),
        ("EN-gb", "en-GB"),
        ("zh-hant-tw", "zh-Hant-TW"),
        ("fr", "fr"),
        ("de-DE, en", "de-DE"),
        ("english please", None),
        ("", None),
        (None, None),
    ],
)
def test_normalise_language(value: str | None, expected: str | None) -> None:
    assert normalise_language(value) == expected


def test_language_from_the_html_element() -> None:
    assert read(html_attrs='lang="nl"').language == "nl"


def test_empty_page_has_empty_metadata() -> None:
    assert read() == Metadata()
