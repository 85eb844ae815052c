"""scrapers.http.guard without traffic: schemes, address literals, mirrors, redirect chains."""

from __future__ import annotations

import pytest

from scrapers.http.guard import Guard
from scrapers.http.result import FetchError
from scrapers.outcomes import ErrorKind
from tests.httpserver import make_settings

MIRRORS = {"baothanhhoa.vn": "http://127.0.0.1:8765", "baophutho.vn": "http://127.0.0.1:8765/site/"}


def kind_of(guard: Guard, url: str) -> ErrorKind | None:
    try:
        guard.check(url)
    except FetchError as exc:
        return exc.kind
    return None


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/x",
                                 "javascript:alert(1)", "http://[::1", "/relative/path",
                                 "http://host:99999/"])
def test_bad_scheme(url: str) -> None:
    assert kind_of(Guard(make_settings()), url) is ErrorKind.BAD_SCHEME


@pytest.mark.parametrize("url", ["http://0.0.0.0/", "http://169.254.169.254/latest",
                                 "http://[::1]:9/", "http://224.0.0.1/", "http://100.64.0.1/",
                                 "http://192.168.1.1/", "http://[::ffff:10.0.0.1]/",
                                 "http://127.0.0.1/"])
def test_non_public_literals_are_blocked(url: str) -> None:
    assert kind_of(Guard(make_settings(allow_addresses="")), url) is ErrorKind.BLOCKED_ADDRESS


def test_allow_list_admits_networks() -> None:
    guard = Guard(make_settings(allow_addresses="10.1.0.0/16, 127.0.0.0/8"))
    assert kind_of(guard, "http://127.0.0.2:8080/x") is None
    assert kind_of(guard, "http://10.1.2.3/") is None
    assert kind_of(guard, "http://10.2.0.1/") is ErrorKind.BLOCKED_ADDRESS


def test_mirror_is_the_transport_url() -> None:
    guard = Guard(make_settings(), MIRRORS)
    assert guard.check("https://baothanhhoa.vn/a-1.htm?x=1#top") == (
        "http://127.0.0.1:8765/a-1.htm?x=1")
    assert guard.check("https://BaoPhuTho.vn/robots.txt") == "http://127.0.0.1:8765/site/robots.txt"
    assert guard.check("http://127.0.0.1:9/plain") == "http://127.0.0.1:9/plain"


def test_mirror_is_the_transport_url_checked_by_address() -> None:
    guard = Guard(make_settings(allow_addresses=""), MIRRORS)
    assert kind_of(guard, "https://baothanhhoa.vn/a-1.htm") is ErrorKind.BLOCKED_ADDRESS


def test_next_hop_names_the_real_host_again() -> None:
    guard = Guard(make_settings(), MIRRORS)
    start = "https://baophutho.vn/old-1.htm"
    target = "http://127.0.0.1:8765/site/old-1.htm"
    assert guard.next_hop("/site/new-1.htm?a=1", target, [start]) == (
        "https://baophutho.vn/new-1.htm?a=1")
    assert guard.next_hop("http://127.0.0.1:8765/site", target, [start]) == (
        "https://baophutho.vn/")
    assert guard.next_hop("https://other.vn/x#frag", target, [start]) == "https://other.vn/x"
    assert guard.next_hop("/tin-t\xe1\xbb\xa9c", target, [start]) == (
        "https://baophutho.vn/tin-tức")  # UTF-8 bytes that arrived as latin-1 text


def test_next_hop_refuses_loops_and_long_chains() -> None:
    guard = Guard(make_settings(max_redirects=2))
    chain = ["http://a.vn/1", "http://a.vn/2"]
    with pytest.raises(FetchError, match=r"loop back to http://a\.vn/1"):
        guard.next_hop("/1", "http://a.vn/2", chain)
    assert guard.next_hop("/3", "http://a.vn/2", chain) == "http://a.vn/3"
    with pytest.raises(FetchError, match="more than 2 redirects"):
        guard.next_hop("/4", "http://a.vn/3", [*chain, "http://a.vn/3"])
