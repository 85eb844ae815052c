"""dedupe_step: put every new or changed article into a cluster (exact, near, title).

Work is incremental: only articles with ``deduped_at IS NULL`` are looked at, each against
all earlier ones through SQL (hash index, LSH band index, title index). Nothing is deleted:
duplicates stay as rows and point to their cluster and to the article they matched.

A batch is looked up in a few statements, not a few per article: its articles are matched,
oldest publication first, against the clustered articles the lookups found and against the
batch's articles before them (kept in memory), so the clusters are those of one article at
a time. Among near candidates of equal score, the lowest article id wins.

Settings: ``dedupe_batch_size``, ``minhash_permutations``, ``minhash_bands``,
``shingle_size``, ``near_dup_threshold``; ``analyze_min_changes`` and
``analyze_changed_share`` (when the lookup tables are analyzed first).
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from sqlalchemy import Connection, Engine, Row

from scrapers.counts import DedupeCounts
from scrapers.dedupe import band_keys, estimated_jaccard, min_shared_bands, signature
from scrapers.outcomes import DupKind
from scrapers.registry import Site
from scrapers.settings import Settings
from scrapers.store import clusters
from scrapers.store.clusters import (
    Assignment,
    Candidate,
    Earlier,
    Match,
    SavedSignature,
    publication_order,
)
from scrapers.store.runs import record_counts
from scrapers.store.sources import source_id
from scrapers.store.stats import analyze_grown

log = logging.getLogger(__name__)

TitleDay = tuple[int, str, date]


def _title_day(art: Row) -> TitleDay | None:
    return (art.source_id, art.title_key, art.published_day) if (
        art.title_key and art.published_day is not None) else None


def _first(*found: Earlier | None) -> Earlier | None:
    """The first published of the earlier articles found."""
    return min((e for e in found if e is not None), key=lambda e: e.order, default=None)


@dataclass
class _Batch:
    """What one batch matches against: the clustered articles its lookups found, and its own
    articles already placed (an earlier copy may be in the same batch)."""

    same_body: dict[str, Earlier]
    same_title: dict[TitleDay, Earlier]
    near: dict[int, list[Candidate]]
    members: Counter[int]  # per cluster: its members outside the batch, then the batch's
    fresh: list[int]  # cluster ids reserved for articles that copy nothing
    placed_body: dict[str, Earlier] = field(default_factory=dict)
    placed_title: dict[TitleDay, Earlier] = field(default_factory=dict)
    placed_bands: dict[tuple[int, int], list[Candidate]] = field(
        default_factory=lambda: defaultdict(list))
    used: list[int] = field(default_factory=list)
    arrays: dict[int, np.ndarray] = field(default_factory=dict)

    def array(self, article_id: int, sig: list[int]) -> np.ndarray:
        """The signature as numpy compares it, made once per article of the batch (an
        article is a candidate of many others)."""
        if article_id not in self.arrays:
            self.arrays[article_id] = np.asarray(sig, dtype=np.uint64)
        return self.arrays[article_id]

    def near_match(self, art: Row, sig: list[int], keys: list[tuple[int, int]],
                   threshold: float, min_shared: int) -> Match | None:
        cands = {c.article_id: c for c in self.near.get(art.id, [])}
        placed: dict[int, Candidate] = {}
        shared: Counter[int] = Counter()
        for k in keys:
            for c in self.placed_bands.get(k, []):
                placed[c.article_id] = c
                shared[c.article_id] += 1
        cands.update((i, c) for i, c in placed.items() if shared[i] >= min_shared)
        best, mine = None, self.array(art.id, sig)
        for cand in sorted(cands.values(), key=lambda c: c.article_id):
            score = estimated_jaccard(mine, self.array(cand.article_id, cand.signature))
            if score >= threshold and (best is None or score > best.score):
                best = Match(DupKind.NEAR, cand.article_id, cand.cluster_id, score)
        return best

    def own_cluster(self, art: Row) -> int:
        """Keep the article's cluster if it is alone in it; else found a new one."""
        if art.cluster_id is not None and self.members[art.cluster_id] == 1:
            return art.cluster_id
        self.used.append(self.fresh[len(self.used)])
        return self.used[-1]

    def place(self, art: Row, cluster_id: int, saved: SavedSignature | None) -> None:
        """The article is clustered: later articles of the batch may copy it."""
        if art.cluster_id is not None:
            self.members[art.cluster_id] -= 1
        self.members[cluster_id] += 1
        earlier = Earlier(art.id, cluster_id, publication_order(art.published_at, art.id))
        self.placed_body.setdefault(art.body_sha256, earlier)
        if (key := _title_day(art)) is not None:
            self.placed_title.setdefault(key, earlier)
        if saved is not None:
            cand = Candidate(art.id, cluster_id, saved.signature)
            for k in saved.keys:
                self.placed_bands[k].append(cand)


def _lookups(conn: Connection, arts: list[Row], keys: dict[int, list[tuple[int, int]]],
             min_shared: int) -> _Batch:
    """Forget the batch's old signatures, then look up what its articles may copy: near
    candidates only for bodies no clustered article has already (an exact copy wins)."""
    ids = [a.id for a in arts]
    clusters.forget_signatures(conn, ids)
    old = {a.cluster_id for a in arts if a.cluster_id is not None}
    members = Counter(clusters.other_members(conn, old, ids) if old else {})
    members.update(a.cluster_id for a in arts if a.cluster_id is not None)
    same_body = clusters.first_same_body(conn, [a.body_sha256 for a in arts if a.id in keys])
    near_keys = {a.id: keys[a.id] for a in arts
                 if a.id in keys and a.body_sha256 not in same_body}
    return _Batch(
        same_body=same_body,
        same_title=clusters.first_same_title_day(
            conn, [k for a in arts if (k := _title_day(a)) is not None]),
        near=clusters.band_candidates(conn, near_keys, min_shared) if near_keys else {},
        members=members, fresh=clusters.reserve_cluster_ids(conn, len(arts)))


def _dedupe_batch(conn: Connection, arts: list[Row], settings: Settings,
                  counts: DedupeCounts) -> set[int]:
    """Cluster the batch's articles; return the clusters touched."""
    saved: dict[int, SavedSignature] = {}
    for art in arts:
        if art.body and art.body.strip():
            sig = signature(art.body, num_perm=settings.minhash_permutations,
                            shingle_size=settings.shingle_size)
            saved[art.id] = SavedSignature(art.id, art.body_sha256, sig,
                                           band_keys(sig, settings.minhash_bands))
    min_shared = min_shared_bands(settings.minhash_permutations, settings.minhash_bands,
                                  settings.near_dup_threshold)
    batch = _lookups(conn, arts, {i: s.keys for i, s in saved.items()}, min_shared)
    assignments, touched = [], set()
    for art in arts:
        match = None
        if (mine := saved.get(art.id)) is not None:
            same = _first(batch.same_body.get(art.body_sha256),
                          batch.placed_body.get(art.body_sha256))
            match = Match(DupKind.EXACT, same.article_id, same.cluster_id, 1.0) if same else \
                batch.near_match(art, mine.signature, mine.keys, settings.near_dup_threshold,
                                 min_shared)
        if match is None and (key := _title_day(art)) is not None:
            same = _first(batch.same_title.get(key), batch.placed_title.get(key))
            match = Match(DupKind.TITLE, same.article_id, same.cluster_id, 1.0) if same else None
        cluster_id = match.cluster_id if match else batch.own_cluster(art)
        batch.place(art, cluster_id, mine)
        assignments.append(Assignment(art.id, cluster_id, match))
        key = match.kind.value if match else "unique"
        setattr(counts, key, getattr(counts, key) + 1)
        touched.update(c for c in (art.cluster_id, cluster_id) if c is not None)
    if batch.used:
        clusters.create_clusters(conn, batch.used)
    clusters.assign(conn, assignments)
    if saved:
        clusters.save_signatures(conn, list(saved.values()))
    counts.deduped += len(arts)
    return touched


def dedupe_step(engine: Engine, site: Site | None = None, *, settings: Settings,
                run_id: int | None = None) -> DedupeCounts:
    """Cluster the articles not yet deduplicated (of ``site``, or all); return counts."""
    sid = source_id(engine, site.slug) if site else None
    counts = DedupeCounts()
    while True:
        with engine.begin() as conn:
            clusters.lock_dedupe(conn)
            analyze_grown(conn, clusters.LOOKUP_TABLES,
                          min_changes=settings.analyze_min_changes,
                          share=settings.analyze_changed_share,
                          statistics_target=clusters.LOOKUP_STATISTICS_TARGET)
            arts = clusters.articles_to_dedupe(conn, sid, settings.dedupe_batch_size)
            if not arts:
                break
            clusters.refresh_clusters(conn, _dedupe_batch(conn, arts, settings, counts))
    log.info("dedupe%s: %s", f" {site.slug}" if site else "", counts)
    record_counts(engine, run_id, "dedupe", counts)
    return counts
