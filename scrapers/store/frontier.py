"""The frontier: ``urls`` (one row per canonical URL), ``url_variants`` and ``fetches``.

Discovery queues URLs here; the fetch step reads what is due, records every HTTP exchange
and moves each URL to its next state. Re-keying a URL to its rel=canonical is frontier
work too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, Row, text

from scrapers.outcomes import ErrorKind, UrlState, fetch_outcome

if TYPE_CHECKING:
    from scrapers.discover import Candidate
    from scrapers.http import FetchResult


@dataclass(frozen=True)
class Pending:
    """A URL due for fetching, with the validators of its stored page."""

    id: int
    url: str
    etag: str | None
    last_modified: str | None


@dataclass(frozen=True)
class Backoff:
    """When a failed URL is due again: ``base * 2**attempts`` seconds, at most ``cap``."""

    base_s: float
    cap_s: float


def queue_urls(conn: Connection, source: int, cands: Iterable[Candidate]) -> tuple[int, int]:
    """Insert candidates (known URLs keep their state; hints only fill gaps); return
    (new, known). Each spelling found is kept in ``url_variants``."""
    new = known = 0
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
            {"sid": source, "url": c.url,
             "pub": c.hint if c.hint_kind == "published" else None,
             "lastmod": c.hint if c.hint_kind == "lastmod" else None}).first()
        url_id = row.id if row else url_id_of(conn, c.url)
        if row is not None and row.inserted:
            new += 1
        else:
            known += 1
        add_variant(conn, c.found_url, url_id, c.variant_reason)
    return new, known


def url_id_of(conn: Connection, url: str) -> int | None:
    return conn.execute(text("SELECT id FROM urls WHERE url = :u"), {"u": url}).scalar()


def add_variant(conn: Connection, variant: str, url_id: int, reason: str, *,
                replace: bool = False) -> None:
    """Remember a spelling of a URL; ``replace`` moves a known spelling to ``url_id``."""
    conflict = ("DO UPDATE SET url_id = EXCLUDED.url_id, reason = EXCLUDED.reason" if replace
                else "DO NOTHING")
    conn.execute(text("INSERT INTO url_variants (variant, url_id, reason)"
                      f" VALUES (:v, :id, :reason) ON CONFLICT (variant) {conflict}"),
                 {"v": variant, "id": url_id, "reason": reason})


def rekey_url(conn: Connection, url_id: int, url: str) -> None:
    conn.execute(text("UPDATE urls SET url = :u WHERE id = :id"), {"u": url, "id": url_id})


_PENDING = """
SELECT u.id, u.url, p.etag, p.last_modified
FROM urls u LEFT JOIN pages p ON p.url_id = u.id
WHERE u.source_id = :sid
  AND (u.state = 'new'
       OR (u.state = 'failed' AND u.attempts < :max_attempts AND u.next_try_at <= now())
       OR (:refetch AND u.state = 'fetched'))
"""


def pending(conn: Connection, source: int, *, max_attempts: int, refetch: bool = False,
            url_ids: list[int] | None = None, limit: int | None = None,
            window: tuple[datetime, datetime] | None = None,
            retries_anywhere: bool = False) -> list[Pending]:
    """URLs due for fetching, newest publication first: new ones, failed ones whose retry
    time has come, and (``refetch``) fetched ones; with ``window``, only those whose date
    hint falls in it, plus (``retries_anywhere``) failed ones of any date."""
    sql = _PENDING
    params: dict = {"sid": source, "max_attempts": max_attempts, "refetch": refetch}
    if window is not None:
        sql += (" AND ((coalesce(u.published_hint, u.lastmod_hint) >= :ws"
                " AND coalesce(u.published_hint, u.lastmod_hint) < :we)"
                " OR (:anywhere AND u.state = 'failed'))")
        params.update(ws=window[0], we=window[1], anywhere=retries_anywhere)
    if url_ids is not None:  # one array, not a list of values: one statement to prepare
        sql += " AND u.id = ANY(CAST(:ids AS bigint[]))"
        params["ids"] = list(url_ids)
    sql += " ORDER BY u.published_hint DESC NULLS LAST, u.id"
    if limit is not None:
        sql += " LIMIT :limit"
        params["limit"] = limit
    return [Pending(*row) for row in conn.execute(text(sql), params)]


def window_url_ids(engine: Engine, source: int, start: datetime, end: datetime) -> list[int]:
    """Ids of the source's URLs whose publication hint falls in [start, end), to refetch."""
    with engine.connect() as conn:
        return list(conn.execute(text(
            "SELECT id FROM urls WHERE source_id = :sid"
            " AND state IN ('fetched', 'failed', 'new')"
            " AND coalesce(published_hint, lastmod_hint) >= :start"
            " AND coalesce(published_hint, lastmod_hint) < :end ORDER BY id"),
            {"sid": source, "start": start, "end": end}).scalars())


_RECORD_FETCHES = text(
    "INSERT INTO fetches (source_id, url_id, endpoint_id, run_id, requested_url, final_url,"
    " status, bytes, elapsed_ms, attempts, outcome, error_kind, error)"
    " SELECT :sid, f.url_id, f.endpoint_id, :rid, f.url, f.final, f.status, f.bytes, f.ms,"
    "   f.attempts, f.outcome, f.kind, f.error"
    " FROM unnest(CAST(:uids AS bigint[]), CAST(:eids AS bigint[]), CAST(:urls AS text[]),"
    "   CAST(:finals AS text[]), CAST(:statuses AS integer[]), CAST(:bytes AS integer[]),"
    "   CAST(:ms AS integer[]), CAST(:attempts AS integer[]), CAST(:outcomes AS text[]),"
    "   CAST(:kinds AS text[]), CAST(:errors AS text[]))"
    "   AS f(url_id, endpoint_id, url, final, status, bytes, ms, attempts, outcome, kind, error)"
    " RETURNING id, url_id")


def _insert_fetches(conn: Connection, results: list[FetchResult], *, source: int,
                    url_ids: list[int | None], endpoint_ids: list[int | None],
                    run_id: int | None) -> list[Row]:
    return conn.execute(_RECORD_FETCHES, {
        "sid": source, "rid": run_id, "uids": url_ids, "eids": endpoint_ids,
        "urls": [r.url for r in results], "finals": [r.final_url for r in results],
        "statuses": [r.status for r in results],
        "bytes": [len(r.content) if r.content is not None else None for r in results],
        "ms": [max(0, r.elapsed_ms) for r in results],
        "attempts": [max(1, r.attempts) for r in results],
        "outcomes": [str(fetch_outcome(r.error_kind, not_modified=r.not_modified))
                     for r in results],
        "kinds": [str(r.error_kind) if r.error_kind else None for r in results],
        "errors": [r.error for r in results]}).all()


def record_fetch(conn: Connection, result: FetchResult, *, source: int,
                 url_id: int | None = None, endpoint_id: int | None = None,
                 run_id: int | None = None) -> int:
    """One row per HTTP exchange (retries folded into ``attempts``): nothing fails silently."""
    return _insert_fetches(conn, [result], source=source, url_ids=[url_id],
                           endpoint_ids=[endpoint_id], run_id=run_id)[0].id


def record_fetches(conn: Connection, results: Mapping[int, FetchResult], *, source: int,
                   run_id: int | None = None) -> dict[int, int]:
    """:func:`record_fetch` for the exchanges of many URLs in one statement; returns the
    fetch id of each url_id."""
    if not results:
        return {}
    rows = _insert_fetches(conn, list(results.values()), source=source,
                           url_ids=list(results), endpoint_ids=[None] * len(results),
                           run_id=run_id)
    return {r.url_id: r.id for r in rows}


@dataclass(frozen=True)
class Attempt:
    """Where an attempt moves a URL: ``error`` without ``error_kind`` is the reason for
    closing an answered URL (gone, duplicate); ``retry`` sets its next try by the backoff."""

    url_id: int
    state: UrlState
    error_kind: ErrorKind | None = None
    error: str | None = None
    retry: bool = False


_RECORD_ATTEMPTS = text(
    "UPDATE urls u SET state = d.state, attempts = u.attempts + 1,"
    " last_fetched_at = CASE WHEN d.kind IS NULL THEN now() ELSE u.last_fetched_at END,"
    " last_error_kind = d.kind, last_error = d.error,"
    " next_try_at = CASE WHEN d.retry THEN now() + make_interval(secs =>"
    "   LEAST(:base * power(2, u.attempts), :cap)) ELSE u.next_try_at END"
    " FROM unnest(CAST(:ids AS bigint[]), CAST(:states AS text[]), CAST(:kinds AS text[]),"
    "   CAST(:errors AS text[]), CAST(:retries AS boolean[])) AS d(id, state, kind, error, retry)"
    " WHERE u.id = d.id")


def record_attempts(conn: Connection, attempts: list[Attempt], backoff: Backoff) -> None:
    """Move each URL (once) to its state after an attempt, in one statement."""
    if attempts:
        conn.execute(_RECORD_ATTEMPTS, {
            "ids": [a.url_id for a in attempts], "states": [str(a.state) for a in attempts],
            "kinds": [str(a.error_kind) if a.error_kind else None for a in attempts],
            "errors": [a.error for a in attempts], "retries": [a.retry for a in attempts],
            "base": backoff.base_s, "cap": backoff.cap_s})


def mark_not_modified(conn: Connection, url_ids: list[int]) -> None:
    """304s: the stored pages are current; the URLs' state and attempts stay."""
    if url_ids:
        conn.execute(text("UPDATE urls SET last_fetched_at = now(), last_error_kind = NULL,"
                          " last_error = NULL WHERE id = ANY(:ids)"), {"ids": url_ids})
