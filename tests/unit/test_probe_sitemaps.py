"""Sitemap bodies: indexes of monthly sitemaps, Google News sitemaps, HTML that is none."""

from __future__ import annotations

import re

from scrapers.probe.sitemaps import month_pattern, read_sitemap

NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def _index(paths: list[str]) -> str:
    body = "".join(f"<sitemap><loc>https://x.vn{p}</loc></sitemap>" for p in paths)
    return f'<?xml version="1.0"?><sitemapindex {NS}>{body}</sitemapindex>'


def test_an_index_of_monthly_sitemaps_gets_its_month_pattern():
    paths = [f"/Sitemaps/{y}-{m:02d}.xml" for y in (2024, 2025) for m in range(1, 13)]
    facts = read_sitemap(_index(paths))
    assert facts is not None and facts.index and not facts.news
    assert facts.month_pattern == r"/Sitemaps/(?P<year>\d{4})-(?P<month>\d{2})\.xml"
    m = re.search(facts.month_pattern, "https://x.vn/Sitemaps/2031-07.xml")
    assert m and (m["year"], m["month"]) == ("2031", "07")


def test_an_index_by_category_is_not_monthly():
    assert month_pattern(("https://x.vn/sitemap-thoi-su.xml", "https://x.vn/sitemap-kt.xml")
                         ) is None
    assert month_pattern(("https://x.vn/2025-01.xml", "https://x.vn/2025-01-b.xml",
                          "https://x.vn/a.xml")) is None


def test_a_google_news_sitemap():
    body = (f'<urlset {NS} xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
            "<url><loc>https://x.vn/a-1.htm</loc><news:news><news:publication_date>"
            "2025-07-05T08:00:00+07:00</news:publication_date></news:news></url></urlset>")
    facts = read_sitemap(body)
    assert facts is not None and facts.news and not facts.index
    assert facts.locs == ("https://x.vn/a-1.htm",)


def test_html_or_empty_is_no_sitemap():
    assert read_sitemap("<html><body>Không tìm thấy</body></html>") is None
    assert read_sitemap(f"<urlset {NS}></urlset>") is None
