"""scrapers.orchestration: run windows, asset URIs, pools, run status, quality verdicts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, text

from scrapers.orchestration import (
    LOCAL_TZ,
    airflow_conn_uri,
    asset_uri,
    quality_problems,
    quality_report,
    run_window,
    site_pools,
    start_date,
    window_url_ids,
)
from scrapers.registry import get_site, load_sites
from scrapers.steps.runs import run_status, start_run, summarize

DAY_START = datetime(2024, 7, 4, 17, tzinfo=UTC)  # 2024-07-05 00:00 in Vietnam
DAY_END = DAY_START + timedelta(days=1)


def test_window_is_the_data_interval_with_a_lookback_for_discovery():
    w = run_window("daily", data_interval_start=DAY_START, data_interval_end=DAY_END,
                   run_after=DAY_END + timedelta(hours=3), lookback_hours=6)
    assert (w.start, w.end) == (DAY_START, DAY_END)
    assert w.discover_start == DAY_START - timedelta(hours=6)


@pytest.mark.parametrize(("schedule", "period"), [("daily", timedelta(days=1)),
                                                  ("hourly", timedelta(hours=1))])
def test_runs_without_a_data_interval_take_the_period_ending_at_run_after(schedule, period):
    run_after = datetime(2024, 7, 5, 9, 30, tzinfo=UTC)
    for start, end in ((None, None), (run_after, run_after)):  # null, or zero-width
        w = run_window(schedule, data_interval_start=start, data_interval_end=end,
                       run_after=run_after)
        assert (w.start, w.end) == (run_after - period, run_after)


def test_since_and_until_override_the_interval_naive_values_are_local_time():
    w = run_window("daily", data_interval_start=DAY_START, data_interval_end=DAY_END,
                   run_after=DAY_END, since="2024-07-01", until="2024-07-03T12:00:00+00:00")
    assert w.start == datetime(2024, 7, 1, tzinfo=LOCAL_TZ)
    assert w.end == datetime(2024, 7, 3, 12, tzinfo=UTC)
    w = run_window("daily", data_interval_start=None, data_interval_end=None,
                   run_after=DAY_END, since="2024-07-04T10:00:00Z")
    assert (w.start, w.end) == (datetime(2024, 7, 4, 10, tzinfo=UTC), DAY_END)


def test_an_empty_or_bad_override_is_refused():
    with pytest.raises(ValueError, match="empty interval"):
        run_window("daily", data_interval_start=DAY_START, data_interval_end=DAY_END,
                   run_after=DAY_END, since="2024-07-06")
    with pytest.raises(ValueError, match="not an ISO date"):
        run_window("daily", data_interval_start=DAY_START, data_interval_end=DAY_END,
                   run_after=DAY_END, until="05/07/2024")


@pytest.mark.parametrize(("url", "expected"), [
    (None, "postgres://localhost:5432/postgres/public/articles"),
    ("postgresql+psycopg://u:p@db.example:6543/news",
     "postgres://db.example:6543/news/public/articles"),
    ("postgres://u:p@warehouse/provnews?sslmode=require",
     "postgres://warehouse:5432/provnews/public/articles"),
    ("postgresql+psycopg://postgres:@/postgres?host=/work/.data/pg",
     "postgres://localhost:5432/postgres/public/articles"),
    ('{"conn_type": "postgres", "host": "wh", "port": 5439, "schema": "news"}',
     "postgres://wh:5439/news/public/articles"),
])
def test_asset_uri_names_the_articles_table(url, expected):
    assert asset_uri(url) == expected


def test_airflow_conn_uri_keeps_credentials_and_socket_dir():
    uri = airflow_conn_uri("postgresql+psycopg://postgres:s%40cret@/postgres?host=/x/pg")
    assert uri == "postgres://postgres:s%40cret@/postgres?host=%2Fx%2Fpg"
    assert asset_uri(uri) == "postgres://localhost:5432/postgres/public/articles"


def test_one_single_slot_pool_per_enabled_site():
    sites = load_sites()
    pools = site_pools(sites)
    assert set(pools) == {f"provnews_{s}" for s, site in sites.items() if site.enabled}
    assert {p["slots"] for p in pools.values()} == {1}


def test_start_date_is_local_midnight():
    site = get_site("baothanhhoa")
    assert start_date(site) == datetime(2024, 1, 1, tzinfo=LOCAL_TZ)
    assert start_date(site).utcoffset() == timedelta(hours=7)


def test_run_status_is_partial_only_when_a_step_recorded_failures():
    ok = {"discover": {"endpoint_errors": {}, "discovered": 5}, "extract": {"failed": 0},
          "fetch:12": {"failed": {}, "fetched": 3, "gone": 1, "skipped_robots": 1},
          "fetch:40": {"failed": {}, "fetched": 1}, "quality": {"fetched": 3}}
    summary = summarize(ok)
    assert (summary["discovered"], summary["fetched"], summary["gone"]) == (5, 4, 1)
    assert run_status(summary) == "success"
    failing = summarize({**ok, "fetch:40": {"failed": {"timeout": 1}},
                         "discover": {"endpoint_errors": {"timeout": 2, "http_5xx": 1}}})
    assert failing["failed"] == {"http_5xx": 1, "timeout": 3}
    assert run_status(failing) == "partial"
    assert run_status(summarize({**ok, "extract": {"failed": 2}})) == "partial"


def test_quality_problems_flag_only_real_breakage():
    good = {"fetched": 40, "articles": 39, "no_title": 0, "no_body": 1, "no_date": 2,
            "same_body": 1}
    assert quality_problems(good) == []
    assert quality_problems({**good, "fetched": 5, "articles": 0}) == []  # too small to judge
    assert quality_problems({**good, "articles": 10}) == ["only 10 articles from 40 fetched pages"]
    assert quality_problems({**good, "no_date": 30}) == ["30 of 39 articles have no date"]
    assert quality_problems({**good, "same_body": 38}) == [
        "38 of 39 articles repeat another's body"]


def test_window_url_ids_and_quality_report_read_the_warehouse(engine: Engine):
    site = get_site("baothanhhoa")
    run_id = start_run(engine, site.slug, "test-run", trigger="cli", start=DAY_START,
                       end=DAY_END)
    with engine.begin() as conn:
        sid = conn.execute(text("SELECT id FROM sources WHERE slug = 'baothanhhoa'")).scalar()
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
                {"sid": sid, "uid": ids[name], "run": run_id})
        conn.execute(text(
            "INSERT INTO articles (url_id, source_id, url, title, body, published_at,"
            " word_count, body_sha256, extractor, extractor_version)"
            " VALUES (:uid, :sid, 'https://baothanhhoa.vn/in-1234.htm', 'T', 'b', :pub, 1,"
            " 'h', 'test', '1')"),
            {"uid": ids["in"], "sid": sid, "pub": DAY_START + timedelta(hours=1)})
    assert window_url_ids(engine, site, DAY_START, DAY_END) == [ids["in"]]
    report = quality_report(engine, site, run_id, DAY_START, DAY_END)
    assert report == {"fetched": 2, "articles": 1, "no_title": 0, "no_body": 0, "no_date": 0,
                      "same_body": 0, "in_interval": 1}
