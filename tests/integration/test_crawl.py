"""`crawl` end to end: two replica sites, one republishing the other; dedupe quality and reruns."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import text

from replica.data import dataset
from replica.server import ReplicaServer
from scrapers.cli import main
from scrapers.counts import RunSummary
from scrapers.pipeline import RunOptions, RunWindow, crawl
from scrapers.settings import get_settings
from tests.crawlutil import fast_site, local

START, END = local(2025, 3, 1), local(2025, 5, 1)
TABLES = ["urls", "url_variants", "endpoints", "pages", "articles", "article_versions",
          "clusters", "minhash_bands", "minhash_signatures"]


@pytest.fixture(scope="module")
def syndicated():
    return dataset("phunuvietnam", republish_from="baothanhhoa", fraction=0.3)


@pytest.fixture
def two_sites(syndicated):
    with ReplicaServer("baothanhhoa") as original, ReplicaServer(syndicated) as copier:
        yield original, copier


def _crawl_both(engine, two_sites) -> dict[str, RunSummary]:
    original, copier = two_sites
    return {
        slug: crawl(engine, fast_site(slug), RunWindow(START, END), settings=get_settings(),
              options=RunOptions(base_url=server.base_url))
        for slug, server in (("baothanhhoa", original), ("phunuvietnam", copier))
    }


def _counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in TABLES}


def test_cross_site_duplicates_precision_and_recall(engine, two_sites, syndicated):
    summaries = _crawl_both(engine, two_sites)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT url, cluster_id FROM articles")).all()
    cluster_of = dict(rows)
    loaded = set(cluster_of)
    truth = {frozenset(p) for p in syndicated.republished.items() if set(p) <= loaded}
    by_cluster: dict[int, list[str]] = {}
    for url, cluster in rows:
        by_cluster.setdefault(cluster, []).append(url)
    predicted = {frozenset(p) for members in by_cluster.values()
                 for p in itertools.combinations(members, 2)}
    assert len(truth) >= 10, "the interval should hold republished pairs"
    true_pos = len(truth & predicted)
    precision = true_pos / len(predicted) if predicted else 0.0
    recall = true_pos / len(truth)
    print(f"duplicate pairs: truth {len(truth)}, predicted {len(predicted)}, "
          f"precision {precision:.3f}, recall {recall:.3f}")
    assert precision >= 0.95 and recall >= 0.95, (precision, recall)
    # distinct stories sharing the sites' boilerplate stay apart
    singles = [u for u in loaded if u not in {x for p in truth for x in p}]
    assert len({cluster_of[u] for u in singles}) == len(singles)
    assert summaries["phunuvietnam"].duplicates == len(truth)

    with engine.connect() as conn:
        clean = conn.execute(text(
            "SELECT source, copies, copy_sources FROM articles_clean WHERE copies > 1")).all()
        n_clusters = conn.execute(text("SELECT count(*) FROM articles_clean")).scalar()
    assert n_clusters == len(loaded) - len(truth)
    # the canonical copy is the one published first: the provincial original
    assert clean and all(r.source == "baothanhhoa" and r.copies == 2 for r in clean)
    assert all(r.copy_sources == ["baothanhhoa", "phunuvietnam"] for r in clean)


def test_second_crawl_changes_no_rows_except_fetches_and_runs(engine, two_sites):
    first = _crawl_both(engine, two_sites)
    before = _counts(engine)
    second = _crawl_both(engine, two_sites)
    assert _counts(engine) == before
    for slug in first:
        assert first[slug].new_articles > 0
        assert second[slug].discovered == 0 and second[slug].new_articles == 0
        assert second[slug].fetched == 0 and second[slug].duplicates == 0
    with engine.connect() as conn:
        runs = conn.execute(text(
            "SELECT status, counts->'summary' AS summary FROM crawl_runs ORDER BY id")).all()
    assert len(runs) == 2  # same run key per site and interval: a re-run updates its row
    assert all(r.status == "success" and r.summary["discovered"] == 0 for r in runs)
    with engine.connect() as conn:
        health = {r.slug: r for r in conn.execute(text("SELECT * FROM source_health"))}
    for slug in first:
        h = health[slug]
        assert h.urls_new == 0 and h.urls_failed == 0 and h.last_run_status == "success"
        assert h.articles == h.urls_fetched == first[slug].new_articles
    assert health["baophutho"].articles == 0 and health["baophutho"].last_run is None


def test_crawl_command_prints_the_summary(engine, db_url, monkeypatch, capsys):
    from scrapers.settings import get_settings

    monkeypatch.setenv("NEWS_DB_URL", db_url)
    get_settings.cache_clear()
    try:
        with ReplicaServer("baophutho") as server:
            server_site = fast_site("baophutho")
            monkeypatch.setattr("scrapers.registry.get_site", lambda slug: server_site)
            code = main(["crawl", "baophutho", "--since", "2025-06-01", "--until",
                         "2025-06-10", "--base-url", server.base_url])
    finally:
        get_settings.cache_clear()
    out = capsys.readouterr().out
    assert code == 0
    # like a scheduled run, the command reads a lookback before its first day too (the May
    # sitemap, whose lastmod hints can name May 31 articles changed late that day)
    in_days = {a.url for a in dataset("baophutho").articles_between(local(2025, 6, 1),
                                                                    local(2025, 6, 11))}
    with engine.connect() as conn:
        queued = set(conn.execute(text("SELECT url FROM urls")).scalars())
    assert queued >= in_days
    assert f"discovered {len(queued)}," in out
    for word in ("fetched", "not modified", "failed", "extracted", "new articles", "updated",
                 "duplicates"):
        assert word in out
