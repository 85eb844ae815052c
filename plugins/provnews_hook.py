"""The warehouse as Airflow sees it: Connection ``provnews_db`` → NEWS_DB_URL → embedded.

The hook is the Postgres provider's, so the Connection form, IAM tokens and the URL it
builds are the provider's; it adds the fallbacks for a machine without a Connection, the
libpq options of the Connection's extras (sslmode, a unix-socket ``host`` ...), and one
pooled SQLAlchemy engine per URL. The ``scrapers`` library only ever receives the engine,
so it stays free of Airflow.
"""

from __future__ import annotations

import logging
import os

from airflow.providers.postgres.hooks.postgres import PostgresHook
from airflow.sdk.exceptions import AirflowNotFoundException
from sqlalchemy import Engine

log = logging.getLogger(__name__)

CONN_ID = "provnews_db"


class ProvnewsHook(PostgresHook):
    """Resolve the warehouse for a task and hand out its engine."""

    default_conn_name = CONN_ID
    hook_name = "provnews warehouse"

    def __init__(self, postgres_conn_id: str = CONN_ID, **kwargs) -> None:
        super().__init__(postgres_conn_id=postgres_conn_id, **kwargs)

    def get_url(self) -> str:
        """A psycopg SQLAlchemy URL of the warehouse."""
        from scrapers.db import normalise_url, resolve_db_url

        try:
            url = self.sqlalchemy_url
        except AirflowNotFoundException:
            source = "NEWS_DB_URL" if os.environ.get("NEWS_DB_URL") else "embedded PostgreSQL"
            log.info("no Connection %r: using %s", self.postgres_conn_id, source)
            return resolve_db_url()
        options = {k: str(v) for k, v in self.connection.extra_dejson.items()
                   if k not in self.ignored_extra_options}
        if url.host and url.host.startswith("/"):  # a socket directory, as the embedded one
            options["host"], url = url.host, url.set(host=None)
        url = url.set(database=url.database or "postgres").update_query_dict(options)
        return normalise_url(url.render_as_string(hide_password=False))

    def get_sqlalchemy_engine(self, engine_kwargs=None) -> Engine:
        from scrapers.db import get_engine

        return get_engine(self.get_url())
