"""The article browser's reads: search by title, site, province and day; one article with
its duplicate cluster and earlier versions. Read only; values are bound, never spliced."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Engine

from scrapers.store.health import Rows, query


def like_pattern(words: str) -> str:
    """An ILIKE pattern matching ``words`` anywhere, its own % and _ taken literally."""
    escaped = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_articles(engine: Engine, *, title: str = "", site: str = "", province: str = "",
                    day_from: date | None = None, day_to: date | None = None,
                    limit: int = 50, offset: int = 0) -> Rows:
    """Articles matching every filter given (``day_to`` included), newest first."""
    return query(engine, "SELECT a.id, a.title, a.published_at, a.published_day, a.word_count,"
                 " a.flags, a.dup_kind, a.cluster_id, s.slug AS site,"
                 " COALESCE(a.province_code, s.province_code) AS province_code"
                 " FROM articles a JOIN sources s ON s.id = a.source_id"
                 " WHERE (:title = '' OR a.title ILIKE :pattern ESCAPE '\\')"
                 " AND (:site = '' OR s.slug = :site)"
                 " AND (:province = '' OR COALESCE(a.province_code, s.province_code) = :province)"
                 " AND (CAST(:day_from AS date) IS NULL OR a.published_day >= :day_from)"
                 " AND (CAST(:day_to AS date) IS NULL OR a.published_day <= :day_to)"
                 " ORDER BY a.published_at DESC NULLS LAST, a.id DESC LIMIT :n OFFSET :off",
                 title=title, pattern=like_pattern(title), site=site, province=province,
                 day_from=day_from, day_to=day_to, n=limit, off=offset)


def provinces_with_sources(engine: Engine) -> Rows:
    return query(engine, "SELECT DISTINCT p.code, p.name FROM provinces p"
                 " JOIN sources s ON s.province_code = p.code ORDER BY p.name")


def article(engine: Engine, article_id: int) -> dict[str, Any] | None:
    """One article with its site and province."""
    rows = query(engine, "SELECT a.*, s.slug AS site, s.name AS site_name,"
                 " p.name AS province FROM articles a JOIN sources s ON s.id = a.source_id"
                 " LEFT JOIN provinces p ON p.code = COALESCE(a.province_code, s.province_code)"
                 " WHERE a.id = :id", id=article_id)
    return rows[0] if rows else None


def cluster_copies(engine: Engine, cluster_id: int) -> Rows:
    """Every article of a duplicate cluster, the canonical copy first."""
    return query(engine, "SELECT a.id, a.title, a.published_at, a.dup_kind, a.dup_of,"
                 " a.dup_score, a.url, s.slug AS site, (c.canonical_article_id = a.id) AS canonical"
                 " FROM articles a JOIN sources s ON s.id = a.source_id"
                 " JOIN clusters c ON c.id = a.cluster_id WHERE a.cluster_id = :c"
                 " ORDER BY (c.canonical_article_id = a.id) DESC, a.published_at NULLS LAST, a.id",
                 c=cluster_id)


def versions(engine: Engine, article_id: int) -> Rows:
    """The article's earlier texts, newest first (``valid_until``: when each was replaced)."""
    return query(engine, "SELECT title, lead, body, extractor_version, valid_until"
                 " FROM article_versions WHERE article_id = :id ORDER BY valid_until DESC",
                 id=article_id)
