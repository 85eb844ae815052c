"""Airflow DAG ``indicators``: mines the figures of new or changed articles whenever a
harvest DAG has loaded some.

Scheduled on the Asset of the warehouse's articles table. The step finds its own work (the
articles not yet read in their current text by the current extractor), so one run after
several loads, or a run that finds nothing, is as correct as one run per load.

Settings: those of ``scrapers.steps.indicators`` and the task defaults of ``_common``.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from _common import ARTICLES, default_args, warehouse
from airflow.sdk import dag, task

from scrapers.schedule import LOCAL_TZ
from scrapers.settings import get_settings

log = logging.getLogger(__name__)

DOC = f"""\
### Indicators

Runs when any `harvest_<slug>` DAG has loaded articles: it is scheduled on the Asset
`{ARTICLES.name}` (`{ARTICLES.uri}`), which each harvest run's `dedupe_articles` task updates with
the site, interval and counts in the event's extra. `loaded_batches` lists those events;
`mine_indicators` reads the articles that are new, changed since they were last read, or
read by an older extractor version, tags their topics (`article_topics`) and replaces their
figures in `indicators` (cooperatives, members, jobs, incomes, OCOP products, targets).
A re-run changes nothing. By hand: `provnews indicators load` (`--all` to read every
article again). Analysts read the views `indicators_clean`, `indicators_by_province_year`
and `indicators_latest`, which count each syndicated story once.
"""


@dag(
    dag_id="indicators",
    schedule=[ARTICLES],
    start_date=datetime(2024, 1, 1, tzinfo=LOCAL_TZ),
    catchup=False,
    max_active_runs=1,
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

    @task
    def mine_indicators() -> dict[str, Any]:
        from scrapers.steps.indicators import indicators_step

        # the step logs its counts; XCom keeps them too
        return indicators_step(warehouse(), settings=get_settings()).to_json()

    loaded_batches() >> mine_indicators()


indicators()
