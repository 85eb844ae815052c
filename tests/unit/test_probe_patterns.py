"""The article URL pattern inferred from what sitemaps, feeds and listings name."""

from __future__ import annotations

import re

import pytest

from replica.data import SPECS, dataset
from scrapers.probe.patterns import infer_article_pattern, regex_literal
from scrapers.urls import canonicalize


def _noise(base: str) -> list[str]:
    """Links every page carries besides articles: sections, their pages, tags, the home."""
    return [base + "/", base + "/thoi-su", base + "/kinh-te", base + "/thoi-su/trang-2.htm",
            base + "/thoi-su?page=2", base + "/tag/ocop", base + "/lien-he"]


@pytest.mark.parametrize("slug", sorted(SPECS))
def test_every_family_gets_a_pattern_for_all_its_articles_and_nothing_else(slug):
    site = dataset(slug)
    crawlable = [canonicalize(a.url) for a in site.articles if a.crawlable]
    sources = {"sitemap": crawlable[-40:], "listing": crawlable[-60:] + _noise(site.base_url)}
    guess = infer_article_pattern(sources)
    assert guess is not None
    pattern = re.compile(guess.regex)
    assert all(pattern.search(u) for u in crawlable), guess.regex  # older and newer ones too
    assert not any(pattern.search(u) for u in _noise(site.base_url)), guess.regex
    assert guess.support["sitemap"] == 40


def test_numbers_are_generalised_dates_keep_their_width():
    words = ["mot", "hai", "ba", "bon", "nam", "sau"]
    urls = [f"https://x.vn/2025/{m:02d}/bai-viet-thang-{w}/" for m, w in enumerate(words, 1)]
    guess = infer_article_pattern({"feed": urls})
    assert guess is not None
    assert guess.regex == r"^https://x\.vn/\d{4}/\d{2}/[a-z0-9-]+/$"
    assert re.search(guess.regex, "https://x.vn/2031/12/bai-moi/")


def test_ids_may_grow_and_query_ids_too():
    urls = [f"https://x.vn/Index.aspx?CatID={c}&ID={i}" for c, i in
            ((3, 12001), (5, 12002), (7, 12950), (3, 13000))]
    guess = infer_article_pattern({"sitemap": urls})
    assert guess is not None
    assert guess.regex == r"^https://x\.vn/Index\.aspx\?CatID=\d+&ID=\d+$"
    slugs = [f"https://x.vn/tin-tuc/bai-{n}-post{280000 + n}.html" for n in range(5)]
    guess = infer_article_pattern({"listing": slugs})
    assert guess is not None and re.search(guess.regex, "https://x.vn/tin-tuc/moi-post1234567.html")


def test_the_shape_most_sources_share_wins():
    sections = [f"https://x.vn/chuyen-muc-{n}" for n in range(8)]
    articles = [f"https://x.vn/tin-{n}-{100000 + n}.htm" for n in range(5)]
    guess = infer_article_pattern({"listing": sections + articles, "feed": articles})
    assert guess is not None and re.search(guess.regex, articles[0])
    assert not re.search(guess.regex, sections[0])


def test_too_few_urls_give_no_pattern():
    assert infer_article_pattern({"listing": ["https://x.vn/a-1.htm", "https://x.vn/b"]}) is None


def test_regex_literal_escapes_only_regex_syntax():
    assert regex_literal("/Index.aspx?CatID=3&ID=-1") == r"/Index\.aspx\?CatID=3&ID=-1"
