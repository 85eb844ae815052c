"""The replica site server: one synthetic site at the root of a real HTTP port on 127.0.0.1.

Pages name the real host (https://baothanhhoa.vn/...), as a mirror would; crawlers reach the
replica through their host -> mirror mapping. Tests switch faults on at runtime
(``server.faults``), move the site's clock (``server.now``) and read the request log.

    with ReplicaServer("baothanhhoa") as srv:
        requests.get(srv.base_url + "/sitemap.xml")
        assert srv.requests_for(r"^/sitemap")[0].status == 200
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from requests.structures import CaseInsensitiveDict

from replica.app import DEFAULT_CRAWL_DELAY, Response
from replica.data import SPECS, Article, ReplicaSite, dataset, site_spec
from replica.families import app_for
from replica.faults import CHARSET_KINDS, Fault, FaultSet, fault_response, recode, trickle
from scrapers.errors import ProvnewsError

CHUNK = 64 * 1024


@dataclass
class LoggedRequest:
    time: float  # time.monotonic() on arrival
    wall: float  # time.time() on arrival
    method: str
    path: str  # with the query string
    headers: CaseInsensitiveDict[str]
    status: int | None = None  # None: no answer (timeout fault, or still in flight)
    fault: str | None = None


class ReplicaServer:
    """ThreadingHTTPServer in a background thread serving one replica site.

    ``site`` is a slug (its default dataset) or a ReplicaSite, e.g. a syndicated dataset;
    ``port=0`` takes an ephemeral port, read back from ``.port`` / ``.base_url``."""

    def __init__(self, site: str | ReplicaSite = "baothanhhoa", *, host: str = "127.0.0.1",
                 port: int = 0, crawl_delay: float = DEFAULT_CRAWL_DELAY):
        self.site = dataset(site) if isinstance(site, str) else site
        self.host, self._port = host, port
        self.app = app_for(self.site, crawl_delay)
        self.faults = FaultSet()
        self._log: list[LoggedRequest] = []
        self._log_lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ----------------------------------------------------------------------------- lifecycle
    def start(self) -> ReplicaServer:
        if self._httpd is None:
            self._stopping.clear()
            self._httpd = _HTTPServer((self.host, self._port), _Handler)
            self._httpd.replica = self
            self._thread = threading.Thread(target=self._httpd.serve_forever,
                                            kwargs={"poll_interval": 0.05}, daemon=True,
                                            name=f"replica-{self.site.slug}")
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._stopping.set()  # wakes handlers sleeping in slow/timeout faults
            self._httpd.shutdown()
            self._httpd.server_close()
            if self._thread is not None:
                self._thread.join()
            self._httpd = self._thread = None

    def __enter__(self) -> ReplicaServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --------------------------------------------------------------------------- addressing
    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("the replica server is not started")
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def mirrors(self) -> dict[str, str]:
        """{real host: replica base URL}, the shape PoliteSession(mirrors=...) takes."""
        return {self.site.host: self.base_url}

    def local_url(self, url: str) -> str:
        """A real-host URL (or a path) as a URL on this replica."""
        if url.startswith(self.site.base_url):
            url = url[len(self.site.base_url):]
        return self.base_url + (url if url.startswith("/") else "/" + url)

    # ------------------------------------------------------------------ site state, for tests
    @property
    def crawl_delay(self) -> float:
        return self.app.crawl_delay

    @property
    def now(self) -> datetime:
        """The site's clock: only articles published before it exist (default: dataset.now)."""
        return self.app.now

    @now.setter
    def now(self, value: datetime) -> None:
        self.app.now = value

    @property
    def removed(self) -> set[int]:
        """Ids of articles answering 404 (initially the dataset's removed ones); mutable."""
        return self.app.removed

    def edit_article(self, article_id: int, **changes: object) -> Article:
        return self.app.edit(article_id, **changes)

    def endpoints(self) -> dict[str, Any]:
        """The feeds, sitemaps and listings this site really has, as of its clock (what a
        probe should find): see SiteApp.endpoints."""
        return self.app.endpoints()

    # --------------------------------------------------------------------------- request log
    def _record(self, method: str, path: str, headers: Message) -> LoggedRequest:
        entry = LoggedRequest(time.monotonic(), time.time(), method, path,
                              CaseInsensitiveDict(headers.items()))
        with self._log_lock:
            self._log.append(entry)
        return entry

    @property
    def requests(self) -> list[LoggedRequest]:
        """Every request so far, in arrival order (a copy)."""
        with self._log_lock:
            return list(self._log)

    def requests_for(self, path_regex: str) -> list[LoggedRequest]:
        pattern = re.compile(path_regex)
        return [r for r in self.requests if pattern.search(r.path)]

    def clear_log(self) -> None:
        with self._log_lock:
            self._log.clear()


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    replica: ReplicaServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        # a client closing a kept-alive connection with an unread body resets it while the
        # handler waits for the next request: routine, not a traceback on stderr
        if not isinstance(sys.exc_info()[1], ConnectionResetError | BrokenPipeError):
            super().handle_error(request, client_address)


def _accepts_gzip(header: str | None) -> bool:
    for token in (header or "").split(","):
        name, _, params = token.strip().partition(";")
        if name.strip().lower() in ("gzip", "*"):
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "ReplicaCMS/1.0"
    timeout = 30  # idle keep-alive connections are closed after this
    # Headers and body go out in two writes; with Nagle the body waited for the client's
    # delayed ACK (40 ms a response on Linux), which real servers (tcp_nodelay) do not add.
    disable_nagle_algorithm = True
    server: _HTTPServer

    def log_message(self, format: str, *args: object) -> None:  # the request log replaces it
        pass

    def do_GET(self) -> None:
        self._serve(head=False)

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def _serve(self, head: bool) -> None:
        try:
            self._answer(head)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout, size...)
            self.close_connection = True

    def _answer(self, head: bool) -> None:
        replica = self.server.replica
        entry = replica._record(self.command, self.path, self.headers)
        path, _, query = self.path.partition("?")
        fault = replica.faults.take(self.path)
        entry.fault = fault.kind if fault else None
        if fault and fault.kind in ("slow", "timeout"):
            replica._stopping.wait(float(fault.params.get("seconds",
                                                          1 if fault.kind == "slow" else 5)))
            if fault.kind == "timeout":
                self.close_connection = True
                return
        resp = (fault_response(fault, replica.app, self.path) if fault else None) \
            or replica.app.handle(path, query)
        if fault and fault.kind in CHARSET_KINDS:
            resp = recode(resp, fault.kind)
        self._send(resp, head, fault, entry)

    def _not_modified(self, etag: str, last_modified: datetime) -> bool:
        if (inm := self.headers.get("If-None-Match")) is not None:
            tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
            return etag in tags or "*" in tags
        if ims := self.headers.get("If-Modified-Since"):
            try:
                since = parsedate_to_datetime(ims)
            except (TypeError, ValueError):
                return False
            since = since if since.tzinfo else since.replace(tzinfo=UTC)
            return int(last_modified.timestamp()) <= since.timestamp()
        return False

    def _send(self, resp: Response, head: bool, fault: Fault | None, entry: LoggedRequest
              ) -> None:
        status, body, headers = resp.status, resp.body, dict(resp.headers)
        kind = fault.kind if fault else None
        if resp.last_modified is not None:
            etag = '"' + hashlib.sha1(body).hexdigest()[:20] + '"'
            headers |= {"ETag": etag, "Cache-Control": "max-age=60",
                        "Last-Modified": format_datetime(resp.last_modified.astimezone(UTC),
                                                         usegmt=True)}
            if self._not_modified(etag, resp.last_modified):
                status, body = 304, b""
        if resp.compress:
            headers["Vary"] = "Accept-Encoding"
            if body and kind != "truncated" and _accepts_gzip(self.headers.get("Accept-Encoding")):
                body = gzip.compress(body, compresslevel=5, mtime=0)
                headers["Content-Encoding"] = "gzip"
        undeclared = kind == "oversized" and not fault.params.get("declare_length", True)
        entry.status = status  # logged before the client can see the answer
        self.send_response(status)
        if status != 304:
            headers["Content-Type"] = resp.content_type
            if undeclared:
                headers["Connection"] = "close"
            else:
                headers["Content-Length"] = str(len(body))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if kind == "truncated":
            body = body[: int(len(body) * float(fault.params.get("fraction", 0.5)))]
        if kind == "truncated" or undeclared:
            self.close_connection = True
        if not head and kind == "trickle":
            self.wfile.flush()
            trickle(fault, lambda b: (self.wfile.write(b), self.wfile.flush()), body,
                    self.server.replica._stopping)
        elif not head:
            for start in range(0, len(body), CHUNK):
                self.wfile.write(body[start:start + CHUNK])
        self.wfile.flush()


def serve(site: str | None = None, *, host: str = "127.0.0.1", port: int = 0,
          crawl_delay: float = DEFAULT_CRAWL_DELAY, stop: threading.Event | None = None,
          on_ready: Callable[[list[ReplicaServer]], None] | None = None) -> int:
    """`provnews replica serve`: one site on ``port``, or every replica on port, port+1, ...
    (ephemeral ports for port 0); print where, then serve until ``stop`` is set or Ctrl-C."""
    slugs = [site_spec(site).slug] if site else sorted(SPECS)
    servers: list[ReplicaServer] = []
    try:
        for i, slug in enumerate(slugs):
            want = port + i if port else 0
            try:
                servers.append(ReplicaServer(slug, host=host, port=want,
                                             crawl_delay=crawl_delay).start())
            except OSError as exc:
                raise ProvnewsError(f"cannot listen on {host}:{want}: {exc.strerror or exc}"
                                    ) from None
        for srv in servers:
            print(f"{srv.site.slug:<14} {srv.site.base_url:<26} -> {srv.base_url}", flush=True)
        print("mirrors: " + json.dumps({k: v for s in servers for k, v in s.mirrors.items()}),
              flush=True)
        slug_urls = json.dumps({s.site.slug: s.base_url for s in servers})
        print(f"export NEWS_MIRRORS='{slug_urls}'", flush=True)
        if on_ready is not None:
            on_ready(servers)
        (stop or threading.Event()).wait()
    except KeyboardInterrupt:
        pass
    finally:
        for srv in servers:
            srv.stop()
    return 0
