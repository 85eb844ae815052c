"""Check that `make run` serves Airflow: the UI answers and the REST API lists the DAGs.

    .venv/bin/python scripts/check_ui.py [--url http://localhost:8080] [--timeout 180]

Logs in as ``admin`` with the password `airflow standalone` generated in AIRFLOW_HOME
(default ./.airflow), gets a JWT from ``POST /auth/token`` and reads ``GET /api/v2/dags``.
Exit status 0 when every enabled site's ``harvest_<slug>`` DAG is listed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import requests

from scrapers.registry import load_sites
from scrapers.schedule import dag_id
from scrapers.settings import REPO_ROOT


def wait_for(url: str, timeout: float) -> requests.Response:
    """GET ``url`` until it answers (any status below 500) or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            resp = requests.get(url, timeout=5)
            if resp.status_code < 500:
                return resp
        except requests.ConnectionError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"{url} did not answer within {timeout:.0f}s")
        time.sleep(2)


def admin_password(airflow_home: Path, timeout: float) -> str:
    path = airflow_home / "simple_auth_manager_passwords.json.generated"
    deadline = time.monotonic() + timeout
    while not path.exists():
        if time.monotonic() > deadline:
            raise SystemExit(f"no password file {path}: is `make run` running?")
        time.sleep(1)
    return json.loads(path.read_text())["admin"]


def login(base: str, password: str) -> dict[str, str]:
    """Request headers carrying a JWT from ``POST /auth/token`` (simple auth manager)."""
    token = requests.post(f"{base}/auth/token", json={"username": "admin", "password": password},
                          timeout=10)
    token.raise_for_status()
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


def api_dags(base: str, headers: dict[str, str]) -> list[str]:
    resp = requests.get(f"{base}/api/v2/dags", headers=headers, params={"limit": 100},
                        timeout=10)
    resp.raise_for_status()
    return [d["dag_id"] for d in resp.json()["dags"]]


def check(base: str, airflow_home: Path, timeout: float) -> list[str]:
    """Return the problems found (empty when all is well); wait for DAGs to be parsed."""
    home = wait_for(base, timeout)
    print(f"{base} answers: HTTP {home.status_code}, {len(home.content)} bytes")
    headers = login(base, admin_password(airflow_home, timeout))
    wanted = {dag_id(s) for s in load_sites().values() if s.enabled}
    deadline = time.monotonic() + timeout
    while True:
        listed = set(api_dags(base, headers))
        missing = sorted(wanted - listed)
        if not missing or time.monotonic() > deadline:
            break
        time.sleep(3)  # the DAG processor may not have parsed the files yet
    print(f"/api/v2/dags lists {len(listed)} DAG(s): {', '.join(sorted(listed))}")
    return [f"DAG {d} is not listed" for d in missing]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://localhost:8080")
    parser.add_argument("--timeout", type=float, default=180.0)
    parser.add_argument("--airflow-home", type=Path,
                        default=Path(os.environ.get("AIRFLOW_HOME") or REPO_ROOT / ".airflow"))
    args = parser.parse_args(argv)
    problems = check(args.url.rstrip("/"), args.airflow_home, args.timeout)
    for p in problems:
        print(f"FAIL: {p}", file=sys.stderr)
    if not problems:
        print("OK: UI up, REST API lists every harvest DAG")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
