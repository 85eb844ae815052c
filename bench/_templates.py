"""What the extraction benches share for the learned-template path: a replica site's pages
as its server renders them, a template learned from the first ``LEARN_PAGES`` of them the
way production learns one (``learn_template`` over ``(html, url)`` pages, default
settings), and the site with its hand rules switched off, so that the template, not the
rules, is what reads the pages.

The approach of tests/unit/test_templates_replica.py, written again here: benches may not
import ``tests``. Pages are the served HTML as text (the legacy family's windows-1258 is a
matter for the fetcher, not for extraction).
"""

from __future__ import annotations

from datetime import datetime
from functools import cache

from replica.cases import Case
from replica.data import Article, dataset
from replica.families import app_for
from scrapers.registry import ExtractRules, Site, get_site
from scrapers.settings import Settings
from scrapers.templates.learn import learn_template
from scrapers.templates.model import Template

LEARN_PAGES = 40  # as in the replica template tests: the held-out pages come after these


@cache
def replica_pages(slug: str) -> tuple[tuple[Article, str], ...]:
    """Every crawlable article of replica ``slug`` (oldest first) with its page as the
    site's replica serves it."""
    ds = dataset(slug)
    app = app_for(ds, 0.0)
    latest = list(ds.articles[:5])
    return tuple((a, app.article_html(a, latest, a.modified_at))
                 for a in ds.articles if a.crawlable)


def held_out(slug: str, n: int) -> tuple[tuple[Article, str], ...]:
    """``n`` pages of ``slug`` that the template was not learned from."""
    return replica_pages(slug)[LEARN_PAGES:LEARN_PAGES + n]


def fetched_at(slug: str) -> datetime:
    """The replica's clock: every page of it is fetched by then."""
    return dataset(slug).now


@cache
def learned(slug: str) -> Template | None:
    """The template learned from the first ``LEARN_PAGES`` pages of replica ``slug``."""
    pages = replica_pages(slug)[:LEARN_PAGES]
    return learn_template([(html, a.url) for a, html in pages], settings=Settings())


@cache
def rules_off(slug: str) -> Site:
    """Registered site ``slug`` with its extract rules removed (for the minimal site files
    of the newer families there are none to remove)."""
    return get_site(slug).model_copy(update={"extract": ExtractRules()})


def as_cases(slug: str, n: int) -> list[Case]:
    """``held_out(slug, n)`` as fixture-like cases (URL, site, fetch time; no expected
    fields), for the code that takes cases (``replica.cases.with_teasers``)."""
    when = fetched_at(slug).isoformat()
    return [Case(f"{slug}/{a.slug}", html, {"url": a.url, "site": slug, "fetched_at": when})
            for a, html in held_out(slug, n)]
