"""Migrations: idempotent, recorded with checksums, refusing edited files."""

import shutil

import pytest
from sqlalchemy import create_engine, text

from scrapers.cli import main
from scrapers.errors import ProvnewsError
from scrapers.migrate import migrate
from scrapers.settings import get_settings


def test_migrate_applies_once_then_does_nothing(empty_db_url):
    engine = create_engine(empty_db_url)
    sql_dir = get_settings().sql_dir
    first = migrate(engine, sql_dir)
    assert first == sorted(p.name for p in sql_dir.glob("[0-9][0-9][0-9]_*.sql"))
    assert migrate(engine, sql_dir) == []
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT filename, checksum FROM schema_migrations")).all()
    assert {r.filename for r in rows} == set(first)
    assert all(len(r.checksum) == 64 for r in rows)
    engine.dispose()


def test_cli_says_nothing_to_apply_on_second_run(empty_db_url, monkeypatch, capsys):
    monkeypatch.setenv("NEWS_DB_URL", empty_db_url)
    get_settings.cache_clear()
    try:
        assert main(["db", "migrate"]) == 0
        assert "applied" in capsys.readouterr().out
        assert main(["db", "migrate"]) == 0
        assert "nothing to apply" in capsys.readouterr().out
    finally:
        get_settings.cache_clear()


def test_edited_migration_is_refused_and_named(empty_db_url, tmp_path):
    engine = create_engine(empty_db_url)
    sql_dir = tmp_path / "sql"
    shutil.copytree(get_settings().sql_dir, sql_dir)
    (sql_dir / "002_extra.sql").write_text("CREATE TABLE extra (id int PRIMARY KEY);")
    migrate(engine, sql_dir)
    (sql_dir / "002_extra.sql").write_text("CREATE TABLE extra (id bigint PRIMARY KEY);")
    with pytest.raises(ProvnewsError, match=r"002_extra\.sql was edited"):
        migrate(engine, sql_dir)
    engine.dispose()


def test_failing_migration_rolls_back_whole_file(empty_db_url, tmp_path):
    engine = create_engine(empty_db_url)
    sql_dir = tmp_path / "sql"
    sql_dir.mkdir()
    (sql_dir / "001_ok.sql").write_text("CREATE TABLE a (id int);")
    (sql_dir / "002_bad.sql").write_text("CREATE TABLE b (id int); SELECT * FROM missing;")
    with pytest.raises(ProvnewsError, match=r"002_bad\.sql failed"):
        migrate(engine, sql_dir)
    with engine.connect() as conn:
        tables = set(conn.execute(text(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars())
        applied = set(conn.execute(text("SELECT filename FROM schema_migrations")).scalars())
    assert "a" in tables and "b" not in tables
    assert applied == {"001_ok.sql"}
    engine.dispose()


def test_signatures_keep_their_buckets_from_the_bands_already_stored(empty_db_url, tmp_path):
    """sql/016 fills each stored signature's buckets from its band rows, in band order, and
    the bands still go with their signature (now found through the primary key)."""
    engine = create_engine(empty_db_url)
    sql_dir = tmp_path / "sql"
    sql_dir.mkdir()
    for path in get_settings().sql_dir.glob("[0-9][0-9][0-9]_*.sql"):
        if path.name < "016":
            shutil.copy(path, sql_dir)
    migrate(engine, sql_dir)
    buckets = {1: [-7, 3, 2**62, 5], 2: [11, -12, 13, 14]}
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO sources (id, slug, name, base_url, kind, config, config_sha256)"
            " VALUES (1, 'src', 'Src', 'https://src.vn', 'national', '{}', 'x')"))
        for i in buckets:
            for statement in (
                    "INSERT INTO urls (id, source_id, url) VALUES (:i, 1, :url)",
                    "INSERT INTO articles (id, url_id, source_id, url, title, body, word_count,"
                    " body_sha256, extractor, extractor_version)"
                    " VALUES (:i, :i, 1, :url, 't', 'b', 1, 'h', 'x', '1')",
                    "INSERT INTO minhash_signatures (article_id, body_sha256, signature)"
                    " VALUES (:i, 'h', '{1,2}')"):
                conn.execute(text(statement), {"i": i, "url": f"https://src.vn/{i}"})
        # stored band by band, the last first: the order of the rows is not the bands'
        conn.execute(text(
            "INSERT INTO minhash_bands (band, bucket, article_id)"
            " SELECT b - 1, k, a FROM unnest(CAST(:a AS bigint[]), CAST(:b AS int[]),"
            "   CAST(:k AS bigint[])) AS r(a, b, k) ORDER BY b DESC"),
            {"a": [i for i, ks in buckets.items() for _ in ks],
             "b": [n for ks in buckets.values() for n in range(1, len(ks) + 1)],
             "k": [k for ks in buckets.values() for k in ks]})
    shutil.copy(get_settings().sql_dir / "016_minhash_bands_by_key.sql", sql_dir)
    assert migrate(engine, sql_dir) == ["016_minhash_bands_by_key.sql"]
    with engine.begin() as conn:
        stored = dict(conn.execute(text(
            "SELECT article_id, buckets FROM minhash_signatures")).all())
        assert stored == buckets
        conn.execute(text("DELETE FROM minhash_signatures WHERE article_id = 1"))
        left = conn.execute(text(
            "SELECT article_id, band, bucket FROM minhash_bands ORDER BY band")).all()
    assert [tuple(r) for r in left] == [(2, n, k) for n, k in enumerate(buckets[2])]
    engine.dispose()
