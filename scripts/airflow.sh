#!/usr/bin/env bash
# Run any `airflow` command against the setup of `make run` (or, with --demo first, of
# `make demo`), e.g.
#   scripts/airflow.sh dags list
#   scripts/airflow.sh backfill create --dag-id harvest_baothanhhoa --from-date 2024-07-01 \
#       --to-date 2024-07-07 --max-active-runs 1
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$ROOT/.venv/bin:$PATH"
DEMO=""
if [[ "${1:-}" == "--demo" ]]; then DEMO="--demo"; shift; fi
eval "$(cd "$ROOT" && python scripts/airflow_env.py $DEMO)"
exec airflow "$@"
