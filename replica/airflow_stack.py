"""A throwaway Airflow (LocalExecutor: scheduler and API server) aimed at replica sites, for
the backfill test and ``bench/backfill.py``.

Everything runs as subprocesses of the ``airflow`` command in a temporary AIRFLOW_HOME, with
its metadata in a scratch database; nothing here imports airflow. ``code_root`` chooses the
checkout whose ``dags/``, ``plugins/`` and ``scrapers`` the processes use, so a bench can
run an older revision beside the current one.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from sqlalchemy import create_engine, text

from scrapers.schedule import LOCAL_AIRFLOW_ENV


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def paced_sites(src: Path, folder: Path, only: list[str] | None = None, *,
                min_delay: float = 0.0) -> Path:
    """The registry in ``src`` (or just the slugs ``only``) with ``min_delay`` seconds
    between requests to each site; by default none: a replica on 127.0.0.1 needs no pacing
    (the one-slot pools still apply)."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted(src.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if only is None or data["slug"] in only:
            data["min_delay"] = min_delay
            (folder / path.name).write_text(yaml.safe_dump(data, allow_unicode=True),
                                            encoding="utf-8")
    return folder


@dataclass
class AirflowStack:
    """``airflow db migrate``, pools, ``dags reserialize``; then ``start()`` the scheduler
    and API server; ``stop()`` ends their process groups."""

    home: Path
    metadata_url: str  # SQLAlchemy URL (psycopg2) of an empty database
    warehouse_url: str  # Airflow connection URI of the warehouse
    sites_dir: Path
    mirrors: dict[str, str]
    code_root: Path
    extra_env: dict[str, str] = field(default_factory=dict)
    procs: list[subprocess.Popen] = field(default_factory=list)

    @property
    def env(self) -> dict[str, str]:
        port = self.extra_env.get("AIRFLOW__API__PORT") or str(free_port())
        self.extra_env["AIRFLOW__API__PORT"] = port
        return {
            **os.environ,
            "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
            "PYTHONPATH": str(self.code_root),
            "AIRFLOW_HOME": str(self.home),
            "AIRFLOW__CORE__DAGS_FOLDER": str(self.code_root / "dags"),
            "AIRFLOW__CORE__PLUGINS_FOLDER": str(self.code_root / "plugins"),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": self.metadata_url,
            "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
            "AIRFLOW__CORE__PARALLELISM": "4",
            **LOCAL_AIRFLOW_ENV,
            "AIRFLOW__CORE__DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
            # backfill runs start only for unpaused DAGs; no scheduled runs beside them
            "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
            "AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE": "False",
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{port}/execution/",
            "AIRFLOW__API_AUTH__JWT_SECRET": "provnews-local-secret",
            "AIRFLOW_CONN_PROVNEWS_DB": self.warehouse_url,
            "NEWS_SITES_DIR": str(self.sites_dir),
            "NEWS_MIRRORS": json.dumps(self.mirrors),
            **self.extra_env,
        }

    def run(self, *args: str, timeout: float = 180) -> str:
        done = subprocess.run(args, env=self.env, cwd=self.code_root, capture_output=True,
                              text=True, timeout=timeout)
        if done.returncode != 0:
            raise RuntimeError(f"{args}: {done.stdout[-2000:]}{done.stderr[-2000:]}")
        return done.stdout

    def prepare(self) -> None:
        self.run("airflow", "db", "migrate")
        self.run(sys.executable, "scripts/airflow_pools.py")
        self.run("airflow", "dags", "reserialize")

    def start(self) -> None:
        env = self.env
        for cmd in (["api-server"], ["scheduler"]):
            log = (self.home / f"{cmd[0]}.log").open("w")
            self.procs.append(subprocess.Popen(["airflow", *cmd], env=env, cwd=self.home,
                                               start_new_session=True, stdout=log,
                                               stderr=subprocess.STDOUT))

    def stop(self) -> None:
        for proc in self.procs:
            os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        self.procs.clear()

    def backfill(self, dag_id: str, first: str, last: str, *, max_active_runs: int) -> None:
        self.run("airflow", "backfill", "create", "--dag-id", dag_id, "--from-date", first,
                 "--to-date", last, "--max-active-runs", str(max_active_runs))

    def wait_for_runs(self, n: int, *, deadline_s: float) -> list:
        """The backfill's DAG runs once ``n`` of them have finished (or the deadline)."""
        metadata = create_engine(self.metadata_url)
        until = time.monotonic() + deadline_s
        try:
            while True:
                with metadata.connect() as conn:
                    runs = conn.execute(text(
                        "SELECT run_id, state, data_interval_start, data_interval_end,"
                        " start_date, end_date FROM dag_run WHERE run_type = 'backfill'"
                        " ORDER BY data_interval_start")).all()
                done = [r for r in runs if r.state in ("success", "failed")]
                if (len(runs) == n and len(done) == n) or time.monotonic() > until:
                    return runs
                time.sleep(1)
        finally:
            metadata.dispose()

    def task_count(self) -> int:
        metadata = create_engine(self.metadata_url)
        try:
            with metadata.connect() as conn:
                return conn.execute(text("SELECT count(*) FROM task_instance")).scalar_one()
        finally:
            metadata.dispose()

    def task_times(self) -> list:
        """Per task id: how many ran, mean seconds queued → start (waiting for a worker
        or pool slot) and start → end (the task process, DAG parse included)."""
        metadata = create_engine(self.metadata_url)
        try:
            with metadata.connect() as conn:
                return conn.execute(text(
                    "SELECT task_id, count(*) AS n,"
                    " avg(extract(epoch FROM start_date - queued_dttm)) AS wait_s,"
                    " avg(extract(epoch FROM end_date - start_date)) AS run_s"
                    " FROM task_instance WHERE start_date IS NOT NULL"
                    " GROUP BY task_id ORDER BY min(start_date)")).all()
        finally:
            metadata.dispose()

    def log(self, name: str) -> str:
        path = self.home / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""
