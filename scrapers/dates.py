"""Dates as Vietnamese pages write them, turned into aware datetimes in Asia/Ho_Chi_Minh.

Visible dates are day-first ("05/07/2024", "Thứ sáu, 05/07/2024 - 04:19", "04:19 05/07/2024",
"... (GMT+7)"); structured ones (JSON-LD, meta tags) are ISO 8601, sometimes without an
offset, in which case they mean local time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

_DATE_NUMERIC = re.compile(
    r"(?<!\d)(?P<d>\d{1,2})\s*[/.\-]\s*(?P<m>\d{1,2})\s*[/.\-]\s*(?P<y>\d{4}|\d{2})(?![\d:])")
_DATE_WORDS = re.compile(
    r"ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s*(?:năm|,)\s*(?P<y>\d{4})", re.I)
_TIME = re.compile(
    r"(?<![\d/.\-])(?P<h>\d{1,2})\s*(?::|h|giờ)\s*(?P<mi>\d{2})(?:\s*:\s*(?P<s>\d{2}))?(?!\d)"
    r"(?:\s*(?P<ap>AM|PM|SA|CH)\b)?", re.I)
_OFFSET = re.compile(r"\b(?:GMT|UTC)\s*(?P<sign>[+-])\s*(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?", re.I)
_ISO_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class FoundDate:
    """A parsed date and whether the text gave a time of day (minute precision)."""

    value: datetime
    has_time: bool


def localize(dt: datetime) -> datetime:
    """Naive → Asia/Ho_Chi_Minh; aware → the same instant expressed in Asia/Ho_Chi_Minh."""
    return dt.replace(tzinfo=VN_TZ) if dt.tzinfo is None else dt.astimezone(VN_TZ)


def parse_iso(value: str | None) -> FoundDate | None:
    """ISO 8601 as found in JSON-LD and meta tags ("Z", "+07:00", "+0700", or none)."""
    if not value:
        return None
    s = value.strip()
    if not s:
        return None
    try:
        dt = datetime.fromisoformat(s.replace(" ", "T", 1) if "T" not in s else s)
    except ValueError:
        return None
    return FoundDate(localize(dt), not _ISO_DATE_ONLY.match(s))


def _offset(text: str) -> timezone | None:
    m = _OFFSET.search(text)
    if not m:
        return None
    minutes = int(m["h"]) * 60 + int(m["m"] or 0)
    if minutes > 14 * 60:
        return None
    return timezone(timedelta(minutes=-minutes if m["sign"] == "-" else minutes))


def _time_outside(text: str, span: tuple[int, int]) -> tuple[int, int, int] | None:
    for m in _TIME.finditer(text):
        if span[0] <= m.start() < span[1]:
            continue
        hour, minute, second = int(m["h"]), int(m["mi"]), int(m["s"] or 0)
        ap = (m["ap"] or "").upper()
        if ap in ("PM", "CH") and hour < 12:
            hour += 12
        elif ap in ("AM", "SA") and hour == 12:
            hour = 0
        if hour < 24 and minute < 60 and second < 60:
            return hour, minute, second
    return None


def find_vn_date(text: str | None) -> FoundDate | None:
    """The first valid day-first date in ``text``, with the time of day written next to it."""
    if not text:
        return None
    for pattern in (_DATE_NUMERIC, _DATE_WORDS):
        for m in pattern.finditer(text):
            year = int(m["y"])
            year += 2000 if year < 100 else 0
            try:
                day = datetime(year, int(m["m"]), int(m["d"]))
            except ValueError:
                continue
            hms = _time_outside(text, m.span())
            dt = day.replace(hour=hms[0], minute=hms[1], second=hms[2]) if hms else day
            tz = _offset(text)
            return FoundDate(localize(dt.replace(tzinfo=tz) if tz else dt), hms is not None)
    return None


def parse_vn_datetime(text: str | None) -> datetime | None:
    """Day-first Vietnamese date text → aware datetime (Asia/Ho_Chi_Minh), or None."""
    found = find_vn_date(text)
    return found.value if found else None
