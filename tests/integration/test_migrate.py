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
