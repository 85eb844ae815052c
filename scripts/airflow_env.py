"""Print the shell ``export`` lines that point Airflow at this repository and its databases.

    eval "$(.venv/bin/python scripts/airflow_env.py [--demo])"

- AIRFLOW_HOME=./.airflow, DAGs and plugins from this checkout, no example DAGs, the
  harvest DAGs unpaused from the start, dates in Asia/Ho_Chi_Minh, a scheduler that
  sleeps 0.25 s when idle (``LOCAL_AIRFLOW_ENV``);
- the metadata database: AIRFLOW__DATABASE__SQL_ALCHEMY_CONN if already set, else a
  database ``airflow`` on the embedded PostgreSQL (created here when missing);
- the Connection ``provnews_db`` (AIRFLOW_CONN_PROVNEWS_DB) naming the warehouse:
  NEWS_DB_URL, else the embedded server's ``postgres`` database.

``--demo`` keeps the replica's made-up articles away from real data: AIRFLOW_HOME
./.airflow/demo, metadata database ``airflow_demo`` and warehouse ``provnews_demo``
(NEWS_DB_URL is exported too), all on the embedded server.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

from scrapers.db import resolve_db_url, start_embedded
from scrapers.schedule import LOCAL_AIRFLOW_ENV, LOCAL_TZ, airflow_conn_uri
from scrapers.settings import REPO_ROOT, get_settings


def ensure_database(server_url: str, name: str) -> URL:
    """Create database ``name`` on the server of ``server_url`` unless it exists."""
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                            {"n": name}).scalar():
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(server_url).set(database=name)


def airflow_env(demo: bool = False) -> dict[str, str]:
    settings = get_settings()
    home = REPO_ROOT / ".airflow" / "demo" if demo else REPO_ROOT / ".airflow"
    env = {
        "AIRFLOW_HOME": str(home) if demo else os.environ.get("AIRFLOW_HOME") or str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(REPO_ROOT / "dags"),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(REPO_ROOT / "plugins"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
        # dates without an offset (backfill --from-date/--to-date, the UI) are local days
        "AIRFLOW__CORE__DEFAULT_TIMEZONE": LOCAL_TZ.key,
        # task slots on one machine (LocalExecutor); sites are paced by their pools anyway
        "AIRFLOW__CORE__PARALLELISM": os.environ.get("AIRFLOW__CORE__PARALLELISM", "8"),
        **{key: os.environ.get(key, value) for key, value in LOCAL_AIRFLOW_ENV.items()},
    }
    embedded = None
    if demo:
        embedded = start_embedded(settings.data_dir / "pg")
        warehouse = ensure_database(embedded, "provnews_demo").render_as_string(
            hide_password=False)
        env["NEWS_DB_URL"] = warehouse
    else:
        warehouse = resolve_db_url(settings)
    env["AIRFLOW_CONN_PROVNEWS_DB"] = airflow_conn_uri(warehouse)
    metadata = None if demo else os.environ.get("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN")
    if not metadata:
        embedded = embedded or start_embedded(settings.data_dir / "pg")
        # Airflow's own tables live beside the warehouse, in a database of their own.
        metadata = ensure_database(embedded, "airflow_demo" if demo else "airflow").set(
            drivername="postgresql+psycopg2").render_as_string(hide_password=False)
    env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"] = metadata
    return env


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demo", action="store_true", help="separate databases for the replica")
    args = parser.parse_args(argv)
    for key, value in airflow_env(args.demo).items():
        print(f"export {key}={shlex.quote(value)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
