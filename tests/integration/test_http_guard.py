"""Hops through PoliteSession: redirects, refused schemes and addresses, mirrors.

The connection audit hook proves refused hops were refused before any connection.
"""

from __future__ import annotations

import pytest

from scrapers.http import PoliteSession
from tests.httpserver import VI, LocalServer, count, make_settings
from tests.httpserver import connects as connects  # fixture
from tests.httpserver import server as server  # fixture
from tests.httpserver import session as session  # fixture


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


def test_redirect_without_location_is_an_error(server: LocalServer,
                                               session: PoliteSession) -> None:
    server.static("/nowhere", status=302)
    res = session.get(server.base + "/nowhere")
    assert (res.error_kind, res.status, res.redirects) == ("redirect_loop", 302, [])


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
