"""Helpers for integration tests that crawl a replica: fast politeness, quick retries."""

from __future__ import annotations

from datetime import datetime

from replica.data import TZ
from scrapers.registry import Site, get_site
from scrapers.settings import Settings
from scrapers.steps.common import session_for

MIN_DELAY = 0.05


def fast_settings(**overrides) -> Settings:
    values = {"backoff_base": 0.01, "retry_after_cap": 0.3, "max_retries": 2,
              "connect_timeout": 2.0, "read_timeout": 1.0, "default_min_delay": MIN_DELAY,
              "max_body_bytes": 2 * 1024 * 1024, "global_concurrency": 4}
    return Settings(**{**values, **overrides})


def fast_site(slug: str) -> Site:
    return get_site(slug).model_copy(update={"min_delay": MIN_DELAY})


def fast_session(site: Site, base_url: str, **overrides):
    return session_for(site, base_url, settings=fast_settings(**overrides))


def local(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, tzinfo=TZ)
