"""The fetch stage against a misbehaving server on 127.0.0.1: every failure ends, in bounded time,
in one FetchError with a code and a message naming the URL, or in success after a retry."""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from sites.faults import (  # noqa: F401 - fault_server is a fixture
    ROBOTS_FORBID_ALL,
    ROBOTS_FORBID_PRIVATE,
    FaultServer,
    fault_server,
)

from bookmaker import __version__
from bookmaker.fetch import USER_AGENT, Fetcher, FetchError, FetchSettings
from bookmaker.fetch.cache import PageCache, normalise_url
from bookmaker.fetch.politeness import retry_after_seconds
from bookmaker.fetch.robots import RobotsRules

StartServer = Callable[..., FaultServer]


def make_settings(tmp_path: Path, **overrides: Any) -> FetchSettings:
    """Small timeouts and backoff so every failure below ends in well under a second or two."""
    base: dict[str, Any] = {
        "cache_dir": tmp_path / "cache",
        "delay": 0.0,
        "timeout": 2.0,
        "total_timeout": 5.0,
        "retries": 2,
        "backoff": 0.05,
    }
    return FetchSettings(**{**base, **overrides})


def fetch(tmp_path: Path, url: str, **overrides: Any) -> Any:
    with Fetcher(make_settings(tmp_path, **overrides)) as fetcher:
        return fetcher.get(url)


def fetch_error(tmp_path: Path, url: str, **overrides: Any) -> FetchError:
    with pytest.raises(FetchError) as caught:
        fetch(tmp_path, url, **overrides)
    return caught.value


def cache_files(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "cache"
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


@pytest.fixture
def site(fault_server: StartServer) -> FaultServer:  # noqa: F811
    return fault_server()


# A page, its cache entry, and revalidation.


def test_a_page_arrives_with_its_type_encoding_and_headers(
    site: FaultServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    url = site.url("/page/broad-beans")
    caplog.set_level(logging.DEBUG, logger="bookmaker")
    with Fetcher(make_settings(tmp_path)) as fetcher:
        page = fetcher.get(url)
        stats = fetcher.stats()
    assert (page.url, page.final_url, page.status, page.from_cache) == (url, url, 200, False)
    assert "broad beans came up" in page.text()
    assert (page.content_type, page.encoding) == ("text/html", "utf-8")
    assert page.header("ETag") == '"broad-beans-v1"'
    assert (stats.requests, stats.fresh, stats.failed, stats.bytes) == (2, 0, 0, len(page.content))
    assert f"GET {url}" in caplog.messages


def test_every_request_names_bookmaker_and_its_version(site: FaultServer, tmp_path: Path) -> None:
    fetch(tmp_path, site.url("/page/seed-catalogue"))
    agents = {seen.headers.get("user-agent") for seen in site.requests}
    assert agents == {USER_AGENT}
    assert USER_AGENT.startswith(f"bookmaker/{__version__} ")


def test_the_second_run_revalidates_with_etag_and_gets_304(
    site: FaultServer, tmp_path: Path
) -> None:
    url = site.url("/page/compost")
    first = fetch(tmp_path, url)
    with Fetcher(make_settings(tmp_path)) as fetcher:
        second = fetcher.get(url)
        stats = fetcher.stats()
    page_requests = [seen for seen in site.requests if seen.path == "/page/compost"]
    assert len(page_requests) == 2
    assert "if-none-match" not in page_requests[0].headers
    assert page_requests[1].headers["if-none-match"] == '"compost-v1"'
    assert second.from_cache and second.content == first.content and second.status == 200
    assert (stats.revalidated, stats.bytes) == (1, 0)


def test_reuse_answers_a_cached_page_with_no_request_unless_refresh(
    site: FaultServer, tmp_path: Path
) -> None:
    url = site.url("/page/compost")
    with Fetcher(make_settings(tmp_path)) as fetcher:
        first = fetcher.get(url, reuse=True)  # not cached yet: fetched
    with Fetcher(make_settings(tmp_path)) as fetcher:
        again = fetcher.get(url, reuse=True)
        stats = fetcher.stats()
    assert site.count("/page/compost") == 1
    assert again.from_cache and again.content == first.content
    assert (stats.requests, stats.fresh) == (0, 1)
    with Fetcher(make_settings(tmp_path, refresh=True)) as fetcher:
        fetcher.get(url, reuse=True)
    assert site.count("/page/compost") == 2
    assert site.requests[-1].headers["if-none-match"] == '"compost-v1"'


def test_last_modified_alone_gives_if_modified_since(site: FaultServer, tmp_path: Path) -> None:
    url = site.url("/page/frost?validators=date")
    fetch(tmp_path, url)
    second = fetch(tmp_path, url)
    last = site.requests[-1].headers
    assert last["if-modified-since"] == "Sat, 02 Mar 2024 12:00:00 GMT"
    assert "if-none-match" not in last
    assert second.from_cache


def test_a_changed_page_is_downloaded_and_replaces_the_entry(
    site: FaultServer, tmp_path: Path
) -> None:
    url = site.url("/page/rhubarb")
    fetch(tmp_path, url)
    site.set_page("rhubarb", "<p>Rhubarb, revised: forced under a bucket.</p>")
    changed = fetch(tmp_path, url)
    offline = fetch(tmp_path, url, offline=True)
    assert not changed.from_cache and b"forced under a bucket" in changed.content
    assert offline.content == changed.content
    assert offline.header("etag") == '"rhubarb-v2"'


def test_a_url_is_requested_once_per_run(site: FaultServer, tmp_path: Path) -> None:
    url = site.url("/page/onions")
    with Fetcher(make_settings(tmp_path)) as fetcher:
        first = fetcher.get(url)
        again = fetcher.get(url + "#harvest")  # the fragment never reaches the server
        stats = fetcher.stats()
    assert site.count("/page/onions") == 1
    assert not first.from_cache and again.from_cache and again.content == first.content
    assert (stats.requests, stats.fresh) == (2, 1)


def test_the_same_url_from_many_threads_is_requested_once(
    site: FaultServer, tmp_path: Path
) -> None:
    url = site.url("/hold?seconds=0.1")
    with Fetcher(make_settings(tmp_path, per_host_concurrency=4)) as fetcher:
        with ThreadPoolExecutor(max_workers=5) as pool:
            pages = list(pool.map(lambda _: fetcher.get(url), range(5)))
    assert site.count("/hold?seconds=0.1") == 1
    assert len({page.content for page in pages}) == 1


# HTTP errors and retries.


def test_404_fails_at_once_and_is_remembered_for_the_run_only(
    site: FaultServer, tmp_path: Path
) -> None:
    url = site.url("/missing")
    with Fetcher(make_settings(tmp_path)) as fetcher:
        with pytest.raises(FetchError) as first:
            fetcher.get(url)
        with pytest.raises(FetchError) as again:
            fetcher.get(url)
        failed = fetcher.stats().failed
    assert (first.value.code, first.value.url) == ("fetch.http_404", url)
    assert str(first.value) == f"{url}: HTTP 404 Not Found"
    assert again.value.message == first.value.message and failed == 2
    assert site.count("/missing") == 1  # not retried, not asked again this run
    fetch_error(tmp_path, url)
    assert site.count("/missing") == 2  # never cached on disk: the next run asks again


def test_a_server_error_is_retried_then_succeeds(
    site: FaultServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    url = site.url("/flaky/leeks")
    caplog.set_level(logging.INFO, logger="bookmaker")
    page = fetch(tmp_path, url, backoff=0.1)
    assert page.status == 200 and b"Leeks" in page.content
    assert site.count("/flaky/leeks") == 2
    retry_lines = [r for r in caplog.records if r.levelno == logging.INFO]
    assert [r.getMessage() for r in retry_lines] == [f"retrying {url} in 0.1 s (HTTP 500)"]


def test_a_server_error_that_persists_ends_after_the_retries(
    site: FaultServer, tmp_path: Path
) -> None:
    url = site.url("/flaky/kale?fails=99")
    started = time.monotonic()
    error = fetch_error(tmp_path, url, retries=2)
    assert error.code == "fetch.http_500"
    assert error.message == f"{url}: HTTP 500 Internal Server Error"
    assert site.count("/flaky/kale?fails=99") == 3
    assert time.monotonic() - started < 2


def test_429_waits_as_long_as_retry_after_says(site: FaultServer, tmp_path: Path) -> None:
    page = fetch(tmp_path, site.url("/busy/parsnips?after=1"))
    arrivals = [seen.at for seen in site.requests if seen.path.startswith("/busy/")]
    assert page.status == 200
    assert len(arrivals) == 2
    assert arrivals[1] - arrivals[0] >= 0.8  # the backoff alone would be 0.05 s


def test_retry_after_past_the_cap_gives_up_at_once(site: FaultServer, tmp_path: Path) -> None:
    url = site.url("/busy/turnips?after=3600&status=503")
    started = time.monotonic()
    error = fetch_error(tmp_path, url)
    assert error.code == "fetch.http_503"
    assert "asks to wait 3600 s" in error.message and error.message.endswith("try again later")
    assert site.count("/busy/turnips?after=3600&status=503") == 1
    assert time.monotonic() - started < 1


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("7", 7.0),
        ("Wed, 01 May 2024 10:00:30 GMT", 30.0),
        ("Wed, 01 May 2024 09:59:00 GMT", 0.0),  # already past: retry now
        ("soon", None),
        (None, None),
    ],
)
def test_retry_after_is_read_as_seconds_or_an_http_date(
    header: str | None, expected: float | None
) -> None:
    now = 1714557600.0  # 2024-05-01 10:00:00 UTC
    assert retry_after_seconds(header, now=now) == expected


# Slow, endless, oversized and broken answers.


def test_a_server_that_does_not_answer_times_out(site: FaultServer, tmp_path: Path) -> None:
    url = site.url("/slow?seconds=3")
    started = time.monotonic()
    error = fetch_error(tmp_path, url, timeout=0.3, retries=1)
    assert (error.code, error.message) == ("fetch.timeout", f"{url}: no answer within 0.3 s")
    assert site.count("/slow?seconds=3") == 2
    assert time.monotonic() - started < 2


def test_a_body_that_trickles_in_hits_the_total_timeout(site: FaultServer, tmp_path: Path) -> None:
    url = site.url("/drip?chunks=50&every=0.1")
    started = time.monotonic()
    error = fetch_error(tmp_path, url, total_timeout=0.5)
    assert error.code == "fetch.timeout"
    assert error.message == f"{url}: download took longer than 0.5 s"
    assert site.count("/drip?chunks=50&every=0.1") == 1
    assert time.monotonic() - started < 1.5


@pytest.mark.parametrize(
    "path",
    [
        "/big?bytes=300000",  # Content-Length says so up front
        "/big?bytes=300000&length=0",  # only counting while streaming shows it
        "/gzip?bytes=300000",  # small on the wire, too large once inflated
    ],
)
def test_an_oversized_body_is_refused(site: FaultServer, tmp_path: Path, path: str) -> None:
    url = site.url(path)
    error = fetch_error(tmp_path, url, max_bytes=100_000)
    assert error.code == "fetch.too_large"
    assert error.message == f"{url}: larger than the 100000 bytes limit"
    assert site.count(path) == 1
    assert cache_files(tmp_path) == []


def test_a_body_exactly_at_the_limit_is_accepted(site: FaultServer, tmp_path: Path) -> None:
    page = fetch(tmp_path, site.url("/gzip?bytes=100000"), max_bytes=100_000)
    assert page.content == b"a" * 100_000


def test_a_body_that_cannot_be_decompressed_is_a_bad_response(
    site: FaultServer, tmp_path: Path
) -> None:
    url = site.url("/gzip?broken=1")
    error = fetch_error(tmp_path, url)
    assert error.code == "fetch.bad_response"
    assert error.message.startswith(f"{url}: the response cannot be read (")
    assert site.count("/gzip?broken=1") == 1


@pytest.mark.parametrize("path", ["/hangup", "/hangup?midway=1"])
def test_a_connection_closed_abruptly_is_retried_then_reported(
    site: FaultServer, tmp_path: Path, path: str
) -> None:
    url = site.url(path)
    error = fetch_error(tmp_path, url, retries=1)
    assert error.code == "fetch.connection"
    assert error.message.startswith(f"{url}: the server broke off the connection (")
    assert site.count(path) == 2


def test_a_closed_port_is_unreachable(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/page/anything"
    error = fetch_error(tmp_path, url, retries=1)
    assert error.code == "fetch.unreachable"
    assert error.message.startswith(f"{url}: cannot connect to 127.0.0.1 (")


def test_an_unknown_host_is_named_with_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_getaddrinfo = socket.getaddrinfo
    lookups: list[str] = []

    def resolve(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host == "allotment.invalid":
            lookups.append(host)
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    url = "http://allotment.invalid/2024/05/sowing/"
    error = fetch_error(tmp_path, url, retries=3, backoff=1.0)
    # robots.txt is asked for first and fails the same way: the message is about the host.
    assert (error.code, error.url) == ("fetch.unreachable", url)
    assert error.message == f"{url}: cannot resolve host allotment.invalid — check the address"
    assert lookups == ["allotment.invalid"]  # a name that does not resolve is not retried


@pytest.mark.parametrize(
    "url", ["ftp://allotment.example/notes", "mailto:plots@allotment.example", "/2024/05/", "::"]
)
def test_what_is_not_a_web_address_is_refused_without_a_request(tmp_path: Path, url: str) -> None:
    error = fetch_error(tmp_path, url)
    assert error.code == "fetch.invalid_url"
    assert error.message.startswith(f"{url} is not a web address")


# Redirects.


def test_a_redirect_loop_is_named(site: FaultServer, tmp_path: Path) -> None:
    url = site.url("/loop/a")
    error = fetch_error(tmp_path, url)
    assert error.code == "fetch.redirects"
    loop = f"{url} -> {site.url('/loop/b')} -> {url}"
    assert error.message == f"{url}: redirect loop ({loop})"
    assert site.paths().count("/loop/a") == 1 and site.paths().count("/loop/b") == 1


def test_a_redirect_chain_under_the_cap_is_followed(site: FaultServer, tmp_path: Path) -> None:
    url = site.url("/chain/3")
    page = fetch(tmp_path, url, max_redirects=3)
    assert (page.url, page.final_url) == (url, site.url("/chain/0"))
    assert b"End of the chain" in page.content
    before = site.count()
    offline_start = fetch(tmp_path, url, offline=True)
    offline_end = fetch(tmp_path, site.url("/chain/0"), offline=True)
    assert offline_start.final_url == site.url("/chain/0")
    assert offline_end.content == page.content
    assert site.count() == before


def test_a_redirect_chain_over_the_cap_is_cut(site: FaultServer, tmp_path: Path) -> None:
    url = site.url("/chain/4")
    error = fetch_error(tmp_path, url, max_redirects=3)
    assert error.code == "fetch.redirects"
    stop = site.url("/chain/0")
    assert error.message == f"{url}: more than 3 redirects (stopped at {stop})"
    assert [p for p in site.paths() if p.startswith("/chain/")] == [
        "/chain/4",
        "/chain/3",
        "/chain/2",
        "/chain/1",
    ]


def test_a_failure_after_a_redirect_names_both_addresses(site: FaultServer, tmp_path: Path) -> None:
    missing = site.url("/redirect?to=/missing")
    hangup = site.url("/redirect?to=/hangup")
    with Fetcher(make_settings(tmp_path, retries=0)) as fetcher:
        with pytest.raises(FetchError) as gone:
            fetcher.get(missing)
        with pytest.raises(FetchError) as broken:
            fetcher.get(hangup)
    assert gone.value.code == "fetch.http_404"
    assert gone.value.message == (
        f"{missing}: HTTP 404 Not Found (redirected to {site.url('/missing')})"
    )
    assert (broken.value.code, broken.value.url) == ("fetch.connection", hangup)
    assert broken.value.message.startswith(f"{site.url('/hangup')}: the server broke off")
    assert broken.value.message.endswith(f" (redirected from {hangup})")


# robots.txt.


def test_a_site_that_forbids_everything_gets_only_its_robots_txt_read(
    fault_server: StartServer,  # noqa: F811
    tmp_path: Path,
) -> None:
    site = fault_server(robots=ROBOTS_FORBID_ALL)
    url = site.url("/page/first")
    with Fetcher(make_settings(tmp_path)) as fetcher:
        with pytest.raises(FetchError) as refused:
            fetcher.get(url)
        with pytest.raises(FetchError):
            fetcher.get(site.url("/page/second"))
    assert refused.value.code == "fetch.robots"
    assert refused.value.message == (
        f"{url} is disallowed by {site.url('/robots.txt')}; "
        "pass --ignore-robots only if the blog is yours"
    )
    assert site.paths() == ["/robots.txt"]


def test_robots_rules_apply_to_every_redirect_hop(
    fault_server: StartServer,  # noqa: F811
    tmp_path: Path,
) -> None:
    site = fault_server(robots=ROBOTS_FORBID_PRIVATE)
    with Fetcher(make_settings(tmp_path)) as fetcher:
        assert fetcher.get(site.url("/page/public")).status == 200
        with pytest.raises(FetchError) as direct:
            fetcher.get(site.url("/private/diary"))
        redirecting = site.url("/redirect?to=/private/ledger")
        with pytest.raises(FetchError) as via:
            fetcher.get(redirecting)
    assert direct.value.code == via.value.code == "fetch.robots"
    assert via.value.message.startswith(
        f"{site.url('/private/ledger')} (redirected from {redirecting}) is disallowed by "
    )
    assert not any(path.startswith("/private/") for path in site.paths())
    assert site.paths().count("/robots.txt") == 1


def test_ignore_robots_never_reads_robots_txt(
    fault_server: StartServer,  # noqa: F811
    tmp_path: Path,
) -> None:
    site = fault_server(robots=ROBOTS_FORBID_ALL)
    page = fetch(tmp_path, site.url("/page/mine"), ignore_robots=True)
    assert page.status == 200
    assert site.paths() == ["/page/mine"]


def test_an_erroring_robots_txt_forbids_the_whole_site(
    fault_server: StartServer,  # noqa: F811
    tmp_path: Path,
) -> None:
    site = fault_server(robots="User-agent: *\nAllow: /\n", robots_status=503)
    url = site.url("/page/anything")
    error = fetch_error(tmp_path, url, retries=1)
    assert error.code == "fetch.robots"
    assert error.message.startswith(
        f"{url}: robots.txt could not be read (HTTP 503 Service Unavailable), so the whole site "
        "counts as off-limits"
    )
    assert site.paths() == ["/robots.txt", "/robots.txt"]


def test_a_missing_robots_txt_allows_everything_and_is_read_once(
    site: FaultServer, tmp_path: Path
) -> None:
    with Fetcher(make_settings(tmp_path)) as fetcher:
        for name in ("peas", "beans", "chard"):
            fetcher.get(site.url(f"/page/{name}"))
    assert site.paths() == ["/robots.txt", "/page/peas", "/page/beans", "/page/chard"]


def test_crawl_delay_spaces_requests_when_larger_than_the_delay(
    fault_server: StartServer,  # noqa: F811
    tmp_path: Path,
) -> None:
    site = fault_server(robots="User-agent: *\nCrawl-delay: 1\n")
    with Fetcher(make_settings(tmp_path, delay=0.1)) as fetcher:
        fetcher.get(site.url("/page/one"))
        fetcher.get(site.url("/page/two"))
    pages = [seen.at for seen in site.requests if seen.path.startswith("/page/")]
    assert pages[1] - pages[0] >= 0.8  # the configured delay alone would be 0.1 s


ROBOTS_TXT = """\
User-agent: *
Disallow: /

User-agent: SomeOtherBot
Allow: /

User-agent: bookmaker
Disallow: /wp-admin/
Allow: /wp-admin/admin-ajax.php
Disallow: /*?replytocom=
Disallow: /*.pdf$
Disallow: /café/
Allow: /drafts/
Disallow: /drafts/
Crawl-delay: 3
"""


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/2024/05/sowing/", True),  # the bookmaker group applies, not the `*` one
        ("/wp-admin/options.php", False),
        ("/wp-admin/admin-ajax.php", True),  # the longer rule wins
        ("/2024/05/sowing/?replytocom=12", False),  # `*` matches any run of characters
        ("/files/plan.pdf", False),
        ("/files/plan.pdf?download=1", True),  # `$` anchors the end
        ("/caf%C3%A9/menu", False),  # rules and paths compare percent-encoded
        ("/drafts/late-frost", True),  # Allow wins a tie
        ("/robots.txt", True),
    ],
)
def test_robots_rules_follow_rfc_9309(path: str, allowed: bool) -> None:
    rules = RobotsRules.parse("https://allotment.example/robots.txt", ROBOTS_TXT, USER_AGENT)
    assert rules.allows(f"https://allotment.example{path}") is allowed
    assert rules.crawl_delay == 3.0


# Offline, the cache on disk, and interruptions.


@pytest.fixture
def no_sockets(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a socket was opened in offline mode")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


def test_offline_answers_from_the_cache_without_a_socket(
    site: FaultServer, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    url = site.url("/page/garlic")
    online = fetch(tmp_path, url)
    before = site.count()
    request.getfixturevalue("no_sockets")
    missing = site.url("/page/never-fetched")
    with Fetcher(make_settings(tmp_path, offline=True)) as fetcher:
        offline = fetcher.get(url)
        with pytest.raises(FetchError) as miss:
            fetcher.get(missing)
        stats = fetcher.stats()
    assert offline.from_cache and offline.content == online.content
    assert offline.content_type == "text/html" and offline.header("etag") == '"garlic-v1"'
    assert (miss.value.code, miss.value.message) == (
        "fetch.offline_miss",
        f"{missing} is not in the cache (built with --offline)",
    )
    assert (stats.requests, stats.fresh, stats.failed) == (0, 1, 1)
    assert site.count() == before


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # cut short
        lambda data: data[:-1] + bytes([data[-1] ^ 1]),  # one bit flipped in the body
        lambda data: b"\x00\xff not a cache entry",
        lambda data: b"",
    ],
    ids=["truncated", "bit-flip", "garbage", "empty"],
)
def test_a_damaged_cache_entry_is_a_miss_not_a_crash(
    site: FaultServer, tmp_path: Path, damage: Callable[[bytes], bytes]
) -> None:
    url = site.url("/page/shallots")
    fetch(tmp_path, url)
    entry = PageCache(tmp_path / "cache").path_for(url)
    entry.write_bytes(damage(entry.read_bytes()))
    assert fetch_error(tmp_path, url, offline=True).code == "fetch.offline_miss"
    again = fetch(tmp_path, url)
    assert not again.from_cache
    assert "if-none-match" not in site.requests[-1].headers  # no validators from a bad entry
    assert fetch(tmp_path, url, offline=True).content == again.content  # rewritten whole


@pytest.fixture
def interrupt_downloads(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C arrives after the first chunk of any response body."""
    real_iter_bytes = httpx.Response.iter_bytes

    def first_chunk_then_interrupt(
        self: httpx.Response, *args: Any, **kwargs: Any
    ) -> Iterator[bytes]:
        for chunk in real_iter_bytes(self, *args, **kwargs):
            yield chunk
            raise KeyboardInterrupt

    monkeypatch.setattr(httpx.Response, "iter_bytes", first_chunk_then_interrupt)


def test_an_interrupted_download_leaves_no_cache_entry(
    site: FaultServer, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    url = site.url("/big?bytes=500000")
    with Fetcher(make_settings(tmp_path, ignore_robots=True)) as fetcher:
        request.getfixturevalue("interrupt_downloads")
        with pytest.raises(KeyboardInterrupt):
            fetcher.get(url)
    assert site.count("/big?bytes=500000") == 1
    assert cache_files(tmp_path) == []


def test_an_interrupted_download_keeps_the_previous_entry(
    site: FaultServer, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    url = site.url("/page/squash")
    first = fetch(tmp_path, url)
    site.set_page("squash", "<p>Squash, second sowing.</p>" * 2000)
    request.getfixturevalue("interrupt_downloads")
    with pytest.raises(KeyboardInterrupt):
        fetch(tmp_path, url)
    assert fetch(tmp_path, url, offline=True).content == first.content


def test_an_interrupted_cache_write_leaves_no_partial_file(
    site: FaultServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupt(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupt)
    with pytest.raises(KeyboardInterrupt):
        fetch(tmp_path, site.url("/page/beetroot"))
    assert cache_files(tmp_path) == []


def test_urls_that_differ_only_in_spelling_share_a_cache_entry() -> None:
    spellings = [
        "HTTPS://Allotment.EXAMPLE:443/plot/7?x=1#beds",
        "https://allotment.example/plot/7?x=1",
    ]
    assert {normalise_url(u) for u in spellings} == {"https://allotment.example/plot/7?x=1"}
    assert normalise_url("https://allotment.example") == "https://allotment.example/"
    assert normalise_url("http://allotment.example:8080/") == "http://allotment.example:8080/"


# Politeness towards one host.


@pytest.mark.parametrize("limit", [1, 2])
def test_requests_in_flight_to_one_host_never_exceed_the_limit(
    site: FaultServer, tmp_path: Path, limit: int
) -> None:
    urls = [site.url(f"/hold?seconds=0.15&n={n}") for n in range(6)]
    with Fetcher(make_settings(tmp_path, per_host_concurrency=limit)) as fetcher:
        with ThreadPoolExecutor(max_workers=6) as pool:
            pages = list(pool.map(fetcher.get, urls))
    assert all(page.status == 200 for page in pages)
    assert site.max_in_flight == limit


def test_request_starts_to_one_host_are_spaced_by_the_delay(
    site: FaultServer, tmp_path: Path
) -> None:
    urls = [site.url(f"/page/row-{n}") for n in range(4)]
    with Fetcher(make_settings(tmp_path, delay=0.3, per_host_concurrency=4)) as fetcher:
        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(fetcher.get, urls))
    arrivals = sorted(seen.at for seen in site.requests)
    gaps = [b - a for a, b in zip(arrivals, arrivals[1:], strict=False)]
    assert len(arrivals) == 5  # robots.txt and four pages
    assert min(gaps) >= 0.2  # without the delay, parallel threads would start together
