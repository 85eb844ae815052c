"""analyze_grown against a real PostgreSQL: a table that grew past the threshold since it
was last analyzed is analyzed, one that did not is left alone."""

import time

from sqlalchemy import text

from scrapers.store.stats import analyze_grown

TABLES = ("grown", "not_there")


def _insert(engine, n: int) -> None:
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO grown (id, v) SELECT g, g FROM generate_series(1, :n) g"),
                     {"n": n})
        conn.execute(text("SELECT pg_stat_force_next_flush()"))


def _changed(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT n_mod_since_analyze FROM pg_stat_user_tables"
                                 " WHERE relname = 'grown'")).scalar_one()


def _changed_settles_at(engine, n: int) -> bool:
    """The counts reach the statistics views a little after the transaction."""
    deadline = time.monotonic() + 10
    while _changed(engine) != n and time.monotonic() < deadline:
        time.sleep(0.05)
    return _changed(engine) == n


def test_a_table_analyzed_once_it_grew_past_the_threshold(engine):
    with engine.begin() as conn:  # autovacuum must not analyze it first
        conn.execute(text("CREATE TABLE grown (id int, v int) WITH (autovacuum_enabled = off)"))
    _insert(engine, 1000)
    assert _changed_settles_at(engine, 1000)
    with engine.begin() as conn:
        assert analyze_grown(conn, TABLES, min_changes=500, share=0.2) == ["grown"]
    with engine.connect() as conn:
        analyzed = conn.execute(text(
            "SELECT array_agg(attname::text ORDER BY attname) FROM pg_stats"
            " WHERE tablename = 'grown'")).scalar()
    assert analyzed == ["id", "v"]
    assert _changed_settles_at(engine, 0)

    _insert(engine, 300)  # 300 <= 500 + 0.2 * 1000
    assert _changed_settles_at(engine, 300)
    with engine.begin() as conn:
        assert analyze_grown(conn, TABLES, min_changes=500, share=0.2) == []
    assert _changed_settles_at(engine, 300)
