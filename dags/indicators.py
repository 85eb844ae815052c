"""Airflow DAG ``indicators``: runs whenever a harvest DAG has loaded articles.

Scheduled on the Asset of the warehouse's articles table. For now it reports which
sites and intervals were loaded; indicator extraction will fill it in.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from _common import ARTICLES, default_args
from airflow.sdk import dag, task

from scrapers.schedule import LOCAL_TZ
from scrapers.settings import get_settings

log = logging.getLogger(__name__)

DOC = f"""\
### Indicators

Runs when any `harvest_<slug>` DAG has loaded articles: it is scheduled on the Asset
`{ARTICLES.name}` (`{ARTICLES.uri}`), which each harvest run's `dedupe_articles` task updates with
the site, interval and counts in the event's extra. For now it lists those events; the
indicators issue adds the extraction of figures (cooperatives, members, jobs, incomes ...).
"""


@dag(
    dag_id="indicators",
    schedule=[ARTICLES],
    start_date=datetime(2024, 1, 1, tzinfo=LOCAL_TZ),
    catchup=False,
    default_args=default_args(get_settings()),
    tags=["provnews", "indicators"],
    doc_md=DOC,
)
def indicators() -> None:
    @task
    def loaded_batches(**context: Any) -> list[dict[str, Any]]:
        events = [e for evs in context["triggering_asset_events"].values() for e in evs]
        loaded = [dict(e.extra or {}) for e in events]
        for extra in loaded:
            log.info("articles loaded: %s", extra)
        log.info("%d load event(s)", len(loaded))
        return loaded

    loaded_batches()


indicators()
