"""Fresh databases for tests: on NEWS_TEST_DB_URL's server, or on an embedded one."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from scrapers.db import normalise_url, start_embedded


def server_url() -> tuple[str, object | None]:
    """The admin URL of the test server, and the embedded server handle (if any)."""
    url = os.environ.get("NEWS_TEST_DB_URL")
    if url:
        return normalise_url(url), None
    os.environ.setdefault("XDG_RUNTIME_DIR", tempfile.gettempdir())
    import pgserver

    data = tempfile.mkdtemp(prefix="provnews-testpg-")
    server = pgserver.get_server(data, cleanup_mode="delete")
    return normalise_url(server.get_uri()), server


def create_database(admin_url: str, *, template: str | None = None, prefix: str = "pn") -> str:
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
    url = create_database(admin_url, **kw)
    try:
        yield url
    finally:
        drop_database(admin_url, url)


__all__ = ["create_database", "drop_database", "scratch_database", "server_url",
           "start_embedded"]
