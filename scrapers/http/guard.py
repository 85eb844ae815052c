"""Where a hop may go: http(s) only, public addresses only, and mirrors rewritten both ways.

A mirror ({"baothanhhoa.vn": "http://127.0.0.1:8765"}, optionally with a path prefix) takes a
host's requests; the caller still sees the real host, and the address check applies to the
mirror. The check resolves the host before each hop and returns the address it checked;
the transport connects to that address and no other (the name still goes in the Host header
and TLS SNI), so a DNS answer that changes between the check and the connect (DNS
rebinding) cannot send the request to a private address.

Names are resolved by the system resolver, or, when ``dns_servers`` is set, by asking those
servers directly (dnspython, no cache), A and AAAA records.

Reads ``allow_addresses`` (private networks the crawler may reach), ``max_redirects``,
``dns_servers`` and ``connect_timeout`` (the DNS lifetime).
"""

from __future__ import annotations

import ipaddress
import socket
from typing import NamedTuple
from urllib.parse import urljoin, urlsplit, urlunsplit

from scrapers.http.result import FetchError
from scrapers.outcomes import ErrorKind
from scrapers.settings import Settings

SCHEMES = frozenset({"http", "https"})


class Hop(NamedTuple):
    """Where one hop goes: the URL to send (the mirror's, if any) and the checked
    addresses the transport may connect to, in the resolver's order."""

    target: str
    addresses: tuple[str, ...]


class Resolver:
    """A host's addresses: the system's answer, or that of the ``dns_servers`` asked directly."""

    def __init__(self, settings: Settings) -> None:
        self._servers = settings.dns_server_list()
        self._lifetime = settings.connect_timeout

    def addresses(self, host: str, port: int) -> list[str]:
        try:
            ipaddress.ip_address(host)
            literal = True
        except ValueError:
            literal = False
        if not self._servers or literal:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            return list(dict.fromkeys(str(info[4][0]) for info in infos))
        return self._ask(host)

    def _ask(self, host: str) -> list[str]:
        import dns.exception
        import dns.nameserver
        import dns.resolver

        resolver = dns.resolver.Resolver(configure=False)
        resolver.nameservers = [dns.nameserver.Do53Nameserver(a, p) for a, p in self._servers]
        resolver.lifetime = self._lifetime
        found: list[str] = []
        for rdtype in ("A", "AAAA"):
            try:
                answer = resolver.resolve(host, rdtype, search=False)
            except (dns.resolver.NoAnswer, dns.resolver.NXDOMAIN):
                continue
            except dns.exception.DNSException as exc:
                raise OSError(f"DNS: {type(exc).__name__}: {exc}") from None
            found += [r.address for r in answer]
        if not found:
            raise OSError(f"DNS: no A or AAAA record for {host}")
        return found


class Guard:
    def __init__(self, settings: Settings, mirrors: dict[str, str] | None = None) -> None:
        self._mirrors = {h.lower(): urlsplit(m) for h, m in (mirrors or {}).items()}
        self._allowed = [ipaddress.ip_network(a, strict=False)
                         for a in settings.allowed_networks()]
        self._max_redirects = settings.max_redirects
        self._resolver = Resolver(settings)

    def check(self, url: str) -> str:
        """Refuse a hop before any traffic; return the URL to send (the mirror's, if any)."""
        return self.resolve(url).target

    def resolve(self, url: str) -> Hop:
        """Refuse a hop before any traffic; return the URL to send and the addresses to
        connect to: those that were checked."""
        try:
            parts = urlsplit(url)
            _ = parts.port  # raises on a malformed port
        except ValueError:
            parts = None
        if parts is None or parts.scheme.lower() not in SCHEMES or not parts.hostname:
            raise FetchError(ErrorKind.BAD_SCHEME, f"not an http(s) URL: {url[:200]}")
        target = self._transport_url(url)
        return Hop(target, self._check_address(target))

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

    def _check_address(self, url: str) -> tuple[str, ...]:
        """Every address the host resolves to must be allowed; return them."""
        parts = urlsplit(url)
        host = parts.hostname or ""
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
            addresses = self._resolver.addresses(host, port)
        except (OSError, UnicodeError) as exc:
            raise FetchError(ErrorKind.CONNECTION, f"cannot resolve {host}: {exc}") from None
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%")[0])
            if not _is_public(ip) and not any(ip in net for net in self._allowed):
                raise FetchError(ErrorKind.BLOCKED_ADDRESS,
                                 f"{host} is {ip}, a non-public address (not allow-listed)")
        return tuple(addresses)


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
