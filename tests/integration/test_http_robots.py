"""robots.txt through PoliteSession, against a real server on 127.0.0.1 (its log is the record)."""

from __future__ import annotations

import socket

from scrapers.http import PoliteSession
from tests.httpserver import ROBOTS, LocalServer, count, make_settings, sequence
from tests.httpserver import server as server  # fixture
from tests.httpserver import session as session  # fixture


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
        # the site's failure, retried by a later run: not a (final) robots refusal
        assert res.error_kind == "http_5xx" and "unavailable" in (res.error or "")
        assert count(server, "/robots.txt") == 2  # retried once, then gave up
        assert s.get(server.base + "/page").error_kind == "http_5xx"
        assert count(server, "/robots.txt") == 2  # within the pause: not asked again
    assert "/page" not in server.paths()
    with PoliteSession(make_settings(max_retries=0, robots_retry_seconds=0.0)) as s:
        assert s.get(server.base + "/page").error_kind == "http_5xx"
        server.static("/robots.txt", ROBOTS, headers={"Content-Type": "text/plain"})
        assert s.get(server.base + "/page").ok  # pause over: asked again, not stuck
    assert count(server, "/page") == 1


def test_unreachable_robots_is_conservative(session: PoliteSession) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nothing listens there
    res = session.get(f"http://127.0.0.1:{port}/x")
    assert res.error_kind == "connection" and "robots.txt unavailable" in (res.error or "")


def test_robots_is_read_again_after_its_ttl(server: LocalServer) -> None:
    server.static("/page", "ok")
    with PoliteSession(make_settings(robots_ttl=3600.0)) as s:
        assert s.get(server.base + "/page").ok and s.get(server.base + "/page").ok
    assert count(server, "/robots.txt") == 1
    with PoliteSession(make_settings(robots_ttl=0.0)) as s:
        server.static("/robots.txt", "User-agent: *\nDisallow: /page\n")
        assert s.get(server.base + "/page").error_kind == "robots"
        server.static("/robots.txt", "")
        assert s.get(server.base + "/page").ok
    assert count(server, "/robots.txt") == 3


def test_unreadable_robots_keeps_the_copy_read_earlier(server: LocalServer) -> None:
    server.static("/page", "ok")
    with PoliteSession(make_settings(robots_ttl=0.0, max_retries=0)) as s:
        assert s.get(server.base + "/admin/x").error_kind == "robots"
        server.routes["/robots.txt"] = sequence((500, {}))
        assert s.get(server.base + "/page").ok
        assert s.get(server.base + "/admin/x").error == "disallowed by robots.txt"
    assert count(server, "/robots.txt") == 2  # the failure pauses re-reading
