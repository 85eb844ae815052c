"""Retries through PoliteSession: statuses, dropped connections, timeouts, counted by the server."""

from __future__ import annotations

import time

from scrapers.http import PoliteSession
from tests.httpserver import Handler, LocalServer, count, make_settings, sequence, short_body
from tests.httpserver import server as server  # fixture
from tests.httpserver import session as session  # fixture


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


def test_read_timeout(server: LocalServer) -> None:
    def sleepy(h: Handler) -> None:
        time.sleep(0.6)
        h.reply(200, b"late")

    server.routes["/sleepy"] = sleepy
    with PoliteSession(make_settings(read_timeout=0.2, max_retries=1)) as s:
        res = s.get(server.base + "/sleepy")
    assert (res.error_kind, res.attempts) == ("timeout", 2)


def test_timeout_while_reading_body(server: LocalServer) -> None:
    server.routes["/drip"] = short_body(100, b"x" * 10, stall=0.6)
    with PoliteSession(make_settings(read_timeout=0.2, max_retries=0)) as s:
        res = s.get(server.base + "/drip")
    assert (res.error_kind, res.attempts) == ("timeout", 1)
