"""When to try again: error kinds of transport failures, retryable statuses, backoff, Retry-After.

Connection errors, timeouts (the response deadline included), truncated bodies, 429 and
500/502/503/504 are retried with exponential backoff and jitter. A Retry-After (capped) is
applied to the host's pacing gate instead, so every thread on that host waits, not only
the one that was told.

Reads ``max_retries``, ``backoff_base`` and ``retry_after_cap``.
"""

from __future__ import annotations

import email.utils
import logging
import random
import time
from collections.abc import Callable
from datetime import UTC, datetime

import requests
import urllib3

from scrapers.http.result import FetchError, Response
from scrapers.outcomes import ErrorKind
from scrapers.settings import Settings

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# What requests / urllib3 / the socket layer may raise while sending or streaming.
TRANSPORT_ERRORS = (requests.RequestException, urllib3.exceptions.HTTPError, OSError)
_TIMEOUTS = (requests.Timeout, urllib3.exceptions.TimeoutError, TimeoutError)
# Raised while streaming a body that stops early (requests wraps them when it streams).
_CUT_SHORT = (requests.exceptions.ChunkedEncodingError, urllib3.exceptions.ProtocolError,
              urllib3.exceptions.IncompleteRead)
_BAD_ENCODING = (requests.exceptions.ContentDecodingError, urllib3.exceptions.DecodeError)
_TRANSIENT = (urllib3.exceptions.HTTPError, OSError)  # requests errors are OSErrors
_FINAL = (requests.exceptions.SSLError, urllib3.exceptions.SSLError)


def classify(exc: BaseException) -> FetchError:
    """Map a transport exception to an error kind; transient ones are retryable."""
    if isinstance(exc, _TIMEOUTS) or (exc.args and isinstance(exc.args[0], _TIMEOUTS)):
        return FetchError(ErrorKind.TIMEOUT, f"timed out: {exc}", retryable=True)
    if isinstance(exc, _CUT_SHORT):
        return FetchError(ErrorKind.TRUNCATED, f"body cut short: {exc}", retryable=True)
    if isinstance(exc, _BAD_ENCODING):
        return FetchError(ErrorKind.DECODE, f"bad compressed body: {exc}")
    return FetchError(ErrorKind.CONNECTION, f"{type(exc).__name__}: {exc}",
                      retryable=isinstance(exc, _TRANSIENT) and not isinstance(exc, _FINAL))


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class RetryPolicy:
    def __init__(self, settings: Settings) -> None:
        self._retries = settings.max_retries
        self._base = settings.backoff_base
        self._cap = settings.retry_after_cap

    def retry_after(self, response: Response) -> float | None:
        """The capped pause a retryable answer asks for, None when it asks none."""
        if response.status not in RETRY_STATUSES:
            return None
        seconds = parse_retry_after(response.headers.get("retry-after"))
        return None if seconds is None else min(seconds, self._cap)

    def backoff(self, attempt: int) -> float:
        """Seconds before retry ``attempt + 1``: doubling from backoff_base, jittered, capped."""
        base = self._base * 2**attempt
        return min(base * (0.5 + random.random()), self._cap)

    def run(self, attempt: Callable[[], Response], url: str) -> Response:
        """Call ``attempt`` until it gives a final answer or the retries are spent."""
        for n in range(self._retries + 1):
            try:
                response = attempt()
            except FetchError as exc:
                if not exc.retryable or n == self._retries:
                    raise
                reason, paused = f"{exc.kind}: {exc}", None
            else:
                if response.status not in RETRY_STATUSES or n == self._retries:
                    return response
                reason, paused = f"HTTP {response.status}", self.retry_after(response)
            wait = self.backoff(n) if paused is None else 0.0  # a pause is the gate's to keep
            log.info("retry %d/%d of %s in %.2f s after %s", n + 1, self._retries, url,
                     wait if paused is None else paused, reason)
            time.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover
