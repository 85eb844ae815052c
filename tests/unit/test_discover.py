"""Discovery parsers over hand-written bodies (pure functions, no I/O)."""

from datetime import datetime

from scrapers.dates import VN_TZ
from scrapers.discover import (
    Candidate,
    in_interval,
    months_between,
    parse_feed,
    parse_listing,
    parse_sitemap,
    sitemap_candidates,
)
from scrapers.registry import get_site

SITE = get_site("baothanhhoa")


def test_feed_items_keep_article_links_with_utc_aware_dates():
    rss = """<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>T</title>
    <item><title>A</title><link>https://baothanhhoa.vn/hop-tac-xa-nu-12345.htm?utm_source=rss</link>
    <pubDate>Fri, 05 Jul 2024 04:19:00 +0700</pubDate></item>
    <item><title>Nav</title><link>https://baothanhhoa.vn/thoi-su</link>
    <pubDate>Fri, 05 Jul 2024 04:19:00 +0700</pubDate></item></channel></rss>"""
    (c,) = parse_feed(rss, SITE, "https://baothanhhoa.vn/rss/x.xml")
    assert c.url == "https://baothanhhoa.vn/hop-tac-xa-nu-12345.htm"
    assert c.found_url.endswith("utm_source=rss")
    assert c.hint == datetime(2024, 7, 5, 4, 19, tzinfo=VN_TZ) and c.hint_kind == "published"


def test_sitemap_index_urlset_and_news_dates():
    index = """<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>https://baothanhhoa.vn/sitemaps/sitemap-2024-07.xml</loc>
      <lastmod>2024-07-31T22:00:00+07:00</lastmod></sitemap></sitemapindex>"""
    kind, entries = parse_sitemap(index)
    assert kind == "index" and entries[0].lastmod.month == 7
    news = """<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
      xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
      <url><loc>https://baothanhhoa.vn/a-10001.htm</loc><lastmod>2024-07-06</lastmod>
      <news:news><news:publication_date>2024-07-05T04:19:00+07:00</news:publication_date>
      </news:news></url>
      <url><loc>https://baothanhhoa.vn/b-10002.htm</loc><lastmod>2024-07-06</lastmod></url>
      </urlset>"""
    kind, entries = parse_sitemap(news)
    a, b = sitemap_candidates(entries, SITE, "x")
    assert kind == "urlset"
    assert (a.hint_kind, a.hint.day, a.hint.hour) == ("published", 5, 4)
    assert b.hint_kind == "lastmod" and b.hint == datetime(2024, 7, 6, tzinfo=VN_TZ)


def test_listing_teasers_with_day_first_dates():
    html = """<html><body><article class="story"><h3 class="story__heading">
      <a href="/nu-giam-doc-htx-4567.htm">Nữ giám đốc HTX</a></h3>
      <time class="story__time">05/07/2024 04:19</time></article>
      <article class="story"><h3 class="story__heading"><a href="/thoi-su">Thời sự</a></h3>
      </article></body></html>"""
    (c,) = parse_listing(html, "https://baothanhhoa.vn/thoi-su", SITE, SITE.listing)
    assert c.url == "https://baothanhhoa.vn/nu-giam-doc-htx-4567.htm"
    assert c.hint == datetime(2024, 7, 5, 4, 19, tzinfo=VN_TZ)


def test_months_between_and_interval_bounds():
    start, end = datetime(2024, 11, 20, tzinfo=VN_TZ), datetime(2025, 2, 1, tzinfo=VN_TZ)
    assert months_between(start, end) == {(2024, 11), (2024, 12), (2025, 1)}
    assert months_between(start, datetime(2024, 11, 21, tzinfo=VN_TZ)) == {(2024, 11)}
    c = Candidate("u", "u", end, "published", "e")
    assert not in_interval(c, start, end)  # [start, end)
    assert in_interval(Candidate("u", "u", start, "published", "e"), start, end)
