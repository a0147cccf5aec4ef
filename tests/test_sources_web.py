"""Web sources: feeds, sitemaps, archive pages, the WordPress REST API and exports.

The fixture sites under tests/sites/ are served on 127.0.0.1 by `SiteServer`, a static server
that replaces `{{base}}` in its files with its own address and reads `_routes.json` for answers
that need a query string, a status or headers (X-WP-TotalPages, a Link header).
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

import click
import pytest

from bookmaker.errors import SourceError
from bookmaker.fetch import Fetcher, FetchSettings
from bookmaker.model import Page, Post
from bookmaker.sources import archive, feed, sitemap, wordpress
from bookmaker.sources.refs import (
    PostRef,
    clean_url,
    dedupe_refs,
    filter_refs,
    non_post_kind,
    url_key,
)
from bookmaker.sources.web import classify, enrich, find_posts

SITES = Path(__file__).parent / "sites"
CONTENT_TYPES = {
    ".html": "text/html; charset=UTF-8",
    ".xml": "application/xml; charset=UTF-8",
    ".json": "application/json; charset=UTF-8",
    ".txt": "text/plain; charset=UTF-8",
    ".gz": "application/gzip",
}
# The twelve published posts of tests/sites/wp-blog (see its _make.py).
WP_POSTS = {
    "/2023/01/starting-a-sourdough-starter/",
    "/2023/02/winter-squash-three-ways/",
    "/2023/03/the-case-for-salted-butter/",
    "/2023/04/an-untitled-morning/",
    "/2023/05/rhubarb-before-the-rain/",
    "/2023/06/a-members-only-recipe/",
    "/2023/08/tomato-week-day-by-day/",
    "/2023/09/pickles-and-patience/",
    "/2023/10/apples-in-the-attic/",
    "/2023/11/soup-season-notes/",
    "/2024/01/what-the-oven-taught-me/",
    "/2024/03/first-greens-of-march/",
}
RIDGE_POSTS = {
    f"/posts/{slug}/"
    for slug in (
        "cairn-at-the-saddle",
        "fog-on-the-north-face",
        "a-map-drawn-by-hand",
        "the-hut-keeper",
        "snowmelt-streams",
        "boots-that-lasted",
        "first-ascent-of-the-year",
    )
}


# --- The test server -----------------------------------------------------------------------


class SiteServer:
    """A fixture site on 127.0.0.1, in a thread; `requests` lists the paths asked for."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        routes_file = root / "_routes.json"
        self.routes = json.loads(routes_file.read_text()) if routes_file.exists() else {}
        self.requests: list[str] = []
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def url(self, path: str) -> str:
        return self.base + path

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append(self.path)
                status, headers, body = server.answer(self.path)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler

    def answer(self, target: str) -> tuple[int, dict[str, str], bytes]:
        parts = urlsplit(target)
        query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
        route = self.routes.get(parts.path + (f"?{query}" if query else ""))
        if route is None and query:
            return self._not_found()
        file = self._file(route["file"] if route else unquote(parts.path))
        if file is None:
            return self._not_found()
        headers = {"Content-Type": CONTENT_TYPES.get(file.suffix, "application/octet-stream")}
        if route:
            headers.update({k: self._fill(v) for k, v in route.get("headers", {}).items()})
            headers["Content-Type"] = route.get("content_type", headers["Content-Type"])
        return route.get("status", 200) if route else 200, headers, self._body(file)

    def _file(self, path: str) -> Path | None:
        candidate = (self.root / path.lstrip("/")).resolve()
        if not candidate.is_relative_to(self.root):
            return None
        if candidate.is_dir():
            found = [candidate / f"index{s}" for s in (".html", ".xml", ".json")]
            candidate = next((f for f in found if f.is_file()), candidate)
        return candidate if candidate.is_file() else None

    def _fill(self, text: str) -> str:
        return text.replace("{{base}}", self.base)

    def _body(self, file: Path) -> bytes:
        data = file.read_bytes()
        if file.suffix == ".gz":
            return gzip.compress(self._fill(gzip.decompress(data).decode()).encode(), mtime=0)
        return self._fill(data.decode("utf-8")).encode("utf-8")

    def _not_found(self) -> tuple[int, dict[str, str], bytes]:
        return 404, {"Content-Type": "text/html"}, b"<html><body>Not found</body></html>"

    def __enter__(self) -> SiteServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def wp_site() -> Iterator[SiteServer]:
    with SiteServer(SITES / "wp-blog") as server:
        yield server


@pytest.fixture
def ridge_site() -> Iterator[SiteServer]:
    with SiteServer(SITES / "atom-blog") as server:
        yield server


@pytest.fixture
def fetcher(tmp_path: Path) -> Iterator[Fetcher]:
    settings = FetchSettings(cache_dir=tmp_path / "cache", delay=0, retries=0, timeout=5)
    with Fetcher(settings) as client:
        yield client


def paths(refs: list[PostRef]) -> set[str]:
    return {urlsplit(ref.url).path for ref in refs}


def by_path(refs: list[PostRef]) -> dict[str, PostRef]:
    return {urlsplit(ref.url).path: ref for ref in refs}


def one_line(error: SourceError) -> str:
    out = io.StringIO()
    error.show(file=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 1, lines
    assert "Traceback" not in out.getvalue()
    return lines[0]


# --- One blog, every way in ----------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/",  # home: REST API announced
        "/feed/",
        "/wp-sitemap.xml",
        "/wp-json/",
        "/wp-json/wp/v2/posts",
        "/export/saltmarsh-kitchen.wordpress.xml",
    ],
)
def test_every_way_into_the_wordpress_blog_finds_its_posts(
    wp_site: SiteServer, fetcher: Fetcher, path: str
) -> None:
    refs = find_posts(fetcher, wp_site.url(path))
    assert paths(refs) == WP_POSTS
    assert len(refs) == len(WP_POSTS)
    assert all(ref.url.startswith(wp_site.base) for ref in refs)


def test_an_archive_page_reads_on_from_itself(wp_site: SiteServer, fetcher: Fetcher) -> None:
    refs = find_posts(fetcher, wp_site.url("/page/2/"))
    assert paths(refs) == {
        "/2023/01/starting-a-sourdough-starter/",
        "/2023/02/winter-squash-three-ways/",
    }


def test_archive_pages_from_the_home_page_find_every_post(
    wp_site: SiteServer, fetcher: Fetcher
) -> None:
    refs = archive.read_archive(fetcher, wp_site.url("/"))
    assert paths(refs) == WP_POSTS
    titled = by_path(refs)
    assert titled["/2023/09/pickles-and-patience/"].title == "Pickles & Patience: Quick Brines"
    # The untitled post is linked from its date only (rel="bookmark").
    assert titled["/2023/04/an-untitled-morning/"].title is None
    assert "/page/2/" in wp_site.requests


def test_home_page_prefers_the_rest_api_and_says_so(
    wp_site: SiteServer, fetcher: Fetcher, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bookmaker")
    refs = find_posts(fetcher, wp_site.url("/"))
    assert {ref.source for ref in refs} == {"rest"}
    messages = [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO]
    assert messages == ["Found 12 posts via the WordPress REST API (feed lists 10)"]
    # The API lists every post: no sitemap, no feed page 2, no archive page was needed.
    asked = wp_site.requests
    assert not [p for p in asked if "sitemap" in p or "paged" in p or p.startswith("/page/")]


def test_rest_api_reads_every_page_with_terms_authors_and_bodies(
    wp_site: SiteServer, fetcher: Fetcher
) -> None:
    refs = by_path(wordpress.read_rest_api(fetcher, wp_site.url("/wp-json/wp/v2/posts")))
    assert len(refs) == 12  # 7 on page 1, 5 on page 2 (X-WP-TotalPages: 2)
    assert not any("page=3" in p for p in wp_site.requests)
    apples = refs["/2023/10/apples-in-the-attic/"]
    assert apples.authors == ("Jonas Reed",)
    assert apples.categories == ("Fruit", "Preserves")
    assert apples.tags == ("apples", "autumn")
    assert apples.date == dt.datetime(
        2023, 10, 15, 14, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5))
    )
    assert apples.html and "newspaper" in apples.html
    assert apples.aliases == (f"{wp_site.base}/?p=109",)
    assert refs["/2023/09/pickles-and-patience/"].title == "Pickles & Patience: Quick Brines"


def test_wordpress_edge_cases_from_the_rest_api(wp_site: SiteServer, fetcher: Fetcher) -> None:
    refs = by_path(wordpress.read_rest_api(fetcher, wp_site.url("/wp-json/wp/v2/posts")))
    protected = refs["/2023/06/a-members-only-recipe/"]
    assert protected.protected and protected.html is None
    assert protected.title == "A Members-Only Recipe"
    assert refs["/2023/04/an-untitled-morning/"].title == "Untitled post of 2023-04-08"
    paged = refs["/2023/08/tomato-week-day-by-day/"].html or ""
    assert "Day one" in paged and "Day three" in paged and "Day seven" in paged
    assert "nextpage" not in paged


def test_feed_follows_wordpress_paged_until_404(wp_site: SiteServer, fetcher: Fetcher) -> None:
    refs = by_path(feed.read_feed(fetcher, wp_site.url("/feed/")))
    assert set(refs) == WP_POSTS
    assert [p for p in wp_site.requests if p.startswith("/feed/")] == [
        "/feed/",
        "/feed/?paged=2",
        "/feed/?paged=3",  # 404: the end
    ]
    protected = refs["/2023/06/a-members-only-recipe/"]
    assert protected.protected and protected.html is None
    assert protected.title == "A Members-Only Recipe"  # WordPress's "Protected: " taken off
    sourdough = refs["/2023/01/starting-a-sourdough-starter/"]
    assert sourdough.html and "routine" in sourdough.html
    assert sourdough.date == dt.datetime(2023, 1, 14, 13, 30, tzinfo=dt.UTC)
    assert sourdough.authors == ("Maren Holt",)
    assert sourdough.categories == ("Baking", "sourdough", "basics")
    assert sourdough.tags is None  # a WordPress feed does not tell tags from categories
    assert refs["/2023/04/an-untitled-morning/"].title == "Untitled post of 2023-04-08"


def test_wordpress_sitemap_index_reads_post_sitemaps_only(
    wp_site: SiteServer, fetcher: Fetcher
) -> None:
    refs = sitemap.read_sitemaps(fetcher, [wp_site.url("/wp-sitemap.xml")])
    assert paths(refs) == WP_POSTS
    asked = [p for p in wp_site.requests if p.startswith("/wp-sitemap")]
    assert "/wp-sitemap-posts-post-1.xml" in asked
    assert not [p for p in asked if "page" in p or "taxonomies" in p or "users" in p]


def test_export_keeps_published_posts_as_wordpress_shows_them() -> None:
    export = SITES / "wp-blog" / "export" / "saltmarsh-kitchen.wordpress.xml"
    refs = {ref.url.replace("{{base}}", ""): ref for ref in wordpress.read_wxr_file(export)}
    assert set(refs) == WP_POSTS  # no draft, no scheduled post, no page
    sourdough = refs["/2023/01/starting-a-sourdough-starter/"]
    assert sourdough.html == (
        "<p>Flour and water, a warm shelf, and a week of patience.</p>\n"
        "<p>Feed it at the same hour each morning; it likes a routine more than you do.</p>"
    )
    assert sourdough.date == dt.datetime(
        2023, 1, 14, 8, 30, tzinfo=dt.timezone(-dt.timedelta(hours=5))
    )
    assert sourdough.tags == ("sourdough", "basics")
    assert refs["/2023/10/apples-in-the-attic/"].authors == ("Jonas Reed",)
    assert refs["/2023/04/an-untitled-morning/"].title == "Untitled post of 2023-04-08"
    paged = refs["/2023/08/tomato-week-day-by-day/"].html or ""
    assert paged.count("<p>") == 3 and "nextpage" not in paged
    protected = refs["/2023/06/a-members-only-recipe/"]
    assert protected.protected and protected.html and "grandmother" in protected.html


def test_export_file_on_disk_is_a_source(fetcher: Fetcher) -> None:
    export = SITES / "wp-blog" / "export" / "saltmarsh-kitchen.wordpress.xml"
    assert len(find_posts(fetcher, str(export))) == 12


def test_single_post_page_is_one_post_read_through_the_rest_api(
    wp_site: SiteServer, fetcher: Fetcher
) -> None:
    (ref,) = find_posts(fetcher, wp_site.url("/2023/01/starting-a-sourdough-starter/"))
    assert ref.url == wp_site.url("/2023/01/starting-a-sourdough-starter/")
    assert ref.source == "rest" and ref.html and "warm shelf" in ref.html
    assert "/wp-json/wp/v2/posts/101?_embed=1" in wp_site.requests


def test_category_archive_follows_page_numbers(wp_site: SiteServer, fetcher: Fetcher) -> None:
    refs = find_posts(fetcher, wp_site.url("/category/baking/"))
    assert paths(refs) == {
        "/2024/01/what-the-oven-taught-me/",
        "/2023/06/a-members-only-recipe/",
        "/2023/05/rhubarb-before-the-rain/",
        "/2023/01/starting-a-sourdough-starter/",
    }
    assert "/category/baking/page/2/" in wp_site.requests


# --- A blog that is not WordPress: Atom with RFC 5005 paging, a gzipped sitemap -----------


def test_home_page_without_api_takes_feed_and_sitemap(
    ridge_site: SiteServer, fetcher: Fetcher, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bookmaker")
    refs = find_posts(fetcher, ridge_site.url("/"))
    assert paths(refs) == RIDGE_POSTS
    assert all("utm_" not in ref.url for ref in refs)
    messages = [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO]
    assert messages == ["Found 7 posts via the feed (sitemap lists 7)"]


def test_atom_feed_pages_and_bodies(ridge_site: SiteServer, fetcher: Fetcher) -> None:
    refs = by_path(feed.read_feed(fetcher, ridge_site.url("/atom.xml")))
    assert set(refs) == RIDGE_POSTS
    assert "/atom-page-3.xml" in ridge_site.requests
    cairn = refs["/posts/cairn-at-the-saddle/"]
    assert cairn.html and "windless" in cairn.html
    assert cairn.categories == ("Trips",)
    assert cairn.authors == ("Ines Varga",)
    assert cairn.date == dt.datetime(2024, 6, 2, 5, 30, tzinfo=dt.UTC)
    assert refs["/posts/a-map-drawn-by-hand/"].html == (
        "<p>Contours in pencil, the <em>spring</em> marked with a star.</p>"
    )
    assert refs["/posts/fog-on-the-north-face/"].html is None  # a summary only
    assert refs["/posts/the-hut-keeper/"].html is None  # content cut short with [...]
    assert refs["/posts/first-ascent-of-the-year/"].html == "New Year, old hill, same thermos."


def test_gzipped_sitemap_from_robots_leaves_out_what_is_not_a_post(
    ridge_site: SiteServer, fetcher: Fetcher
) -> None:
    assert sitemap.find_site_sitemaps(fetcher, ridge_site.url("/")) == [
        ridge_site.url("/sitemap.xml.gz")
    ]
    refs = find_posts(fetcher, ridge_site.url("/sitemap.xml.gz"))
    assert paths(refs) == RIDGE_POSTS  # home, tags, categories, dates, feeds, images left out


@pytest.mark.parametrize(
    ("start", "posts", "fetches"), [("/loop.xml", 2, 1), ("/loop-a.xml", 4, 2)]
)
def test_feed_whose_next_link_loops_ends(
    ridge_site: SiteServer, fetcher: Fetcher, start: str, posts: int, fetches: int
) -> None:
    refs = feed.read_feed(fetcher, ridge_site.url(start))
    assert len(refs) == posts
    assert len([p for p in ridge_site.requests if p.endswith(".xml")]) == fetches


def test_feed_reading_is_bounded(
    ridge_site: SiteServer, fetcher: Fetcher, caplog: pytest.LogCaptureFixture
) -> None:
    url = ridge_site.url("/atom.xml")
    refs = feed.read_feed(fetcher, url, max_pages=2)
    assert len(refs) == 6
    assert "/atom-page-3.xml" not in ridge_site.requests
    assert [(r.levelname, r.getMessage(), getattr(r, "code", "")) for r in caplog.records] == [
        ("WARNING", f"{url}: stopped after 2 feed pages", "source.too_many")
    ]


def test_archive_reading_is_bounded(wp_site: SiteServer, fetcher: Fetcher) -> None:
    refs = archive.read_archive(fetcher, wp_site.url("/"), max_pages=1)
    assert len(refs) == 10


def test_broken_feed_is_read_as_far_as_it_goes(ridge_site: SiteServer, fetcher: Fetcher) -> None:
    refs = find_posts(fetcher, ridge_site.url("/broken-feed.xml"))
    assert {"/posts/cairn-at-the-saddle/", "/posts/fog-on-the-north-face/"} <= paths(refs)


# --- Errors: one line each ------------------------------------------------------------------


def test_broken_sitemap_is_one_clear_error(ridge_site: SiteServer, fetcher: Fetcher) -> None:
    url = ridge_site.url("/broken-sitemap.xml")
    with pytest.raises(SourceError) as caught:
        find_posts(fetcher, url)
    line = one_line(caught.value)
    assert line.startswith(f"bookmaker: error: {url}: not a readable sitemap (XML error: ")


def test_missing_page_is_the_fetch_error(ridge_site: SiteServer, fetcher: Fetcher) -> None:
    url = ridge_site.url("/no-such-blog/")
    with pytest.raises(SourceError) as caught:
        find_posts(fetcher, url)
    assert one_line(caught.value) == f"bookmaker: error: {url}: HTTP 404 Not Found"


def test_site_without_posts_says_what_was_tried(ridge_site: SiteServer, fetcher: Fetcher) -> None:
    url = ridge_site.url("/empty/")
    with pytest.raises(SourceError) as caught:
        find_posts(fetcher, url)
    assert one_line(caught.value) == (
        f"bookmaker: error: {url}: no posts found (tried feed, sitemap, REST API, archive pages)"
    )


def test_not_a_feed_is_named(ridge_site: SiteServer, fetcher: Fetcher) -> None:
    with pytest.raises(SourceError, match=r"/index.html: not a feed \(the document is <html>"):
        feed.read_feed(fetcher, ridge_site.url("/index.html"))


def test_source_error_is_a_click_exception() -> None:
    assert issubclass(SourceError, click.ClickException)


# --- Classifying, URLs, dedup, filters -------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://blog.example/", "home"),
        ("https://blog.example/category/baking/", "category"),
        ("https://blog.example/category/baking/page/2/", "category"),
        ("https://blog.example/tag/bread/", "tag"),
        ("https://blog.example/tags/", "tag"),
        ("https://blog.example/author/maren/", "author"),
        ("https://blog.example/2023/", "date archive"),
        ("https://blog.example/2023/05/", "date archive"),
        ("https://blog.example/2023/05/14/", "date archive"),
        ("https://blog.example/page/3/", "pagination"),
        ("https://blog.example/feed/", "feed"),
        ("https://blog.example/2023/05/a-post/feed/", "feed"),
        ("https://blog.example/comments/feed/", "feed"),
        ("https://blog.example/?page_id=2", "page"),
        ("https://blog.example/?cat=4", "category"),
        ("https://blog.example/?attachment_id=9", "attachment"),
        ("https://blog.example/2023/05/a-post/attachment/photo/", "attachment"),
        ("https://blog.example/wp-content/uploads/a.jpg", "site file"),
        ("https://blog.example/images/ridge.jpg", "file"),
        ("https://blog.example/posts/", "section"),
        ("https://blog.example/2023/05/a-post/", None),
        ("https://blog.example/2023/05/tag-you-are-it/", None),
        ("https://blog.example/posts/author/", None),  # a post slug, not an author listing
        ("https://blog.example/?p=123", None),
        ("https://blog.example/posts/cairn-at-the-saddle/", None),
        ("http://[blog.example/a/", "invalid address"),
    ],
)
def test_non_post_urls(url: str, kind: str | None) -> None:
    assert non_post_kind(url) == kind


@pytest.mark.parametrize(
    "variant",
    [
        "https://blog.example/2023/05/a-post/",
        "http://blog.example/2023/05/a-post",
        "https://WWW.Blog.Example/2023/05/a-post/",
        "https://blog.example:443/2023/05/a-post/#comments",
        "https://blog.example/2023/05/a-post/?utm_source=feed&utm_medium=rss",
        "https://blog.example/2023/05/a%2Dpost/",
    ],
)
def test_addresses_of_one_post_share_a_key(variant: str) -> None:
    assert url_key(variant) == url_key("https://blog.example/2023/05/a-post/")


def test_keys_keep_what_tells_posts_apart() -> None:
    assert url_key("https://blog.example/?p=1") != url_key("https://blog.example/?p=2")
    assert url_key("https://blog.example/a/") != url_key("https://blog.example/b/")
    assert clean_url("HTTPS://Blog.Example/A/?utm_source=x&id=3#top") == (
        "https://blog.example/A/?id=3"
    )
    assert clean_url("http://[::1]:8080/a/") == "http://[::1]:8080/a/"
    assert clean_url("http://blog.example:port/a/") == "http://blog.example:port/a/"
    assert url_key("http://[blog.example/a/") == "http://[blog.example/a/"


def test_dedupe_joins_shortlinks_and_fills_gaps() -> None:
    permalink = "https://blog.example/2023/05/a-post/"
    refs = [
        PostRef(url="https://blog.example/?p=7", title="From an archive", source="archive"),
        PostRef(url=permalink, source="sitemap"),
        PostRef(
            url="http://www.blog.example/2023/05/a-post",
            html="<p>Body</p>",
            categories=("Notes",),
            aliases=("https://blog.example/?p=7",),
            source="rest",
        ),
        PostRef(url="https://blog.example/2023/06/another/", source="sitemap"),
    ]
    merged = dedupe_refs(refs)
    assert [ref.url for ref in merged] == [permalink, "https://blog.example/2023/06/another/"]
    first = merged[0]
    assert first.html == "<p>Body</p>" and first.categories == ("Notes",)
    assert first.title == "From an archive"


def test_dedupe_keeps_the_permalink_when_the_shortlink_comes_second() -> None:
    refs = [
        PostRef(url="https://blog.example/2023/05/a-post/", aliases=("https://blog.example/?p=7",)),
        PostRef(url="https://blog.example/?p=7", title="Titled"),
    ]
    (ref,) = dedupe_refs(refs)
    assert ref.url == "https://blog.example/2023/05/a-post/" and ref.title == "Titled"


def _ref(day: str, cats: tuple[str, ...] | None = (), tags: tuple[str, ...] | None = ()) -> PostRef:
    date = dt.datetime.fromisoformat(day) if day else None
    return PostRef(url=f"https://b.example/{day or 'x'}/", date=date, categories=cats, tags=tags)


def days(kept: list[PostRef]) -> list[str]:
    return [ref.date.date().isoformat() if ref.date else "" for ref in kept]


def test_filters_by_date_terms_and_count() -> None:
    refs = [
        _ref("2023-01-10", ("Baking",), ("bread",)),
        _ref("2023-03-01", ("Vegetables",), ("soup",)),
        _ref("2023-06-15", ("Baking", "Notes"), ()),
        _ref("2024-01-01", ("Notes",), ("bread", "winter")),
    ]
    assert days(filter_refs(refs, since=dt.date(2023, 3, 1))) == [
        "2023-03-01",
        "2023-06-15",
        "2024-01-01",
    ]
    assert days(filter_refs(refs, until=dt.date(2023, 3, 1))) == ["2023-01-10", "2023-03-01"]
    assert days(filter_refs(refs, categories={"baking"})) == ["2023-01-10", "2023-06-15"]
    assert days(filter_refs(refs, exclude_categories={"Notes"})) == ["2023-01-10", "2023-03-01"]
    assert days(filter_refs(refs, tags={"Bread"})) == ["2023-01-10", "2024-01-01"]
    assert days(filter_refs(refs, exclude_tags={"winter", "soup"})) == [
        "2023-01-10",
        "2023-06-15",
    ]
    assert days(filter_refs(refs, max_posts=2)) == ["2023-06-15", "2024-01-01"]
    assert filter_refs(refs, max_posts=0) == []


def test_filters_work_on_posts_too() -> None:
    posts = [
        Post(slug="a", title="A", body="", source="a", date=dt.datetime(2023, 5, 1)),
        Post(slug="b", title="B", body="", source="b", categories=("Notes",)),
    ]
    assert filter_refs(posts, categories={"notes"}) == [posts[1]]
    assert filter_refs(posts, since=dt.date(2024, 1, 1)) == [posts[1]]  # undated: kept


def test_filters_keep_refs_whose_facts_are_unknown() -> None:
    unknown = _ref("", None, None)
    kept = filter_refs(
        [unknown], since=dt.date(2023, 1, 1), categories={"Baking"}, exclude_tags={"x"}
    )
    assert kept == [unknown]


def test_enrich_fills_in_without_adding_posts() -> None:
    listed = [PostRef(url="https://b.example/a/", source="sitemap")]
    richer = [
        PostRef(url="https://b.example/a", title="A", html="<p>A</p>", source="feed"),
        PostRef(url="https://b.example/b/", title="B", source="feed"),
    ]
    (ref,) = enrich(listed, richer)
    assert (ref.url, ref.title, ref.html, ref.source) == (
        "https://b.example/a/",
        "A",
        "<p>A</p>",
        "sitemap",
    )


def test_classify_sniffs_what_a_page_is(wp_site: SiteServer, fetcher: Fetcher) -> None:
    kinds = {
        path: classify(fetcher.get(wp_site.url(path)))
        for path in (
            "/",
            "/feed/",
            "/wp-sitemap.xml",
            "/wp-json/",
            "/export/saltmarsh-kitchen.wordpress.xml",
            "/category/baking/",
            "/2023/05/rhubarb-before-the-rain/",
        )
    }
    assert kinds == {
        "/": "home",
        "/feed/": "feed",
        "/wp-sitemap.xml": "sitemap",
        "/wp-json/": "rest",
        "/export/saltmarsh-kitchen.wordpress.xml": "wxr",
        "/category/baking/": "archive",
        "/2023/05/rhubarb-before-the-rain/": "post",
    }


def test_rest_records_of_the_wrong_shape_are_passed_over() -> None:
    good = {
        "link": "https://b.example/2024/01/good/",
        "title": {"rendered": "Good &amp; Kind"},
        "content": "not an object",
        "_embedded": {"author": ["x", {"name": "Ann"}], "wp:term": [{"bad": 1}, "x"]},
    }
    records = [1, "x", {"link": 5}, {"link": "https://b.example/p/", "type": "page"}, good]
    refs = [ref for ref in map(wordpress.rest_post, records) if ref]
    assert [(r.url, r.title, r.authors, r.categories, r.html) for r in refs] == [
        ("https://b.example/2024/01/good/", "Good & Kind", ("Ann",), (), None)
    ]


def test_guids_become_aliases_only_when_they_are_other_addresses() -> None:
    def ref(guid: str) -> tuple[str, ...]:
        record = {"link": "https://b.example/2024/01/a/", "guid": {"rendered": guid}}
        found = wordpress.rest_post(record)
        assert found is not None
        return found.aliases

    assert ref("https://b.example/?p=7") == ("https://b.example/?p=7",)
    assert ref("http://www.b.example/2024/01/a") == ()  # the post's own address
    assert ref("tag:b.example,2024:7") == ()
    assert ref("http://[broken/?p=7") == ("http://[broken/?p=7",)


def test_listing_with_broken_links_keeps_the_good_ones() -> None:
    html = (
        b'<html><body><article><h2><a href="http://[broken/x">x</a></h2></article>'
        b'<a rel="next" href="http://[broken/">older</a>'
        b'<article><h2><a href="/2024/01/fine/">Fine</a></h2></article></body></html>'
    )
    page = Page(url="http://b.example/", final_url="http://b.example/", status=200, content=html)
    doc = archive.parse_html(page)
    assert [ref.url for ref in archive.listed_posts(doc, page.url)] == [
        "http://b.example/2024/01/fine/"
    ]
    assert archive.next_page(doc, page.url) is None


def test_autop_makes_paragraphs_and_keeps_pre() -> None:
    raw = "One line\nand a break.\n\n<ul><li>kept</li></ul>\n\n<pre>a\n\nb</pre>\n\nLast."
    assert wordpress.autop(raw) == (
        "<p>One line<br />\nand a break.</p>\n<ul><li>kept</li></ul>\n<pre>a\n\nb</pre>\n"
        "<p>Last.</p>"
    )


def test_caption_shortcode_becomes_a_figure() -> None:
    raw = '[caption id="a" width="300"]<img src="/x.jpg" alt="" /> The marsh at dawn[/caption]'
    assert wordpress.export_body(raw) == (
        '<figure><img src="/x.jpg" alt="" /><figcaption>The marsh at dawn</figcaption></figure>'
    )
