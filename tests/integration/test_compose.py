"""docker-compose.yml agrees with the code: services, mounts, executor and the warehouse, and
the CeleryExecutor settings that tests/integration/test_celery.py runs with."""

from __future__ import annotations

import importlib
import re
from urllib.parse import urlsplit

import pytest
import yaml
from sqlalchemy.engine import make_url

# isort: off
from tests import airflow_support  # noqa: F401  (configures Airflow before its import)
from airflow.providers.postgres.assets.postgres import sanitize_uri
from airflow.sdk import Connection
from provnews_hook import CONN_ID, ProvnewsHook
# isort: on

from scrapers.schedule import asset_uri
from scrapers.settings import REPO_ROOT
from scripts import hostname
from tests.celery_support import celery_env, worker_env

COMPOSE = yaml.safe_load((REPO_ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
SERVICES = COMPOSE["services"]
AIRFLOW = {name: s for name, s in SERVICES.items() if name.startswith("airflow-")}
COMPONENTS = {"airflow-apiserver": "api-server", "airflow-scheduler": "scheduler",
              "airflow-dag-processor": "dag-processor", "airflow-worker": "celery worker",
              "airflow-triggerer": "triggerer"}


def env(service: str) -> dict[str, str]:
    return SERVICES[service].get("environment", {})


def pg_url_matches(url: str, service: str) -> None:
    u = make_url(url.removeprefix("db+"))
    e = env(service)
    assert (u.host, u.username, u.password, u.database) == (
        service, e["POSTGRES_USER"], e["POSTGRES_PASSWORD"], e["POSTGRES_DB"])


def test_services_run_every_airflow_component_with_celery_and_redis():
    assert {"postgres", "warehouse", "redis", "airflow-init"} <= set(SERVICES)
    for name, command in COMPONENTS.items():
        assert SERVICES[name]["command"] == command
    for name in AIRFLOW:
        e = env(name)
        assert e["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
        assert urlsplit(e["AIRFLOW__CELERY__BROKER_URL"]).hostname == "redis"
        pg_url_matches(e["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"], "postgres")
        pg_url_matches(e["AIRFLOW__CELERY__RESULT_BACKEND"], "postgres")
        assert urlsplit(e["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"]).hostname \
            == "airflow-apiserver"
        assert e["AIRFLOW__CORE__LOAD_EXAMPLES"] == "false"
    assert "8080:8080" in SERVICES["airflow-apiserver"]["ports"]


def test_workers_scale_out():
    worker = SERVICES["airflow-worker"]
    # `--scale airflow-worker=N` needs copies without a fixed name or host port
    assert "container_name" not in worker and "ports" not in worker
    # the scheduler signs the workload tokens the API server checks for every worker's tasks
    for key in ("AIRFLOW__API_AUTH__JWT_SECRET", "AIRFLOW__API__SECRET_KEY"):
        assert len({env(name)[key] for name in AIRFLOW}) == 1


def test_celery_settings_are_those_the_celery_test_runs_with():
    tested = celery_env("redis://127.0.0.1:6379/0", "db+postgresql://airflow@127.0.0.1/airflow")
    for name in AIRFLOW:
        e = env(name)
        for key, value in tested.items():
            if "://" in value:  # the same form: redis://, db+postgresql://
                assert urlsplit(e[key]).scheme == urlsplit(value).scheme, (name, key)
            else:
                assert e[key] == value, (name, key)
        assert urlsplit(e["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"]).path == "/execution/"
    # the dotted path resolves, with the checkout (/opt/airflow in the image) on sys.path
    module, _, attr = hostname.CALLABLE.rpartition(".")
    assert getattr(importlib.import_module(module), attr) is hostname.hostname


def test_workers_tell_themselves_apart_and_serve_their_logs():
    """On one machine each worker needs its own name and log server port (test_celery); a
    container has both, so the name stays the container's, which the API server can reach."""
    worker, port = env("airflow-worker"), "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT"
    assert set(worker_env("w1")) == {hostname.ENV, port}
    assert worker[port] == env("airflow-apiserver")[port]  # where it asks for a running log
    assert hostname.ENV not in worker


@pytest.mark.parametrize("name", sorted(AIRFLOW))
def test_repository_code_is_mounted(name: str):
    mounts = dict(v.split(":", 1) for v in SERVICES[name]["volumes"] if v.startswith("./"))
    for folder in ("dags", "plugins", "include", "scrapers", "sql", "scripts"):
        assert mounts[f"./{folder}"] == f"/opt/airflow/{folder}"
        assert (REPO_ROOT / folder).is_dir()
    # scrapers/ and scripts.hostname are importable: their parent is on PYTHONPATH, and
    # settings find include/, sql/
    assert "/opt/airflow" in env(name)["PYTHONPATH"].split(":")


def test_image_installs_the_pinned_requirements():
    build = SERVICES["airflow-worker"]["build"]
    dockerfile = (REPO_ROOT / build["context"] / build["dockerfile"]).read_text()
    pinned = re.search(r"^apache-airflow==(\S+)$",
                       (REPO_ROOT / "requirements.txt").read_text(), re.M).group(1)
    assert f"apache/airflow:{pinned}-python3.11" in dockerfile
    assert "pip install --no-cache-dir -r /tmp/requirements.txt" in dockerfile
    assert "COPY requirements.txt" in dockerfile


def test_init_prepares_both_databases_and_the_pools():
    script = SERVICES["airflow-init"]["command"][-1]
    for step in ("airflow db migrate", "scrapers.cli db migrate", "scrapers.cli sites sync",
                 "scripts/airflow_pools.py"):
        assert step in script
    assert (REPO_ROOT / "scripts" / "airflow_pools.py").exists()


def test_warehouse_connection_matches_the_hook_and_the_asset(monkeypatch: pytest.MonkeyPatch):
    key = f"AIRFLOW_CONN_{CONN_ID.upper()}"
    uris = {env(name)[key] for name in AIRFLOW}
    assert len(uris) == 1
    uri = uris.pop()
    conn = Connection.from_uri(uri, conn_id=CONN_ID)
    monkeypatch.setenv(key, uri)
    url = make_url(ProvnewsHook().get_url())
    pg_url_matches(url.render_as_string(hide_password=False), "warehouse")
    assert url.drivername == "postgresql+psycopg"
    assert make_url(env("airflow-init")["NEWS_DB_URL"]).host == "warehouse"
    uri = asset_uri(conn.get_uri())
    assert uri == "postgres://warehouse:5432/provnews/public/articles"
    assert sanitize_uri(urlsplit(uri)) == urlsplit(uri)
