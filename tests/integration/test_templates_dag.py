"""The ``maintenance`` DAG: weekly, one mapped learning task per enabled site (that parsing
does no I/O is test_dags' test for every DAG); with ``dag.test()`` against a real warehouse
it learns the template of a site that has stored pages and reports the others."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text

# isort: off
from tests import airflow_support
from airflow.dag_processing.dagbag import DagBag
from airflow.sdk import CronTriggerTimetable, DAG
from airflow.sdk.definitions.mappedoperator import MappedOperator
# isort: on

from scrapers.registry import get_site, load_sites
from scrapers.schedule import airflow_conn_uri
from scrapers.settings import get_settings
from tests.integration.test_templates_learn import store_pages

pytestmark = pytest.mark.airflow


def parse(monkeypatch: pytest.MonkeyPatch) -> DagBag:
    get_settings.cache_clear()
    monkeypatch.delitem(sys.modules, "_common", raising=False)
    bag = DagBag(dag_folder=str(airflow_support.DAGS))
    assert bag.import_errors == {}
    return bag


def test_the_maintenance_dag_is_weekly_and_maps_one_task_per_site(monkeypatch):
    dag = parse(monkeypatch).dags["maintenance"]
    assert isinstance(dag.timetable, CronTriggerTimetable)
    assert dag.timetable.expression == get_settings().template_relearn_cron == "0 3 * * 1"
    assert str(dag.timetable.timezone) == "Asia/Ho_Chi_Minh"
    tasks = {t.task_id: t for t in dag.tasks}
    assert set(tasks) == {"enabled_sites", "learn_template"}
    assert tasks["enabled_sites"].downstream_task_ids == {"learn_template"}
    assert isinstance(tasks["learn_template"], MappedOperator)
    assert dag.catchup is False and "provnews" in dag.tags and len(dag.doc_md) > 200
    assert all(t.retries >= 1 and t.execution_timeout is not None for t in dag.tasks)


@pytest.fixture
def maintenance(monkeypatch: pytest.MonkeyPatch, db_url: str) -> Iterator[DAG]:
    monkeypatch.setenv("AIRFLOW_CONN_PROVNEWS_DB", airflow_conn_uri(db_url))
    airflow_support.migrate_metadata()
    yield parse(monkeypatch).dags["maintenance"]
    get_settings.cache_clear()


def test_a_run_learns_the_templates_of_the_sites_with_enough_pages(maintenance: DAG,
                                                                     engine: Engine):
    store_pages(engine, get_site("phunuvietnam"))
    dr = maintenance.test()
    assert dr.state == "success"
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT s.slug, t.version, t.active, t.selectors->'body'->>'css' AS body"
            " FROM site_templates t JOIN sources s ON s.id = t.source_id")).all()
    assert [tuple(r) for r in rows] == [("phunuvietnam", 1, True, "div.detail-content")]
    outcomes = {ti.map_index: ti.xcom_pull(task_ids="learn_template", map_indexes=ti.map_index)
                for ti in dr.get_task_instances() if ti.task_id == "learn_template"}
    assert sorted(o["site"] for o in outcomes.values()) == sorted(
        s.slug for s in load_sites().values() if s.enabled)
    assert {o["site"]: o["outcome"] for o in outcomes.values()}["phunuvietnam"] == "learned"
