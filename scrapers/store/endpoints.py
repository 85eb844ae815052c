"""``endpoints``: feeds, sitemaps and listings with their validators and coverage.

Two stores with the walker's small interface (``load(url)``, ``save(read)``): Postgres for
runs, memory for the walker's unit tests. Unchanged endpoints are polled less and less
often (``poll_interval_s`` doubles up to a cap), changed ones go back to the minimum.

Settings: ``endpoint_poll_min_s``, ``endpoint_poll_max_s``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from sqlalchemy import Engine, text

from scrapers.discover import EndpointRead, EndpointState
from scrapers.store.frontier import record_fetch

_UPSERT = text(
    "INSERT INTO endpoints (source_id, kind, url, parent_id, etag, last_modified,"
    " body_sha256, lastmod, last_status, last_polled_at, covered_start, covered_end,"
    " items_oldest, items_newest, unchanged_polls, poll_interval_s, next_poll_at)"
    " VALUES (:sid, :kind, :url,"
    "  (SELECT id FROM endpoints WHERE source_id = :sid AND url = :parent_url),"
    "  :etag, :lm, :sha, :lastmod, :status, now(),"
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
    " unchanged_polls = CASE WHEN :unchanged THEN endpoints.unchanged_polls + 1 ELSE 0 END,"
    " poll_interval_s = CASE WHEN :unchanged"
    "   THEN LEAST(endpoints.poll_interval_s * 2, :maxpoll) ELSE :poll END,"
    " next_poll_at = now() + make_interval(secs => CASE WHEN :unchanged"
    "   THEN LEAST(endpoints.poll_interval_s * 2, :maxpoll) ELSE :poll END)"
    " RETURNING id")


class DbEndpointStore:
    """Endpoint state of one source in Postgres; each request also becomes a fetches row."""

    def __init__(self, engine: Engine, source: int, run_id: int | None, *,
                 poll_min_s: int, poll_max_s: int) -> None:
        self.engine, self.source, self.run_id = engine, source, run_id
        self.poll_min_s, self.poll_max_s = poll_min_s, poll_max_s

    def load(self, url: str) -> EndpointState:
        with self.engine.connect() as conn:
            row = conn.execute(text(
                "SELECT id, etag, last_modified, body_sha256, covered_start, covered_end,"
                " items_oldest FROM endpoints WHERE source_id = :sid AND url = :url"),
                {"sid": self.source, "url": url}).first()
            if row is None:
                return EndpointState()
            children = tuple(conn.execute(text(
                "SELECT url FROM endpoints WHERE parent_id = :id ORDER BY url"),
                {"id": row.id}).scalars())
        return EndpointState(*row, children=children)

    def save(self, read: EndpointRead) -> None:
        st, result = read.state, read.result
        with self.engine.begin() as conn:
            endpoint_id = conn.execute(_UPSERT, {
                "sid": self.source, "kind": read.kind, "url": read.url,
                "parent_url": read.parent_url, "etag": st.etag, "lm": st.last_modified,
                "sha": st.body_sha256, "lastmod": read.lastmod, "status": result.status,
                "cs": st.covered_start, "ce": st.covered_end, "old": st.items_oldest,
                "new": read.items_newest, "unch": 1 if read.unchanged else 0,
                "unchanged": read.unchanged, "poll": self.poll_min_s,
                "maxpoll": self.poll_max_s}).scalar_one()
            record_fetch(conn, result, source=self.source, endpoint_id=endpoint_id,
                         run_id=self.run_id)


@dataclass
class MemoryEndpointStore:
    """The same contract in a dict: for unit tests of the walk, and dry runs."""

    states: dict[str, EndpointState] = field(default_factory=dict)
    parents: dict[str, str] = field(default_factory=dict)
    reads: list[EndpointRead] = field(default_factory=list)

    def load(self, url: str) -> EndpointState:
        children = tuple(sorted(c for c, p in self.parents.items() if p == url))
        return replace(self.states.get(url, EndpointState()), children=children)

    def save(self, read: EndpointRead) -> None:
        self.reads.append(read)
        self.states[read.url] = read.state
        if read.parent_url:
            self.parents[read.url] = read.parent_url
