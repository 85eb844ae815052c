"""Crash: ``kill -9`` of a ``provnews crawl`` in the middle of its fetches, then a re-run.

The crawl runs as a real subprocess against the replica (in this process) and a scratch
warehouse. The test watches the replica's request log and kills the process once it has
asked for a number of article pages. What the killed run committed stays; the next run
resumes from the frontier: it asks no URL the killed run had finished, and every article
ends up loaded once.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest
from sqlalchemy import create_engine, text

from replica.server import ReplicaServer
from scrapers.settings import REPO_ROOT
from tests.crawlutil import local
from tests.subprocs import fast_sites_dir, provnews, provnews_env

SLUG = "baothanhhoa"
SINCE, UNTIL = "2025-08-01", "2025-10-31"
START, END = local(2025, 8, 1), local(2025, 11, 1)
KILL_AFTER = 20  # article requests seen by the replica
COMMIT_EVERY = 5


@pytest.fixture
def replica():
    with ReplicaServer(SLUG) as server:
        yield server


def test_kill_9_mid_fetch_then_the_next_run_resumes_without_refetching(
        db_url, replica, tmp_path):
    env = provnews_env(db_url, fast_sites_dir(tmp_path, 0.1),
                       NEWS_FETCH_COMMIT_EVERY=str(COMMIT_EVERY))
    crawl = provnews("crawl", SLUG, "--since", SINCE, "--until", UNTIL,
                     "--base-url", replica.base_url)
    paths = {a.path: a for a in replica.site.articles_between(START, END)}
    crawlable = {a.url for a in paths.values() if a.crawlable}
    assert len(crawlable) > 3 * KILL_AFTER

    def article_requests() -> list[str]:
        return [r.path for r in replica.requests if r.path in paths]

    proc = subprocess.Popen(crawl, env=env, cwd=REPO_ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        while len(article_requests()) < KILL_AFTER and proc.poll() is None:
            time.sleep(0.01)
        assert proc.poll() is None, "the crawl ended before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(30)
    assert proc.returncode == -signal.SIGKILL

    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            finished = dict(conn.execute(text(
                "SELECT url, state FROM urls WHERE state <> 'new'")).all())
            queued = conn.execute(text("SELECT count(*) FROM urls")).scalar()
            run_status = conn.execute(text("SELECT status FROM crawl_runs")).scalar()
        asked_before = len(article_requests())
        assert 0 < len(finished) < queued and run_status == "running"
        assert len(finished) % COMMIT_EVERY == 0  # whole commits only

        cut = len(replica.requests)
        again = subprocess.run(crawl, env=env, cwd=REPO_ROOT, capture_output=True, text=True,
                               timeout=300)
        assert again.returncode == 0, again.stderr[-3000:]
        asked_again = [r.path for r in replica.requests[cut:] if r.path in paths]
        finished_paths = {p for p, a in paths.items() if a.url in finished}
        print(f"crash: killed after {asked_before} article requests with {len(finished)} of "
              f"{queued} URLs committed; the re-run asked {len(asked_again)} article pages")
        assert not finished_paths & set(asked_again)
        assert len(asked_again) == len(set(asked_again))

        with engine.connect() as conn:
            articles = conn.execute(text("SELECT url FROM articles")).scalars().all()
            status = conn.execute(text("SELECT status FROM crawl_runs")).scalars().all()
        assert sorted(articles) == sorted(crawlable)
        assert status == ["success"]  # the killed run's row, reopened and closed
    finally:
        engine.dispose()
