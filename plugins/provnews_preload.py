"""Imports the harvest pipeline in the scheduler, before its LocalExecutor forks.

The scheduler loads plugins before it forks its LocalExecutor workers, and every task
process is forked from a worker; what is imported here is therefore already loaded in each
task process, which otherwise spends about a second on imports (trafilatura, datasketch and
scipy, lxml, the Postgres provider) before its first line runs: most of a small task's
time in a backfill (bench/backfill.py).

A forked process must not run code older than the checkout: this module runs again in every
task process (Airflow loads plugins there too, before it parses the DAG file), and when the
repository's own files have changed since the parent imported them it drops those modules,
so that they are imported afresh; third-party modules stay loaded. What is loaded then is
frozen out of the garbage collector's walks (``scrapers.runtime``). Other processes (API
server, DAG processor, Celery workers) import nothing here. Imports and file stats only: no
database, no network.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import sys
from pathlib import Path

from airflow.plugins_manager import AirflowPlugin

REPO_ROOT = Path(__file__).resolve().parents[1]
PRELOADED = ("scrapers.pipeline", "provnews_hook")
OWN_FOLDERS = ("scrapers", "plugins", "replica")
FINGERPRINT_ENV = "PROVNEWS_PRELOADED_CODE"  # inherited by forked children


def code_fingerprint(root: Path, folders: tuple[str, ...] = OWN_FOLDERS) -> str:
    """A digest of the path, size and mtime of every Python file in ``folders`` of
    ``root`` (the repository's own packages, not its virtualenv)."""
    digest = hashlib.blake2b(digest_size=16)
    for folder in folders:
        for path in sorted((root / folder).rglob("*.py")):
            st = path.stat()
            digest.update(f"{path.relative_to(root)}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def drop_modules_under(root: Path) -> list[str]:
    """Forget the loaded modules whose files are in ``root`` (outside a ``.venv``)."""
    prefix, venv = f"{root}{os.sep}", f"{os.sep}.venv{os.sep}"
    stale = [name for name, module in list(sys.modules.items())
             if (path := getattr(module, "__file__", None)) and path.startswith(prefix)
             and venv not in path and name != __name__]
    for name in stale:
        del sys.modules[name]
    return stale


def preload(root: Path = REPO_ROOT, argv: list[str] = sys.argv, *,
            modules: tuple[str, ...] = PRELOADED,
            folders: tuple[str, ...] = OWN_FOLDERS) -> None:
    """In ``airflow scheduler`` and the processes it forks (their argv is the same), import
    ``modules``, first dropping what a parent process loaded from older files."""
    if argv[1:2] != ["scheduler"]:
        return
    now = code_fingerprint(root, folders)
    if os.environ.get(FINGERPRINT_ENV) not in (None, now):
        drop_modules_under(root)
    os.environ[FINGERPRINT_ENV] = now
    for name in modules:
        importlib.import_module(name)
    from scrapers.runtime import freeze_imports

    freeze_imports()


preload()


class ProvnewsPreloadPlugin(AirflowPlugin):
    name = "provnews_preload"
