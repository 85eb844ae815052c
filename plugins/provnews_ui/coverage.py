"""Which local days a site has harvested, from its runs' intervals, and the gaps to backfill.

A day is ``harvested`` when successful runs cover all of it, ``partial`` when some run
touched it but no successful ones cover it whole (a partial, failed or running run, or
hourly runs with holes), ``never`` otherwise. Gaps are the stretches of days that are not
harvested, each with the backfill command that fills it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from scrapers.dates import VN_TZ
from scrapers.store.health import midnight

DAY = timedelta(days=1)


def dag_of(slug: str) -> str:
    """The site's harvest DAG, as ``scrapers.schedule.dag_id`` names it."""
    return f"harvest_{slug}"


class DayState(StrEnum):
    HARVESTED = "harvested"
    PARTIAL = "partial"
    NEVER = "never"


@dataclass(frozen=True)
class Gap:
    first: date
    last: date
    state: DayState

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def covers(spans: list[tuple[datetime, datetime]], start: datetime, end: datetime) -> bool:
    """Whether the spans together cover [start, end) without a hole."""
    reach = start
    for lo, hi in sorted(spans):
        if lo > reach:
            return False
        reach = max(reach, hi)
    return reach >= end


def day_states(runs: Iterable[dict[str, Any]], first: date, last: date
               ) -> dict[date, DayState]:
    """The state of every day in [first, last] from runs' ``interval_start``,
    ``interval_end`` and ``status``."""
    good: dict[date, list[tuple[datetime, datetime]]] = defaultdict(list)
    touched: set[date] = set()
    for run in runs:
        start, end = run["interval_start"], run["interval_end"]
        day = max(first, start.astimezone(VN_TZ).date())
        stop = min(last, (end - timedelta(microseconds=1)).astimezone(VN_TZ).date())
        while day <= stop:
            touched.add(day)
            if run["status"] == "success":
                good[day].append((max(start, midnight(day)), min(end, midnight(day + DAY))))
            day += DAY
    states = {}
    day = first
    while day <= last:
        if covers(good[day], midnight(day), midnight(day + DAY)):
            states[day] = DayState.HARVESTED
        else:
            states[day] = DayState.PARTIAL if day in touched else DayState.NEVER
        day += DAY
    return states


def gaps(states: dict[date, DayState]) -> list[Gap]:
    """Stretches of consecutive days in one state other than harvested, oldest first."""
    out: list[Gap] = []
    for day in sorted(states):
        state = states[day]
        if state is DayState.HARVESTED:
            continue
        if out and out[-1].state is state and out[-1].last + DAY == day:
            out[-1] = Gap(out[-1].first, day, state)
        else:
            out.append(Gap(day, day, state))
    return out


def backfill_command(slug: str, gap: Gap) -> str:
    """The command that harvests the gap (both dates included); days that were partly
    harvested are run again (their DAG runs exist, maybe as successes)."""
    again = " --reprocess-behavior completed" if gap.state is DayState.PARTIAL else ""
    return (f"airflow backfill create --dag-id {dag_of(slug)}"
            f" --from-date {gap.first.isoformat()} --to-date {gap.last.isoformat()}{again}")
