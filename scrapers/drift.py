"""Layout drift: a run's extraction figures against the site's recent baseline.

A redesign rarely breaks a site loudly: pages still answer 200 and the generic extractor
still makes something of them. What changes is the shape of the output: the site rules stop
finding the body, bodies turn short or empty, dates vanish, fewer articles arrive per day.
This module compares those figures, values in and a readable verdict out; the figures come
from ``scrapers.store.health`` and the alert is kept by ``scrapers.store.alerts``.

Settings: ``drift_min_articles``, ``drift_share_rise``, ``drift_body_ratio``,
``drift_volume_ratio``, ``drift_volume_min_median``.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from scrapers.settings import Settings

# the shares compared, with how a message says them
SHARES = {
    "rules_missed": "of the run's {n} pages missed the body rule",
    "empty_body": "of the run's {n} bodies are empty",
    "undated": "of the run's {n} articles have no date",
}


@dataclass(frozen=True)
class Figures:
    """What extraction made of a set of pages: ``articles`` and how many of them missed the
    site's body rule, have an empty body or no date; the median body length; and articles
    published per day (a run: its window's mean; a baseline: the trailing median)."""

    articles: int = 0
    rules_missed: int = 0
    empty_body: int = 0
    undated: int = 0
    median_body_chars: float | None = None
    per_day: float | None = None

    def share(self, key: str) -> float:
        return getattr(self, key) / self.articles if self.articles else 0.0


@dataclass(frozen=True)
class Thresholds:
    min_articles: int  # fewer in the run or the baseline: too few to judge the shares
    share_rise: float  # a share this much above the baseline's (0.3 = 30 points)
    body_ratio: float  # median body below ratio × baseline, or above baseline / ratio
    volume_ratio: float  # articles per day below ratio × the trailing median
    volume_min_median: float  # trailing medians below this are too small to judge

    @classmethod
    def from_settings(cls, settings: Settings) -> Thresholds:
        return cls(settings.drift_min_articles, settings.drift_share_rise,
                   settings.drift_body_ratio, settings.drift_volume_ratio,
                   settings.drift_volume_min_median)


@dataclass(frozen=True)
class Change:
    metric: str
    current: float
    baseline: float
    text: str


@dataclass(frozen=True)
class Verdict:
    """``judged``: there was enough to compare; ``changes``: what drifted."""

    slug: str
    judged: bool
    changes: tuple[Change, ...] = ()
    current: Figures = field(default_factory=Figures)
    baseline: Figures = field(default_factory=Figures)

    @property
    def drifted(self) -> bool:
        return bool(self.changes)

    @property
    def message(self) -> str:
        return f"{self.slug}: " + "; ".join(c.text for c in self.changes)

    def details(self) -> dict[str, Any]:
        """JSON for ``alerts.details`` and ``crawl_runs.counts->'drift'``."""
        return {"judged": self.judged, "current": asdict(self.current),
                "baseline": asdict(self.baseline),
                "changes": [asdict(c) for c in self.changes]}


def trailing_median(per_day: Mapping[date, int], start: date, end: date,
                    first_day: date | None) -> float | None:
    """The median articles per day over the days [start, end), days without articles
    counting as zero, except those before the site's ``first_day`` (None: no days yet)."""
    if first_day is None:
        return None
    first = max(start, first_day)
    counts = [per_day.get(first + timedelta(days=i), 0) for i in range((end - first).days)]
    return float(statistics.median(counts)) if counts else None


def compare(slug: str, current: Figures, baseline: Figures, t: Thresholds) -> Verdict:
    """What drifted between the run and its baseline, in words an operator acts on."""
    changes: list[Change] = []
    shares_judged = current.articles >= t.min_articles and baseline.articles >= t.min_articles
    if shares_judged:
        for key, words in SHARES.items():
            now, then = current.share(key), baseline.share(key)
            if now - then >= t.share_rise:
                text = f"{now:.0%} {words.format(n=current.articles)} (baseline {then:.0%})"
                changes.append(Change(key, now, then, text))
        now_body, base_body = current.median_body_chars, baseline.median_body_chars
        if now_body is not None and base_body and not (
                base_body * t.body_ratio <= now_body <= base_body / t.body_ratio):
            changes.append(Change("median_body", now_body, base_body,
                                  f"median body {now_body:,.0f} chars"
                                  f" (baseline {base_body:,.0f})"))
    volume_judged = (current.per_day is not None and baseline.per_day is not None
                     and baseline.per_day >= t.volume_min_median)
    if volume_judged and current.per_day < baseline.per_day * t.volume_ratio:
        changes.append(Change("per_day", current.per_day, baseline.per_day,
                              f"{current.per_day:.1f} articles per day"
                              f" (trailing median {baseline.per_day:.1f})"))
    return Verdict(slug, shares_judged or volume_judged, tuple(changes), current, baseline)
