"""indicators_step: mine the figures of new or changed articles into ``indicators``.

An article is read when it never was, when its text changed since (``articles.updated_at``)
or when another ``INDICATOR_EXTRACTOR_VERSION`` read it; ``force`` reads every article
again. An article's text is its lead, a blank line and its body (``article_text``), since
the lead often holds the only figure; the stored offsets index that text. Every article
read keeps its topic tags; only tagged, dated ones are mined (a figure needs a date to hold
at). Each batch is one transaction that replaces its articles' rows, so a changed article
loses the figures it no longer states and a re-run changes nothing.

Settings: ``indicators_batch_size``, ``provinces_csv``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from enum import StrEnum
from typing import Any

from sqlalchemy import Engine

from scrapers.indicators import (
    INDICATOR_EXTRACTOR_VERSION,
    article_text,
    extract_indicators,
    tag_topics,
)
from scrapers.indicators.province_table import load_province_table
from scrapers.indicators.provinces_in_text import Province
from scrapers.settings import Settings
from scrapers.store import indicators as store
from scrapers.store.indicators import Mined, ToMine

log = logging.getLogger(__name__)


class Outcome(StrEnum):
    """What reading an article came to."""

    UNTAGGED = "untagged"  # on none of the topics: not mined
    UNDATED = "undated"  # no publication date, so no date for its figures: not mined
    MINED = "mined"


@dataclass
class IndicatorCounts:
    """Articles read, by reason (new, changed, old_version, forced) and by outcome; the
    indicator rows written and the rows of earlier readings they replaced."""

    articles: int = 0
    new: int = 0
    changed: int = 0
    old_version: int = 0
    forced: int = 0
    untagged: int = 0
    undated: int = 0
    mined: int = 0
    indicators: int = 0
    replaced: int = 0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def mine(article: ToMine, provinces: Mapping[str, Province]) -> tuple[Outcome, Mined]:
    """Tag one article and, when it is on a topic and dated, extract its figures from its
    lead and body (``article_text``, which the offsets index); a figure's province is the
    article's (its source's), else the one its text names."""
    text = article_text(article.lead, article.body)
    topics = tag_topics(article.title, text)
    found = []
    if not topics:
        outcome = Outcome.UNTAGGED
    elif article.published_day is None:
        outcome = Outcome.UNDATED
    else:
        outcome = Outcome.MINED
        found = [replace(ind, province_code=ind.province_code or ind.text_province_code)
                 for ind in extract_indicators(text, article.published_day,
                                               article.province_code, title=article.title,
                                               provinces=provinces)]
    return outcome, Mined(article.id, article.updated_at, topics, found)


def indicators_step(engine: Engine, *, settings: Settings, limit: int | None = None,
                    force: bool = False) -> IndicatorCounts:
    """Mine the articles that need it (at most ``limit``; ``force``: all); return counts."""
    provinces = load_province_table(settings.provinces_csv)
    version = INDICATOR_EXTRACTOR_VERSION
    counts = IndicatorCounts()
    after = 0
    while limit is None or counts.articles < limit:
        size = settings.indicators_batch_size
        if limit is not None:
            size = min(size, limit - counts.articles)
        with engine.begin() as conn:
            store.lock_mining(conn)
            batch = store.articles_to_mine(conn, version=version, after=after, limit=size,
                                           force=force)
            if not batch:
                break
            mined = []
            for article in batch:
                outcome, result = mine(article, provinces)
                for key in (article.reason, outcome):
                    setattr(counts, key, getattr(counts, key) + 1)
                counts.indicators += len(result.indicators)
                mined.append(result)
            counts.replaced += store.save_mined(conn, mined, version)
        counts.articles += len(batch)
        after = batch[-1].id
    log.info("indicators (extractor %s): %s", version, counts)
    return counts
