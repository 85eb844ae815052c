"""One request on the wire: send, stream the body under a size cap and a total deadline.

The deadline (``response_deadline``) runs from the start of the request: connect and the
wait for the headers are each capped at it, and while the body streams every read waits at
most for what is left of it, so a server trickling a byte a second cannot hold a fetch
longer. (A server trickling its *headers* is bounded by the read timeout per byte only.)
Past the deadline the exchange fails with a retryable ``timeout`` and keeps no body.

Proxy variables from the environment are ignored: a proxy would hide the real address.

The connection goes to the address the guard checked (``send(..., address=)``), never to
a fresh DNS answer: the URL is sent to that IP with the name in the Host header, and for
https the name is the TLS SNI and the name the certificate must match.

Reads ``connect_timeout``, ``read_timeout``, ``response_deadline``, ``max_body_bytes`` and
``global_concurrency`` (connection pool size).
"""

from __future__ import annotations

import ipaddress
import logging
import time
from typing import Any
from urllib.parse import urlsplit, urlunsplit

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


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def pin(target: str, address: str | None) -> tuple[str, dict[str, str]]:
    """``target`` aimed at ``address`` (the checked IP), and the Host header naming the
    host; unchanged when there is no address or the URL already names an IP."""
    parts = urlsplit(target)
    host = parts.hostname or ""
    if not address or _is_ip(host):
        return target, {}
    ip = address.split("%")[0]
    netloc = f"[{ip}]" if ":" in ip else ip
    if parts.port is not None:
        netloc += f":{parts.port}"
    hostport = host if parts.port is None else f"{host}:{parts.port}"
    return urlunsplit(parts._replace(netloc=netloc)), {"Host": hostport}


def _not_connected(exc: BaseException) -> bool:
    """Whether the connection itself failed (refused, unreachable), so nothing was sent."""
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(reason, urllib3.exceptions.NewConnectionError)


class _PinnedAdapter(requests.adapters.HTTPAdapter):
    """For a URL aimed at an IP with a Host header naming the site, TLS speaks to the name:
    SNI and certificate check use it (and connection pools are keyed by it too)."""

    def build_connection_pool_key_attributes(self, request: requests.PreparedRequest,
                                             verify: Any, cert: Any = None
                                             ) -> tuple[dict[str, Any], dict[str, Any]]:
        host_params, pool_kwargs = super().build_connection_pool_key_attributes(
            request, verify, cert)
        name = (request.headers.get("Host") or "").rsplit(":", 1)[0].strip("[]")
        if host_params.get("scheme") == "https" and name and not _is_ip(name) \
                and _is_ip(host_params.get("host", "").strip("[]")):
            pool_kwargs["server_hostname"] = name
            pool_kwargs["assert_hostname"] = name
        return host_params, pool_kwargs


class Transport:
    def __init__(self, settings: Settings, user_agent: str) -> None:
        self._settings = settings
        self._session = requests.Session()
        self._session.trust_env = False
        self._session.headers["User-Agent"] = user_agent
        adapter = _PinnedAdapter(
            pool_maxsize=max(10, settings.global_concurrency), max_retries=0)
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)

    def close(self) -> None:
        self._session.close()

    def send(self, target: str, headers: dict[str, str], addresses: tuple[str, ...] = ()
             ) -> Response:
        """GET ``target`` without following redirects; the body is read for 2xx only.

        ``addresses``: the IPs the guard checked; the connection goes to the first that
        accepts it, whatever DNS answers now (none given: requests resolves the host).
        """
        s = self._settings
        deadline = _Deadline(s.response_deadline)
        for n, address in enumerate(addresses or (None,)):
            url, host_header = pin(target, address)
            log.debug("GET %s (at %s)", target, address or "-")
            try:
                resp = self._session.get(
                    url, headers={**headers, **host_header}, stream=True,
                    allow_redirects=False,
                    timeout=(deadline.cap(s.connect_timeout), deadline.cap(s.read_timeout)))
                break
            except TRANSPORT_ERRORS as exc:
                if n + 1 < len(addresses) and _not_connected(exc) and not deadline.passed():
                    continue  # the next checked address of the host
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
