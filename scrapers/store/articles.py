"""``articles``: one row per URL, the earlier text kept in ``article_versions`` on change.

``upsert_article`` is idempotent: the same Article stored twice leaves the row as it was
and reports ``unchanged``. A changed body first copies the old text into
``article_versions`` and clears ``deduped_at`` so the dedupe step looks at the article again.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

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


def body_sha256(body: str) -> str:
    return hashlib.sha256(normalise_for_hash(body).encode("utf-8")).hexdigest()


def published_day(article: Article) -> date | None:
    return article.published_at.astimezone(VN_TZ).date() if article.published_at else None


def _row(article: Article, *, source_id: int, url: str, province_code: str | None,
         confidence: float | None) -> dict[str, Any]:
    data = article.to_dict()
    return {
        "source_id": source_id, "url": url, "canonical_url": article.canonical_url,
        "title": article.title, "lead": article.lead, "body": article.body,
        "author": article.author, "published_at": article.published_at,
        "published_day": published_day(article), "modified_at": article.modified_at,
        "date_source": article.date_source, "category": article.category,
        "tags": list(article.tags), "language": article.language,
        "province_code": province_code, "images": data["images"],
        "word_count": article.word_count, "body_sha256": body_sha256(article.body),
        "title_key": title_key(article.title) or None, "flags": list(article.flags),
        "extractor": article.extractor, "extractor_version": article.extractor_version,
        "extract_confidence": confidence,
    }


def _tuple(prefix: str, columns: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"{prefix}{c}" for c in columns) + ")"


_SELECT = text(f"SELECT id, {', '.join(ALL_COLUMNS)} FROM articles WHERE url_id = :url_id"
               " FOR UPDATE")
_SAVE_VERSION = text(
    "INSERT INTO article_versions (article_id, title, lead, body, body_sha256,"
    " extractor_version) VALUES (:id, :title, :lead, :body, :body_sha256, :extractor_version)"
    " ON CONFLICT (article_id, body_sha256) DO NOTHING")
_UPSERT = text(
    f"INSERT INTO articles (url_id, {', '.join(ALL_COLUMNS)}) VALUES (:url_id, "
    + ", ".join("CAST(:images AS jsonb)" if c == "images" else f":{c}" for c in ALL_COLUMNS)
    + ") ON CONFLICT (url_id) DO UPDATE SET "
    + ", ".join(f"{c} = EXCLUDED.{c}" for c in ALL_COLUMNS)
    + f", updated_at = CASE WHEN {_tuple('articles.', CONTENT_COLUMNS)} IS DISTINCT FROM"
      f" {_tuple('EXCLUDED.', CONTENT_COLUMNS)} THEN now() ELSE articles.updated_at END"
    + f", deduped_at = CASE WHEN {_tuple('articles.', DEDUPE_INPUTS)} IS DISTINCT FROM"
      f" {_tuple('EXCLUDED.', DEDUPE_INPUTS)} THEN NULL ELSE articles.deduped_at END"
    + f" WHERE {_tuple('articles.', ALL_COLUMNS)} IS DISTINCT FROM"
      f" {_tuple('EXCLUDED.', ALL_COLUMNS)}")


def upsert_article(conn: Connection, *, url_id: int, source_id: int, url: str,
                   article: Article, province_code: str | None,
                   confidence: float | None = None) -> ArticleChange:
    """Insert or update the article of ``url_id``, saying what changed; ``confidence`` is
    how far its extraction is trusted (``scrapers.templates.confidence``)."""
    row = _row(article, source_id=source_id, url=url, province_code=province_code,
               confidence=confidence)
    old = conn.execute(_SELECT, {"url_id": url_id}).mappings().first()
    if old is not None and old["body_sha256"] != row["body_sha256"]:
        conn.execute(_SAVE_VERSION, dict(old))
    conn.execute(_UPSERT, {**row, "url_id": url_id, "images": json.dumps(row["images"],
                                                                         ensure_ascii=False)})
    if old is None:
        return ArticleChange.NEW
    changed = any(old[c] != row[c] for c in CONTENT_COLUMNS)
    return ArticleChange.UPDATED if changed else ArticleChange.UNCHANGED
