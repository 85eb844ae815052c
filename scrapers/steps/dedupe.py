"""dedupe_step: put every new or changed article into a cluster (exact, near, title).

Work is incremental: only articles with ``deduped_at IS NULL`` are looked at, each against
all earlier ones through SQL (hash index, LSH band index, title index). Nothing is deleted:
duplicates stay as rows and point to their cluster and to the article they matched.

Settings: ``dedupe_batch_size``, ``minhash_permutations``, ``minhash_bands``,
``shingle_size``, ``near_dup_threshold``.
"""

from __future__ import annotations

import logging

from sqlalchemy import Connection, Engine, Row

from scrapers.counts import DedupeCounts
from scrapers.dedupe import band_keys, estimated_jaccard, signature
from scrapers.outcomes import DupKind
from scrapers.registry import Site
from scrapers.settings import Settings
from scrapers.store import clusters
from scrapers.store.clusters import Match
from scrapers.store.runs import record_counts
from scrapers.store.sources import source_id

log = logging.getLogger(__name__)


def _near(conn: Connection, art: Row, sig: list[int], keys: list[tuple[int, int]],
          threshold: float) -> Match | None:
    best = None
    for cand in clusters.band_candidates(conn, art.id, keys):
        score = estimated_jaccard(sig, cand.signature)
        if score >= threshold and (best is None or score > best.score):
            best = Match(DupKind.NEAR, cand.article_id, cand.cluster_id, score)
    return best


def assign_cluster(conn: Connection, art: Row, settings: Settings) -> tuple[Match | None, int]:
    """Match the article against earlier ones; return the match and its cluster id."""
    clusters.forget_signature(conn, art.id)
    match = sig = None
    if art.body and art.body.strip():
        sig = signature(art.body, num_perm=settings.minhash_permutations,
                        shingle_size=settings.shingle_size)
        keys = band_keys(sig, settings.minhash_bands)
        match = clusters.same_body(conn, art.id, art.body_sha256) or _near(
            conn, art, sig, keys, settings.near_dup_threshold)
    if match is None and art.title_key and art.published_day is not None:
        match = clusters.same_title_day(conn, art)
    cluster_id = match.cluster_id if match else clusters.own_cluster(conn, art.id,
                                                                     art.cluster_id)
    clusters.assign(conn, art.id, cluster_id, match)
    if sig is not None:
        clusters.save_signature(conn, art.id, art.body_sha256, sig, keys)
    return match, cluster_id


def dedupe_step(engine: Engine, site: Site | None = None, *, settings: Settings,
                run_id: int | None = None) -> DedupeCounts:
    """Cluster the articles not yet deduplicated (of ``site``, or all); return counts."""
    sid = source_id(engine, site.slug) if site else None
    counts = DedupeCounts()
    while True:
        with engine.begin() as conn:
            clusters.lock_dedupe(conn)
            clusters.analyze_grown(conn)
            arts = clusters.articles_to_dedupe(conn, sid, settings.dedupe_batch_size)
            if not arts:
                break
            touched: set[int] = set()
            for art in arts:
                match, cluster_id = assign_cluster(conn, art, settings)
                key = match.kind.value if match else "unique"
                setattr(counts, key, getattr(counts, key) + 1)
                counts.deduped += 1
                touched.update(c for c in (art.cluster_id, cluster_id) if c is not None)
            clusters.refresh_clusters(conn, touched)
    log.info("dedupe%s: %s", f" {site.slug}" if site else "", counts)
    record_counts(engine, run_id, "dedupe", counts)
    return counts
