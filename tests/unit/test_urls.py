"""URL canonicalisation, article patterns and rel=canonical adoption (pure, table-driven)."""

from __future__ import annotations

import random
import socket
import unicodedata
from itertools import product
from urllib.parse import urljoin

import pytest

from scrapers.registry import load_sites
from scrapers.urls import (
    _PATH_SAFE,
    _QUERY_SAFE,
    _VALUE_SAFE,
    TRACKING_PARAMS,
    _extractor,
    _normalise_escapes,
    _respell,
    adopt_rel_canonical,
    canonicalize,
    join_url,
    matches_article_pattern,
    registrable_domain,
    variant_reason,
)

ART = "https://baothanhhoa.vn/hop-tac-xa-phat-trien-123456.htm"


@pytest.mark.parametrize(("found", "canonical"), [
    # case, default port, fragment
    ("HTTPS://BaoThanhHoa.VN:443/hop-tac-xa-phat-trien-123456.htm#comments", ART),
    ("http://baothanhhoa.vn:80/a", "http://baothanhhoa.vn/a"),
    ("https://baothanhhoa.vn:8443/a", "https://baothanhhoa.vn:8443/a"),
    ("https://baothanhhoa.vn", "https://baothanhhoa.vn/"),
    # tracking parameters, sorting, empty query
    (ART + "?utm_source=facebook&utm_medium=social&fbclid=IwAR0abc", ART),
    (ART + "?gidzl=abc&zarsrc=30&_ga=2.1&gclid=x&mc_cid=1&mc_eid=2&ref=home", ART),
    (ART + "?UTM_Campaign=x", ART),
    (ART + "?", ART),
    (ART + "?&&", ART),
    ("https://baoquangngai.vn/channel/2025/?page=2&utm_source=zalo",
     "https://baoquangngai.vn/channel/2025/?page=2"),
    ("https://x.vn/s?b=2&a=1&a=0", "https://x.vn/s?a=0&a=1&b=2"),
    ("https://x.vn/s?q=h%e1%bb%a3p+t%C3%A1c&flag", "https://x.vn/s?flag&q=h%E1%BB%A3p+t%C3%A1c"),
    # mobile and AMP variants
    ("https://m.baothanhhoa.vn/hop-tac-xa-phat-trien-123456.htm", ART),
    ("https://amp.baothanhhoa.vn/hop-tac-xa-phat-trien-123456.htm", ART),
    ("https://baothanhhoa.vn/amp/hop-tac-xa-phat-trien-123456.htm", ART),
    ("https://baothanhhoa.vn/hop-tac-xa-phat-trien-123456.amp.htm", ART),
    (ART + "?amp", ART),
    (ART + "?amp=1", ART),
    ("https://baoquangngai.vn/channel/2025/202407/tin-moi-3159/amp/",
     "https://baoquangngai.vn/channel/2025/202407/tin-moi-3159/"),
    ("https://baoquangngai.vn/channel/2025/202407/tin-moi-3159/amp",
     "https://baoquangngai.vn/channel/2025/202407/tin-moi-3159"),
    ("https://m.gov.vn/a", "https://m.gov.vn/a"),  # m.gov.vn is a domain of its own
    ("https://www.baothanhhoa.vn/a", "https://www.baothanhhoa.vn/a"),
    ("https://baothanhhoa.vn/amp", "https://baothanhhoa.vn/amp"),
    # trailing slash kept as found
    ("https://baoquangngai.vn/channel/2025", "https://baoquangngai.vn/channel/2025"),
    ("https://baoquangngai.vn/channel/2025/", "https://baoquangngai.vn/channel/2025/"),
    # percent-encoding, dot segments, IDNA, NFC
    ("https://x.vn/%7Euser/%61b", "https://x.vn/~user/ab"),
    ("https://x.vn/a%2fb/%c3%a1", "https://x.vn/a%2Fb/%C3%A1"),
    ("https://x.vn/tin tức", "https://x.vn/tin%20t%E1%BB%A9c"),
    (unicodedata.normalize("NFD", "https://x.vn/tức"), "https://x.vn/t%E1%BB%A9c"),
    ("https://x.vn/100%", "https://x.vn/100%25"),
    ("https://x.vn/a/./b/../c/", "https://x.vn/a/c/"),
    ("https://x.vn/../../a", "https://x.vn/a"),
    ("https://Báo.VN/a", "https://xn--bo-mia.vn/a"),
    ("https://xn--bo-mia.vn/a", "https://xn--bo-mia.vn/a"),
    ("  https://x.vn/a\n", "https://x.vn/a"),
    # not http(s): returned as found
    ("mailto:toasoan@baothanhhoa.vn", "mailto:toasoan@baothanhhoa.vn"),
    ("javascript:void(0)", "javascript:void(0)"),
])
def test_canonicalize(found: str, canonical: str) -> None:
    assert canonicalize(found) == canonical
    assert canonicalize(canonical) == canonical  # idempotent


@pytest.mark.parametrize(("href", "base", "canonical"), [
    ("/hop-tac-xa-phat-trien-123456.htm", "https://baothanhhoa.vn/thoi-su", ART),
    ("hop-tac-xa-phat-trien-123456.htm?utm_source=rss", "https://baothanhhoa.vn/thoi-su", ART),
    ("../x-3159/", "https://baoquangngai.vn/channel/2025/202407/y-1/",
     "https://baoquangngai.vn/channel/2025/202407/x-3159/"),
    ("//m.baothanhhoa.vn/hop-tac-xa-phat-trien-123456.htm", "https://baothanhhoa.vn/", ART),
    ("?page=2", "https://baoquangngai.vn/channel/2025/",
     "https://baoquangngai.vn/channel/2025/?page=2"),
    ("#top", ART, ART),
    (ART, "https://other.vn/", ART),
])
def test_canonicalize_relative(href: str, base: str, canonical: str) -> None:
    assert canonicalize(href, base=base) == canonical


def test_plain_parts_skip_the_respelling_but_read_the_same():
    """The shortcut for parts with nothing to respell agrees with the whole treatment."""
    rng = random.Random(3)
    pool = "aZ09-._~!$&'()*+,;=:@/?%#[] ăđữ\x7f" + "%41%7e%2F%c3%a1%zz"
    for _ in range(3000):
        part = "".join(rng.choice(pool) for _ in range(rng.randint(0, 12)))
        for safe in (_PATH_SAFE, _QUERY_SAFE, _VALUE_SAFE):
            assert _normalise_escapes(part, safe) == _respell(part, safe), (part, safe)
    assert _normalise_escapes("/tin-tuc/bai-viet-123.htm", _PATH_SAFE) == \
        "/tin-tuc/bai-viet-123.htm"


def test_tracking_params_are_a_frozenset() -> None:
    assert isinstance(TRACKING_PARAMS, frozenset)
    assert {"fbclid", "gclid", "gidzl", "zarsrc"} <= TRACKING_PARAMS


@pytest.mark.parametrize(("found", "reason"), [
    (ART, "as_found"),
    (ART + "#x", "canonicalised"),
    ("https://m.baothanhhoa.vn/hop-tac-xa-phat-trien-123456.htm", "canonicalised"),
])
def test_variant_reason(found: str, reason: str) -> None:
    assert variant_reason(found, canonicalize(found)) == reason


@pytest.mark.parametrize(("slug", "url", "expected"), [
    ("baothanhhoa", ART, True),
    ("baothanhhoa", "https://m.baothanhhoa.vn/hop-tac-xa-phat-trien-123456.htm?utm_source=x",
     True),
    ("baothanhhoa", "/hop-tac-xa-phat-trien-123456.htm", True),
    ("baothanhhoa", "https://baothanhhoa.vn/hop-tac-xa-phat-trien-123456.amp.htm", True),
    ("baothanhhoa", "https://baothanhhoa.vn/thoi-su", False),
    ("baothanhhoa", "https://baothanhhoa.vn/thoi-su/trang-2.htm", False),
    ("baothanhhoa", "https://baothanhhoa.vn/tin-123.htm", False),  # id too short
    ("baothanhhoa", "https://baophutho.vn/hop-tac-xa-phat-trien-123456.htm", False),
    ("baophutho", "https://baophutho.vn/hop-tac-xa-phat-trien-123456.htm", True),
    ("phunuvietnam", "https://phunuvietnam.vn/phu-nu-lam-kinh-te-20240705041900123.htm", True),
    ("phunuvietnam", "https://phunuvietnam.vn/xa-hoi/trang-2.htm", False),
    ("baoquangngai", "https://baoquangngai.vn/channel/2025/202407/tin-moi-3159/", True),
    ("baoquangngai", "https://baoquangngai.vn/channel/2025/202407/tin-moi-3159/amp/", True),
    ("baoquangngai", "https://baoquangngai.vn/channel/2025/202407/tin-moi-3159", False),
    ("baoquangngai", "https://baoquangngai.vn/channel/2025/?page=2", False),
])
def test_matches_article_pattern(slug: str, url: str, expected: bool) -> None:
    assert matches_article_pattern(url, load_sites()[slug]) is expected


@pytest.mark.parametrize(("page", "rel", "adopted"), [
    (ART, None, ART),
    (ART, "   ", ART),
    (ART, "https://baothanhhoa.vn/ban-goc-654321.htm?utm_source=x",
     "https://baothanhhoa.vn/ban-goc-654321.htm"),
    (ART, "/ban-goc-654321.htm", "https://baothanhhoa.vn/ban-goc-654321.htm"),
    (ART, "https://m.baothanhhoa.vn/ban-goc-654321.htm", "https://baothanhhoa.vn/ban-goc-654321.htm"),
    ("https://www.baothanhhoa.vn/a-1234.htm", "https://baothanhhoa.vn/a-1234.htm",
     "https://baothanhhoa.vn/a-1234.htm"),
    (ART, "https://baophutho.vn/hop-tac-xa-phat-trien-123456.htm", ART),  # other site
    (ART, "https://baothanhhoa.vn.evil.com/x-123456.htm", ART),
    (ART, "javascript:void(0)", ART),
    ("https://a.blogspot.com/p", "https://b.blogspot.com/p", "https://a.blogspot.com/p"),
    ("https://a.thanhhoa.gov.vn/p", "https://b.thanhhoa.gov.vn/q", "https://b.thanhhoa.gov.vn/q"),
])
def test_adopt_rel_canonical(page: str, rel: str | None, adopted: str) -> None:
    assert adopt_rel_canonical(page, rel) == adopted


@pytest.mark.parametrize(("host", "domain"), [
    ("baothanhhoa.vn", "baothanhhoa.vn"),
    ("M.BaoThanhHoa.vn", "baothanhhoa.vn"),
    ("www.thanhhoa.gov.vn", "thanhhoa.gov.vn"),
    ("news.example.co.uk", "example.co.uk"),
    ("127.0.0.1", "127.0.0.1"),
    ("localhost", "localhost"),
])
def test_registrable_domain(host: str, domain: str) -> None:
    assert registrable_domain(host) == domain


def test_registrable_domain_never_uses_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("tldextract tried to reach the network")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    registrable_domain.cache_clear()
    _extractor.cache_clear()  # build the extractor afresh under the guard
    assert registrable_domain("news.baoquangngai.vn") == "baoquangngai.vn"


@pytest.mark.parametrize("base", ["https://baothanhhoa.vn/a/b-1.htm", "http://baothanhhoa.vn/",
                                  "https://baothanhhoa.vn/p?q=1#f"])
def test_join_url_is_urljoin_for_every_shape_of_link(base: str) -> None:
    heads = ["https://", "http://", "HTTPS://", "//", "/", "", "https://cdn.vn/", "ftp://"]
    tails = ["", "x.jpg", "a b", "a?b", "a#b", "a;b", "[::1]/x", "a/../b", "é.jpg", "a\tb",
             "@h/x", "h:80/x?", "h/%20"]
    for head, tail in product(heads, tails):
        try:
            want = urljoin(base, head + tail)
        except ValueError as exc:
            want = f"ValueError {exc}"
        try:
            got = join_url(base, head + tail)
        except ValueError as exc:
            got = f"ValueError {exc}"
        assert got == want, (base, head + tail)
