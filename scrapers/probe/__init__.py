"""Probing a site from its base URL alone: pure inference from the bodies a probe fetched.

- ``robots``: the sitemaps robots.txt announces, its Crawl-delay, whether it blocks us.
- ``pages``: a page's title, <head> feeds, navigation menu and links.
- ``sitemaps`` / ``feeds``: whether a body is a sitemap (index, monthly, Google News) or a
  feed, and what it lists.
- ``patterns``: the article URL pattern the URLs of sitemaps, feeds and listings share.
- ``pagination`` / ``listing``: a listing's page-2 scheme and its teaser selectors.
- ``identity``: slug, name and province for a new site file; ``draft``: the file itself.
- ``model``: the report, its findings and typed outcomes.

The requests are made by ``scrapers.steps.probe`` through ``PoliteSession``.
"""

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

__all__ = ["Confidence", "Finding", "FoundIn", "Identity", "Outcome", "Paging",
           "PatternGuess", "ProbeReport"]
