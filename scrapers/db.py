"""Warehouse connection: NEWS_DB_URL, or an embedded PostgreSQL kept in .data/pg.

Also the throwaway databases that tests and benches use (``scratch_database``), on
NEWS_TEST_DB_URL's server or on an embedded one in a temporary directory.

Settings: ``db_url``, ``data_dir``.
"""

from __future__ import annotations

import logging
import os
import tempfile
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import psycopg
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

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


def int_array(values: Iterable[int]) -> str:
    """A Postgres array literal of integers, for a batch's long arrays: psycopg dumps a
    list element by element in Python, which cost more than the statement it was for."""
    return "{" + ",".join(map(str, values)) + "}"


@contextmanager
def driver_cursor(conn: Connection, statement: str, *, binary: bool = False
                  ) -> Iterator[psycopg.Cursor]:
    """A cursor of ``conn``'s own psycopg connection, inside its transaction, for what
    SQLAlchemy cannot do (COPY, binary results). The driver's errors come out as SQLAlchemy
    raises those of its own statements (IntegrityError ..., ``connection_invalidated`` when
    the server went away), so that callers handle both alike; ``statement`` names the SQL
    in them."""
    try:
        with conn.connection.driver_connection.cursor(binary=binary) as cur:
            yield cur
    except psycopg.Error as exc:
        lost = conn.dialect.is_disconnect(exc, conn.connection.dbapi_connection, None)
        raise DBAPIError.instance(statement, None, exc, psycopg.Error,
                                  connection_invalidated=lost, dialect=conn.dialect) from exc


def stop_embedded(pgdata: Path) -> str:
    """Stop the embedded server if it runs; say what happened."""
    import pgserver

    if not (pgdata / "postmaster.pid").exists():
        return f"embedded PostgreSQL in {pgdata} is not running"
    pgserver.get_server(pgdata, cleanup_mode="stop").cleanup()
    return f"stopped embedded PostgreSQL in {pgdata}"


def scratch_server() -> tuple[str, object | None]:
    """An admin URL for throwaway databases, and the embedded server handle (if one was
    started): NEWS_TEST_DB_URL's server, else an embedded one deleted on cleanup."""
    url = os.environ.get("NEWS_TEST_DB_URL")
    if url:
        return normalise_url(url), None
    os.environ.setdefault("XDG_RUNTIME_DIR", tempfile.gettempdir())
    import pgserver

    data = tempfile.mkdtemp(prefix="provnews-testpg-")
    server = pgserver.get_server(data, cleanup_mode="delete")
    return normalise_url(server.get_uri()), server


def create_database(admin_url: str, *, template: str | None = None, prefix: str = "pn") -> str:
    """A new database with a random name (copied from ``template``); return its URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        tmpl = f' TEMPLATE "{template}"' if template else ""
        conn.execute(text(f'CREATE DATABASE "{name}"{tmpl}'))
    admin.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def drop_database(admin_url: str, url: str) -> None:
    name = make_url(url).database
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@contextmanager
def scratch_database(admin_url: str, **kw) -> Iterator[str]:
    """A database that exists for the ``with`` block only."""
    url = create_database(admin_url, **kw)
    try:
        yield url
    finally:
        drop_database(admin_url, url)
