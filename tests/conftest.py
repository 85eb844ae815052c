"""Shared fixtures: a real PostgreSQL (NEWS_TEST_DB_URL or embedded), one fresh DB per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine

from scrapers.db import create_database, drop_database, scratch_database, scratch_server
from scrapers.migrate import migrate
from scrapers.provinces import load_provinces
from scrapers.registry import load_sites
from scrapers.settings import get_settings
from scrapers.store.sources import sync_sources


@pytest.fixture(scope="session")
def pg_admin_url() -> Iterator[str]:
    url, server = scratch_server()
    yield url
    if server is not None:
        server.cleanup()


@pytest.fixture(scope="session")
def template_db(pg_admin_url: str) -> Iterator[str]:
    """A migrated database with provinces and the site registry, copied for each test."""
    with scratch_database(pg_admin_url, prefix="pn_tmpl") as url:
        engine = create_engine(url)
        settings = get_settings()
        migrate(engine, settings.sql_dir)
        load_provinces(engine, settings.provinces_csv)
        sync_sources(engine, load_sites())
        engine.dispose()
        yield url


@pytest.fixture
def db_url(pg_admin_url: str, template_db: str) -> Iterator[str]:
    from sqlalchemy.engine import make_url

    url = create_database(pg_admin_url, template=make_url(template_db).database)
    yield url
    drop_database(pg_admin_url, url)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = create_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def empty_db_url(pg_admin_url: str) -> Iterator[str]:
    with scratch_database(pg_admin_url) as url:
        yield url
