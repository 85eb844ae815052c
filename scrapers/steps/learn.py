"""learn_step: a site's stored pages → its learned template in ``site_templates``; and
``relearn_if_needed``, which the quality check calls so that a site whose rules stopped
matching gets a fresh template for its next run.

A template is learned from the site's most recent stored pages (nothing is fetched), and
stored as a new active version only when it would extract something else than the active
one: learning twice from the same pages leaves one row. A new version makes the next
extract step read the site's stored pages again (``pages.extractor_version`` names it).

Settings: ``template_min_pages``, ``template_max_pages``, ``template_relearn_share``,
``quality_min_pages`` (and those of ``scrapers.templates.learn``).
"""

from __future__ import annotations

import logging
import zlib
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from sqlalchemy import Engine

from scrapers.counts import QualityReport
from scrapers.registry import Site
from scrapers.settings import Settings
from scrapers.store.sources import source_id
from scrapers.store.templates import active_template, learning_pages, save_template
from scrapers.templates.learn import learn_template
from scrapers.templates.model import Template

log = logging.getLogger(__name__)


class LearnOutcome(StrEnum):
    LEARNED = "learned"  # a new version is active
    UNCHANGED = "unchanged"  # the active version already extracts what this one would
    TOO_FEW_PAGES = "too_few_pages"  # fewer stored pages than the minimum
    NO_BODY = "no_body"  # no body selector holds on enough of the pages


@dataclass(frozen=True)
class LearnResult:
    outcome: LearnOutcome
    pages: int  # stored pages read
    template: Template | None = None  # as learned now, with the active version's number

    def to_json(self) -> dict[str, Any]:
        return {"outcome": str(self.outcome), "pages": self.pages,
                "version": self.template.version if self.template else None}


def learn_step(engine: Engine, site: Site, *, settings: Settings,
               min_pages: int | None = None) -> LearnResult:
    """Learn ``site``'s template from its stored pages and keep it if it is new."""
    need = min_pages or settings.template_min_pages
    with engine.connect() as conn:
        sid = source_id(conn, site.slug)
        stored = learning_pages(conn, sid, limit=max(need, settings.template_max_pages))
    pages = []
    for page in stored:
        try:
            pages.append((page.html, page.final_url))
        except (zlib.error, UnicodeDecodeError) as exc:
            log.warning("learn %s: unreadable page %s: %s", site.slug, page.url, exc)
    if len(pages) < need:
        result = LearnResult(LearnOutcome.TOO_FEW_PAGES, len(pages))
    elif (template := learn_template(pages, settings=settings)) is None:
        result = LearnResult(LearnOutcome.NO_BODY, len(pages))
    else:
        with engine.begin() as conn:
            version, new = save_template(conn, sid, template)
        result = LearnResult(LearnOutcome.LEARNED if new else LearnOutcome.UNCHANGED,
                             len(pages), replace(template, version=version))
    log.info("learn %s: %s from %d page(s)", site.slug, result.outcome, result.pages)
    return result


def relearn_if_needed(engine: Engine, site: Site, report: QualityReport, *,
                      settings: Settings) -> QualityReport:
    """The report, with ``relearned`` set when this run's articles were mostly ones the
    rules in use missed (or only the generic path read) and a new template came of it, and
    ``template_version`` the site's active version after that."""
    missed = max(report.rules_missed, report.generic)
    relearned = False
    if (report.articles >= settings.quality_min_pages
            and missed >= settings.template_relearn_share * report.articles):
        log.info("%s: %d of %d articles slipped past the rules in use: learning again",
                 site.slug, missed, report.articles)
        relearned = learn_step(engine, site, settings=settings).outcome is LearnOutcome.LEARNED
    with engine.connect() as conn:
        active = active_template(conn, source_id(conn, site.slug))
    return replace(report, relearned=relearned,
                   template_version=active.version if active else None)
