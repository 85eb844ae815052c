"""Database outage: PostgreSQL restarted in the middle of a load and of a fetch batch.

The warehouse is a private PostgreSQL this module starts itself (pgserver in a temporary
directory), so it can be restarted without touching the server other tests share. To hit
"the middle" every time rather than by luck, the test lets the step commit some batches,
then takes a table lock the step's next write waits on, sees in ``pg_stat_activity`` that
the step is waiting inside a batch, and restarts the server (``pg_ctl restart -m fast``):
the step's open transaction is cut. The step must fail with an exception, leave no half
batch behind, and a retry on the same engine must complete with every article stored once.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import DBAPIError

from replica.server import ReplicaServer
from scrapers.db import create_database, drop_database, normalise_url
from scrapers.migrate import migrate
from scrapers.provinces import load_provinces
from scrapers.registry import load_sites
from scrapers.settings import get_settings
from scrapers.steps.discover import discover_step
from scrapers.steps.extract import extract_step
from scrapers.steps.fetch import fetch_step
from scrapers.store.sources import sync_sources
from tests.crawlutil import fast_session, fast_settings, fast_site, local

SLUG = "baothanhhoa"
START, END = local(2025, 8, 1), local(2025, 11, 1)
COMMIT_EVERY = 10
EXTRACT_BATCH = 10


class PrivatePostgres:
    """An embedded server in a temp dir that a test may restart."""

    def __init__(self) -> None:
        os.environ.setdefault("XDG_RUNTIME_DIR", tempfile.gettempdir())
        import pgserver
        from pgserver._commands import POSTGRES_BIN_PATH

        self._server = pgserver.get_server(tempfile.mkdtemp(prefix="pn-outage-"),
                                           cleanup_mode="delete")
        self._pg_ctl = str(Path(POSTGRES_BIN_PATH) / "pg_ctl")
        self.url = normalise_url(self._server.get_uri())

    def restart(self) -> None:
        # no pipes: the new postmaster inherits them, and run() would wait for it to exit
        log = self._server.pgdata / "restart.log"
        subprocess.run([self._pg_ctl, "-D", str(self._server.pgdata), "-l", str(log), "-w",
                        "-m", "fast", "restart"], check=True, stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60,
                       user=self._server.system_user)

    def cleanup(self) -> None:
        self._server.cleanup()


@pytest.fixture(scope="module")
def private_pg() -> Iterator[PrivatePostgres]:
    server = PrivatePostgres()
    yield server
    server.cleanup()


@pytest.fixture
def warehouse(private_pg: PrivatePostgres) -> Iterator[Engine]:
    url = create_database(private_pg.url)
    engine = create_engine(url, pool_pre_ping=True)  # as scrapers.db.get_engine makes it
    settings = get_settings()
    migrate(engine, settings.sql_dir)
    load_provinces(engine, settings.provinces_csv)
    sync_sources(engine, load_sites())
    yield engine
    engine.dispose()
    drop_database(private_pg.url, url)


@pytest.fixture(scope="module")
def replica() -> Iterator[ReplicaServer]:
    with ReplicaServer(SLUG) as server:
        yield server


def _count(engine: Engine, sql: str) -> int:
    with engine.connect() as conn:
        return conn.execute(text(sql)).scalar_one()


def _discover(engine: Engine, replica: ReplicaServer) -> int:
    site = fast_site(SLUG)
    session = fast_session(site, replica.base_url)
    try:
        discover_step(engine, site, START, END, settings=session.settings, session=session)
    finally:
        session.close()
    return _count(engine, "SELECT count(*) FROM urls")


def _cut_in_the_middle(engine: Engine, server: PrivatePostgres, step, *, ready: str,
                       lock: str) -> BaseException | None:
    """Run ``step`` in a thread; once ``ready`` (SQL) holds, take ``lock`` so that the step
    waits inside a batch, then restart the server. Return what the step raised."""
    raised: list[BaseException] = []

    def run() -> None:
        try:
            step()
        except BaseException as exc:
            raised.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    watcher = create_engine(engine.url)
    try:
        with watcher.connect() as conn:
            while not conn.execute(text(ready)).scalar() and worker.is_alive():
                conn.rollback()
                time.sleep(0.02)
            assert worker.is_alive(), "the step ended before it could be cut"
            conn.execute(text(lock))
            for _ in range(1000):  # until the step's next write waits on our lock
                waiting = conn.execute(text(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                    " AND datname = current_database() AND pid <> pg_backend_pid()")).scalar()
                if waiting:
                    break
                time.sleep(0.02)
            assert waiting, "the step never waited on the lock"
            server.restart()
    except DBAPIError:
        pass  # our own connection was cut by the restart, as intended
    finally:
        watcher.dispose()
    worker.join(120)
    return raised[0] if raised else None


def test_restart_during_a_fetch_batch_loses_no_commit_and_the_retry_completes(
        private_pg, warehouse, replica):
    engine = warehouse
    queued = _discover(engine, replica)
    assert queued > 3 * COMMIT_EVERY
    site = fast_site(SLUG)
    settings = fast_settings(fetch_commit_every=COMMIT_EVERY, fetch_batch_size=10**4)
    replica.clear_log()

    error = _cut_in_the_middle(
        engine, private_pg,
        lambda: fetch_step(engine, site, settings=settings, base_url=replica.base_url),
        ready=f"SELECT count(*) >= {COMMIT_EVERY} FROM urls WHERE state <> 'new'",
        lock="BEGIN; LOCK TABLE pages IN EXCLUSIVE MODE")
    assert isinstance(error, DBAPIError), error  # a clean failure, not a hang or a crash

    # only whole commits survived: every answered URL has its fetch row, and its page if
    # it was fetched; the cut chunk left nothing
    done = _count(engine, "SELECT count(*) FROM urls WHERE state <> 'new'")
    assert done % COMMIT_EVERY == 0 and 0 < done < queued
    assert _count(engine, "SELECT count(*) FROM urls u WHERE state <> 'new' AND NOT EXISTS"
                          " (SELECT 1 FROM fetches f WHERE f.url_id = u.id)") == 0
    assert _count(engine, "SELECT count(*) FROM fetches WHERE url_id IS NOT NULL") == done
    assert _count(engine, "SELECT count(*) FROM urls u WHERE (state = 'fetched') <>"
                          " EXISTS (SELECT 1 FROM pages p WHERE p.url_id = u.id)") == 0
    with engine.connect() as conn:
        committed = set(conn.execute(text("SELECT url FROM urls WHERE state <> 'new'")).scalars())
    cut = len(replica.requests)
    retry = fetch_step(engine, site, settings=settings, base_url=replica.base_url)
    assert retry.queued == queued - done
    extract_step(engine, site, settings=settings)
    crawlable = {a.url for a in replica.site.articles_between(START, END) if a.crawlable}
    with engine.connect() as conn:
        articles = conn.execute(text("SELECT url FROM articles")).scalars().all()
        ok_twice = conn.execute(text(
            "SELECT count(*) FROM (SELECT url_id FROM fetches WHERE outcome = 'ok'"
            " AND url_id IS NOT NULL GROUP BY url_id HAVING count(*) > 1) t")).scalar()
    assert sorted(articles) == sorted(crawlable) and ok_twice == 0
    # committed URLs were not asked again; only those of the cut chunk and after, which were
    # fetched but never stored
    paths = {a.url: a.path for a in replica.site.articles_between(START, END)}
    asked_again = [r.path for r in replica.requests[cut:] if r.path in paths.values()]
    print(f"fetch outage: {queued} URLs, {done} committed before the restart, "
          f"{len(asked_again)} asked again by the retry")
    assert not {paths[u] for u in committed} & set(asked_again)
    assert len(asked_again) == len(set(asked_again))


def test_restart_during_a_load_keeps_whole_batches_and_the_retry_loads_each_article_once(
        private_pg, warehouse, replica):
    engine = warehouse
    _discover(engine, replica)
    site = fast_site(SLUG)
    settings = fast_settings(extract_batch_size=EXTRACT_BATCH)
    fetch_step(engine, site, settings=settings, base_url=replica.base_url)
    pages = _count(engine, "SELECT count(*) FROM pages")
    assert pages > 3 * EXTRACT_BATCH

    error = _cut_in_the_middle(
        engine, private_pg, lambda: extract_step(engine, site, settings=settings),
        ready="SELECT count(*) > 0 FROM articles",
        lock="BEGIN; LOCK TABLE articles IN EXCLUSIVE MODE")
    assert isinstance(error, DBAPIError), error

    loaded = _count(engine, "SELECT count(*) FROM articles")
    marked = _count(engine, "SELECT count(*) FROM pages WHERE extracted_at IS NOT NULL")
    assert 0 < loaded < pages
    # a page is marked read exactly when its batch committed: no article without its mark,
    # no mark without its article (or its recorded extract error)
    assert _count(engine, "SELECT count(*) FROM pages p WHERE (p.extracted_at IS NOT NULL"
                          " AND p.extract_error IS NULL) <> EXISTS (SELECT 1 FROM articles a"
                          " WHERE a.url_id = p.url_id)") == 0
    assert marked % EXTRACT_BATCH == 0

    retry = extract_step(engine, site, settings=settings)
    assert retry.new == pages - loaded and retry.updated == 0
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT url_id, count(*) FROM articles GROUP BY 1")).all()
        versions = conn.execute(text("SELECT count(*) FROM article_versions")).scalar()
    print(f"load outage: {pages} pages, {loaded} articles before the restart, "
          f"{retry.new} loaded by the retry")
    assert len(rows) == pages and {n for _, n in rows} == {1} and versions == 0
