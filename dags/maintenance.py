"""Airflow DAG ``maintenance``: the weekly upkeep of the sites' learned templates.

Every enabled site's template is learned again from its most recent stored pages, one
mapped task per site, so that a site whose markup drifted gets a fresh template even when
no run failed (a run whose rules stop matching learns one at once, in its quality check).
Learning reads the warehouse only, never the sites. Parsing does no I/O: the sites are
listed when the DAG runs.

Settings: ``template_relearn_cron`` (and those of ``scrapers.steps.learn``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from _common import default_args, warehouse
from airflow.sdk import CronTriggerTimetable, dag, task

from scrapers.schedule import LOCAL_TZ
from scrapers.settings import get_settings

DOC = """\
### Maintenance: learn the sites' templates again

Weekly (`NEWS_TEMPLATE_RELEARN_CRON`, Asia/Ho_Chi_Minh). `enabled_sites` lists the enabled
sites of the registry; `learn_template` (mapped, one per site) learns the site's template
from its most recent stored pages (`NEWS_TEMPLATE_MAX_PAGES`, at least
`NEWS_TEMPLATE_MIN_PAGES`) and stores it in `site_templates` as the new active version when
it would extract something else than the active one; the site's next harvest run then reads
its stored pages again with it. Each task returns the outcome (`learned`, `unchanged`,
`too_few_pages`, `no_body`). The same by hand: `provnews sites learn SLUG`, which also prints
the template as YAML for review.
"""


@dag(
    dag_id="maintenance",
    description="Learn every enabled site's template again from its stored pages",
    schedule=CronTriggerTimetable(get_settings().template_relearn_cron, timezone=LOCAL_TZ.key),
    start_date=datetime(2024, 1, 1, tzinfo=LOCAL_TZ),
    catchup=False,
    max_active_runs=1,
    default_args=default_args(get_settings()),
    tags=["provnews", "maintenance"],
    doc_md=DOC,
)
def maintenance() -> None:
    @task
    def enabled_sites() -> list[str]:
        from scrapers.registry import load_sites

        return [s.slug for s in load_sites().values() if s.enabled]

    @task(max_active_tis_per_dag=2)
    def learn_template(slug: str) -> dict[str, Any]:
        from scrapers.registry import get_site
        from scrapers.steps.learn import learn_step

        result = learn_step(warehouse(), get_site(slug), settings=get_settings())
        return {"site": slug, **result.to_json()}

    learn_template.expand(slug=enabled_sites())


maintenance()
