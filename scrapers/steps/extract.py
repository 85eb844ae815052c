"""extract_step: stored pages → articles, for pages the current extractor has not read.

Pages are read in url_id order, a batch per transaction: the batch's pages are extracted,
then their articles stored together (a COPY of the new ones, one upsert of the others) and
the pages marked read in one statement (a few statements per article cost far more than
the rows they write). A page that cannot be extracted is logged, counted and marked as
done by this extractor version with its reason in ``pages.extract_error`` (retrying would
fail the same way until the extractor changes); when the database refuses a batch, its
articles are stored one by one, and a page whose article cannot be stored is rolled back
alone and left for the next run.

The site's active learned template (``site_templates``) runs where its hand rules find no
body, or for a site without rules; ``pages.extractor_version`` then names the template's
version too, so a newly learned one has the site's stored pages read again. Each article
records the path that made it (``extractor``) and how far that is trusted
(``extract_confidence``).

Settings: ``extract_batch_size``, ``extract_max_elements``; ``analyze_min_changes`` and
``analyze_changed_share`` (the statistics the batches' reads are planned with).
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from urllib.parse import urlsplit

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError

from scrapers.counts import ExtractCounts
from scrapers.dates import VN_TZ
from scrapers.extract import EXTRACTOR_VERSION, extract_article
from scrapers.extract.model import NO_DATE, Article
from scrapers.outcomes import ArticleChange
from scrapers.registry import Site
from scrapers.settings import Settings
from scrapers.store.articles import ArticleInput, upsert_articles
from scrapers.store.pages import EXTRACT_PLAN_TABLES, StoredPage, mark_read, pages_to_extract
from scrapers.store.runs import record_counts
from scrapers.store.sources import Source, get_source
from scrapers.store.stats import analyze_grown
from scrapers.store.templates import active_template
from scrapers.templates.confidence import extract_confidence
from scrapers.templates.model import Template

log = logging.getLogger(__name__)


# Article flag of a page whose body held bytes its charset could not decode
# (pages.decode_errors > 0); set here, where the fetch's count meets the article.
DECODE_ERRORS = "decode_errors"


class TooManyElements(ValueError):
    """The page has more elements than any article page: not worth the extractor's time."""


_START_TAG = re.compile(r"<[A-Za-z]")


def _web(url: str | None) -> bool:
    """An http(s) URL, or a relative one: never javascript:, data:, vbscript: ...

    Most are ASCII http(s) URLs without brackets, whose scheme urlsplit would find without
    raising: they are answered without it (it cost more than the rest of the check)."""
    if url and url.startswith(("https://", "http://")) and url.isascii() \
            and "[" not in url and "]" not in url:
        return True
    return urlsplit(url or "").scheme.lower() in ("http", "https", "")


def _only_web_links(article: Article) -> Article:
    """The article without images or a canonical URL that are scripts in disguise
    (``javascript:``, ``data:`` ...). Text the page shows is kept as it reads, tag-like
    words included: whoever displays it escapes it."""
    images = [im for im in article.images if _web(im.src)]
    canonical = article.canonical_url if _web(article.canonical_url) else None
    if len(images) == len(article.images) and canonical == article.canonical_url:
        return article
    return replace(article, images=images, canonical_url=canonical)


def _bounded(html: str, limit: int) -> None:
    """Refuse pages past ``limit`` elements before extraction, whose cost grows with them.
    A page with no more than ``limit`` "<" cannot be past it, and counting those is cheap."""
    if html.count("<") <= limit:
        return
    n = sum(1 for _ in _START_TAG.finditer(html))
    if n > limit:
        raise TooManyElements(f"{n} elements > extract_max_elements {limit}")


class EmptyPage(ValueError):
    """The page gave neither a title nor any body text."""


def _version(template: Template | None) -> str:
    return EXTRACTOR_VERSION if template is None else f"{EXTRACTOR_VERSION}+t{template.version}"


def _extract(page: StoredPage, html: str, site: Site, template: Template | None) -> Article:
    """The page's article; the feed's date when the page shows none."""
    article = extract_article(html, page.final_url, site, fetched_at=page.fetched_at,
                              template=template)
    if not article.title and not article.body:
        raise EmptyPage("no title and no body text")
    if article.published_at is None and page.published_hint is not None:
        article = replace(article, published_at=page.published_hint.astimezone(VN_TZ),
                          date_source="feed", flags=[f for f in article.flags if f != NO_DATE])
    article = _only_web_links(article)
    if page.decode_errors and DECODE_ERRORS not in article.flags:
        # the fetch replaced a few undecodable bytes by U+FFFD: the text may miss a letter
        article = replace(article, flags=[*article.flags, DECODE_ERRORS])
    return article


def _lost(exc: Exception) -> bool:
    """The database went away: the batch fails whole, for a retry."""
    return isinstance(exc, DBAPIError) and exc.connection_invalidated


def _store(conn: Connection, items: list[ArticleInput]) -> dict[int, ArticleChange]:
    """The batch's articles together; when the database refuses them, each article
    in a savepoint of its own, so that one bad article never costs the others. Returns
    the change of each url_id stored."""
    if not items:
        return {}
    try:
        with conn.begin_nested():
            return upsert_articles(conn, items)
    except Exception as exc:
        if _lost(exc):
            raise
        log.info("store batch of %d: %s: each article alone", len(items), type(exc).__name__)
    stored: dict[int, ArticleChange] = {}
    for item in items:
        try:
            with conn.begin_nested():
                stored.update(upsert_articles(conn, [item]))
        except Exception as exc:
            if _lost(exc):
                raise
            log.warning("store %s: %s: %s", item.url, type(exc).__name__, exc)
    return stored


def _read(pages: list[StoredPage], site: Site, source: Source, template: Template | None,
          max_elements: int, errors: dict[int, str | None]) -> list[ArticleInput]:
    """The batch's articles; the reason of each page that gave none goes to ``errors``."""
    items: list[ArticleInput] = []
    for page in pages:
        try:
            html = page.html
            _bounded(html, max_elements)
            article = _extract(page, html, site, template)
        except Exception as exc:
            errors[page.url_id] = f"{type(exc).__name__}: {exc}"
            log.warning("extract %s: %s", page.url, errors[page.url_id])
            continue
        items.append(ArticleInput(page.url_id, source.id, page.url, article,
                                  source.province_code, extract_confidence(article, template)))
    return items


def extract_step(engine: Engine, site: Site, *, settings: Settings, limit: int | None = None,
                 force: bool = False, run_id: int | None = None) -> ExtractCounts:
    """Extract the site's pending pages (all stored pages with ``force``) into articles."""
    counts = ExtractCounts()
    source = get_source(engine, site.slug)
    with engine.begin() as conn:
        template = active_template(conn, source.id)
        analyze_grown(conn, EXTRACT_PLAN_TABLES, min_changes=settings.analyze_min_changes,
                      share=settings.analyze_changed_share)
    version = _version(template)
    after, remaining = 0, limit
    # One connection for the whole step, a transaction per batch: psycopg prepares a
    # statement once its connection has run it a few times, and a connection per batch (the
    # pool hands its connections out in turn) left many batches planning the upsert anew.
    with engine.connect() as conn:
        while remaining is None or remaining > 0:
            size = settings.extract_batch_size if remaining is None else min(
                settings.extract_batch_size, remaining)
            with conn.begin():
                pages = pages_to_extract(conn, source.id, version=version, after=after,
                                         limit=size, force=force)
                if not pages:
                    break
                errors: dict[int, str | None] = {}
                items = _read(pages, site, source, template, settings.extract_max_elements,
                              errors)
                changes = _store(conn, items)
                counts.failed += len(errors) + len(items) - len(changes)
                for url_id, change in changes.items():
                    setattr(counts, change.value, getattr(counts, change.value) + 1)
                    errors[url_id] = None
                counts.extracted += len(changes)
                mark_read(conn, errors, version=version)  # an article not stored is left unread
            after = pages[-1].url_id
            if remaining is not None:
                remaining -= len(pages)
    log.info("extract %s (run %s): %s", site.slug, run_id, counts)
    record_counts(engine, run_id, "extract", counts)
    return counts
