"""extract_step: stored pages → articles, for pages not yet extracted by this extractor.

Pages are read in url_id order, ~100 per transaction. A page that cannot be extracted is
logged, counted and marked as done by this extractor version with its reason in
``pages.extract_error`` (retrying would fail the same way until the extractor changes);
a page whose article cannot be stored is rolled back alone and left for the next run.
"""

from __future__ import annotations

import logging
import zlib
from dataclasses import replace

from sqlalchemy import Engine, Row, text

from scrapers.dates import VN_TZ
from scrapers.errors import ProvnewsError
from scrapers.extract import EXTRACTOR_VERSION, extract_article
from scrapers.extract.model import NO_DATE, Article
from scrapers.load import upsert_article
from scrapers.registry import Site
from scrapers.steps.runs import record_counts

log = logging.getLogger(__name__)

BATCH_SIZE = 100

_PENDING = text(
    "SELECT p.url_id, u.url, p.final_url, p.body_z, p.fetched_at, u.published_hint"
    " FROM pages p JOIN urls u ON u.id = p.url_id"
    " WHERE u.source_id = :sid AND p.url_id > :after AND p.status BETWEEN 200 AND 299"
    " AND (:force OR p.extracted_at IS NULL OR p.extractor_version IS DISTINCT FROM :version)"
    " ORDER BY p.url_id LIMIT :n FOR UPDATE OF p SKIP LOCKED")
_MARK = text("UPDATE pages SET extracted_at = now(), extractor_version = :version,"
             " extract_error = NULL WHERE url_id = ANY(:ids)")
_MARK_FAILED = text("UPDATE pages SET extracted_at = now(), extractor_version = :version,"
                    " extract_error = :error WHERE url_id = :id")


class EmptyPage(ValueError):
    """The page gave neither a title nor any body text."""


def _extract(row: Row, site: Site) -> Article:
    """The page's article; the feed's date when the page shows none."""
    html = zlib.decompress(row.body_z).decode("utf-8")
    article = extract_article(html, row.final_url or row.url, site, fetched_at=row.fetched_at)
    if not article.title and not article.body:
        raise EmptyPage("no title and no body text")
    if article.published_at is None and row.published_hint is not None:
        article = replace(article, published_at=row.published_hint.astimezone(VN_TZ),
                          date_source="feed", flags=[f for f in article.flags if f != NO_DATE])
    return article


def extract_step(engine: Engine, site: Site, *, limit: int | None = None, force: bool = False,
                 run_id: int | None = None) -> dict[str, int]:
    """Extract the site's pending pages (all stored pages with ``force``) into articles."""
    counts = dict.fromkeys(("extracted", "new", "updated", "unchanged", "failed"), 0)
    with engine.connect() as conn:
        source = conn.execute(text("SELECT id, province_code FROM sources WHERE slug = :s"),
                              {"s": site.slug}).first()
    if source is None:
        raise ProvnewsError(f"site '{site.slug}' is not in the sources table; "
                            "run `provnews sites sync`")
    after, remaining = 0, limit
    while remaining is None or remaining > 0:
        size = BATCH_SIZE if remaining is None else min(BATCH_SIZE, remaining)
        with engine.begin() as conn:
            rows = conn.execute(_PENDING, {"sid": source.id, "after": after, "force": force,
                                           "version": EXTRACTOR_VERSION, "n": size}).all()
            if not rows:
                break
            done = []
            for row in rows:
                try:
                    article = _extract(row, site)
                except Exception as exc:
                    error = f"{type(exc).__name__}: {exc}"
                    log.warning("extract %s: %s", row.url, error)
                    counts["failed"] += 1
                    conn.execute(_MARK_FAILED, {"version": EXTRACTOR_VERSION, "error": error,
                                                "id": row.url_id})
                    continue
                try:
                    with conn.begin_nested():
                        outcome = upsert_article(
                            conn, url_id=row.url_id, source_id=source.id, url=row.url,
                            article=article, province_code=source.province_code)
                except Exception as exc:
                    log.warning("store %s: %s: %s", row.url, type(exc).__name__, exc)
                    counts["failed"] += 1
                    continue
                counts[outcome] += 1
                counts["extracted"] += 1
                done.append(row.url_id)
            conn.execute(_MARK, {"version": EXTRACTOR_VERSION, "ids": done})
        after = rows[-1].url_id
        if remaining is not None:
            remaining -= len(rows)
    log.info("extract %s (run %s): %s", site.slug, run_id, counts)
    record_counts(engine, run_id, {"extract": counts})
    return counts
