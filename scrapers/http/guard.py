"""Where a hop may go: http(s) only, public addresses only, and mirrors rewritten both ways.

A mirror ({"baothanhhoa.vn": "http://127.0.0.1:8765"}, optionally with a path prefix) takes a
host's requests; the caller still sees the real host, and the address check applies to the
mirror. The check resolves the host before each hop; requests resolves again when it
connects, so a DNS answer that changes in between is not caught (no IP pinning).

Reads ``allow_addresses`` (private networks the crawler may reach) and ``max_redirects``.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urljoin, urlsplit, urlunsplit

from scrapers.http.result import FetchError
from scrapers.outcomes import ErrorKind
from scrapers.settings import Settings

SCHEMES = frozenset({"http", "https"})


class Guard:
    def __init__(self, settings: Settings, mirrors: dict[str, str] | None = None) -> None:
        self._mirrors = {h.lower(): urlsplit(m) for h, m in (mirrors or {}).items()}
        self._allowed = [ipaddress.ip_network(a, strict=False)
                         for a in settings.allowed_networks()]
        self._max_redirects = settings.max_redirects

    def check(self, url: str) -> str:
        """Refuse a hop before any traffic; return the URL to send (the mirror's, if any)."""
        try:
            parts = urlsplit(url)
            _ = parts.port  # raises on a malformed port
        except ValueError:
            parts = None
        if parts is None or parts.scheme.lower() not in SCHEMES or not parts.hostname:
            raise FetchError(ErrorKind.BAD_SCHEME, f"not an http(s) URL: {url[:200]}")
        target = self._transport_url(url)
        self._check_address(target)
        return target

    def next_hop(self, location: str, target: str, chain: list[str]) -> str:
        """The real URL a redirect points to; ``target`` is where its answer came from.

        ``chain`` holds each URL that answered a redirect so far, the one answering now
        last; loops and chains longer than ``max_redirects`` are refused.
        """
        nxt = self._real_url(urljoin(target, _fix_location(location)), chain[-1])
        if nxt in chain:
            raise FetchError(ErrorKind.REDIRECT_LOOP, f"redirect loop back to {nxt}")
        if len(chain) > self._max_redirects:
            raise FetchError(ErrorKind.REDIRECT_LOOP,
                             f"more than {self._max_redirects} redirects")
        return nxt

    def _transport_url(self, url: str) -> str:
        """On the mirror (under its path prefix, if any) for mirrored hosts."""
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
            raise FetchError(ErrorKind.CONNECTION, f"cannot resolve {host}: {exc}") from None
        for info in infos:
            ip = ipaddress.ip_address(str(info[4][0]).split("%")[0])
            if not _is_public(ip) and not any(ip in net for net in self._allowed):
                raise FetchError(ErrorKind.BLOCKED_ADDRESS,
                                 f"{host} is {ip}, a non-public address (not allow-listed)")


def _is_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _fix_location(location: str) -> str:
    """Location headers arrive as latin-1 text; servers mostly send UTF-8 bytes."""
    try:
        return location.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return location
