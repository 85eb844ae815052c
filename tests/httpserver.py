"""A tiny scripted HTTP server on 127.0.0.1 for client tests, with its own request log.

Each route is a function of the request handler, so a test can answer with any status,
header set, broken body or delay. The log (monotonic arrival time, path, headers) lets tests
assert what the server actually saw: which paths were never requested, the gaps between
requests, the User-Agent.

It also holds what the PoliteSession tests share: fixtures (``server``, ``session``,
``connects``; import them by name) and helpers.
"""

from __future__ import annotations

import struct
import sys
import threading
import time
import unicodedata
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from scrapers.http import PoliteSession
from scrapers.settings import Settings

Route = Callable[["Handler"], None]


@dataclass(frozen=True)
class Seen:
    at: float  # time.monotonic() when the request headers had arrived
    path: str
    headers: dict[str, str]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def do_GET(self) -> None:
        owner = self.server.owner
        owner.record(Seen(time.monotonic(), self.path, dict(self.headers.items())))
        route = owner.routes.get(self.path) or owner.routes.get(self.path.split("?")[0])
        if route is None:
            self.reply(404, b"not found")
        else:
            route(self)

    def reply(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        """Send a whole response; Content-Length is added unless given."""
        headers = dict(headers or {})
        headers.setdefault("Content-Length", str(len(body)))
        headers.setdefault("Content-Type", "text/html; charset=utf-8")
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep test output clean; the owner's log is the record


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: LocalServer

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients hanging up mid-body (size caps, timeouts) are expected here


class LocalServer:
    """Serve ``routes`` on an ephemeral port of 127.0.0.1 (or ``host``, ``port``) until
    ``close()``."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.routes: dict[str, Route] = {}
        self.log: list[Seen] = []
        self._lock = threading.Lock()
        self.host = host
        self._httpd = _Server((host, port), Handler)
        self._httpd.owner = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self._thread.start()

    @property
    def base(self) -> str:
        return f"http://{self.netloc}"

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def netloc(self) -> str:
        return f"{self.host}:{self.port}"

    def record(self, seen: Seen) -> None:
        with self._lock:
            self.log.append(seen)

    def paths(self) -> list[str]:
        with self._lock:
            return [s.path for s in self.log]

    def static(self, path: str, body: bytes | str = b"", status: int = 200,
               headers: dict[str, str] | None = None) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = lambda h: h.reply(status, data, headers)

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


# --- what the PoliteSession tests share ---

VI = "Hợp tác xã nông nghiệp ở Thanh Hóa phát triển mạnh, người dân có thu nhập ổn định."
ROBOTS = "User-agent: *\nDisallow: /admin/\nDisallow: /noi-bo-\n"

# Every socket.connect() of this process while a test records them (PEP 578 audit hook):
# proves that refused hops were refused before any connection was attempted.
_CONNECTS: dict[str, list[object]] = {}


def _audit(event: str, args: tuple[object, ...]) -> None:
    if event == "socket.connect" and "log" in _CONNECTS:
        _CONNECTS["log"].append(args[1])


sys.addaudithook(_audit)


def make_settings(**overrides: object) -> Settings:
    values: dict[str, object] = dict(
        allow_addresses="127.0.0.1", backoff_base=0.01, retry_after_cap=0.3,
        default_min_delay=0.01, connect_timeout=2.0, read_timeout=2.0, max_retries=3,
        max_redirects=5, global_concurrency=4, max_body_bytes=10_000,
    )
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def server() -> Iterator[LocalServer]:
    srv = LocalServer()
    srv.static("/robots.txt", ROBOTS, headers={"Content-Type": "text/plain"})
    yield srv
    srv.close()


@pytest.fixture
def session() -> Iterator[PoliteSession]:
    with PoliteSession(make_settings()) as s:
        yield s


@pytest.fixture
def connects() -> Iterator[list[object]]:
    _CONNECTS["log"] = []
    yield _CONNECTS["log"]
    del _CONNECTS["log"]


def sequence(*routes: tuple[int, dict[str, str]]) -> Route:
    """A route answering the given (status, headers) in turn, then repeating the last."""
    calls = iter(range(10**6))

    def route(h: Handler) -> None:
        status, headers = routes[min(next(calls), len(routes) - 1)]
        h.reply(status, b"body" if status == 200 else b"", headers)

    return route


def short_body(declared: int, sent: bytes, *, stall: float = 0.0) -> Route:
    """A 200 declaring ``declared`` bytes that sends only ``sent``, then stalls or hangs up."""

    def route(h: Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Length", str(declared))
        h.end_headers()
        h.wfile.write(sent)
        h.wfile.flush()
        time.sleep(stall)
        h.close_connection = True

    return route


def to_cp1258(text: str) -> bytes:
    """windows-1258 bytes as legacy Vietnamese pages hold them: tone marks as combining chars."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
            out += (base + "".join(c for c in parts if c in tones)).encode("cp1258")
    return bytes(out)


def tiny_png() -> bytes:
    """A valid 1x1 PNG: binary a server may wrongly label text/html."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00\xff")
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels)
            + chunk(b"IEND", b""))


def count(server: LocalServer, path: str) -> int:
    return server.paths().count(path)
