"""Helpers for tests that run ``provnews`` as a real subprocess against a scratch warehouse
and a replica: the command, its environment, a registry copy with fast politeness, and
URLs queued by hand."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path

import yaml
from sqlalchemy import Engine, text

from scrapers.settings import REPO_ROOT


def provnews(*args: str) -> list[str]:
    """The ``provnews`` command of this interpreter's environment."""
    script = Path(sys.executable).parent / "provnews"
    return [str(script), *args] if script.exists() else [
        sys.executable, "-m", "scrapers.cli", *args]


def provnews_env(db_url: str, sites_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a ``provnews`` subprocess: this warehouse, fast politeness, and no
    NEWS_* variable of the calling shell."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWS_")}
    env.update({"NEWS_DB_URL": db_url, "NEWS_SITES_DIR": str(sites_dir),
                "NEWS_LOOKBACK_HOURS": "0", "NEWS_BACKOFF_BASE": "0.01",
                "NEWS_RETRY_AFTER_CAP": "0.3", "NEWS_READ_TIMEOUT": "2",
                "PYTHONUNBUFFERED": "1", **extra})
    return env


def fast_sites_dir(tmp_path: Path, min_delay: float) -> Path:
    """A copy of the registry where every site waits ``min_delay`` between requests."""
    out = tmp_path / "sites"
    out.mkdir()
    for path in (REPO_ROOT / "include" / "sites").glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["min_delay"] = min_delay
        (out / path.name).write_text(yaml.safe_dump(data, allow_unicode=True),
                                     encoding="utf-8")
    return out


def queue(engine: Engine, slug: str, urls: Iterable[str]) -> None:
    """Put URLs on a site's frontier as discovery would (state new)."""
    with engine.begin() as conn:
        sid = conn.execute(text("SELECT id FROM sources WHERE slug = :s"), {"s": slug}).scalar()
        for url in urls:
            conn.execute(text("INSERT INTO urls (source_id, url) VALUES (:s, :u)"),
                         {"s": sid, "u": url})
