"""scrapers.schedule: DAG names, pools, start dates and the articles Asset's URI."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from scrapers.registry import get_site, load_sites
from scrapers.schedule import LOCAL_TZ, airflow_conn_uri, asset_uri, site_pools, start_date


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
