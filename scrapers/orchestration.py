"""What a scheduled harvest run needs that is not Airflow: windows, schedules, quality checks.

The DAG files stay thin and call these; tests and the command line can use them without
Airflow (this module, like all of ``scrapers``, never imports airflow).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from scrapers.dates import VN_TZ as LOCAL_TZ
from scrapers.registry import Site

# Analysts count articles per local day: a daily run is one Vietnamese calendar day.
CRON = {"daily": "0 0 * * *", "hourly": "0 * * * *"}
PERIOD = {"daily": timedelta(days=1), "hourly": timedelta(hours=1)}

ARTICLES_ASSET_NAME = "provnews.articles"
EMBEDDED_ASSET_URI = "postgres://localhost:5432/postgres/public/articles"


def dag_id(site: Site) -> str:
    return f"harvest_{site.slug}"


def pool_name(site: Site) -> str:
    """The one-slot Airflow pool that serialises every request-making task of a site."""
    return f"provnews_{site.slug}"


def site_pools(sites: dict[str, Site]) -> dict[str, dict[str, Any]]:
    """Pools for the enabled sites, in the format of ``airflow pools import``."""
    return {
        pool_name(s): {"slots": 1, "description": f"politeness: one request stream to {s.host}",
                       "include_deferred": False}
        for s in sites.values() if s.enabled
    }


def start_date(site: Site) -> datetime:
    """The site's first interval starts at local midnight of its ``start_date``."""
    day = date.fromisoformat(site.start_date)
    return datetime(day.year, day.month, day.day, tzinfo=LOCAL_TZ)


def parse_when(value: str | datetime | None) -> datetime | None:
    """A trigger-form or conf value as an aware datetime; naive values are local time.

    ``"2024-07-05"`` means local midnight of that day, the start of its analyst day.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        when = value
    else:
        raw = value.strip().replace("Z", "+00:00")
        try:
            when = datetime.fromisoformat(raw)
        except ValueError as exc:
            raise ValueError(f"not an ISO date or datetime: {value!r}") from exc
    return when if when.tzinfo else when.replace(tzinfo=LOCAL_TZ)


@dataclass(frozen=True)
class Window:
    """One run's harvest interval [start, end) and the wider window discovery reads."""

    start: datetime
    end: datetime
    lookback: timedelta

    @property
    def discover_start(self) -> datetime:
        # Feeds and sitemaps list articles late: re-reading the previous hours catches
        # what appeared after the last run; known URLs are skipped, so this costs little.
        return self.start - self.lookback


def run_window(
    schedule: str,
    *,
    data_interval_start: datetime | None,
    data_interval_end: datetime | None,
    run_after: datetime,
    since: str | datetime | None = None,
    until: str | datetime | None = None,
    lookback_hours: float = 6.0,
) -> Window:
    """The interval a run harvests.

    Explicit ``since``/``until`` (trigger form, ``--dag-run-conf``) win; then the run's data
    interval; runs without one (null logical date, asset-triggered) take the period that
    ends at ``run_after``, so a manual run "now" harvests the latest day or hour.
    """
    if data_interval_start is not None and data_interval_end is not None \
            and data_interval_end > data_interval_start:
        start, end = data_interval_start, data_interval_end
    else:
        end = run_after
        start = end - PERIOD[schedule]
    start = parse_when(since) or start
    end = parse_when(until) or end
    if end <= start:
        raise ValueError(f"empty interval: since {start.isoformat()} is not before "
                         f"until {end.isoformat()}")
    return Window(start, end, timedelta(hours=lookback_hours))


def asset_uri(db_url: str | None, *, schema: str = "public", table: str = "articles") -> str:
    """``postgres://host:port/db/schema/table`` naming a table of the warehouse at ``db_url``.

    Accepts SQLAlchemy URLs, Airflow connection URIs and Airflow's JSON connection form.
    A unix-socket server (the embedded one) has no host; it is named ``localhost``.
    """
    if not db_url:
        return EMBEDDED_ASSET_URI.replace("/public/articles", f"/{schema}/{table}")
    if db_url.lstrip().startswith("{"):
        c = json.loads(db_url)
        host, port, db = c.get("host"), c.get("port"), c.get("schema")
    else:
        u = make_url(db_url.replace("postgres://", "postgresql://", 1))
        host, port, db = u.host, u.port, u.database
    if not host or str(host).startswith("/"):
        host = "localhost"
    return f"postgres://{host}:{port or 5432}/{db or 'postgres'}/{schema}/{table}"


def window_url_ids(engine: Engine, site: Site, start: datetime, end: datetime) -> list[int]:
    """Ids of the site's URLs whose publication hint falls in [start, end), for a refetch."""
    with engine.connect() as conn:
        return list(conn.execute(text(
            "SELECT u.id FROM urls u JOIN sources s ON s.id = u.source_id"
            " WHERE s.slug = :slug AND u.state IN ('fetched', 'failed', 'new')"
            " AND coalesce(u.published_hint, u.lastmod_hint) >= :start"
            " AND coalesce(u.published_hint, u.lastmod_hint) < :end ORDER BY u.id"),
            {"slug": site.slug, "start": start, "end": end}).scalars())


def airflow_conn_uri(db_url: str) -> str:
    """The Airflow connection URI (``postgres://...``, as in AIRFLOW_CONN_PROVNEWS_DB) of a
    SQLAlchemy URL; a unix-socket directory stays in the ``host`` query option."""
    return make_url(db_url).set(drivername="postgres").render_as_string(hide_password=False)


def quality_report(engine: Engine, site: Site, run_id: int, start: datetime,
                   end: datetime) -> dict[str, int]:
    """Counts that show whether a run's extraction worked.

    ``fetched`` pages of this run, the ``articles`` made from them, how many of those lack
    a title, a body or a date, and how many repeat the body of another one (``same_body``:
    pages that all turned into one login wall or listing); ``in_interval`` is every
    article of the site published in [start, end), whichever run loaded it.
    """
    with engine.connect() as conn:
        row = conn.execute(text(
            "WITH mine AS (SELECT DISTINCT f.url_id FROM fetches f"
            "  WHERE f.run_id = :run AND f.outcome = 'ok' AND f.url_id IS NOT NULL)"
            " SELECT (SELECT count(*) FROM mine) AS fetched,"
            "  count(a.id) AS articles,"
            "  count(a.id) FILTER (WHERE coalesce(a.title, '') = '') AS no_title,"
            "  count(a.id) FILTER (WHERE a.word_count = 0) AS no_body,"
            "  count(a.id) FILTER (WHERE a.published_at IS NULL) AS no_date,"
            "  count(a.id) - count(DISTINCT a.body_sha256) AS same_body"
            " FROM mine JOIN articles a ON a.url_id = mine.url_id"), {"run": run_id}).one()
        in_interval = conn.execute(text(
            "SELECT count(*) FROM articles a JOIN sources s ON s.id = a.source_id"
            " WHERE s.slug = :slug AND a.published_at >= :start AND a.published_at < :end"),
            {"slug": site.slug, "start": start, "end": end}).scalar_one()
    report = dict(row._mapping)
    report["in_interval"] = in_interval
    return report


def quality_problems(report: dict[str, int], *, min_pages: int = 10,
                     max_bad_share: float = 0.5) -> list[str]:
    """Real breakage only: most pages of a run gave no article, or broken ones.

    A few odd pages are normal (galleries, videos); a markup change breaks most of them.
    Runs with fewer than ``min_pages`` fetched pages are too small to judge.
    """
    fetched, articles = report["fetched"], report["articles"]
    if fetched < min_pages:
        return []
    problems = []
    if articles < fetched * (1 - max_bad_share):
        problems.append(f"only {articles} articles from {fetched} fetched pages")
    for key, what in (("no_title", "have no title"), ("no_body", "have no body"),
                      ("no_date", "have no date"), ("same_body", "repeat another's body")):
        if articles and report[key] > articles * max_bad_share:
            problems.append(f"{report[key]} of {articles} articles {what}")
    return problems
