"""Scale-out on Airflow's own CeleryExecutor: a backfill of two replica sites through a Redis
broker, a PostgreSQL result backend and two ``airflow celery worker`` processes.

The tasks must spread over both workers, each site's articles of the backfilled days must
land, and each replica must see one paced request stream: the per-site one-slot pools hold
across workers, not only inside one process.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from datetime import datetime, timedelta
from itertools import pairwise
from pathlib import Path
from uuid import uuid4

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from replica.airflow_stack import AirflowStack, paced_sites
from replica.server import ReplicaServer
from scrapers.db import scratch_database
from scrapers.schedule import LOCAL_TZ, airflow_conn_uri
from scrapers.settings import REPO_ROOT, get_settings
from tests.celery_support import (
    Exchanges,
    celery_env,
    redis_broker,
    sigterm_interrupts,
    start_worker,
)

pytestmark = pytest.mark.airflow
SLUGS = ["baothanhhoa", "baoquangngai"]
FIRST = datetime(2025, 12, 30, tzinfo=LOCAL_TZ)
DAYS = 2
MIN_DELAY = 0.2  # seconds between requests to one site: small, but a second stream would show
WORKERS = ("w1", "w2")
WORKER_CONCURRENCY = 2
DEADLINE_S = 240  # generous: the runs take 1.5 to 2.5 min on a loaded 2-core machine


@pytest.fixture
def replicas() -> Iterator[dict[str, ReplicaServer]]:
    with ExitStack() as servers:
        yield {slug: servers.enter_context(ReplicaServer(slug, crawl_delay=0))
               for slug in SLUGS}


@pytest.fixture
def stack(tmp_path: Path, pg_admin_url: str, db_url: str,
          replicas: dict[str, ReplicaServer]) -> Iterator[AirflowStack]:
    """Metadata and Celery results in one scratch database, as in docker-compose.yml; a queue
    of this test's own, since the local Redis may serve others too."""
    queue = f"provnews-test-{uuid4().hex[:8]}"
    with sigterm_interrupts(), scratch_database(pg_admin_url, prefix="pn_airflow") as url, \
            redis_broker(tmp_path, queue) as broker:
        metadata = make_url(url)
        result_backend = "db+" + metadata.set(drivername="postgresql").render_as_string(
            hide_password=False)
        stack = AirflowStack(
            home=tmp_path / "airflow",
            metadata_url=metadata.set(drivername="postgresql+psycopg2").render_as_string(
                hide_password=False),
            warehouse_url=airflow_conn_uri(db_url),
            sites_dir=paced_sites(get_settings().sites_dir, tmp_path / "sites", SLUGS,
                                  min_delay=MIN_DELAY),
            mirrors={slug: srv.base_url for slug, srv in replicas.items()}, code_root=REPO_ROOT,
            extra_env={**celery_env(broker, result_backend),
                       "AIRFLOW__OPERATORS__DEFAULT_QUEUE": queue,
                       # more than the workers' slots: a finished task frees its executor
                       # slot only when its Celery result is read, seconds later
                       "AIRFLOW__CORE__PARALLELISM": str(4 * WORKER_CONCURRENCY)})
        stack.home.mkdir()
        yield stack
        stack.stop()


def test_two_celery_workers_share_a_backfill_and_each_site_sees_one_paced_stream(
        stack: AirflowStack, engine: Engine, replicas: dict[str, ReplicaServer]):
    exchanges = {slug: Exchanges(srv) for slug, srv in replicas.items()}
    started = time.monotonic()
    stack.prepare()
    stack.start()
    for name in WORKERS:
        start_worker(stack, name, WORKER_CONCURRENCY)
    last = (FIRST + timedelta(days=DAYS - 1)).date().isoformat()
    with ThreadPoolExecutor(len(SLUGS)) as pool:  # while the components start
        # both days at once: their pooled tasks compete for the site's one slot
        list(pool.map(lambda slug: stack.backfill(
            f"harvest_{slug}", FIRST.date().isoformat(), last, max_active_runs=DAYS), SLUGS))
    runs = stack.wait_for_runs(len(SLUGS) * DAYS, deadline_s=DEADLINE_S)
    elapsed = time.monotonic() - started
    stack.stop()

    assert [r.state for r in runs] == ["success"] * len(SLUGS) * DAYS, \
        stack.log("scheduler")[-3000:] + stack.log("worker-w1")[-3000:]
    metadata = create_engine(stack.metadata_url)
    with metadata.connect() as conn:
        tis = conn.execute(text(
            "SELECT dag_id, run_id, task_id, map_index, state, hostname FROM task_instance")).all()
    metadata.dispose()
    assert all(ti.state == "success" for ti in tis), tis
    per_worker = Counter(ti.hostname for ti in tis)
    assert set(per_worker) == set(WORKERS), per_worker

    end, articles = FIRST + timedelta(days=DAYS), {}
    with engine.connect() as conn:
        for slug, srv in replicas.items():
            loaded = set(conn.scalars(text(
                "SELECT a.url FROM articles a JOIN sources s ON s.id = a.source_id"
                " WHERE s.slug = :slug AND a.published_at >= :s AND a.published_at < :e"),
                {"slug": slug, "s": FIRST, "e": end}))
            want = {a.url for a in srv.site.articles_between(FIRST, end) if a.crawlable}
            assert want and loaded == want, slug
            articles[slug] = len(loaded)

    requests = {slug: srv.requests for slug, srv in replicas.items()}
    arrivals = {slug: min(b.time - a.time for a, b in pairwise(log))
                for slug, log in requests.items()}
    idle = {slug: min(ex.idle_gaps()) for slug, ex in exchanges.items()}
    assert all(len(exchanges[slug].spans) == len(log) for slug, log in requests.items())
    # one request at a time per site, min_delay apart, whichever worker sent it
    assert min(arrivals.values()) >= MIN_DELAY and min(idle.values()) >= MIN_DELAY, (arrivals, idle)
    print(f"\ncelery: prepared and ran {len(runs)} runs in {elapsed:.0f} s; task instances per"
          f" worker {dict(per_worker)}; articles {articles};"
          f" requests { {slug: len(log) for slug, log in requests.items()} };"
          f" min gap between arrivals { {k: f'{v:.3f}' for k, v in arrivals.items()} },"
          f" from the previous answer's end { {k: f'{v:.3f}' for k, v in idle.items()} }")
