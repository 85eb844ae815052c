"""Whether a figure is a level, a goal (and for which year) or a change (against what),
and the date it holds at.

A goal is said before its figures ("Phấn đấu đến năm 2030 ... 12 HTX, ... 800 lao động");
a change stands right after "tăng"/"giảm" ("tăng 11 HTX so với cùng kỳ"), while
"tăng lên 418" is a level. "mục tiêu quốc gia" and "Kế hoạch số ..." are names, not goals.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from scrapers.indicators.model import Qualifier

_TARGET = re.compile(r"\bphấn đấu\b|\bmục tiêu\b(?! quốc gia)|\bchỉ tiêu\b"
                     r"|\bkế hoạch\b(?! số)|\bdự kiến\b|\bđịnh hướng\b|\bhướng tới\b")
_PAST = re.compile(r"\bđã\b")
_YEAR = re.compile(r"(?<![\d.,/])(20\d\d)(?!\d|[.,/]\d)")
_UNTIL_YEAR = re.compile(r"\b(?:đến|tới) năm (20\d\d)\b")
_CHANGE = re.compile(r"\b(?P<verb>tăng|giảm)(?: thêm)?\s*$")
_AGAINST = re.compile(r"\bso với (?P<period>[^,;.()]+)")
_AS_OF = [
    (re.compile(r"\b(?:đến|tới)\s+(?:hết\s+|cuối\s+)?(?:ngày\s+)?(\d{1,2})/(\d{1,2})/(\d{4})"),
     lambda d, m, y: date(y, m, d)),
    (re.compile(r"\b(?:đến|tới)\s+(?:hết\s+|cuối\s+)?tháng\s+(\d{1,2})/(\d{4})"),
     lambda m, y: date(y, m, calendar.monthrange(y, m)[1])),
    (re.compile(r"\b(?:đến|tới)\s+(?:hết|cuối)\s+năm\s+(\d{4})"), lambda y: date(y, 12, 31)),
]


@dataclass(frozen=True)
class Qualified:
    """A figure's qualifier; the sign turns "giảm 3 HTX" into -3."""

    qualifier: Qualifier
    target_year: int | None
    change_span: tuple[int, int] | None  # where the sentence says what a change is against
    sign: int  # -1 for a decrease


def qualify(low: str, clause: tuple[int, int], q_start: int, q_end: int, segment_end: int,
            article_year: int) -> Qualified:
    """Qualify the figure at ``low[q_start:q_end]`` of the lower-cased sentence ``low``."""
    before = low[clause[0]:q_start]
    triggers = list(_TARGET.finditer(before))
    until = [y for y in map(int, _UNTIL_YEAR.findall(before)) if y > article_year]
    if (triggers and not _PAST.search(before, triggers[-1].end())) or until:
        years = [y for y in map(int, _YEAR.findall(low, clause[0], clause[1]))
                 if y >= article_year]
        return Qualified(Qualifier.TARGET, max(years) if years else None, None, 1)
    change = _CHANGE.search(low, 0, q_start)
    if change is None:
        return Qualified(Qualifier.ACTUAL, None, None, 1)
    against = _AGAINST.search(low, q_end, segment_end) or _AGAINST.search(low, clause[0],
                                                                          clause[1])
    return Qualified(Qualifier.CHANGE, None, against.span("period") if against else None,
                     -1 if change["verb"] == "giảm" else 1)


def explicit_as_of(low: str) -> date | None:
    """The date a sentence says its figures hold at: "Tính đến 30/6/2025", "đến hết tháng
    9/2024", "Đến cuối năm 2024"; None when it names none (or an impossible one)."""
    for pattern, make in _AS_OF:
        m = pattern.search(low)
        if m is not None:
            try:
                return make(*map(int, m.groups()))
            except ValueError:
                return None
    return None
