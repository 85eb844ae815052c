"""The ``indicators`` DAG with ``dag.test()``: it mines what a harvest loaded into a real
warehouse, and a second run changes nothing."""

from __future__ import annotations

import sys

import pytest
from sqlalchemy import text

# isort: off
from tests import airflow_support
from airflow.dag_processing.dagbag import DagBag
# isort: on

from replica.server import ReplicaServer
from scrapers.pipeline import RunOptions, RunWindow, crawl
from scrapers.schedule import airflow_conn_uri
from scrapers.settings import get_settings
from tests.crawlutil import fast_site, local

pytestmark = pytest.mark.airflow


@pytest.fixture
def indicators_dag(monkeypatch: pytest.MonkeyPatch, db_url: str):
    monkeypatch.setenv("AIRFLOW_CONN_PROVNEWS_DB", airflow_conn_uri(db_url))
    airflow_support.migrate_metadata()
    get_settings.cache_clear()
    monkeypatch.delitem(sys.modules, "_common", raising=False)
    bag = DagBag(dag_folder=str(airflow_support.DAGS))
    assert bag.import_errors == {}
    yield bag.dags["indicators"]
    get_settings.cache_clear()


def test_a_run_mines_the_loaded_articles_and_a_second_run_changes_nothing(
        indicators_dag, engine):
    with ReplicaServer("baothanhhoa") as server:
        crawl(engine, fast_site("baothanhhoa"), RunWindow(local(2025, 4, 1), local(2025, 5, 1)),
              settings=get_settings(), options=RunOptions(base_url=server.base_url))
    count = text("SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM article_topics),"
                 " (SELECT count(*) FROM indicators), (SELECT max(mined_at) FROM article_topics)")

    dr = indicators_dag.test(logical_date=None)
    assert dr.state == "success"
    assert {ti.task_id: ti.state for ti in dr.get_task_instances()} == {
        "loaded_batches": "success", "mine_indicators": "success"}
    with engine.connect() as conn:
        articles, read, figures, mined_at = conn.execute(count).one()
    assert articles == read > 10 and figures > 50

    assert indicators_dag.test(logical_date=None).state == "success"
    with engine.connect() as conn:
        assert conn.execute(count).one() == (articles, read, figures, mined_at)
