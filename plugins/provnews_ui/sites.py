"""A site's page (articles per day, fetch outcomes per run, runs, endpoints, alerts) and the
coverage calendar of every site, with the backfill command for each gap."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import Engine

from provnews_ui.charts import Chart, calendar, daily_chart, stacked_chart
from provnews_ui.coverage import backfill_command, dag_of, day_states, gaps
from provnews_ui.deps import TodayDep, WarehouseDep
from provnews_ui.render import page, when
from scrapers.drift import trailing_median
from scrapers.settings import get_settings
from scrapers.store import alerts, health

router = APIRouter()
CHART_DAYS, RUN_BARS, RUN_ROWS, ALERT_ROWS = 90, 60, 20, 20
GAP_ROWS = 50


def site_coverage(engine: Engine, source: dict[str, Any], first: date, last: date
                  ) -> dict[str, Any]:
    """The site's calendar over [first, last], its gaps (newest first) with commands."""
    states = day_states(health.run_intervals(engine, source["id"]), first, last)
    found = gaps(states)[::-1]
    return {"source": source, "calendar": calendar(states), "dag": dag_of(source["slug"]),
            "gaps": [(g, backfill_command(source["slug"], g)) for g in found[:GAP_ROWS]],
            "more_gaps": max(0, len(found) - GAP_ROWS),
            "harvested": sum(s == "harvested" for s in states.values())}


def _articles_chart(engine: Engine, sid: int, today: date) -> tuple[Chart, int]:
    """Articles per day over the chart's days up to today, each day's trailing median."""
    days = get_settings().drift_baseline_days
    first = today - timedelta(days=CHART_DAYS - 1)
    per_day = health.daily_articles(engine, first - timedelta(days=days),
                                    today + timedelta(days=1), sid).get(sid, {})
    first_day = health.first_article_days(engine, sid).get(sid)
    medians = {first + timedelta(days=i): trailing_median(
        per_day, first + timedelta(days=i - days), first + timedelta(days=i), first_day)
        for i in range(CHART_DAYS)}
    shown = {d: n for d, n in per_day.items() if d >= first}
    return daily_chart(shown, medians, first, today), sum(shown.values())


def _run_label(run: dict[str, Any]) -> str:
    return when(run["interval_start"])[:10] if run["interval_start"] else f"run {run['id']}"


@router.get("/sites/{slug}", response_class=HTMLResponse)
def site_page(request: Request, slug: str, engine: WarehouseDep, today: TodayDep
              ) -> HTMLResponse:
    source = health.source_by_slug(engine, slug)
    if source is None:
        raise HTTPException(404, f"no site {slug!r}")
    sid = source["id"]
    chart, chart_total = _articles_chart(engine, sid, today)
    outcomes = health.run_outcomes(engine, sid, RUN_BARS)
    return page(request, "site.html", today=today, source=source, chart=chart,
                chart_total=chart_total, chart_days=CHART_DAYS,
                outcomes=stacked_chart([(_run_label(r), r["outcomes"]) for r in outcomes]),
                runs=health.recent_runs(engine, sid, RUN_ROWS),
                endpoints=health.endpoints(engine, sid),
                alerts=alerts.alerts(engine, sid, limit=ALERT_ROWS),
                coverage=site_coverage(engine, source, today - timedelta(days=364), today))


@router.get("/coverage", response_class=HTMLResponse)
def coverage_page(request: Request, engine: WarehouseDep, today: TodayDep,
                  days: Annotated[int, Query(ge=7, le=1100)] = 365, site: str = ""
                  ) -> HTMLResponse:
    first = today - timedelta(days=days - 1)
    sources = [s for s in health.sources(engine) if not site or s["slug"] == site]
    return page(request, "coverage.html", today=today, days=days, site=site,
                sites=[site_coverage(engine, s, first, today) for s in sources])

