"""The sites overview: one row per site with its volume, fetch failures, body quality,
extractor, last run and open alerts, over the 7 and 30 days up to "today"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import Engine

from provnews_ui.deps import TodayDep, WarehouseDep
from provnews_ui.render import page
from scrapers.drift import trailing_median
from scrapers.settings import get_settings
from scrapers.store import alerts, health

router = APIRouter()
EXTRACTORS = {"rules": "hand rules", "template": "learned template"}
NO_ARTICLES = {"articles": 0, "empty_body": 0, "undated": 0, "decoded": 0, "incomplete": 0,
               "rules_missed": 0, "extractor": None}
NO_FETCHES = {"fetches": 0, "failed": 0, "kinds": {}}
# the overview's first order: what needs a look first, then the busiest sites
STATUS_ORDER = ("alert", "failing", "partial", "running", "ok", "never run", "disabled")


def extractor_label(name: str | None) -> str:
    """What kind of extractor made most recent articles: hand rules, a learned template or
    the generic one."""
    if not name:
        return "–"
    return next((label for key, label in EXTRACTORS.items() if key in name), "generic")


@dataclass
class SiteHealth:
    source: dict[str, Any]
    last7: int
    last30: int
    median: float | None  # articles per day over the days before the last 7
    quality: dict[str, Any]  # articles of the last 30 days: empty, undated, ...
    fetches: dict[str, Any]  # fetches of the runs for the last 30 days: failed, by kind
    template_at: datetime | None
    last_run: dict[str, Any] | None
    alerts: list[dict[str, Any]]

    @property
    def status(self) -> str:
        """One word for the row: what most needs a look."""
        run = self.last_run or {}
        if not self.source["enabled"]:
            return "disabled"
        if self.alerts:
            return "alert"
        return {"failed": "failing", "partial": "partial", "running": "running",
                "success": "ok"}.get(run.get("status", ""), "never run")

    @property
    def extractor(self) -> str:
        return extractor_label(self.quality.get("extractor"))

    @property
    def low_volume(self) -> bool:
        """The last 7 days far below the trailing median (the drift check's ratio)."""
        ratio = get_settings().drift_volume_ratio
        return bool(self.median) and self.last7 / 7 < self.median * ratio


def site_health(engine: Engine, today: date) -> list[SiteHealth]:
    """Every site's row, those that need a look first."""
    end, start7, start30 = today + timedelta(days=1), today - timedelta(days=6), \
        today - timedelta(days=29)
    baseline_start = start7 - timedelta(days=get_settings().drift_baseline_days)
    daily = health.daily_articles(engine, min(baseline_start, start30), end)
    first_days = health.first_article_days(engine)
    quality = health.article_quality(engine, start30, end)
    fetches = health.fetch_outcomes(engine, start30, end)
    runs, templates = health.latest_runs(engine), health.template_learned_at(engine)
    open_alerts: dict[int, list[dict[str, Any]]] = {}
    for alert in alerts.alerts(engine, open_only=True):
        open_alerts.setdefault(alert["source_id"], []).append(alert)
    out = []
    for src in health.sources(engine):
        sid, per_day = src["id"], daily.get(src["id"], {})
        out.append(SiteHealth(
            src, sum(n for d, n in per_day.items() if d >= start7),
            sum(n for d, n in per_day.items() if d >= start30),
            trailing_median(per_day, baseline_start, start7, first_days.get(sid)),
            quality.get(sid, NO_ARTICLES), fetches.get(sid, NO_FETCHES), templates.get(sid),
            runs.get(sid),
            open_alerts.get(sid, [])))
    return sorted(out, key=lambda s: (STATUS_ORDER.index(s.status), -s.last30,
                                      s.source["slug"]))


@router.get("/", response_class=HTMLResponse)
def overview(request: Request, engine: WarehouseDep, today: TodayDep) -> HTMLResponse:
    sites = site_health(engine, today)
    return page(request, "overview.html", sites=sites, today=today,
                alerts=[a for s in sites for a in s.alerts])
