"""The scheduler-side preload (plugins/provnews_preload.py): a forked task process starts
with the pipeline imported, but never with code older than the files on disk."""

from __future__ import annotations

import gc
import importlib
import os
import sys
from pathlib import Path

import pytest

from tests import airflow_support  # noqa: F401  (puts plugins/ on sys.path)

import provnews_preload  # isort: skip  (needs plugins/ on sys.path)

pytestmark = pytest.mark.airflow
FOLDERS = ("pkgprobe",)


def write_module(root: Path, value: int, bump_ns: int = 0) -> None:
    path = root / "pkgprobe" / "__init__.py"
    path.parent.mkdir(exist_ok=True)
    path.write_text(f"VALUE = {value}\n", encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + bump_ns))


@pytest.fixture
def probe_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delenv(provnews_preload.FINGERPRINT_ENV, raising=False)
    write_module(tmp_path, 1)
    yield tmp_path
    sys.modules.pop("pkgprobe", None)


def test_only_the_scheduler_and_its_children_preload(probe_root: Path):
    gc.unfreeze()
    for argv in (["airflow", "dag-processor"], ["airflow", "api-server"],
                 ["airflow", "celery", "worker"]):
        provnews_preload.preload(probe_root, argv, modules=("pkgprobe",), folders=FOLDERS)
    assert "pkgprobe" not in sys.modules
    assert provnews_preload.FINGERPRINT_ENV not in os.environ
    assert gc.get_freeze_count() == 0
    provnews_preload.preload(probe_root, ["airflow", "scheduler"], modules=("pkgprobe",),
                             folders=FOLDERS)
    assert sys.modules["pkgprobe"].VALUE == 1
    # what was loaded is out of the collector's walks, in the scheduler and its children
    assert not any(obj is sys.modules["pkgprobe"] for obj in gc.get_objects())
    gc.unfreeze()


def test_the_fingerprint_follows_the_files(probe_root: Path):
    before = provnews_preload.code_fingerprint(probe_root, FOLDERS)
    assert provnews_preload.code_fingerprint(probe_root, FOLDERS) == before
    write_module(probe_root, 2, bump_ns=1_000_000_000)
    assert provnews_preload.code_fingerprint(probe_root, FOLDERS) != before


def test_a_forked_child_reimports_code_changed_since_the_parent_loaded_it(probe_root: Path):
    scheduler = ["airflow", "scheduler"]
    provnews_preload.preload(probe_root, scheduler, modules=("pkgprobe",), folders=FOLDERS)
    assert importlib.import_module("pkgprobe").VALUE == 1
    json_module = sys.modules["json"]

    def child_value() -> int:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # what a task process forked from a LocalExecutor worker does
            try:
                provnews_preload.preload(probe_root, scheduler, modules=("pkgprobe",),
                                         folders=FOLDERS)
                same_json = sys.modules["json"] is json_module  # third-party: kept
                os.write(write, f"{sys.modules['pkgprobe'].VALUE},{same_json}".encode())
            finally:
                os._exit(0)
        os.close(write)
        os.waitpid(pid, 0)
        value, same_json = os.read(read, 100).decode().split(",")
        os.close(read)
        assert same_json == "True"
        return int(value)

    assert child_value() == 1  # unchanged files: the parent's module is used as it is
    write_module(probe_root, 2, bump_ns=1_000_000_000)
    assert child_value() == 2  # changed: imported again in the child
    assert sys.modules["pkgprobe"].VALUE == 1  # the parent keeps what it had
