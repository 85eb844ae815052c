"""discover_step: walk a site's endpoints for [start, end) and queue new URLs in ``urls``.

Settings: ``listing_max_pages``, ``sitemap_closed_grace_hours``, ``sitemap_revalidate_days``,
``endpoint_poll_min_s``, ``endpoint_poll_max_s`` (and the HTTP settings of the session it
makes).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from scrapers.counts import DiscoverCounts
from scrapers.discover import Candidate, EndpointWalker, WalkLimits, in_interval
from scrapers.http import PoliteSession
from scrapers.registry import Site
from scrapers.settings import Settings
from scrapers.steps.common import session_for
from scrapers.store.endpoints import DbEndpointStore
from scrapers.store.frontier import queue_urls
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
        walker = EndpointWalker(session, store, site, start, end, limits=limits,
                                now=datetime.now(UTC))
        seen = _best(list(walker.walk()))
    finally:
        if own_session:
            session.close()
    wanted = [c for c in seen.values() if in_interval(c, start, end)]
    with engine.begin() as conn:
        new, known = queue_urls(conn, sid, wanted)
    stats = walker.stats
    counts = DiscoverCounts(
        endpoint_requests=stats.requests, endpoint_not_modified=stats.not_modified,
        endpoint_reused=stats.reused,
        endpoint_failed=stats.failed, endpoint_errors=stats.errors, candidates=len(seen),
        in_interval=len(wanted), discovered=new, known=known)
    log.info("%s discover [%s, %s): %s", site.slug, start.isoformat(), end.isoformat(), counts)
    record_counts(engine, run_id, "discover", counts)
    return counts
