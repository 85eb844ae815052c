"""Fetch bounds reach the warehouse: bad bytes flag the article, a trickle is a timeout.

Real parts only: the replica over HTTP (its faults ``bad_bytes`` and ``trickle``), the
polite session, the fetch and extract steps and a real PostgreSQL.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from replica.server import ReplicaServer
from scrapers.steps.extract import DECODE_ERRORS, extract_step
from scrapers.steps.fetch import fetch_step
from tests.crawlutil import fast_session, fast_site
from tests.subprocs import queue

SLUG = "baothanhhoa"


@pytest.fixture
def replica():
    with ReplicaServer(SLUG) as server:
        yield server


def _fetch_and_extract(engine, replica, **settings):
    site = fast_site(SLUG)
    session = fast_session(site, replica.base_url, **settings)
    try:
        fetched = fetch_step(engine, site, settings=session.settings, session=session)
    finally:
        session.close()
    extract_step(engine, site, settings=session.settings)
    return fetched


def _articles(replica, n: int):
    return [a for a in replica.site.articles if a.crawlable and a.body_mode == "html"][-n:]


def test_a_page_with_a_few_bad_bytes_gives_an_article_flagged_decode_errors(engine, replica):
    bad, clean = _articles(replica, 2)
    replica.faults.add("^" + bad.path + "$", "bad_bytes", n=3)
    queue(engine, SLUG, [bad.url, clean.url])
    counts = _fetch_and_extract(engine, replica)
    assert counts.fetched == 2
    with engine.connect() as conn:
        rows = {r.url: r for r in conn.execute(text(
            "SELECT u.url, p.decode_errors, a.flags, a.title, a.body FROM urls u"
            " JOIN pages p ON p.url_id = u.id JOIN articles a ON a.url_id = u.id"))}
    assert rows[bad.url].decode_errors == 3
    assert DECODE_ERRORS in rows[bad.url].flags
    assert rows[bad.url].title == bad.title and "\ufffd" in rows[bad.url].body
    assert rows[clean.url].decode_errors == 0 and DECODE_ERRORS not in rows[clean.url].flags


def test_a_trickling_server_past_the_deadline_is_a_timeout_retried_later(engine, replica):
    (article,) = _articles(replica, 1)
    replica.faults.add("^" + article.path + "$", "trickle", times=1, chunk=64, every=0.3)
    queue(engine, SLUG, [article.url])
    first = _fetch_and_extract(engine, replica, response_deadline=1.0, read_timeout=1.0,
                               max_retries=0)
    assert first.failed == {"timeout": 1} and first.fetched == 0
    with engine.connect() as conn:
        url = conn.execute(text("SELECT * FROM urls WHERE url = :u"), {"u": article.url}).one()
        fetches = conn.execute(text("SELECT outcome, error_kind, bytes FROM fetches"
                                    " WHERE url_id = :id"), {"id": url.id}).all()
        pages = conn.execute(text("SELECT count(*) FROM pages")).scalar()
        due_later = conn.execute(text("SELECT next_try_at > now() FROM urls WHERE id = :id"),
                                 {"id": url.id}).scalar()
    assert [tuple(f) for f in fetches] == [("error", "timeout", None)]
    assert url.state == "failed" and url.last_error_kind == "timeout" and due_later
    assert pages == 0  # nothing of the trickled body is kept

    # a later run, once the URL is due again, fetches it whole
    with engine.begin() as conn:
        conn.execute(text("UPDATE urls SET next_try_at = now()"))
    again = _fetch_and_extract(engine, replica, response_deadline=1.0, read_timeout=1.0,
                               max_retries=0)
    assert again.fetched == 1
    with engine.connect() as conn:
        title = conn.execute(text("SELECT title FROM articles")).scalar_one()
        kinds = conn.execute(text("SELECT error_kind FROM fetches WHERE url_id = :id"
                                  " ORDER BY id"), {"id": url.id}).scalars().all()
    assert title == article.title and kinds == ["timeout", None]
    assert len(replica.requests_for("^" + article.path + "$")) == 2
