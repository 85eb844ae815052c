"""What a probe reports: each endpoint found with where it was announced and how sure the
probe is, the article URL pattern with its support, the listing rules, and one outcome.

The ``found_in`` words are those of the replica's ``endpoints()`` (robots.txt, page_head,
homepage_head, homepage_nav), plus rss_page and usual_path for feeds and sitemaps found on a
page of feeds or at a conventional address.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from scrapers.registry import Endpoint, ListingRules


class Outcome(StrEnum):
    """How a probe ended (``source_probes.outcome``)."""

    FOUND = "found"
    NOTHING_FOUND = "nothing_found"  # no feed, sitemap or listing of articles
    BLOCKED = "blocked"  # robots.txt forbids the homepage
    UNREACHABLE = "unreachable"  # the homepage did not answer with a page


class Confidence(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class FoundIn(StrEnum):
    ROBOTS = "robots.txt"
    PAGE_HEAD = "page_head"  # the homepage's <head> and every section page's
    HOMEPAGE_HEAD = "homepage_head"
    SECTION_HEAD = "section_head"  # some section pages' <head>, not the homepage's
    HOMEPAGE_NAV = "homepage_nav"
    RSS_PAGE = "rss_page"  # a page listing the site's feeds
    USUAL_PATH = "usual_path"  # announced nowhere, answered at a conventional address


class Paging(StrEnum):
    """How a listing reaches its later pages."""

    NUMBERED = "numbered"  # page 1 links several later pages
    NEXT_LINK = "next_link"  # page 1 links only page 2
    GUESSED = "guessed"  # no link: a usual scheme answered with new items
    NONE = "none"  # no page 2 found


@dataclass(frozen=True)
class Finding:
    """One endpoint as a site file would write it, and why the probe believes in it."""

    endpoint: Endpoint
    found_in: tuple[FoundIn, ...]
    confidence: Confidence
    evidence: dict[str, Any] = field(default_factory=dict)
    paging: Paging | None = None  # listings only

    def to_json(self) -> dict[str, Any]:
        return {"endpoint": self.endpoint.model_dump(mode="json", exclude_none=True),
                "found_in": [str(f) for f in self.found_in],
                "confidence": str(self.confidence), "evidence": self.evidence,
                "paging": str(self.paging) if self.paging else None}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Finding:
        return cls(Endpoint.model_validate(data["endpoint"]),
                   tuple(FoundIn(f) for f in data["found_in"]), Confidence(data["confidence"]),
                   data.get("evidence") or {},
                   Paging(data["paging"]) if data.get("paging") else None)


@dataclass(frozen=True)
class PatternGuess:
    """The article URL pattern and what backs it: URLs per source, confirmed samples."""

    regex: str
    support: dict[str, int]  # source (sitemap, feed, listing) -> matching URLs
    samples: int = 0  # article pages fetched to confirm it
    confirmed: int = 0  # of them, those that extract as articles
    dated: int = 0  # of them, those whose publication date was found

    @property
    def confidence(self) -> Confidence:
        if self.samples and self.confirmed == self.samples and len(self.support) >= 2:
            return Confidence.HIGH
        return Confidence.MEDIUM if self.confirmed else Confidence.LOW


@dataclass(frozen=True)
class Identity:
    """What a site file starts with, as far as the homepage and the host tell."""

    slug: str
    name: str
    province: str | None


@dataclass
class ProbeReport:
    base_url: str
    outcome: Outcome
    reason: str = ""  # one line, for every outcome but FOUND
    identity: Identity | None = None
    crawl_delay: float | None = None  # robots.txt Crawl-delay for provnews
    pattern: PatternGuess | None = None
    listing: ListingRules | None = None
    findings: list[Finding] = field(default_factory=list)
    requests: int = 0

    @property
    def endpoints(self) -> list[Endpoint]:
        return [f.endpoint for f in self.findings]

    @property
    def confidence(self) -> Confidence:
        """The probe's overall certainty: that of its article pattern, capped by the best
        endpoint's."""
        if self.pattern is None or not self.findings:
            return Confidence.LOW
        order = list(Confidence)
        best = min(order.index(f.confidence) for f in self.findings)
        return order[max(best, order.index(self.pattern.confidence))]

    def summary(self) -> str:
        """One line: what was found, or why nothing was."""
        if self.outcome is not Outcome.FOUND:
            return f"{self.base_url}: {self.outcome}: {self.reason}"
        kinds: dict[str, int] = {}
        for f in self.findings:
            kinds[f.endpoint.kind] = kinds.get(f.endpoint.kind, 0) + 1
        found = ", ".join(f"{n} {k}" for k, n in kinds.items())
        regex = self.pattern.regex if self.pattern else "?"
        return (f"{self.base_url}: found {found}; article URLs {regex}"
                f" (confidence {self.confidence}, {self.requests} requests)")
