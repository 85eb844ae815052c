"""Wall seconds per backfilled day through Airflow's real scheduler, now and at a baseline
revision, in the same run.

    .venv/bin/python bench/backfill.py [--days 30] [--baseline-rev adf6105]
        [--max-active-runs 4]

Each variant gets its own warehouse and metadata databases (on NEWS_TEST_DB_URL's server,
or an embedded one), a throwaway AIRFLOW_HOME (LocalExecutor: scheduler + API server) and
the baothanhhoa replica without pacing; `airflow backfill create` makes one run per local
day. The baseline checkout (a git worktree of the revision) runs its own dags/ and
scrapers/. Printed: seconds per day (first run start to last run end), tasks per run,
articles loaded.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from replica.airflow_stack import AirflowStack, paced_sites
from replica.server import ReplicaServer
from scrapers.db import scratch_database, scratch_server
from scrapers.schedule import airflow_conn_uri
from scrapers.settings import REPO_ROOT

SLUG = "baothanhhoa"
FIRST_DAY = date(2025, 11, 1)


@dataclass
class Result:
    name: str
    runs: int
    succeeded: int
    seconds: float
    tasks: int
    articles: int
    breakdown: list = field(default_factory=list)  # AirflowStack.task_times()

    def row(self) -> str:
        return (f"{self.name:<22} {self.runs:>5} {self.succeeded:>5} {self.seconds:>9.1f} "
                f"{self.seconds / max(self.runs, 1):>9.2f} {self.tasks / max(self.runs, 1):>9.1f}"
                f" {self.articles:>9}")


def checkout(rev: str, into: Path) -> Path:
    subprocess.run(["git", "-C", str(REPO_ROOT), "worktree", "add", "--detach", str(into), rev],
                   check=True, capture_output=True)
    return into


def measure(name: str, code_root: Path, admin_url: str, days: int,
            max_active_runs: int) -> Result:
    with tempfile.TemporaryDirectory(prefix="provnews-bench-") as tmp, \
            scratch_database(admin_url, prefix="pn_bench_wh") as warehouse, \
            scratch_database(admin_url, prefix="pn_bench_af") as metadata, \
            ReplicaServer(SLUG, crawl_delay=0) as replica:
        home = Path(tmp)
        sites = paced_sites(code_root / "include" / "sites", home / "sites", [SLUG])
        env = {**os.environ, "PYTHONPATH": str(code_root), "NEWS_DB_URL": warehouse,
               "NEWS_SITES_DIR": str(sites)}
        for cmd in (["db", "migrate"], ["sites", "sync"]):
            subprocess.run([sys.executable, "-m", "scrapers.cli", *cmd], env=env,
                           cwd=code_root, check=True, capture_output=True)
        stack = AirflowStack(
            home=home / "airflow",
            metadata_url=make_url(metadata).set(drivername="postgresql+psycopg2")
            .render_as_string(hide_password=False),
            warehouse_url=airflow_conn_uri(warehouse), sites_dir=sites,
            mirrors={SLUG: replica.base_url}, code_root=code_root)
        stack.home.mkdir()
        try:
            stack.prepare()
            last = FIRST_DAY + timedelta(days=days - 1)
            stack.backfill(f"harvest_{SLUG}", FIRST_DAY.isoformat(), last.isoformat(),
                           max_active_runs=max_active_runs)
            stack.start()
            runs = stack.wait_for_runs(days, deadline_s=60 + 30 * days)
        finally:
            stack.stop()
        tasks, breakdown = stack.task_count(), stack.task_times()
        engine = create_engine(warehouse)
        with engine.connect() as conn:
            articles = conn.execute(text("SELECT count(*) FROM articles")).scalar_one()
        engine.dispose()
    finished = [r for r in runs if r.start_date and r.end_date]
    seconds = (max(r.end_date for r in finished) - min(r.start_date for r in finished)
               ).total_seconds() if finished else float("nan")
    return Result(name, len(runs), sum(r.state == "success" for r in runs), seconds, tasks,
                  articles, breakdown)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--baseline-rev", default="adf6105",
                        help="revision to compare with (default: before this work's DAG;"
                        " '' to measure the current tree alone)")
    parser.add_argument("--max-active-runs", type=int, default=4)
    args = parser.parse_args(argv)
    admin, server = scratch_server()
    with tempfile.TemporaryDirectory(prefix="provnews-baseline-") as tmp:
        baseline = checkout(args.baseline_rev, Path(tmp) / "src") if args.baseline_rev else None
        try:
            results = [measure(f"baseline {args.baseline_rev}", baseline, admin, args.days,
                               args.max_active_runs)] if baseline else []
            results.append(measure("now", REPO_ROOT, admin, args.days, args.max_active_runs))
        finally:
            if baseline:
                subprocess.run(["git", "-C", str(REPO_ROOT), "worktree", "remove", "--force",
                                str(baseline)], capture_output=True)
            if server is not None:
                server.cleanup()
    print(f"{args.days}-day backfill of {SLUG} (replica, politeness 0), "
          f"--max-active-runs {args.max_active_runs}, LocalExecutor")
    print(f"{'variant':<22} {'runs':>5} {'ok':>5} {'wall s':>9} {'s/day':>9} "
          f"{'tasks/run':>9} {'articles':>9}")
    for r in results:
        print(r.row())
    if len(results) == 2:
        print(f"speed-up per day: {results[0].seconds / results[1].seconds:.1f}x")
    for r in results:
        print(f"\n{r.name}: per task, mean s waiting (queued to start) and running")
        for t in r.breakdown:
            print(f"  {t.task_id:<24} {t.n:>4} {float(t.wait_s or 0):>7.2f} {float(t.run_s):>7.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
