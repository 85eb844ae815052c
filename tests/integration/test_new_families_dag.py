"""harvest_baonghean with ``dag.test()``: a site registered by its minimal file is probed
by the run's discover task, and the mapped fetch tasks (each a fresh Run from XCom) use
what the probe stored; a second run probes nothing and adds nothing."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

# isort: off
from tests import airflow_support
from airflow.sdk import DAG
# isort: on

from replica.server import ReplicaServer
from scrapers.registry import get_site, load_site
from scrapers.schedule import LOCAL_TZ, airflow_conn_uri
from scrapers.settings import get_settings

pytestmark = pytest.mark.airflow
SLUG = "baonghean"  # listings only, no dates on them: the hardest of the new families


@pytest.fixture
def harvest(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, db_url: str
            ) -> Iterator[tuple[Callable[[], DAG], ReplicaServer]]:
    sites = airflow_support.unpaced_sites(tmp_path / "sites", only=SLUG)
    assert load_site(sites / f"{SLUG}.yaml").needs_probe  # the file is the minimal one
    with ReplicaServer(SLUG, crawl_delay=0) as replica:
        monkeypatch.setenv("AIRFLOW_CONN_PROVNEWS_DB", airflow_conn_uri(db_url))
        monkeypatch.setenv("NEWS_MIRRORS", f'{{"{SLUG}": "{replica.base_url}"}}')
        monkeypatch.setenv("NEWS_SITES_DIR", str(sites))
        airflow_support.migrate_metadata()

        def parse() -> DAG:
            """The DAG as dags/harvest.py builds it from the site file, afresh each run
            (a worker parses before each task; Airflow keeps a run's conf in the Params),
            its Asset naming this test's warehouse."""
            get_settings.cache_clear()
            monkeypatch.delitem(sys.modules, "_common", raising=False)
            from _common import build_harvest_dag  # dags/ is on sys.path (airflow_support)

            return build_harvest_dag(get_site(SLUG))

        yield parse, replica
    get_settings.cache_clear()


def test_the_first_run_probes_and_every_task_uses_the_probe(harvest, engine: Engine):
    parse, replica = harvest
    logical = datetime(2025, 12, 31, tzinfo=LOCAL_TZ)
    dr = parse().test(logical_date=logical)
    assert dr.state == "success"
    start, end = dr.data_interval_start, dr.data_interval_end
    want = {a.url for a in replica.site.articles_between(start, end) if a.crawlable}
    assert want
    with engine.connect() as conn:
        got = set(conn.execute(text(
            "SELECT url FROM articles WHERE published_at >= :s AND published_at < :e"),
            {"s": start, "e": end}).scalars())
        run = conn.execute(text("SELECT status, counts FROM crawl_runs WHERE run_key = :k"),
                           {"k": dr.run_id}).one()
        probed = conn.execute(text("SELECT count(*) FROM endpoints WHERE origin = 'probed'"
                                   " AND parent_id IS NULL")).scalar()
    assert got == want
    assert run.status == "success" and run.counts["probe"]["outcome"] == "found"
    assert run.counts["probe"]["reason"] == "never probed" and probed == 3

    replica.clear_log()
    dr2 = parse().test(logical_date=logical)
    assert dr2.state == "success"
    with engine.connect() as conn:
        counts = conn.execute(text("SELECT counts FROM crawl_runs WHERE run_key = :k"),
                              {"k": dr2.run_id}).scalar_one()
    assert "probe" not in counts and counts["summary"]["new_articles"] == 0
    assert not replica.requests_for(r"^/$")  # no probe (not due): the homepage not asked
