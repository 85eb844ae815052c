"""`provnews crawl`: discover → fetch → extract → dedupe/load for one site and interval."""

from __future__ import annotations

import logging
import sys
from collections import Counter
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
from scrapers.steps.runs import finish_run, record_counts, start_run

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
              refetch: bool = False) -> dict:
    """Fetch every pending URL batch by batch, with a progress bar on a terminal."""
    batches = pending_batches(engine, site, refetch=refetch)
    total = {"queued": 0, "fetched": 0, "not_modified": 0, "gone": 0, "skipped_robots": 0,
             "failed": {}}
    with tqdm(total=sum(map(len, batches)), desc=f"fetch {site.slug}", unit="url",
              disable=not sys.stderr.isatty()) as bar:
        for ids in batches:
            counts = fetch_step(engine, site, url_ids=ids, base_url=base_url, run_id=run_id,
                                refetch=refetch)
            for key, value in counts.items():
                if key == "failed":
                    for kind, n in value.items():
                        total["failed"][kind] = total["failed"].get(kind, 0) + n
                else:
                    total[key] += value
            bar.update(len(ids))
    return total


def crawl(engine: Engine, site: Site, since: datetime, until: datetime, *,
          base_url: str | None = None, trigger: str = "cli", run_key: str | None = None,
          refetch: bool = False) -> dict:
    """Run every step for [since, until) and return the summary recorded in crawl_runs."""
    run_key = run_key or f"cli:{since.isoformat()}/{until.isoformat()}"
    run_id = start_run(engine, site.slug, run_key, trigger=trigger, start=since, end=until)
    try:
        discovered = discover_step(engine, site, since, until, base_url=base_url, run_id=run_id)
        fetched = fetch_all(engine, site, base_url=base_url, run_id=run_id, refetch=refetch)
        extracted = extract_step(engine, site, run_id=run_id)
        deduped = dedupe_step(engine, site, run_id=run_id)
    except Exception as exc:
        finish_run(engine, run_id, "failed", error=f"{type(exc).__name__}: {exc}")
        raise
    summary = {
        "discovered": discovered["discovered"],
        "fetched": fetched["fetched"],
        "not_modified": fetched["not_modified"] + discovered["endpoint_not_modified"],
        "failed": dict(Counter(fetched["failed"]) + Counter(discovered["endpoint_errors"])
                       + Counter({"gone": fetched["gone"]})),
        "skipped_robots": fetched["skipped_robots"],
        "extracted": extracted["extracted"],
        "new_articles": extracted["new"],
        "updated": extracted["updated"],
        "duplicates": deduped["exact"] + deduped["near"] + deduped["title"],
    }
    record_counts(engine, run_id, {"summary": summary})
    status = "partial" if summary["failed"] or extracted.get("failed") else "success"
    finish_run(engine, run_id, status)
    return summary


def format_summary(site: Site, since: datetime, until: datetime, summary: dict) -> str:
    failed = summary["failed"]
    failed_txt = ", ".join(f"{k} {v}" for k, v in sorted(failed.items())) or "none"
    return (f"{site.slug} [{since.isoformat()} .. {until.isoformat()}): "
            f"discovered {summary['discovered']}, fetched {summary['fetched']}, "
            f"not modified {summary['not_modified']}, failed {sum(failed.values())} "
            f"({failed_txt}), skipped by robots.txt {summary['skipped_robots']}, "
            f"extracted {summary['extracted']}, new articles {summary['new_articles']}, "
            f"updated {summary['updated']}, duplicates {summary['duplicates']}")
