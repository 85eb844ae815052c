"""fetch_step: fetch due URLs politely, keep each body in ``pages``, move the frontier on.

What follows from each response is decided here once: a page is stored, a 304 keeps the
stored one, a redirect off the article pages or a 404/410 closes the URL as gone, a
rel=canonical naming another URL re-keys this one or closes it as a duplicate, and any
other failure is retried by later runs with growing delays (``scrapers.outcomes``).

Settings: ``max_attempts``, ``fetch_batch_size``, ``fetch_commit_every``,
``url_retry_base_s``, ``url_retry_max_s``, ``global_concurrency`` (and the HTTP settings
of the session it makes).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime
from itertools import islice

from sqlalchemy import Connection, Engine

from scrapers.counts import FetchCounts
from scrapers.extract.page import parse_html, rel_canonical
from scrapers.http import FetchResult, PoliteSession
from scrapers.outcomes import CountKey, UrlState, error_rule
from scrapers.registry import Site
from scrapers.settings import Settings
from scrapers.steps.common import session_for
from scrapers.store import frontier
from scrapers.store.frontier import Attempt, Backoff, Pending
from scrapers.store.pages import FetchedPage, save_pages
from scrapers.store.runs import record_counts
from scrapers.store.sources import source_id
from scrapers.urls import adopt_rel_canonical, canonicalize, matches_article_pattern

log = logging.getLogger(__name__)


def pending_batches(engine: Engine, site: Site, *, settings: Settings,
                    limit: int | None = None, refetch: bool = False,
                    window: tuple[datetime, datetime] | None = None,
                    retries_anywhere: bool = False) -> list[list[int]]:
    """URL ids due for fetching (of ``window``, see ``frontier.pending``), in batches (one
    Airflow mapped task each)."""
    with engine.connect() as conn:
        ids = [p.id for p in frontier.pending(conn, source_id(conn, site.slug),
                                              max_attempts=settings.max_attempts,
                                              refetch=refetch, limit=limit, window=window,
                                              retries_anywhere=retries_anywhere)]
    return batched(ids, settings.fetch_batch_size)


def batched(ids: list[int], size: int) -> list[list[int]]:
    return [ids[i:i + size] for i in range(0, len(ids), size)]


def page_canonical(html: str) -> str | None:
    """The page's rel=canonical, read from its head only (parsing the body costs more)."""
    end = html.find("</head>")
    try:
        return rel_canonical(parse_html(html[:end + 7] if end >= 0 else html[:65536]))
    except ValueError:
        return None


class _Outcome:
    """Decides what each URL's result does to the frontier; what a transaction's results
    write is written together at its end (a few statements for all, not a few each)."""

    def __init__(self, conn: Connection, site: Site, source: int, run_id: int | None,
                 backoff: Backoff) -> None:
        self.conn, self.site, self.source, self.run_id = conn, site, source, run_id
        self.backoff = backoff
        self._fetches: dict[int, FetchResult] = {}
        self._pages: list[tuple[int, FetchResult]] = []
        self._attempts: list[Attempt] = []
        self._not_modified: list[int] = []

    def store(self, item: Pending, result: FetchResult, counts: FetchCounts) -> None:
        self._fetches[item.id] = result
        if not result.ok:
            rule = error_rule(result.error_kind, result.status)
            self._attempts.append(Attempt(item.id, rule.state, result.error_kind, result.error,
                                          retry=rule.retryable))
            counts.add(rule.count, result.error_kind)
            return
        final = canonicalize(result.final_url or item.url)
        if final != item.url and not matches_article_pattern(final, self.site):
            # a removed story often redirects to a section or home page that answers 200
            self._close(item, UrlState.GONE, f"redirected to a non-article page {final}")
            counts.add(CountKey.GONE)
            return
        item, owner = self._adopt_canonical(item, result)
        if owner is not None:
            self._close(item, UrlState.DUPLICATE, f"rel=canonical names known URL id {owner}")
            counts.add(CountKey.DUPLICATE_URL)
        elif result.not_modified:
            self._not_modified.append(item.id)
            counts.add(CountKey.NOT_MODIFIED)
        else:
            self._pages.append((item.id, result))
            self._attempts.append(Attempt(item.id, UrlState.FETCHED))
            spellings = {hop: canonicalize(hop) for hop in result.redirects if hop}
            if result.final_url:
                spellings[result.final_url] = final
            for hop, spelled in spellings.items():
                if spelled != item.url:
                    frontier.add_variant(self.conn, hop, item.id, "redirect")
            counts.add(CountKey.FETCHED)

    def write(self) -> None:
        """The stored results' fetches, pages and URL moves."""
        fetch_ids = frontier.record_fetches(self.conn, self._fetches, source=self.source,
                                            run_id=self.run_id)
        save_pages(self.conn, [FetchedPage(url_id, fetch_ids[url_id], result)
                               for url_id, result in self._pages])
        frontier.record_attempts(self.conn, self._attempts, self.backoff)
        frontier.mark_not_modified(self.conn, self._not_modified)

    def _close(self, item: Pending, state: UrlState, reason: str) -> None:
        self._attempts.append(Attempt(item.id, state, error=reason))

    def _adopt_canonical(self, item: Pending, result: FetchResult) -> tuple[Pending, int | None]:
        """Re-key the URL to the page's rel=canonical (same site, an article URL); or, when
        that URL is already known, return its id so this one is closed as its duplicate."""
        if result.not_modified:
            return item, None
        rel = page_canonical(result.text or "")
        if rel is None or rel == item.url:  # most pages name their own URL: nothing to adopt
            return item, None
        canonical = adopt_rel_canonical(item.url, rel)
        if canonical == item.url or not matches_article_pattern(canonical, self.site):
            return item, None
        owner = frontier.url_id_of(self.conn, canonical)
        frontier.add_variant(self.conn, item.url, owner or item.id, "rel_canonical",
                             replace=True)
        if owner is not None:
            return item, owner
        frontier.rekey_url(self.conn, item.id, canonical)
        return replace(item, url=canonical), None


def fetch_step(engine: Engine, site: Site, *, settings: Settings,
               url_ids: list[int] | None = None, limit: int | None = None,
               base_url: str | None = None, run_id: int | None = None, refetch: bool = False,
               session: PoliteSession | None = None) -> FetchCounts:
    """Fetch due URLs (or just ``url_ids``); ``refetch`` re-asks fetched ones conditionally."""
    sid = source_id(engine, site.slug)
    with engine.connect() as conn:
        todo = frontier.pending(conn, sid, max_attempts=settings.max_attempts, refetch=refetch,
                                url_ids=url_ids, limit=limit)
    counts = FetchCounts(queued=len(todo))
    if todo:
        own_session = session is None
        session = session or session_for(site, base_url, settings)
        backoff = Backoff(settings.url_retry_base_s, settings.url_retry_max_s)

        def get(p: Pending) -> tuple[Pending, FetchResult]:
            return p, session.get(p.url, etag=p.etag if refetch else None,
                                  last_modified=p.last_modified if refetch else None)

        try:
            with ThreadPoolExecutor(max_workers=min(settings.global_concurrency, len(todo))
                                    ) as pool:
                results: Iterator[tuple[Pending, FetchResult]] = pool.map(get, todo)
                done = 0
                while done < len(todo):
                    with engine.begin() as conn:
                        outcome = _Outcome(conn, site, sid, run_id, backoff)
                        for item, result in islice(results, settings.fetch_commit_every):
                            outcome.store(item, result, counts)
                            done += 1
                        outcome.write()
                    log.info("%s fetch: %d/%d done %s", site.slug, done, len(todo), counts)
        finally:
            if own_session:
                session.close()
    # each mapped batch keeps its own key, so retries of one batch replace only its counts
    record_counts(engine, run_id, f"fetch:{min(url_ids)}" if url_ids else "fetch", counts)
    return counts
