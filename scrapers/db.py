"""Warehouse connection: NEWS_DB_URL, or an embedded PostgreSQL kept in .data/pg."""

from __future__ import annotations

import logging
import os
import tempfile
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url

from scrapers.settings import Settings, get_settings

log = logging.getLogger(__name__)


def normalise_url(url: str) -> str:
    """Use psycopg 3 whatever the URL's spelling (postgres://, postgresql://, +psycopg2)."""
    u = make_url(url.replace("postgres://", "postgresql://", 1) if url.startswith("postgres://")
                 else url)
    if u.drivername in ("postgresql", "postgresql+psycopg2"):
        u = u.set(drivername="postgresql+psycopg")
    return u.render_as_string(hide_password=False)


def mask_url(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def start_embedded(data_dir: Path, *, keep_running: bool = True) -> str:
    """Start (or reuse) the embedded server in ``data_dir`` and return its SQLAlchemy URL.

    With ``keep_running`` the server outlives this process, so Airflow's processes and
    later commands share it; ``provnews db stop`` stops it.
    """
    os.environ.setdefault("XDG_RUNTIME_DIR", tempfile.gettempdir())
    import pgserver

    data_dir.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(data_dir, cleanup_mode=None if keep_running else "stop")
    return normalise_url(server.get_uri())


def resolve_db_url(settings: Settings | None = None) -> str:
    settings = settings or get_settings()
    if settings.db_url:
        return normalise_url(settings.db_url)
    url = start_embedded(settings.data_dir / "pg")
    log.info("using embedded PostgreSQL at %s", mask_url(url))
    return url


def get_engine(url: str | None = None) -> Engine:
    """One pooled engine per warehouse URL (default: NEWS_DB_URL or the embedded server)."""
    return _engine_for(normalise_url(url or resolve_db_url()))


@lru_cache(maxsize=8)
def _engine_for(url: str) -> Engine:
    return create_engine(url, pool_pre_ping=True)


def stop_embedded(pgdata: Path) -> str:
    """Stop the embedded server if it runs; say what happened."""
    import pgserver

    if not (pgdata / "postmaster.pid").exists():
        return f"embedded PostgreSQL in {pgdata} is not running"
    pgserver.get_server(pgdata, cleanup_mode="stop").cleanup()
    return f"stopped embedded PostgreSQL in {pgdata}"
