"""Builds the harvest DAGs and the articles Asset; the DAG files only call this.

Each task is a few lines around the stages of ``scrapers.pipeline.Run`` that `provnews crawl`
runs in the same order: discovery, fetching (mapped over batches, in the site's pool), and
the database-only rest in one task; XCom carries counts, the run's window and URL ids,
never pages.
Parsing reads the site registry and environment variables only: no database, no network.

Settings: ``articles_asset_uri``, ``max_active_runs``, ``task_retries``,
``task_retry_delay_s``, ``task_max_retry_delay_s``, ``task_timeout_s``, ``lookback_hours``,
``mirrors`` (and those of the pipeline).
"""

from __future__ import annotations

import logging
import os
from datetime import timedelta
from typing import Any

from airflow.sdk import DAG, Asset, CronDataIntervalTimetable, Param, task
from airflow.sdk.exceptions import AirflowFailException

from scrapers.registry import Site
from scrapers.schedule import (
    ARTICLES_ASSET_NAME,
    CRON,
    LOCAL_TZ,
    asset_uri,
    dag_id,
    pool_name,
    start_date,
)
from scrapers.settings import Settings, get_settings

log = logging.getLogger(__name__)

# The asset names the warehouse table the harvest loads; the same URI is computed where
# the DAGs are parsed (DAG processor) and where they run, from the same environment.
ARTICLES = Asset(
    name=ARTICLES_ASSET_NAME,
    uri=get_settings().articles_asset_uri or asset_uri(
        os.environ.get("AIRFLOW_CONN_PROVNEWS_DB") or os.environ.get("NEWS_DB_URL")),
)


def default_args(settings: Settings) -> dict[str, Any]:
    """Retries with exponential backoff and a timeout for every task."""
    return {
        "owner": "provnews",
        "retries": settings.task_retries,
        "retry_delay": timedelta(seconds=settings.task_retry_delay_s),
        "retry_exponential_backoff": 2.0,
        "max_retry_delay": timedelta(seconds=settings.task_max_retry_delay_s),
        "execution_timeout": timedelta(seconds=settings.task_timeout_s),
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

    return ProvnewsHook().get_sqlalchemy_engine()


def _run(site: Site, meta: dict[str, Any]):
    from scrapers.pipeline import Run
    from scrapers.runtime import freeze_imports

    freeze_imports()  # a Celery task process has no scheduler's preload to inherit
    return Run.from_xcom(warehouse(), site, get_settings(), meta)


def _mark_failed(context: dict[str, Any]) -> None:
    """On a task's final failure, close the crawl_runs row with the error."""
    from scrapers.store.runs import close_run

    meta = context["ti"].xcom_pull(task_ids="discover_urls", key="run")
    if meta:
        close_run(warehouse(), meta["run_id"], status="failed",
                  error=f"{context['ti'].task_id}: {context.get('exception')}"[:2000])


def harvest_doc(site: Site) -> str:
    return f"""\
### Harvest {site.name} ({site.base_url})

One run harvests the articles **published** in its data interval: one
{"day" if site.schedule == "daily" else "hour"} in Asia/Ho_Chi_Minh time
(`{CRON[site.schedule]}`). Discovery reads feeds, sitemaps and listings for the interval
plus a lookback of `NEWS_LOOKBACK_HOURS` (default 6) before it, so articles that show up
late are still caught; URLs already known are skipped.

`discover_urls` (opens the run, plans fetch batches) → `fetch_pages` (mapped, one batch of
URL ids each) → `load_articles` (extracts, stores and deduplicates the articles, updates the
Asset `{ARTICLES_ASSET_NAME}`, checks the run's quality and closes it). The same stages run by hand
with `provnews crawl {site.slug} --since D --until D`. Counts per stage land in the
warehouse table `crawl_runs` (run_key = run id).

Politeness: `discover_urls` and `fetch_pages` run in the one-slot pool `{pool_name(site)}`,
so this site sees one request stream whatever the number of runs or workers.

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
    """``harvest_<slug>``: discover → fetch (mapped) → extract, dedupe, quality check."""
    with DAG(
        dag_id=dag_id(site),
        description=f"Harvest {site.name} articles, one {site.schedule} interval per run",
        schedule=CronDataIntervalTimetable(CRON[site.schedule], timezone=LOCAL_TZ.key),
        start_date=start_date(site),
        catchup=False,
        # each run fetches its own window's URLs: runs may overlap, the pool keeps one
        # request stream per site
        max_active_runs=get_settings().max_active_runs,
        default_args={**default_args(get_settings()), "on_failure_callback": _mark_failed},
        params=trigger_params(),
        tags=["provnews", "harvest", site.slug, site.kind, *([site.province] if site.province
                                                             else [])],
        doc_md=harvest_doc(site),
    ) as dag:

        @task(pool=pool_name(site), max_active_tis_per_dag=1)
        def discover_urls(**context: Any) -> list[list[int]]:
            """Open the run, discover its URLs; return the fetch batches (XCom "run": the
            run's id, window and options, for the tasks downstream)."""
            from scrapers.pipeline import RunOptions, open_run, run_window

            dag_run, params, settings = context["dag_run"], context["params"], get_settings()
            window = run_window(
                site.schedule,
                data_interval_start=context.get("data_interval_start"),
                data_interval_end=context.get("data_interval_end"),
                run_after=dag_run.run_after,
                since=params.get("since"), until=params.get("until"),
                lookback_hours=settings.lookback_hours)
            backfill = dag_run.run_type == "backfill"
            options = RunOptions(
                base_url=params.get("base_url") or settings.mirrors.get(site.slug),
                refetch=bool(params["refetch"]), reextract=bool(params["reextract"]),
                retry_failed=not backfill)
            run = open_run(warehouse(), site, window, settings=settings,
                           run_key=dag_run.run_id, options=options,
                           trigger="backfill" if backfill else "airflow")
            context["ti"].xcom_push(key="run", value=run.to_xcom())
            run.discover()
            return run.plan_fetch()

        @task(pool=pool_name(site), max_active_tis_per_dag=1)
        def fetch_pages(run: dict[str, Any], url_ids: list[int]) -> dict[str, Any]:
            return _run(site, run).fetch(url_ids).to_json()

        @task(trigger_rule="none_failed", outlets=[ARTICLES])
        def load_articles(run: dict[str, Any], **context: Any) -> dict[str, Any]:
            """Extract the fetched pages, store and deduplicate the articles (updates the
            Asset), then check the run's quality and close it: one task, since each of
            these is a few database statements that a task process of its own would cost
            more than (bench/backfill.py)."""
            from scrapers.pipeline import QualityFailure

            pipeline_run = _run(site, run)
            extracted = pipeline_run.extract().to_json()
            deduped = pipeline_run.dedupe().to_json()
            context["outlet_events"][ARTICLES].extra = {
                "site": site.slug, "start": run["start"], "end": run["end"], **deduped}
            try:
                report = pipeline_run.check_quality()
            except QualityFailure as exc:
                # a markup change does not heal on retry: fail at once
                raise AirflowFailException(str(exc)) from None
            return {"extract": extracted, "dedupe": deduped, "quality": report.to_json(),
                    "summary": pipeline_run.close().to_json()}

        batches = discover_urls()
        run = batches["run"]
        fetched = fetch_pages.partial(run=run).expand(url_ids=batches)
        fetched >> load_articles(run)
    return dag
