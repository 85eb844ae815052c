"""PoliteSession against a real HTTP server on 127.0.0.1; assertions use the server's own log."""

from __future__ import annotations

import gzip
import socket
import sys
import threading
import time
import unicodedata
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from itertools import pairwise

import pytest

from scrapers.http import FetchResult, PoliteSession, decode_text, parse_retry_after
from scrapers.settings import Settings
from tests.httpserver import Handler, LocalServer

VI = "Hợp tác xã nông nghiệp ở Thanh Hóa phát triển mạnh, người dân có thu nhập ổn định."
ROBOTS = "User-agent: *\nDisallow: /admin/\nDisallow: /noi-bo-\n"

# Every socket.connect() of this process while a test records them (PEP 578 audit hook):
# proves that refused hops were refused before any connection was attempted.
_CONNECTS: dict[str, list[object]] = {}


def _audit(event: str, args: tuple[object, ...]) -> None:
    if event == "socket.connect" and "log" in _CONNECTS:
        _CONNECTS["log"].append(args[1])


sys.addaudithook(_audit)


def make_settings(**overrides: object) -> Settings:
    values: dict[str, object] = dict(
        allow_addresses="127.0.0.1", backoff_base=0.01, retry_after_cap=0.3,
        default_min_delay=0.01, connect_timeout=2.0, read_timeout=2.0, max_retries=3,
        max_redirects=5, global_concurrency=4, max_body_bytes=10_000,
    )
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def server() -> Iterator[LocalServer]:
    srv = LocalServer()
    srv.static("/robots.txt", ROBOTS, headers={"Content-Type": "text/plain"})
    yield srv
    srv.close()


@pytest.fixture
def session() -> Iterator[PoliteSession]:
    with PoliteSession(make_settings()) as s:
        yield s


@pytest.fixture
def connects() -> Iterator[list[object]]:
    _CONNECTS["log"] = []
    yield _CONNECTS["log"]
    del _CONNECTS["log"]


def sequence(*routes: tuple[int, dict[str, str]]) -> object:
    """A route answering the given (status, headers) in turn, then repeating the last."""
    calls = iter(range(10**6))

    def route(h: Handler) -> None:
        status, headers = routes[min(next(calls), len(routes) - 1)]
        h.reply(status, b"body" if status == 200 else b"", headers)

    return route


def to_cp1258(text: str) -> bytes:
    """windows-1258 bytes as legacy Vietnamese pages hold them: tone marks as combining chars."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
            out += (base + "".join(c for c in parts if c in tones)).encode("cp1258")
    return bytes(out)


def count(server: LocalServer, path: str) -> int:
    return server.paths().count(path)


# --- robots.txt ---

def test_disallowed_url_is_never_requested(server: LocalServer, session: PoliteSession) -> None:
    res = session.get(server.base + "/admin/secret")
    assert (res.error_kind, res.error, res.attempts) == ("robots", "disallowed by robots.txt", 0)
    assert not res.ok
    assert session.get(server.base + "/noi-bo-123.htm").error_kind == "robots"
    assert server.paths() == ["/robots.txt"]  # read once, cached, nothing else sent


def test_missing_robots_allows_all(session: PoliteSession) -> None:
    srv = LocalServer()  # no robots.txt route: 404
    try:
        srv.static("/admin/page", "hello")
        res = session.get(srv.base + "/admin/page")
        assert res.ok and res.text == "hello"
        assert srv.paths() == ["/robots.txt", "/admin/page"]
    finally:
        srv.close()


def test_unavailable_robots_blocks_then_recovers(server: LocalServer) -> None:
    server.routes["/robots.txt"] = sequence((503, {}))
    server.static("/page", "ok")
    with PoliteSession(make_settings(max_retries=1)) as s:
        res = s.get(server.base + "/page")
        assert res.error_kind == "robots" and "unavailable" in (res.error or "")
        assert count(server, "/robots.txt") == 2  # retried once, then gave up
        assert s.get(server.base + "/page").error_kind == "robots"
        assert count(server, "/robots.txt") == 2  # within the pause: not asked again
    assert "/page" not in server.paths()
    with PoliteSession(make_settings(max_retries=0)) as s:
        s.robots_retry_seconds = 0.0
        assert s.get(server.base + "/page").error_kind == "robots"
        server.static("/robots.txt", ROBOTS, headers={"Content-Type": "text/plain"})
        assert s.get(server.base + "/page").ok  # pause over: asked again, not stuck
    assert count(server, "/page") == 1


# --- pacing and concurrency ---

def test_pacing_one_host_across_threads(server: LocalServer) -> None:
    server.static("/p", "ok")
    with PoliteSession(make_settings()) as s:
        s.set_min_delay("127.0.0.1", 0.05)
        with ThreadPoolExecutor(4) as pool:
            futures = [pool.submit(lambda: [s.get(server.base + "/p") for _ in range(3)])
                       for _ in range(4)]
            results = [r for f in futures for r in f.result()]
    assert all(r.ok for r in results) and len(results) == 12
    times = sorted(seen.at for seen in server.log)  # robots.txt is paced too
    assert len(times) == 13
    assert min(b - a for a, b in pairwise(times)) >= 0.05


def test_crawl_delay_wins_over_smaller_min_delay(server: LocalServer,
                                                 session: PoliteSession) -> None:
    server.static("/robots.txt", "User-agent: *\nCrawl-delay: 0.15\n")
    server.static("/p", "ok")
    assert all(session.get(server.base + "/p").ok for _ in range(3))
    assert session.delay_for("127.0.0.1") == 0.15
    pages = [seen.at for seen in server.log if seen.path == "/p"]
    assert min(b - a for a, b in pairwise(pages)) >= 0.15


def test_global_concurrency_cap(server: LocalServer) -> None:
    state = {"now": 0, "max": 0}
    lock = threading.Lock()

    def slow(h: Handler) -> None:
        with lock:
            state["now"] += 1
            state["max"] = max(state["max"], state["now"])
        time.sleep(0.1)
        with lock:
            state["now"] -= 1
        h.reply(200, b"ok")

    server.routes["/slow"] = slow
    hosts = ["a.example", "b.example", "c.example"]
    mirrors = {h: server.base for h in hosts}
    with PoliteSession(make_settings(global_concurrency=2), mirrors=mirrors) as s, \
            ThreadPoolExecutor(6) as pool:
        results = list(pool.map(lambda h: s.get(f"https://{h}/slow"), hosts * 2))
    assert all(r.ok for r in results)
    assert count(server, "/slow") == 6
    assert state["max"] <= 2


# --- retries ---

def test_429_with_retry_after_then_ok(server: LocalServer, session: PoliteSession) -> None:
    server.routes["/busy"] = sequence((429, {"Retry-After": "5"}), (200, {}))
    res = session.get(server.base + "/busy")
    assert res.ok and res.attempts == 2 and res.status == 200
    first, second = [seen.at for seen in server.log if seen.path == "/busy"]
    assert second - first >= 0.3  # Retry-After honoured, capped by retry_after_cap


def test_503_twice_then_ok(server: LocalServer, session: PoliteSession) -> None:
    server.routes["/flaky"] = sequence((503, {}), (503, {}), (200, {}))
    res = session.get(server.base + "/flaky")
    assert res.ok and res.attempts == 3 and res.content == b"body"
    assert count(server, "/flaky") == 3


def test_500_forever_gives_http_5xx(server: LocalServer) -> None:
    server.routes["/down"] = sequence((500, {}))
    with PoliteSession(make_settings(max_retries=2)) as s:
        res = s.get(server.base + "/down")
    assert (res.error_kind, res.status, res.attempts) == ("http_5xx", 500, 3)
    assert count(server, "/down") == 3


def test_404_is_not_retried(server: LocalServer, session: PoliteSession) -> None:
    res = session.get(server.base + "/missing")
    assert (res.error_kind, res.status, res.attempts) == ("http_4xx", 404, 1)
    assert count(server, "/missing") == 1


def test_dropped_connection_is_retried(server: LocalServer) -> None:
    def hang_up(h: Handler) -> None:
        h.close_connection = True  # no status line at all

    server.routes["/drop"] = hang_up
    with PoliteSession(make_settings(max_retries=1)) as s:
        res = s.get(server.base + "/drop")
    assert (res.error_kind, res.attempts, res.status) == ("connection", 2, None)
    assert count(server, "/drop") == 2


def test_unreachable_robots_is_conservative(session: PoliteSession) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nothing listens there
    res = session.get(f"http://127.0.0.1:{port}/x")
    assert res.error_kind == "robots" and "connection" in (res.error or "")


def test_read_timeout(server: LocalServer) -> None:
    def sleepy(h: Handler) -> None:
        time.sleep(0.6)
        h.reply(200, b"late")

    server.routes["/sleepy"] = sleepy
    with PoliteSession(make_settings(read_timeout=0.2, max_retries=1)) as s:
        res = s.get(server.base + "/sleepy")
    assert (res.error_kind, res.attempts) == ("timeout", 2)


def test_timeout_while_reading_body(server: LocalServer) -> None:
    def drip(h: Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Length", "100")
        h.end_headers()
        h.wfile.write(b"x" * 10)
        h.wfile.flush()
        time.sleep(0.6)

    server.routes["/drip"] = drip
    with PoliteSession(make_settings(read_timeout=0.2, max_retries=0)) as s:
        res = s.get(server.base + "/drip")
    assert (res.error_kind, res.attempts) == ("timeout", 1)


# --- bodies ---

def test_too_large_by_content_length(server: LocalServer, session: PoliteSession) -> None:
    server.static("/big", b"x" * 20_000)
    res = session.get(server.base + "/big")
    assert (res.error_kind, res.attempts, res.content, res.status) == ("too_large", 1, None, 200)


def test_too_large_chunked_without_length(server: LocalServer, session: PoliteSession) -> None:
    def chunked(h: Handler) -> None:
        h.send_response(200)
        h.send_header("Transfer-Encoding", "chunked")
        h.end_headers()
        for _ in range(30):
            h.wfile.write(b"3e8\r\n" + b"y" * 1000 + b"\r\n")
        h.wfile.write(b"0\r\n\r\n")

    server.routes["/chunked"] = chunked
    res = session.get(server.base + "/chunked")
    assert (res.error_kind, res.attempts) == ("too_large", 1)


def test_small_chunked_body_is_read(server: LocalServer, session: PoliteSession) -> None:
    def chunked(h: Handler) -> None:
        h.send_response(200)
        h.send_header("Transfer-Encoding", "chunked")
        h.end_headers()
        h.wfile.write(b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")

    server.routes["/chunked"] = chunked
    assert session.get(server.base + "/chunked").text == "hello world"


def test_gzip_bomb_is_too_large(server: LocalServer, session: PoliteSession) -> None:
    server.static("/bomb", gzip.compress(b"a" * 200_000), headers={"Content-Encoding": "gzip"})
    assert session.get(server.base + "/bomb").error_kind == "too_large"


def test_truncated_body(server: LocalServer) -> None:
    def cut(h: Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Length", "1000")
        h.end_headers()
        h.wfile.write(b"z" * 100)
        h.close_connection = True

    server.routes["/cut"] = cut
    with PoliteSession(make_settings(max_retries=1)) as s:
        res = s.get(server.base + "/cut")
    assert (res.error_kind, res.attempts) == ("truncated", 2)
    assert count(server, "/cut") == 2


def test_gzip_body_is_decompressed(server: LocalServer, session: PoliteSession) -> None:
    html = f"<html><body>{VI}</body></html>".encode()
    server.static("/gz", gzip.compress(html), headers={"Content-Encoding": "gzip"})
    res = session.get(server.base + "/gz")
    assert res.ok and res.content == html and VI in (res.text or "")
    assert "gzip" in server.log[-1].headers.get("Accept-Encoding", "")


# --- redirects and address checks ---

def test_redirect_chain(server: LocalServer, session: PoliteSession) -> None:
    server.static("/r1", status=302, headers={"Location": "/r2"})
    server.static("/r2", status=301, headers={"Location": server.base + "/r3#frag"})
    server.static("/r3", "final")
    res = session.get(server.base + "/r1")
    assert res.ok and res.text == "final" and res.attempts == 3
    assert res.final_url == server.base + "/r3"
    assert res.redirects == [server.base + "/r1", server.base + "/r2"]


def test_redirect_loop(server: LocalServer, session: PoliteSession) -> None:
    server.static("/la", status=302, headers={"Location": "/lb"})
    server.static("/lb", status=302, headers={"Location": "/la"})
    res = session.get(server.base + "/la")
    assert res.error_kind == "redirect_loop"
    assert server.paths().count("/la") == 1 and server.paths().count("/lb") == 1


def test_too_many_redirects(server: LocalServer) -> None:
    for n in range(10):
        server.static(f"/hop{n}", status=302, headers={"Location": f"/hop{n + 1}"})
    with PoliteSession(make_settings(max_redirects=3)) as s:
        res = s.get(server.base + "/hop0")
    assert res.error_kind == "redirect_loop" and "more than 3" in (res.error or "")
    assert [p for p in server.paths() if p.startswith("/hop")] == [f"/hop{n}" for n in range(4)]


def test_redirect_to_private_address_is_refused_without_connecting(
    server: LocalServer, session: PoliteSession, connects: list[object]
) -> None:
    server.static("/to-private", status=302, headers={"Location": "http://10.0.0.1/admin"})
    res = session.get(server.base + "/to-private")
    assert res.error_kind == "blocked_address"
    assert res.final_url == "http://10.0.0.1/admin"
    assert res.redirects == [server.base + "/to-private"]
    assert connects  # the hook did see the allowed connections to 127.0.0.1
    assert not [a for a in connects if isinstance(a, tuple) and str(a[0]).startswith("10.")]


def test_redirect_to_file_scheme_is_refused(server: LocalServer, session: PoliteSession) -> None:
    server.static("/to-file", status=302, headers={"Location": "file:///etc/passwd"})
    res = session.get(server.base + "/to-file")
    assert (res.error_kind, res.final_url) == ("bad_scheme", "file:///etc/passwd")


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/x",
                                 "javascript:alert(1)", "http://[::1", "/relative/path"])
def test_bad_scheme(session: PoliteSession, connects: list[object], url: str) -> None:
    res = session.get(url)
    assert (res.error_kind, res.attempts) == ("bad_scheme", 0)
    assert connects == []


@pytest.mark.parametrize("url", ["http://0.0.0.0/", "http://169.254.169.254/latest",
                                 "http://[::1]:9/", "http://224.0.0.1/", "http://100.64.0.1/",
                                 "http://192.168.1.1/", "http://[::ffff:10.0.0.1]/"])
def test_non_public_literals_are_blocked(session: PoliteSession, connects: list[object],
                                         url: str) -> None:
    assert session.get(url).error_kind == "blocked_address"
    assert connects == []


def test_loopback_blocked_unless_allow_listed(server: LocalServer) -> None:
    server.static("/x", "x")
    with PoliteSession(make_settings(allow_addresses="")) as s:
        assert s.get(server.base + "/x").error_kind == "blocked_address"
    assert server.paths() == []  # not even robots.txt
    with PoliteSession(make_settings(allow_addresses="10.1.0.0/16, 127.0.0.0/8")) as s:
        assert s.get(server.base + "/x").ok


# --- conditional GET, charsets ---

def test_conditional_get(server: LocalServer, session: PoliteSession) -> None:
    stamp = "Fri, 05 Jul 2024 04:19:00 GMT"

    def page(h: Handler) -> None:
        if h.headers.get("If-None-Match") == '"v1"' or h.headers.get("If-Modified-Since") == stamp:
            h.reply(304, b"", {"ETag": '"v1"'})
        else:
            h.reply(200, b"page", {"ETag": '"v1"', "Last-Modified": stamp})

    server.routes["/page"] = page
    first = session.get(server.base + "/page")
    assert first.ok and first.headers["etag"] == '"v1"' and not first.not_modified
    for kwargs in ({"etag": '"v1"'}, {"last_modified": stamp}):
        res = session.get(server.base + "/page", **kwargs)
        assert res.ok and res.not_modified and res.status == 304
        assert res.content is None and res.text is None


def test_wrong_latin1_header_with_utf8_body(server: LocalServer,
                                            session: PoliteSession) -> None:
    with_meta = f'<html><head><meta charset="utf-8"></head><body>{VI}</body></html>'
    server.static("/meta", with_meta, headers={"Content-Type": "text/html; charset=ISO-8859-1"})
    server.static("/nometa", VI, headers={"Content-Type": "text/html; charset=iso-8859-1"})
    for path in ("/meta", "/nometa"):
        res = session.get(server.base + path)
        assert res.encoding == "utf-8" and VI in (res.text or ""), path


def test_cp1258_page_with_meta_only(server: LocalServer, session: PoliteSession) -> None:
    head = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1258">'
    body = to_cp1258(f"{head}</head><body><p>{VI}</p></body></html>")
    assert body.decode("cp1258") != f"{head}</head><body><p>{VI}</p></body></html>"  # NFD
    server.static("/legacy", body, headers={"Content-Type": "text/html"})
    res = session.get(server.base + "/legacy")
    assert res.ok and res.encoding == "cp1258"
    assert f"<p>{VI}</p>" in (res.text or "")
    assert unicodedata.is_normalized("NFC", res.text or "")


def test_undecodable_body(server: LocalServer, session: PoliteSession) -> None:
    server.static("/binary", bytes(range(256)) * 8)
    res = session.get(server.base + "/binary")
    assert res.error_kind == "decode" and res.status == 200 and res.content is not None


def test_binary_content_type_is_not_decoded(server: LocalServer,
                                            session: PoliteSession) -> None:
    server.static("/img", bytes(range(256)), headers={"Content-Type": "image/png"})
    res = session.get(server.base + "/img")
    assert res.ok and res.content == bytes(range(256)) and res.text is None


@pytest.mark.parametrize(("body", "ctype", "text", "encoding"), [
    (VI.encode(), "text/html; charset=utf-8", VI, "utf-8"),
    (VI.encode(), "text/html; charset=us-ascii", VI, "utf-8"),
    (VI.encode(), None, VI, "utf-8"),
    (f'<meta charset="iso-8859-1">{VI}'.encode(), "text/html", f'<meta charset="iso-8859-1">{VI}',
     "utf-8"),
    (to_cp1258(VI), "text/html; charset=iso-8859-1", VI, "cp1258"),
    (to_cp1258(VI), "text/html; charset=windows-1258", VI, "cp1258"),
    ("café crème brûlée".encode("latin-1"), "text/plain; charset=iso-8859-1",
     "café crème brûlée", None),
    (b"\xef\xbb\xbf" + VI.encode(), "text/html; charset=iso-8859-1", VI, "utf-8-sig"),
    (f'<?xml version="1.0" encoding="windows-1258"?><rss>{VI}</rss>'.encode()
     .replace(VI.encode(), to_cp1258(VI)), "application/xml",
     f'<?xml version="1.0" encoding="windows-1258"?><rss>{VI}</rss>', "cp1258"),
])
def test_decode_text(body: bytes, ctype: str | None, text: str, encoding: str | None) -> None:
    got, codec = decode_text(body, ctype)
    assert got == text
    assert encoding is None or codec == encoding


def test_decode_text_gives_up() -> None:
    with pytest.raises(UnicodeError):
        decode_text(bytes(range(256)) * 4, "text/html; charset=utf-8")


def test_parse_retry_after() -> None:
    now = datetime(2024, 7, 5, 4, 19, tzinfo=UTC)
    assert parse_retry_after("120", now) == 120.0
    assert parse_retry_after(format_datetime(now + timedelta(seconds=30), usegmt=True), now) == 30
    assert parse_retry_after(format_datetime(now - timedelta(hours=1), usegmt=True), now) == 0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None


# --- mirrors, User-Agent ---

def test_mirror_maps_hosts_both_ways(server: LocalServer, session: PoliteSession) -> None:
    server.static("/slug-1234.htm", VI)
    server.static("/old-1234.htm", status=301, headers={"Location": "/slug-1234.htm"})
    server.static("/abs-1234.htm", status=302,
                  headers={"Location": server.base + "/slug-1234.htm"})
    server.static("/real-1234.htm", status=302,
                  headers={"Location": "https://baothanhhoa.vn/slug-1234.htm"})
    with PoliteSession(make_settings(), mirrors={"baothanhhoa.vn": server.base}) as s:
        for start in ("old", "abs", "real"):
            res = s.get(f"https://baothanhhoa.vn/{start}-1234.htm")
            assert res.ok and res.text == VI, start
            assert res.url == f"https://baothanhhoa.vn/{start}-1234.htm"
            assert res.final_url == "https://baothanhhoa.vn/slug-1234.htm"
            assert res.redirects == [res.url]
        assert s.get("https://baothanhhoa.vn/noi-bo-99.htm").error_kind == "robots"
    assert count(server, "/robots.txt") == 1
    assert "/noi-bo-99.htm" not in server.paths()
    assert {seen.headers["Host"] for seen in server.log} == {server.netloc}


def test_mirror_with_path_prefix(server: LocalServer, session: PoliteSession) -> None:
    server.static("/site/robots.txt", "User-agent: *\nDisallow: /admin/\n")
    server.static("/site/new-1234.htm", "moved here")
    server.static("/site/old-1234.htm", status=301,
                  headers={"Location": server.base + "/site/new-1234.htm?a=1"})
    with PoliteSession(make_settings(), mirrors={"baophutho.vn": server.base + "/site/"}) as s:
        res = s.get("https://baophutho.vn/old-1234.htm")
        assert s.get("https://baophutho.vn/admin/x").error_kind == "robots"
    assert res.ok and res.text == "moved here"
    assert res.final_url == "https://baophutho.vn/new-1234.htm?a=1"
    assert server.paths() == ["/site/robots.txt", "/site/old-1234.htm", "/site/new-1234.htm?a=1"]


def test_user_agent_names_contact_url(server: LocalServer) -> None:
    server.static("/ua", "ok")
    settings = make_settings(contact_url="https://example.org/provnews-contact")
    with PoliteSession(settings) as s:
        assert s.get(server.base + "/ua").ok
    agents = {seen.headers["User-Agent"] for seen in server.log}
    assert agents == {settings.effective_user_agent()}
    assert "https://example.org/provnews-contact" in agents.pop()


def test_result_ok_reflects_error_kind() -> None:
    assert FetchResult(url="u", final_url="u").ok
    assert not FetchResult(url="u", final_url="u", error_kind="timeout").ok
