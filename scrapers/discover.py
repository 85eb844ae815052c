"""Find article URLs for a data interval from a site's feeds, sitemaps and listings.

Parsers are pure functions over a body; ``walk_endpoints`` drives them through a polite
session and an ``EndpointStore`` that remembers validators (ETag, Last-Modified, checksum)
and what interval each endpoint's last parsed body covered, so a 304 is trusted only when
that body was already read for this interval.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Literal, Protocol
from urllib.parse import urljoin

import feedparser
from lxml import etree, html

from scrapers.dates import localize, parse_iso, parse_vn_datetime
from scrapers.http import FetchResult, PoliteSession
from scrapers.registry import Endpoint, ListingRules, Site
from scrapers.urls import canonicalize, matches_article_pattern, variant_reason

log = logging.getLogger(__name__)

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


@dataclass(frozen=True)
class EndpointState:
    """What the store remembers of an endpoint: validators, checksum, the interval its last
    parsed body covered, its oldest item (listings), and its children (sitemap indexes)."""

    id: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    body_sha256: str | None = None
    covered_start: datetime | None = None
    covered_end: datetime | None = None
    items_oldest: datetime | None = None
    children: tuple[str, ...] = ()

    def covers(self, start: datetime, end: datetime) -> bool:
        return (self.covered_start is not None and self.covered_end is not None
                and self.covered_start <= start and end <= self.covered_end)


@dataclass(frozen=True)
class EndpointRead:
    """One request to an endpoint, as the store keeps it: the state after it, whether the
    body was the same as before, and the newest item and sitemap lastmod it showed."""

    kind: str
    url: str
    parent_url: str | None
    result: FetchResult
    state: EndpointState
    unchanged: bool
    items_newest: datetime | None = None
    lastmod: datetime | None = None


class EndpointStore(Protocol):
    """Where endpoint state lives: ``scrapers.store.endpoints`` (Postgres, or in memory)."""

    def load(self, url: str) -> EndpointState: ...

    def save(self, read: EndpointRead) -> None: ...


def after_read(state: EndpointState, result: FetchResult, *, items: list[datetime] | None,
               start: datetime, end: datetime) -> tuple[EndpointState, bool]:
    """The endpoint's state after a request, and whether its body was unchanged.

    ``items`` are the dates of what a parsed body listed (None: the body was not parsed).
    Coverage grows while the body stays the same and the intervals touch; a changed body
    covers only the interval it was read for.
    """
    parsed = items is not None
    sha = body_checksum(result) if parsed else state.body_sha256
    cov_start, cov_end, oldest = state.covered_start, state.covered_end, state.items_oldest
    if parsed:
        oldest = min(items) if items else None
        touching = cov_start is not None and cov_end is not None \
            and cov_start <= end and start <= cov_end
        if sha == state.body_sha256 and touching:
            cov_start, cov_end = min(cov_start, start), max(cov_end, end)
        else:
            cov_start, cov_end = start, end
    unchanged = result.not_modified or (parsed and sha == state.body_sha256)
    new = replace(state, body_sha256=sha, covered_start=cov_start, covered_end=cov_end,
                  items_oldest=oldest,
                  etag=(result.headers.get("etag") or state.etag) if result.ok else state.etag,
                  last_modified=(result.headers.get("last-modified") or state.last_modified)
                  if result.ok else state.last_modified)
    return new, unchanged


# ---------------------------------------------------------------- parsers (pure)

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


# ---------------------------------------------------------------- the walk (I/O)

@dataclass
class WalkStats:
    requests: int = 0
    not_modified: int = 0
    failed: int = 0
    errors: dict[str, int] = field(default_factory=dict)

    def count(self, result: FetchResult) -> None:
        self.requests += 1
        if result.not_modified:
            self.not_modified += 1
        elif not result.ok:
            self.failed += 1
            kind = result.error_kind or "unknown"
            self.errors[kind] = self.errors.get(kind, 0) + 1


class EndpointWalker:
    """Visit one site's endpoints for [start, end) and yield candidate URLs."""

    def __init__(self, session: PoliteSession, store: EndpointStore, site: Site,
                 start: datetime, end: datetime, *, max_pages: int) -> None:
        self.session, self.store, self.site = session, store, site
        self.start, self.end, self.max_pages = start, end, max_pages
        self.stats = WalkStats()

    def walk(self) -> Iterator[Candidate]:
        for ep in self.site.endpoints:
            url = self.site.absolute(ep.url)
            if ep.kind == "listing":
                yield from self._listing(ep, url)
            elif ep.kind == "sitemap_index":
                yield from self._sitemap_index(ep, url)
            else:
                yield from self._leaf(ep.kind, url, None)

    def _get(self, kind: str, url: str, *, conditional: bool
             ) -> tuple[FetchResult, EndpointState]:
        state = self.store.load(url)
        result = self.session.get(url, etag=state.etag if conditional else None,
                                  last_modified=state.last_modified if conditional else None)
        self.stats.count(result)
        if not result.ok and not result.not_modified:
            log.warning("endpoint %s failed: %s %s", url, result.error_kind, result.error)
        return result, state

    def _record(self, kind: str, url: str, parent: str | None, result: FetchResult,
                state: EndpointState, items: list[datetime] | None = None,
                lastmod: datetime | None = None) -> None:
        """Save one request; ``items`` (the dates a parsed body listed) None: not parsed."""
        new, unchanged = after_read(state, result, items=items, start=self.start, end=self.end)
        self.store.save(EndpointRead(kind, url, parent, result, new, unchanged,
                                     max(items) if items else None, lastmod))

    def _fetch_for_interval(self, kind: str, url: str, parent: str | None
                            ) -> tuple[FetchResult, EndpointState] | None:
        """A body to parse, or None when a 304 proves this interval was already read."""
        result, state = self._get(kind, url, conditional=True)
        if result.not_modified:
            if state.covers(self.start, self.end):
                self._record(kind, url, parent, result, state)
                return None
            result, state = self._get(kind, url, conditional=False)
        if not result.ok:
            self._record(kind, url, parent, result, state)
            return None
        return result, state

    def _leaf(self, kind: str, url: str, parent: str | None,
              lastmod: datetime | None = None) -> Iterator[Candidate]:
        got = self._fetch_for_interval(kind, url, parent)
        if got is None:
            return
        result, state = got
        try:
            if kind == "feed":
                cands = parse_feed(result.text or "", self.site, url)
            else:
                cands = sitemap_candidates(parse_sitemap(result.text or "")[1], self.site, url)
        except (ValueError, etree.LxmlError) as exc:
            log.warning("endpoint %s: unparseable %s: %s", url, kind, exc)
            self.stats.errors["parse"] = self.stats.errors.get("parse", 0) + 1
            cands = []
        self._record(kind, url, parent, result, state, [c.hint for c in cands if c.hint],
                     lastmod)
        yield from cands

    def _sitemap_index(self, ep: Endpoint, url: str) -> Iterator[Candidate]:
        result, state = self._get("sitemap_index", url, conditional=True)
        children: list[SitemapEntry]
        if result.not_modified:
            children = [SitemapEntry(c, None) for c in state.children]
            self._record("sitemap_index", url, None, result, state)
        elif result.ok:
            _, children = parse_sitemap(result.text or "")
            self._record("sitemap_index", url, None, result, state, [])
        else:
            self._record("sitemap_index", url, None, result, state)
            return
        wanted = months_between(self.start, self.end)
        pattern = re.compile(ep.month_pattern) if ep.month_pattern else None
        for child in children:
            loc = self.site.absolute(child.loc)
            if pattern and (m := pattern.search(loc)):
                if (int(m["year"]), int(m["month"])) not in wanted:
                    continue
            elif child.lastmod is not None and child.lastmod < self.start:
                continue
            kind = "news_sitemap" if "news" in loc.rsplit("/", 1)[-1] else "sitemap"
            yield from self._leaf(kind, loc, url, child.lastmod)

    def _listing(self, ep: Endpoint, first_url: str) -> Iterator[Candidate]:
        rules = self.site.listing
        if rules is None:
            log.warning("%s: listing endpoint %s but no listing rules", self.site.slug, first_url)
            return
        seen: set[str] = set()
        max_pages = min(ep.max_pages or self.max_pages, self.max_pages)
        for page in range(1, max_pages + 1):
            url = first_url if page == 1 or not ep.pagination else self.site.absolute(
                ep.pagination.format(page=page))
            parent = None if page == 1 else first_url
            result, state = self._get("listing", url, conditional=True)
            if result.not_modified and state.covers(self.start, self.end):
                self._record("listing", url, parent, result, state)
                if not ep.pagination or (state.items_oldest is not None
                                         and state.items_oldest < self.start):
                    return
                continue
            if result.not_modified:
                result, state = self._get("listing", url, conditional=False)
            if not result.ok:
                self._record("listing", url, parent, result, state)
                return
            cands = parse_listing(result.text or "", url, self.site, rules)
            dates = [c.hint for c in cands if c.hint]
            self._record("listing", url, parent, result, state, dates)
            new = [c for c in cands if c.url not in seen]
            seen.update(c.url for c in cands)
            yield from new
            if not new or (dates and min(dates) < self.start) or not ep.pagination:
                return


def body_checksum(result: FetchResult) -> str | None:
    if result.content is None:
        return None
    return hashlib.sha256(result.content).hexdigest()
