"""`provnews crawl`: discover → fetch → extract → dedupe/load for one site and interval."""

from __future__ import annotations

import logging
import sys
from datetime import date, datetime, time, timedelta

from sqlalchemy import Engine
from tqdm import tqdm

from scrapers.dates import VN_TZ
from scrapers.errors import ProvnewsError
from scrapers.registry import Site
from scrapers.steps.dedupe import dedupe_step
from scrapers.steps.discover import discover_step
from scrapers.steps.extract import extract_step
from scrapers.steps.fetch import fetch_step, pending_batches
from scrapers.steps.runs import finish_run, start_run

log = logging.getLogger(__name__)


def parse_bound(value: str, *, end: bool = False) -> datetime:
    """A CLI date bound: YYYY-MM-DD is a local (Asia/Ho_Chi_Minh) day; ``end`` days are
    inclusive, so ``--until 2024-03-31`` covers that whole day. ISO datetimes pass through."""
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            return datetime.combine(day + timedelta(days=1 if end else 0), time(), VN_TZ)
        dt = datetime.fromisoformat(value)
    except ValueError:
        raise ProvnewsError(f"bad date {value!r}: use YYYY-MM-DD or an ISO datetime") from None
    return dt if dt.tzinfo else dt.replace(tzinfo=VN_TZ)


def fetch_all(engine: Engine, site: Site, *, base_url: str | None, run_id: int,
              refetch: bool = False) -> None:
    """Fetch every pending URL batch by batch, with a progress bar on a terminal."""
    batches = pending_batches(engine, site, refetch=refetch)
    with tqdm(total=sum(map(len, batches)), desc=f"fetch {site.slug}", unit="url",
              disable=not sys.stderr.isatty()) as bar:
        for ids in batches:
            fetch_step(engine, site, url_ids=ids, base_url=base_url, run_id=run_id,
                       refetch=refetch)
            bar.update(len(ids))


def crawl(engine: Engine, site: Site, since: datetime, until: datetime, *,
          base_url: str | None = None, trigger: str = "cli", run_key: str | None = None,
          refetch: bool = False) -> dict:
    """Run every step for [since, until) and return the summary recorded in crawl_runs."""
    run_key = run_key or f"cli:{since.isoformat()}/{until.isoformat()}"
    run_id = start_run(engine, site.slug, run_key, trigger=trigger, start=since, end=until)
    try:
        discover_step(engine, site, since, until, base_url=base_url, run_id=run_id)
        fetch_all(engine, site, base_url=base_url, run_id=run_id, refetch=refetch)
        extract_step(engine, site, run_id=run_id)
        dedupe_step(engine, site, run_id=run_id)
    except Exception as exc:
        finish_run(engine, run_id, "failed", error=f"{type(exc).__name__}: {exc}")
        raise
    return finish_run(engine, run_id)


def format_summary(site: Site, since: datetime, until: datetime, summary: dict) -> str:
    failed = summary["failed"]
    failed_txt = ", ".join(f"{k} {v}" for k, v in failed.items()) or "none"
    return (f"{site.slug} [{since.isoformat()} .. {until.isoformat()}): "
            f"discovered {summary['discovered']}, fetched {summary['fetched']}, "
            f"not modified {summary['not_modified']}, failed {sum(failed.values())} "
            f"({failed_txt}), gone {summary['gone']}, "
            f"skipped by robots.txt {summary['skipped_robots']}, "
            f"extracted {summary['extracted']}, new articles {summary['new_articles']}, "
            f"updated {summary['updated']}, duplicates {summary['duplicates']}")
