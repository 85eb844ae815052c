"""What a sitemap body tells a probe: an index or a list of URLs, a Google News sitemap or a
plain one, and for an index of monthly sitemaps the pattern that names each child's month
(what lets discovery read only the months an interval touches)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from lxml import etree

from scrapers.discover.parsers import parse_sitemap
from scrapers.probe.patterns import regex_literal

_MONTH = re.compile(r"(?P<year>(?:19|20)\d{2})(?P<sep>[-_/]?)(?P<month>0[1-9]|1[0-2])(?!\d)")


@dataclass(frozen=True)
class SitemapFacts:
    index: bool
    news: bool  # entries carry Google News publication dates
    locs: tuple[str, ...]  # child sitemaps of an index, else the page URLs
    month_pattern: str | None  # an index whose children are one sitemap per month


def read_sitemap(body: str | bytes) -> SitemapFacts | None:
    """None when the body is not a sitemap (an HTML error page answered with 200)."""
    try:
        kind, entries = parse_sitemap(body)
    except (ValueError, etree.LxmlError):
        return None
    if not entries:
        return None
    locs = tuple(e.loc for e in entries)
    news = any(e.published is not None for e in entries)
    index = kind == "index"
    return SitemapFacts(index, news, locs, month_pattern(locs) if index else None)


def month_pattern(children: tuple[str, ...]) -> str | None:
    """``(?P<year>)`` / ``(?P<month>)`` pattern matching at least 80% of the children's paths,
    each a different month; None when the children are not monthly."""
    paths = [urlsplit(u).path for u in children]
    m = _MONTH.search(paths[0]) if paths else None
    if m is None:
        return None
    path = paths[0]
    pattern = (regex_literal(path[:m.start()]) + r"(?P<year>\d{4})" + regex_literal(m["sep"])
               + r"(?P<month>\d{2})" + regex_literal(path[m.end():]))
    months = {(g["year"], g["month"]) for p in paths if (g := re.search(pattern, p))}
    return pattern if len(months) >= 0.8 * len(paths) else None
