"""dedupe_step: put every new or changed article into a cluster (exact, near, title).

Work is incremental: only articles with ``deduped_at IS NULL`` are looked at, each against
all earlier ones through SQL (hash index, LSH band index, title index). Nothing is deleted:
duplicates stay as rows and point to their cluster and to the article they matched.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, text

from scrapers.dedupe import band_keys, estimated_jaccard, signature
from scrapers.registry import Site, source_id
from scrapers.settings import Settings, get_settings
from scrapers.steps.runs import record_counts

log = logging.getLogger(__name__)

DEDUPE_LOCK = 0x64656475  # one deduper at a time, so concurrent sites never split a cluster
BATCH = 200


@dataclass(frozen=True)
class Match:
    kind: str  # exact | near | title
    article_id: int
    cluster_id: int
    score: float


def _exact(conn: Connection, art) -> Match | None:
    row = conn.execute(text(
        "SELECT id, cluster_id FROM articles WHERE body_sha256 = :sha AND id <> :id"
        " AND cluster_id IS NOT NULL AND deduped_at IS NOT NULL"
        " ORDER BY published_at NULLS LAST, id LIMIT 1"),
        {"sha": art.body_sha256, "id": art.id}).first()
    return Match("exact", row.id, row.cluster_id, 1.0) if row else None


def _near(conn: Connection, art, sig: list[int], settings: Settings) -> Match | None:
    keys = band_keys(sig, settings.minhash_bands)
    rows = conn.execute(text(
        "SELECT s.article_id, s.signature, a.cluster_id, a.published_at"
        " FROM minhash_signatures s JOIN articles a ON a.id = s.article_id"
        " WHERE s.article_id IN (SELECT DISTINCT b.article_id FROM minhash_bands b"
        "   JOIN unnest(CAST(:bands AS smallint[]), CAST(:buckets AS bigint[])) AS k(band, bucket)"
        "   ON b.band = k.band AND b.bucket = k.bucket)"
        " AND s.article_id <> :id AND a.cluster_id IS NOT NULL"),
        {"bands": [b for b, _ in keys], "buckets": [k for _, k in keys], "id": art.id}).all()
    best = None
    for row in rows:
        score = estimated_jaccard(sig, row.signature)
        if score >= settings.near_dup_threshold and (best is None or score > best.score):
            best = Match("near", row.article_id, row.cluster_id, score)
    return best


def _title(conn: Connection, art) -> Match | None:
    if not art.title_key or art.published_day is None:
        return None
    row = conn.execute(text(
        "SELECT id, cluster_id FROM articles WHERE source_id = :sid AND title_key = :tk"
        " AND published_day = :day AND id <> :id AND cluster_id IS NOT NULL"
        " AND deduped_at IS NOT NULL ORDER BY published_at NULLS LAST, id LIMIT 1"),
        {"sid": art.source_id, "tk": art.title_key, "day": art.published_day,
         "id": art.id}).first()
    return Match("title", row.id, row.cluster_id, 1.0) if row else None


def _own_cluster(conn: Connection, art) -> int:
    """Keep the article's cluster if it is alone in it; else found a new one."""
    if art.cluster_id is not None:
        others = conn.execute(text(
            "SELECT count(*) FROM articles WHERE cluster_id = :c AND id <> :id"),
            {"c": art.cluster_id, "id": art.id}).scalar()
        if others == 0:
            return art.cluster_id
    return conn.execute(text("INSERT INTO clusters DEFAULT VALUES RETURNING id")).scalar_one()


def assign_cluster(conn: Connection, art, settings: Settings) -> tuple[Match | None, int]:
    """Match the article against earlier ones; return the match and its cluster id."""
    conn.execute(text("DELETE FROM minhash_bands WHERE article_id = :id"), {"id": art.id})
    conn.execute(text("DELETE FROM minhash_signatures WHERE article_id = :id"), {"id": art.id})
    has_text = bool(art.body and art.body.strip())
    sig = signature(art.body, num_perm=settings.minhash_permutations,
                    shingle_size=settings.shingle_size) if has_text else None
    match = None
    if has_text:
        match = _exact(conn, art) or _near(conn, art, sig, settings)
    match = match or _title(conn, art)
    cluster_id = match.cluster_id if match else _own_cluster(conn, art)
    conn.execute(text(
        "UPDATE articles SET cluster_id = :c, dup_kind = :kind, dup_of = :of, dup_score = :score,"
        " deduped_at = now() WHERE id = :id"),
        {"c": cluster_id, "kind": match.kind if match else None,
         "of": match.article_id if match else None, "score": match.score if match else None,
         "id": art.id})
    if sig is not None:
        conn.execute(text(
            "INSERT INTO minhash_signatures (article_id, body_sha256, signature)"
            " VALUES (:id, :sha, :sig)"), {"id": art.id, "sha": art.body_sha256, "sig": sig})
        keys = band_keys(sig, settings.minhash_bands)
        conn.execute(text(
            "INSERT INTO minhash_bands (band, bucket, article_id) VALUES (:b, :k, :id)"
            " ON CONFLICT DO NOTHING"), [{"b": b, "k": k, "id": art.id} for b, k in keys])
    return match, cluster_id


def refresh_clusters(conn: Connection) -> None:
    """Sizes and canonical members (the copy published first) of clusters; drop empty ones."""
    conn.execute(text(
        "UPDATE clusters c SET size = s.n, canonical_article_id = s.first, updated_at = now()"
        " FROM (SELECT cluster_id, count(*) AS n,"
        "   (array_agg(id ORDER BY published_at NULLS LAST, id))[1] AS first"
        "   FROM articles WHERE cluster_id IN (SELECT id FROM clusters_touched)"
        "   GROUP BY cluster_id) s"
        " WHERE c.id = s.cluster_id"
        " AND (c.size, c.canonical_article_id) IS DISTINCT FROM (s.n, s.first)"))
    conn.execute(text(
        "DELETE FROM clusters c WHERE c.id IN (SELECT id FROM clusters_touched)"
        " AND NOT EXISTS (SELECT 1 FROM articles a WHERE a.cluster_id = c.id)"))


def dedupe_step(engine: Engine, site: Site | None = None, *, run_id: int | None = None,
                batch_size: int = BATCH) -> dict:
    """Cluster the articles not yet deduplicated (of ``site``, or all); return counts."""
    settings = get_settings()
    sid = source_id(engine, site.slug) if site else None
    counts: Counter[str] = Counter()
    while True:
        with engine.begin() as conn:
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": DEDUPE_LOCK})
            arts = conn.execute(text(
                "SELECT id, source_id, body, body_sha256, title_key, published_day, cluster_id"
                " FROM articles WHERE deduped_at IS NULL"
                + (" AND source_id = :sid" if sid else "") +
                " ORDER BY published_at NULLS LAST, id LIMIT :n"),
                {"sid": sid, "n": batch_size}).all()
            if not arts:
                break
            conn.execute(text(
                "CREATE TEMP TABLE IF NOT EXISTS clusters_touched (id bigint PRIMARY KEY)"
                " ON COMMIT DELETE ROWS"))
            touched: set[int] = set()
            for art in arts:
                match, cluster_id = assign_cluster(conn, art, settings)
                counts[match.kind if match else "unique"] += 1
                touched.update(c for c in (art.cluster_id, cluster_id) if c is not None)
            conn.execute(text("INSERT INTO clusters_touched SELECT unnest(CAST(:ids AS bigint[]))"),
                         {"ids": sorted(touched)})
            refresh_clusters(conn)
    out = {"deduped": sum(counts.values()), "unique": counts["unique"],
           "exact": counts["exact"], "near": counts["near"], "title": counts["title"]}
    log.info("dedupe%s: %s", f" {site.slug}" if site else "", out)
    record_counts(engine, run_id, {"dedupe": out})
    return out
