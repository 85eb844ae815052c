"""Duplicate clusters: ``clusters``, the articles' cluster columns, and the MinHash
signatures and LSH bands that find near-duplicates with SQL instead of loading articles."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, Row, text

from scrapers.outcomes import DupKind

DEDUPE_LOCK = 0x64656475  # one deduper at a time, so concurrent sites never split a cluster


@dataclass(frozen=True)
class Match:
    kind: DupKind
    article_id: int
    cluster_id: int
    score: float


@dataclass(frozen=True)
class Candidate:
    """An earlier article whose LSH bands collide with the new one's."""

    article_id: int
    cluster_id: int
    signature: list[int]


def lock_dedupe(conn: Connection) -> None:
    """Held until the transaction ends."""
    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": DEDUPE_LOCK})


# The tables dedupe's per-article lookups read. A backfill into a young warehouse grows them
# faster than autovacuum analyzes them (where it runs at all), and plans made while they
# were nearly empty (sequential scans) then cost more with every article stored.
_LOOKUP_TABLES = ["articles", "minhash_bands", "minhash_signatures"]


def analyze_grown(conn: Connection, *, share: float = 0.2, minimum: int = 500) -> None:
    """ANALYZE the lookup tables changed by more than ``minimum`` rows plus ``share`` of
    their rows since they were last analyzed (which also has their cached plans redone)."""
    grown = conn.execute(text(
        "SELECT relname FROM pg_stat_user_tables WHERE schemaname = current_schema()"
        " AND relname = ANY(:tables) AND n_mod_since_analyze > :min + :share * n_live_tup"),
        {"tables": _LOOKUP_TABLES, "min": minimum, "share": share}).scalars().all()
    for table in grown:
        conn.execute(text(f"ANALYZE {table}"))


def articles_to_dedupe(conn: Connection, source: int | None, limit: int) -> list[Row]:
    """Articles not yet clustered (of one source, or all), oldest publication first."""
    return conn.execute(text(
        "SELECT id, source_id, body, body_sha256, title_key, published_day, cluster_id"
        " FROM articles WHERE deduped_at IS NULL"
        + (" AND source_id = :sid" if source else "") +
        " ORDER BY published_at NULLS LAST, id LIMIT :n"), {"sid": source, "n": limit}).all()


def same_body(conn: Connection, article_id: int, sha: str) -> Match | None:
    row = conn.execute(text(
        "SELECT id, cluster_id FROM articles WHERE body_sha256 = :sha AND id <> :id"
        " AND cluster_id IS NOT NULL AND deduped_at IS NOT NULL"
        " ORDER BY published_at NULLS LAST, id LIMIT 1"), {"sha": sha, "id": article_id}).first()
    return Match(DupKind.EXACT, row.id, row.cluster_id, 1.0) if row else None


def band_candidates(conn: Connection, article_id: int, keys: list[tuple[int, int]]
                    ) -> list[Candidate]:
    rows = conn.execute(text(
        "SELECT s.article_id, s.signature, a.cluster_id"
        " FROM minhash_signatures s JOIN articles a ON a.id = s.article_id"
        " WHERE s.article_id IN (SELECT DISTINCT b.article_id FROM minhash_bands b"
        "   JOIN unnest(CAST(:bands AS smallint[]), CAST(:buckets AS bigint[])) AS k(band, bucket)"
        "   ON b.band = k.band AND b.bucket = k.bucket)"
        " AND s.article_id <> :id AND a.cluster_id IS NOT NULL"),
        {"bands": [b for b, _ in keys], "buckets": [k for _, k in keys], "id": article_id}).all()
    return [Candidate(r.article_id, r.cluster_id, r.signature) for r in rows]


def same_title_day(conn: Connection, art: Row) -> Match | None:
    """Within one source: the same normalised title on the same local day."""
    row = conn.execute(text(
        "SELECT id, cluster_id FROM articles WHERE source_id = :sid AND title_key = :tk"
        " AND published_day = :day AND id <> :id AND cluster_id IS NOT NULL"
        " AND deduped_at IS NOT NULL ORDER BY published_at NULLS LAST, id LIMIT 1"),
        {"sid": art.source_id, "tk": art.title_key, "day": art.published_day,
         "id": art.id}).first()
    return Match(DupKind.TITLE, row.id, row.cluster_id, 1.0) if row else None


def own_cluster(conn: Connection, article_id: int, cluster_id: int | None) -> int:
    """Keep the article's cluster if it is alone in it; else found a new one."""
    if cluster_id is not None:
        others = conn.execute(text(
            "SELECT count(*) FROM articles WHERE cluster_id = :c AND id <> :id"),
            {"c": cluster_id, "id": article_id}).scalar()
        if others == 0:
            return cluster_id
    return conn.execute(text("INSERT INTO clusters DEFAULT VALUES RETURNING id")).scalar_one()


# One statement each, run for every article deduped: a statement per band row (32 an
# article) and a second DELETE took a third of the dedupe step's CPU (bench/pipeline.py).
_FORGET = text(
    "WITH bands AS (DELETE FROM minhash_bands WHERE article_id = :id)"
    " DELETE FROM minhash_signatures WHERE article_id = :id")
_SAVE = text(
    "WITH sig AS (INSERT INTO minhash_signatures (article_id, body_sha256, signature)"
    "   VALUES (:id, :sha, :sig))"
    " INSERT INTO minhash_bands (band, bucket, article_id)"
    " SELECT k.band, k.bucket, :id"
    " FROM unnest(CAST(:bands AS smallint[]), CAST(:buckets AS bigint[])) AS k(band, bucket)"
    " ON CONFLICT DO NOTHING")


def forget_signature(conn: Connection, article_id: int) -> None:
    conn.execute(_FORGET, {"id": article_id})


def save_signature(conn: Connection, article_id: int, sha: str, sig: list[int],
                   keys: list[tuple[int, int]]) -> None:
    conn.execute(_SAVE, {"id": article_id, "sha": sha, "sig": sig,
                         "bands": [b for b, _ in keys], "buckets": [k for _, k in keys]})


def assign(conn: Connection, article_id: int, cluster_id: int, match: Match | None) -> None:
    conn.execute(text(
        "UPDATE articles SET cluster_id = :c, dup_kind = :kind, dup_of = :of, dup_score = :score,"
        " deduped_at = now() WHERE id = :id"),
        {"c": cluster_id, "kind": str(match.kind) if match else None,
         "of": match.article_id if match else None, "score": match.score if match else None,
         "id": article_id})


def refresh_clusters(conn: Connection, cluster_ids: set[int]) -> None:
    """Sizes and canonical members (the copy published first) of the touched clusters;
    drop the ones left empty."""
    conn.execute(text(
        "UPDATE clusters c SET size = s.n, canonical_article_id = s.first, updated_at = now()"
        " FROM (SELECT cluster_id, count(*) AS n,"
        "   (array_agg(id ORDER BY published_at NULLS LAST, id))[1] AS first"
        "   FROM articles WHERE cluster_id = ANY(:ids) GROUP BY cluster_id) s"
        " WHERE c.id = s.cluster_id"
        " AND (c.size, c.canonical_article_id) IS DISTINCT FROM (s.n, s.first)"),
        {"ids": sorted(cluster_ids)})
    conn.execute(text(
        "DELETE FROM clusters c WHERE c.id = ANY(:ids)"
        " AND NOT EXISTS (SELECT 1 FROM articles a WHERE a.cluster_id = c.id)"),
        {"ids": sorted(cluster_ids)})
