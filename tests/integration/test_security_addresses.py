"""Where requests may go, with a real DNS server (tests/dnsserver.py) and real HTTP servers.

No packet leaves the machine: the "site" listens on 127.0.0.2 (allow-listed, as a public
address would be), the "metadata service" on 127.0.0.1 at the same port (never allowed), and
the DNS server on 127.0.0.1 answers what each test scripts. Other addresses the names point
at (10/8, 169.254.169.254, ...) are refused before any connection, which the audit hook of
tests/httpserver.py (every socket.connect of this process) proves.
"""

from __future__ import annotations

import shutil
import ssl
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
import requests

from scrapers.http import PoliteSession
from scrapers.http.transport import _PinnedAdapter, pin
from scrapers.outcomes import ErrorKind
from tests.dnsserver import ScriptedDNS
from tests.httpserver import LocalServer, make_settings
from tests.httpserver import connects as connects  # fixture

SITE_IP = "127.0.0.2"
METADATA_IP = "127.0.0.1"


@pytest.fixture
def dns() -> Iterator[ScriptedDNS]:
    with ScriptedDNS() as server:
        yield server


@pytest.fixture
def pair() -> Iterator[tuple[LocalServer, LocalServer]]:
    """(site on 127.0.0.2:P, metadata service on 127.0.0.1:P): one port, two addresses."""
    for _ in range(20):
        site = LocalServer(SITE_IP)
        try:
            metadata = LocalServer(METADATA_IP, site.port)
        except OSError:  # the port is taken on 127.0.0.1: try another
            site.close()
            continue
        break
    else:
        pytest.skip("no port free on both 127.0.0.1 and 127.0.0.2")
    site.static("/robots.txt", "User-agent: *\nAllow: /\n", headers={"Content-Type": "text/plain"})
    site.static("/a.htm", "<html><body><p>the site</p></body></html>")
    metadata.static("/a.htm", "SECRET-METADATA")
    metadata.static("/b.htm", "SECRET-METADATA")
    metadata.static("/latest/meta-data/", "SECRET-METADATA")
    metadata.static("/robots.txt", "User-agent: *\nAllow: /\n")
    yield site, metadata
    site.close()
    metadata.close()


def _session(dns: ScriptedDNS, **overrides: object) -> PoliteSession:
    values: dict[str, object] = {"allow_addresses": SITE_IP, "dns_servers": dns.address}
    return PoliteSession(make_settings(**{**values, **overrides}))


def test_dns_rebinding_connects_only_to_the_checked_address(dns, pair, connects) -> None:
    site, metadata = pair
    # one answer per hop check: robots.txt, the article, then the name "rebinds" to loopback
    dns.answer("news.test", SITE_IP, SITE_IP, METADATA_IP)
    with _session(dns) as session:
        first = session.get(f"http://news.test:{site.port}/a.htm")
        assert first.ok and first.text and "the site" in first.text
        # each hop was checked once and connected to what was checked: no second lookup
        # at connect time (that would have been the third answer, the metadata service)
        assert dns.a_queries("news.test") == 2
        assert site.paths() == ["/robots.txt", "/a.htm"]
        assert all(s.headers["Host"] == f"news.test:{site.port}" for s in site.log)
        assert {next(iter(c)) for c in connects} <= {SITE_IP, "127.0.0.1"}
        assert (METADATA_IP, site.port) not in [tuple(c) for c in connects]

        # the next hop is checked again: the name now points at loopback and is refused
        before = len(connects)
        second = session.get(f"http://news.test:{site.port}/b.htm")
    assert second.error_kind is ErrorKind.BLOCKED_ADDRESS
    assert "127.0.0.1" in (second.error or "")
    assert dns.a_queries("news.test") == 3
    assert [c for c in connects[before:] if tuple(c)[1] == site.port] == []
    assert metadata.paths() == []


@pytest.mark.parametrize("address", ["10.0.0.7", "169.254.169.254", "100.64.0.9",
                                     "192.168.1.1", "127.0.0.1", "0.0.0.0"])
def test_a_name_pointing_at_a_private_address_is_refused_before_connecting(
        dns, pair, connects, address) -> None:
    site, metadata = pair
    dns.answer("internal.test", address)
    with _session(dns) as session:
        result = session.get(f"http://internal.test:{site.port}/latest/meta-data/")
    assert result.error_kind is ErrorKind.BLOCKED_ADDRESS
    assert [c for c in connects if tuple(c)[1] in (site.port, 80)] == []
    assert metadata.paths() == [] and site.paths() == []


def test_a_redirect_to_a_name_of_a_private_address_is_refused(dns, pair, connects) -> None:
    site, metadata = pair
    dns.answer("news.test", SITE_IP)
    dns.answer("metadata.test", METADATA_IP)
    site.static("/go.htm", "", status=302,
                headers={"Location": f"http://metadata.test:{site.port}/latest/meta-data/"})
    with _session(dns) as session:
        result = session.get(f"http://news.test:{site.port}/go.htm")
    assert result.error_kind is ErrorKind.BLOCKED_ADDRESS
    assert result.redirects == [f"http://news.test:{site.port}/go.htm"]
    assert metadata.paths() == []
    assert (METADATA_IP, site.port) not in [tuple(c) for c in connects]


def test_an_unknown_name_is_a_connection_error(dns, pair) -> None:
    site, _ = pair
    with _session(dns) as session:
        result = session.get(f"http://missing.test:{site.port}/a.htm")
    assert result.error_kind is ErrorKind.CONNECTION
    assert "cannot resolve" in (result.error or "")


def test_a_host_with_several_addresses_uses_the_next_when_one_refuses(dns, pair) -> None:
    """Pinning keeps fail-over: every address was checked, the first that accepts serves."""
    site, _ = pair
    dns.answer("news.test", f"127.0.0.3,{SITE_IP}")  # nothing listens on 127.0.0.3
    with _session(dns, allow_addresses=f"{SITE_IP},127.0.0.3") as session:
        result = session.get(f"http://news.test:{site.port}/a.htm")
    assert result.ok and site.paths() == ["/robots.txt", "/a.htm"]
    # a name with one address that is not allowed is refused whole
    dns.answer("mixed.test", f"{SITE_IP},10.0.0.1")
    with _session(dns) as session:
        refused = session.get(f"http://mixed.test:{site.port}/a.htm")
    assert refused.error_kind is ErrorKind.BLOCKED_ADDRESS


# --- https: the name is the SNI and the certificate's name, the checked IP the peer ---

class _Hello(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = f"host={self.headers['Host']}".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def tls_site(tmp_path: Path) -> Iterator[tuple[int, Path, list[str]]]:
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to make a certificate")
    key, cert = tmp_path / "k.pem", tmp_path / "c.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                    str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=news.test",
                    "-addext", "subjectAltName=DNS:news.test"], check=True,
                   capture_output=True)
    sni: list[str] = []
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    ctx.sni_callback = lambda sock, name, c: sni.append(name)
    httpd = HTTPServer((SITE_IP, 0), _Hello)
    httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1], cert, sni
    httpd.shutdown()
    httpd.server_close()


def test_https_to_a_pinned_address_speaks_tls_to_the_name(tls_site) -> None:
    port, cert, sni = tls_site
    with requests.Session() as http:
        http.mount("https://", _PinnedAdapter())
        url, host = pin(f"https://news.test:{port}/x", SITE_IP)
        assert url == f"https://{SITE_IP}:{port}/x"
        answer = http.get(url, headers=host, verify=str(cert), timeout=5)
        assert answer.text == f"host=news.test:{port}" and sni == ["news.test"]
        # the certificate is checked against the name, not the address
        url, host = pin(f"https://other.test:{port}/x", SITE_IP)
        with pytest.raises(requests.exceptions.SSLError):
            http.get(url, headers=host, verify=str(cert), timeout=5)


@pytest.mark.parametrize(("target", "address", "url", "host"), [
    ("http://news.test:8080/a?b=1", "127.0.0.2", "http://127.0.0.2:8080/a?b=1",
     "news.test:8080"),
    ("https://news.test/a", "2001:db8::7", "https://[2001:db8::7]/a", "news.test"),
    ("http://127.0.0.1:9/x", "127.0.0.1", "http://127.0.0.1:9/x", None),  # already an IP
    ("http://news.test/x", None, "http://news.test/x", None),
])
def test_pin_aims_the_url_at_the_address_and_keeps_the_name(target, address, url, host):
    assert pin(target, address) == (url, {"Host": host} if host else {})


def test_dns_servers_setting() -> None:
    servers = make_settings(dns_servers="127.0.0.1:5353, 10.0.0.2,[::1]:53,[fe80::1]")
    assert servers.dns_server_list() == [("127.0.0.1", 5353), ("10.0.0.2", 53), ("::1", 53),
                                         ("fe80::1", 53)]
    assert make_settings().dns_server_list() == []


def test_a_name_from_the_system_resolver_is_pinned_too(connects) -> None:
    loop = LocalServer()  # on 127.0.0.1
    loop.static("/robots.txt", "")
    loop.static("/a.htm", "<p>local</p>")
    try:
        with PoliteSession(make_settings(allow_addresses="127.0.0.1,::1")) as session:
            result = session.get(f"http://localhost:{loop.port}/a.htm")
    finally:
        loop.close()
    assert result.ok and result.final_url == f"http://localhost:{loop.port}/a.htm"
    assert {s.headers["Host"] for s in loop.log} == {f"localhost:{loop.port}"}
    assert {tuple(c)[:2] for c in connects} <= {("127.0.0.1", loop.port), ("::1", loop.port)}
