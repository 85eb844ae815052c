"""What the pipeline benches share: a migrated scratch warehouse, settings without pacing,
crawls in processes of their own that start together, and CPU time that counts the work of
the Postgres backends a process talks to (most of a load is spent there, not in Python).

Benches may not import ``tests``, so the little they need of tests/crawlutil.py is here.
"""

from __future__ import annotations

import multiprocessing as mp
import resource
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event

from replica.data import dataset
from replica.server import ReplicaServer
from scrapers.counts import RunSummary
from scrapers.db import scratch_database, scratch_server
from scrapers.migrate import migrate
from scrapers.pipeline import RunOptions, RunWindow, open_run
from scrapers.provinces import load_provinces
from scrapers.registry import Site, get_site, load_sites
from scrapers.settings import Settings, get_settings
from scrapers.steps.common import session_for
from scrapers.store.sources import sync_sources

SPAWN = mp.get_context("spawn")  # children start clean: no forked engine pools or threads


def bench_settings(**overrides: Any) -> Settings:
    """No pacing of our own and quick retries: the replica answers at once."""
    values = {"default_min_delay": 0.0, "backoff_base": 0.01, "max_retries": 1,
              "connect_timeout": 5.0, "read_timeout": 10.0}
    return Settings(**{**values, **overrides})


def paced(slug: str, min_delay: float) -> Site:
    """The site with its own pace set to ``min_delay`` seconds between requests."""
    return get_site(slug).model_copy(update={"min_delay": min_delay})


@contextmanager
def admin_url() -> Iterator[str]:
    """NEWS_TEST_DB_URL's server, or an embedded one for the duration."""
    url, server = scratch_server()
    try:
        yield url
    finally:
        if server is not None:
            server.cleanup()


@contextmanager
def warehouse(admin: str, prefix: str = "pn_bench") -> Iterator[str]:
    """A migrated scratch database with provinces and the site registry, dropped after."""
    settings = get_settings()
    with scratch_database(admin, prefix=prefix) as url:
        engine = create_engine(url)
        migrate(engine, settings.sql_dir)
        load_provinces(engine, settings.provinces_csv)
        sync_sources(engine, load_sites())
        engine.dispose()
        yield url


def crawl_once(engine: Engine, site: Site, start: datetime, end: datetime, base_url: str,
               settings: Settings, run_key: str,
               stage: Callable[[str], AbstractContextManager[Any]]) -> RunSummary:
    """`crawl()` over [start, end) against a replica, each stage inside ``stage(name)`` (a
    timer, a profiler): the same calls in the same order, one session for the run."""
    with session_for(site, base_url, settings) as session:
        run = open_run(engine, site, RunWindow(start, end), settings=settings,
                       run_key=run_key, trigger="cli", options=RunOptions(base_url=base_url),
                       session=session)
        with stage("discover"):
            run.discover()
        with stage("fetch"):
            for ids in run.plan_fetch():
                run.fetch(ids)
    with stage("extract_step"):
        run.extract()
    with stage("dedupe"):
        run.dedupe()
    with stage("other"):
        run.check_quality()
        return run.close()


class CpuClock:
    """CPU seconds of this process (every thread) plus those of the Postgres backends of
    ``engine``'s connections, read from /proc: the database runs on this machine. A
    backend's are its scheduler's count (``schedstat``, in nanoseconds), not the clock ticks
    of ``stat``, whose 10 ms steps blur a short stage or one statement."""

    def __init__(self, engine: Engine) -> None:
        self._backends: dict[int, float] = {}
        event.listen(engine, "connect", self._connected)

    def _connected(self, dbapi_conn: Any, _record: Any) -> None:
        pid = dbapi_conn.info.backend_pid
        if Path(f"/proc/{pid}/comm").read_text().strip() != "postgres":
            raise RuntimeError("the database is not on this machine: its CPU cannot be read")
        self._backends[pid] = 0.0

    def _backend(self, pid: int) -> float:
        try:
            on_cpu_ns = Path(f"/proc/{pid}/schedstat").read_text().split()[0]
        except FileNotFoundError:  # the connection was closed: its last reading stands
            return self._backends[pid]
        self._backends[pid] = int(on_cpu_ns) / 1e9
        return self._backends[pid]

    def backends(self) -> float:
        return sum(self._backend(pid) for pid in list(self._backends))

    def __call__(self) -> float:
        return time.process_time() + self.backends()


def serve(slug: str, size: int, ready: Any, stop: Any) -> None:
    """A replica site in this process until ``stop`` is set; its base URL goes to ``ready``."""
    with ReplicaServer(dataset(slug, size=size), crawl_delay=0) as server:
        ready.send(server.base_url)
        stop.wait()


@contextmanager
def served(slugs: list[str], size: int) -> Iterator[list[str]]:
    """Each site served from its own process; yields their base URLs."""
    stop, procs, pipes = SPAWN.Event(), [], []
    for slug in slugs:
        mine, theirs = SPAWN.Pipe()
        procs.append(SPAWN.Process(target=serve, args=(slug, size, theirs, stop), daemon=True))
        procs[-1].start()
        pipes.append(mine)
    try:
        for pipe, slug in zip(pipes, slugs, strict=True):
            if not pipe.poll(300):
                raise RuntimeError(f"the replica of {slug} did not start within 300 s")
        yield [pipe.recv() for pipe in pipes]
    finally:
        stop.set()
        for p in procs:
            p.join(timeout=10)


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def in_processes(target: Callable[..., Any], jobs: list[tuple[Any, ...]],
                 timeout: float = 900.0) -> list[Any]:
    """``target(start, results, i, *job)`` for each job, each in its own process.

    ``start`` is a barrier of all the jobs (reusable): a job waits on it once its imports
    and set-up are done, so the jobs' timed work begins together; it puts ``(i, result)``
    on ``results``. Returns the results in job order; a job that raises or overruns
    ``timeout`` seconds fails the bench."""
    start, results = SPAWN.Barrier(len(jobs)), SPAWN.Queue()
    procs = [SPAWN.Process(target=_job, args=(target, start, results, i, *job), daemon=True)
             for i, job in enumerate(jobs)]
    for p in procs:
        p.start()
    try:
        out = dict(results.get(timeout=timeout) for _ in jobs)
    finally:
        for p in procs:
            p.join(timeout=10)
            if p.is_alive():
                p.kill()
    if failed := [v for v in out.values() if isinstance(v, JobFailed)]:
        raise failed[0]
    return [out[i] for i in range(len(jobs))]


class JobFailed(RuntimeError):
    """A job's exception, with the traceback it had in its own process."""


def _job(target: Callable[..., Any], start: Any, results: Any, i: int, *job: Any) -> None:
    try:
        target(start, results, i, *job)
    except BaseException:
        start.abort()  # the others are not left waiting for this one
        results.put((i, JobFailed(traceback.format_exc())))
