"""How the harvest DAGs are named and scheduled: DAG ids, cron per schedule, pools, the
articles Asset's URI. Kept out of Airflow (like all of ``scrapers``), so scripts and tests
use the same names without importing it.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy.engine import make_url

from scrapers.dates import VN_TZ as LOCAL_TZ
from scrapers.registry import Site

# Analysts count articles per local day: a daily run is one Vietnamese calendar day.
CRON = {"daily": "0 0 * * *", "hourly": "0 * * * *"}

# A one-machine Airflow (make run, the test and bench stacks): a harvest task is a second
# or less, so the scheduler's idle sleep between loops (default 1 s) is paid on every hop
# from one task to the next.
LOCAL_AIRFLOW_ENV = {"AIRFLOW__SCHEDULER__SCHEDULER_IDLE_SLEEP_TIME": "0.25"}

ARTICLES_ASSET_NAME = "provnews.articles"
EMBEDDED_ASSET_URI = "postgres://localhost:5432/postgres/public/articles"


def dag_id(site: Site) -> str:
    return f"harvest_{site.slug}"


def pool_name(site: Site) -> str:
    """The one-slot Airflow pool that serialises every request-making task of a site."""
    return f"provnews_{site.slug}"


def site_pools(sites: dict[str, Site]) -> dict[str, dict[str, Any]]:
    """Pools for the enabled sites, in the format of ``airflow pools import``."""
    return {
        pool_name(s): {"slots": 1, "description": f"politeness: one request stream to {s.host}",
                       "include_deferred": False}
        for s in sites.values() if s.enabled
    }


def start_date(site: Site) -> datetime:
    """The site's first interval starts at local midnight of its ``start_date``."""
    day = date.fromisoformat(site.start_date)
    return datetime(day.year, day.month, day.day, tzinfo=LOCAL_TZ)


def asset_uri(db_url: str | None, *, schema: str = "public", table: str = "articles") -> str:
    """``postgres://host:port/db/schema/table`` naming a table of the warehouse at ``db_url``.

    Accepts SQLAlchemy URLs, Airflow connection URIs and Airflow's JSON connection form.
    A unix-socket server (the embedded one) has no host; it is named ``localhost``.
    """
    if not db_url:
        return EMBEDDED_ASSET_URI.replace("/public/articles", f"/{schema}/{table}")
    if db_url.lstrip().startswith("{"):
        c = json.loads(db_url)
        host, port, db = c.get("host"), c.get("port"), c.get("schema")
    else:
        u = make_url(db_url.replace("postgres://", "postgresql://", 1))
        host, port, db = u.host, u.port, u.database
    if not host or str(host).startswith("/"):
        host = "localhost"
    return f"postgres://{host}:{port or 5432}/{db or 'postgres'}/{schema}/{table}"


def airflow_conn_uri(db_url: str) -> str:
    """The Airflow connection URI (``postgres://...``, as in AIRFLOW_CONN_PROVNEWS_DB) of a
    SQLAlchemy URL; a unix-socket directory stays in the ``host`` query option."""
    return make_url(db_url).set(drivername="postgres").render_as_string(hide_password=False)
