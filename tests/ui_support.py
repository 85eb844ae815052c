"""A known replica crawl in a warehouse, for the provnews page's tests.

December 2025 of baothanhhoa and of phunuvietnam (which republishes 30% of baothanhhoa's
stories, so there are duplicate clusters), one baothanhhoa story titled like an attack
(``XSS_TITLE``), one story edited and fetched again (an earlier version), and an open
drift alert for baophutho. The replica's newsrooms stop on 2026-01-01: pages are looked at
with ``today`` pinned to ``TODAY``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from replica.data import ReplicaSite, dataset
from replica.server import ReplicaServer
from scrapers.db import create_database, drop_database
from scrapers.pipeline import RunOptions, RunWindow, crawl
from scrapers.settings import get_settings
from scrapers.store.alerts import open_alert
from scrapers.store.sources import source_id
from tests.crawlutil import fast_site, local

TODAY = date(2025, 12, 31)
WINDOW = RunWindow(local(2025, 12, 1), local(2026, 1, 1))
XSS_TITLE = "<script>alert(1)</script>"
UPDATE = "Bài viết đã được cập nhật."  # the edited story's new last paragraph
ALERT = "baophutho: 80% of the run's 10 pages missed the body rule (baseline 0%)"


def syndicated() -> ReplicaSite:
    return dataset("phunuvietnam", republish_from="baothanhhoa", fraction=0.3)


def december(site: ReplicaSite) -> list:
    return [a for a in site.articles_between(WINDOW.start, WINDOW.end) if a.crawlable]


def expected_counts(site: ReplicaSite, days: int) -> int:
    """The site's crawlable stories published in the ``days`` local days up to TODAY."""
    start = local(TODAY.year, TODAY.month, TODAY.day) - timedelta(days=days - 1)
    return sum(1 for a in december(site) if a.published_at >= start)


def load(engine: Engine) -> None:
    """Crawl the replica into ``engine``."""
    settings = get_settings()
    original, copier = ReplicaServer("baothanhhoa"), ReplicaServer(syndicated())
    with original, copier:
        xss, edited = december(original.site)[3], december(original.site)[5]
        original.edit_article(xss.id, title=XSS_TITLE)
        for slug, server in (("baothanhhoa", original), ("phunuvietnam", copier)):
            crawl(engine, fast_site(slug), WINDOW, settings=settings,
                  options=RunOptions(base_url=server.base_url))
        original.edit_article(edited.id, modified_at=edited.published_at + timedelta(hours=2),
                              paragraphs=(*edited.paragraphs[:-1], UPDATE))
        midnight = local(*edited.published_at.timetuple()[:3])
        day = RunWindow(midnight, midnight + timedelta(days=1))
        crawl(engine, fast_site("baothanhhoa"), day, settings=settings,
              options=RunOptions(base_url=original.base_url, refetch=True))
    open_alert(engine, source_id(engine, "baophutho"), None, "layout_drift", ALERT,
               {"changes": [{"metric": "rules_missed", "current": 0.8, "baseline": 0.0}]})


def article_ids(engine: Engine) -> dict[str, int]:
    """Warehouse ids of the articles the tests open: the newest republished copy on
    phunuvietnam, the attack-titled story and the edited one."""
    with engine.connect() as conn:
        return {
            "copy": conn.execute(text(
                "SELECT a.id FROM articles a JOIN sources s ON s.id = a.source_id"
                " WHERE s.slug = 'phunuvietnam' AND a.dup_kind IN ('exact', 'near')"
                " ORDER BY a.published_at DESC LIMIT 1")).scalar_one(),
            "xss": conn.execute(text("SELECT id FROM articles WHERE title = :t"),
                                {"t": XSS_TITLE}).scalar_one(),
            "edited": conn.execute(text(
                "SELECT a.id FROM articles a WHERE EXISTS"
                " (SELECT 1 FROM article_versions v WHERE v.article_id = a.id)")).scalar_one()}


@contextmanager
def loaded_warehouse(pg_admin_url: str, template_db: str
                     ) -> Iterator[tuple[str, Engine, dict[str, int]]]:
    """A fresh migrated warehouse holding :func:`load`'s crawl: (URL, engine,
    :func:`article_ids`)."""
    url = create_database(pg_admin_url, template=make_url(template_db).database)
    engine = create_engine(url)
    try:
        load(engine)
        yield url, engine, article_ids(engine)
    finally:
        engine.dispose()
        drop_database(pg_admin_url, url)
