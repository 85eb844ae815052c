"""The DAG files: they import without errors or I/O and have the shape the harvest needs."""

from __future__ import annotations

import socket
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from sqlalchemy.engine import make_url

# isort: off
from tests import airflow_support  # configures Airflow before it is first imported
from airflow.dag_processing.dagbag import DagBag
from airflow.providers.postgres.assets.postgres import sanitize_uri
from airflow.sdk import CronDataIntervalTimetable
from airflow.sdk.definitions.mappedoperator import MappedOperator
from provnews_hook import ProvnewsHook
# isort: on

from scrapers.registry import load_sites
from scrapers.schedule import ARTICLES_ASSET_NAME, LOCAL_TZ
from scrapers.settings import get_settings

pytestmark = pytest.mark.airflow


def parse_dags(monkeypatch: pytest.MonkeyPatch) -> DagBag:
    """A fresh parse of dags/ (helper module re-imported too), as the DAG processor does it."""
    get_settings.cache_clear()
    monkeypatch.delitem(sys.modules, "_common", raising=False)
    started = time.perf_counter()
    bag = DagBag(dag_folder=str(airflow_support.DAGS))
    print(f"DagBag: {len(bag.dags)} DAGs in {time.perf_counter() - started:.3f}s "
          f"({', '.join(f'{s.file} {s.duration.total_seconds():.3f}s' for s in bag.dagbag_stats)})")
    return bag


class Trap:
    """A TCP listener that counts and drops every connection made to it."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.connections = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            self.connections += 1
            conn.close()


@pytest.fixture
def trap(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Trap]:
    """Point the warehouse settings at a Trap and the embedded server's data at an empty
    folder: parsing must use neither."""
    trap = Trap()
    monkeypatch.setenv("AIRFLOW_CONN_PROVNEWS_DB", f"postgres://u:p@127.0.0.1:{trap.port}/wh")
    monkeypatch.setenv("NEWS_DB_URL", f"postgresql://u:p@127.0.0.1:{trap.port}/wh")
    monkeypatch.setenv("NEWS_DATA_DIR", str(tmp_path / "data"))
    yield trap
    trap.server.close()
    get_settings.cache_clear()


@pytest.fixture
def bag(monkeypatch: pytest.MonkeyPatch, trap: Trap) -> DagBag:
    return parse_dags(monkeypatch)


def test_every_dag_imports_without_io(bag: DagBag, trap: Trap, tmp_path: Path):
    assert bag.import_errors == {}
    enabled = {f"harvest_{s.slug}" for s in load_sites().values() if s.enabled}
    assert set(bag.dag_ids) == enabled | {"indicators", "maintenance"}
    # the official paper of each of the 34 provincial-level units, and phunuvietnam
    harvest = [d for d in bag.dags.values() if "harvest" in d.tags]
    assert len(harvest) == 35
    assert {t for d in harvest for t in d.tags} >= {"ha-noi", "ho-chi-minh", "ca-mau"}
    assert sum(s.duration.total_seconds() for s in bag.dagbag_stats) < 1.0
    assert trap.connections == 0  # nobody connected to the warehouse while parsing
    assert not (tmp_path / "data").exists()  # and no embedded server was started


def test_every_dag_has_tags_retries_docs_and_timeouts(bag: DagBag):
    for dag in bag.dags.values():
        assert dag.tags and "provnews" in dag.tags, dag.dag_id
        assert dag.doc_md and len(dag.doc_md) > 200, dag.dag_id
        assert dag.catchup is False, dag.dag_id
        assert dag.start_date is not None, dag.dag_id
        for t in dag.tasks:
            assert t.retries >= 1, t.task_id
            assert t.retry_exponential_backoff > 1, t.task_id
            assert t.execution_timeout is not None, t.task_id


def test_harvest_dag_shape(bag: DagBag):
    for site in load_sites().values():
        dag = bag.dags[f"harvest_{site.slug}"]
        assert isinstance(dag.timetable, CronDataIntervalTimetable)
        assert dag.timetable.expression == "0 0 * * *"
        assert str(dag.timetable.timezone) == "Asia/Ho_Chi_Minh"
        local = dag.start_date.astimezone(LOCAL_TZ)
        assert local.isoformat() == f"{site.start_date}T00:00:00+07:00"
        assert "backfill create" in dag.doc_md and site.base_url in dag.doc_md
        assert set(dag.params.keys()) == {"since", "until", "refetch", "reextract", "base_url"}

        tasks = {t.task_id: t for t in dag.tasks}
        # tasks named for what they do, wired in the pipeline's order
        assert set(tasks) == {"discover_urls", "fetch_pages", "load_articles"}
        assert tasks["discover_urls"].downstream_task_ids == {"fetch_pages", "load_articles"}
        assert tasks["fetch_pages"].downstream_task_ids == {"load_articles"}
        assert tasks["load_articles"].downstream_task_ids == set()
        # politeness: one request stream per site across all runs, whatever the workers
        for name in ("discover_urls", "fetch_pages"):
            assert tasks[name].pool == f"provnews_{site.slug}"
        assert tasks["fetch_pages"].max_active_tis_per_dag == 1
        assert isinstance(tasks["fetch_pages"], MappedOperator)
        # an empty batch list skips fetch; extraction must still run
        assert tasks["load_articles"].trigger_rule == "none_failed"


def test_load_updates_the_articles_asset_and_indicators_listens(bag: DagBag):
    outlets = {o.uri for d in bag.dags.values() if d.dag_id.startswith("harvest_")
               for o in d.get_task("load_articles").outlets}
    assert len(outlets) == 1
    uri = outlets.pop()
    parts = urlsplit(uri)
    assert sanitize_uri(parts) == parts  # postgres://host:port/db/schema/table, as is
    assert parts.path.endswith("/public/articles")
    indicators = bag.dags["indicators"]
    assets = indicators.timetable.asset_condition.objects
    assert [(a.name, a.uri) for a in assets] == [(ARTICLES_ASSET_NAME, uri)]


def test_only_enabled_sites_get_a_dag_and_hourly_is_honoured(
        monkeypatch: pytest.MonkeyPatch, trap: Trap, tmp_path: Path):
    sites = tmp_path / "sites"
    sites.mkdir()
    for path in sorted(get_settings().sites_dir.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data["slug"] == "baophutho":
            data["enabled"] = False
        if data["slug"] == "phunuvietnam":
            data["schedule"] = "hourly"
        (sites / path.name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("NEWS_SITES_DIR", str(sites))
    bag = parse_dags(monkeypatch)
    assert "harvest_baophutho" not in bag.dag_ids
    assert "harvest_baothanhhoa" in bag.dag_ids
    hourly = bag.dags["harvest_phunuvietnam"].timetable
    assert hourly.expression == "0 * * * *"
    assert str(hourly.timezone) == "Asia/Ho_Chi_Minh"


def test_a_task_process_builds_only_its_own_harvest_dag(
        monkeypatch: pytest.MonkeyPatch, trap: Trap):
    # what Airflow's task runner sets before it parses the DAG file of the task it runs
    monkeypatch.setenv("_AIRFLOW_PARSING_CONTEXT_DAG_ID", "harvest_baophutho")
    bag = parse_dags(monkeypatch)
    assert bag.import_errors == {}
    harvest = [d for d in bag.dag_ids if d.startswith("harvest_")]
    assert harvest == ["harvest_baophutho"]
    assert {"indicators", "maintenance"} <= set(bag.dag_ids)


def test_the_hook_takes_the_connection_then_news_db_url(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("AIRFLOW_CONN_PROVNEWS_DB",
                       "postgres://u:p%40ss@/wh?host=%2Ftmp%2Fpg&sslmode=disable")
    monkeypatch.setenv("NEWS_DB_URL", "postgresql://other@db.example/news")
    get_settings.cache_clear()
    url = make_url(ProvnewsHook().get_url())
    assert (url.drivername, url.username, url.password, url.host, url.database) == (
        "postgresql+psycopg", "u", "p@ss", None, "wh")
    assert url.query == {"host": "/tmp/pg", "sslmode": "disable"}

    monkeypatch.delenv("AIRFLOW_CONN_PROVNEWS_DB")
    get_settings.cache_clear()
    url = make_url(ProvnewsHook().get_url())
    assert (url.drivername, url.host, url.database) == ("postgresql+psycopg", "db.example", "news")
    get_settings.cache_clear()
