"""``articles``: one row per URL, the earlier text kept in ``article_versions`` on change.

``upsert_articles`` stores a batch of articles in a few statements, whatever its size (a
batch of pages costs a few round trips and plans, not a few per article), and is
idempotent: the same Article stored twice leaves the row as it was and reports
``unchanged``. A changed body first copies the old text into ``article_versions`` and
clears ``deduped_at`` so the dedupe step looks at the article again.

The batch's articles that have no row yet (all of them in a first crawl or a backfill) are
written by a binary COPY: the upsert's JSON document, parsed and turned back into columns
by the server, cost more than the rows it wrote. Those that have one go through the upsert.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import msgspec
from psycopg.types.json import Jsonb, set_json_dumps
from sqlalchemy import Connection, text

from scrapers.dates import VN_TZ
from scrapers.db import driver_cursor, int_array
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
# The SQL type of every column a batch carries (jsonb_to_recordset's record, COPY's types).
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


def _values(item: ArticleInput) -> tuple[Any, ...]:
    """The article's columns, ``_STORED_COLUMNS`` in order, as Python values: the row COPY
    writes, and (``_json_row``) the object the upsert reads."""
    article = item.article
    return (
        item.url_id, item.source_id, item.url, article.canonical_url, article.title,
        article.lead, article.body, article.author, article.published_at,
        published_day(article), article.modified_at, article.date_source, article.category,
        list(article.tags), article.language, item.province_code,
        [{"src": im.src, "caption": im.caption} for im in article.images],
        article.word_count, body_sha256(article.body), title_key(article.title) or None,
        list(article.flags), article.extractor, article.extractor_version, item.confidence)


def _tuple(prefix: str, columns: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"{prefix}{c}" for c in columns) + ")"


_STORED_COLUMNS = ("url_id", *ALL_COLUMNS)
_COLUMNS = ", ".join(ALL_COLUMNS)
_SQL_TYPES = [_TYPES.get(c, "text") for c in _STORED_COLUMNS]
_DATE_COLUMNS = [c for c in _STORED_COLUMNS if _TYPES.get(c) in ("date", "timestamptz")]
_RECORD = ", ".join(f"{c} {t}" for c, t in zip(_STORED_COLUMNS, _SQL_TYPES, strict=True))
# JSON (the upsert's document, the images COPY writes) is written by msgspec: UTF-8 bytes,
# straight to the driver, several times faster than json.dumps.
_JSON = msgspec.json.Encoder()
_EXISTING = text("SELECT url_id FROM articles WHERE url_id = ANY(CAST(:ids AS bigint[]))")
_COPY = f"COPY articles (url_id, {_COLUMNS}) FROM STDIN (FORMAT BINARY)"
# One statement for the batch's articles that have a row: the old rows (locked) are read in
# the statement's snapshot, so the versions saved and the changes reported are those of the
# rows before the upsert. They are looked up by the batch's url_ids (:ids) rather than by a
# join with the JSON rows, whose count the planner cannot see: it scanned the whole table
# for each batch.
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


def _url_ids(rows: Sequence[tuple[Any, ...]]) -> str:
    return int_array(row[0] for row in rows)


def _copy(conn: Connection, rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert rows of articles that have none yet (binary: no value is formatted as text)."""
    with driver_cursor(conn, _COPY) as cur:
        set_json_dumps(_JSON.encode, cur)
        with cur.copy(_COPY) as copy:
            copy.set_types(_SQL_TYPES)
            for row in rows:
                copy.write_row(row)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _json_row(row: tuple[Any, ...]) -> dict[str, Any]:
    """A row as the upsert's JSON object. Dates are written by isoformat, as COPY has them
    to the microsecond: msgspec drops the seconds of an offset, which the local mean time
    of Vietnamese dates before 1906 has (+07:06:30)."""
    obj = dict(zip(_STORED_COLUMNS, row, strict=True))
    for column in _DATE_COLUMNS:
        obj[column] = _iso(obj[column])
    return obj


def _upsert(conn: Connection, rows: Sequence[tuple[Any, ...]]) -> dict[int, ArticleChange]:
    doc = Jsonb([_json_row(row) for row in rows], dumps=_JSON.encode)
    return {r.url_id: ArticleChange.NEW if r.new else
            ArticleChange.UPDATED if r.changed else ArticleChange.UNCHANGED
            for r in conn.execute(_UPSERT, {"rows": doc, "ids": _url_ids(rows)})}


def upsert_articles(conn: Connection, items: Sequence[ArticleInput]
                    ) -> dict[int, ArticleChange]:
    """Insert or update the articles of a batch (one per URL); say what changed for each
    url_id. A row the database refuses fails the whole batch (the caller's transaction or
    savepoint undoes the rest)."""
    if not items:
        return {}
    rows = [_values(item) for item in items]
    existing = set(conn.execute(_EXISTING, {"ids": _url_ids(rows)}).scalars())
    new = [row for row in rows if row[0] not in existing]
    if new:
        _copy(conn, new)
    changes = dict.fromkeys((row[0] for row in new), ArticleChange.NEW)
    if old := [row for row in rows if row[0] in existing]:
        changes.update(_upsert(conn, old))
    return changes


def upsert_article(conn: Connection, *, url_id: int, source_id: int, url: str,
                   article: Article, province_code: str | None,
                   confidence: float | None = None) -> ArticleChange:
    """One article: :func:`upsert_articles` of a batch of one."""
    item = ArticleInput(url_id, source_id, url, article, province_code, confidence)
    return upsert_articles(conn, [item])[url_id]
