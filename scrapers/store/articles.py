"""``articles``: one row per URL, the earlier text kept in ``article_versions`` on change.

``upsert_articles`` stores a batch of articles in one statement (a batch of pages costs one
round trip and one plan, not a few per article) and is idempotent: the same Article stored
twice leaves the row as it was and reports ``unchanged``. A changed body first copies the
old text into ``article_versions`` and clears ``deduped_at`` so the dedupe step looks at
the article again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import msgspec
from psycopg.types.json import Jsonb
from sqlalchemy import Connection, text

from scrapers.dates import VN_TZ
from scrapers.extract.model import Article
from scrapers.outcomes import ArticleChange
from scrapers.text import normalise_for_hash, title_key

# Columns whose change makes an article 'updated' (the extractor's name, version and
# confidence are written too, but a re-extraction that yields the same article is
# 'unchanged').
CONTENT_COLUMNS = (
    "source_id", "url", "canonical_url", "title", "lead", "body", "author", "published_at",
    "published_day", "modified_at", "date_source", "category", "tags", "language",
    "province_code", "images", "word_count", "body_sha256", "title_key", "flags")
ALL_COLUMNS = (*CONTENT_COLUMNS, "extractor", "extractor_version", "extract_confidence")
# A change of these sends the article back to dedupe.
DEDUPE_INPUTS = ("body_sha256", "title_key", "published_day")
# The SQL type of every column the batch carries as JSON (jsonb_to_recordset's record).
_TYPES = {
    "url_id": "bigint", "source_id": "integer", "published_at": "timestamptz",
    "published_day": "date", "modified_at": "timestamptz", "tags": "text[]",
    "images": "jsonb", "word_count": "integer", "flags": "text[]",
    "extract_confidence": "real"}


@dataclass(frozen=True)
class ArticleInput:
    """An extracted article and where it belongs; ``confidence`` is how far its extraction
    is trusted (``scrapers.templates.confidence``)."""

    url_id: int
    source_id: int
    url: str
    article: Article
    province_code: str | None
    confidence: float | None = None


def body_sha256(body: str) -> str:
    return hashlib.sha256(normalise_for_hash(body).encode("utf-8")).hexdigest()


def published_day(article: Article) -> date | None:
    return article.published_at.astimezone(VN_TZ).date() if article.published_at else None


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _row(item: ArticleInput) -> dict[str, Any]:
    """The article's columns as JSON values (dates in ISO 8601)."""
    article = item.article
    return {
        "url_id": item.url_id, "source_id": item.source_id, "url": item.url,
        "canonical_url": article.canonical_url, "title": article.title,
        "lead": article.lead, "body": article.body, "author": article.author,
        "published_at": _iso(article.published_at), "published_day": _iso(published_day(article)),
        "modified_at": _iso(article.modified_at), "date_source": article.date_source,
        "category": article.category, "tags": list(article.tags), "language": article.language,
        "province_code": item.province_code,
        "images": [{"src": im.src, "caption": im.caption} for im in article.images],
        "word_count": article.word_count, "body_sha256": body_sha256(article.body),
        "title_key": title_key(article.title) or None, "flags": list(article.flags),
        "extractor": article.extractor, "extractor_version": article.extractor_version,
        "extract_confidence": item.confidence,
    }


def _tuple(prefix: str, columns: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"{prefix}{c}" for c in columns) + ")"


_COLUMNS = ", ".join(ALL_COLUMNS)
_RECORD = ", ".join(f"{c} {_TYPES.get(c, 'text')}" for c in ("url_id", *ALL_COLUMNS))
# The batch goes as one JSON document; msgspec writes it (UTF-8 bytes, straight to the
# driver) several times faster than json.dumps, whose encoding was a tenth of the load.
_JSON = msgspec.json.Encoder()
# One statement for the batch: the old rows (locked) are read in the statement's snapshot,
# so the versions saved and the changes reported are those of the rows before the upsert.
# They are looked up by the batch's url_ids (:ids) rather than by a join with the JSON
# rows, whose count the planner cannot see: it scanned the whole table for each batch.
_UPSERT = text(
    f"WITH new AS (SELECT * FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS r({_RECORD})),"
    f" old AS (SELECT a.id, a.url_id, {', '.join(f'a.{c}' for c in ALL_COLUMNS)}"
    "   FROM articles a WHERE a.url_id = ANY(CAST(:ids AS bigint[])) FOR UPDATE OF a),"
    " versions AS (INSERT INTO article_versions (article_id, title, lead, body, body_sha256,"
    "   extractor_version) SELECT o.id, o.title, o.lead, o.body, o.body_sha256,"
    "   o.extractor_version FROM old o JOIN new n ON n.url_id = o.url_id"
    "   WHERE o.body_sha256 <> n.body_sha256"
    "   ON CONFLICT (article_id, body_sha256) DO NOTHING),"
    f" upserted AS (INSERT INTO articles (url_id, {_COLUMNS}) SELECT url_id, {_COLUMNS}"
    "   FROM new ON CONFLICT (url_id) DO UPDATE SET "
    + ", ".join(f"{c} = EXCLUDED.{c}" for c in ALL_COLUMNS)
    + f", updated_at = CASE WHEN {_tuple('articles.', CONTENT_COLUMNS)} IS DISTINCT FROM"
      f" {_tuple('EXCLUDED.', CONTENT_COLUMNS)} THEN now() ELSE articles.updated_at END"
    + f", deduped_at = CASE WHEN {_tuple('articles.', DEDUPE_INPUTS)} IS DISTINCT FROM"
      f" {_tuple('EXCLUDED.', DEDUPE_INPUTS)} THEN NULL ELSE articles.deduped_at END"
    + f" WHERE {_tuple('articles.', ALL_COLUMNS)} IS DISTINCT FROM"
      f" {_tuple('EXCLUDED.', ALL_COLUMNS)})"
    " SELECT n.url_id, o.url_id IS NULL AS new,"
    f" {_tuple('o.', CONTENT_COLUMNS)} IS DISTINCT FROM {_tuple('n.', CONTENT_COLUMNS)}"
    " AS changed FROM new n LEFT JOIN old o ON o.url_id = n.url_id")


def upsert_articles(conn: Connection, items: Sequence[ArticleInput]
                    ) -> dict[int, ArticleChange]:
    """Insert or update the articles of a batch (one per URL) in one statement; say what
    changed for each url_id. A row the database refuses fails the whole batch."""
    if not items:
        return {}
    rows = Jsonb([_row(item) for item in items], dumps=_JSON.encode)
    ids = "{" + ",".join(str(item.url_id) for item in items) + "}"
    return {r.url_id: ArticleChange.NEW if r.new else
            ArticleChange.UPDATED if r.changed else ArticleChange.UNCHANGED
            for r in conn.execute(_UPSERT, {"rows": rows, "ids": ids})}


def upsert_article(conn: Connection, *, url_id: int, source_id: int, url: str,
                   article: Article, province_code: str | None,
                   confidence: float | None = None) -> ArticleChange:
    """One article: :func:`upsert_articles` of a batch of one."""
    item = ArticleInput(url_id, source_id, url, article, province_code, confidence)
    return upsert_articles(conn, [item])[url_id]
