"""``alerts``: a site's open problems (layout drift, ...), one open alert per site and kind.

A run that sees the problem opens the alert, or refreshes the open one with its own message
and figures; the first later run that is judged healthy closes it. Nothing is deleted, so
the page can show when a site broke and when it recovered.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Engine, text


def open_alert(engine: Engine, source_id: int, run_id: int | None, kind: str, message: str,
               details: dict[str, Any]) -> int:
    """Open the site's alert of ``kind``, or update the open one; return its id."""
    with engine.begin() as conn:
        return conn.execute(text(
            "INSERT INTO alerts (source_id, run_id, kind, message, details)"
            " VALUES (:sid, :run, :kind, :msg, CAST(:details AS jsonb))"
            " ON CONFLICT (source_id, kind) WHERE closed_at IS NULL DO UPDATE SET"
            " run_id = EXCLUDED.run_id, message = EXCLUDED.message,"
            " details = EXCLUDED.details RETURNING id"),
            {"sid": source_id, "run": run_id, "kind": kind, "msg": message,
             "details": json.dumps(details, ensure_ascii=False)}).scalar_one()


def close_alerts(engine: Engine, source_id: int, kind: str, run_id: int) -> int:
    """Close the site's open alert of ``kind`` (a healthy run); return how many closed."""
    with engine.begin() as conn:
        return conn.execute(text(
            "UPDATE alerts SET closed_at = now(), closed_by_run_id = :run"
            " WHERE source_id = :sid AND kind = :kind AND closed_at IS NULL"),
            {"sid": source_id, "kind": kind, "run": run_id}).rowcount


def alerts(engine: Engine, source_id: int | None = None, *, open_only: bool = False,
           limit: int = 100) -> list[dict[str, Any]]:
    """Alerts of one source (or all), open ones first, newest first."""
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(text(
            "SELECT a.id, a.source_id, s.slug, a.run_id, a.kind, a.message, a.details,"
            " a.opened_at, a.closed_at, a.closed_by_run_id"
            " FROM alerts a JOIN sources s ON s.id = a.source_id"
            " WHERE (CAST(:sid AS integer) IS NULL OR a.source_id = :sid)"
            " AND (NOT :open_only OR a.closed_at IS NULL)"
            " ORDER BY a.closed_at IS NOT NULL, a.opened_at DESC LIMIT :n"),
            {"sid": source_id, "open_only": open_only, "n": limit}).mappings()]
