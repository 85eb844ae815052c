"""fetch_step: fetch queued URLs politely and keep the latest body of each in ``pages``."""

from __future__ import annotations

import hashlib
import logging
import zlib
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

from sqlalchemy import Connection, Engine, bindparam, text

from scrapers.http import FetchResult, PoliteSession
from scrapers.registry import Site, source_id
from scrapers.settings import get_settings
from scrapers.steps.common import session_for
from scrapers.steps.discover import record_fetch
from scrapers.steps.runs import record_counts
from scrapers.urls import (
    adopt_rel_canonical,
    canonicalize,
    find_rel_canonical,
    matches_article_pattern,
)

log = logging.getLogger(__name__)

COMMIT_EVERY = 10  # results per transaction: a crash loses at most this many in-flight URLs
RETRY_BASE_S, RETRY_MAX_S = 900, 86400

_PENDING = """
SELECT u.id, u.url, p.etag, p.last_modified
FROM urls u LEFT JOIN pages p ON p.url_id = u.id
WHERE u.source_id = :sid
  AND (u.state = 'new'
       OR (u.state = 'failed' AND u.attempts < :max_attempts AND u.next_try_at <= now())
       OR (:refetch AND u.state = 'fetched'))
"""


@dataclass(frozen=True)
class Pending:
    id: int
    url: str
    etag: str | None
    last_modified: str | None


def _pending(conn: Connection, sid: int, *, refetch: bool, url_ids: list[int] | None,
             limit: int | None) -> list[Pending]:
    sql = _PENDING
    params: dict = {"sid": sid, "max_attempts": get_settings().max_attempts, "refetch": refetch}
    if url_ids is not None:
        sql += " AND u.id IN :ids"
        params["ids"] = list(url_ids) or [-1]
    sql += " ORDER BY u.published_hint DESC NULLS LAST, u.id"
    if limit is not None:
        sql += " LIMIT :limit"
        params["limit"] = limit
    stmt = text(sql)
    if url_ids is not None:
        stmt = stmt.bindparams(bindparam("ids", expanding=True))
    return [Pending(*row) for row in conn.execute(stmt, params)]


def pending_batches(engine: Engine, site: Site, *, batch_size: int | None = None,
                    limit: int | None = None, refetch: bool = False) -> list[list[int]]:
    """URL ids waiting to be fetched, in batches (one Airflow mapped task each)."""
    size = batch_size or get_settings().fetch_batch_size
    with engine.connect() as conn:
        ids = [p.id for p in _pending(conn, source_id(engine, site.slug), refetch=refetch,
                                      url_ids=None, limit=limit)]
    return [ids[i:i + size] for i in range(0, len(ids), size)]


def _redirected_off_articles(site: Site, item: Pending, result: FetchResult) -> bool:
    """A removed story often redirects to a section or home page that answers 200."""
    final = canonicalize(result.final_url or item.url)
    return final != item.url and not matches_article_pattern(final, site)


def _close(conn: Connection, item: Pending, state: str, reason: str) -> None:
    conn.execute(text(
        "UPDATE urls SET state = :state, attempts = attempts + 1, last_fetched_at = now(),"
        " last_error_kind = NULL, last_error = :reason WHERE id = :id"),
        {"id": item.id, "state": state, "reason": reason})


def _adopt_canonical(conn: Connection, site: Site, item: Pending, result: FetchResult
                     ) -> tuple[Pending, int | None]:
    """Re-key the URL to the page's rel=canonical (same site, an article URL); or, when that
    URL is already known, return its id so this one is closed as its duplicate."""
    canonical = adopt_rel_canonical(item.url, find_rel_canonical(result.text or ""))
    if canonical == item.url or not matches_article_pattern(canonical, site):
        return item, None
    owner = conn.execute(text("SELECT id FROM urls WHERE url = :u"), {"u": canonical}).scalar()
    conn.execute(text(
        "INSERT INTO url_variants (variant, url_id, reason) VALUES (:v, :id, 'rel_canonical')"
        " ON CONFLICT (variant) DO UPDATE SET url_id = EXCLUDED.url_id, reason = EXCLUDED.reason"),
        {"v": item.url, "id": owner or item.id})
    if owner is not None:
        return item, owner
    conn.execute(text("UPDATE urls SET url = :u WHERE id = :id"), {"u": canonical, "id": item.id})
    return replace(item, url=canonical), None


def _store_result(conn: Connection, site: Site, sid: int, item: Pending, result: FetchResult,
                  run_id: int | None) -> str:
    """Write one URL's outcome; return its count key."""
    fetch_id = record_fetch(conn, result, source_id=sid, url_id=item.id, run_id=run_id)
    if result.ok and _redirected_off_articles(site, item, result):
        _close(conn, item, "gone", f"redirected to a non-article page {result.final_url}")
        return "gone"
    if result.ok:
        item, owner = _adopt_canonical(conn, site, item, result)
        if owner is not None:
            _close(conn, item, "duplicate", f"rel=canonical names known URL id {owner}")
            return "duplicate_url"
    if result.not_modified:
        conn.execute(text("UPDATE urls SET last_fetched_at = now(), last_error_kind = NULL,"
                          " last_error = NULL WHERE id = :id"), {"id": item.id})
        return "not_modified"
    if result.ok:
        body = (result.text or "").encode("utf-8")
        sha = hashlib.sha256(body).hexdigest()
        conn.execute(text(
            "INSERT INTO pages (url_id, fetch_id, final_url, status, content_type, encoding,"
            " body_z, body_sha256, etag, last_modified, fetched_at)"
            " VALUES (:id, :fid, :final, :status, :ctype, :enc, :body, :sha, :etag, :lm, now())"
            " ON CONFLICT (url_id) DO UPDATE SET fetch_id = EXCLUDED.fetch_id,"
            " final_url = EXCLUDED.final_url, status = EXCLUDED.status,"
            " content_type = EXCLUDED.content_type, encoding = EXCLUDED.encoding,"
            " body_z = EXCLUDED.body_z, etag = EXCLUDED.etag,"
            " last_modified = EXCLUDED.last_modified, fetched_at = now(),"
            " extracted_at = CASE WHEN pages.body_sha256 = EXCLUDED.body_sha256"
            "   THEN pages.extracted_at END,"
            " body_sha256 = EXCLUDED.body_sha256"),
            {"id": item.id, "fid": fetch_id, "final": result.final_url, "status": result.status,
             "ctype": result.headers.get("content-type"), "enc": result.encoding,
             "body": zlib.compress(body, 6), "sha": sha, "etag": result.headers.get("etag"),
             "lm": result.headers.get("last-modified")})
        conn.execute(text(
            "UPDATE urls SET state = 'fetched', attempts = attempts + 1, last_fetched_at = now(),"
            " last_error_kind = NULL, last_error = NULL WHERE id = :id"), {"id": item.id})
        for hop in [*result.redirects, result.final_url]:
            if hop and canonicalize(hop) != item.url:
                conn.execute(text(
                    "INSERT INTO url_variants (variant, url_id, reason)"
                    " VALUES (:v, :id, 'redirect') ON CONFLICT (variant) DO NOTHING"),
                    {"v": hop, "id": item.id})
        return "fetched"
    kind = result.error_kind or "connection"
    if kind == "robots":
        state = "skipped"
    elif kind == "http_4xx" and result.status in (404, 410):
        state = "gone"
    else:
        state = "failed"
    conn.execute(text(
        "UPDATE urls SET state = :state, attempts = attempts + 1, last_error_kind = :kind,"
        " last_error = :error, next_try_at = now() + make_interval(secs =>"
        "   LEAST(:base * power(2, attempts), :max)) WHERE id = :id"),
        {"state": state, "kind": kind, "error": result.error, "id": item.id,
         "base": RETRY_BASE_S, "max": RETRY_MAX_S})
    return "skipped_robots" if state == "skipped" else ("gone" if state == "gone" else
                                                        f"failed_{kind}")


def fetch_step(engine: Engine, site: Site, *, url_ids: list[int] | None = None,
               limit: int | None = None, base_url: str | None = None,
               run_id: int | None = None, refetch: bool = False,
               session: PoliteSession | None = None) -> dict:
    """Fetch pending URLs (or just ``url_ids``); ``refetch`` re-asks fetched ones conditionally."""
    sid = source_id(engine, site.slug)
    with engine.connect() as conn:
        todo = _pending(conn, sid, refetch=refetch, url_ids=url_ids, limit=limit)
    counts: Counter[str] = Counter()
    if todo:
        own_session = session is None
        session = session or session_for(site, base_url)
        settings = get_settings()
        try:
            with ThreadPoolExecutor(max_workers=min(settings.global_concurrency, len(todo))
                                    ) as pool:
                results = pool.map(
                    lambda p: (p, session.get(p.url, etag=p.etag if refetch else None,
                                              last_modified=p.last_modified if refetch else None)),
                    todo)
                done = 0
                while done < len(todo):
                    with engine.begin() as conn:
                        for item, result in _take(results, COMMIT_EVERY):
                            counts[_store_result(conn, site, sid, item, result, run_id)] += 1
                            done += 1
                    log.info("%s fetch: %d/%d done %s", site.slug, done, len(todo), dict(counts))
        finally:
            if own_session:
                session.close()
    out = {"queued": len(todo), "fetched": counts.pop("fetched", 0),
           "duplicate_url": counts.pop("duplicate_url", 0),
           "not_modified": counts.pop("not_modified", 0), "gone": counts.pop("gone", 0),
           "skipped_robots": counts.pop("skipped_robots", 0),
           "failed": {k.removeprefix("failed_"): v for k, v in sorted(counts.items())}}
    # each mapped batch keeps its own key, so retries of one batch replace only its counts
    record_counts(engine, run_id, {f"fetch:{min(url_ids)}" if url_ids else "fetch": out})
    return out


def _take(iterator, n: int) -> list:
    chunk = []
    for item in iterator:
        chunk.append(item)
        if len(chunk) == n:
            break
    return chunk
