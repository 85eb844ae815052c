"""PoliteSession: the one way provnews talks to a site, composed of one part per concern.

:mod:`~scrapers.http.guard` checks each hop (schemes, addresses, mirrors, redirect limits),
:mod:`~scrapers.http.robots` obeys robots.txt, :mod:`~scrapers.http.pacing` paces hosts,
:mod:`~scrapers.http.retry` retries, :mod:`~scrapers.http.transport` streams the body and
:mod:`~scrapers.http.decoding` decodes it. ``get()`` never raises for network or HTTP
problems: the result carries an ``error_kind``. Response header names are lower-cased.

Reads ``decode_error_tolerance`` and ``decode_error_min_bytes`` (and, through its parts,
the settings each of them names).
"""

from __future__ import annotations

import logging
import time
from functools import partial
from urllib.parse import urlsplit

from scrapers.http.decoding import Tolerance, decode_text, is_textual
from scrapers.http.guard import Guard
from scrapers.http.pacing import Pacer
from scrapers.http.result import FetchError, FetchResult, Response
from scrapers.http.retry import RetryPolicy
from scrapers.http.robots import Robots
from scrapers.http.transport import Transport
from scrapers.outcomes import ErrorKind
from scrapers.settings import Settings, get_settings

log = logging.getLogger("scrapers.http")

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


class PoliteSession:
    """Share one session between the threads of a process: pacing and robots are kept here.

    ``mirrors`` ({"baothanhhoa.vn": "http://127.0.0.1:8765"}) sends a host's requests,
    robots.txt included, to a replica; results, redirects and pacing still name the real
    host. ``pacer`` shares pacing with other sessions; by default the session has its own.
    """

    def __init__(self, settings: Settings | None = None, *,
                 mirrors: dict[str, str] | None = None, pacer: Pacer | None = None) -> None:
        self.settings = settings or get_settings()
        self.user_agent = self.settings.effective_user_agent()
        self._guard = Guard(self.settings, mirrors)
        self._pacer = pacer or Pacer(self.settings)
        self._retry = RetryPolicy(self.settings)
        self._transport = Transport(self.settings, self.user_agent)
        self._robots = Robots(self.settings, self.user_agent,
                              lambda url: self._fetch(url, {}, check_robots=False))
        self._tolerance = Tolerance(self.settings.decode_error_tolerance,
                                    self.settings.decode_error_min_bytes)

    def __enter__(self) -> PoliteSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._transport.close()

    def set_min_delay(self, host: str, seconds: float) -> None:
        self._pacer.set_min_delay(host, seconds)

    def delay_for(self, host: str) -> float:
        """Seconds between requests to ``host``: its own or default delay, or Crawl-delay."""
        return max(self._pacer.min_delay(host), self._robots.crawl_delay(host))

    def get(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._fetch(url, headers, check_robots=True)

    def _fetch(self, url: str, headers: dict[str, str], *, check_robots: bool) -> FetchResult:
        """One URL, redirects included; every failure ends up in the result."""
        result = FetchResult(url=url, final_url=url)
        try:
            response = self._follow(url, headers, result, check_robots)
            _conclude(result, response, self._tolerance)
        except FetchError as exc:
            result.error_kind, result.error = exc.kind, str(exc)
            result.status = exc.status or result.status
        if result.error_kind:
            # robots.txt outcomes are reported by Robots; robots refusals are routine
            level = (logging.DEBUG if not check_robots else
                     logging.INFO if result.error_kind is ErrorKind.ROBOTS else logging.WARNING)
            log.log(level, "GET %s failed after %d attempt(s): %s: %s",
                    url, result.attempts, result.error_kind, result.error)
        return result

    def _follow(self, current: str, headers: dict[str, str], result: FetchResult,
                check_robots: bool) -> Response:
        while True:
            result.final_url, result.status, result.headers = current, None, {}
            target, addresses = self._guard.resolve(current)
            if check_robots:
                self._robots.check(current)
            host = (urlsplit(current).hostname or "").lower()
            response = self._retry.run(
                partial(self._attempt, host, target, addresses, headers, result), current)
            result.status, result.headers = response.status, response.headers
            location = response.headers.get("location")
            if response.status not in REDIRECT_STATUSES or not location:
                return response
            result.redirects.append(current)
            current = self._guard.next_hop(location, target, result.redirects)

    def _attempt(self, host: str, target: str, addresses: tuple[str, ...], headers: dict[str, str],
                 result: FetchResult) -> Response:
        """One paced request; pacing and backoff waits are not counted as elapsed."""
        result.attempts += 1
        with self._pacer.turn(host, lambda: self.delay_for(host)) as turn:
            started = time.monotonic()
            try:
                response = self._transport.send(target, headers, addresses)
            finally:
                result.elapsed_ms += int((time.monotonic() - started) * 1000)
            turn.pause = self._retry.retry_after(response) or 0.0
            return response


def _conclude(result: FetchResult, response: Response, tolerance: Tolerance) -> None:
    """Turn the last hop's answer into the result: not modified, an error, or a body."""
    status = response.status
    if status == 304:
        result.not_modified = True
    elif 300 <= status < 400:
        raise FetchError(ErrorKind.REDIRECT_LOOP, f"HTTP {status} without a usable Location")
    elif status >= 400:
        kind = ErrorKind.HTTP_4XX if status < 500 else ErrorKind.HTTP_5XX
        raise FetchError(kind, f"HTTP {status}", status=status)
    else:
        result.content = response.body
        ctype = response.headers.get("content-type")
        if response.body is not None and is_textual(ctype):
            try:
                result.text, result.encoding, result.decode_errors = decode_text(
                    response.body, ctype, tolerance)
            except UnicodeError as exc:
                raise FetchError(ErrorKind.DECODE, str(exc)) from None
            if result.decode_errors:
                log.info("GET %s: %d byte(s) not %s, replaced", result.url,
                         result.decode_errors, result.encoding)
