"""robots.txt as a probe reads it: sitemaps, Crawl-delay, a refusal."""

from scrapers.probe.robots import read_robots

UA = "provnews/0.1 (+https://example.org)"


def test_sitemaps_and_crawl_delay():
    facts = read_robots("User-agent: *\nDisallow: /admin/\nCrawl-delay: 2\n\n"
                        "Sitemap: https://x.vn/a.xml\nSitemap: https://x.vn/a.xml\n"
                        "Sitemap: https://x.vn/news.xml\n", UA, "https://x.vn")
    assert facts.sitemaps == ("https://x.vn/a.xml", "https://x.vn/news.xml")
    assert facts.crawl_delay == 2.0 and not facts.blocked


def test_a_site_that_disallows_everything_blocks_us():
    assert read_robots("User-agent: *\nDisallow: /\n", UA, "https://x.vn").blocked
    assert not read_robots("User-agent: Googlebot\nDisallow: /\n", UA, "https://x.vn").blocked


def test_no_robots_txt_means_no_rules():
    facts = read_robots(None, UA, "https://x.vn")
    assert facts.sitemaps == () and facts.crawl_delay is None and not facts.blocked
