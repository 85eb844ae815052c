"""drift_step: compare a run's extraction with the site's recent baseline and keep the alert.

Part of the quality stage. The run's figures (articles from its fetched pages) are set
against those of the site's latest healthy runs, and its articles per day against the
trailing median before its window. Drift opens (or refreshes) the site's ``layout_drift``
alert; a run judged healthy closes it; a run too small to judge leaves it as it is. The
verdict is also stored in ``crawl_runs.counts->'drift'``.

Settings: ``drift_baseline_runs``, ``drift_baseline_days`` and the thresholds of
``scrapers.drift``.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy import Engine

from scrapers.dates import VN_TZ
from scrapers.drift import Thresholds, Verdict, compare, trailing_median
from scrapers.settings import Settings
from scrapers.store import alerts, health
from scrapers.store.runs import record_counts
from scrapers.store.sources import source_id

log = logging.getLogger(__name__)

KIND = "layout_drift"


def _per_day(engine: Engine, sid: int, start: datetime, end: datetime, baseline_days: int
             ) -> tuple[float | None, float | None]:
    """Articles per day in the window's whole local days, and the trailing median of the
    days before it; (None, None) for a window shorter than a day."""
    first, stop = start.astimezone(VN_TZ).date(), end.astimezone(VN_TZ).date()
    days = (stop - first).days
    if days < 1:
        return None, None
    since = first - timedelta(days=baseline_days)
    counts = health.daily_articles(engine, since, stop, sid).get(sid, {})
    current = sum(n for d, n in counts.items() if d >= first) / days
    median = trailing_median(counts, since, first, health.first_article_days(engine, sid).get(sid))
    return current, median


def drift_step(engine: Engine, slug: str, run_id: int, start: datetime, end: datetime, *,
               settings: Settings) -> Verdict:
    """Judge the run, record the verdict, open or close the site's drift alert."""
    sid = source_id(engine, slug)
    now_day, base_day = _per_day(engine, sid, start, end, settings.drift_baseline_days)
    current = health.run_figures(engine, [run_id])
    baseline = health.run_figures(
        engine, health.baseline_runs(engine, sid, run_id, settings.drift_baseline_runs))
    verdict = compare(slug, replace(current, per_day=now_day),
                      replace(baseline, per_day=base_day), Thresholds.from_settings(settings))
    record_counts(engine, run_id, "drift", verdict.details())
    if verdict.drifted:
        log.warning("layout drift: %s", verdict.message)
        alerts.open_alert(engine, sid, run_id, KIND, verdict.message, verdict.details())
    elif verdict.judged and alerts.close_alerts(engine, sid, KIND, run_id):
        log.info("%s: healthy again, drift alert closed", slug)
    return verdict
