"""A site redesigned away from its hand rules, crawled from the replica: the run's quality
report says the rules missed and that a template was learned from the stored pages, which
the run then reads with it; the next run's articles come from that template, and it is not
learned again."""

from __future__ import annotations

from sqlalchemy import text

from replica.server import ReplicaServer
from scrapers.counts import QualityReport
from scrapers.pipeline import RunOptions, RunWindow, crawl
from scrapers.store.sources import source_id
from scrapers.store.templates import active_template
from tests.crawlutil import fast_settings, fast_site, local

SLUG = "baothanhhoa"
# the body's container loses both the id and the class the rules and the old markup name
REDESIGN = {"old": '<div id="dcontent" class="article__body">',
            "new": '<div class="noi-dung-bai-viet">'}
ARTICLE_PAGES = r"-\d{4,}\.htm$"


def _quality(engine) -> QualityReport:
    with engine.connect() as conn:
        counts = conn.execute(text("SELECT counts->'quality' FROM crawl_runs"
                                   " ORDER BY id DESC LIMIT 1")).scalar_one()
    return QualityReport.from_json(counts)


def test_a_run_whose_rules_miss_learns_a_template_and_extracts_with_it(engine):
    settings = fast_settings()
    with ReplicaServer(SLUG) as server:
        server.faults.add(ARTICLE_PAGES, "redesign", **REDESIGN)
        options = RunOptions(base_url=server.base_url)
        crawl(engine, fast_site(SLUG), RunWindow(local(2025, 3, 1), local(2025, 5, 1)),
              settings=settings, options=options)
        first = _quality(engine)
        assert first.articles >= settings.template_min_pages
        # the rules missed every page; the run learned a template and read its pages
        # with it at once, so none is left to the generic path
        assert first.rules_missed == first.articles and first.generic == 0
        assert (first.relearned, first.template_version) == (True, 1)
        with engine.connect() as conn:
            template = active_template(conn, source_id(conn, SLUG))
            extractors = set(conn.execute(text("SELECT extractor FROM articles")).scalars())
        assert template.fields["body"].value == "div.noi-dung-bai-viet"
        assert extractors == {"provnews-template"}

        crawl(engine, fast_site(SLUG), RunWindow(local(2025, 5, 1), local(2025, 6, 1)),
              settings=settings, options=options)
    second = _quality(engine)
    assert second.rules_missed == second.articles > 0 and second.generic == 0
    assert (second.relearned, second.template_version) == (False, 1)
    with engine.connect() as conn:
        extractors = set(conn.execute(text("SELECT extractor FROM articles")).scalars())
    assert extractors == {"provnews-template"}
