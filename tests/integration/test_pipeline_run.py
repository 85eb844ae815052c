"""scrapers.pipeline against a real Postgres and the replica: the window's URLs, the quality
report, and `crawl` running the DAG's stages (lookback, refetch of the window only, quality)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, text

from replica.server import ReplicaServer
from scrapers.counts import QualityReport
from scrapers.pipeline import QualityFailure, RunOptions, RunWindow, crawl, open_run
from scrapers.registry import get_site
from scrapers.settings import get_settings
from scrapers.store.frontier import window_url_ids
from scrapers.store.runs import quality_report
from scrapers.store.sources import source_id
from tests.crawlutil import fast_settings, fast_site, local

DAY_START = datetime(2024, 7, 4, 17, tzinfo=UTC)  # 2024-07-05 00:00 in Vietnam
DAY_END = DAY_START + timedelta(days=1)


def test_window_url_ids_and_quality_report_read_the_warehouse(engine: Engine):
    site = get_site("baothanhhoa")
    run = open_run(engine, site, RunWindow(DAY_START, DAY_END), settings=get_settings(),
                   run_key="test-run", trigger="cli")
    with engine.begin() as conn:
        sid = source_id(conn, site.slug)
        ids = {}
        for name, hint in (("in", DAY_START + timedelta(hours=1)),
                           ("before", DAY_START - timedelta(hours=1)), ("after", DAY_END)):
            ids[name] = conn.execute(text(
                "INSERT INTO urls (source_id, url, published_hint, state)"
                " VALUES (:sid, :url, :hint, 'fetched') RETURNING id"),
                {"sid": sid, "url": f"https://baothanhhoa.vn/{name}-1234.htm",
                 "hint": hint}).scalar()
        for name in ("in", "before"):
            conn.execute(text(
                "INSERT INTO fetches (source_id, url_id, run_id, requested_url, outcome)"
                " VALUES (:sid, :uid, :run, 'x', 'ok')"),
                {"sid": sid, "uid": ids[name], "run": run.run_id})
        conn.execute(text(
            "INSERT INTO articles (url_id, source_id, url, title, body, published_at,"
            " word_count, body_sha256, extractor, extractor_version)"
            " VALUES (:uid, :sid, 'https://baothanhhoa.vn/in-1234.htm', 'T', 'b', :pub, 1,"
            " 'h', 'test', '1')"),
            {"uid": ids["in"], "sid": sid, "pub": DAY_START + timedelta(hours=1)})
    assert window_url_ids(engine, sid, DAY_START, DAY_END) == [ids["in"]]
    report = quality_report(engine, sid, run.run_id, DAY_START, DAY_END)
    assert report == QualityReport(fetched=2, articles=1, in_interval=1)


@pytest.fixture
def replica():
    with ReplicaServer("baothanhhoa") as server:
        yield server


def _article_paths(replica: ReplicaServer) -> list[str]:
    return [r.path for r in replica.requests if r.path in replica.site.by_path]


def test_crawl_reads_the_lookback_and_refetches_only_its_window(engine, replica):
    site, settings = fast_site("baothanhhoa"), fast_settings()
    day = RunWindow(local(2025, 6, 10), local(2025, 6, 11), timedelta(hours=24))
    options = RunOptions(base_url=replica.base_url)
    crawl(engine, site, day, settings=settings, options=options)
    expected = {a.url for a in replica.site.articles_between(day.discover_start, day.end)
                if a.crawlable}
    with engine.connect() as conn:
        urls = set(conn.execute(text("SELECT url FROM urls WHERE state = 'fetched'")).scalars())
    assert urls == expected  # the day before came in through the lookback

    crawl(engine, site, RunWindow(local(2025, 6, 1), local(2025, 6, 5)), settings=settings,
          options=options)
    replica.clear_log()
    summary = crawl(engine, site, day, settings=settings,
                    options=RunOptions(base_url=replica.base_url, refetch=True))
    asked = {replica.site.by_path[p].url for p in _article_paths(replica)}
    assert asked == expected  # not the June 1-5 URLs: a refetch stays in its window
    assert summary.new_articles == summary.updated == 0


def test_crawl_ends_with_the_quality_check_and_records_its_failure(engine, replica):
    site, settings = fast_site("baothanhhoa"), fast_settings(quality_min_pages=1)
    replica.faults.add(r"-\d{4,}\.htm$", "same_page", page="/thoi-su")
    window = RunWindow(local(2025, 6, 1), local(2025, 6, 15))
    with pytest.raises(QualityFailure, match="baothanhhoa: extraction looks broken"):
        crawl(engine, site, window, settings=settings,
              options=RunOptions(base_url=replica.base_url))
    with engine.connect() as conn:
        run = conn.execute(text("SELECT status, error, counts FROM crawl_runs")).one()
    assert run.status == "failed" and "extraction looks broken" in run.error
    assert run.counts["quality"]["fetched"] > 0
