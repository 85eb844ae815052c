"""Duplicate clusters: ``clusters``, the articles' cluster columns, and the MinHash
signatures and LSH bands that find near-duplicates with SQL instead of loading articles.

Every lookup and write takes a whole dedupe batch, so a batch costs a few statements
instead of a few per article; the step matches the batch's articles with each other.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
from sqlalchemy import Connection, Row, text

from scrapers.db import int_array
from scrapers.outcomes import DupKind

CANDIDATE_ROWS_PER_FETCH = 500
DEDUPE_LOCK = 0x64656475  # one deduper at a time, so concurrent sites never split a cluster


@dataclass(frozen=True)
class Match:
    kind: DupKind
    article_id: int
    cluster_id: int
    score: float


@dataclass(frozen=True)
class Earlier:
    """A clustered article a new one may be a copy of; ``order`` is its place in publication
    order (the first published copy wins)."""

    article_id: int
    cluster_id: int
    order: tuple[bool, datetime | None, int]


@dataclass(frozen=True)
class Candidate:
    """An earlier article whose LSH bands collide with the new one's."""

    article_id: int
    cluster_id: int
    signature: Sequence[int] | np.ndarray


@dataclass(frozen=True)
class Assignment:
    """Where the dedupe step puts an article: its cluster, and the article it copies."""

    article_id: int
    cluster_id: int
    match: Match | None


@dataclass(frozen=True)
class SavedSignature:
    article_id: int
    body_sha256: str
    signature: list[int]
    keys: list[tuple[int, int]]  # its LSH (band, bucket) pairs, bands 0, 1, ... in order


def publication_order(published_at: datetime | None, article_id: int
                      ) -> tuple[bool, datetime | None, int]:
    """Sort key of ``ORDER BY published_at NULLS LAST, id``."""
    return (published_at is None, published_at, article_id)


def lock_dedupe(conn: Connection) -> None:
    """Held until the transaction ends."""
    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": DEDUPE_LOCK})


# The tables dedupe's lookups read. A backfill into a young warehouse grows them faster than
# autovacuum analyzes them (where it runs at all), and plans made while they were nearly
# empty (sequential scans) then cost more with every article stored.
LOOKUP_TABLES = ("articles", "minhash_bands", "minhash_signatures")
# Those plans need row counts and rough distributions only: a sample of 300 x 10 rows (the
# default target, 100, samples 30,000) costs a fifth to a tenth of the ANALYZE.
LOOKUP_STATISTICS_TARGET = 10


def articles_to_dedupe(conn: Connection, source: int | None, limit: int) -> list[Row]:
    """Articles not yet clustered (of one source, or all), oldest publication first."""
    return conn.execute(text(
        "SELECT id, source_id, body, body_sha256, title_key, published_day, published_at,"
        " cluster_id FROM articles WHERE deduped_at IS NULL"
        + (" AND source_id = :sid" if source else "") +
        " ORDER BY published_at NULLS LAST, id LIMIT :n"), {"sid": source, "n": limit}).all()


def forget_signatures(conn: Connection, article_ids: list[int]) -> None:
    """Before a batch is matched: its articles' old bodies match nothing any more (their
    bands follow the signatures, sql/014)."""
    conn.execute(text("DELETE FROM minhash_signatures WHERE article_id = ANY(:ids)"),
                 {"ids": article_ids})


def first_same_body(conn: Connection, shas: list[str]) -> dict[str, Earlier]:
    """Per body hash, the first published clustered article with it."""
    rows = conn.execute(text(
        "SELECT DISTINCT ON (body_sha256) body_sha256, id, cluster_id, published_at"
        " FROM articles WHERE body_sha256 = ANY(:shas)"
        " AND cluster_id IS NOT NULL AND deduped_at IS NOT NULL"
        " ORDER BY body_sha256, published_at NULLS LAST, id"), {"shas": sorted(set(shas))})
    return {r.body_sha256: Earlier(r.id, r.cluster_id, publication_order(r.published_at, r.id))
            for r in rows}


def first_same_title_day(conn: Connection, keys: list[tuple[int, str, date]]
                         ) -> dict[tuple[int, str, date], Earlier]:
    """Per (source, normalised title, local day), the first published clustered article."""
    keys = sorted(set(keys))
    rows = conn.execute(text(
        "SELECT DISTINCT ON (a.source_id, a.title_key, a.published_day) a.source_id,"
        " a.title_key, a.published_day, a.id, a.cluster_id, a.published_at FROM articles a"
        " JOIN unnest(CAST(:sids AS integer[]), CAST(:tks AS text[]), CAST(:days AS date[]))"
        "   AS k(sid, tk, day) ON a.source_id = k.sid AND a.title_key = k.tk"
        "   AND a.published_day = k.day"
        " WHERE a.cluster_id IS NOT NULL AND a.deduped_at IS NOT NULL"
        " ORDER BY a.source_id, a.title_key, a.published_day, a.published_at NULLS LAST, a.id"),
        {"sids": [k[0] for k in keys], "tks": [k[1] for k in keys], "days": [k[2] for k in keys]})
    return {(r.source_id, r.title_key, r.published_day):
            Earlier(r.id, r.cluster_id, publication_order(r.published_at, r.id)) for r in rows}


def band_candidates(conn: Connection, keys: dict[int, list[tuple[int, int]]],
                    min_shared: int) -> dict[int, list[Candidate]]:
    """Per article of ``keys``, the clustered articles with a saved signature that share at
    least ``min_shared`` LSH buckets with it, each signature read once for the batch.

    Each key is looked up by its own index probe (an ARRAY subquery per key): as a join of
    a batch's thousands of keys, the planner hashed the whole band table instead once it
    held a few hundred thousand rows (250 ms a batch at 10,000 articles). Bodies that share
    boilerplate share a bucket or two with ever more stored articles; counting the shared
    buckets in the database keeps their signatures from being read and compared."""
    ids = [i for i, ks in keys.items() for _ in ks]
    # streamed, each signature kept as a uint64 array (1 KiB, not a list of Python ints):
    # copies of one body may be many
    rows = conn.execute(text(
        "WITH pairs AS (SELECT k.id, h.article_id"
        "   FROM unnest(CAST(:ids AS bigint[]), CAST(:bands AS smallint[]),"
        "     CAST(:buckets AS bigint[])) AS k(id, band, bucket)"
        "   CROSS JOIN LATERAL unnest(ARRAY(SELECT b.article_id FROM minhash_bands b"
        "     WHERE b.band = k.band AND b.bucket = k.bucket)) AS h(article_id)"
        "   GROUP BY k.id, h.article_id HAVING count(*) >= :need),"
        " hits AS (SELECT article_id, array_agg(id) AS hit FROM pairs GROUP BY article_id)"
        " SELECT h.article_id, h.hit, s.signature, a.cluster_id FROM hits h"
        " JOIN minhash_signatures s ON s.article_id = h.article_id"
        " JOIN articles a ON a.id = h.article_id WHERE a.cluster_id IS NOT NULL"),
        {"ids": int_array(ids), "bands": int_array([b for ks in keys.values() for b, _ in ks]),
         "buckets": int_array([k for ks in keys.values() for _, k in ks]), "need": min_shared},
        execution_options={"yield_per": CANDIDATE_ROWS_PER_FETCH})
    found: dict[int, list[Candidate]] = defaultdict(list)
    for r in rows:
        cand = Candidate(r.article_id, r.cluster_id, np.asarray(r.signature, dtype=np.uint64))
        for i in r.hit:
            found[i].append(cand)
    return found


def other_members(conn: Connection, cluster_ids: set[int], article_ids: list[int]
                  ) -> dict[int, int]:
    """Per cluster, its members other than ``article_ids``."""
    return dict(conn.execute(text(
        "SELECT cluster_id, count(*) FROM articles WHERE cluster_id = ANY(:cs)"
        " AND id <> ALL(:ids) GROUP BY cluster_id"),
        {"cs": sorted(cluster_ids), "ids": article_ids}).all())


def reserve_cluster_ids(conn: Connection, n: int) -> list[int]:
    """``n`` cluster ids from the clusters' sequence, ascending, for a batch to hand out
    before it knows how many it needs; :func:`create_clusters` makes the ones it used."""
    return conn.execute(text(
        "SELECT nextval(pg_get_serial_sequence('clusters', 'id')) FROM generate_series(1, :n)"),
        {"n": n}).scalars().all()


def create_clusters(conn: Connection, cluster_ids: list[int]) -> None:
    conn.execute(text("INSERT INTO clusters (id) SELECT unnest(CAST(:ids AS bigint[]))"),
                 {"ids": cluster_ids})


def assign(conn: Connection, assignments: Sequence[Assignment]) -> None:
    """Put each article in its cluster, with what it copies; marks it deduplicated."""
    matches = [a.match for a in assignments]
    conn.execute(text(
        "UPDATE articles a SET cluster_id = d.c, dup_kind = d.kind, dup_of = d.of,"
        " dup_score = d.score, deduped_at = now()"
        " FROM unnest(CAST(:ids AS bigint[]), CAST(:cs AS bigint[]), CAST(:kinds AS text[]),"
        "   CAST(:ofs AS bigint[]), CAST(:scores AS real[])) AS d(id, c, kind, of, score)"
        " WHERE a.id = d.id"),
        {"ids": [a.article_id for a in assignments], "cs": [a.cluster_id for a in assignments],
         "kinds": [str(m.kind) if m else None for m in matches],
         "ofs": [m.article_id if m else None for m in matches],
         "scores": [m.score if m else None for m in matches]})


def save_signatures(conn: Connection, saved: Sequence[SavedSignature]) -> None:
    """The signatures and LSH band rows of a batch, in one statement (the only writer of
    band rows, which sql/014 leaves unchecked for it). A signature keeps its buckets in
    band order, by which sql/016 deletes its bands, and its band rows are made from them.
    The batch's old rows were forgotten first (and one deduper runs at a time), so nothing
    conflicts."""
    conn.execute(text(
        "WITH sig AS (INSERT INTO minhash_signatures (article_id, body_sha256, signature,"
        "   buckets) SELECT s.id, s.sha, CAST(s.sig AS bigint[]), CAST(s.buckets AS bigint[])"
        "   FROM unnest(CAST(:ids AS bigint[]), CAST(:shas AS text[]), CAST(:sigs AS text[]),"
        "     CAST(:buckets AS text[])) AS s(id, sha, sig, buckets)"
        "   RETURNING article_id, buckets)"
        " INSERT INTO minhash_bands (band, bucket, article_id)"
        " SELECT k.n - 1, k.bucket, sig.article_id"
        "   FROM sig CROSS JOIN LATERAL unnest(sig.buckets) WITH ORDINALITY AS k(bucket, n)"),
        {"ids": [s.article_id for s in saved], "shas": [s.body_sha256 for s in saved],
         "sigs": [int_array(s.signature) for s in saved],
         "buckets": [int_array(k for _, k in s.keys) for s in saved]})


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
