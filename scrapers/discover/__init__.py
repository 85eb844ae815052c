"""Find article URLs for an interval from a site's feeds, sitemaps and listings.

``parsers`` turns endpoint bodies into candidates (pure); ``walk`` decides what to ask the
site and what stored reads already answer; ``state`` is what is remembered of an endpoint
and the interface of the store that keeps it (``scrapers.store.endpoints``).
"""

from scrapers.discover.parsers import (
    Candidate,
    SitemapEntry,
    in_interval,
    months_between,
    parse_feed,
    parse_listing,
    parse_sitemap,
    sitemap_candidates,
)
from scrapers.discover.state import EndpointRead, EndpointState, EndpointStore
from scrapers.discover.walk import EndpointWalker, WalkLimits, WalkStats

__all__ = ["Candidate", "EndpointRead", "EndpointState", "EndpointStore", "EndpointWalker",
           "SitemapEntry", "WalkLimits", "WalkStats", "in_interval", "months_between",
           "parse_feed", "parse_listing", "parse_sitemap", "sitemap_candidates"]
