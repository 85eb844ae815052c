"""Planner statistics of tables a step has just filled: a fetch adds thousands of urls and
pages within a minute, sooner than autovacuum analyzes them, and plans made with the
statistics of a few hundred rows can read the whole table for each batch."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, text


def analyze_grown(conn: Connection, tables: Sequence[str], *, min_changes: int,
                  share: float, statistics_target: int | None = None) -> list[str]:
    """ANALYZE those of ``tables`` with more than ``min_changes`` rows plus ``share`` of
    their rows changed since they were last analyzed (which also has the plans cached for
    them made again); return them. Whole tables: analyzing some columns leaves the count of
    changed rows as it was. A table another session is analyzing (a parallel step,
    autovacuum) is skipped rather than waited for. ``statistics_target`` samples fewer rows
    (300 x target), for this transaction only: plans that need only row counts and rough
    distributions get them for a fraction of the default's cost."""
    grown = conn.execute(text(
        "SELECT relname FROM pg_stat_user_tables WHERE schemaname = current_schema()"
        " AND relname = ANY(:tables) AND n_mod_since_analyze > :min + :share * n_live_tup"
        " ORDER BY relname"),
        {"tables": list(tables), "min": min_changes, "share": share}).scalars().all()
    if grown and statistics_target is not None:
        conn.execute(text("SELECT set_config('default_statistics_target', :n, true)"),
                     {"n": str(statistics_target)})
    if grown:
        conn.execute(text("ANALYZE (SKIP_LOCKED) " + ", ".join(grown)))
    return list(grown)
