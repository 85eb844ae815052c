"""The walk over one site's endpoints for an interval: what to ask, what to reuse.

Discovery remembers what it has read (``EndpointStore``), so a backfill costs about one
request per article, not a re-read of every listing per day:

- Feeds and news sitemaps list only the latest items: once a read showed nothing older than
  the interval's end, they cannot hold the interval and are not asked.
- A monthly sitemap parsed after its month ended is complete: its stored items answer later
  runs, and it is re-validated (conditional GET) only every ``revalidate`` days. The index
  is not asked when every month the interval needs is such a closed sitemap.
- A listing is newest first and shifts deeper as articles are published. A walk that reads
  pages without a gap covers the dates between its last page's oldest item and its first
  page's newest: every article published in that range was on those pages. Covered ranges
  are stored on the listing's first page; an interval inside them is answered from stored
  items. Otherwise the walk starts at the
  deepest page that held only newer items when read (pages only shift deeper, so what the
  interval needs is past it now) and stops once the interval is covered.
- Any other endpoint is asked with a conditional GET; a 304 answers with its stored items.
- A listing that shows no dates (a probed site's, say) is dated by reading its teasers
  (``Dater``): a page's last teaser first; when that one is older than the interval's end,
  the others from the top until one is older than its start. A page left partly undated
  vouches only for the dates below its oldest teaser.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from lxml import etree

from scrapers.dates import localize
from scrapers.discover.parsers import (
    Candidate,
    months_between,
    parse_feed,
    parse_listing,
    parse_sitemap,
    sitemap_candidates,
)
from scrapers.discover.state import (
    EndpointRead,
    EndpointState,
    EndpointStore,
    after_read,
    covers,
    merge_segments,
)
from scrapers.http import FetchResult, PoliteSession
from scrapers.registry import Endpoint, Site

log = logging.getLogger(__name__)

FRESH_KINDS = frozenset({"feed", "news_sitemap"})  # lists of the latest items only
# publication dates of undated listing teasers, by reading them (those it can)
Dater = Callable[[list[Candidate]], dict[str, datetime]]


@dataclass
class WalkStats:
    requests: int = 0
    not_modified: int = 0
    failed: int = 0
    reused: int = 0  # endpoints answered from stored items without a request
    errors: dict[str, int] = field(default_factory=dict)

    def count(self, result: FetchResult) -> None:
        self.requests += 1
        if result.not_modified:
            self.not_modified += 1
        elif not result.ok:
            self.failed += 1
            kind = str(result.error_kind or "unknown")
            self.errors[kind] = self.errors.get(kind, 0) + 1


@dataclass(frozen=True)
class WalkLimits:
    max_pages: int  # listing pages per endpoint and run
    closed_grace: timedelta  # after a month ends, when its sitemap counts as complete
    revalidate: timedelta  # how often a complete sitemap is asked again (conditionally)


def _month_end(year: int, month: int, like: datetime) -> datetime:
    y, m = (year + 1, 1) if month == 12 else (year, month + 1)
    return localize(datetime(y, m, 1)).astimezone(like.tzinfo)


class EndpointWalker:
    """Visit one site's endpoints for [start, end) and yield candidate URLs."""

    def __init__(self, session: PoliteSession, store: EndpointStore, site: Site,
                 start: datetime, end: datetime, *, limits: WalkLimits, now: datetime,
                 dater: Dater | None = None) -> None:
        self.session, self.store, self.site = session, store, site
        self.start, self.end, self.limits, self.now = start, end, limits, now
        self.dater = dater
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

    # -- one request --

    def _state(self, url: str) -> EndpointState:
        return self.store.load([url]).get(url, EndpointState())

    def _read(self, kind: str, url: str, parent: str | None, state: EndpointState, *,
              lastmod: datetime | None = None) -> tuple[list[Candidate], EndpointState] | None:
        """Ask once (conditionally); the items and the state after it, None on failure."""
        result = self.session.get(url, etag=state.etag, last_modified=state.last_modified)
        self.stats.count(result)
        items = None
        if result.ok and not result.not_modified:
            items = self._parse(kind, url, result)
        elif not result.ok:
            log.warning("endpoint %s failed: %s %s", url, result.error_kind, result.error)
        new, unchanged = after_read(state, result, items=items, now=self.now)
        self.store.save(EndpointRead(kind, url, parent, result, new, unchanged, items, lastmod))
        if not result.ok:
            return None
        return (items if items is not None else self.store.items(url)), new

    def _parse(self, kind: str, url: str, result: FetchResult) -> list[Candidate]:
        body = result.text or ""
        try:
            if kind == "feed":
                return parse_feed(body, self.site, url)
            if kind == "listing":
                rules = self.site.listing
                return self._dated(parse_listing(body, url, self.site, rules)) if rules else []
            if kind == "sitemap_index":
                return [Candidate(loc := self.site.absolute(e.loc), loc, e.lastmod,
                                  "lastmod" if e.lastmod else None, url)
                        for e in parse_sitemap(body)[1]]
            return sitemap_candidates(parse_sitemap(body)[1], self.site, url)
        except (ValueError, etree.LxmlError) as exc:
            log.warning("endpoint %s: unparseable %s: %s", url, kind, exc)
            self.stats.errors["parse"] = self.stats.errors.get("parse", 0) + 1
            return []

    def _dated(self, items: list[Candidate]) -> list[Candidate]:
        """A listing page's teasers, dated by the dater when the page shows no dates."""
        if self.dater is None or not items or any(c.hint for c in items):
            return items
        dates = self.dater(items[-1:])
        last = dates.get(items[-1].url)
        if last is None or last < self.end:
            for c in items[:-1]:
                dates |= self.dater([c])
                if (d := dates.get(c.url)) is not None and d < self.start:
                    break
        return [replace(c, hint=dates[c.url], hint_kind="published") if c.url in dates else c
                for c in items]

    # -- feeds, sitemaps --

    def _leaf(self, kind: str, url: str, parent: str | None, *,
              lastmod: datetime | None = None,
              month: tuple[int, int] | None = None) -> Iterator[Candidate]:
        state = self._state(url)
        if self._answered_by_store(kind, state, month):
            self.stats.reused += 1
            yield from self.store.items(url, start=self.start, end=self.end)
            return
        got = self._read(kind, url, parent, state, lastmod=lastmod)
        if got is not None:
            yield from got[0]

    def _answered_by_store(self, kind: str, state: EndpointState,
                           month: tuple[int, int] | None) -> bool:
        if not state.read:
            return False
        if kind in FRESH_KINDS:
            return state.items_oldest is not None and state.items_oldest >= self.end
        return month is not None and self._complete(state, month)

    def _complete(self, state: EndpointState, month: tuple[int, int]) -> bool:
        """A month's sitemap parsed after the month ended, recently enough."""
        if state.parsed_at is None:
            return False
        closed = _month_end(*month, self.now) + self.limits.closed_grace
        return state.parsed_at >= closed and self.now - state.parsed_at < self.limits.revalidate

    def _sitemap_index(self, ep: Endpoint, url: str) -> Iterator[Candidate]:
        local_start, local_end = localize(self.start), localize(self.end)
        wanted = months_between(local_start, local_end)
        pattern = re.compile(ep.month_pattern) if ep.month_pattern else None
        state = self._state(url)
        children = self.store.items(url) if state.read else []
        months = {self._month(pattern, c.url): c for c in children}
        known = self.store.load([c.url for c in children])
        if not (pattern and wanted and all(
                m in months and self._complete(known.get(months[m].url, EndpointState()), m)
                for m in wanted)):
            got = self._read("sitemap_index", url, None, state)
            if got is None:
                return
            children = got[0]
        else:
            self.stats.reused += 1
        for child in children:
            month = self._month(pattern, child.url)
            if month is not None:
                if month not in wanted:
                    continue
            elif child.hint is not None and child.hint < self.start:
                continue
            kind = "news_sitemap" if "news" in child.url.rsplit("/", 1)[-1] else "sitemap"
            yield from self._leaf(kind, child.url, url, lastmod=child.hint, month=month)

    @staticmethod
    def _month(pattern: re.Pattern[str] | None, url: str) -> tuple[int, int] | None:
        m = pattern.search(url) if pattern else None
        return (int(m["year"]), int(m["month"])) if m else None

    # -- listings --

    def _listing(self, ep: Endpoint, first_url: str) -> Iterator[Candidate]:
        if self.site.listing is None:
            log.warning("%s: listing endpoint %s but no listing rules", self.site.slug, first_url)
            return
        max_pages = min(ep.max_pages or self.limits.max_pages, self.limits.max_pages)
        urls = [first_url] + [self.site.absolute(ep.pagination.format(page=n))
                              for n in range(2, max_pages + 1)] if ep.pagination else [first_url]
        states = self.store.load(urls)
        root = states.get(first_url, EndpointState())
        if covers(root.segments, self.start, self.end):
            self.stats.reused += 1
            yield from self.store.items(first_url, start=self.start, end=self.end,
                                        with_pages=True)
            return
        # pages that held only newer items when read: what the interval needs is past them
        skip = max((n for n, u in enumerate(urls) if (st := states.get(u)) and st.read
                    and st.items_oldest is not None and st.items_oldest >= self.end),
                   default=-1) + 1
        walked: list[datetime] = []
        seen: set[str] = set()
        segments = root.segments
        for n in range(skip, len(urls)):
            got = self._read("listing", urls[n], None if n == 0 else first_url,
                             states.get(urls[n], EndpointState()))
            if got is None:
                break
            items, state = got
            if n == skip:
                # everything older than the last skipped page's oldest item was past it
                # when read, and can only have moved deeper since: on the pages read now
                above = states[urls[n - 1]].items_oldest if n else None
                walked.extend(d for d in (above, state.items_newest) if d is not None)
            if any(c.hint is None for c in items):
                walked.clear()  # a partly dated page vouches only for what is below it
            if state.items_oldest is not None:
                walked.append(state.items_oldest)
            new = {c.url for c in items} - seen
            seen |= new
            if walked:
                segments = merge_segments([*root.segments, (min(walked), max(walked))])
            if not new or (state.items_oldest is not None and state.items_oldest < self.start) \
                    or covers(segments, self.start, self.end):
                break
        if segments != root.segments:
            self.store.save_segments(first_url, segments)
        yield from self.store.items(first_url, start=self.start, end=self.end, with_pages=True)
