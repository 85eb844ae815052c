"""Discovery and fetching against the replica over HTTP and a real Postgres."""

from __future__ import annotations

import itertools
import re
import zlib

import pytest
from sqlalchemy import text

from replica.server import ReplicaServer
from scrapers.steps.discover import discover_step
from scrapers.steps.fetch import fetch_step, pending_batches
from tests.crawlutil import MIN_DELAY, fast_session, fast_settings, fast_site, local

START, END = local(2025, 4, 1), local(2025, 7, 1)
SLUG = "baothanhhoa"


@pytest.fixture
def replica():
    with ReplicaServer(SLUG) as server:
        yield server


def _urls(engine) -> dict[str, str]:
    with engine.connect() as conn:
        return dict(conn.execute(text("SELECT url, state FROM urls")).all())


def _crawl(engine, replica, site, start=START, end=END):
    session = fast_session(site, replica.base_url)
    try:
        found = discover_step(engine, site, start, end, settings=session.settings, session=session)
        fetched = fetch_step(engine, site, settings=session.settings, session=session)
    finally:
        session.close()
    return found, fetched


def test_three_month_backfill_finds_exactly_the_interval_then_only_revalidates(engine, replica):
    site = fast_site(SLUG)
    expected = replica.site.articles_between(START, END)
    found, fetched = _crawl(engine, replica, site)

    urls = _urls(engine)
    assert set(urls) == {a.url for a in expected}
    assert found.discovered == len(expected)
    crawlable = [a for a in expected if a.crawlable]
    assert fetched.fetched == len(crawlable)
    assert {u for u, s in urls.items() if s == "fetched"} == {a.url for a in crawlable}
    assert {u for u, s in urls.items() if s == "skipped"} == {
        a.url for a in expected if a.disallowed}
    assert {u for u, s in urls.items() if s == "gone"} == {
        a.url for a in expected if a.removed and not a.disallowed}
    with engine.connect() as conn:
        body = conn.execute(text(
            "SELECT p.body_z FROM pages p JOIN urls u ON u.id = p.url_id WHERE u.url = :u"),
            {"u": crawlable[0].url}).scalar_one()
    assert crawlable[0].title in zlib.decompress(body).decode()

    # robots.txt: disallowed paths are never requested
    disallowed = [a.path for a in expected if a.disallowed]
    assert disallowed, "the replica should hold robots-disallowed articles in this interval"
    requested = {r.path.split("?")[0] for r in replica.requests}
    assert not requested & set(disallowed)

    # second run of the same interval: discovery remembers what it read (closed months'
    # sitemaps, listing pages covering the interval, feeds that only hold newer items), so
    # nothing is asked at all and no article is fetched again
    replica.clear_log()
    again_found, again_fetched = _crawl(engine, replica, site)
    assert again_found.discovered == 0 and again_fetched.queued == 0
    assert again_found.endpoint_requests == 0 and again_found.endpoint_reused > 0
    assert [r for r in replica.requests if r.path != "/robots.txt"] == []


def test_requests_to_one_host_respect_min_delay(engine, replica):
    site = fast_site(SLUG)
    _crawl(engine, replica, site, local(2025, 11, 1), local(2025, 12, 1))
    times = sorted(r.time for r in replica.requests)
    assert len(times) > 20
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert min(gaps) >= MIN_DELAY * 0.98  # tolerance for clock granularity only


def test_another_interval_rereads_endpoints_a_304_cannot_vouch_for(engine, replica):
    site = fast_site(SLUG)
    _crawl(engine, replica, site, local(2025, 5, 1), local(2025, 5, 15))
    _crawl(engine, replica, site, local(2025, 5, 15), local(2025, 6, 1))
    expected = replica.site.articles_between(local(2025, 5, 1), local(2025, 6, 1))
    assert set(_urls(engine)) == {a.url for a in expected}


def _fetch_one(engine, replica, article, **settings):
    """Queue one article's URL and fetch it; return (url row, fetch rows)."""
    site = fast_site(SLUG)
    with engine.begin() as conn:
        sid = conn.execute(text("SELECT id FROM sources WHERE slug = :s"), {"s": SLUG}).scalar()
        conn.execute(text("INSERT INTO urls (source_id, url) VALUES (:s, :u)"),
                     {"s": sid, "u": article.url})
    session = fast_session(site, replica.base_url, **settings)
    try:
        fetch_step(engine, site, settings=session.settings, session=session)
    finally:
        session.close()
    with engine.connect() as conn:
        url = conn.execute(text("SELECT * FROM urls WHERE url = :u"), {"u": article.url}).one()
        fetches = conn.execute(text(
            "SELECT status, attempts, outcome, error_kind, error FROM fetches"
            " WHERE url_id = :id ORDER BY id"), {"id": url.id}).all()
    return url, fetches


def _article(replica, n=0):
    return [a for a in replica.site.articles if a.crawlable and a.body_mode == "html"][-1 - n]


def _hits(replica, article):
    return len(replica.requests_for("^" + re.escape(article.path) + "$"))


# attempts: HTTP exchanges recorded on the fetch row; hits: requests for the article's path
@pytest.mark.parametrize(
    ("kind", "params", "times", "state", "error_kind", "attempts", "hits"), [
        ("429", {"retry_after": "0.1"}, 1, "fetched", None, 2, 2),
        ("503", {}, 2, "fetched", None, 3, 3),
        ("500", {}, None, "failed", "http_5xx", 3, 3),
        ("timeout", {"seconds": 2}, None, "failed", "timeout", 3, 3),
        ("truncated", {"fraction": 0.5}, None, "failed", "truncated", 3, 3),
        ("oversized", {"mb": 3}, None, "failed", "too_large", 1, 1),
        ("404", {}, None, "gone", "http_4xx", 1, 1),
        ("redirect_loop", {}, None, "failed", "redirect_loop", 2, 1),
        ("redirect", {"location": "http://10.0.0.1/admin"}, None, "failed", "blocked_address",
         1, 1),
        ("redirect", {"location": "file:///etc/passwd"}, None, "failed", "bad_scheme", 1, 1),
    ])
def test_fault_gets_the_right_retries_and_record(engine, replica, kind, params, times, state,
                                                 error_kind, attempts, hits):
    article = _article(replica)
    replica.faults.add("^" + re.escape(article.path) + "$", kind, times=times, **params)
    url, fetches = _fetch_one(engine, replica, article)
    assert url.state == state
    assert url.last_error_kind == error_kind
    assert len(fetches) == 1 and fetches[0].attempts == attempts
    assert fetches[0].error_kind == error_kind
    assert _hits(replica, article) == hits
    if error_kind:
        assert fetches[0].outcome == "error" and fetches[0].error


def test_failed_url_is_picked_up_by_a_later_run(engine, replica):
    article = _article(replica)
    fault = replica.faults.add("^" + re.escape(article.path) + "$", "500")
    url, _ = _fetch_one(engine, replica, article)
    assert url.state == "failed" and url.attempts == 1
    site = fast_site(SLUG)
    assert pending_batches(engine, site, settings=fast_settings()) == []  # backing off: not due yet
    replica.faults.clear()
    assert fault.hits == 3
    with engine.begin() as conn:
        conn.execute(text("UPDATE urls SET next_try_at = now() WHERE id = :id"), {"id": url.id})
    assert pending_batches(engine, site, settings=fast_settings()) == [[url.id]]
    session = fast_session(site, replica.base_url)
    try:
        counts = fetch_step(engine, site, settings=session.settings, session=session)
    finally:
        session.close()
    assert counts.fetched == 1


@pytest.mark.parametrize("kind", ["wrong_charset", "missing_charset", "cp1258"])
def test_charset_faults_still_decode_vietnamese(engine, replica, kind):
    article = _article(replica)
    replica.faults.add("^" + re.escape(article.path) + "$", kind)
    url, fetches = _fetch_one(engine, replica, article)
    assert url.state == "fetched" and fetches[0].outcome == "ok"
    with engine.connect() as conn:
        body = conn.execute(text("SELECT body_z FROM pages WHERE url_id = :id"),
                            {"id": url.id}).scalar_one()
    assert article.title in zlib.decompress(body).decode()


def test_robots_disallowed_article_is_recorded_as_skipped_and_never_requested(engine, replica):
    article = next(a for a in replica.site.articles if a.disallowed)
    url, fetches = _fetch_one(engine, replica, article)
    assert url.state == "skipped" and url.last_error_kind == "robots"
    assert fetches[0].outcome == "skipped" and fetches[0].error_kind == "robots"
    assert _hits(replica, article) == 0


def test_redirect_to_a_section_page_marks_the_url_gone_without_a_page(engine, replica):
    article = _article(replica)
    replica.faults.add("^" + re.escape(article.path) + "$", "redirect", location="/thoi-su")
    url, fetches = _fetch_one(engine, replica, article)
    assert url.state == "gone" and "non-article" in url.last_error
    assert fetches[0].outcome == "ok"
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM pages")).scalar() == 0


def test_every_spelling_seen_is_kept_as_a_variant_of_the_canonical_url(engine, replica):
    site = fast_site(SLUG)
    newest = replica.site.articles_between(local(2025, 12, 28), local(2026, 1, 1))
    _crawl(engine, replica, site, local(2025, 12, 28), local(2026, 1, 1))
    with engine.connect() as conn:
        variants = conn.execute(text(
            "SELECT v.variant, v.reason, u.url FROM url_variants v JOIN urls u ON u.id = v.url_id"
        )).all()
    from_feed = {v.url for v in variants
                 if v.reason == "canonicalised" and "utm_source=rss" in v.variant}
    assert from_feed and from_feed <= {a.url for a in newest}
    assert all("utm_" not in u for u in _urls(engine))


class CrashingSession:
    """A real session that dies (like a killed worker) on its n-th request."""

    def __init__(self, session, crash_on: int) -> None:
        self.session, self.crash_on, self.calls = session, crash_on, 0

    def get(self, url, **kw):
        self.calls += 1
        if self.calls == self.crash_on:
            raise KeyboardInterrupt("worker killed")
        return self.session.get(url, **kw)


def test_a_crash_mid_fetch_loses_nothing_and_the_next_run_carries_on(engine, replica):
    site = fast_site(SLUG)
    start, end = local(2025, 8, 1), local(2025, 10, 1)
    session = fast_session(site, replica.base_url)
    try:
        discover_step(engine, site, start, end, settings=session.settings, session=session)
        queued = sum(map(len, pending_batches(engine, site, settings=fast_settings())))
        assert queued > 25
        with pytest.raises(KeyboardInterrupt):
            fetch_step(engine, site, settings=session.settings,
                       session=CrashingSession(session, crash_on=25))
        states = _urls(engine)
        done = [u for u, s in states.items() if s != "new"]
        assert len(done) >= 10  # committed batches survive the crash
        with engine.connect() as conn:
            pages = conn.execute(text("SELECT count(*) FROM pages")).scalar()
        assert pages == sum(s == "fetched" for s in states.values())
        replica.clear_log()
        fetch_step(engine, site, settings=session.settings, session=session)
    finally:
        session.close()
    assert "new" not in _urls(engine).values()
    refetched = {r.path for r in replica.requests if r.path != "/robots.txt"}
    assert not refetched & {replica.site.by_url[u].path for u in done}


def test_rel_canonical_rekeys_a_url_or_closes_it_as_a_known_duplicate(engine, replica):
    article = _article(replica)
    variant = article.url + "?page=1"
    site = fast_site(SLUG)
    with engine.begin() as conn:
        sid = conn.execute(text("SELECT id FROM sources WHERE slug = :s"), {"s": SLUG}).scalar()
        conn.execute(text("INSERT INTO urls (source_id, url) VALUES (:s, :u)"),
                     {"s": sid, "u": variant})
    session = fast_session(site, replica.base_url)
    try:
        assert fetch_step(engine, site, settings=session.settings, session=session).fetched == 1
        assert _urls(engine) == {article.url: "fetched"}  # re-keyed to the page's canonical
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO urls (source_id, url) VALUES (:s, :u)"),
                         {"s": sid, "u": article.url + "?page=2"})
        again = fetch_step(engine, site, settings=session.settings, session=session)
        assert again.duplicate_url == 1
    finally:
        session.close()
    assert _urls(engine) == {article.url: "fetched", article.url + "?page=2": "duplicate"}
    with engine.connect() as conn:
        variants = dict(conn.execute(text(
            "SELECT v.variant, u.url FROM url_variants v JOIN urls u ON u.id = v.url_id"
            " WHERE v.reason = 'rel_canonical'")).all())
        pages = conn.execute(text("SELECT count(*) FROM pages")).scalar()
    assert variants == {variant: article.url, article.url + "?page=2": article.url}
    assert pages == 1


def test_one_transaction_of_mixed_outcomes_writes_each_url_its_own_rows(engine, replica):
    """A commit's results are written together: each URL gets its state, its own fetch row,
    and a page (pointing at that fetch) only when it was fetched."""
    fetched, failing, missing, moved = (_article(replica, n) for n in range(4))
    disallowed = next(a for a in replica.site.articles if a.disallowed)
    for article, kind, params in [(failing, "500", {}), (missing, "404", {}),
                                  (moved, "redirect", {"location": "/thoi-su"})]:
        replica.faults.add("^" + re.escape(article.path) + "$", kind, **params)
    articles = [fetched, failing, missing, moved, disallowed]
    with engine.begin() as conn:
        sid = conn.execute(text("SELECT id FROM sources WHERE slug = :s"), {"s": SLUG}).scalar()
        for a in articles:
            conn.execute(text("INSERT INTO urls (source_id, url) VALUES (:s, :u)"),
                         {"s": sid, "u": a.url})
    site = fast_site(SLUG)
    session = fast_session(site, replica.base_url)
    try:
        counts = fetch_step(engine, site, settings=session.settings, session=session)
    finally:
        session.close()
    assert counts.queued == 5 <= session.settings.fetch_commit_every
    with engine.connect() as conn:
        rows = {r.url: r for r in conn.execute(text(
            "SELECT u.url, u.state, u.attempts, u.last_error_kind, u.next_try_at > now()"
            " AS retry, count(f.id) AS fetches, min(f.outcome) AS outcome,"
            " bool_and(p.fetch_id IS NULL OR p.fetch_id = f.id) AS own_fetch,"
            " count(p.url_id) AS pages FROM urls u JOIN fetches f ON f.url_id = u.id"
            " LEFT JOIN pages p ON p.url_id = u.id GROUP BY u.id"))}
    assert {a.url: (rows[a.url].state, rows[a.url].last_error_kind, rows[a.url].retry,
                    rows[a.url].pages) for a in articles} == {
        fetched.url: ("fetched", None, False, 1), failing.url: ("failed", "http_5xx", True, 0),
        missing.url: ("gone", "http_4xx", False, 0), moved.url: ("gone", None, False, 0),
        disallowed.url: ("skipped", "robots", False, 0)}
    assert all(r.fetches == 1 and r.attempts == 1 and r.own_fetch for r in rows.values())
    assert rows[disallowed.url].outcome == "skipped" and rows[fetched.url].outcome == "ok"
