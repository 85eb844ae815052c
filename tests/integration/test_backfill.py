"""A three-day backfill through Airflow's own scheduler: ``airflow backfill create``, then the
scheduler (LocalExecutor) and the API server run the DAG runs in a throwaway AIRFLOW_HOME.
Each day's articles must land through that day's run."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from replica.airflow_stack import AirflowStack
from replica.server import ReplicaServer
from scrapers.db import scratch_database
from scrapers.schedule import LOCAL_TZ, airflow_conn_uri
from scrapers.settings import REPO_ROOT
from tests import airflow_support

pytestmark = pytest.mark.airflow
SLUG = "baothanhhoa"
DAYS = [datetime(2025, 12, d, tzinfo=LOCAL_TZ) for d in (29, 30, 31)]
DEADLINE_S = 300  # generous: a loaded 2-core machine is slow to start tasks


@pytest.fixture
def replica() -> Iterator[ReplicaServer]:
    with ReplicaServer(SLUG, crawl_delay=0) as srv:
        yield srv


@pytest.fixture
def stack(tmp_path: Path, pg_admin_url: str, db_url: str,
          replica: ReplicaServer) -> Iterator[AirflowStack]:
    """Airflow's tables in a scratch PostgreSQL database (the LocalExecutor needs one)."""
    with scratch_database(pg_admin_url, prefix="pn_airflow") as url:
        metadata = make_url(url).set(drivername="postgresql+psycopg2")
        stack = AirflowStack(
            home=tmp_path / "airflow", metadata_url=metadata.render_as_string(hide_password=False),
            warehouse_url=airflow_conn_uri(db_url),
            sites_dir=airflow_support.unpaced_sites(tmp_path / "sites", only=SLUG),
            mirrors={SLUG: replica.base_url}, code_root=REPO_ROOT)
        stack.home.mkdir()
        yield stack
        stack.stop()


def test_backfill_lands_each_days_articles_through_its_own_run(
        stack: AirflowStack, engine: Engine, replica: ReplicaServer):
    stack.prepare()
    # local calendar days, both ends included: three runs
    stack.backfill(f"harvest_{SLUG}", DAYS[0].date().isoformat(), DAYS[-1].date().isoformat(),
                   max_active_runs=1)
    stack.start()
    runs = stack.wait_for_runs(len(DAYS), deadline_s=DEADLINE_S)
    stack.stop()

    assert [r.state for r in runs] == ["success"] * len(DAYS), \
        stack.log("scheduler")[-3000:]
    assert [r.data_interval_start for r in runs] == DAYS
    assert all(r.data_interval_end - r.data_interval_start == timedelta(days=1) for r in runs)

    with engine.connect() as conn:
        for r in runs:
            crawl = conn.execute(text("SELECT * FROM crawl_runs WHERE run_key = :k"),
                                 {"k": r.run_id}).one()
            assert (crawl.trigger, crawl.status) == ("backfill", "success")
            assert (crawl.interval_start, crawl.interval_end) == (
                r.data_interval_start, r.data_interval_end)
            # the articles published that day, and which run fetched their page first
            first_fetch = dict(conn.execute(text(
                "SELECT a.url, (SELECT f.run_id FROM fetches f WHERE f.url_id = a.url_id"
                "   AND f.outcome = 'ok' ORDER BY f.id LIMIT 1)"
                " FROM articles a WHERE a.published_at >= :s AND a.published_at < :e"),
                {"s": r.data_interval_start, "e": r.data_interval_end}).all())
            want = {a.url for a in replica.site.articles_between(
                r.data_interval_start, r.data_interval_end) if a.crawlable}
            assert want and set(first_fetch) == want
            assert set(first_fetch.values()) == {crawl.id}
