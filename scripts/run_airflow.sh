#!/usr/bin/env bash
# `make run` / `make demo`: the warehouse, then Airflow (API server + UI, scheduler,
# DAG processor, triggerer) with one harvest DAG per site, unpaused (--demo: those of the
# sites the replica serves; the others are listed, paused).
#
#   scripts/run_airflow.sh           harvest the real sites
#   scripts/run_airflow.sh --demo    harvest the local replica sites (no internet needed)
#
# Environment: NEWS_DB_URL (warehouse; default the embedded PostgreSQL in .data/pg),
# AIRFLOW_PORT (default 8080), AIRFLOW__DATABASE__SQL_ALCHEMY_CONN (Airflow's metadata
# database; default a database `airflow` on the embedded PostgreSQL), REPLICA_PORT (8765).
# --demo always uses the embedded server: databases provnews_demo and airflow_demo, and
# AIRFLOW_HOME .airflow/demo.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# `airflow standalone` starts its components as `airflow ...` found on PATH.
export PATH="$ROOT/.venv/bin:$PATH"
PORT="${AIRFLOW_PORT:-8080}"
DEMO=""
[[ "${1:-}" == "--demo" ]] && DEMO="--demo"

# AIRFLOW_HOME, the metadata database, the provnews_db Connection (--demo: databases of
# its own, so the replica's made-up articles never mix with real ones)
eval "$(python scripts/airflow_env.py $DEMO)"
export AIRFLOW__API__PORT="$PORT" AIRFLOW__API__BASE_URL="http://localhost:$PORT"
mkdir -p "$AIRFLOW_HOME"

echo "== warehouse"
provnews db migrate
provnews sites sync

echo "== airflow"

background=()
standalone=""
stop_airflow() {
    # ask standalone to stop its components; after a grace period kill what is left of its
    # session (the LocalExecutor's idle workers sometimes never exit)
    [[ -n $standalone ]] && kill -0 "$standalone" 2>/dev/null || return 0
    echo "== stopping airflow"
    kill -INT "$standalone" 2>/dev/null
    for _ in $(seq 30); do kill -0 "$standalone" 2>/dev/null || return 0; sleep 1; done
    echo "== airflow did not stop within 30 s: killing what is left"
    kill -KILL -- "-$standalone" 2>/dev/null || true
}
trap 'stop_airflow; for pid in "${background[@]}"; do kill "$pid" 2>/dev/null; done; true' EXIT
trap 'exit 0' INT TERM

if [[ -n $DEMO ]]; then
    REPLICA_PORT="${REPLICA_PORT:-8765}"
    log="$AIRFLOW_HOME/replica.log"
    provnews replica serve --all --port "$REPLICA_PORT" >"$log" 2>&1 &
    background+=($!)
    # it prints `export NEWS_MIRRORS='{"<slug>": "http://127.0.0.1:<port>", ...}'` when ready
    for _ in $(seq 100); do grep -q '^export NEWS_MIRRORS=' "$log" && break; sleep 0.2; done
    grep -q '^export NEWS_MIRRORS=' "$log" || { cat "$log"; exit 1; }
    eval "$(grep '^export NEWS_MIRRORS=' "$log")"
    export NEWS_ALLOW_ADDRESSES="127.0.0.1"
    # the replica's newsrooms stop on 2026-01-01: the provnews page counts up to that day
    export NEWS_UI_TODAY="${NEWS_UI_TODAY:-2025-12-31}"
    # only the sites the replica serves run: the others start paused (scripts/demo_runs.py
    # unpauses the rest once Airflow answers)
    export AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION=True
    echo "== replica sites (log: $log): $NEWS_MIRRORS"
fi

airflow db migrate >"$AIRFLOW_HOME/db-migrate.log" 2>&1 \
    || { cat "$AIRFLOW_HOME/db-migrate.log"; exit 1; }
python scripts/airflow_pools.py
# --demo: the sites with a replica (NEWS_MIRRORS) run, the others are listed paused
read -r DAGS PAUSED < <(python -c 'import json, os
from scrapers.registry import load_sites
mirrors = json.loads(os.environ.get("NEWS_MIRRORS") or "{}")
sites = [s.slug for s in load_sites().values() if s.enabled]
run = [s for s in sites if not mirrors or s in mirrors]
rest = [s for s in sites if s not in run]
print(",".join(f"harvest_{s}" for s in run), ",".join(f"harvest_{s}" for s in rest) or "none")')

cat <<EOF

  Airflow UI and REST API: http://localhost:$PORT
  provnews page (site health, coverage, alerts, articles): http://localhost:$PORT/plugin/provnews
  Log in as 'admin'; the password is generated on the first start and kept in
    $AIRFLOW_HOME/simple_auth_manager_passwords.json.generated
  DAGs (unpaused): ${DAGS//,/, }, indicators, maintenance
  DAGs (paused: no replica for them): ${PAUSED//,/, }
  Other airflow commands, from another shell, against this setup:
    scripts/airflow.sh $DEMO backfill create --dag-id harvest_<slug> \\
        --from-date 2024-07-01 --to-date 2024-07-07 --max-active-runs 1
  Stop with Ctrl-C.

EOF
if [[ -n $DEMO ]]; then
    # once the API answers: one run per site over the replica's last days
    PYTHONPATH="$ROOT" python scripts/demo_runs.py --url "http://localhost:$PORT" &
    background+=($!)
fi
# standalone in a session of its own: Ctrl-C reaches this script only, whose exit trap
# stops it (a background job would ignore SIGINT: restore it before exec)
python -c 'import os, signal
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.setsid()
os.execvp("airflow", ["airflow", "standalone"])' &
standalone=$!
wait "$standalone"
