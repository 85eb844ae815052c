"""``article_topics`` and ``indicators``: which articles the indicator step has read, with
what result, so that it reads each article once per text and extractor version.

``save_mined`` replaces a batch's rows (delete, then insert) inside the caller's
transaction: a changed article loses the figures it no longer states, and saving the same
result twice leaves the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Connection, text

from scrapers.indicators import Indicator, Topic

MINING_LOCK = 0x696E6469  # one miner at a time, so overlapping runs never read one batch twice


class Reason(StrEnum):
    """Why an article is read (again)."""

    NEW = "new"  # never read
    CHANGED = "changed"  # its text changed since it was read
    OLD_VERSION = "old_version"  # another extractor version read it
    FORCED = "forced"  # read again on request


@dataclass(frozen=True)
class ToMine:
    """An article to read; ``province_code`` is the article's, else its source's. Its
    text is ``article_text(lead, body)``: the lead often holds the only figure."""

    id: int
    title: str
    lead: str | None
    body: str
    published_day: date | None
    province_code: str | None
    updated_at: datetime
    reason: Reason


@dataclass(frozen=True)
class Mined:
    """What reading one article gave: its topics and (only when tagged) its figures."""

    article_id: int
    article_updated_at: datetime
    topics: frozenset[Topic]
    indicators: list[Indicator]


# Indicator fields stored under their own name; start/end become sentence_start/_end.
# All offsets index article_text(lead, body), as the view article_texts rebuilds it.
_SAME_NAME = (
    "province_code", "text_province_code", "text_province_successor_code", "subject",
    "women", "new", "ocop", "ocop_stars", "ethnic_minority", "value_chain", "share_of",
    "value", "low", "high", "total", "unit", "approx", "qualifier", "target_year",
    "change_period", "as_of", "sentence", "mention_start", "mention_end")
_COLUMNS = ("article_id", *_SAME_NAME, "sentence_start", "sentence_end", "extractor_version")
_INSERT = text(f"INSERT INTO indicators ({', '.join(_COLUMNS)})"
               f" VALUES ({', '.join(f':{c}' for c in _COLUMNS)})")
_SAVE_TOPICS = text(
    "INSERT INTO article_topics (article_id, topics, extractor_version, article_updated_at)"
    " VALUES (:id, :topics, :version, :updated_at) ON CONFLICT (article_id) DO UPDATE SET"
    " topics = EXCLUDED.topics, extractor_version = EXCLUDED.extractor_version,"
    " article_updated_at = EXCLUDED.article_updated_at, mined_at = now()")
# Why an article is read; 'forced' when nothing calls for it (only force reads it then).
# articles.updated_at is compared for equality with the value that was read, not with
# mined_at: an update committed while a batch ran carries an earlier timestamp.
_REASON = (
    "CASE WHEN t.article_id IS NULL THEN 'new'"
    " WHEN a.updated_at IS DISTINCT FROM t.article_updated_at THEN 'changed'"
    " WHEN t.extractor_version <> :version THEN 'old_version' ELSE 'forced' END")
_TO_MINE = text(
    f"SELECT a.id, a.title, a.lead, a.body, a.published_day, a.updated_at,"
    f" COALESCE(a.province_code, s.province_code) AS province_code, {_REASON} AS reason"
    f" FROM articles a JOIN sources s ON s.id = a.source_id"
    f" LEFT JOIN article_topics t ON t.article_id = a.id"
    f" WHERE a.id > :after AND (:force OR {_REASON} <> 'forced') ORDER BY a.id LIMIT :n")


def lock_mining(conn: Connection) -> None:
    """Held until the transaction ends."""
    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MINING_LOCK})


def articles_to_mine(conn: Connection, *, version: str, after: int, limit: int,
                     force: bool = False) -> list[ToMine]:
    """The next articles (by id, past ``after``) that ``version`` has not read in their
    current text; with ``force``, every next article."""
    rows = conn.execute(_TO_MINE, {"version": version, "after": after, "n": limit,
                                   "force": force}).all()
    return [ToMine(r.id, r.title, r.lead, r.body, r.published_day, r.province_code,
                   r.updated_at, Reason(r.reason)) for r in rows]


def _row(article_id: int, ind: Indicator, version: str) -> dict:
    row = {c: getattr(ind, c) for c in _SAME_NAME}
    return {**row, "article_id": article_id, "subject": str(ind.subject),
            "approx": str(ind.approx), "qualifier": str(ind.qualifier),
            "sentence_start": ind.start, "sentence_end": ind.end, "extractor_version": version}


def save_mined(conn: Connection, mined: list[Mined], version: str) -> int:
    """Replace the indicators and topics of the articles in ``mined``; return how many
    rows of earlier readings were deleted."""
    if not mined:
        return 0
    removed = conn.execute(text("DELETE FROM indicators WHERE article_id = ANY(:ids)"),
                           {"ids": [m.article_id for m in mined]}).rowcount
    rows = [_row(m.article_id, ind, version) for m in mined for ind in m.indicators]
    if rows:
        conn.execute(_INSERT, rows)
    conn.execute(_SAVE_TOPICS, [
        {"id": m.article_id, "topics": sorted(str(t) for t in m.topics), "version": version,
         "updated_at": m.article_updated_at} for m in mined])
    return removed
