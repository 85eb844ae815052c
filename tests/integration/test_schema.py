"""The warehouse's constraints hold against a real PostgreSQL."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

EXPECTED_TABLES = {
    "provinces", "sources", "endpoints", "urls", "url_variants", "fetches", "pages", "articles",
    "article_versions", "clusters", "minhash_bands", "minhash_signatures", "crawl_runs",
    "schema_migrations",
}


def _source_id(conn, slug="baothanhhoa"):
    return conn.execute(text("SELECT id FROM sources WHERE slug = :s"), {"s": slug}).scalar_one()


def test_every_table_exists(engine):
    with engine.connect() as conn:
        tables = set(conn.execute(text(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars())
    assert tables >= EXPECTED_TABLES


def test_duplicate_canonical_url_is_rejected(engine):
    with engine.begin() as conn:
        sid = _source_id(conn)
        conn.execute(text("INSERT INTO urls (source_id, url) VALUES (:s, 'https://x.vn/a-1.htm')"),
                     {"s": sid})
    with pytest.raises(IntegrityError, match="urls_url_key"), engine.begin() as conn:
        conn.execute(text("INSERT INTO urls (source_id, url) VALUES (:s, 'https://x.vn/a-1.htm')"),
                     {"s": sid})


def test_bad_url_state_is_rejected(engine):
    with pytest.raises(IntegrityError, match="urls_state_check"), engine.begin() as conn:
        conn.execute(text("INSERT INTO urls (source_id, url, state) VALUES (:s, 'https://x.vn/b',"
                          " 'exploded')"), {"s": _source_id(conn)})


def test_bad_fetch_outcome_and_error_kind_are_rejected(engine):
    with pytest.raises(IntegrityError, match="fetches_error_kind_check"), engine.begin() as conn:
        conn.execute(text("INSERT INTO fetches (requested_url, outcome, error_kind)"
                          " VALUES ('https://x.vn/', 'error', 'gremlins')"))
    with pytest.raises(IntegrityError, match="fetches_check"), engine.begin() as conn:
        conn.execute(text("INSERT INTO fetches (requested_url, outcome)"
                          " VALUES ('https://x.vn/', 'error')"))


def test_crawl_run_interval_must_be_ordered(engine):
    with pytest.raises(IntegrityError, match="crawl_runs_check"), engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO crawl_runs (source_id, run_key, interval_start, interval_end)"
            " VALUES (:s, 'k', '2025-01-02', '2025-01-01')"), {"s": _source_id(conn)})


def test_provincial_source_needs_a_province(engine):
    with pytest.raises(IntegrityError, match="sources_check"), engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO sources (slug, name, base_url, kind, config, config_sha256)"
            " VALUES ('x', 'X', 'https://x.vn', 'provincial', '{}', 'h')"))


def test_indexes_for_later_queries_exist(engine):
    with engine.connect() as conn:
        defs = list(conn.execute(text(
            "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'")).scalars())
    assert any("articles" in d and "(source_id, published_at)" in d for d in defs)
    assert any("ON public.urls" in d and "(state, next_try_at)" in d for d in defs)
