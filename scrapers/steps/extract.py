"""extract_step: stored pages → articles, for pages the current extractor has not read.

Pages are read in url_id order, a batch per transaction. A page that cannot be extracted is
logged, counted and marked as done by this extractor version with its reason in
``pages.extract_error`` (retrying would fail the same way until the extractor changes); a
page whose article cannot be stored is rolled back alone and left for the next run.

Settings: ``extract_batch_size``.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from sqlalchemy import Engine

from scrapers.counts import ExtractCounts
from scrapers.dates import VN_TZ
from scrapers.extract import EXTRACTOR_VERSION, extract_article
from scrapers.extract.model import NO_DATE, Article
from scrapers.registry import Site
from scrapers.settings import Settings
from scrapers.store.articles import upsert_article
from scrapers.store.pages import (
    StoredPage,
    mark_extract_failed,
    mark_extracted,
    pages_to_extract,
)
from scrapers.store.runs import record_counts
from scrapers.store.sources import get_source

log = logging.getLogger(__name__)


class EmptyPage(ValueError):
    """The page gave neither a title nor any body text."""


def _extract(page: StoredPage, site: Site) -> Article:
    """The page's article; the feed's date when the page shows none."""
    article = extract_article(page.html, page.final_url, site, fetched_at=page.fetched_at)
    if not article.title and not article.body:
        raise EmptyPage("no title and no body text")
    if article.published_at is None and page.published_hint is not None:
        article = replace(article, published_at=page.published_hint.astimezone(VN_TZ),
                          date_source="feed", flags=[f for f in article.flags if f != NO_DATE])
    return article


def extract_step(engine: Engine, site: Site, *, settings: Settings, limit: int | None = None,
                 force: bool = False, run_id: int | None = None) -> ExtractCounts:
    """Extract the site's pending pages (all stored pages with ``force``) into articles."""
    counts = ExtractCounts()
    source = get_source(engine, site.slug)
    after, remaining = 0, limit
    while remaining is None or remaining > 0:
        size = settings.extract_batch_size if remaining is None else min(
            settings.extract_batch_size, remaining)
        with engine.begin() as conn:
            pages = pages_to_extract(conn, source.id, version=EXTRACTOR_VERSION, after=after,
                                     limit=size, force=force)
            if not pages:
                break
            done = []
            for page in pages:
                try:
                    article = _extract(page, site)
                except Exception as exc:
                    error = f"{type(exc).__name__}: {exc}"
                    log.warning("extract %s: %s", page.url, error)
                    counts.failed += 1
                    mark_extract_failed(conn, page.url_id, version=EXTRACTOR_VERSION,
                                        error=error)
                    continue
                try:
                    with conn.begin_nested():
                        change = upsert_article(
                            conn, url_id=page.url_id, source_id=source.id, url=page.url,
                            article=article, province_code=source.province_code)
                except Exception as exc:
                    log.warning("store %s: %s: %s", page.url, type(exc).__name__, exc)
                    counts.failed += 1
                    continue
                setattr(counts, change.value, getattr(counts, change.value) + 1)
                counts.extracted += 1
                done.append(page.url_id)
            mark_extracted(conn, done, version=EXTRACTOR_VERSION)
        after = pages[-1].url_id
        if remaining is not None:
            remaining -= len(pages)
    log.info("extract %s (run %s): %s", site.slug, run_id, counts)
    record_counts(engine, run_id, "extract", counts)
    return counts
