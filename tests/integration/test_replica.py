"""The replica sites: deterministic data, family markup, feeds/sitemaps, HTTP behaviour, faults.

Everything here talks to a real ReplicaServer on 127.0.0.1 with plain `requests`.
"""

from __future__ import annotations

import base64
import gzip
import itertools
import json
import re
import threading
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import feedparser
import pytest
import requests
from bs4 import BeautifulSoup
from protego import Protego

from replica.data import END, START, TZ, dataset
from replica.faults import to_cp1258
from replica.server import ReplicaServer, serve
from scrapers.cli import build_parser, cmd_replica_serve, main
from scrapers.registry import Site, get_site

SLUGS = ("baothanhhoa", "baophutho", "phunuvietnam", "baoquangngai")
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"

FEED_TRACKING = "?utm_source=rss&utm_medium=feed"  # campaign parameters on feed links


@pytest.fixture(scope="module")
def servers():
    started = {slug: ReplicaServer(slug).start() for slug in SLUGS}
    yield started
    for srv in started.values():
        srv.stop()


@pytest.fixture
def srv():
    """A fresh baothanhhoa replica for tests that switch faults on or move the clock."""
    with ReplicaServer("baothanhhoa") as server:
        yield server


def get(server: ReplicaServer, path: str, **kw) -> requests.Response:
    return requests.get(server.base_url + path, timeout=10, **kw)


def shingles(text: str, k: int = 5) -> set[tuple[str, ...]]:
    words = text.lower().split()
    return {tuple(words[i:i + k]) for i in range(len(words) - k + 1)}


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b)


# ---------------------------------------------------------------------------------------- data

def test_generation_is_deterministic_and_spread_over_24_months():
    first = dataset("baothanhhoa")
    dataset.cache_clear()
    again = dataset("baothanhhoa")
    assert first is not again and first.articles == again.articles
    assert len(again.articles) == 600 and again.now == END
    months = Counter((a.published_at.year, a.published_at.month) for a in again.articles)
    assert len(months) == 24 and min(months.values()) >= 10
    assert all(START <= a.published_at < END for a in again.articles)
    assert all(a.published_at.utcoffset() == timedelta(hours=7) for a in again.articles)
    assert [a.published_at for a in again.articles] == sorted(a.published_at
                                                              for a in again.articles)
    assert dataset("baophutho").articles[0].title != again.articles[0].title


def test_articles_between_is_half_open():
    site = dataset("phunuvietnam")
    start, end = datetime(2024, 7, 1, tzinfo=TZ), datetime(2024, 8, 1, tzinfo=TZ)
    got = site.articles_between(start, end)
    assert got == [a for a in site.articles if start <= a.published_at < end] and got
    edge = got[0].published_at
    assert site.articles_between(edge, edge) == []
    assert got[0] in site.articles_between(edge, edge + timedelta(minutes=1))


@pytest.mark.parametrize("slug", SLUGS)
def test_stories_are_distinct_on_theme_and_share_boilerplate(slug):
    articles = dataset(slug).articles
    assert len({a.title for a in articles}) == len(articles)
    assert len({a.url for a in articles}) == len(articles)
    for a in articles:
        for text in (a.title, a.lead, a.byline, *a.paragraphs, *(i.caption for i in a.images)):
            assert unicodedata.is_normalized("NFC", text)
        assert 5 <= len(a.paragraphs) <= 12 and 150 <= a.word_count <= 600
        assert a.author in a.byline and a.images and a.tags
        assert all(re.search(r" Ảnh: \S", im.caption) for im in a.images)
        assert a.modified_at is None or a.published_at < a.modified_at < END
    assert len({a.paragraphs[-1] for a in articles}) == 1  # the site's standard closing line
    bodies = [a.text for a in articles]
    share = sum("hợp tác xã" in b and "phụ nữ" in b for b in bodies) / len(bodies)
    assert share > 0.4
    assert sum("2030" in b for b in bodies) > 100 and sum("OCOP" in b for b in bodies) > 100
    assert {a.theme for a in articles} == {"coop", "union", "ocop", "agri", "infra", "health"}
    sample = [shingles(" ".join(a.paragraphs[:-1])) for a in articles[::3]]
    assert max(jaccard(x, y) for x, y in itertools.combinations(sample, 2)) < 0.7


@pytest.mark.parametrize("slug", SLUGS)
def test_urls_match_the_registry_and_robots(servers, slug):
    site, data, server = get_site(slug), dataset(slug), servers[slug]
    pattern = re.compile(site.article_url_pattern)
    assert all(pattern.match(a.url) for a in data.articles)
    assert all(a.url == site.base_url + a.path for a in data.articles)
    robots_txt = get(server, "/robots.txt").text
    assert "Crawl-delay: 0.05" in robots_txt and "Disallow: /admin/" in robots_txt
    robots = Protego.parse(robots_txt)
    disallowed = [a for a in data.articles if a.disallowed]
    assert 0.01 <= len(disallowed) / len(data.articles) <= 0.03
    assert not any(robots.can_fetch(a.url, "provnews") for a in disallowed)
    assert all(robots.can_fetch(a.url, "provnews") for a in data.articles if not a.disallowed)
    assert get(server, disallowed[0].path).status_code == 200  # still there: crawlers must obey


# ------------------------------------------------------------------------------------ sitemaps

@pytest.mark.parametrize("slug", SLUGS)
def test_sitemap_index_lists_each_month_with_its_latest_lastmod(servers, slug):
    server, data = servers[slug], dataset(slug)
    root = ET.fromstring(get(server, "/sitemap.xml").content)
    entries = {e.findtext(f"{SM}loc"): e.findtext(f"{SM}lastmod")
               for e in root.iter(f"{SM}sitemap")}
    assert len(entries) == 24
    month_re = re.compile(get_site(slug).endpoints[-1].month_pattern or "")
    for loc, lastmod in entries.items():
        m = re.fullmatch(rf"https://{re.escape(data.host)}/sitemaps/sitemap-(\d{{4}})-(\d{{2}})"
                         r"\.xml", loc)
        assert m and month_re.search(loc)
        in_month = [a for a in data.articles
                    if (a.published_at.year, a.published_at.month) == (int(m[1]), int(m[2]))]
        assert datetime.fromisoformat(lastmod) == max(a.lastmod for a in in_month)
        assert lastmod.endswith("+07:00")


@pytest.mark.parametrize(("slug", "month"), [("baothanhhoa", "2024-07"),
                                             ("baoquangngai", "2025-12")])
def test_monthly_sitemap_lists_exactly_that_months_articles(servers, slug, month):
    data = dataset(slug)
    root = ET.fromstring(get(servers[slug], f"/sitemaps/sitemap-{month}.xml").content)
    listed = {u.findtext(f"{SM}loc"): u.findtext(f"{SM}lastmod") for u in root.iter(f"{SM}url")}
    expected = {a.url: a.lastmod.isoformat() for a in data.articles
                if a.published_at.strftime("%Y-%m") == month}
    assert listed == expected
    assert get(servers[slug], "/sitemaps/sitemap-2023-12.xml").status_code == 404


def test_news_sitemap_holds_the_last_48_hours(servers):
    data = dataset("baothanhhoa")
    root = ET.fromstring(get(servers["baothanhhoa"], "/sitemaps/news.xml").content)
    dates = {u.findtext(f"{SM}loc"): u.findtext(f".//{NEWS}publication_date")
             for u in root.iter(f"{SM}url")}
    expected = {a.url: a.published_at.isoformat() for a in data.articles
                if a.published_at >= data.now - timedelta(hours=48) and not a.removed}
    assert dates == expected and len(dates) >= 3
    assert root.findtext(f".//{NEWS}name") == "Báo Thanh Hóa"
    assert get(servers["baophutho"], "/sitemaps/news.xml").status_code == 404


# ------------------------------------------------------------------------------ listings, feeds

def _walk_listing(server: ReplicaServer, site: Site, endpoint_index: int) -> list[str]:
    """Follow a listing endpoint page by page with the registry's selectors until it is empty."""
    endpoint = [e for e in site.endpoints if e.kind == "listing"][endpoint_index]
    assert site.listing is not None and endpoint.pagination
    urls: list[str] = []
    for page in itertools.count(1):
        path = endpoint.url if page == 1 else endpoint.pagination.format(page=page)
        soup = BeautifulSoup(get(server, path).text, "html.parser")
        items = soup.select(site.listing.item)
        if not items:
            return urls
        assert len(items) <= 20
        for item in items:
            link = item.select_one(site.listing.link)
            date = item.select_one(site.listing.date or "")
            url = site.absolute(link["href"])
            art = dataset(site.slug).by_url[url]
            assert date.get_text() == art.published_at.strftime("%d/%m/%Y %H:%M")
            urls.append(url)


@pytest.mark.parametrize("slug", SLUGS)
def test_listing_pagination_reaches_the_oldest_articles(servers, slug):
    site, data = get_site(slug), dataset(slug)
    urls = _walk_listing(servers[slug], site, 0)
    key = data.by_url[urls[0]].category.key
    expected = [a.url for a in reversed(data.articles) if a.category.key == key and not a.removed]
    assert urls == expected  # newest first, every one of them, none removed
    assert data.by_url[urls[-1]].published_at < datetime(2024, 2, 1, tzinfo=TZ)


@pytest.mark.parametrize("slug", SLUGS)
def test_rss_feed_parses_with_feedparser(servers, slug):
    site, data = get_site(slug), dataset(slug)
    feed_path = next(e.url for e in site.endpoints if e.kind == "feed")
    body = get(servers[slug], feed_path).content
    feed = feedparser.parse(body)
    assert not feed.bozo and feed.feed.title.startswith(data.spec.name)
    newest = [a for a in reversed(data.articles) if not a.removed][:50]
    assert [e.link for e in feed.entries] == [f"{a.url}{FEED_TRACKING}" for a in newest]
    first, art = feed.entries[0], newest[0]
    assert first.title == art.title
    assert datetime(*first.published_parsed[:6], tzinfo=UTC) == art.published_at
    assert b"+0700</pubDate>" in body


# ----------------------------------------------------------------------------- article markup

def _js_unescape(literal: str) -> str:
    return json.loads('"' + literal.replace("\\'", "'") + '"')


def _paragraphs(html: str, drop: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    for node in soup.select(drop):
        node.decompose()
    return [p.get_text() for p in soup.find_all("p")]


def _body_html(site: Site, soup: BeautifulSoup, page: str) -> str:
    """The body HTML as a JS-less extractor would have to recover it."""
    body = soup.select_one(site.extract.body[0])
    if enc := body.select_one(".ebody[data-enc]"):
        return base64.b64decode(enc["data-enc"]).decode()
    if m := re.search(r'var ebody="([A-Za-z0-9+/=]+)"', str(body)):
        return base64.b64decode(m[1]).decode()
    for pattern in site.extract.script_body:
        m = re.search(pattern, page)
        if m and "body" in m.groupdict() and m["body"]:
            return _js_unescape(m["body"])
    return body.decode_contents()


@pytest.mark.parametrize("slug", SLUGS)
def test_article_pages_follow_the_family_markup(servers, slug):
    site, data, server = get_site(slug), dataset(slug), servers[slug]
    modes = {a.body_mode for a in data.articles}
    assert modes == {"dcontent": {"html", "ebody", "ebody_script"}, "phunu": {"html"},
                     "quangngai": {"html", "js_html", "js_html_ascii", "output_data"}
                     }[data.spec.family]
    for mode in sorted(modes):
        a = next(a for a in data.articles if a.body_mode == mode and a.related and a.crawlable)
        page = get(server, a.path).text
        soup = BeautifulSoup(page, "html.parser")
        assert soup.select_one(site.extract.title[0]).get_text() == a.title
        lead = soup.select_one(site.extract.lead[0]).get_text()
        assert lead.startswith(data.spec.lead_prefix)
        for prefix in site.extract.lead_prefixes:
            lead = re.sub(prefix, "", lead)
        assert lead == a.lead
        assert soup.find("meta", attrs={"name": "author"})["content"] == data.spec.name
        assert soup.find("link", rel="canonical")["href"] == a.url
        assert a.published_at.strftime("%d/%m/%Y") in soup.select_one(
            site.extract.date[0]).get_text()
        assert [t.get_text() for t in soup.select(site.extract.tags[0])] == list(a.tags)
        body = _body_html(site, soup, page)
        drop = ", ".join(site.extract.exclude)
        texts = _paragraphs(body, drop)
        if data.spec.family == "dcontent":
            assert texts == [*a.paragraphs, a.byline]
            byline = BeautifulSoup(body, "html.parser").find_all("p")[-1]
            assert "right" in byline["style"] and byline.strong.get_text() == a.byline
        else:
            assert texts == list(a.paragraphs)
            assert soup.select_one(site.extract.author[0]).get_text() == a.byline
        for image in a.images:
            assert image.caption in BeautifulSoup(body, "html.parser").get_text()
        assert a.related[0][0] in BeautifulSoup(body, "html.parser").get_text()
        if data.spec.family != "quangngai":
            ld = json.loads(soup.find("script", type="application/ld+json").string)
            assert ld["@type"] == "NewsArticle" and ld["headline"] == a.title
            assert ld["datePublished"] == a.published_at.isoformat()
            assert ld["author"]["name"] == data.spec.name
            meta = soup.find("meta", property="article:published_time")
            assert meta["content"] == a.published_at.isoformat()
    if data.spec.family == "quangngai":
        a = next(a for a in data.articles if a.body_mode == "js_html_ascii" and a.crawlable)
        page = get(server, a.path).text
        assert "\\u" in page and a.paragraphs[0] not in page and "<\\/p>" in page


def test_visible_dates_use_each_family_format(servers):
    expect = {"baothanhhoa": r"Thứ (hai|ba|tư|năm|sáu|bảy), \d\d/\d\d/\d{4} - \d\d:\d\d|Chủ nhật",
              "baophutho": r"\d\d:\d\d \d\d/\d\d/\d{4}",
              "phunuvietnam": r"\d\d/\d\d/\d{4} - \d\d:\d\d",
              "baoquangngai": r"(Thứ (Hai|Ba|Tư|Năm|Sáu|Bảy)|Chủ Nhật), \d\d/\d\d/\d{4}, "
                              r"\d\d:\d\d \(GMT\+7\)"}
    for slug, pattern in expect.items():
        site, a = get_site(slug), dataset(slug).articles[300]
        soup = BeautifulSoup(get(servers[slug], a.path).text, "html.parser")
        assert re.fullmatch(pattern, soup.select_one(site.extract.date[0]).get_text())


def test_unknown_removed_and_future_paths(srv):
    data = dataset("baothanhhoa")
    removed = next(a for a in data.articles if a.removed)
    assert get(srv, "/khong-co-trang-nay-123456.htm").status_code == 404
    assert get(srv, removed.path).status_code == 404
    assert removed.url in get(srv, removed.published_at.strftime(
        "/sitemaps/sitemap-%Y-%m.xml")).text  # stale sitemap entry, as real sites have
    srv.now = datetime(2024, 7, 1, tzinfo=TZ)
    later = data.articles_between(srv.now, END)[0]
    assert get(srv, later.path).status_code == 404
    feed = feedparser.parse(get(srv, "/rss/tin-moi-nhat.xml").content)
    assert feed.entries[0].link == data.articles_between(START, srv.now)[-1].url + FEED_TRACKING
    srv.now = data.now
    edited = srv.edit_article(later.id, title="Tiêu đề đã sửa")
    assert edited.url == later.url and "Tiêu đề đã sửa" in get(srv, later.path).text


# ------------------------------------------------------------------------ HTTP: 304, gzip, log

@pytest.mark.parametrize("path", ["/sitemap.xml", "/sitemaps/sitemap-2025-03.xml",
                                  "/sitemaps/news.xml", "/rss/tin-moi-nhat.xml", "/thoi-su",
                                  "/kinh-te/trang-3.htm"])
def test_conditional_get_answers_304(servers, path):
    server = servers["baothanhhoa"]
    first = get(server, path)
    etag, last_modified = first.headers["ETag"], first.headers["Last-Modified"]
    again = get(server, path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["ETag"] == etag
    assert get(server, path, headers={"If-Modified-Since": last_modified}).status_code == 304
    old = format_datetime(datetime(2023, 1, 1, tzinfo=TZ), usegmt=False)
    assert get(server, path, headers={"If-Modified-Since": old}).status_code == 200
    assert get(server, path, headers={"If-None-Match": '"other"'}).status_code == 200


def test_articles_carry_no_validators(servers):
    resp = get(servers["baothanhhoa"], dataset("baothanhhoa").articles[10].path)
    assert "ETag" not in resp.headers and "Last-Modified" not in resp.headers


def test_gzip_only_when_asked(servers):
    server = servers["phunuvietnam"]
    url = server.base_url + "/rss/home.rss"
    zipped = requests.get(url, headers={"Accept-Encoding": "gzip"}, stream=True, timeout=10)
    raw = zipped.raw.read(decode_content=False)
    plain = requests.get(url, headers={"Accept-Encoding": "identity"}, timeout=10)
    assert zipped.headers["Content-Encoding"] == "gzip" and "Content-Encoding" not in plain.headers
    assert gzip.decompress(raw) == plain.content and len(raw) < len(plain.content) / 3
    assert int(zipped.headers["Content-Length"]) == len(raw)


def test_request_log_records_requests(srv):
    srv.clear_log()
    get(srv, "/robots.txt", headers={"User-Agent": "provnews-test/1"})
    get(srv, "/channel/x?page=2")
    requests.head(srv.base_url + "/sitemap.xml", timeout=10)
    log = srv.requests
    assert [(r.method, r.path, r.status) for r in log] == [
        ("GET", "/robots.txt", 200), ("GET", "/channel/x?page=2", 404),
        ("HEAD", "/sitemap.xml", 200)]
    assert log[0].headers["user-agent"] == "provnews-test/1" and log[0].fault is None
    assert log[0].time <= log[1].time <= log[2].time and log[0].wall > 1.7e9
    assert [r.path for r in srv.requests_for(r"^/(robots|sitemap)")] == ["/robots.txt",
                                                                        "/sitemap.xml"]
    srv.clear_log()
    assert srv.requests == []


# ------------------------------------------------------------------------------------- faults

def test_fault_429_with_retry_after_then_passes(srv):
    srv.faults.add(r"^/rss/", "429", times=2, retry_after=7)
    for _ in range(2):
        resp = get(srv, "/rss/tin-moi-nhat.xml")
        assert resp.status_code == 429 and resp.headers["Retry-After"] == "7"
    assert get(srv, "/rss/tin-moi-nhat.xml").status_code == 200
    assert [r.fault for r in srv.requests] == ["429", "429", None]
    assert get(srv, "/sitemap.xml").status_code == 200  # the regex decides what is hit


@pytest.mark.parametrize("kind", ["500", "503", "404"])
def test_fault_status_codes(srv, kind):
    path = dataset("baothanhhoa").articles[5].path
    srv.faults.add(re.escape(path), kind, times=1)
    assert get(srv, path).status_code == int(kind)
    assert get(srv, path).status_code == 200


def test_fault_slow_and_timeout(srv):
    path = "/rss/tin-moi-nhat.xml"
    srv.faults.add(path, "slow", times=1, seconds=1.5)
    with pytest.raises(requests.exceptions.ReadTimeout):
        requests.get(srv.base_url + path, timeout=(5, 0.1))
    srv.faults.add(path, "timeout", times=1, seconds=1.5)
    with pytest.raises(requests.exceptions.ReadTimeout):
        requests.get(srv.base_url + path, timeout=(5, 0.1))
    srv.faults.add(path, "slow", times=1, seconds=0.2)
    assert requests.get(srv.base_url + path, timeout=(5, 10)).status_code == 200
    assert [r.fault for r in srv.requests] == ["slow", "timeout", "slow"]
    assert srv.requests[1].status is None


def test_fault_truncated_body(srv):
    srv.faults.add(r"^/sitemap\.xml$", "truncated", times=1)
    resp = requests.get(srv.base_url + "/sitemap.xml", stream=True, timeout=10)
    declared = int(resp.headers["Content-Length"])
    with pytest.raises((requests.exceptions.ChunkedEncodingError,
                        requests.exceptions.ConnectionError)):
        resp.content  # noqa: B018
    assert declared == len(get(srv, "/sitemap.xml", headers={"Accept-Encoding": "identity"}
                               ).content)


@pytest.mark.parametrize("location", ["http://10.0.0.1/", "file:///etc/passwd",
                                      "https://baothanhhoa.vn/thoi-su"])
def test_fault_redirect_anywhere(srv, location):
    srv.faults.add(r"^/kinh-te$", "redirect", location=location, status=301)
    resp = get(srv, "/kinh-te", allow_redirects=False)
    assert resp.status_code == 301 and resp.headers["Location"] == location


def test_fault_redirect_loop(srv):
    srv.faults.add(r"^/xa-hoi$", "redirect_loop")
    with pytest.raises(requests.exceptions.TooManyRedirects):
        get(srv, "/xa-hoi")
    paths = [r.path for r in srv.requests[:4]]
    assert paths == ["/xa-hoi", "/_replica/loop?to=%2Fxa-hoi"] * 2


def test_fault_charsets(srv):
    a = dataset("baothanhhoa").articles[42]
    srv.faults.add(re.escape(a.path), "wrong_charset", times=1)
    resp = get(srv, a.path)
    assert resp.headers["Content-Type"] == "text/html; charset=iso-8859-1"
    assert resp.encoding == "iso-8859-1" and a.title in resp.content.decode("utf-8")
    assert a.title not in resp.text  # what a client trusting the header would get

    srv.faults.add(re.escape(a.path), "missing_charset", times=1)
    resp = get(srv, a.path)
    assert resp.headers["Content-Type"] == "text/html" and b"charset" not in resp.content
    assert a.title in resp.content.decode("utf-8")

    srv.faults.add(re.escape(a.path), "cp1258", times=1)
    resp = get(srv, a.path)
    assert resp.headers["Content-Type"] == "text/html"
    assert b'<meta charset="windows-1258">' in resp.content
    with pytest.raises(UnicodeDecodeError):
        resp.content.decode("utf-8")
    decoded = unicodedata.normalize("NFC", resp.content.decode("cp1258"))
    assert a.title in decoded and a.paragraphs[0] in decoded

    srv.faults.add(r"^/rss/", "cp1258", times=1)
    feed = get(srv, "/rss/tin-moi-nhat.xml").content
    assert feed.startswith(b'<?xml version="1.0" encoding="windows-1258"?>')


def test_cp1258_round_trips_vietnamese():
    text = "Hợp tác xã do phụ nữ làm chủ: Đường, ưu đãi, thủ công mỹ nghệ – “OCOP” 5 sao"
    assert unicodedata.normalize("NFC", to_cp1258(text).decode("cp1258")) == text


def test_fault_oversized(srv):
    srv.faults.add(r"^/$", "oversized", times=1, mb=11)
    resp = get(srv, "/", headers={"Accept-Encoding": "gzip"})
    assert int(resp.headers["Content-Length"]) == len(resp.content) == 11 * 1024 * 1024
    assert "Content-Encoding" not in resp.headers
    srv.faults.add(r"^/$", "oversized", times=1, mb=2, declare_length=False)
    resp = get(srv, "/")
    assert "Content-Length" not in resp.headers and len(resp.content) == 2 * 1024 * 1024


def test_fault_kinds_are_checked(srv):
    with pytest.raises(ValueError, match="unknown fault kind"):
        srv.faults.add(".", "teapot")
    with pytest.raises(ValueError, match="location"):
        srv.faults.add(".", "redirect")
    srv.faults.add(".", "500")
    srv.faults.clear()
    assert get(srv, "/").status_code == 200 and len(srv.faults) == 0


# -------------------------------------------------------------------------------- syndication

def test_syndicated_dataset_has_ground_truth():
    own = dataset("phunuvietnam")
    syn = dataset("phunuvietnam", republish_from="baothanhhoa", fraction=0.3, seed=1)
    src = dataset("baothanhhoa")
    assert set(own.articles) <= set(syn.articles) and not own.republished
    assert len(syn.articles) == len(own.articles) + len(syn.republished)
    assert abs(len(syn.republished) / len(src.articles) - 0.3) < 0.01
    assert abs(len(syn.exact_copies) / len(syn.republished) - 1 / 3) < 0.01
    pattern = re.compile(get_site("phunuvietnam").article_url_pattern)
    for copy_url, orig_url in syn.republished.items():
        copy, orig = syn.by_url[copy_url], src.by_url[orig_url]
        assert pattern.match(copy_url) and orig.crawlable
        assert timedelta(hours=2) <= copy.published_at - orig.published_at <= timedelta(hours=10)
        if copy_url in syn.exact_copies:
            assert (copy.title, copy.paragraphs) == (orig.title, orig.paragraphs)
        else:
            assert copy.title == "Thanh Hóa: " + orig.title
            assert copy.paragraphs[:-1] == orig.paragraphs
            assert [i.caption for i in copy.images] != [i.caption for i in orig.images]
            assert jaccard(shingles(copy.text), shingles(orig.text)) > 0.8
    other = dataset("phunuvietnam", republish_from="baothanhhoa", fraction=0.3, seed=2)
    assert set(other.republished.values()) != set(syn.republished.values())
    dataset.cache_clear()
    assert dataset("phunuvietnam").articles == own.articles


def test_syndicated_copy_is_served_with_the_second_sites_markup():
    syn = dataset("phunuvietnam", republish_from="baothanhhoa", fraction=0.3, seed=1)
    copy_url = next(u for u in syn.republished if u not in syn.exact_copies)
    with ReplicaServer(syn) as server:
        soup = BeautifulSoup(get(server, syn.by_url[copy_url].path).text, "html.parser")
        assert soup.select_one("h1.detail-title").get_text() == syn.by_url[copy_url].title
        assert soup.select_one(".sapo-detail").get_text().startswith("(PNVN) - ")
        assert copy_url in get(server, syn.by_url[copy_url].published_at.strftime(
            "/sitemaps/sitemap-%Y-%m.xml")).text


# ------------------------------------------------------------------------------------------ CLI

def test_cli_serve_function_serves_until_stopped():
    stop, ready = threading.Event(), threading.Event()
    started: list[ReplicaServer] = []

    def on_ready(servers: list[ReplicaServer]) -> None:
        started.extend(servers)
        ready.set()

    thread = threading.Thread(target=serve, args=("baoquangngai",), daemon=True, kwargs={
        "port": 0, "crawl_delay": 0.5, "stop": stop, "on_ready": on_ready})
    thread.start()
    assert ready.wait(10)
    (server,) = started
    assert "Crawl-delay: 0.5\n" in requests.get(server.base_url + "/robots.txt", timeout=10).text
    base = server.base_url
    stop.set()
    thread.join(10)
    assert not thread.is_alive()
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(base + "/robots.txt", timeout=2)


def test_cli_parses_replica_serve_and_reports_unknown_sites(capsys):
    args = build_parser().parse_args(["replica", "serve", "--port", "0", "--site", "baophutho",
                                      "--crawl-delay", "2"])
    assert args.func is cmd_replica_serve
    assert (args.port, args.site, args.crawl_delay, args.host) == (0, "baophutho", 2.0,
                                                                   "127.0.0.1")
    assert main(["replica", "serve", "--site", "nope", "--port", "0"]) == 2
    assert "no replica for site 'nope'" in capsys.readouterr().err
    default = build_parser().parse_args(["replica", "serve"])
    assert (default.site, default.all, default.port) == ("baothanhhoa", False, 8765)
    assert build_parser().parse_args(["replica", "serve", "--all"]).all
