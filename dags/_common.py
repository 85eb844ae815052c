"""Builds the harvest DAGs and the articles Asset; the DAG files only call this.

Each task is a few lines around one ``scrapers`` step; XCom carries counts, the run's
window and URL ids, never pages. Parsing reads the site registry and environment
variables only: no database, no network.
"""

from __future__ import annotations

import logging
import os
from datetime import datetime, timedelta
from typing import Any

from airflow.sdk import DAG, Asset, CronDataIntervalTimetable, Param, task
from airflow.sdk.exceptions import AirflowFailException

from scrapers.orchestration import (
    ARTICLES_ASSET_NAME,
    CRON,
    LOCAL_TZ,
    asset_uri,
    dag_id,
    pool_name,
    quality_problems,
    quality_report,
    run_window,
    start_date,
    window_url_ids,
)
from scrapers.registry import Site
from scrapers.settings import get_settings

log = logging.getLogger(__name__)

# The asset names the warehouse table the harvest loads; the same URI is computed where
# the DAGs are parsed (DAG processor) and where they run, from the same environment.
ARTICLES = Asset(
    name=ARTICLES_ASSET_NAME,
    uri=asset_uri(os.environ.get("AIRFLOW_CONN_PROVNEWS_DB") or os.environ.get("NEWS_DB_URL")),
)

MAX_BATCHES = 200  # fetch batches (map indexes) per run; the rest wait for the next run

DEFAULT_ARGS: dict[str, Any] = {
    "owner": "provnews",
    "retries": 3,
    "retry_delay": timedelta(minutes=1),
    "retry_exponential_backoff": 2.0,
    "max_retry_delay": timedelta(minutes=30),
    "execution_timeout": timedelta(hours=2),
}

def trigger_params() -> dict[str, Param]:
    """The trigger form; fresh Param objects for each DAG (Airflow resolves them in place)."""
    return {
        "since": Param(None, type=["null", "string"], format="date-time", title="Since",
                       description="Harvest from this time instead of the interval start, "
                       "e.g. 2024-07-05T00:00:00+07:00 (without an offset: local time)."),
        "until": Param(None, type=["null", "string"], format="date-time", title="Until",
                       description="Harvest up to (excluding) this time instead of the "
                       "interval end."),
        "refetch": Param(False, type="boolean", title="Refetch",
                         description="Fetch again the URLs already fetched in the interval."),
        "reextract": Param(False, type="boolean", title="Re-extract",
                           description="Extract again every stored page of the site (after "
                           "a selector fix), not only new ones."),
        "base_url": Param(None, type=["null", "string"], title="Mirror base URL",
                          description="Send this site's requests to a mirror, e.g. the "
                          "replica at http://127.0.0.1:8765; empty: NEWS_MIRRORS or the "
                          "real site."),
    }


def warehouse():
    """The warehouse engine: Connection provnews_db, else NEWS_DB_URL, else embedded."""
    from provnews_hook import ProvnewsHook

    return ProvnewsHook().get_conn()


def _mark_failed(context: dict[str, Any]) -> None:
    """On a task's final failure, close the crawl_runs row with the error."""
    from scrapers.steps.runs import finish_run

    meta = context["ti"].xcom_pull(task_ids="start_run")
    if meta:
        finish_run(warehouse(), meta["run_id"], status="failed",
                   error=f"{context['ti'].task_id}: {context.get('exception')}"[:2000])


def harvest_doc(site: Site) -> str:
    return f"""\
### Harvest {site.name} ({site.base_url})

One run harvests the articles **published** in its data interval: one
{"day" if site.schedule == "daily" else "hour"} in Asia/Ho_Chi_Minh time
(`{CRON[site.schedule]}`). Discovery reads feeds, sitemaps and listings for the interval
plus a lookback of `NEWS_LOOKBACK_HOURS` (default 6) before it, so articles that show up
late are still caught; URLs already known are skipped.

`start_run` → `discover` → `plan_batches` → `fetch` (mapped, one batch of URL ids each)
→ `extract` → `load` (dedupe; updates the Asset `{ARTICLES_ASSET_NAME}`) → `quality`
→ `finish_run`. Counts per step land in the warehouse table `crawl_runs` (run_key = run id).

Politeness: `discover` and `fetch` run in the one-slot pool `{pool_name(site)}`, so this
site sees one request stream whatever the number of runs or workers.

**Backfill** a range (one run per interval; a re-run changes nothing):

    airflow backfill create --dag-id {dag_id(site)} \\
        --from-date 2024-07-01 --to-date 2024-07-31 --max-active-runs 1

(`scripts/airflow.sh backfill create ...` with `make run`, or the UI: Trigger → Backfill.)
Both dates are included; they are interval starts, read in Asia/Ho_Chi_Minh when
`AIRFLOW__CORE__DEFAULT_TIMEZONE` says so (make run and docker compose set it), else give
an offset: `2024-07-01T00:00:00+07:00`. The DAG must be unpaused for the runs to start.

**Manual run** from the trigger form: `since`/`until` override the interval, `refetch`
fetches the interval's URLs again, `reextract` re-parses all stored pages, `base_url` points
the run at a mirror such as the replica. A run without a logical date harvests the
{site.schedule} period that ends when it was triggered.
"""


def build_harvest_dag(site: Site) -> DAG:
    """``harvest_<slug>``: discover → fetch (mapped) → extract → load → quality check."""
    with DAG(
        dag_id=dag_id(site),
        description=f"Harvest {site.name} articles, one {site.schedule} interval per run",
        schedule=CronDataIntervalTimetable(CRON[site.schedule], timezone=LOCAL_TZ.key),
        start_date=start_date(site),
        catchup=False,
        max_active_runs=1,
        default_args={**DEFAULT_ARGS, "on_failure_callback": _mark_failed},
        params=trigger_params(),
        tags=["provnews", "harvest", site.slug, site.kind, *([site.province] if site.province
                                                             else [])],
        doc_md=harvest_doc(site),
    ) as dag:

        @task
        def start_run(**context: Any) -> dict[str, Any]:
            from scrapers.steps.runs import start_run as open_run

            dag_run, params, settings = context["dag_run"], context["params"], get_settings()
            window = run_window(
                site.schedule,
                data_interval_start=context.get("data_interval_start"),
                data_interval_end=context.get("data_interval_end"),
                run_after=dag_run.run_after,
                since=params.get("since"), until=params.get("until"),
                lookback_hours=settings.lookback_hours)
            trigger = "backfill" if dag_run.run_type == "backfill" else "airflow"
            run_id = open_run(warehouse(), site.slug, dag_run.run_id, trigger=trigger,
                              start=window.start, end=window.end)
            log.info("crawl run %s (%s) for [%s, %s)", run_id, trigger,
                     window.start.isoformat(), window.end.isoformat())
            return {"run_id": run_id, "start": window.start.isoformat(),
                    "end": window.end.isoformat(),
                    "discover_start": window.discover_start.isoformat(),
                    "base_url": params.get("base_url") or settings.mirrors.get(site.slug)}

        @task(pool=pool_name(site), max_active_tis_per_dag=1)
        def discover(meta: dict[str, Any]) -> dict[str, int]:
            from scrapers.steps.discover import discover_step

            return discover_step(warehouse(), site, datetime.fromisoformat(meta["discover_start"]),
                                 datetime.fromisoformat(meta["end"]), base_url=meta["base_url"],
                                 run_id=meta["run_id"])

        @task
        def plan_batches(meta: dict[str, Any], **context: Any) -> list[list[int]]:
            from scrapers.steps.fetch import pending_batches

            engine, size = warehouse(), get_settings().fetch_batch_size
            if context["params"]["refetch"]:
                # again, but only the URLs of this run's window, not the site's history
                ids = window_url_ids(engine, site, datetime.fromisoformat(meta["discover_start"]),
                                     datetime.fromisoformat(meta["end"]))[:size * MAX_BATCHES]
                batches = [ids[i:i + size] for i in range(0, len(ids), size)]
            else:
                batches = pending_batches(engine, site, batch_size=size,
                                          limit=size * MAX_BATCHES)
            log.info("%d URL(s) to fetch in %d batch(es)", sum(map(len, batches)), len(batches))
            return batches

        @task(pool=pool_name(site), max_active_tis_per_dag=1)
        def fetch(meta: dict[str, Any], url_ids: list[int], **context: Any) -> dict[str, int]:
            from scrapers.steps.fetch import fetch_step

            return fetch_step(warehouse(), site, url_ids=url_ids, base_url=meta["base_url"],
                              run_id=meta["run_id"], refetch=context["params"]["refetch"])

        @task(trigger_rule="none_failed")
        def extract(meta: dict[str, Any], **context: Any) -> dict[str, int]:
            from scrapers.steps.extract import extract_step

            return extract_step(warehouse(), site, force=context["params"]["reextract"],
                                run_id=meta["run_id"])

        @task(outlets=[ARTICLES])
        def load(meta: dict[str, Any], **context: Any) -> dict[str, int]:
            from scrapers.steps.dedupe import dedupe_step

            counts = dedupe_step(warehouse(), site, run_id=meta["run_id"])
            context["outlet_events"][ARTICLES].extra = {
                "site": site.slug, "start": meta["start"], "end": meta["end"], **counts}
            return counts

        @task
        def quality(meta: dict[str, Any]) -> dict[str, int]:
            from scrapers.steps.runs import record_counts

            engine = warehouse()
            report = quality_report(engine, site, meta["run_id"],
                                    datetime.fromisoformat(meta["start"]),
                                    datetime.fromisoformat(meta["end"]))
            record_counts(engine, meta["run_id"], {"quality": report})
            log.info("quality: %s", report)
            if problems := quality_problems(report):
                # a markup change does not heal on retry: fail at once
                raise AirflowFailException(f"{site.slug}: extraction looks broken: "
                                           + "; ".join(problems))
            return report

        @task
        def finish_run(meta: dict[str, Any]) -> dict[str, Any]:
            from scrapers.steps.runs import finish_run as close_run

            summary = close_run(warehouse(), meta["run_id"])
            log.info("run summary: %s", summary)
            return summary

        meta = start_run()
        batches = plan_batches(meta)
        discover(meta) >> batches
        fetched = fetch.partial(meta=meta).expand(url_ids=batches)
        extracted = extract(meta)
        loaded = load(meta)
        checked = quality(meta)
        fetched >> extracted >> loaded >> checked >> finish_run(meta)
    return dag
