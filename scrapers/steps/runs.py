"""crawl_runs bookkeeping: one row per (site, run key) with the counts of every step."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import Engine, text

from scrapers.registry import source_id


def start_run(engine: Engine, slug: str, run_key: str, *, trigger: str = "cli",
              start: datetime | None = None, end: datetime | None = None) -> int:
    """Create (or reopen, on a retry) the run row and return its id."""
    sid = source_id(engine, slug)
    with engine.begin() as conn:
        return conn.execute(text(
            "INSERT INTO crawl_runs (source_id, run_key, trigger, interval_start, interval_end)"
            " VALUES (:sid, :key, :trigger, :start, :end)"
            " ON CONFLICT (source_id, run_key) DO UPDATE SET status = 'running',"
            " finished_at = NULL, error = NULL, trigger = EXCLUDED.trigger,"
            " interval_start = EXCLUDED.interval_start, interval_end = EXCLUDED.interval_end"
            " RETURNING id"),
            {"sid": sid, "key": run_key, "trigger": trigger, "start": start, "end": end},
        ).scalar_one()


def record_counts(engine: Engine, run_id: int | None, counts: dict) -> None:
    """Merge one step's counts into the run (a re-run of the step replaces its keys)."""
    if run_id is None:
        return
    with engine.begin() as conn:
        conn.execute(text("UPDATE crawl_runs SET counts = counts || CAST(:c AS jsonb)"
                          " WHERE id = :id"), {"c": json.dumps(counts), "id": run_id})


def finish_run(engine: Engine, run_id: int, status: str = "success",
               error: str | None = None) -> dict:
    with engine.begin() as conn:
        counts = conn.execute(text(
            "UPDATE crawl_runs SET status = :status, error = :error, finished_at = now()"
            " WHERE id = :id RETURNING counts"),
            {"status": status, "error": error, "id": run_id}).scalar_one()
    return counts
