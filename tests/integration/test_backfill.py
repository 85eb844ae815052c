"""A three-day backfill through Airflow's own scheduler: ``airflow backfill create``, then the
scheduler (LocalExecutor) and the API server run the DAG runs in a throwaway AIRFLOW_HOME.
Each day's articles must land through that day's run."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from replica.server import ReplicaServer
from scrapers.db import scratch_database
from scrapers.schedule import LOCAL_TZ, airflow_conn_uri
from scrapers.settings import REPO_ROOT
from tests import airflow_support

pytestmark = pytest.mark.airflow
SLUG = "baothanhhoa"
DAYS = [datetime(2025, 12, d, tzinfo=LOCAL_TZ) for d in (29, 30, 31)]
DEADLINE_S = 150


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def replica() -> Iterator[ReplicaServer]:
    with ReplicaServer(SLUG, crawl_delay=0) as srv:
        yield srv


@pytest.fixture
def metadata_url(pg_admin_url: str) -> Iterator[str]:
    """Airflow's tables in a scratch PostgreSQL database (the LocalExecutor needs one)."""
    with scratch_database(pg_admin_url, prefix="pn_airflow") as url:
        yield make_url(url).set(drivername="postgresql+psycopg2").render_as_string(
            hide_password=False)


@pytest.fixture
def airflow_env(tmp_path: Path, metadata_url: str, db_url: str,
                replica: ReplicaServer) -> dict[str, str]:
    port = free_port()
    return {
        **os.environ, **airflow_support.BASE_ENV,
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        "AIRFLOW_HOME": str(tmp_path / "airflow"),
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": metadata_url,
        "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
        "AIRFLOW__CORE__PARALLELISM": "4",
        "AIRFLOW__CORE__DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
        # backfill runs start only for unpaused DAGs; the registry holds just this site
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
        "AIRFLOW__API__PORT": str(port),
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{port}/execution/",
        "AIRFLOW__API_AUTH__JWT_SECRET": "provnews-test-secret",
        "AIRFLOW_CONN_PROVNEWS_DB": airflow_conn_uri(db_url),
        "NEWS_SITES_DIR": str(airflow_support.unpaced_sites(tmp_path / "sites", only=SLUG)),
        "NEWS_MIRRORS": f'{{"{SLUG}": "{replica.base_url}"}}',
    }


def run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(args, env=env, cwd=REPO_ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, f"{args}: {done.stdout[-2000:]}{done.stderr[-2000:]}"
    return done.stdout


def wait_for_backfill(metadata: Engine, n: int) -> list:
    deadline = time.monotonic() + DEADLINE_S
    while True:
        with metadata.connect() as conn:
            runs = conn.execute(text(
                "SELECT run_id, state, data_interval_start, data_interval_end FROM dag_run"
                " WHERE run_type = 'backfill' ORDER BY data_interval_start")).all()
        if len(runs) == n and all(r.state in ("success", "failed") for r in runs):
            return runs
        if time.monotonic() > deadline:
            return runs
        time.sleep(2)


def stop(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def test_backfill_lands_each_days_articles_through_its_own_run(
        airflow_env: dict[str, str], metadata_url: str, engine: Engine,
        replica: ReplicaServer, tmp_path: Path):
    env = airflow_env
    run(env, "airflow", "db", "migrate")
    run(env, sys.executable, "scripts/airflow_pools.py")
    run(env, "airflow", "dags", "reserialize")
    # local calendar days, both ends included: three runs
    run(env, "airflow", "backfill", "create", "--dag-id", f"harvest_{SLUG}",
        "--from-date", DAYS[0].date().isoformat(), "--to-date", DAYS[-1].date().isoformat(),
        "--max-active-runs", "1")

    procs = [subprocess.Popen(["airflow", *cmd], env=env, cwd=tmp_path, start_new_session=True,
                              stdout=(tmp_path / f"{cmd[0]}.log").open("w"),
                              stderr=subprocess.STDOUT)
             for cmd in (["api-server"], ["scheduler"])]
    metadata = create_engine(metadata_url)
    try:
        runs = wait_for_backfill(metadata, len(DAYS))
    finally:
        for proc in procs:
            stop(proc)
        metadata.dispose()

    assert [r.state for r in runs] == ["success"] * len(DAYS), \
        (tmp_path / "scheduler.log").read_text()[-3000:]
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
