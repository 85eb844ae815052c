"""Soak: a crawl of a replica whose answers are ~10% faulty still loads every article.

The replica's ``mix`` fault deals a deterministic tenth of all requests (robots.txt, feeds,
sitemaps, listings, articles; retries included) one of: 429, 500, 503, a timeout, a
truncated body, a wrong or missing charset, an oversized body, a trickle past the response
deadline, garbage bytes, stray bad bytes. Runs are repeated over the same window, with the
failed URLs made due at once between runs (what time does in production), until nothing is
left to fetch.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from replica.server import ReplicaServer
from scrapers.pipeline import RunOptions, RunWindow, crawl
from scrapers.steps.discover import discover_step
from scrapers.steps.fetch import fetch_step
from tests.crawlutil import fast_session, fast_settings, fast_site, local

SLUG = "baothanhhoa"
START, END = local(2025, 6, 1), local(2025, 11, 1)
MAX_RUNS = 6
KINDS = ["429", "500", "503", "timeout", "truncated", "wrong_charset", "missing_charset",
         "oversized", "trickle", "garbage", "bad_bytes"]
PARAMS = {"429": {"retry_after": 1}, "503": {"retry_after": 1}, "timeout": {"seconds": 1.5},
          "oversized": {"mb": 3}, "trickle": {"chunk": 256, "every": 0.3},
          "garbage": {"kb": 8}, "bad_bytes": {"n": 2}}


@pytest.fixture
def replica():
    with ReplicaServer(SLUG) as server:
        # robots.txt unreadable for one whole session (every retry of its request) ...
        server.faults.add("^/robots.txt$", "503", times=3)
        # ... and a tenth of everything faulty
        server.faults.add(".", "mix", share=0.1, kinds=KINDS, params=PARAMS, seed=7)
        yield server


def test_a_tenth_of_faulty_answers_costs_no_article_and_duplicates_nothing(engine, replica):
    site = fast_site(SLUG)
    settings = fast_settings(response_deadline=1.0, max_attempts=MAX_RUNS + 2,
                             quality_min_pages=10**6)  # re-runs load few pages: not judged
    expected = {a.url for a in replica.site.articles_between(START, END) if a.crawlable}
    assert len(expected) > 30
    runs, left = 0, None
    while runs < MAX_RUNS:
        runs += 1
        crawl(engine, site, RunWindow(START, END), settings=settings,
              options=RunOptions(base_url=replica.base_url), run_key=f"soak-{runs}")
        with engine.begin() as conn:
            left = conn.execute(text(
                "SELECT count(*) FROM urls WHERE state IN ('new', 'failed')")).scalar()
            loaded = set(conn.execute(text("SELECT url FROM articles")).scalars())
            conn.execute(text("UPDATE urls SET next_try_at = now() WHERE state = 'failed'"))
        if not left and expected <= loaded:
            break
    faulted = [r for r in replica.requests if r.fault]
    print(f"runs {runs}, requests {len(replica.requests)}, faulted {len(faulted)} "
          f"({', '.join(sorted({r.fault for r in faulted}))})")
    assert len(faulted) >= 0.05 * len(replica.requests)
    assert left == 0, f"URLs still failing after {runs} runs"

    with engine.connect() as conn:
        articles = conn.execute(text("SELECT url, url_id FROM articles")).all()
        url_rows = conn.execute(text("SELECT url, state FROM urls")).all()
        errors = conn.execute(text(
            "SELECT error_kind, count(*) FROM fetches WHERE outcome = 'error'"
            " GROUP BY error_kind")).all()
        unrecorded = conn.execute(text(
            "SELECT count(*) FROM urls u WHERE u.last_error_kind IS NOT NULL AND NOT EXISTS"
            " (SELECT 1 FROM fetches f WHERE f.url_id = u.id"
            "  AND f.error_kind = u.last_error_kind)")).scalar()
        ok_twice = conn.execute(text(
            "SELECT count(*) FROM (SELECT url_id FROM fetches WHERE url_id IS NOT NULL"
            " AND outcome = 'ok' GROUP BY url_id HAVING count(*) > 1) t")).scalar()
        failed_urls = conn.execute(text(
            "SELECT count(DISTINCT url_id) FROM fetches WHERE url_id IS NOT NULL"
            " AND outcome = 'error'")).scalar()
    loaded = {url for url, _ in articles}
    print(f"articles {len(articles)} of {len(expected)} servable; URL fetch errors on "
          f"{failed_urls} URLs; error rows by kind {dict(errors)}")
    assert loaded == expected
    # nothing duplicated: one row per URL, one article per URL, one successful fetch per URL
    assert len(url_rows) == len({u for u, _ in url_rows})
    assert len(articles) == len(loaded) == len({i for _, i in articles})
    assert ok_twice == 0
    # every failure is a fetches row with its kind
    assert failed_urls > 0 and unrecorded == 0
    assert {k for k, _ in errors} <= {"http_4xx", "http_5xx", "timeout", "truncated",
                                      "too_large", "decode", "connection"}


def test_robots_txt_unreadable_for_a_whole_fetch_defers_its_urls_instead_of_skipping(
        engine, replica):
    """A robots.txt that answers 503 to every retry of one session is the site's failure,
    not a refusal: the URLs wait for a later run rather than being closed as skipped."""
    replica.faults.clear()
    site = fast_site(SLUG)
    settings = fast_settings()
    start, end = local(2025, 10, 1), local(2025, 11, 1)
    session = fast_session(site, replica.base_url)
    try:
        discover_step(engine, site, start, end, settings=settings, session=session)
    finally:
        session.close()
    replica.faults.add("^/robots.txt$", "503", times=settings.max_retries + 1)
    first = fetch_step(engine, site, settings=settings, base_url=replica.base_url)
    assert first.fetched == 0 and first.skipped_robots == 0
    assert first.failed == {"http_5xx": first.queued}
    with engine.begin() as conn:
        states = dict(conn.execute(text("SELECT state, count(*) FROM urls GROUP BY 1")).all())
        conn.execute(text("UPDATE urls SET next_try_at = now()"))
    assert states == {"failed": first.queued}
    again = fetch_step(engine, site, settings=settings, base_url=replica.base_url)
    crawlable = [a for a in replica.site.articles_between(start, end) if a.crawlable]
    assert again.fetched == len(crawlable) and again.failed == {}
