"""`make demo`: once Airflow answers, unpause the harvest DAGs of the sites the replica
serves (NEWS_MIRRORS) and start one run each over the replica's last days, so articles
arrive at once instead of at the next scheduled run; every other site's DAG is listed and
kept paused (the demo has no internet).

    .venv/bin/python scripts/demo_runs.py [--url http://localhost:8080] [--days 14]

The replica newsrooms publish until their clock stops (replica, 2026-01-01), so the
scheduled runs for today find nothing there; these runs use the trigger form's since/until.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

import requests
from check_ui import admin_password, api_dags, login, wait_for

from replica.data import END
from scrapers.registry import load_sites
from scrapers.schedule import dag_id
from scrapers.settings import REPO_ROOT

OTHER_DAGS = ("indicators", "maintenance")  # they read the warehouse only


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://localhost:8080")
    parser.add_argument("--days", type=int, default=14)
    parser.add_argument("--timeout", type=float, default=300.0)
    args = parser.parse_args(argv)
    base = args.url.rstrip("/")
    home = Path(os.environ.get("AIRFLOW_HOME") or REPO_ROOT / ".airflow")
    wait_for(base, args.timeout)
    headers = login(base, admin_password(home, args.timeout))
    sites = [s for s in load_sites().values() if s.enabled]
    mirrored = set(json.loads(os.environ.get("NEWS_MIRRORS") or "{}"))
    wanted = [dag_id(s) for s in sites if s.slug in mirrored]
    paused = [dag_id(s) for s in sites if s.slug not in mirrored]
    deadline = time.monotonic() + args.timeout
    while {*wanted, *paused} - set(api_dags(base, headers)):
        if time.monotonic() > deadline:
            raise SystemExit("the harvest DAGs were not parsed in time")
        time.sleep(3)
    for dag in [*wanted, *OTHER_DAGS, *paused]:
        resp = requests.patch(f"{base}/api/v2/dags/{dag}", headers=headers, timeout=10,
                              json={"is_paused": dag in paused})
        if resp.status_code != 404:  # a DAG this checkout does not have
            resp.raise_for_status()
    print(f"demo: paused (no replica): {', '.join(paused) or 'none'}", flush=True)
    conf = {"since": (END - timedelta(days=args.days)).isoformat(), "until": END.isoformat()}
    for dag in wanted:
        resp = requests.post(f"{base}/api/v2/dags/{dag}/dagRuns", headers=headers, timeout=10,
                             json={"logical_date": None, "conf": conf,
                                   "note": "make demo: the replica's last days"})
        resp.raise_for_status()
        print(f"demo: started {dag} {resp.json()['dag_run_id']} for "
              f"[{conf['since']}, {conf['until']}): {base}/dags/{dag}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
