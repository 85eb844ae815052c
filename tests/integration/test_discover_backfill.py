"""Discovery that remembers, against the replica: what a day-by-day backfill asks the site,
and that a scheduled daily run still finds yesterday's late articles."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import text

from replica.server import ReplicaServer
from scrapers.pipeline import RunWindow
from scrapers.steps.discover import discover_step
from tests.crawlutil import fast_session, fast_site, local

SLUG = "baothanhhoa"
LOOKBACK = timedelta(hours=6)


@pytest.fixture
def replica():
    with ReplicaServer(SLUG) as server:
        yield server


def _discover_day(engine, replica, site, day):
    window = RunWindow(day, day + timedelta(days=1), LOOKBACK)
    session = fast_session(site, replica.base_url)
    try:
        return discover_step(engine, site, window.discover_start, window.end,
                             settings=session.settings, session=session)
    finally:
        session.close()


def _endpoint_requests(replica) -> list[str]:
    articles = replica.site.by_path
    return [r.path for r in replica.requests
            if r.path != "/robots.txt" and r.path.split("?")[0] not in articles]


def test_a_60_day_backfill_asks_each_endpoint_page_at_most_once(engine, replica):
    site = fast_site(SLUG)
    days = [local(2024, 9, 1) + timedelta(days=i) for i in range(60)]
    for day in days:
        _discover_day(engine, replica, site, day)
    asked = _endpoint_requests(replica)
    per_day = len(asked) / len(days)
    print(f"\n60-day day-by-day backfill: {len(asked)} endpoint requests, "
          f"{per_day:.2f} per day")
    assert per_day <= 3
    repeated = {p: n for p, n in Counter(asked).items() if n > 1}
    listing_or_month = {p for p in repeated if "/sitemaps/" in p or "trang-" in p
                        or p.strip("/") in {"thoi-su", "kinh-te", "xa-hoi"}}
    assert listing_or_month == set(), repeated

    # and every article of the 60 days was found
    want = {a.url for a in replica.site.articles_between(days[0], days[-1] + timedelta(days=1))}
    with engine.connect() as conn:
        got = set(conn.execute(text("SELECT url FROM urls")).scalars())
    assert want <= got


def test_a_scheduled_run_sees_an_article_published_late_the_day_before(engine, replica):
    site = fast_site(SLUG)
    # a day whose eve ends with an article, in the last hours the lookback re-reads
    late = next(a for a in replica.site.articles_between(local(2025, 6, 1), local(2025, 9, 1))
                if a.crawlable and a.published_at.hour >= 18)
    day = local(*late.published_at.timetuple()[:3]) + timedelta(days=1)
    # yesterday's run went out just before that article was on the site
    replica.now = late.published_at - timedelta(minutes=1)
    _discover_day(engine, replica, site, day - timedelta(days=1))
    with engine.connect() as conn:
        assert late.url not in set(conn.execute(text("SELECT url FROM urls")).scalars())
    # today's run, after the day: the lookback and the fresh end of each endpoint catch it
    replica.now = day + timedelta(days=1, minutes=5)
    counts = _discover_day(engine, replica, site, day)
    with engine.connect() as conn:
        urls = set(conn.execute(text("SELECT url FROM urls")).scalars())
    assert late.url in urls and counts.discovered >= 1
    fresh = {a.url for a in replica.site.articles_between(day, day + timedelta(days=1))}
    assert fresh <= urls
