"""Airflow for tests: a throwaway AIRFLOW_HOME, configured before airflow is first imported.

Test modules that use Airflow import this module first. Airflow reads its configuration
when it is imported, so the environment is set here, at import time, once per session.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

from replica.airflow_stack import paced_sites
from scrapers.settings import REPO_ROOT, get_settings

DAGS = REPO_ROOT / "dags"
PLUGINS = REPO_ROOT / "plugins"
HOME = Path(tempfile.mkdtemp(prefix="provnews-airflow-"))
atexit.register(shutil.rmtree, HOME, ignore_errors=True)

BASE_ENV = {
    "AIRFLOW_HOME": str(HOME),
    "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS),
    "AIRFLOW__CORE__PLUGINS_FOLDER": str(PLUGINS),
    "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
    "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{HOME}/airflow.db",
    # each test has its own warehouse: one Asset URI for all, as one Airflow sees them
    "NEWS_ARTICLES_ASSET_URI": "postgres://localhost:5432/provnews_test/public/articles",
}
os.environ.update(BASE_ENV)
# The DAG processor puts the bundle folder (dags/) on sys.path; plugins/ is added by
# airflow itself, but only for the folder configured when it was first imported.
for folder in (DAGS, PLUGINS):
    if str(folder) not in sys.path:
        sys.path.append(str(folder))


_migrated = False


def migrate_metadata() -> None:
    """Create Airflow's tables in the session's metadata database (once)."""
    global _migrated
    if not _migrated:
        from airflow.utils import db

        db.initdb()
        _migrated = True


def unpaced_sites(folder: Path, only: str | None = None) -> Path:
    """The site registry (or just site ``only``) with ``min_delay: 0``: the replica on
    127.0.0.1 needs no pacing, and a test should not wait a second per request (the
    one-slot pools still apply)."""
    return paced_sites(get_settings().sites_dir, folder, [only] if only else None)
