"""Pacing through PoliteSession: gaps and caps as the server on 127.0.0.1 saw them."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from itertools import pairwise

from scrapers.http import Pacer, PoliteSession
from tests.httpserver import Handler, LocalServer, count, make_settings, sequence
from tests.httpserver import server as server  # fixture
from tests.httpserver import session as session  # fixture


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


class InFlight:
    """A route that answers after ``seconds``, recording the most requests it held at once."""

    def __init__(self, seconds: float) -> None:
        self.seconds, self.now, self.max = seconds, 0, 0
        self._lock = threading.Lock()

    def __call__(self, h: Handler) -> None:
        with self._lock:
            self.now += 1
            self.max = max(self.max, self.now)
        time.sleep(self.seconds)
        with self._lock:
            self.now -= 1
        h.reply(200, b"ok")


def test_one_request_in_flight_per_host(server: LocalServer) -> None:
    server.routes["/slow"] = slow = InFlight(0.05)
    with PoliteSession(make_settings(default_min_delay=0.0)) as s, ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: s.get(server.base + "/slow"), range(8)))
    assert all(r.ok for r in results) and count(server, "/slow") == 8
    assert slow.max == 1


def test_crawl_delay_wins_over_smaller_min_delay(server: LocalServer,
                                                 session: PoliteSession) -> None:
    server.static("/robots.txt", "User-agent: *\nCrawl-delay: 0.15\n")
    server.static("/p", "ok")
    assert all(session.get(server.base + "/p").ok for _ in range(3))
    assert session.delay_for("127.0.0.1") == 0.15
    pages = [seen.at for seen in server.log if seen.path == "/p"]
    assert min(b - a for a, b in pairwise(pages)) >= 0.15


def test_global_concurrency_cap(server: LocalServer) -> None:
    server.routes["/slow"] = slow = InFlight(0.1)
    hosts = ["a.example", "b.example", "c.example"]
    mirrors = {h: server.base for h in hosts}
    with PoliteSession(make_settings(global_concurrency=2), mirrors=mirrors) as s, \
            ThreadPoolExecutor(6) as pool:
        results = list(pool.map(lambda h: s.get(f"https://{h}/slow"), hosts * 2))
    assert all(r.ok for r in results)
    assert count(server, "/slow") == 6
    assert slow.max <= 2


def test_retry_after_pauses_the_host_for_every_thread(server: LocalServer) -> None:
    told = threading.Event()
    busy = sequence((429, {"Retry-After": "5"}), (200, {}))

    def once_busy(h: Handler) -> None:
        busy(h)
        told.set()

    server.routes["/busy"] = once_busy
    server.static("/other", "ok")
    with PoliteSession(make_settings()) as s, ThreadPoolExecutor(2) as pool:
        assert s.get(server.base + "/other").ok  # robots.txt read before the race
        first = pool.submit(s.get, server.base + "/busy")
        assert told.wait(5)
        second = pool.submit(s.get, server.base + "/other")
        assert first.result().ok and second.result().ok
    told_at = next(seen.at for seen in server.log if seen.path == "/busy")
    later = [seen.at for seen in server.log if seen.at > told_at]
    assert len(later) == 2  # the retry and the other thread's page
    assert min(later) - told_at >= 0.3  # Retry-After (capped at 0.3) held both back


def test_sessions_sharing_a_pacer_pace_together(server: LocalServer) -> None:
    server.static("/p", "ok")
    settings = make_settings(default_min_delay=0.05)
    pacer = Pacer(settings)
    with PoliteSession(settings, pacer=pacer) as a, PoliteSession(settings, pacer=pacer) as b, \
            ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda s: s.get(server.base + "/p"), [a, b] * 4))
    assert all(r.ok for r in results)
    times = sorted(seen.at for seen in server.log)  # two robots.txt reads, eight pages
    assert len(times) == 10
    assert min(b - a for a, b in pairwise(times)) >= 0.05
