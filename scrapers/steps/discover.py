"""discover_step: walk a site's endpoints for [start, end) and queue new URLs in ``urls``."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import Connection, Engine, text

from scrapers.discover import Candidate, EndpointState, EndpointWalker, body_checksum, in_interval
from scrapers.http import FetchResult, PoliteSession
from scrapers.registry import Site, source_id
from scrapers.settings import get_settings
from scrapers.steps.common import session_for
from scrapers.steps.runs import record_counts
from scrapers.urls import variant_reason

log = logging.getLogger(__name__)

MIN_POLL_S, MAX_POLL_S = 900, 86400


def record_fetch(conn: Connection, result: FetchResult, *, source_id: int,
                 url_id: int | None = None, endpoint_id: int | None = None,
                 run_id: int | None = None) -> int:
    """One row per HTTP exchange (retries folded into ``attempts``): nothing fails silently."""
    if result.not_modified:
        outcome = "not_modified"
    elif result.ok:
        outcome = "ok"
    else:
        outcome = "skipped" if result.error_kind == "robots" else "error"
    return conn.execute(text(
        "INSERT INTO fetches (source_id, url_id, endpoint_id, run_id, requested_url, final_url,"
        " status, bytes, elapsed_ms, attempts, outcome, error_kind, error)"
        " VALUES (:sid, :uid, :eid, :rid, :url, :final, :status, :bytes, :ms, :attempts,"
        " :outcome, :kind, :error) RETURNING id"),
        {"sid": source_id, "uid": url_id, "eid": endpoint_id, "rid": run_id, "url": result.url,
         "final": result.final_url, "status": result.status,
         "bytes": len(result.content) if result.content is not None else None,
         "ms": max(0, result.elapsed_ms), "attempts": max(1, result.attempts),
         "outcome": outcome, "kind": result.error_kind, "error": result.error},
    ).scalar_one()


class DbEndpointStore:
    """Endpoint validators and coverage in the ``endpoints`` table."""

    def __init__(self, engine: Engine, source_id: int, run_id: int | None) -> None:
        self.engine, self.source_id, self.run_id = engine, source_id, run_id

    def load(self, kind: str, url: str, parent_url: str | None) -> EndpointState:
        with self.engine.connect() as conn:
            row = conn.execute(text(
                "SELECT id, etag, last_modified, body_sha256, covered_start, covered_end,"
                " items_oldest FROM endpoints WHERE source_id = :sid AND url = :url"),
                {"sid": self.source_id, "url": url}).first()
            if row is None:
                return EndpointState()
            children = list(conn.execute(text(
                "SELECT url FROM endpoints WHERE parent_id = :id ORDER BY url"),
                {"id": row.id}).scalars())
        return EndpointState(row.id, row.etag, row.last_modified, row.body_sha256,
                             row.covered_start, row.covered_end, row.items_oldest, children)

    def save(self, kind: str, url: str, parent_url: str | None, result: FetchResult,
             state: EndpointState, *, parsed: bool, start: datetime, end: datetime,
             items: list[datetime], lastmod: datetime | None = None) -> None:
        sha = body_checksum(result) if parsed else state.body_sha256
        cov_start, cov_end = state.covered_start, state.covered_end
        oldest = state.items_oldest
        if parsed:
            oldest = min(items) if items else None
            touching = cov_start is not None and cov_start <= end and start <= cov_end
            if sha == state.body_sha256 and touching:
                cov_start, cov_end = min(cov_start, start), max(cov_end, end)
            else:
                cov_start, cov_end = start, end
        unchanged = result.not_modified or (parsed and sha == state.body_sha256)
        with self.engine.begin() as conn:
            parent_id = None
            if parent_url:
                parent_id = conn.execute(text(
                    "SELECT id FROM endpoints WHERE source_id = :sid AND url = :url"),
                    {"sid": self.source_id, "url": parent_url}).scalar()
            endpoint_id = conn.execute(text(
                "INSERT INTO endpoints (source_id, kind, url, parent_id, etag, last_modified,"
                " body_sha256, lastmod, last_status, last_polled_at, covered_start, covered_end,"
                " items_oldest, items_newest, unchanged_polls, poll_interval_s, next_poll_at)"
                " VALUES (:sid, :kind, :url, :parent, :etag, :lm, :sha, :lastmod, :status, now(),"
                " :cs, :ce, :old, :new, :unch, :poll, now() + make_interval(secs => :poll))"
                " ON CONFLICT (source_id, url) DO UPDATE SET kind = EXCLUDED.kind,"
                " parent_id = COALESCE(EXCLUDED.parent_id, endpoints.parent_id),"
                " etag = COALESCE(EXCLUDED.etag, endpoints.etag),"
                " last_modified = COALESCE(EXCLUDED.last_modified, endpoints.last_modified),"
                " body_sha256 = EXCLUDED.body_sha256,"
                " lastmod = COALESCE(EXCLUDED.lastmod, endpoints.lastmod),"
                " last_status = EXCLUDED.last_status, last_polled_at = now(),"
                " covered_start = EXCLUDED.covered_start, covered_end = EXCLUDED.covered_end,"
                " items_oldest = EXCLUDED.items_oldest,"
                " items_newest = COALESCE(EXCLUDED.items_newest, endpoints.items_newest),"
                " unchanged_polls = CASE WHEN :unchanged THEN endpoints.unchanged_polls + 1"
                "   ELSE 0 END,"
                " poll_interval_s = CASE WHEN :unchanged"
                "   THEN LEAST(endpoints.poll_interval_s * 2, :maxpoll) ELSE :poll END,"
                " next_poll_at = now() + make_interval(secs => CASE WHEN :unchanged"
                "   THEN LEAST(endpoints.poll_interval_s * 2, :maxpoll) ELSE :poll END)"
                " RETURNING id"),
                {"sid": self.source_id, "kind": kind, "url": url, "parent": parent_id,
                 "etag": result.headers.get("etag") if result.ok else None,
                 "lm": result.headers.get("last-modified") if result.ok else None,
                 "sha": sha, "lastmod": lastmod, "status": result.status,
                 "cs": cov_start, "ce": cov_end, "old": oldest,
                 "new": max(items) if items else None, "unch": 1 if unchanged else 0,
                 "unchanged": unchanged, "poll": MIN_POLL_S, "maxpoll": MAX_POLL_S},
            ).scalar_one()
            record_fetch(conn, result, source_id=self.source_id, endpoint_id=endpoint_id,
                         run_id=self.run_id)


def _best(cands: list[Candidate]) -> dict[str, Candidate]:
    """One candidate per canonical URL; a publication date beats a lastmod."""
    best: dict[str, Candidate] = {}
    for c in cands:
        old = best.get(c.url)
        if old is None or (old.hint_kind != "published" and c.hint_kind == "published"):
            best[c.url] = c
    return best


def queue_urls(engine: Engine, sid: int, cands: list[Candidate]) -> tuple[int, int]:
    """Insert candidates into ``urls`` (known URLs stay as they are); return (new, known)."""
    new = 0
    with engine.begin() as conn:
        for c in cands:
            row = conn.execute(text(
                "INSERT INTO urls (source_id, url, published_hint, lastmod_hint)"
                " VALUES (:sid, :url, :pub, :lastmod)"
                " ON CONFLICT (url) DO UPDATE SET"
                " published_hint = COALESCE(urls.published_hint, EXCLUDED.published_hint),"
                " lastmod_hint = GREATEST(urls.lastmod_hint, EXCLUDED.lastmod_hint)"
                " WHERE (urls.published_hint IS NULL AND EXCLUDED.published_hint IS NOT NULL)"
                "    OR EXCLUDED.lastmod_hint > urls.lastmod_hint"
                " RETURNING id, (xmax = 0) AS inserted"),
                {"sid": sid, "url": c.url,
                 "pub": c.hint if c.hint_kind == "published" else None,
                 "lastmod": c.hint if c.hint_kind == "lastmod" else None}).first()
            url_id = row.id if row else conn.execute(
                text("SELECT id FROM urls WHERE url = :u"), {"u": c.url}).scalar_one()
            new += bool(row and row.inserted)
            conn.execute(text(
                "INSERT INTO url_variants (variant, url_id, reason) VALUES (:v, :id, :reason)"
                " ON CONFLICT (variant) DO NOTHING"),
                {"v": c.found_url, "id": url_id, "reason": variant_reason(c.found_url, c.url)})
    return new, len(cands) - new


def discover_step(engine: Engine, site: Site, start: datetime, end: datetime, *,
                  base_url: str | None = None, run_id: int | None = None,
                  session: PoliteSession | None = None) -> dict:
    """Queue the site's article URLs published in [start, end); return the counts."""
    sid = source_id(engine, site.slug)
    own_session = session is None
    session = session or session_for(site, base_url)
    try:
        walker = EndpointWalker(session, DbEndpointStore(engine, sid, run_id), site, start, end,
                                max_pages=get_settings().listing_max_pages)
        seen = _best(list(walker.walk()))
    finally:
        if own_session:
            session.close()
    wanted = [c for c in seen.values() if in_interval(c, start, end)]
    new, known = queue_urls(engine, sid, wanted)
    stats = walker.stats
    counts = {"endpoint_requests": stats.requests, "endpoint_not_modified": stats.not_modified,
              "endpoint_failed": stats.failed, "endpoint_errors": stats.errors,
              "candidates": len(seen), "in_interval": len(wanted), "discovered": new,
              "known": known}
    log.info("%s discover [%s, %s): %s", site.slug, start.isoformat(), end.isoformat(), counts)
    record_counts(engine, run_id, {"discover": counts})
    return counts
