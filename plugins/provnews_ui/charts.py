"""Chart geometry for server-drawn SVG: bars, a median line, ticks and calendar cells.

Computed here, drawn by the templates (which escape every label), so the pages need no
JavaScript chart library and no CDN.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from provnews_ui.coverage import DayState

WIDTH, HEIGHT = 760, 190
LEFT, RIGHT, TOP, BOTTOM = 40, 8, 10, 22
# fetch outcomes: successes green, validations pale, refusals grey, failures warm
OUTCOME_COLOURS = {"ok": "#3a9d5d", "not_modified": "#9ccfa9", "skipped": "#bdbdbd",
                   "robots": "#d5d5d5",
                   "http_4xx": "#f0ad4e", "timeout": "#e07b39", "connection": "#d9534f",
                   "http_5xx": "#b52b27"}
OTHER_COLOUR = "#8e3b6f"
CELL, CELL_GAP = 11, 2
MAX_BAR = 28  # a few runs still look like bars
LABEL_WIDTH = 70  # pixels an x label needs (a date)


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    fill: str
    title: str  # the tooltip
    key: str  # what the bar is (a day, a run), for data- attributes
    value: int


@dataclass(frozen=True)
class Tick:
    pos: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    line: str = ""  # polyline points of the trailing median
    legend: list[tuple[str, str]] = field(default_factory=list)  # (label, colour)


def nice_max(value: float) -> int:
    """The smallest 1, 2 or 5 × 10^k at or above ``value`` (at least 1)."""
    if value <= 1:
        return 1
    base = 10 ** math.floor(math.log10(value))
    return next(m * base for m in (1, 2, 5, 10) if m * base >= value)


def _y_scale(top: float) -> tuple[float, list[Tick]]:
    """Pixels per unit up to a round maximum at or above ``top``, and ticks at 0, ½, 1."""
    ymax = nice_max(top)
    inner = HEIGHT - TOP - BOTTOM
    ticks = [Tick(TOP + inner - inner * f, f"{ymax * f:g}") for f in (0, 0.5, 1)]
    return inner / ymax, ticks


def daily_chart(per_day: Mapping[date, int], medians: Mapping[date, float | None],
                first: date, last: date) -> Chart:
    """Articles per day in [first, last] as bars, the trailing median as a line."""
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    unit, y_ticks = _y_scale(max([per_day.get(d, 0) for d in days]
                                 + [m or 0 for m in medians.values()]))
    step = (WIDTH - LEFT - RIGHT) / len(days)
    base = HEIGHT - BOTTOM
    bars, points, x_ticks = [], [], []
    for i, day in enumerate(days):
        n, median = per_day.get(day, 0), medians.get(day)
        x = LEFT + i * step
        about = f", trailing median {median:g}" if median is not None else ""
        bars.append(Bar(x + 0.5, base - n * unit, max(step - 1, 1), n * unit, "#4a78b5",
                        f"{day.isoformat()}: {n} article{'s' * (n != 1)}{about}",
                        day.isoformat(), n))
        if median is not None:
            points.append(f"{x + step / 2:.1f},{base - median * unit:.1f}")
        if day.day == 1 or i == 0:
            x_ticks.append(Tick(x, day.strftime("%d %b")))
    return Chart(WIDTH, HEIGHT, bars, y_ticks, x_ticks, " ".join(points),
                 [("articles", "#4a78b5"), ("trailing median", "#e07b39")])


def outcome_colour(kind: str) -> str:
    return OUTCOME_COLOURS.get(kind, OTHER_COLOUR)


def stacked_chart(columns: list[tuple[str, Mapping[str, int]]]) -> Chart:
    """One stacked bar per (label, {kind: count}): fetch outcomes per run."""
    kinds = sorted({k for _, parts in columns for k in parts},
                   key=lambda k: (list(OUTCOME_COLOURS).index(k) if k in OUTCOME_COLOURS
                                  else len(OUTCOME_COLOURS), k))
    unit, y_ticks = _y_scale(max([sum(p.values()) for _, p in columns] + [0]))
    step = min((WIDTH - LEFT - RIGHT) / max(len(columns), 1), MAX_BAR)
    bars, x_ticks = [], []
    every = max(1, math.ceil(len(columns) / 8), math.ceil(LABEL_WIDTH / step))
    for i, (label, parts) in enumerate(columns):
        x, y = LEFT + i * step, HEIGHT - BOTTOM
        for kind in kinds:
            n = parts.get(kind, 0)
            if n:
                y -= n * unit
                bars.append(Bar(x + 0.5, y, max(step - 1, 1), n * unit, outcome_colour(kind),
                                f"{label}: {n} {kind}", f"{label} {kind}", n))
        if i % every == 0:
            x_ticks.append(Tick(x, label))
    return Chart(WIDTH, HEIGHT, bars, y_ticks, x_ticks,
                 legend=[(k, outcome_colour(k)) for k in kinds])


@dataclass(frozen=True)
class Cell:
    x: int
    y: int
    day: date
    state: DayState


@dataclass(frozen=True)
class Calendar:
    width: int
    height: int
    cells: list[Cell]
    months: list[Tick]


def calendar(states: Mapping[date, DayState]) -> Calendar:
    """Days as a grid: one column per week (Monday first), months labelled on top."""
    days = sorted(states)
    if not days:
        return Calendar(0, 0, [], [])
    monday = days[0] - timedelta(days=days[0].weekday())
    size, top = CELL + CELL_GAP, 14
    cells = [Cell(((d - monday).days // 7) * size, top + d.weekday() * size, d, states[d])
             for d in days]
    months = [Tick(c.x, c.day.strftime("%b %Y" if c.day.month == 1 else "%b"))
              for c in cells if c.day.day == 1 or c.day == days[0]]
    return Calendar(cells[-1].x + size, top + 7 * size, cells, months)
