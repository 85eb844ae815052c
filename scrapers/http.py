"""Polite HTTP: the one way provnews talks to a site.

Every request goes through :class:`PoliteSession`, which

* reads robots.txt per origin (Protego) and never sends a request it disallows;
* paces each host: one request in flight per host, and at least its delay (settings,
  ``set_min_delay`` or a larger robots Crawl-delay) between the end of one exchange and the
  start of the next, so the server sees that gap whatever the latency; retries and robots.txt
  requests are paced too, and a global semaphore caps requests in flight;
* retries connection errors, timeouts, truncated bodies, 429 and 500/502/503/504 with
  exponential backoff and jitter, honouring Retry-After (capped) for every thread on that host;
* follows redirects itself, checking each hop: http(s) only, no private/loopback/link-local/
  reserved/multicast addresses unless allow-listed, robots, loops and a hop limit;
* streams bodies with a size cap and decodes text with a charset rule that survives the wrong
  ``charset=iso-8859-1`` headers common on Vietnamese sites (see :func:`decode_text`).

``get()`` never raises for network or HTTP problems: the result carries an ``error_kind``.

Choices worth knowing:

* robots.txt 4xx means "no rules" (allow all). 5xx, 429 or network failure means "disallow
  for now": pages of that origin fail with error_kind ``robots`` and robots.txt is asked again
  after ``robots_retry_seconds``; a robots.txt read earlier keeps being used meanwhile.
  A good copy is re-read after a day.
* The address check resolves the host before each hop; requests resolves again when it
  connects, so a DNS answer that changes in between is not caught (no IP pinning).
* Proxy variables from the environment are ignored: a proxy would hide the real address.
* Response header names in ``FetchResult.headers`` are lower-cased.
"""

from __future__ import annotations

import codecs
import email.utils
import ipaddress
import logging
import random
import re
import socket
import threading
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit, urlunsplit

import requests
import urllib3
from charset_normalizer import from_bytes
from protego import Protego
from urllib3.exceptions import IncompleteRead

from scrapers.settings import Settings, get_settings

log = logging.getLogger("scrapers.http")

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
SCHEMES = frozenset({"http", "https"})
ROBOTS_TTL = 24 * 3600.0
# Charsets that servers and templates declare by default rather than by knowledge of the page.
WEAK_CHARSETS = frozenset({"iso8859-1", "ascii", "cp1252"})
# Legacy charsets detection may choose once UTF-8 has failed: Vietnamese, then Western.
DETECT_CHARSETS = ("cp1258", "cp1252")
SNIFF_BYTES = 4096
_CHUNK = 64 * 1024
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
_TEXT_TYPES = ("text/", "application/xhtml", "application/xml", "application/rss",
               "application/atom", "application/json", "application/ld+json",
               "application/javascript")


@dataclass
class FetchResult:
    url: str  # requested URL (real host)
    final_url: str  # after redirects, expressed with the REAL host
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)  # names lower-cased
    content: bytes | None = None  # decompressed body
    text: str | None = None  # decoded, NFC-normalised body when textual
    encoding: str | None = None  # Python codec name, e.g. utf-8, cp1258
    elapsed_ms: int = 0  # time on the wire (pacing and backoff waits excluded)
    attempts: int = 0  # requests sent for this URL, retries and redirect hops included
    not_modified: bool = False  # 304 to a conditional GET
    error_kind: str | None = None  # timeout, connection, too_large, http_4xx, http_5xx, robots,
    # redirect_loop, bad_scheme, blocked_address, decode, truncated (status kept if one came)
    error: str | None = None
    redirects: list[str] = field(default_factory=list)  # each URL that answered a redirect

    @property
    def ok(self) -> bool:
        return self.error_kind is None


class FetchError(Exception):
    """One failed step of a fetch; ``retryable`` failures are worth another attempt."""

    def __init__(self, kind: str, message: str, *, retryable: bool = False,
                 status: int | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.retryable = retryable
        self.status = status  # HTTP status of the response that failed, if one arrived


# --- text decoding (pure) -------------------------------------------------------------------

def _codec(label: str | bytes | None) -> str | None:
    """Python's codec name for a charset label, None when unknown."""
    if isinstance(label, bytes):
        label = label.decode("ascii", "ignore")
    if not label:
        return None
    try:
        return codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None


def header_charset(content_type: str | None) -> str | None:
    for param in (content_type or "").split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            return _codec(value)
    return None


def declared_charset(body: bytes) -> str | None:
    """The charset a document declares in its first bytes: <meta> or an XML declaration."""
    head = body[:SNIFF_BYTES]
    match = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    return _codec(match.group(1)) if match else None


def is_textual(content_type: str | None) -> bool:
    """Whether a body should be decoded; a missing Content-Type counts as text."""
    mime = (content_type or "").split(";")[0].strip().lower()
    return not mime or mime.startswith(_TEXT_TYPES) or mime.endswith(("+xml", "+json"))


def decode_text(body: bytes, content_type: str | None) -> tuple[str, str]:
    """Decode a body to NFC text; return (text, codec name). Raise UnicodeError if impossible.

    Candidates are tried in order, each strictly over the whole body:
    a BOM; a specific Content-Type charset; the document's own <meta>/XML declaration;
    UTF-8; charset-normalizer choosing among DETECT_CHARSETS; last, a generic charset.
    A generic charset (ISO-8859-1, US-ASCII, windows-1252), in the header or the <meta>, is
    only a weak default because servers and templates send it unasked, and Vietnamese pages
    labelled so are usually UTF-8 or windows-1258. Detection is limited to the legacy
    charsets these sites use: unrestricted, it names exotic codecs for short texts
    (shift_jis for "Hợp tác xã"), and a 'decode' error is better than silently garbled
    text. NFC matters for windows-1258, which spells tone marks as combining characters.
    """
    for name in _charset_candidates(body, content_type):
        if name is None:
            continue
        try:
            return unicodedata.normalize("NFC", body.decode(name)), name
        except UnicodeDecodeError:
            continue
    raise UnicodeError("no charset decodes the body")


def _charset_candidates(body: bytes, content_type: str | None) -> Iterator[str | None]:
    """Lazily, so detection only runs when the cheap candidates all fail."""
    if body.startswith(codecs.BOM_UTF8):
        yield "utf-8-sig"
    elif body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        yield "utf-16"
    labels = (header_charset(content_type), declared_charset(body))
    yield from (name for name in labels if name not in WEAK_CHARSETS)
    yield "utf-8"
    best = from_bytes(body, cp_isolation=list(DETECT_CHARSETS)).best()
    yield _codec(best.encoding) if best else None
    yield from (name for name in labels if name in WEAK_CHARSETS)


# --- the session -----------------------------------------------------------------------------

class _Gate:
    """Pacing state of one host: held for the whole exchange, so one request at a time."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.next_at = 0.0  # time.monotonic() before which no request may start


@dataclass
class _Robots:
    parser: Protego | None  # None: no rules (robots.txt missing)
    unavailable: str | None  # reason when robots.txt could not be read: disallow all
    expires: float


@dataclass
class _Response:
    status: int
    headers: dict[str, str]
    body: bytes | None


# Gates are per process, not per session: two sessions in one process still share a host's pace.
_GATES: dict[str, _Gate] = {}
_GATES_LOCK = threading.Lock()


def _gate(host: str) -> _Gate:
    with _GATES_LOCK:
        return _GATES.setdefault(host, _Gate())


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


def _is_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


# What requests / urllib3 / the socket layer may raise while sending or streaming.
_TRANSPORT_ERRORS = (requests.RequestException, urllib3.exceptions.HTTPError, OSError)


def _classify(exc: BaseException) -> FetchError:
    """Map a transport exception to an error kind; transient ones are retryable."""
    timeout = (requests.Timeout, urllib3.exceptions.TimeoutError, TimeoutError)
    if isinstance(exc, timeout) or (exc.args and isinstance(exc.args[0], timeout)):
        return FetchError("timeout", f"timed out: {exc}", retryable=True)
    if isinstance(exc, requests.exceptions.ChunkedEncodingError | IncompleteRead):
        return FetchError("truncated", f"body cut short: {exc}", retryable=True)
    if isinstance(exc, requests.exceptions.ContentDecodingError):
        return FetchError("decode", f"bad compressed body: {exc}")
    transient = not isinstance(exc, requests.exceptions.SSLError) and isinstance(
        exc, requests.ConnectionError | urllib3.exceptions.HTTPError | OSError)
    return FetchError("connection", f"{type(exc).__name__}: {exc}", retryable=transient)


class PoliteSession:
    """Share one session between the threads of a process: pacing and robots are kept here.

    ``mirrors`` ({"baothanhhoa.vn": "http://127.0.0.1:8765"}, optionally with a path prefix)
    sends a host's requests, robots.txt included, to a replica; results, redirects and pacing
    still name the real host, and the address check applies to the mirror.
    """

    robots_retry_seconds = 300.0  # how long an unreadable robots.txt blocks its origin

    def __init__(
        self, settings: Settings | None = None, *, mirrors: dict[str, str] | None = None
    ) -> None:
        self.settings = settings or get_settings()
        self.user_agent = self.settings.effective_user_agent()
        self._mirrors = {h.lower(): urlsplit(m) for h, m in (mirrors or {}).items()}
        self._allowed = [ipaddress.ip_network(a, strict=False)
                         for a in self.settings.allowed_networks()]
        self._slots = threading.BoundedSemaphore(self.settings.global_concurrency)
        self._delays: dict[str, float] = {}
        self._robots: dict[str, _Robots] = {}
        self._robots_locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()
        self._session = requests.Session()
        self._session.trust_env = False
        self._session.headers["User-Agent"] = self.user_agent
        adapter = requests.adapters.HTTPAdapter(
            pool_maxsize=max(10, self.settings.global_concurrency), max_retries=0)
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)

    def __enter__(self) -> PoliteSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._session.close()

    def set_min_delay(self, host: str, seconds: float) -> None:
        with self._lock:
            self._delays[host.lower()] = seconds

    def delay_for(self, host: str) -> float:
        """Seconds between requests to ``host``: its own or default delay, or Crawl-delay."""
        host = host.lower()
        with self._lock:
            delay = self._delays.get(host, self.settings.default_min_delay)
            crawl_delays = [r.parser.crawl_delay(self.user_agent) or 0.0
                            for origin, r in self._robots.items()
                            if r.parser is not None and urlsplit(origin).hostname == host]
        return max([delay, *crawl_delays])

    def get(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._fetch(url, headers, check_robots=True)

    # -- one URL, redirects included --

    def _fetch(self, url: str, headers: dict[str, str], *, check_robots: bool) -> FetchResult:
        result = FetchResult(url=url, final_url=url)
        current, seen = url, {url}
        try:
            while True:
                result.final_url, result.status, result.headers = current, None, {}
                target = self._check_hop(current, check_robots)
                response = self._exchange(current, target, headers, result)
                result.status = response.status
                result.headers = response.headers
                location = response.headers.get("location")
                if response.status not in REDIRECT_STATUSES or not location:
                    break
                nxt = self._real_url(urljoin(target, _fix_location(location)), current)
                result.redirects.append(current)
                if nxt in seen:
                    raise FetchError("redirect_loop", f"redirect loop back to {nxt}")
                if len(result.redirects) > self.settings.max_redirects:
                    raise FetchError("redirect_loop",
                                     f"more than {self.settings.max_redirects} redirects")
                seen.add(nxt)
                current = nxt
            self._finish(result, response)
        except FetchError as exc:
            result.error_kind, result.error = exc.kind, str(exc)
            result.status = exc.status or result.status
        if result.error_kind:
            # robots.txt outcomes are reported by _read_robots; robots refusals are routine
            level = (logging.DEBUG if not check_robots else
                     logging.INFO if result.error_kind == "robots" else logging.WARNING)
            log.log(level, "GET %s failed after %d attempt(s): %s: %s",
                    url, result.attempts, result.error_kind, result.error)
        return result

    def _finish(self, result: FetchResult, response: _Response) -> None:
        status = response.status
        if status == 304:
            result.not_modified = True
        elif 300 <= status < 400:
            raise FetchError("redirect_loop", f"HTTP {status} without a usable Location")
        elif status >= 400:
            kind = "http_4xx" if status < 500 else "http_5xx"
            raise FetchError(kind, f"HTTP {status}", status=status)
        else:
            result.content = response.body
            ctype = response.headers.get("content-type")
            if response.body is not None and is_textual(ctype):
                try:
                    result.text, result.encoding = decode_text(response.body, ctype)
                except UnicodeError as exc:
                    raise FetchError("decode", str(exc)) from None

    def _check_hop(self, url: str, check_robots: bool) -> str:
        """Refuse a hop before any traffic; return the URL to send (the mirror's, if any)."""
        try:
            parts = urlsplit(url)
            _ = parts.port  # raises on a malformed port
        except ValueError:
            parts = None
        if parts is None or parts.scheme.lower() not in SCHEMES or not parts.hostname:
            raise FetchError("bad_scheme", f"not an http(s) URL: {url[:200]}")
        target = self._transport_url(url)
        self._check_address(target)
        if check_robots:
            self._check_robots(url)
        return target

    def _transport_url(self, url: str) -> str:
        """The URL to send: on the mirror (under its path prefix, if any) for mirrored hosts."""
        parts = urlsplit(url)
        mirror = self._mirrors.get((parts.hostname or "").lower())
        if mirror is None:
            return url
        path = mirror.path.rstrip("/") + (parts.path or "/")
        return urlunsplit((mirror.scheme, mirror.netloc, path, parts.query, ""))

    def _real_url(self, url: str, current: str) -> str:
        """Express a redirect target that names the mirror with the real host again."""
        parts = urlsplit(url)
        cur = urlsplit(current)
        mirror = self._mirrors.get((cur.hostname or "").lower())
        if mirror is not None and (parts.scheme, parts.netloc) == (mirror.scheme, mirror.netloc):
            prefix = mirror.path.rstrip("/")
            path = parts.path
            if prefix and (path == prefix or path.startswith(prefix + "/")):
                path = path[len(prefix):] or "/"
            return urlunsplit((cur.scheme, cur.netloc, path, parts.query, ""))
        return urlunsplit(parts._replace(fragment=""))

    def _check_address(self, url: str) -> None:
        parts = urlsplit(url)
        host = parts.hostname or ""
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as exc:
            raise FetchError("connection", f"cannot resolve {host}: {exc}") from None
        for info in infos:
            ip = ipaddress.ip_address(str(info[4][0]).split("%")[0])
            if not _is_public(ip) and not any(ip in net for net in self._allowed):
                raise FetchError("blocked_address",
                                 f"{host} is {ip}, a non-public address (not allow-listed)")

    # -- robots.txt --

    def _check_robots(self, url: str) -> None:
        parts = urlsplit(url)
        origin = f"{parts.scheme.lower()}://{parts.netloc.lower()}"
        robots = self._robots_for(origin)
        if robots.unavailable:
            raise FetchError("robots", f"robots.txt unavailable ({robots.unavailable})")
        if robots.parser is not None and not robots.parser.can_fetch(url, self.user_agent):
            raise FetchError("robots", "disallowed by robots.txt")

    def _robots_for(self, origin: str) -> _Robots:
        with self._lock:
            lock = self._robots_locks.setdefault(origin, threading.Lock())
        with lock:  # one robots.txt request per origin, however many threads ask
            with self._lock:
                cached = self._robots.get(origin)
            if cached is not None and cached.expires > time.monotonic():
                return cached
            fresh = self._read_robots(origin, cached)
            with self._lock:
                self._robots[origin] = fresh
            return fresh

    def _read_robots(self, origin: str, previous: _Robots | None) -> _Robots:
        res = self._fetch(origin + "/robots.txt", {}, check_robots=False)
        now = time.monotonic()
        if res.status is not None and 200 <= res.status < 300 and res.content is not None:
            # RFC 9309: robots.txt is UTF-8; undecodable bytes must not block the crawl
            text = res.text if res.text is not None else res.content.decode("utf-8", "replace")
            return _Robots(Protego.parse(text), None, now + ROBOTS_TTL)
        if res.error_kind == "http_4xx" and res.status != 429:
            return _Robots(None, None, now + ROBOTS_TTL)
        retry_at = now + self.robots_retry_seconds
        if previous is not None and previous.unavailable is None:
            log.warning("robots.txt of %s unreadable (%s); keeping the copy read earlier",
                        origin, res.error)
            return _Robots(previous.parser, None, retry_at)
        log.warning("robots.txt of %s unreadable (%s); not crawling it for %.0f s",
                    origin, res.error, self.robots_retry_seconds)
        return _Robots(None, f"{res.error_kind}: {res.error}", retry_at)

    # -- one hop, retries included --

    def _exchange(
        self, url: str, target: str, headers: dict[str, str], result: FetchResult
    ) -> _Response:
        host = (urlsplit(url).hostname or "").lower()
        retries = self.settings.max_retries
        for attempt in range(retries + 1):
            result.attempts += 1
            try:
                response = self._attempt(host, target, headers, result)
            except FetchError as exc:
                if not exc.retryable or attempt == retries:
                    raise
                reason, retry_after = f"{exc.kind}: {exc}", None
            else:
                if response.status not in RETRY_STATUSES or attempt == retries:
                    return response
                reason, retry_after = f"HTTP {response.status}", self._retry_after(response)
            # A Retry-After was applied to the host's gate (all threads wait); else back off.
            wait = self._backoff(attempt) if retry_after is None else 0.0
            log.info("retry %d/%d of %s in %.2f s after %s", attempt + 1, retries, url,
                     retry_after if retry_after is not None else wait, reason)
            time.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover

    def _backoff(self, attempt: int) -> float:
        base = self.settings.backoff_base * 2**attempt
        return min(base * (0.5 + random.random()), self.settings.retry_after_cap)

    def _retry_after(self, response: _Response) -> float | None:
        if response.status not in RETRY_STATUSES:
            return None
        seconds = parse_retry_after(response.headers.get("retry-after"))
        return None if seconds is None else min(seconds, self.settings.retry_after_cap)

    def _attempt(
        self, host: str, target: str, headers: dict[str, str], result: FetchResult
    ) -> _Response:
        """One paced request: wait for the host's turn, send, read the body, set the next turn."""
        gate = _gate(host)
        with gate.lock:
            wait = gate.next_at - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            pause = None
            try:
                with self._slots:
                    log.debug("GET %s", target)
                    started = time.monotonic()
                    try:
                        response = self._send(target, headers)
                    finally:
                        result.elapsed_ms += int((time.monotonic() - started) * 1000)
                pause = self._retry_after(response)
                return response
            finally:
                gate.next_at = time.monotonic() + max(self.delay_for(host), pause or 0.0)

    def _send(self, target: str, headers: dict[str, str]) -> _Response:
        s = self.settings
        try:
            resp = self._session.get(target, headers=headers, stream=True,
                                     allow_redirects=False,
                                     timeout=(s.connect_timeout, s.read_timeout))
        except _TRANSPORT_ERRORS as exc:
            raise _classify(exc) from None
        with resp:
            names = {k.lower(): v for k, v in resp.headers.items()}
            body = None
            if 200 <= resp.status_code < 300:
                try:
                    body = self._read_body(resp, names)
                except FetchError as exc:
                    exc.status = resp.status_code
                    raise
            return _Response(resp.status_code, names, body)

    def _read_body(self, resp: requests.Response, headers: dict[str, str]) -> bytes:
        limit = self.settings.max_body_bytes
        declared = headers.get("content-length", "")
        declared_len = int(declared) if declared.isdigit() else None
        if declared_len is not None and declared_len > limit:
            raise FetchError("too_large", f"Content-Length {declared_len} > {limit} bytes")
        body = bytearray()
        try:
            for chunk in resp.iter_content(_CHUNK):
                body += chunk
                if len(body) > limit:
                    raise FetchError("too_large", f"body exceeds {limit} bytes")
        except _TRANSPORT_ERRORS as exc:
            raise _classify(exc) from None
        encoded = headers.get("content-encoding", "identity").lower() != "identity"
        if declared_len is not None and not encoded and len(body) < declared_len:
            raise FetchError("truncated", f"got {len(body)} of {declared_len} bytes",
                             retryable=True)
        return bytes(body)


def _fix_location(location: str) -> str:
    """Location headers arrive as latin-1 text; servers mostly send UTF-8 bytes."""
    try:
        return location.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return location
