"""A probe as a site file: valid YAML the registry loads, comments saying why."""

from __future__ import annotations

from scrapers.probe.draft import draft_yaml
from scrapers.probe.model import (
    Confidence,
    Finding,
    FoundIn,
    Identity,
    Outcome,
    Paging,
    PatternGuess,
    ProbeReport,
)
from scrapers.registry import Endpoint, ListingRules, load_site

ENDPOINTS = [
    Endpoint(kind="sitemap_index", url="https://x.vn/Sitemaps/Index.xml",
             month_pattern=r"/Sitemaps/(?P<year>\d{4})-(?P<month>\d{2})\.xml"),
    Endpoint(kind="listing", url="https://x.vn/Index.aspx?CatID=3",
             pagination="https://x.vn/Index.aspx?CatID=3&page={page}"),
]


def report() -> ProbeReport:
    findings = [Finding(ENDPOINTS[0], (FoundIn.ROBOTS,), Confidence.HIGH, {"sitemaps": 24}),
                Finding(ENDPOINTS[1], (FoundIn.HOMEPAGE_NAV,), Confidence.HIGH,
                        {"teasers": 20}, Paging.NUMBERED)]
    return ProbeReport(
        "https://x.vn", Outcome.FOUND, crawl_delay=5.0,
        pattern=PatternGuess(r"^https://x\.vn/Index\.aspx\?CatID=\d+&ID=\d+$",
                             {"sitemap": 30, "listing": 60}, 3, 3, 3),
        listing=ListingRules(item="td.NewsItem", date="span.DateSmall"), findings=findings,
        requests=14)


def test_the_draft_loads_as_the_site_it_describes(tmp_path):
    text = draft_yaml(report(), Identity("x_vn", "Báo X 'mới'", "lang-son"))
    path = tmp_path / "x_vn.yaml"
    path.write_text(text, encoding="utf-8")
    site = load_site(path)
    assert site.name == "Báo X 'mới'" and site.province == "lang-son"
    assert site.endpoints == ENDPOINTS and site.min_delay == 5.0
    assert site.article_url_pattern == report().pattern.regex
    assert site.listing == ListingRules(item="td.NewsItem", date="span.DateSmall")
    assert "confidence high" in text and "robots.txt" in text and "(numbered)" in text


def test_an_unknown_province_is_left_for_the_reader(tmp_path):
    text = draft_yaml(report(), Identity("x_vn", "Báo X", None))
    path = tmp_path / "x_vn.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_site(path).province is None and "include/provinces.csv" in text


def test_the_one_line_summary():
    assert report().summary().startswith("https://x.vn: found 1 sitemap_index, 1 listing;")
    blocked = ProbeReport("https://x.vn", Outcome.BLOCKED, "robots.txt disallows the homepage")
    assert blocked.summary() == "https://x.vn: blocked: robots.txt disallows the homepage"
