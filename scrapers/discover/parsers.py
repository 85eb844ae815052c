"""Parsers of discovery endpoints (pure): feeds, sitemaps and listing pages → candidates.

A candidate is an article URL (canonical, matching the site's article pattern) with the
spelling it was found under and a date hint: a publication date, or a sitemap lastmod.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal
from urllib.parse import urljoin

import feedparser
from lxml import etree, html

from scrapers.dates import localize, parse_iso, parse_vn_datetime
from scrapers.registry import ListingRules, Site
from scrapers.urls import canonicalize, matches_article_pattern, variant_reason

HintKind = Literal["published", "lastmod"]


@dataclass(frozen=True)
class Candidate:
    url: str  # canonical
    found_url: str
    hint: datetime | None
    hint_kind: HintKind | None
    endpoint_url: str

    @property
    def variant_reason(self) -> str:
        return variant_reason(self.found_url, self.url)


@dataclass(frozen=True)
class SitemapEntry:
    loc: str
    lastmod: datetime | None
    published: datetime | None = None  # Google News sitemaps


def parse_feed(body: str, site: Site, endpoint_url: str) -> list[Candidate]:
    feed = feedparser.parse(body)
    out = []
    for entry in feed.entries:
        link = entry.get("link")
        if not link:
            continue
        struct = entry.get("published_parsed") or entry.get("updated_parsed")
        published = datetime(*struct[:6], tzinfo=UTC) if struct else None
        out.extend(_candidate(link, site, endpoint_url, published, "published"))
    return out


_SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
_NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def parse_sitemap(body: str | bytes) -> tuple[Literal["index", "urlset"], list[SitemapEntry]]:
    data = body.encode("utf-8") if isinstance(body, str) else body
    root = etree.fromstring(data, parser=etree.XMLParser(recover=True, resolve_entities=False,
                                                         no_network=True))
    if root is None:
        raise ValueError("sitemap is not XML")
    kind: Literal["index", "urlset"] = "index" if root.tag.endswith("sitemapindex") else "urlset"
    entries = []
    for node in root:
        if not isinstance(node.tag, str):
            continue
        loc = (node.findtext(f"{_SM}loc") or node.findtext("loc") or "").strip()
        if not loc:
            continue
        lastmod = parse_w3c_datetime(node.findtext(f"{_SM}lastmod") or node.findtext("lastmod"))
        published = parse_w3c_datetime(node.findtext(f"{_NEWS}news/{_NEWS}publication_date"))
        entries.append(SitemapEntry(loc, lastmod, published))
    return kind, entries


def parse_w3c_datetime(value: str | None) -> datetime | None:
    """Sitemap dates (W3C datetime); a date without an offset is local Vietnamese time."""
    found = parse_iso(value)
    return found.value if found else None


def sitemap_candidates(entries: list[SitemapEntry], site: Site,
                       endpoint_url: str) -> list[Candidate]:
    out = []
    for e in entries:
        if e.published is not None:
            out.extend(_candidate(e.loc, site, endpoint_url, e.published, "published"))
        else:
            out.extend(_candidate(e.loc, site, endpoint_url, e.lastmod, "lastmod"))
    return out


def parse_listing(body: str, page_url: str, site: Site, rules: ListingRules) -> list[Candidate]:
    doc = html.fromstring(body)
    out = []
    for item in doc.cssselect(rules.item):
        links = item.cssselect(rules.link)
        if not links:
            continue
        href = urljoin(site.base_url + "/", links[0].get("href", ""))
        published = None
        if rules.date:
            nodes = item.cssselect(rules.date)
            if nodes:
                published = parse_listing_date(nodes[0].text_content(), rules.date_format)
        out.extend(_candidate(href, site, page_url, published, "published"))
    return out


def parse_listing_date(value: str, fmt: str | None) -> datetime | None:
    if fmt is None:
        return parse_vn_datetime(value)
    try:
        return localize(datetime.strptime(value.strip(), fmt))
    except ValueError:
        return None


def _candidate(found: str, site: Site, endpoint_url: str, hint: datetime | None,
               kind: HintKind) -> list[Candidate]:
    url = canonicalize(found.strip(), base=site.base_url)
    if not matches_article_pattern(url, site):
        return []
    return [Candidate(url, found.strip(), hint, kind if hint else None, endpoint_url)]


def months_between(start: datetime, end: datetime) -> set[tuple[int, int]]:
    """(year, month) pairs that [start, end) touches, in the dates' own timezone."""
    months, y, m = set(), start.year, start.month
    while (y, m) <= (end.year, end.month):
        months.add((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    if end.day == 1 and end.hour == end.minute == end.second == 0 and (end.year, end.month) != (
            start.year, start.month):
        months.discard((end.year, end.month))
    return months


def in_interval(c: Candidate, start: datetime, end: datetime) -> bool:
    return c.hint is not None and start <= c.hint < end


