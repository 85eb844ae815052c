"""``endpoints`` and ``endpoint_items``: feeds, sitemaps and listings, what each last said
and every item they listed, so that discovery reuses what it has read.

Two stores with the walker's interface (``scrapers.discover.state.EndpointStore``):
Postgres for runs, memory for the walker's unit tests. Unchanged endpoints are polled less
and less often (``poll_interval_s`` doubles up to a cap), changed ones go back to the
minimum. Items are only ever added (a listing page's items move to later pages as news
is published: dropping them on a re-read would open gaps in what was covered).

Settings: ``endpoint_poll_min_s``, ``endpoint_poll_max_s``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import Connection, Engine, text

from scrapers.discover.parsers import Candidate
from scrapers.discover.state import EndpointRead, EndpointState, Segment
from scrapers.store.frontier import record_fetch

_UPSERT = text(
    "INSERT INTO endpoints (source_id, kind, url, parent_id, etag, last_modified,"
    " body_sha256, lastmod, last_status, last_polled_at, parsed_at,"
    " items_oldest, items_newest, unchanged_polls, poll_interval_s, next_poll_at)"
    " VALUES (:sid, :kind, :url,"
    "  (SELECT id FROM endpoints WHERE source_id = :sid AND url = :parent_url),"
    "  :etag, :lm, :sha, :lastmod, :status, now(), :parsed,"
    " :old, :new, :unch, :poll, now() + make_interval(secs => :poll))"
    " ON CONFLICT (source_id, url) DO UPDATE SET kind = EXCLUDED.kind,"
    " parent_id = COALESCE(EXCLUDED.parent_id, endpoints.parent_id),"
    " etag = COALESCE(EXCLUDED.etag, endpoints.etag),"
    " last_modified = COALESCE(EXCLUDED.last_modified, endpoints.last_modified),"
    " body_sha256 = EXCLUDED.body_sha256,"
    " lastmod = COALESCE(EXCLUDED.lastmod, endpoints.lastmod),"
    " last_status = EXCLUDED.last_status, last_polled_at = now(),"
    " parsed_at = EXCLUDED.parsed_at,"
    " items_oldest = EXCLUDED.items_oldest, items_newest = EXCLUDED.items_newest,"
    " unchanged_polls = CASE WHEN :unchanged THEN endpoints.unchanged_polls + 1 ELSE 0 END,"
    " poll_interval_s = CASE WHEN :unchanged"
    "   THEN LEAST(endpoints.poll_interval_s * 2, :maxpoll) ELSE :poll END,"
    " next_poll_at = now() + make_interval(secs => CASE WHEN :unchanged"
    "   THEN LEAST(endpoints.poll_interval_s * 2, :maxpoll) ELSE :poll END)"
    " RETURNING id")
_ADD_ITEMS = text(
    "INSERT INTO endpoint_items (endpoint_id, url, found_url, hint, hint_kind)"
    " VALUES (:eid, :url, :found, :hint, :kind) ON CONFLICT (endpoint_id, url) DO UPDATE SET"
    " hint = COALESCE(EXCLUDED.hint, endpoint_items.hint),"
    " hint_kind = COALESCE(EXCLUDED.hint_kind, endpoint_items.hint_kind)")


def _segments(data: list) -> tuple[Segment, ...]:
    return tuple((datetime.fromisoformat(lo), datetime.fromisoformat(hi)) for lo, hi in data)


class DbEndpointStore:
    """Endpoint state of one source in Postgres; each request also becomes a fetches row."""

    def __init__(self, engine: Engine, source: int, run_id: int | None, *,
                 poll_min_s: int, poll_max_s: int) -> None:
        self.engine, self.source, self.run_id = engine, source, run_id
        self.poll_min_s, self.poll_max_s = poll_min_s, poll_max_s

    def load(self, urls: list[str]) -> dict[str, EndpointState]:
        with self.engine.connect() as conn:
            rows = conn.execute(text(
                "SELECT url, id, etag, last_modified, body_sha256, items_oldest, items_newest,"
                " parsed_at, segments FROM endpoints WHERE source_id = :sid"
                " AND url = ANY(:urls)"), {"sid": self.source, "urls": list(urls)}).all()
        return {r.url: EndpointState(r.id, r.etag, r.last_modified, r.body_sha256,
                                     r.items_oldest, r.items_newest, r.parsed_at,
                                     _segments(r.segments)) for r in rows}

    def save(self, read: EndpointRead) -> None:
        st, result = read.state, read.result
        with self.engine.begin() as conn:
            endpoint_id = conn.execute(_UPSERT, {
                "sid": self.source, "kind": read.kind, "url": read.url,
                "parent_url": read.parent_url, "etag": st.etag, "lm": st.last_modified,
                "sha": st.body_sha256, "lastmod": read.lastmod, "status": result.status,
                "parsed": st.parsed_at, "old": st.items_oldest, "new": st.items_newest,
                "unch": 1 if read.unchanged else 0, "unchanged": read.unchanged,
                "poll": self.poll_min_s, "maxpoll": self.poll_max_s}).scalar_one()
            if read.items:
                conn.execute(_ADD_ITEMS, [
                    {"eid": endpoint_id, "url": c.url, "found": c.found_url, "hint": c.hint,
                     "kind": c.hint_kind} for c in read.items])
            record_fetch(conn, result, source=self.source, endpoint_id=endpoint_id,
                         run_id=self.run_id)

    def save_segments(self, url: str, segments: tuple[Segment, ...]) -> None:
        data = json.dumps([[lo.isoformat(), hi.isoformat()] for lo, hi in segments])
        with self.engine.begin() as conn:
            conn.execute(text("UPDATE endpoints SET segments = CAST(:s AS jsonb)"
                              " WHERE source_id = :sid AND url = :url"),
                         {"s": data, "sid": self.source, "url": url})

    def items(self, url: str, *, start: datetime | None = None, end: datetime | None = None,
              with_pages: bool = False) -> list[Candidate]:
        with self.engine.connect() as conn:
            return _items(conn, self.source, url, start, end, with_pages)


def _items(conn: Connection, source: int, url: str, start: datetime | None,
           end: datetime | None, with_pages: bool) -> list[Candidate]:
    rows = conn.execute(text(
        "SELECT i.url, i.found_url, i.hint, i.hint_kind, e.url AS endpoint_url"
        " FROM endpoint_items i JOIN endpoints e ON e.id = i.endpoint_id"
        " JOIN endpoints root ON root.source_id = :sid AND root.url = :url"
        " WHERE (e.id = root.id OR (:pages AND e.parent_id = root.id))"
        " AND (CAST(:start AS timestamptz) IS NULL OR i.hint >= :start)"
        " AND (CAST(:end AS timestamptz) IS NULL OR i.hint < :end)"
        " ORDER BY i.hint DESC NULLS LAST, i.url"),
        {"sid": source, "url": url, "pages": with_pages, "start": start, "end": end}).all()
    return [Candidate(r.url, r.found_url, r.hint, r.hint_kind, r.endpoint_url) for r in rows]


@dataclass
class MemoryEndpointStore:
    """The same contract in dicts: for unit tests of the walk."""

    states: dict[str, EndpointState] = field(default_factory=dict)
    parents: dict[str, str] = field(default_factory=dict)
    stored: dict[str, dict[str, Candidate]] = field(default_factory=dict)
    reads: list[EndpointRead] = field(default_factory=list)

    def load(self, urls: list[str]) -> dict[str, EndpointState]:
        return {u: self.states[u] for u in urls if u in self.states}

    def save(self, read: EndpointRead) -> None:
        self.reads.append(read)
        old = self.states.get(read.url, EndpointState())
        self.states[read.url] = replace(read.state, segments=old.segments)
        if read.parent_url:
            self.parents[read.url] = read.parent_url
        for c in read.items or []:
            self.stored.setdefault(read.url, {})[c.url] = c

    def save_segments(self, url: str, segments: tuple[Segment, ...]) -> None:
        self.states[url] = replace(self.states.get(url, EndpointState()), segments=segments)

    def items(self, url: str, *, start: datetime | None = None, end: datetime | None = None,
              with_pages: bool = False) -> list[Candidate]:
        sources = [url, *(c for c, p in self.parents.items() if p == url and with_pages)]
        return [c for s in sources for c in self.stored.get(s, {}).values()
                if (start is None or (c.hint is not None and c.hint >= start))
                and (end is None or (c.hint is not None and c.hint < end))]
