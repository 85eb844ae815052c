"""``crawl_runs``: one row per (site, run key) with the counts of every stage."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, text

from scrapers.counts import QualityReport, RunSummary, summarize
from scrapers.extract.fallback import EXTRACTOR_NAME as GENERIC_EXTRACTOR
from scrapers.extract.model import Flag
from scrapers.store.sources import source_id


def open_run(engine: Engine, slug: str, run_key: str, *, trigger: str,
             start: datetime | None = None, end: datetime | None = None) -> int:
    """Create the run row, or reopen it (with fresh counts) when the run is re-run."""
    sid = source_id(engine, slug)
    with engine.begin() as conn:
        return conn.execute(text(
            "INSERT INTO crawl_runs (source_id, run_key, trigger, interval_start, interval_end)"
            " VALUES (:sid, :key, :trigger, :start, :end)"
            " ON CONFLICT (source_id, run_key) DO UPDATE SET status = 'running', counts = '{}',"
            " started_at = now(), finished_at = NULL, error = NULL, trigger = EXCLUDED.trigger,"
            " interval_start = EXCLUDED.interval_start, interval_end = EXCLUDED.interval_end"
            " RETURNING id"),
            {"sid": sid, "key": run_key, "trigger": trigger, "start": start, "end": end},
        ).scalar_one()


def record_counts(engine: Engine, run_id: int | None, key: str, counts: Any) -> None:
    """Store one stage's counts under ``key`` (a re-run of the stage replaces them)."""
    if run_id is None:
        return
    data = counts.to_json() if hasattr(counts, "to_json") else counts
    with engine.begin() as conn:
        conn.execute(text("UPDATE crawl_runs SET counts = counts || CAST(:c AS jsonb)"
                          " WHERE id = :id"), {"c": json.dumps({key: data}), "id": run_id})


def close_run(engine: Engine, run_id: int, status: str | None = None,
              error: str | None = None) -> RunSummary:
    """Close the run with its summary; the status follows from the counts unless given."""
    with engine.begin() as conn:
        counts = conn.execute(text("SELECT counts FROM crawl_runs WHERE id = :id FOR UPDATE"),
                              {"id": run_id}).scalar_one()
        summary = summarize(counts)
        conn.execute(text(
            "UPDATE crawl_runs SET status = :status, error = :error, finished_at = now(),"
            " counts = counts || jsonb_build_object('summary', CAST(:summary AS jsonb))"
            " WHERE id = :id"),
            {"status": status or summary.status, "error": error, "id": run_id,
             "summary": json.dumps(summary.to_json())})
    return summary


def quality_report(engine: Engine, source: int, run_id: int, start: datetime,
                   end: datetime) -> QualityReport:
    """The counts of :class:`QualityReport` for one run of one source."""
    with engine.connect() as conn:
        row = conn.execute(text(
            "WITH mine AS (SELECT DISTINCT f.url_id FROM fetches f"
            "  WHERE f.run_id = :run AND f.outcome = 'ok' AND f.url_id IS NOT NULL)"
            " SELECT (SELECT count(*) FROM mine) AS fetched,"
            "  count(a.id) AS articles,"
            "  count(a.id) FILTER (WHERE coalesce(a.title, '') = '') AS no_title,"
            "  count(a.id) FILTER (WHERE a.word_count = 0) AS no_body,"
            "  count(a.id) FILTER (WHERE a.published_at IS NULL) AS no_date,"
            "  count(a.id) - count(DISTINCT a.body_sha256) AS same_body,"
            "  count(a.id) FILTER (WHERE :missed = ANY (a.flags)) AS rules_missed,"
            "  count(a.id) FILTER (WHERE a.extractor = :generic) AS generic"
            " FROM mine JOIN articles a ON a.url_id = mine.url_id"),
            {"run": run_id, "missed": str(Flag.RULES_MISSED), "generic": GENERIC_EXTRACTOR}
        ).one()
        in_interval = conn.execute(text(
            "SELECT count(*) FROM articles WHERE source_id = :sid"
            " AND published_at >= :start AND published_at < :end"),
            {"sid": source, "start": start, "end": end}).scalar_one()
    return QualityReport(**row._mapping, in_interval=in_interval)
