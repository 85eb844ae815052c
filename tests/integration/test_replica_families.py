"""The newer replica families: WordPress (baodanang), legacy cp1258 (baolangson), JSON-LD
(baonghean). Each serves its own markup and announces its endpoints its own way; endpoints()
says what each really has, so a probe can be checked against it.

Everything talks to real ReplicaServers on 127.0.0.1 with plain `requests`.
"""

from __future__ import annotations

import csv
import itertools
import json
import re
import threading
import unicodedata
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urljoin

import feedparser
import pytest
import requests
from bs4 import BeautifulSoup
from protego import Protego

from replica.app import LOOP_PATH
from replica.data import END, SPECS, TZ, Article, dataset
from replica.families import FAMILY_SITES, MINIMAL_SITE_YAML, announced_endpoints, app_for
from replica.server import ReplicaServer, serve
from scrapers.registry import get_site

FIRST_SITES = ("baothanhhoa", "baophutho", "phunuvietnam", "baoquangngai")
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
# what a probe tries first; a family answers 200 only for those it really has
CONVENTIONAL = ("/rss", "/rss.xml", "/rss/tin-moi-nhat.xml", "/feed", "/feed/", "/atom.xml",
                "/sitemap.xml", "/sitemap_index.xml", "/sitemaps/news.xml", "/news-sitemap.xml")
PROVINCES = Path(__file__).resolve().parents[2] / "include" / "provinces.csv"


@pytest.fixture(scope="module")
def servers():
    started = {slug: ReplicaServer(slug).start() for slug in FAMILY_SITES}
    yield started
    for srv in started.values():
        srv.stop()


@pytest.fixture(params=FAMILY_SITES)
def fresh(request):
    """A fresh replica of each new family, for tests that switch faults on or move the clock."""
    with ReplicaServer(request.param) as server:
        yield server


def get(server: ReplicaServer, url: str, **kw) -> requests.Response:
    """GET a path, or a URL on the real host, from the replica."""
    return requests.get(server.local_url(url), timeout=10, **kw)


def soup_of(resp: requests.Response) -> BeautifulSoup:
    """The page decoded by its header charset, in NFC: windows-1258 spells tones apart."""
    return BeautifulSoup(nfc(resp.text), "html.parser")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def sample(slug: str) -> Article:
    """A crawlable, edited story with a related-news box: every part of the page in play."""
    return next(a for a in dataset(slug).articles if a.related and a.crawlable and a.modified_at)


def endpoints_of(slug: str, kind: str) -> list[dict]:
    return [e for e in announced_endpoints(slug)["endpoints"] if e["kind"] == kind]


# ---------------------------------------------------------------------------------------- data

def test_new_sites_are_provincial_papers_with_minimal_yaml():
    with PROVINCES.open(encoding="utf-8") as f:
        provinces = {row["code"]: row["name"] for row in csv.DictReader(f)}
    assert {SPECS[s].family for s in FAMILY_SITES} == {"wordpress", "legacy", "jsonld"}
    assert set(MINIMAL_SITE_YAML) == set(FAMILY_SITES)
    for slug, doc in MINIMAL_SITE_YAML.items():
        spec = SPECS[slug]
        assert doc == {"slug": slug, "name": spec.name, "base_url": spec.base_url,
                       "province": doc["province"]}
        assert provinces[doc["province"]] == spec.province
    assert MINIMAL_SITE_YAML["baonghean"]["province"] == "nghe-an"


@pytest.mark.parametrize("slug", FAMILY_SITES)
def test_ground_truth_matches_the_announced_url_pattern_and_robots(servers, slug):
    data, described = dataset(slug), announced_endpoints(slug)
    assert len(data.articles) == 600 and data.now == END
    assert len({a.url for a in data.articles}) == 600
    assert all(a.published_at.utcoffset() == timedelta(hours=7) for a in data.articles)
    pattern = re.compile(described["article_url_pattern"])
    assert all(pattern.match(a.url) and a.url == data.base_url + a.path for a in data.articles)
    robots_txt = get(servers[slug], "/robots.txt").text
    assert "Crawl-delay: 0.05" in robots_txt and described["crawl_delay"] == 0.05
    assert described["disallow"] == re.findall(r"^Disallow: (.+)$", robots_txt, re.M)
    robots = Protego.parse(robots_txt)
    disallowed = [a for a in data.articles if a.disallowed]
    assert 0.01 <= len(disallowed) / len(data.articles) <= 0.03
    assert not any(robots.can_fetch(a.url, "provnews") for a in disallowed)
    assert all(robots.can_fetch(a.url, "provnews") for a in data.articles if not a.disallowed)
    assert get(servers[slug], disallowed[0].path).status_code == 200  # crawlers must obey


def test_wordpress_permalinks_stay_unique_as_the_cms_makes_them():
    paths = [a.path for a in dataset("baodanang").articles]
    assert any(p.endswith("-2/") for p in paths) and len(set(paths)) == len(paths)


# ---------------------------------------------------------------------------- announced endpoints

@pytest.mark.parametrize("slug", FAMILY_SITES)
def test_only_the_announced_endpoints_exist(servers, slug):
    server, described = servers[slug], announced_endpoints(slug)
    assert server.endpoints() == described
    served = {server.local_url(e["url"]) for e in described["endpoints"]}
    for path in CONVENTIONAL:
        status = get(server, path).status_code
        assert status == (200 if server.local_url(path) in served else 404), path
    for e in described["endpoints"]:
        assert get(server, e["url"]).status_code == 200
        assert e["found_in"]  # every endpoint of these families is announced somewhere
    kinds = {e["kind"] for e in described["endpoints"]}
    assert kinds == {"baodanang": {"feed", "listing"}, "baolangson": {"sitemap_index", "listing"},
                     "baonghean": {"listing"}}[slug]


@pytest.mark.parametrize("slug", FAMILY_SITES)
def test_robots_and_homepage_announce_exactly_the_endpoints(servers, slug):
    server, described = servers[slug], announced_endpoints(slug)
    where = {(e["kind"], e["url"]): e["found_in"] for e in described["endpoints"]}
    robots_sitemaps = re.findall(r"^Sitemap: (\S+)$", get(server, "/robots.txt").text, re.M)
    assert robots_sitemaps == [u for (_, u), f in where.items() if "robots.txt" in f]

    home = soup_of(get(server, "/"))
    feeds = [urljoin(described["base_url"] + "/", link["href"])
             for link in home.find_all("link", type="application/rss+xml")]
    assert feeds == [u for (k, u), f in where.items() if k == "feed" and "homepage_head" in f]
    nav = {urljoin(described["base_url"] + "/", a["href"]) for a in home.select("nav a, .Menu a")}
    listings = {u for (k, u), f in where.items() if k == "listing" and "homepage_nav" in f}
    assert listings and listings <= nav

    a = sample(slug)  # feeds are announced on the homepage alone
    for path in (a.path, described["endpoints"][-1]["url"]):
        assert not soup_of(get(server, path)).find_all("link", type="application/rss+xml")


def test_endpoints_follow_the_clock():
    server = ReplicaServer("baolangson")
    before = datetime(2024, 7, 1, tzinfo=TZ)
    server.now = before
    (index,) = [e for e in server.endpoints()["endpoints"] if e["kind"] == "sitemap_index"]
    assert len(index["sitemaps"]) == 6 and index["sitemaps"][0].endswith("/Sitemaps/2024-06.xml")
    assert server.endpoints() == announced_endpoints("baolangson", now=before)
    assert announced_endpoints("baolangson", crawl_delay=2)["crawl_delay"] == 2


@pytest.mark.parametrize("slug", FIRST_SITES)
def test_first_families_describe_what_the_registry_names(slug):
    site, described = get_site(slug), announced_endpoints(slug)
    assert described["article_url_pattern"] == site.article_url_pattern
    announced = {(e["kind"], e["url"], e.get("pagination"))
                 for e in described["endpoints"] if e["found_in"]}
    registry = {(e.kind, site.absolute(e.url), e.pagination and site.absolute(e.pagination))
                for e in site.endpoints}
    assert registry <= announced
    with ReplicaServer(slug) as server:
        for e in described["endpoints"]:
            assert get(server, e["url"]).status_code == 200


# ----------------------------------------------------------------------------------- listings

def _items(slug: str, soup: BeautifulSoup) -> list[str]:
    selector = {"baodanang": "article.post .entry-title a", "baolangson": "a.NewsTitle",
                "baonghean": ".item-news__title a"}[slug]
    return [urljoin(dataset(slug).base_url + "/", a["href"]) for a in soup.select(selector)]


def _next(slug: str, soup: BeautifulSoup) -> str | None:
    selector = {"baodanang": ".nav-links a.next", "baolangson": ".Pager a:-soup-contains('>>')",
                "baonghean": "a[rel=next]"}[slug]
    link = soup.select_one(selector)
    return urljoin(dataset(slug).base_url + "/", link["href"]) if link else None


@pytest.mark.parametrize("slug", FAMILY_SITES)
def test_listing_pagination_reaches_the_oldest_articles(servers, slug):
    server, data = servers[slug], dataset(slug)
    for listing in endpoints_of(slug, "listing"):
        urls: list[str] = []
        url: str | None = listing["url"]
        for page in itertools.count(1):
            resp = get(server, url)
            assert resp.status_code == 200 and "Last-Modified" in resp.headers
            soup = soup_of(resp)
            urls += _items(slug, soup)
            if listing["paging"] == "next_link":  # nothing but the next page is linked
                assert not soup.select(".pagination a:not([rel=next])")
            url = _next(slug, soup)
            if url is None:
                break
            assert url == listing["pagination"].format(page=page + 1)
        key = data.by_url[urls[0]].category.key
        assert urls == [a.url for a in reversed(data.articles)
                        if a.category.key == key and not a.removed]
        past = get(server, listing["pagination"].format(page=page + 1))
        if slug == "baodanang":
            assert past.status_code == 404  # WordPress: no such page
        else:
            assert past.status_code == 200 and not _items(slug, soup_of(past))


def test_wordpress_pagination_links_numbered_pages(servers):
    listing = endpoints_of("baodanang", "listing")[1]
    soup = soup_of(get(servers["baodanang"], listing["pagination"].format(page=3)))
    links = soup.select(".nav-links a.page-numbers:not(.next):not(.prev)")
    assert [a.get_text() for a in links][:2] == ["1", "2"]
    assert links[0]["href"] == listing["url"]
    assert soup.select_one(".nav-links .current").get_text() == "3"


def test_wordpress_redirects_to_its_permalinks(servers):
    server, a = servers["baodanang"], sample("baodanang")
    for path, location in [(a.path.rstrip("/"), a.path), (f"/?p={a.id}", a.path),
                           ("/category/kinh-te", "/category/kinh-te/"),
                           ("/category/kinh-te/page/1/", "/category/kinh-te/")]:
        resp = get(server, path, allow_redirects=False)
        assert (resp.status_code, resp.headers["Location"]) == (301, location)
    removed = next(b for b in dataset("baodanang").articles if b.removed)
    assert get(server, f"/?p={removed.id}", allow_redirects=False).status_code == 200  # home


def test_legacy_reads_query_keys_as_iis_does(servers):
    server, a = servers["baolangson"], sample("baolangson")
    cat_id = a.category.channel
    for path in (f"/index.aspx?id={a.id}&catid={cat_id}", f"/Index.aspx?ID={a.id}&CatID={cat_id}"):
        assert a.title in nfc(get(server, path).content.decode("cp1258"))
    assert get(server, f"/Index.aspx?CatID=1&ID={a.id}").status_code == 404
    first_page = get(server, "/Index.aspx?CatID=5").content
    assert get(server, "/Index.aspx?CatID=5&page=abc").content == first_page


# ------------------------------------------------------------------------------ feeds, sitemaps

def test_wordpress_feed_parses_with_feedparser(servers):
    data = dataset("baodanang")
    (feed_ep,) = endpoints_of("baodanang", "feed")
    feed = feedparser.parse(get(servers["baodanang"], feed_ep["url"]).content)
    assert not feed.bozo and feed.feed.title.startswith(data.spec.name)
    newest = [a for a in reversed(data.articles) if not a.removed][:50]
    assert [e.link.split("?")[0] for e in feed.entries] == [a.url for a in newest]


def test_legacy_sitemaps_come_through_robots_only(servers):
    server, data = servers["baolangson"], dataset("baolangson")
    (index_ep,) = endpoints_of("baolangson", "sitemap_index")
    root = ET.fromstring(get(server, index_ep["url"]).content)
    entries = {e.findtext(f"{SM}loc"): e.findtext(f"{SM}lastmod")
               for e in root.iter(f"{SM}sitemap")}
    assert list(entries) == index_ep["sitemaps"] and len(entries) == 24
    month_re = re.compile(index_ep["month_pattern"])
    for loc, lastmod in entries.items():
        m = month_re.search(loc)
        in_month = [a for a in data.articles
                    if (a.published_at.year, a.published_at.month) == (int(m["year"]),
                                                                       int(m["month"]))]
        assert datetime.fromisoformat(lastmod) == max(a.lastmod for a in in_month)
    march = ET.fromstring(get(server, "/Sitemaps/2025-03.xml").content)
    assert {u.findtext(f"{SM}loc") for u in march.iter(f"{SM}url")} == {
        a.url for a in data.articles if a.published_at.strftime("%Y-%m") == "2025-03"}
    assert get(server, "/Sitemaps/2023-12.xml").status_code == 404


# ----------------------------------------------------------------------------- article markup

def _chrome(text: str) -> None:
    """The furniture every article page carries, which extraction must leave out."""
    for part in ("Tin liên quan", "Tin cùng chuyên mục", "Chia sẻ", "©", "Trang chủ"):
        assert part in text, part


def _texts(node, drop: str) -> list[str]:
    for junk in node.select(drop):
        junk.decompose()
    return [p.get_text() for p in node.find_all("p")]


def test_wordpress_article_markup(servers):
    a, server = sample("baodanang"), servers["baodanang"]
    resp = get(server, a.path)
    assert resp.headers["Content-Type"] == "text/html; charset=utf-8"
    soup = soup_of(resp)
    post = soup.select_one("article.post")
    assert post.select_one("h1.entry-title").get_text() == a.title
    assert post.select_one("time.entry-date.published")["datetime"] == a.published_at.isoformat()
    assert post.select_one("time.updated")["datetime"] == a.modified_at.isoformat()
    assert post.select_one(".post-author").get_text() == a.byline == a.author
    content = post.select_one(".entry-content")
    assert content.p.strong.get_text() == a.lead  # the lead is the bold first paragraph
    captions = [f.get_text() for f in content.select("figcaption")]
    assert captions == [im.caption for im in a.images]
    assert soup.find("link", rel="canonical")["href"] == a.url
    assert soup.find("link", rel="shortlink")["href"].endswith(f"/?p={a.id}")
    assert [t.get_text() for t in post.select(".tags-links a")] == list(a.tags)
    _chrome(soup.get_text())
    assert _texts(content, "figure, .inline-related, .sharedaddy") == [a.lead, *a.paragraphs]


def test_legacy_article_is_cp1258_and_decodes_to_ground_truth(servers):
    a, server = sample("baolangson"), servers["baolangson"]
    resp = get(server, a.path)
    assert resp.headers["Content-Type"] == "text/html; charset=windows-1258"
    assert b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1258">' \
        in resp.content
    with pytest.raises(UnicodeDecodeError):
        resp.content.decode("utf-8")
    page = nfc(resp.content.decode("cp1258"))
    soup = BeautifulSoup(page, "html.parser")
    assert soup.select_one("span.Title").get_text() == a.title
    date = soup.select_one("span.Date").get_text()
    assert date == a.published_at.strftime("Cập nhật: %H:%M | %d/%m/%Y")
    assert re.fullmatch(r"Cập nhật: \d\d:\d\d \| \d\d/\d\d/\d{4}", date)
    assert soup.select_one("span.Lead").get_text() == "(BLS) - " + a.lead
    assert soup.select_one("td.Author").get_text() == a.byline
    assert [c.get_text() for c in soup.select("td.Content .Caption")] == [
        im.caption for im in a.images]
    assert soup.find("table", class_="Main") and soup.find("input", id="__VIEWSTATE")
    _chrome(soup.get_text())
    assert _texts(soup.select_one("td.Content"), "table.Image") == list(a.paragraphs)


def test_legacy_listings_are_cp1258_too(servers):
    listing = endpoints_of("baolangson", "listing")[0]
    resp = get(servers["baolangson"], listing["pagination"].format(page=2))
    assert resp.headers["Content-Type"] == "text/html; charset=windows-1258"
    titles = [nfc(a.get_text()) for a in soup_of(resp).select("a.NewsTitle")]
    assert titles and all(dataset("baolangson").by_url[u].title == t for u, t in zip(
        _items("baolangson", soup_of(resp)), titles, strict=True))


def test_jsonld_article_markup(servers):
    a, server = sample("baonghean"), servers["baonghean"]
    soup = soup_of(get(server, a.path))
    (ld,) = [d for s in soup.find_all("script", type="application/ld+json")
             if (d := json.loads(s.string))["@type"] == "NewsArticle"]
    assert ld["headline"] == a.title and ld["mainEntityOfPage"]["@id"] == a.url
    assert ld["datePublished"] == a.published_at.isoformat() and ld["datePublished"].endswith(
        "+07:00")
    assert datetime.fromisoformat(ld["dateModified"]) == a.modified_at
    assert ld["author"]["name"] == "Báo Nghệ An"  # the paper; the writer is in the body
    assert not soup.find("meta", property="article:published_time") and not soup.find("time")
    assert soup.select_one(".article-meta__date").get_text().endswith(
        a.published_at.strftime("%d/%m/%Y"))  # the day only: the minute is in JSON-LD alone
    assert soup.select_one("h1.article-title").get_text() == a.title
    assert soup.select_one(".article-sapo").get_text() == "(Baonghean.vn) - " + a.lead
    body = soup.select_one(".article-body")
    byline = body.find_all("p")[-1]
    assert byline["style"] == "text-align:right" and byline.strong.get_text() == a.byline
    _chrome(soup.get_text())
    assert _texts(body, "figure, .box-related") == [*a.paragraphs, a.byline]


@pytest.mark.parametrize("slug", FAMILY_SITES)
def test_every_story_renders_its_ground_truth(slug):
    data = dataset(slug)
    app = app_for(data, 0.05)
    for a in data.articles:
        if a.removed:
            continue
        resp = app.handle(*a.path.partition("?")[::2])
        page = nfc(resp.body.decode("cp1258" if slug == "baolangson" else "utf-8"))
        soup = BeautifulSoup(page, "html.parser")
        text = [p.get_text() for p in soup.find_all("p")] + [soup.get_text()]
        assert resp.status == 200 and a.title in page and a.byline in text[-1]
        assert all(p in text for p in a.paragraphs)


# ------------------------------------------------------------------ the app machinery, reused

@pytest.mark.parametrize(("slug", "kind"), [("baodanang", "feed"), ("baodanang", "listing"),
                                            ("baolangson", "sitemap_index"),
                                            ("baolangson", "listing"), ("baonghean", "listing")])
def test_conditional_get_answers_304(servers, slug, kind):
    server, ep = servers[slug], endpoints_of(slug, kind)[0]
    for url in (ep["url"], *([ep["pagination"].format(page=2)] if "pagination" in ep else []),
                *ep.get("sitemaps", [])[:1]):
        first = get(server, url)
        etag, last_modified = first.headers["ETag"], first.headers["Last-Modified"]
        assert get(server, url, headers={"If-None-Match": etag}).status_code == 304
        assert get(server, url, headers={"If-Modified-Since": last_modified}).status_code == 304
        assert get(server, url, headers={"If-None-Match": '"other"'}).status_code == 200


def test_request_log_faults_clock_and_edits(fresh):
    data, a = fresh.site, sample(fresh.site.slug)
    fresh.clear_log()
    fresh.faults.add(re.escape(a.path), "429", times=1, retry_after=3)
    first = get(fresh, a.path)
    assert first.status_code == 429 and first.headers["Retry-After"] == "3"
    assert "Quá nhiều yêu cầu" in nfc(first.text)  # an error page in the family's charset
    assert get(fresh, a.path).status_code == 200
    assert get(fresh, "/rss").status_code == 404
    assert [(r.path, r.status, r.fault) for r in fresh.requests] == [
        (a.path, 429, "429"), (a.path, 200, None), ("/rss", 404, None)]

    fresh.faults.add("^/$", "redirect_loop")
    with pytest.raises(requests.exceptions.TooManyRedirects):
        get(fresh, "/")
    assert fresh.requests_for(re.escape(LOOP_PATH))
    fresh.faults.clear()

    removed = next(b for b in data.articles if b.removed)
    assert get(fresh, removed.path).status_code == 404
    fresh.now = datetime(2024, 7, 1, tzinfo=TZ)
    later = data.articles_between(fresh.now, END)[0]
    assert get(fresh, later.path).status_code == 404
    home = _items(data.slug, soup_of(get(fresh, "/")))
    assert home[0] == data.articles_between(data.articles[0].published_at, fresh.now)[-1].url
    fresh.now = data.now
    edited = fresh.edit_article(later.id, title="Tiêu đề đã sửa")
    assert edited.url == later.url and "Tiêu đề đã sửa" in soup_of(get(fresh, later.path)).text


@pytest.mark.parametrize("kind", ["cp1258", "missing_charset", "wrong_charset"])
def test_charset_faults_on_the_legacy_family(kind):
    a = sample("baolangson")
    with ReplicaServer("baolangson") as server:
        server.faults.add(re.escape(a.path), kind, times=1)
        resp = get(server, a.path)
        header = {"cp1258": "text/html", "missing_charset": "text/html",
                  "wrong_charset": "text/html; charset=iso-8859-1"}[kind]
        assert resp.headers["Content-Type"] == header
        assert (b"charset" in resp.content) == (kind != "missing_charset")
        assert a.title in nfc(resp.content.decode("cp1258"))


def test_serve_all_includes_the_new_families_in_slug_order(capsys):
    stop = threading.Event()
    seen: list[tuple[str, int]] = []

    def on_ready(servers: list[ReplicaServer]) -> None:  # serve() returns once stop is set
        seen.extend((s.site.slug, requests.get(s.base_url + "/robots.txt", timeout=10)
                     .status_code) for s in servers)
        stop.set()

    assert serve(None, port=0, stop=stop, on_ready=on_ready) == 0
    assert seen == [(slug, 200) for slug in sorted(SPECS)]
    assert set(FAMILY_SITES) <= set(SPECS)
    assert '"baolangson.vn": "http://127.0.0.1:' in capsys.readouterr().out
