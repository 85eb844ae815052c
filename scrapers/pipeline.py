"""One harvest run: a site, a window and the ordered stages, as the DAG and `provnews crawl`
both run them.

    discover → fetch (in batches) → extract + store → dedupe → quality

Each stage reads its input from the warehouse and writes its output there, so a DAG task
is a few lines around one method of :class:`Run` and can be retried alone; `provnews crawl`
calls the same methods in the same order (:func:`crawl`). What a run reads is decided once,
here: discovery covers the window plus a lookback, a refetch re-asks only the window's
URLs, and every run ends with the quality check.

Settings: ``lookback_hours``, ``fetch_batch_size``, ``max_fetch_batches``,
``quality_min_pages``, ``quality_max_bad_share`` (and those of each step).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Engine

from scrapers.counts import (
    DedupeCounts,
    DiscoverCounts,
    ExtractCounts,
    FetchCounts,
    QualityReport,
    RunSummary,
)
from scrapers.dates import localize
from scrapers.errors import ProvnewsError
from scrapers.http import PoliteSession
from scrapers.registry import Site
from scrapers.settings import Settings
from scrapers.steps.common import session_for
from scrapers.steps.dedupe import dedupe_step
from scrapers.steps.discover import discover_step
from scrapers.steps.drift import drift_step
from scrapers.steps.extract import extract_step
from scrapers.steps.fetch import batched, pending_batches
from scrapers.steps.fetch import fetch_step as _fetch_step
from scrapers.steps.learn import relearn_if_needed
from scrapers.steps.probe import probe_step, probed_site
from scrapers.store import runs
from scrapers.store.frontier import window_url_ids
from scrapers.store.sources import source_id

log = logging.getLogger(__name__)

PERIOD = {"daily": timedelta(days=1), "hourly": timedelta(hours=1)}


class QualityFailure(ProvnewsError):
    """Most of a run's pages gave no usable article: a markup change, not bad luck, so
    retrying does not help."""


@dataclass(frozen=True)
class RunWindow:
    """The interval [start, end) a run harvests, and the wider one discovery reads."""

    start: datetime
    end: datetime
    lookback: timedelta = timedelta(0)

    @property
    def discover_start(self) -> datetime:
        # Feeds and sitemaps list articles late: re-reading the previous hours catches
        # what appeared after the last run; known URLs are skipped, so this costs little.
        return self.start - self.lookback


def parse_when(value: str | datetime | None) -> datetime | None:
    """A trigger-form or conf value as an aware datetime; naive values are local time.

    ``"2024-07-05"`` means local midnight of that day, the start of its analyst day.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return localize(value)
    try:
        return localize(datetime.fromisoformat(value.strip().replace("Z", "+00:00")))
    except ValueError as exc:
        raise ValueError(f"not an ISO date or datetime: {value!r}") from exc


def run_window(schedule: str, *, data_interval_start: datetime | None,
               data_interval_end: datetime | None, run_after: datetime,
               since: str | datetime | None = None, until: str | datetime | None = None,
               lookback_hours: float) -> RunWindow:
    """The window of a scheduled or triggered run.

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
    return RunWindow(start, end, timedelta(hours=lookback_hours))


def days_window(since: str, until: str, *, lookback_hours: float) -> RunWindow:
    """The window of `provnews crawl --since D --until D`: local days, ``until`` inclusive;
    ISO datetimes pass through (naive ones are local time)."""
    def bound(value: str, *, end: bool) -> datetime:
        try:
            if len(value) == 10:
                day = date.fromisoformat(value) + timedelta(days=1 if end else 0)
                return localize(datetime.combine(day, time()))
            return localize(datetime.fromisoformat(value))
        except ValueError:
            raise ProvnewsError(f"bad date {value!r}: use YYYY-MM-DD or an ISO datetime"
                                ) from None

    start, stop = bound(since, end=False), bound(until, end=True)
    if stop <= start:
        raise ProvnewsError(f"empty interval: --since {since} is after --until {until}")
    return RunWindow(start, stop, timedelta(hours=lookback_hours))


@dataclass(frozen=True)
class RunOptions:
    """What a run does beyond the default: a mirror, a refetch, a re-extraction."""

    base_url: str | None = None
    refetch: bool = False  # fetch the window's known URLs again (conditional GET)
    reextract: bool = False  # extract every stored page of the site again
    retry_failed: bool = True  # also retry failed URLs outside the window (not backfills)


@dataclass
class Run:
    """One run of the pipeline over a window, with its ``crawl_runs`` row."""

    engine: Engine
    site: Site
    settings: Settings
    window: RunWindow
    run_id: int
    options: RunOptions = field(default_factory=RunOptions)
    session: PoliteSession | None = None  # shared by discover and fetch; None: one each

    def to_xcom(self) -> dict[str, Any]:
        """What a DAG task hands the next: ids, times and flags, never data."""
        return {"run_id": self.run_id, "start": self.window.start.isoformat(),
                "end": self.window.end.isoformat(),
                "lookback_s": self.window.lookback.total_seconds(),
                "base_url": self.options.base_url, "refetch": self.options.refetch,
                "reextract": self.options.reextract, "retry_failed": self.options.retry_failed}

    @classmethod
    def from_xcom(cls, engine: Engine, site: Site, settings: Settings,
                  data: dict[str, Any]) -> Run:
        window = RunWindow(datetime.fromisoformat(data["start"]),
                           datetime.fromisoformat(data["end"]),
                           timedelta(seconds=data["lookback_s"]))
        options = RunOptions(data["base_url"], data["refetch"], data["reextract"],
                             data["retry_failed"])
        return cls(engine, probed_site(engine, site), settings, window, data["run_id"],
                   options)

    def discover(self) -> DiscoverCounts:
        """Discovery; first, for a site whose file leaves it out, the probe when one is due
        (the run then goes on with what the probe found)."""
        self.site = probe_step(self.engine, self.site, settings=self.settings,
                               base_url=self.options.base_url, run_id=self.run_id,
                               session=self.session)
        return discover_step(self.engine, self.site, self.window.discover_start,
                             self.window.end, settings=self.settings,
                             base_url=self.options.base_url, run_id=self.run_id,
                             session=self.session)

    def plan_fetch(self) -> list[list[int]]:
        """URL id batches to fetch: the window's due URLs (and, unless a backfill, failed
        ones of any date whose retry time has come), or with refetch all the window's.

        The list is the run's own, so runs of one site may overlap: their fetch tasks still
        queue on the site's pool, and a URL another run fetched meanwhile is skipped."""
        cap = self.settings.fetch_batch_size * self.settings.max_fetch_batches
        window = (self.window.discover_start, self.window.end)
        if self.options.refetch:
            ids = window_url_ids(self.engine, source_id(self.engine, self.site.slug),
                                 *window)[:cap]
            batches = batched(ids, self.settings.fetch_batch_size)
        else:
            batches = pending_batches(self.engine, self.site, settings=self.settings,
                                      limit=cap, window=window,
                                      retries_anywhere=self.options.retry_failed)
        log.info("%d URL(s) to fetch in %d batch(es)", sum(map(len, batches)), len(batches))
        return batches

    def fetch(self, url_ids: list[int]) -> FetchCounts:
        return _fetch_step(self.engine, self.site, settings=self.settings, url_ids=url_ids,
                           base_url=self.options.base_url, run_id=self.run_id,
                           refetch=self.options.refetch, session=self.session)

    def extract(self) -> ExtractCounts:
        return extract_step(self.engine, self.site, settings=self.settings,
                            force=self.options.reextract, run_id=self.run_id)

    def dedupe(self) -> DedupeCounts:
        return dedupe_step(self.engine, self.site, settings=self.settings, run_id=self.run_id)

    def check_quality(self) -> QualityReport:
        """Record the run's quality report and drift verdict; raise :class:`QualityFailure`
        on real breakage or layout drift. When the rules in use missed many of the run's
        pages, the site's template is learned again first, and the stored pages are read
        with it at once, so that the next run over the same window changes nothing."""
        sid = source_id(self.engine, self.site.slug)
        report = runs.quality_report(self.engine, sid, self.run_id, self.window.start,
                                     self.window.end)
        report = relearn_if_needed(self.engine, self.site, report, settings=self.settings)
        if report.relearned:
            self.extract()
            self.dedupe()
            report = replace(runs.quality_report(self.engine, sid, self.run_id,
                                                 self.window.start, self.window.end),
                             relearned=True, template_version=report.template_version)
        runs.record_counts(self.engine, self.run_id, "quality", report)
        log.info("quality: %s", report)
        problems = report.problems(min_pages=self.settings.quality_min_pages,
                                   max_bad_share=self.settings.quality_max_bad_share)
        drift = drift_step(self.engine, self.site.slug, self.run_id, self.window.start,
                           self.window.end, settings=self.settings)
        if problems:
            raise QualityFailure(f"{self.site.slug}: extraction looks broken: "
                                 + "; ".join(problems))
        if drift.drifted:
            raise QualityFailure(drift.message)
        return report

    def close(self, status: str | None = None, error: str | None = None) -> RunSummary:
        summary = runs.close_run(self.engine, self.run_id, status, error)
        log.info("run summary: %s", summary)
        return summary


def open_run(engine: Engine, site: Site, window: RunWindow, *, settings: Settings,
             run_key: str, trigger: str, options: RunOptions | None = None,
             session: PoliteSession | None = None) -> Run:
    """Create (or reopen, for a re-run) the run's ``crawl_runs`` row."""
    run_id = runs.open_run(engine, site.slug, run_key, trigger=trigger, start=window.start,
                           end=window.end)
    log.info("crawl run %s (%s) for [%s, %s)", run_id, trigger, window.start.isoformat(),
             window.end.isoformat())
    return Run(engine, site, settings, window, run_id, options or RunOptions(), session)


def crawl(engine: Engine, site: Site, window: RunWindow, *, settings: Settings,
          options: RunOptions | None = None, trigger: str = "cli", run_key: str | None = None,
          session: PoliteSession | None = None,
          on_batch: Callable[[int, int], None] | None = None) -> RunSummary:
    """Every stage over ``window``, in the DAG's order; return the recorded summary.

    ``on_batch(done, total)`` reports fetch progress. A failing stage (the quality check
    included) closes the run as failed and raises. Without ``session``, the run makes one
    for discovery and every fetch batch: a session per batch would forget the host's last
    request (the first of the next batch went out without waiting ``min_delay``) and read
    robots.txt again.
    """
    run_key = run_key or f"cli:{window.start.isoformat()}/{window.end.isoformat()}"
    own_session = session is None
    if session is None:
        session = session_for(site, options.base_url if options else None, settings)
    run = open_run(engine, site, window, settings=settings, run_key=run_key, trigger=trigger,
                   options=options, session=session)
    try:
        run.discover()
        batches = run.plan_fetch()
        total, done = sum(map(len, batches)), 0
        for ids in batches:
            run.fetch(ids)
            done += len(ids)
            if on_batch is not None:
                on_batch(done, total)
        run.extract()
        run.dedupe()
        run.check_quality()
    except Exception as exc:
        run.close("failed", error=f"{type(exc).__name__}: {exc}")
        raise
    finally:
        if own_session:
            session.close()
    return run.close()


def format_summary(site: Site, window: RunWindow, summary: RunSummary) -> str:
    failed = ", ".join(f"{k} {v}" for k, v in summary.failed.items()) or "none"
    return (f"{site.slug} [{window.start.isoformat()} .. {window.end.isoformat()}): "
            f"discovered {summary.discovered}, fetched {summary.fetched}, "
            f"not modified {summary.not_modified}, failed {sum(summary.failed.values())} "
            f"({failed}), gone {summary.gone}, "
            f"skipped by robots.txt {summary.skipped_robots}, "
            f"extracted {summary.extracted}, new articles {summary.new_articles}, "
            f"updated {summary.updated}, duplicates {summary.duplicates}")
