"""A tiny scripted HTTP server on 127.0.0.1 for client tests, with its own request log.

Each route is a function of the request handler, so a test can answer with any status,
header set, broken body or delay. The log (monotonic arrival time, path, headers) lets tests
assert what the server actually saw: which paths were never requested, the gaps between
requests, the User-Agent.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

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
    """Serve ``routes`` on an ephemeral port of 127.0.0.1 until ``close()``."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.log: list[Seen] = []
        self._lock = threading.Lock()
        self._httpd = _Server(("127.0.0.1", 0), Handler)
        self._httpd.owner = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self._thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    @property
    def netloc(self) -> str:
        return f"127.0.0.1:{self._httpd.server_address[1]}"

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
