"""harvest_baothanhhoa end to end with ``dag.test()``: the replica site over HTTP on 127.0.0.1,
a real warehouse PostgreSQL, Airflow's own tables in a throwaway metadata database."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text

# isort: off
from tests import airflow_support
from airflow.dag_processing.dagbag import DagBag
from airflow.models.asset import AssetEvent, AssetModel
from airflow.sdk import DAG
from airflow.utils.session import create_session
# isort: on

from replica.server import ReplicaServer
from scrapers.schedule import ARTICLES_ASSET_NAME, LOCAL_TZ, airflow_conn_uri
from scrapers.settings import get_settings

pytestmark = pytest.mark.airflow
SLUG = "baothanhhoa"


@pytest.fixture(scope="module")
def replica() -> Iterator[ReplicaServer]:
    with ReplicaServer(SLUG, crawl_delay=0) as srv:
        yield srv


@pytest.fixture
def harvest(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, db_url: str,
            replica: ReplicaServer) -> Iterator[Callable[[], DAG]]:
    """Parse the site's DAG, aimed at the replica, the way a worker does before each run.

    A fresh parse per ``dag.test()``: tasks run in this process and Airflow merges a run's
    conf into the parsed DAG's Param objects, which a worker process would throw away."""
    monkeypatch.setenv("AIRFLOW_CONN_PROVNEWS_DB", airflow_conn_uri(db_url))
    monkeypatch.setenv("NEWS_MIRRORS", f'{{"{SLUG}": "{replica.base_url}"}}')
    monkeypatch.setenv("NEWS_SITES_DIR", str(airflow_support.unpaced_sites(tmp_path / "sites")))
    airflow_support.migrate_metadata()

    def parse() -> DAG:
        get_settings.cache_clear()
        monkeypatch.delitem(sys.modules, "_common", raising=False)
        bag = DagBag(dag_folder=str(airflow_support.DAGS))
        assert bag.import_errors == {}
        return bag.dags[f"harvest_{SLUG}"]

    yield parse
    get_settings.cache_clear()


def expected_urls(replica: ReplicaServer, start: datetime, end: datetime) -> set[str]:
    """What a polite crawler must end up with: no robots-disallowed or removed pages."""
    return {a.url for a in replica.site.articles_between(start, end) if a.crawlable}


def loaded(engine: Engine, start: datetime, end: datetime) -> dict[str, tuple]:
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT url, title, published_at, body_sha256, updated_at FROM articles"
            " WHERE published_at >= :s AND published_at < :e"), {"s": start, "e": end})
        return {r.url: tuple(r[1:]) for r in rows}


def crawl_run(engine: Engine, run_key: str):
    with engine.connect() as conn:
        return conn.execute(text("SELECT * FROM crawl_runs WHERE run_key = :k"),
                            {"k": run_key}).one()


def test_a_run_harvests_its_interval_and_a_second_run_adds_nothing(
        harvest: Callable[[], DAG], engine: Engine, replica: ReplicaServer):
    logical = datetime(2025, 12, 31, tzinfo=LOCAL_TZ)
    dr = harvest().test(logical_date=logical)
    assert dr.state == "success"
    start, end = dr.data_interval_start, dr.data_interval_end
    assert end - start == timedelta(days=1)
    assert start.astimezone(LOCAL_TZ).hour == 0  # a Vietnamese calendar day

    want = expected_urls(replica, start, end)
    assert len(want) >= 2
    got = loaded(engine, start, end)
    assert set(got) == want
    truth = replica.site.by_url
    assert all(got[u][0] == truth[u].title and got[u][1] == truth[u].published_at for u in got)
    # discovery reached back 6 h before the interval, never past its end
    lookback = start - timedelta(hours=get_settings().lookback_hours)
    with engine.connect() as conn:
        outside = conn.execute(text(
            "SELECT count(*) FROM articles WHERE published_at < :lb OR published_at >= :e"),
            {"lb": lookback, "e": end}).scalar()
    assert outside == 0
    # robots.txt is obeyed through Airflow too
    assert not replica.requests_for(r"^/noi-bo-")

    run = crawl_run(engine, dr.run_id)
    assert (run.status, run.trigger) == ("success", "airflow")
    assert (run.interval_start, run.interval_end) == (start, end)
    assert run.counts["discover"]["discovered"] >= len(want)
    assert run.counts["quality"]["in_interval"] == len(want)

    with create_session() as session:
        events = session.scalars(select(AssetEvent).join(
            AssetModel, AssetModel.id == AssetEvent.asset_id).where(
            AssetModel.name == ARTICLES_ASSET_NAME)).all()
    assert [e.extra["site"] for e in events] == [SLUG]
    assert events[0].extra["start"] == start.isoformat()

    with engine.connect() as conn:
        before = conn.execute(text("SELECT (SELECT count(*) FROM urls),"
                                   " (SELECT count(*) FROM pages),"
                                   " (SELECT count(*) FROM article_versions)")).one()
    dr2 = harvest().test(logical_date=logical)  # dag.test replaces the run: a new run id
    assert dr2.state == "success"
    assert (dr2.data_interval_start, dr2.data_interval_end) == (start, end)
    assert loaded(engine, start, end) == got  # the same rows, not even touched
    with engine.connect() as conn:
        after = conn.execute(text("SELECT (SELECT count(*) FROM urls),"
                                  " (SELECT count(*) FROM pages),"
                                  " (SELECT count(*) FROM article_versions)")).one()
    assert after == before
    rerun = crawl_run(engine, dr2.run_id)
    assert rerun.status == "success"
    assert rerun.counts["discover"]["discovered"] == 0
    assert not any(key.startswith("fetch") for key in rerun.counts)  # nothing to fetch


def test_a_run_without_logical_date_uses_run_after_or_the_trigger_params(
        harvest: Callable[[], DAG], engine: Engine, replica: ReplicaServer,
        monkeypatch: pytest.MonkeyPatch):
    # no mirror configured: the trigger form's base_url alone sends the run to the replica
    monkeypatch.delenv("NEWS_MIRRORS")
    since = datetime(2025, 12, 20, tzinfo=LOCAL_TZ)
    until = datetime(2025, 12, 24, tzinfo=LOCAL_TZ)
    dr = harvest().test(logical_date=None, run_conf={
        "since": since.isoformat(), "until": until.isoformat(), "base_url": replica.base_url})
    assert dr.state == "success" and dr.logical_date is None
    want = expected_urls(replica, since, until)
    assert len(want) >= 3
    assert set(loaded(engine, since, until)) == want
    run = crawl_run(engine, dr.run_id)
    assert (run.interval_start, run.interval_end) == (since, until)

    # without since/until the run takes the day that ends when it was triggered
    dr = harvest().test(logical_date=None, run_conf={"base_url": replica.base_url})
    assert dr.state == "success"
    run = crawl_run(engine, dr.run_id)
    assert run.interval_end == dr.run_after
    assert run.interval_end - run.interval_start == timedelta(days=1)


def test_broken_extraction_fails_the_run_and_closes_its_crawl_run(
        harvest: Callable[[], DAG], engine: Engine, replica: ReplicaServer):
    # every article URL answers 200 with the same category listing (a broken CMS template)
    replica.faults.add(r"-\d{4,}\.htm$", "same_page", page="/thoi-su")
    since = datetime(2025, 12, 10, tzinfo=LOCAL_TZ)
    until = datetime(2026, 1, 1, tzinfo=LOCAL_TZ)
    try:
        dr = harvest().test(logical_date=None, run_conf={
            "since": since.isoformat(), "until": until.isoformat()})
    finally:
        replica.faults.clear()
    assert dr.state == "failed"
    states = {ti.task_id: ti.state for ti in dr.get_task_instances()}
    assert states["load_articles"] == "failed"
    run = crawl_run(engine, dr.run_id)
    assert run.status == "failed"
    assert run.error.startswith("load_articles: baothanhhoa: extraction looks broken")
    # the pages are the section's listing: refused as not articles, or all one body
    assert ("articles from" in run.error or "repeat another's body" in run.error), run.error
    assert run.counts["quality"]["fetched"] >= 10
