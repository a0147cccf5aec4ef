"""Scraping a real WordPress (6.1, theme unit test content) on 127.0.0.1, end to end.

What the book should hold is read from the site itself, not from bookmaker: the REST API's
post list (paged differently from bookmaker's, checked against X-WP-Total), its comments, and
WordPress's own export (WXR) made by its exporter. A counting proxy (`sites/proxy.py`) in front
of the site shows what bookmaker asked for and what it got.

Run on one xdist worker (`--dist loadgroup`): one site, one set of builds.
"""

from __future__ import annotations

import html
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import lxml.etree
import lxml.html
import pytest
from sites.proxy import CountingProxy, Exchange
from sites.wordpress import WordPressSite

from bookmaker.config import load_config
from bookmaker.fetch.cache import FORMAT_LINE, PageCache
from bookmaker.sources.read import read_posts

pytestmark = [pytest.mark.wordpress, pytest.mark.xdist_group("wordpress")]

EPOCH = "1700000000"  # SOURCE_DATE_EPOCH: byte-identical EPUBs from identical content
REST_PAGE = 20  # not bookmaker's page size, so the two readings page differently
ARCHIVE = "post-formats"  # a category of two archive pages
HOLD_AFTER = 10  # the Ctrl-C test interrupts the build once this many requests went through
# Furniture of every page of the site (twentytwentyone with the widgets and menus start.sh
# sets): footer widget headings, primary menu items, post navigation, comment area, footer.
FURNITURE = (
    "Recent Posts",
    "Recent Comments",
    "Archives",
    "Categories",
    "Clearing Floats",
    "Page with comments disabled",
    "Post navigation",
    "Previous post",
    "Leave a comment",
    "says:",
    "Proudly powered by WordPress",
)
# Posts whose first and last sentences must reach the book: plain prose, lists, a chat
# transcript, a post split into pages, one with a more-tag.
SAMPLED = (
    "/2012/01/template-comments/",
    "/2012/01/template-paginated/",
    "/2012/03/template-more-tag/",
    "/2010/10/post-format-standard/",
    "/2010/01/post-format-chat/",
    "/2009/05/edge-case-nested-and-mixed-lists/",
    "/2013/01/markup-html-tags-and-formatting/",
)
LEAF_BLOCKS = ("p", "li", "dt", "dd", "td", "th", "pre", "h1", "h2", "h3", "h4", "h5", "h6")
XHTML = "{http://www.w3.org/1999/xhtml}"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
OPF = {"opf": "http://www.idpf.org/2007/opf"}


# --- What the site says it holds -----------------------------------------------------------------


@dataclass(frozen=True)
class Published:
    """A published post as the REST API gives it to anyone."""

    url: str
    title: str  # plain text, as WordPress renders it
    date: str  # ISO 8601, site time
    protected: bool
    html: str  # the rendered content ("" for a protected post)
    categories: frozenset[int]

    @property
    def in_book(self) -> bool:
        # A protected post has no readable body; an empty one has nothing to read.
        return not self.protected and bool(self.html.strip())

    @property
    def text(self) -> str:
        return plain(self.html)


def rest(url: str) -> tuple[Any, dict[str, str]]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.load(response), dict(response.headers.items())


def published_posts(base: str) -> list[Published]:
    posts: list[Published] = []
    page, pages, total = 1, 1, 0
    while page <= pages:
        data, headers = rest(f"{base}/wp-json/wp/v2/posts?per_page={REST_PAGE}&page={page}")
        total, pages = int(headers["X-WP-Total"]), int(headers["X-WP-TotalPages"])
        posts += [_published(item) for item in data]
        page += 1
    assert len(posts) == total > 0
    return posts


def _published(item: dict[str, Any]) -> Published:
    return Published(
        url=item["link"],
        title=plain(item["title"]["rendered"]),
        date=item["date"],
        protected=item["content"]["protected"],
        html=item["content"]["rendered"],
        categories=frozenset(item["categories"]),
    )


@dataclass(frozen=True)
class Exported:
    """A post as WordPress's own export holds it: as written, before rendering."""

    url: str
    title: str
    status: str
    password: str
    content: str


def exported_posts(wxr: Path) -> list[Exported]:
    wp = "{http://wordpress.org/export/1.2/}"
    content = "{http://purl.org/rss/1.0/modules/content/}encoded"
    found = []
    for item in lxml.etree.parse(str(wxr)).iter("item"):
        if item.findtext(f"{wp}post_type") != "post":
            continue
        found.append(
            Exported(
                url=item.findtext("link") or "",
                title=item.findtext("title") or "",
                status=item.findtext(f"{wp}status") or "",
                password=item.findtext(f"{wp}post_password") or "",
                content=item.findtext(content) or "",
            )
        )
    return found


@pytest.fixture(scope="module")
def site(wordpress: WordPressSite) -> WordPressSite:
    return wordpress


@pytest.fixture(scope="module")
def site_posts(site: WordPressSite) -> list[Published]:
    return published_posts(site.url)


@pytest.fixture(scope="module")
def book_posts(site_posts: list[Published]) -> list[Published]:
    """What the book should hold, oldest first."""
    return sorted((p for p in site_posts if p.in_book), key=lambda p: p.date)


@pytest.fixture(scope="module")
def export(site: WordPressSite, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return site.export_wxr(tmp_path_factory.mktemp("export") / "export.xml")


# --- Text helpers --------------------------------------------------------------------------------


def plain(fragment: str) -> str:
    """The text of an HTML fragment, entities decoded, whitespace collapsed."""
    if not fragment.strip():
        return ""
    text = lxml.html.fragment_fromstring(fragment, create_parent="div").text_content()
    return " ".join(html.unescape(text).split())


def as_typed(title: str) -> str:
    # WordPress curls quotes and dashes when it renders a title; an export holds it as typed.
    table = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "″": '"', "–": "-"})
    return title.translate(table).replace("…", "...")


def first_and_last_sentences(fragment: str) -> tuple[str, str]:
    doc = lxml.html.fragment_fromstring(fragment, create_parent="div")
    blocks = [
        " ".join(el.text_content().split())
        for el in doc.iter(*LEAF_BLOCKS)
        if not any(inner is not el for inner in el.iter(*LEAF_BLOCKS))
    ]
    blocks = [b for b in blocks if b]
    sentences = re.compile(r"(?<=[.!?])\s+")
    return sentences.split(blocks[0])[0], sentences.split(blocks[-1])[-1]


def contains(text: str, phrase: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text) is not None


# --- Running bookmaker ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Chapter:
    title: str
    text: str  # the chapter's body text, its heading and byline left out
    words: str  # the same with a space between any two text nodes, so no two blocks run together


def book_project(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "book.toml").write_text(
        '[book]\ntitle = "Theme Unit Test"\n'
        'identifier = "urn:uuid:5c0ffee0-b00c-4a11-9e57-0123456789ab"\n'
        '[fetch]\ndelay = 0\ncache_dir = "cache"\n[output]\nname = "book"\n',
        encoding="utf-8",
    )
    return folder


def bookmaker_command(source: str, *extra: str) -> list[str]:
    build = ["build", source, "-o", "out", "--format", "epub", *extra]
    return [sys.executable, "-m", "bookmaker", *build]


def build_env() -> dict[str, str]:
    return {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}


def build(folder: Path, source: str, *extra: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        bookmaker_command(source, *extra),
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
        env=build_env(),
    )
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 0, result.stderr
    return result


def epub_of(folder: Path) -> Path:
    return folder / "out" / "book.epub"


def chapters(epub: Path | bytes) -> list[Chapter]:
    """The chapters in reading order (the spine), cover and contents left out."""
    with zipfile.ZipFile(io.BytesIO(epub) if isinstance(epub, bytes) else epub) as archive:
        container = lxml.etree.fromstring(archive.read("META-INF/container.xml"))
        opf_path = container.xpath("//*[local-name()='rootfile']/@full-path")[0]
        opf = lxml.etree.fromstring(archive.read(opf_path))
        folder = opf_path.rpartition("/")[0]
        hrefs = {i.get("id"): i.get("href") for i in opf.iterfind(".//opf:item", OPF)}
        found = []
        for ref in opf.iterfind(".//opf:itemref", OPF):
            member = f"{folder}/{hrefs[ref.get('idref')]}" if folder else hrefs[ref.get("idref")]
            chapter = _chapter(lxml.etree.fromstring(archive.read(member)))
            if chapter is not None:
                found.append(chapter)
    return found


def _chapter(doc: lxml.etree._Element) -> Chapter | None:
    section = next((s for s in doc.iter(f"{XHTML}section") if s.get(EPUB_TYPE) == "chapter"), None)
    if section is None:
        return None
    header = section.find(f"{XHTML}header")
    title = " ".join("".join(header.find(f".//{XHTML}h1").itertext()).split())
    body = [el for el in section if el is not header]
    text = " ".join(" ".join("".join(el.itertext()) for el in body).split())
    words = " ".join(" ".join(" ".join(el.itertext()) for el in body).split())
    return Chapter(title, text, words)


def cached_urls(cache_dir: Path) -> set[str]:
    """Every URL the cache holds a sound entry for; fails on a partial or damaged file."""
    cache = PageCache(cache_dir)
    urls = set()
    for path in cache_dir.rglob("*"):
        if path.is_dir():
            continue
        assert not path.name.startswith("."), f"a partial write was left behind: {path}"
        data = path.read_bytes()
        assert data.startswith(FORMAT_LINE), path
        url = json.loads(data[len(FORMAT_LINE) :].partition(b"\n")[0])["url"]
        assert cache.path_for(url) == path, f"{path} holds {url}"
        assert cache.load(url) is not None, f"{path}: damaged entry for {url}"
        urls.add(url)
    return urls


def path_and_query(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


# --- 1. The home page, through the command line ---------------------------------------------------


@pytest.fixture(scope="module")
def home_build(site: WordPressSite, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = book_project(tmp_path_factory.mktemp("home"))
    result = build(folder, f"{site.url}/")
    assert "Wrote out/book.epub" in result.stdout
    return epub_of(folder)


def test_home_page_gives_one_chapter_per_readable_post_in_date_order(
    home_build: Path, book_posts: list[Published], site_posts: list[Published]
) -> None:
    left_out = {p.url for p in site_posts if not p.in_book}
    assert len(left_out) == 2  # the password-protected post and the one without content
    assert [c.title for c in chapters(home_build)] == [p.title for p in book_posts]


def test_home_page_book_passes_epubcheck(home_build: Path, epubcheck) -> None:
    report = epubcheck(home_build)
    assert report.errors == []


def test_home_page_book_has_no_comments_widgets_or_navigation(
    home_build: Path, book_posts: list[Published], site: WordPressSite
) -> None:
    comments, _ = rest(f"{site.url}/wp-json/wp/v2/comments?per_page=100")
    said = [plain(c["content"]["rendered"])[:60].rsplit(" ", 1)[0] for c in comments]
    assert len(said) > 20
    with urllib.request.urlopen(f"{site.url}/2012/01/template-comments/") as response:
        page = lxml.html.fromstring(response.read())
    page_text = " ".join(" ".join(page.itertext()).split())
    assert all(contains(page_text, phrase) for phrase in FURNITURE)  # the site really shows them
    for chapter, post in zip(chapters(home_build), book_posts, strict=True):
        own = post.text  # a phrase the post's own content holds may stay (block widgets do)
        leaked = [p for p in (*FURNITURE, *said) if contains(chapter.words, p) and p not in own]
        assert leaked == [], f"{post.url}: {leaked}"


def test_home_page_book_keeps_first_and_last_sentences(
    home_build: Path, book_posts: list[Published], site: WordPressSite
) -> None:
    by_url = {p.url: c for p, c in zip(book_posts, chapters(home_build), strict=True)}
    for path in SAMPLED:
        post = next(p for p in book_posts if p.url == f"{site.url}{path}")
        first, last = first_and_last_sentences(post.html)
        assert first in by_url[post.url].text, f"{path}: {first!r}"
        assert last in by_url[post.url].text, f"{path}: {last!r}"


# --- 2. Every way into the blog finds the same posts ----------------------------------------------

PATHS = [
    pytest.param("/", id="home"),
    pytest.param("/feed/", id="feed"),
    pytest.param("/wp-sitemap.xml", id="sitemap"),
    pytest.param("/wp-json/wp/v2/posts", id="rest"),
    pytest.param(f"/category/{ARCHIVE}/", id="category"),
    pytest.param("export", id="wxr-export"),
]


def read_from(location: str, root: Path) -> dict[str, str]:
    """{post URL: title} of what bookmaker reads from one source (no ebook written)."""
    key = "url" if location.startswith("http") else "path"
    book = book_project(root) / "book.toml"
    book.write_text(f"{book.read_text()}[[sources]]\n{key} = {json.dumps(location)}\n")
    result = read_posts(load_config(book))
    urls = [post.url for post in result.posts]
    assert len(urls) == len(set(urls))
    return {post.url: post.title for post in result.posts}


def test_the_export_lists_the_posts_the_rest_api_lists(
    export: Path, site_posts: list[Published]
) -> None:
    published = [p for p in exported_posts(export) if p.status == "publish"]
    assert sorted(p.url for p in published) == sorted(p.url for p in site_posts)
    assert {p.url for p in published if p.password} == {p.url for p in site_posts if p.protected}
    empty = {p.url for p in site_posts if not p.protected and not p.in_book}
    assert {p.url for p in published if not p.content.strip()} == empty


@pytest.mark.parametrize("path", PATHS)
def test_every_path_into_the_blog_finds_the_same_posts(
    path: str,
    site: WordPressSite,
    book_posts: list[Published],
    site_posts: list[Published],
    export: Path,
    tmp_path: Path,
) -> None:
    expected = {p.url: p.title for p in book_posts}
    exported = {p.url: p for p in exported_posts(export) if p.status == "publish"}
    if path == "export":
        location = str(export)
        # An export carries a protected post's body (its owner made it), so the book keeps it.
        expected |= {p.url: p.title for p in site_posts if p.protected}
    else:
        location = f"{site.url}{path}"
    if path.startswith("/category/"):
        [category], _ = rest(f"{site.url}/wp-json/wp/v2/categories?slug={ARCHIVE}")
        members = {p.url for p in book_posts if category["id"] in p.categories}
        expected = {url: title for url, title in expected.items() if url in members}
        assert 10 < len(expected) < len(book_posts)  # more than one archive page; a subset
    found = read_from(location, tmp_path)
    assert sorted(found) == sorted(expected)
    # A post without a title of its own gets one made up, by the theme (REST, pages) or by
    # bookmaker (export); only real titles are compared.
    titled = [url for url in expected if exported[url].title.strip()]
    assert len(titled) >= len(expected) - 1
    assert {u: as_typed(found[u]) for u in titled} == {u: as_typed(expected[u]) for u in titled}
    assert all(found.values())


# --- 3 and 4. Offline, and a second run: through the counting proxy -------------------------------
#
# bookmaker takes post pages and images from its cache when it has them (no request), and asks
# again for the lists that lead to them (home page, feed, sitemap, REST API), conditionally when
# it holds a validator. WordPress sends ETag and Last-Modified with its feeds only, so the other
# lists come back whole: that, and nothing more, is what a second run may download.


@dataclass(frozen=True)
class Run:
    epub: bytes
    exchanges: list[Exchange]
    stderr: str


@dataclass(frozen=True)
class ProxiedRuns:
    source: str  # the path built from
    proxy_netloc: str
    cached: set[str]  # URLs in the cache after the first run
    first: Run
    second: Run
    offline: Run


def is_content(path: str, site_posts: list[Published]) -> bool:
    """A post's page or an uploaded file: what a rebuild takes from the cache unasked."""
    bare = urlsplit(path).path
    return bare.startswith("/wp-content/uploads/") or bare in {
        urlsplit(p.url).path for p in site_posts
    }


@pytest.fixture(scope="module", params=["/", "/wp-sitemap.xml"], ids=["home", "sitemap"])
def proxied(
    request: pytest.FixtureRequest,
    site: WordPressSite,
    tmp_path_factory: pytest.TempPathFactory,
) -> ProxiedRuns:
    """Two online builds through the proxy into one cache, then one --offline with it stopped."""
    folder = book_project(tmp_path_factory.mktemp("proxied"))
    runs = []
    with CountingProxy(site.url) as proxy:
        source = f"{proxy.url}{request.param}"
        for _ in range(2):
            seen = len(proxy.exchanges())
            result = build(folder, source)
            runs.append(Run(epub_of(folder).read_bytes(), proxy.exchanges()[seen:], result.stderr))
            if len(runs) == 1:
                cached = cached_urls(folder / "cache")
    result = build(folder, source, "--offline")
    runs.append(Run(epub_of(folder).read_bytes(), [], result.stderr))
    return ProxiedRuns(request.param, proxy.netloc, cached, *runs)


def test_proxy_carries_the_whole_build(
    proxied: ProxiedRuns, site_posts: list[Published], site: WordPressSite
) -> None:
    paths = [e.path for e in proxied.first.exchanges]
    assert proxied.source in paths
    assert all(e.status == 200 for e in proxied.first.exchanges)
    assert any(p.startswith("/wp-content/uploads/") for p in paths)
    if proxied.source == "/":
        assert any(p.startswith("/wp-json/wp/v2/posts") for p in paths)
    else:
        post_pages = {urlsplit(post.url).path for post in site_posts}
        assert any(urlsplit(p).path in post_pages for p in paths)
    # The rewriting kept bookmaker on the proxy: it never learnt the origin's address.
    assert {urlsplit(url).netloc for url in proxied.cached} == {proxied.proxy_netloc}
    with zipfile.ZipFile(io.BytesIO(proxied.first.epub)) as epub:
        members = b"".join(epub.read(name) for name in epub.namelist())
    assert proxied.proxy_netloc.encode() in members
    assert site.url.removeprefix("http://").encode() not in members


def test_offline_rebuild_with_the_site_gone_is_byte_identical(proxied: ProxiedRuns) -> None:
    # The cache holds the second run's answers. (The first run's book may differ from the
    # second's: one gallery of the theme unit test content is in random order on every request.)
    assert proxied.offline.epub == proxied.second.epub
    assert "Offline" in proxied.offline.stderr


def test_second_run_takes_posts_and_images_from_the_cache(
    proxied: ProxiedRuns, site_posts: list[Published]
) -> None:
    first, second = proxied.first.exchanges, proxied.second.exchanges
    assert sum(is_content(e.path, site_posts) for e in first) > 20
    assert [e.path for e in second if is_content(e.path, site_posts)] == []
    assert second and {e.path for e in second} <= {e.path for e in first}
    for run in (first, second):
        assert max(Counter(e.path for e in run).values()) == 1  # each URL asked once a run
    assert [c.title for c in chapters(proxied.second.epub)] == [
        c.title for c in chapters(proxied.first.epub)
    ]


def test_second_run_revalidates_the_lists_it_can(proxied: ProxiedRuns) -> None:
    validators = {e.path: e.validators for e in proxied.first.exchanges}
    if proxied.source == "/":
        assert validators["/feed/"]  # WordPress's feed carries ETag and Last-Modified
    for exchange in proxied.second.exchanges:
        held = validators[exchange.path]
        assert exchange.header("If-None-Match") == held.get("etag")
        assert exchange.header("If-Modified-Since") == held.get("last-modified")
        # Downloaded again only what WordPress gave no validator for, so could not be asked
        # conditionally; everything else answered 304.
        assert exchange.status == (304 if held else 200), exchange.path


# --- 5. Ctrl-C in the middle of fetching ----------------------------------------------------------


@dataclass(frozen=True)
class Interrupted:
    returncode: int
    stderr: str
    cached: set[str]  # paths (with query) of the URLs cached when the run stopped
    reference: Run  # an uninterrupted build through the same proxy, fresh cache
    rerun: Run


@pytest.fixture(scope="module")
def interrupted(site: WordPressSite, tmp_path_factory: pytest.TempPathFactory) -> Interrupted:
    with CountingProxy(site.url) as proxy:
        reference_folder = book_project(tmp_path_factory.mktemp("reference"))
        result = build(reference_folder, f"{proxy.url}/")
        reference = Run(epub_of(reference_folder).read_bytes(), proxy.exchanges(), result.stderr)
        assert len(reference.exchanges) > 2 * HOLD_AFTER

        folder = book_project(tmp_path_factory.mktemp("interrupted"))
        proxy.hold_after(HOLD_AFTER)
        process = subprocess.Popen(
            bookmaker_command(f"{proxy.url}/"),
            cwd=folder,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=build_env(),
        )
        try:
            held = proxy.wait_until_holding(120)
            if held:
                process.send_signal(signal.SIGINT)
                time.sleep(0.5)  # let the signal land while requests are still held
        finally:
            proxy.release()
            _, stderr = process.communicate(timeout=120)
        assert held, "the build never made the requests it was to be interrupted after"
        cached = {path_and_query(url) for url in cached_urls(folder / "cache")}

        seen = len(proxy.exchanges())
        result = build(folder, f"{proxy.url}/")
        rerun = Run(epub_of(folder).read_bytes(), proxy.exchanges()[seen:], result.stderr)
    return Interrupted(process.returncode, stderr, cached, reference, rerun)


def test_ctrl_c_exits_130_without_a_traceback(interrupted: Interrupted) -> None:
    assert interrupted.returncode == 130, interrupted.stderr
    assert "Traceback" not in interrupted.stderr
    assert interrupted.stderr.rstrip().endswith("bookmaker: interrupted")


def test_ctrl_c_leaves_a_sound_cache_and_a_rerun_fetches_only_what_was_missing(
    interrupted: Interrupted, site_posts: list[Published]
) -> None:
    wanted = {e.path for e in interrupted.reference.exchanges}
    content = {path for path in wanted if is_content(path, site_posts)}
    # The interrupt fell mid-run: some images were cached (each entry sound: cached_urls
    # checks), some not.
    assert content & interrupted.cached and content - interrupted.cached
    asked = Counter(e.path for e in interrupted.rerun.exchanges)
    assert max(asked.values()) == 1
    assert {path for path in asked if is_content(path, site_posts)} == content - interrupted.cached
    assert set(asked) - content == wanted - content  # the lists, asked again to find new posts
    # Same posts as an uninterrupted build (not the same bytes: a gallery is in random order).
    reference = chapters(interrupted.reference.epub)
    assert [c.title for c in chapters(interrupted.rerun.epub)] == [c.title for c in reference]
