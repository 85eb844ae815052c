"""One request on the wire: send, stream the body under a size cap and a total deadline.

The deadline (``response_deadline``) runs from the start of the request: connect and the
wait for the headers are each capped at it, and while the body streams every read waits at
most for what is left of it, so a server trickling a byte a second cannot hold a fetch
longer. (A server trickling its *headers* is bounded by the read timeout per byte only.)
Past the deadline the exchange fails with a retryable ``timeout`` and keeps no body.

Proxy variables from the environment are ignored: a proxy would hide the real address.

Reads ``connect_timeout``, ``read_timeout``, ``response_deadline``, ``max_body_bytes`` and
``global_concurrency`` (connection pool size).
"""

from __future__ import annotations

import logging
import time

import requests
import urllib3

from scrapers.http.result import FetchError, Response
from scrapers.http.retry import TRANSPORT_ERRORS, classify
from scrapers.outcomes import ErrorKind
from scrapers.settings import Settings

log = logging.getLogger(__name__)

_CHUNK = 64 * 1024


class _Deadline:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._at = time.monotonic() + seconds

    def cap(self, timeout: float) -> float:
        """``timeout``, shortened to what is left (never 0, which would mean non-blocking)."""
        return max(min(timeout, self._at - time.monotonic()), 0.001)

    def passed(self) -> bool:
        return time.monotonic() >= self._at

    def error(self) -> FetchError:
        return FetchError(ErrorKind.TIMEOUT, f"response not complete within the "
                          f"{self.seconds:g} s deadline", retryable=True)


class Transport:
    def __init__(self, settings: Settings, user_agent: str) -> None:
        self._settings = settings
        self._session = requests.Session()
        self._session.trust_env = False
        self._session.headers["User-Agent"] = user_agent
        adapter = requests.adapters.HTTPAdapter(
            pool_maxsize=max(10, settings.global_concurrency), max_retries=0)
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)

    def close(self) -> None:
        self._session.close()

    def send(self, target: str, headers: dict[str, str]) -> Response:
        """GET ``target`` without following redirects; the body is read for 2xx only."""
        s = self._settings
        deadline = _Deadline(s.response_deadline)
        log.debug("GET %s", target)
        try:
            resp = self._session.get(
                target, headers=headers, stream=True, allow_redirects=False,
                timeout=(deadline.cap(s.connect_timeout), deadline.cap(s.read_timeout)))
        except TRANSPORT_ERRORS as exc:
            raise (deadline.error() if deadline.passed() else classify(exc)) from None
        with resp:
            names = {k.lower(): v for k, v in resp.headers.items()}
            body = None
            if 200 <= resp.status_code < 300:
                try:
                    body = self._read_body(resp.raw, names, deadline)
                except FetchError as exc:
                    exc.status = resp.status_code
                    raise
            return Response(resp.status_code, names, body)

    def _read_body(self, raw: urllib3.HTTPResponse, headers: dict[str, str],
                   deadline: _Deadline) -> bytes:
        limit = self._settings.max_body_bytes
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise FetchError(ErrorKind.TOO_LARGE, f"Content-Length {declared} > {limit} bytes")
        body = bytearray()
        try:
            while True:
                if deadline.passed():
                    raise deadline.error()
                if raw.connection is not None and raw.connection.sock is not None:
                    raw.connection.sock.settimeout(deadline.cap(self._settings.read_timeout))
                chunk = raw.read1(_CHUNK, decode_content=True)  # returns what one read gives
                if not chunk:
                    return bytes(body)
                body += chunk
                if len(body) > limit:
                    raise FetchError(ErrorKind.TOO_LARGE, f"body exceeds {limit} bytes")
        except TRANSPORT_ERRORS as exc:
            raise (deadline.error() if deadline.passed() else classify(exc)) from None
