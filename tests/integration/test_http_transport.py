"""Bodies on the wire: size caps, chunks, compression, truncation and the response deadline."""

from __future__ import annotations

import gzip
import time

import pytest

from scrapers.http import PoliteSession
from scrapers.outcomes import ErrorKind
from tests.httpserver import VI, Handler, LocalServer, count, make_settings, short_body
from tests.httpserver import server as server  # fixture
from tests.httpserver import session as session  # fixture


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
    server.routes["/cut"] = short_body(1000, b"z" * 100)
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


# --- the response deadline ---

class Trickle:
    """A route sending ``size`` bytes one at a time, ``every`` seconds apart; counts bytes sent."""

    def __init__(self, size: int, every: float, *, chunked: bool = False) -> None:
        self.size, self.every, self.chunked, self.sent = size, every, chunked, 0

    def __call__(self, h: Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/plain; charset=utf-8")
        h.send_header(*(("Transfer-Encoding", "chunked") if self.chunked
                        else ("Content-Length", str(self.size))))
        h.end_headers()
        for _ in range(self.size):
            h.wfile.write(b"1\r\nx\r\n" if self.chunked else b"x")
            h.wfile.flush()
            self.sent += 1
            time.sleep(self.every)
        if self.chunked:
            h.wfile.write(b"0\r\n\r\n")


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_trickling_body_stops_at_the_deadline(server: LocalServer, chunked: bool) -> None:
    """Every byte arrives well within the read timeout; only the deadline can stop it."""
    server.routes["/trickle"] = trickle = Trickle(400, 0.02, chunked=chunked)
    started = time.monotonic()
    with PoliteSession(make_settings(response_deadline=0.3, read_timeout=2.0,
                                     max_retries=1)) as s:
        res = s.get(server.base + "/trickle")
    assert (res.error_kind, res.status, res.attempts) == (ErrorKind.TIMEOUT, 200, 2)
    assert "0.3 s deadline" in (res.error or "")
    assert res.content is None and res.text is None
    assert count(server, "/trickle") == 2  # retried like any timeout
    assert trickle.sent < 2 * 400  # neither attempt was let run to the end
    assert time.monotonic() - started < 8  # safety net only: the trickle lasts 16 s


def test_slow_headers_stop_at_the_deadline(server: LocalServer) -> None:
    def late(h: Handler) -> None:
        time.sleep(1.0)
        h.reply(200, b"late")

    server.routes["/late"] = late
    with PoliteSession(make_settings(response_deadline=0.2, read_timeout=5.0,
                                     max_retries=0)) as s:
        res = s.get(server.base + "/late")
    assert (res.error_kind, res.attempts, res.content) == (ErrorKind.TIMEOUT, 1, None)
    assert "deadline" in (res.error or "")


def test_body_within_the_deadline_is_kept(server: LocalServer) -> None:
    server.routes["/trickle"] = Trickle(5, 0.01)
    with PoliteSession(make_settings(response_deadline=5.0)) as s:
        res = s.get(server.base + "/trickle")
    assert res.ok and res.content == b"xxxxx" and res.attempts == 1
