"""discover_step: walk a site's endpoints for [start, end) and queue new URLs in ``urls``.

A listing without dates (a probed site's, whose teasers show none) is dated by its
teasers' pages: the warehouse's dates where it has them, else the page is fetched as the
fetch step fetches it (stored, so it is not asked again) and its date read.

Settings: ``listing_max_pages``, ``sitemap_closed_grace_hours``, ``sitemap_revalidate_days``,
``endpoint_poll_min_s``, ``endpoint_poll_max_s`` (and the HTTP settings of the session it
makes, and those of the fetch step for dated teasers).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from scrapers.counts import DiscoverCounts
from scrapers.discover import Candidate, EndpointWalker, WalkLimits, in_interval
from scrapers.extract import extract_article
from scrapers.http import PoliteSession
from scrapers.registry import Site
from scrapers.settings import Settings
from scrapers.steps.common import session_for
from scrapers.steps.fetch import fetch_step
from scrapers.store.endpoints import DbEndpointStore
from scrapers.store.frontier import queue_urls, url_id_of
from scrapers.store.probes import known_dates, stored_bodies
from scrapers.store.runs import record_counts
from scrapers.store.sources import source_id

log = logging.getLogger(__name__)


def _best(cands: list[Candidate]) -> dict[str, Candidate]:
    """One candidate per canonical URL; a publication date beats a lastmod."""
    best: dict[str, Candidate] = {}
    for c in cands:
        old = best.get(c.url)
        if old is None or (old.hint_kind != "published" and c.hint_kind == "published"):
            best[c.url] = c
    return best


class _TeaserDater:
    """Teasers' publication dates: known ones, else from their pages, fetched as the fetch
    step fetches them (so they are stored and not asked again) and read; ``added`` holds the
    URLs it put in the frontier."""

    def __init__(self, engine: Engine, site: Site, sid: int, *, settings: Settings,
                 session: PoliteSession, run_id: int | None) -> None:
        self.engine, self.site, self.sid, self.settings = engine, site, sid, settings
        self.session, self.run_id = session, run_id
        self.added: set[str] = set()

    def __call__(self, cands: list[Candidate]) -> dict[str, datetime]:
        urls = [c.url for c in cands]
        with self.engine.begin() as conn:
            before = {u for u in urls if url_id_of(conn, u) is not None}
            queue_urls(conn, self.sid, cands)
            self.added |= set(urls) - before
            dates = known_dates(conn, self.sid, urls)
            todo = {u: url_id_of(conn, u) for u in urls if u not in dates}
        if not todo:
            return dates
        fetch_step(self.engine, self.site, settings=self.settings,
                   url_ids=[i for i in todo.values() if i], run_id=self.run_id,
                   session=self.session)
        with self.engine.connect() as conn:
            pages = stored_bodies(conn, self.sid, list(todo))
        dated = []
        for url, (final_url, html, fetched_at) in pages.items():
            try:
                published = extract_article(html, final_url, self.site,
                                            fetched_at=fetched_at).published_at
            except ValueError:  # not an article: left undated
                continue
            if published is not None:
                dates[url] = published
                dated.append(Candidate(url, url, published, "published", cands[0].endpoint_url))
        with self.engine.begin() as conn:
            queue_urls(conn, self.sid, dated)  # the frontier keeps the date as its hint
        return dates


def discover_step(engine: Engine, site: Site, start: datetime, end: datetime, *,
                  settings: Settings, base_url: str | None = None, run_id: int | None = None,
                  session: PoliteSession | None = None) -> DiscoverCounts:
    """Queue the site's article URLs published in [start, end); return the counts."""
    sid = source_id(engine, site.slug)
    store = DbEndpointStore(engine, sid, run_id, poll_min_s=settings.endpoint_poll_min_s,
                            poll_max_s=settings.endpoint_poll_max_s)
    own_session = session is None
    session = session or session_for(site, base_url, settings)
    try:
        limits = WalkLimits(
            max_pages=settings.listing_max_pages,
            closed_grace=timedelta(hours=settings.sitemap_closed_grace_hours),
            revalidate=timedelta(days=settings.sitemap_revalidate_days))
        undated = site.listing is not None and site.listing.date is None
        dater = _TeaserDater(engine, site, sid, settings=settings, session=session,
                             run_id=run_id) if undated else None
        walker = EndpointWalker(session, store, site, start, end, limits=limits,
                                now=datetime.now(UTC), dater=dater)
        seen = _best(list(walker.walk()))
    finally:
        if own_session:
            session.close()
    wanted = [c for c in seen.values() if in_interval(c, start, end)]
    with engine.begin() as conn:
        new, known = queue_urls(conn, sid, wanted)
    if dater is not None:  # URLs it queued to date them were new to this run too
        dated_new = len(dater.added & {c.url for c in wanted})
        new, known = new + dated_new, known - dated_new
    stats = walker.stats
    counts = DiscoverCounts(
        endpoint_requests=stats.requests, endpoint_not_modified=stats.not_modified,
        endpoint_reused=stats.reused,
        endpoint_failed=stats.failed, endpoint_errors=stats.errors, candidates=len(seen),
        in_interval=len(wanted), discovered=new, known=known)
    log.info("%s discover [%s, %s): %s", site.slug, start.isoformat(), end.isoformat(), counts)
    record_counts(engine, run_id, "discover", counts)
    return counts
