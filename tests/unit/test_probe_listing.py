"""Teaser, link and date selectors inferred from two pages of a replica listing."""

from __future__ import annotations

import re

import pytest

from replica.app import PAGE_SIZE
from replica.data import dataset
from replica.families import app_for
from scrapers.discover.parsers import parse_listing
from scrapers.probe.listing import infer_listing_rules
from scrapers.probe.patterns import infer_article_pattern
from scrapers.registry import Site

EXPECTED = {  # family: (teaser, date) selectors
    "baodanang": ("article.post", "time.published"),
    "baolangson": ("td.NewsItem", "span.DateSmall"),
    "baonghean": ("div.item-news", None),
    "baothanhhoa": ("article.story", "time.story__time"),
}


def listing_pages(slug: str) -> tuple[list, str, str, str, str]:
    """The first category's pages 1 and 2 as the replica serves them, with their URLs."""
    app = app_for(dataset(slug), 0.0)
    cat = app.spec.categories[0]
    items = app.view().by_category[cat.key]
    pages = app.pages(cat)
    base = app.spec.base_url
    one = app.listing_html(cat, items[:PAGE_SIZE], 1, pages)
    two = app.listing_html(cat, items[PAGE_SIZE:2 * PAGE_SIZE], 2, pages)
    return items, base + cat.path, one, base + cat.path + "?page=2", two


@pytest.mark.parametrize("slug", sorted(EXPECTED))
def test_rules_name_the_listing_teasers_not_the_boxes_around_them(slug):
    items, url1, one, url2, two = listing_pages(slug)
    site = dataset(slug)
    guess = infer_article_pattern({"sitemap": [a.url for a in site.articles if a.crawlable]})
    assert guess is not None
    pattern = re.compile(guess.regex)
    rules = infer_listing_rules(one, url1, two, url2, pattern)
    assert rules is not None
    assert (rules.rules.item, rules.rules.date) == EXPECTED[slug]
    probe_site = Site(slug="x", name="x", base_url=site.base_url,
                      article_url_pattern=guess.regex, listing=rules.rules)
    teasers = parse_listing(one, url1, probe_site, rules.rules)
    wanted = [a.url for a in items[:PAGE_SIZE] if pattern.search(a.url)]
    assert [c.url for c in teasers] == wanted  # in order, sidebars left out
    assert {a.url for a in items[:PAGE_SIZE] if a.crawlable} <= set(wanted)
    dated = [c for c in teasers if c.hint is not None]
    assert len(dated) == (len(wanted) if EXPECTED[slug][1] else 0) == rules.dated


def test_pages_that_repeat_the_same_links_are_no_listing():
    items, url1, one, _, _ = listing_pages("baonghean")
    guess = infer_article_pattern({"listing": [a.url for a in items]})
    assert guess is not None
    assert infer_listing_rules(one, url1, one, url1, re.compile(guess.regex)) is None
