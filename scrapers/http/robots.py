"""robots.txt per origin (Protego): read once, cached, and obeyed before any other request.

* 2xx: its rules apply; 4xx (but 429) means "no rules" (allow all).
* 5xx, 429 or a network failure means "disallow for now": pages of that origin fail with
  the error robots.txt gave (``http_5xx``, ``timeout``, ...: retried by later runs, unlike
  a ``robots`` refusal, which is final) and robots.txt is asked again after
  ``robots_retry_seconds``. A copy read earlier keeps being used meanwhile.
* A good copy is read again after ``robots_ttl``.

Reads ``robots_ttl`` and ``robots_retry_seconds``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from protego import Protego

from scrapers.http.result import FetchError, FetchResult
from scrapers.outcomes import ErrorKind
from scrapers.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class _Entry:
    parser: Protego | None  # None: no rules (robots.txt missing)
    unavailable: str | None  # reason when robots.txt could not be read: disallow all
    expires: float
    unavailable_kind: ErrorKind | None = None  # how its request failed (5xx, timeout, ...)


class Robots:
    """The robots.txt policy of every origin a session talks to.

    ``fetch`` reads a robots.txt URL (paced, retried, never robots-checked itself).
    """

    def __init__(self, settings: Settings, user_agent: str,
                 fetch: Callable[[str], FetchResult]) -> None:
        self._ttl = settings.robots_ttl
        self._retry = settings.robots_retry_seconds
        self._agent = user_agent
        self._fetch = fetch
        self._entries: dict[str, _Entry] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def check(self, url: str) -> None:
        """Raise a ``robots`` FetchError unless robots.txt lets ``url`` be fetched."""
        parts = urlsplit(url)
        entry = self._entry(f"{parts.scheme.lower()}://{parts.netloc.lower()}")
        if entry.unavailable:
            # not a refusal but a failure of the site: the URL is retried by a later run,
            # under the kind of error robots.txt gave (a robots kind would close it for good)
            raise FetchError(entry.unavailable_kind or ErrorKind.CONNECTION,
                             f"robots.txt unavailable ({entry.unavailable})")
        if entry.parser is not None and not entry.parser.can_fetch(url, self._agent):
            raise FetchError(ErrorKind.ROBOTS, "disallowed by robots.txt")

    def crawl_delay(self, host: str) -> float:
        """The largest Crawl-delay the host's robots.txt files ask of us, 0 when none."""
        with self._lock:
            return max([e.parser.crawl_delay(self._agent) or 0.0
                        for origin, e in self._entries.items()
                        if e.parser is not None and urlsplit(origin).hostname == host.lower()],
                       default=0.0)

    def _entry(self, origin: str) -> _Entry:
        with self._lock:
            lock = self._locks.setdefault(origin, threading.Lock())
        with lock:  # one robots.txt request per origin, however many threads ask
            with self._lock:
                cached = self._entries.get(origin)
            if cached is not None and cached.expires > time.monotonic():
                return cached
            fresh = self._read(origin, cached)
            with self._lock:
                self._entries[origin] = fresh
            return fresh

    def _read(self, origin: str, previous: _Entry | None) -> _Entry:
        res = self._fetch(origin + "/robots.txt")
        now = time.monotonic()
        if res.status is not None and 200 <= res.status < 300 and res.content is not None:
            # RFC 9309: robots.txt is UTF-8; undecodable bytes must not block the crawl
            text = res.text if res.text is not None else res.content.decode("utf-8", "replace")
            return _Entry(Protego.parse(text), None, now + self._ttl)
        if res.error_kind is ErrorKind.HTTP_4XX and res.status != 429:
            return _Entry(None, None, now + self._ttl)
        retry_at = now + self._retry
        if previous is not None and previous.unavailable is None:
            log.warning("robots.txt of %s unreadable (%s); keeping the copy read earlier",
                        origin, res.error)
            return _Entry(previous.parser, None, retry_at)
        log.warning("robots.txt of %s unreadable (%s); not crawling it for %.0f s",
                    origin, res.error, self._retry)
        return _Entry(None, f"{res.error_kind}: {res.error}", retry_at,
                      res.error_kind or ErrorKind.CONNECTION)
