"""Site health, read only: what the provnews page shows and what the drift check compares.

Article figures go by the article's local day (``published_day``; undated ones by their
URL's published hint, else the day they were loaded); fetch figures go by the runs whose
interval overlaps the days asked, so a pinned "today" (replica data) and a backfill of old
days both show the fetches made for those days. Optional tables and columns of other
migrations (``site_templates``, ``endpoints.source``/``probed``) are read only when present.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Connection, Engine, text

from scrapers.dates import VN_TZ
from scrapers.drift import Figures

Rows = list[dict[str, Any]]

# the local day an article counts for
ARTICLE_DAY = ("COALESCE(a.published_day, (u.published_hint AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,"
               " (a.first_loaded_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date)")
TEMPLATE_TIME_COLUMNS = ("learned_at", "created_at", "updated_at")
ENDPOINT_OPTIONAL_COLUMNS = ("origin", "probed_at")  # sql/012: hand-written or probed, when


def midnight(day: date) -> datetime:
    """Local midnight at the start of ``day``."""
    return datetime.combine(day, time(), VN_TZ)


def query(engine: Engine, sql: str, **params: Any) -> Rows:
    """The rows of one read-only query, as dicts."""
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(text(sql), params).mappings()]


def columns(conn: Connection, table: str) -> set[str]:
    """The columns of ``table`` in the current schema (empty: no such table)."""
    return set(conn.execute(text(
        "SELECT column_name FROM information_schema.columns"
        " WHERE table_schema = current_schema() AND table_name = :t"), {"t": table}).scalars())


# ------------------------------------------------------------------------ drift figures
def run_figures(engine: Engine, run_ids: Sequence[int]) -> Figures:
    """The extraction figures of the articles made from these runs' fetched pages."""
    with engine.connect() as conn:
        row = conn.execute(text(
            "WITH mine AS (SELECT DISTINCT url_id FROM fetches WHERE run_id = ANY(:runs)"
            "  AND outcome = 'ok' AND url_id IS NOT NULL)"
            " SELECT count(a.id) AS articles,"
            "  count(a.id) FILTER (WHERE 'rules_missed' = ANY (a.flags)) AS rules_missed,"
            "  count(a.id) FILTER (WHERE a.word_count = 0) AS empty_body,"
            "  count(a.id) FILTER (WHERE a.published_at IS NULL) AS undated,"
            "  percentile_cont(0.5) WITHIN GROUP (ORDER BY char_length(a.body))"
            "   FILTER (WHERE a.word_count > 0) AS median_body_chars"
            " FROM mine JOIN articles a ON a.url_id = mine.url_id"),
            {"runs": list(run_ids)}).one()
    return Figures(**row._mapping)


def baseline_runs(engine: Engine, source_id: int, run_id: int, limit: int) -> list[int]:
    """The site's latest finished runs before ``run_id`` that were not failed and fetched
    pages: the baseline a run's figures are compared with."""
    with engine.connect() as conn:
        return list(conn.execute(text(
            "SELECT r.id FROM crawl_runs r WHERE r.source_id = :sid AND r.id <> :run"
            " AND r.status IN ('success', 'partial') AND r.finished_at IS NOT NULL"
            " AND EXISTS (SELECT 1 FROM fetches f WHERE f.run_id = r.id AND f.outcome = 'ok'"
            "  AND f.url_id IS NOT NULL)"
            " ORDER BY r.finished_at DESC LIMIT :n"),
            {"sid": source_id, "run": run_id, "n": limit}).scalars())


def daily_articles(engine: Engine, start: date, end: date, source_id: int | None = None
                   ) -> dict[int, dict[date, int]]:
    """Articles per source and local publication day in [start, end)."""
    out: dict[int, dict[date, int]] = {}
    for r in query(engine, "SELECT source_id, published_day AS day, count(*) AS n"
                   " FROM articles WHERE published_day >= :start AND published_day < :end"
                   " AND (CAST(:sid AS integer) IS NULL OR source_id = :sid)"
                   " GROUP BY 1, 2", start=start, end=end, sid=source_id):
        out.setdefault(r["source_id"], {})[r["day"]] = r["n"]
    return out


def first_article_days(engine: Engine, source_id: int | None = None) -> dict[int, date]:
    """Each source's (or one's) earliest publication day: days before it are not counted
    as zero."""
    return {r["source_id"]: r["day"] for r in query(
        engine, "SELECT source_id, min(published_day) AS day FROM articles"
        " WHERE published_day IS NOT NULL"
        " AND (CAST(:sid AS integer) IS NULL OR source_id = :sid) GROUP BY 1", sid=source_id)}


# ----------------------------------------------------------------------- sites overview
def sources(engine: Engine) -> Rows:
    return query(engine, "SELECT s.id, s.slug, s.name, s.base_url, s.enabled, s.kind, s.cms,"
                 " s.province_code, p.name AS province FROM sources s"
                 " LEFT JOIN provinces p ON p.code = s.province_code ORDER BY s.slug")


def source_by_slug(engine: Engine, slug: str) -> dict[str, Any] | None:
    return next((s for s in sources(engine) if s["slug"] == slug), None)


def article_quality(engine: Engine, start: date, end: date) -> dict[int, dict[str, Any]]:
    """Per source, the articles of the days [start, end): how many, how many empty,
    undated, decoded or incomplete, and the extractor most of them came from."""
    rows = query(engine, "SELECT a.source_id, count(*) AS articles,"
                 " count(*) FILTER (WHERE a.word_count = 0) AS empty_body,"
                 " count(*) FILTER (WHERE a.published_at IS NULL) AS undated,"
                 " count(*) FILTER (WHERE 'decoded_body' = ANY (a.flags)) AS decoded,"
                 " count(*) FILTER (WHERE 'body_incomplete' = ANY (a.flags)) AS incomplete,"
                 " count(*) FILTER (WHERE 'rules_missed' = ANY (a.flags)) AS rules_missed,"
                 " mode() WITHIN GROUP (ORDER BY a.extractor) AS extractor"
                 " FROM articles a JOIN urls u ON u.id = a.url_id"
                 f" WHERE {ARTICLE_DAY} >= :start AND {ARTICLE_DAY} < :end GROUP BY 1",
                 start=start, end=end)
    return {r.pop("source_id"): r for r in rows}


def fetch_outcomes(engine: Engine, start: date, end: date) -> dict[int, dict[str, Any]]:
    """Per source, the fetches of runs overlapping the days [start, end): how many, how many
    failed, and the failures by kind."""
    rows = query(engine, "SELECT f.source_id, f.outcome, f.error_kind, count(*) AS n"
                 " FROM fetches f JOIN crawl_runs r ON r.id = f.run_id"
                 " WHERE r.interval_start < :end AND r.interval_end > :start"
                 " GROUP BY 1, 2, 3 ORDER BY 4 DESC", start=midnight(start), end=midnight(end))
    out: dict[int, dict[str, Any]] = {}
    for r in rows:
        site = out.setdefault(r["source_id"], {"fetches": 0, "failed": 0, "kinds": {}})
        site["fetches"] += r["n"]
        if r["outcome"] == "error":
            site["failed"] += r["n"]
            site["kinds"][r["error_kind"]] = r["n"]
    return out


def latest_runs(engine: Engine) -> dict[int, dict[str, Any]]:
    """Each source's most recently started run."""
    rows = query(engine, "SELECT DISTINCT ON (source_id) source_id, id, run_key, trigger,"
                 " status, interval_start, interval_end, started_at, finished_at, error"
                 " FROM crawl_runs ORDER BY source_id, started_at DESC, id DESC")
    return {r.pop("source_id"): r for r in rows}


def template_learned_at(engine: Engine) -> dict[int, datetime]:
    """When each source's learned template in use (else its newest) was made, if
    ``site_templates`` exists."""
    with engine.connect() as conn:
        cols = columns(conn, "site_templates")
    when = next((c for c in TEMPLATE_TIME_COLUMNS if c in cols), None)
    if "source_id" not in cols or when is None:
        return {}
    active = " WHERE active" if "active" in cols else ""
    return {r["source_id"]: r["at"] for r in query(
        engine, f"SELECT source_id, max({when}) AS at FROM site_templates{active} GROUP BY 1")}


# ---------------------------------------------------------------------------- site page
def run_outcomes(engine: Engine, source_id: int, limit: int) -> Rows:
    """The site's latest ``limit`` runs by interval, oldest first, with their fetches by
    outcome (``ok``, ``not_modified``, ``skipped``, or the error kind)."""
    return query(engine, "SELECT r.id, r.interval_start, r.status,"
                 " COALESCE((SELECT jsonb_object_agg(o.what, o.n) FROM"
                 "  (SELECT COALESCE(f.error_kind, f.outcome) AS what, count(*) AS n"
                 "   FROM fetches f WHERE f.run_id = r.id GROUP BY 1) o), '{}') AS outcomes"
                 " FROM (SELECT * FROM crawl_runs WHERE source_id = :sid"
                 "  ORDER BY interval_start DESC NULLS LAST, id DESC LIMIT :n) r"
                 " ORDER BY r.interval_start NULLS FIRST, r.id", sid=source_id, n=limit)


def recent_runs(engine: Engine, source_id: int, limit: int) -> Rows:
    """The site's latest started runs with their counts."""
    return query(engine, "SELECT id, run_key, trigger, status, interval_start, interval_end,"
                 " started_at, finished_at, counts, error FROM crawl_runs"
                 " WHERE source_id = :sid ORDER BY started_at DESC, id DESC LIMIT :n",
                 sid=source_id, n=limit)


def endpoints(engine: Engine, source_id: int) -> Rows:
    """The site's endpoints with their last answer, and ``origin``/``probed_at`` (hand-written
    or probed, and when) when the schema has them."""
    with engine.connect() as conn:
        extra = [c for c in ENDPOINT_OPTIONAL_COLUMNS if c in columns(conn, "endpoints")]
    return query(engine, "SELECT kind, url, last_status, last_polled_at, next_poll_at,"
                 " unchanged_polls" + "".join(f", {c}" for c in extra)
                 + " FROM endpoints WHERE source_id = :sid ORDER BY kind, url", sid=source_id)


def run_intervals(engine: Engine, source_id: int | None = None) -> Rows:
    """Every run's interval and status (of one source, or all): what coverage is made of."""
    return query(engine, "SELECT source_id, interval_start, interval_end, status"
                 " FROM crawl_runs WHERE interval_start IS NOT NULL AND interval_end IS NOT NULL"
                 " AND (CAST(:sid AS integer) IS NULL OR source_id = :sid)"
                 " ORDER BY interval_start", sid=source_id)
