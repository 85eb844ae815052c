"""The warehouse as Airflow sees it: Connection ``provnews_db`` → NEWS_DB_URL → embedded.

Tasks get their SQLAlchemy engine here; the ``scrapers`` library only ever receives the
engine (or URL), so it stays free of Airflow.
"""

from __future__ import annotations

import logging
import os

from airflow.sdk import BaseHook, Connection
from airflow.sdk.exceptions import AirflowNotFoundException
from sqlalchemy import URL, Engine

log = logging.getLogger(__name__)

CONN_ID = "provnews_db"


def url_from_connection(conn: Connection) -> str:
    """A psycopg SQLAlchemy URL from an Airflow Postgres Connection.

    A host that is a directory (or ``?host=/dir`` in the extras) is a unix-socket server,
    like the embedded one; other extras (sslmode, ...) pass through as query options.
    """
    query = {k: str(v) for k, v in conn.extra_dejson.items()}
    host = conn.host or None
    if host and host.startswith("/"):
        query["host"], host = host, None
    return URL.create(
        "postgresql+psycopg", username=conn.login or None, password=conn.password or None,
        host=host, port=conn.port or None, database=conn.schema or "postgres", query=query,
    ).render_as_string(hide_password=False)


class ProvnewsHook(BaseHook):
    """Resolve the warehouse for a task and hand out the engine."""

    conn_name_attr = "provnews_conn_id"
    default_conn_name = CONN_ID
    conn_type = "postgres"
    hook_name = "provnews warehouse"

    def __init__(self, provnews_conn_id: str = CONN_ID) -> None:
        super().__init__()
        self.provnews_conn_id = provnews_conn_id

    def get_url(self) -> str:
        try:
            conn = self.get_connection(self.provnews_conn_id)
        except AirflowNotFoundException:
            from scrapers.db import resolve_db_url

            source = "NEWS_DB_URL" if os.environ.get("NEWS_DB_URL") else "embedded PostgreSQL"
            log.info("no Connection %r: using %s", self.provnews_conn_id, source)
            return resolve_db_url()
        return url_from_connection(conn)

    def get_conn(self) -> Engine:
        from scrapers.db import get_engine

        return get_engine(self.get_url())
