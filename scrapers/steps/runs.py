"""crawl_runs bookkeeping: one row per (site, run key) with the counts of every step."""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, text

from scrapers.registry import source_id


def start_run(engine: Engine, slug: str, run_key: str, *, trigger: str = "cli",
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


def record_counts(engine: Engine, run_id: int | None, counts: dict) -> None:
    """Merge one step's counts into the run (a re-run of the step replaces its keys)."""
    if run_id is None:
        return
    with engine.begin() as conn:
        conn.execute(text("UPDATE crawl_runs SET counts = counts || CAST(:c AS jsonb)"
                          " WHERE id = :id"), {"c": json.dumps(counts), "id": run_id})


def summarize(counts: dict[str, Any]) -> dict[str, Any]:
    """The run's summary from the counts its steps recorded (fetch batches added up)."""
    disc, ext = counts.get("discover", {}), counts.get("extract", {})
    fetches = [v for k, v in counts.items() if k.split(":", 1)[0] == "fetch"]
    failed = Counter(disc.get("endpoint_errors", {}))
    for f in fetches:
        failed.update(f.get("failed", {}))
    return {
        "discovered": disc.get("discovered", 0),
        "fetched": sum(f.get("fetched", 0) for f in fetches),
        "not_modified": sum(f.get("not_modified", 0) for f in fetches)
        + disc.get("endpoint_not_modified", 0),
        "failed": dict(sorted((+failed).items())),
        "gone": sum(f.get("gone", 0) for f in fetches),
        "skipped_robots": sum(f.get("skipped_robots", 0) for f in fetches),
        "duplicate_urls": sum(f.get("duplicate_url", 0) for f in fetches),
        "extracted": ext.get("extracted", 0),
        "extract_failed": ext.get("failed", 0),
        "new_articles": ext.get("new", 0),
        "updated": ext.get("updated", 0),
        "duplicates": sum(counts.get("dedupe", {}).get(k, 0) for k in ("exact", "near", "title")),
    }


def run_status(summary: dict[str, Any]) -> str:
    """``partial`` when something is left to retry (failed fetches or endpoints, pages that
    did not extract); gone and robots-skipped URLs are final outcomes, not failures."""
    return "partial" if summary["failed"] or summary["extract_failed"] else "success"


def finish_run(engine: Engine, run_id: int, status: str | None = None,
               error: str | None = None) -> dict[str, Any]:
    """Close the run with its summary; the status follows from the counts unless given."""
    with engine.begin() as conn:
        counts = conn.execute(text("SELECT counts FROM crawl_runs WHERE id = :id FOR UPDATE"),
                              {"id": run_id}).scalar_one()
        summary = summarize(counts)
        conn.execute(text(
            "UPDATE crawl_runs SET status = :status, error = :error, finished_at = now(),"
            " counts = counts || jsonb_build_object('summary', CAST(:summary AS jsonb))"
            " WHERE id = :id"),
            {"status": status or run_status(summary), "error": error, "id": run_id,
             "summary": json.dumps(summary)})
    return summary
