"""Templates against a real PostgreSQL: `provnews sites learn` stores one version per change,
extract_step applies the active template (re-reading the site's pages when it is new) and
records extractor and confidence, and the quality check learns again when rules miss."""

from __future__ import annotations

import hashlib
import zlib
from datetime import datetime

import pytest
import yaml
from sqlalchemy import Engine, text

from replica.data import site_spec
from replica.families import MINIMAL_SITE_YAML
from scrapers.cli import main
from scrapers.counts import QualityReport
from scrapers.dates import VN_TZ
from scrapers.db import get_engine
from scrapers.registry import ExtractRules, Site, get_site
from scrapers.settings import Settings, get_settings
from scrapers.steps.extract import extract_step
from scrapers.steps.learn import LearnOutcome, learn_step, relearn_if_needed
from scrapers.store.sources import sync_sources
from tests.unit.test_templates_replica import f1, replica_pages

FETCHED = datetime(2026, 1, 1, 9, 0, tzinfo=VN_TZ)
PAGES = 40
SETTINGS = Settings()


def ruleless_site(slug: str) -> Site:
    """A site of one of the new replica families, as short as its YAML can be."""
    return Site.model_validate({**MINIMAL_SITE_YAML[slug], "article_url_pattern":
                                rf"^https://{site_spec(slug).host.replace('.', '[.]')}/"})


def store_pages(engine: Engine, site: Site, n: int = PAGES) -> list:
    """``n`` replica articles of ``site`` fetched and stored, as the fetch step leaves them."""
    pages = replica_pages(site.slug)[:n]
    with engine.begin() as conn:
        sid = conn.execute(text("SELECT id FROM sources WHERE slug = :s"),
                           {"s": site.slug}).scalar_one()
        for a, html in pages:
            body = html.encode("utf-8")
            url_id = conn.execute(text(
                "INSERT INTO urls (source_id, url, state) VALUES (:sid, :url, 'fetched')"
                " RETURNING id"), {"sid": sid, "url": a.url}).scalar_one()
            conn.execute(text(
                "INSERT INTO pages (url_id, final_url, status, body_z, body_sha256, fetched_at)"
                " VALUES (:id, :url, 200, :z, :sha, :at)"),
                {"id": url_id, "url": a.url, "z": zlib.compress(body),
                 "sha": hashlib.sha256(body).hexdigest(), "at": FETCHED})
    return pages


@pytest.fixture
def danang(engine: Engine) -> Site:
    site = ruleless_site("baodanang")
    sync_sources(engine, {site.slug: site})
    return site


@pytest.fixture
def cli_env(db_url, danang, tmp_path, monkeypatch):
    """`provnews` aimed at the test database, with baodanang in its registry."""
    (tmp_path / "baodanang.yaml").write_text(yaml.safe_dump(MINIMAL_SITE_YAML["baodanang"] | {
        "article_url_pattern": danang.article_url_pattern}, allow_unicode=True),
        encoding="utf-8")
    monkeypatch.setenv("NEWS_DB_URL", db_url)
    monkeypatch.setenv("NEWS_SITES_DIR", str(tmp_path))
    get_settings.cache_clear()
    yield
    get_engine(db_url).dispose()
    get_settings.cache_clear()


def templates(engine: Engine) -> list:
    with engine.connect() as conn:
        return conn.execute(text("SELECT version, active, pages_used, selectors"
                                 " FROM site_templates ORDER BY version")).all()


def test_sites_learn_prints_the_template_and_stores_it_once(engine, danang, cli_env, capsys):
    store_pages(engine, danang)
    assert main(["sites", "learn", "baodanang"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# stored as the active version\n# baodanang: learned template v1")
    printed = yaml.safe_load(out)
    rules = ExtractRules.model_validate(printed["extract"])  # pastes into include/cms/
    assert rules.body == ["div.entry-content"] and rules.title == ["h1.entry-title"]
    assert printed["support"]["body"] == 1.0
    assert "Tin liên quan" in {b["text"] for b in printed["boilerplate"]}
    assert [(r.version, r.active, r.pages_used) for r in templates(engine)] == [(1, True, PAGES)]

    assert main(["sites", "learn", "baodanang"]) == 0  # the same pages: the same template
    assert capsys.readouterr().out.startswith("# the active version already extracts the same")
    assert len(templates(engine)) == 1

    assert main(["sites", "learn", "baodanang", "--min-pages", "41"]) == 2
    assert "too_few_pages" in capsys.readouterr().err


def test_extract_step_applies_the_template_and_reads_pages_again_when_it_is_new(
        engine, danang):
    pages = store_pages(engine, danang)
    extract_step(engine, danang, settings=SETTINGS)
    result = learn_step(engine, danang, settings=SETTINGS)
    assert (result.outcome, result.pages, result.template.version) == (
        LearnOutcome.LEARNED, PAGES, 1)

    counts = extract_step(engine, danang, settings=SETTINGS)  # a new template: read again
    assert counts.extracted == PAGES
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT a.url, a.body, a.extractor, a.extract_confidence, p.extractor_version"
            " FROM articles a JOIN pages p USING (url_id)")).all()
    truth = {a.url: a.text for a, _ in pages}
    assert {(r.extractor, r.extract_confidence) for r in rows} == {("provnews-template", 1.0)}
    assert {r.extractor_version.rsplit("+", 1)[1] for r in rows} == {"t1"}
    assert min(f1(r.body, truth[r.url]) for r in rows) >= 0.98
    assert extract_step(engine, danang, settings=SETTINGS).extracted == 0  # nothing new


def test_without_a_template_the_generic_path_reads_and_is_trusted_less(engine, danang):
    store_pages(engine, danang, n=3)
    extract_step(engine, danang, settings=SETTINGS)
    with engine.connect() as conn:
        assert set(conn.execute(text("SELECT extractor, extract_confidence FROM articles"))
                   ) == {("provnews-fallback", 0.5)}
    assert learn_step(engine, danang, settings=SETTINGS).outcome is LearnOutcome.TOO_FEW_PAGES
    assert templates(engine) == []


def test_the_quality_check_learns_again_when_the_rules_stop_matching(engine):
    """baothanhhoa after a redesign its rules do not know: the rules miss every page, the
    report says so, a template is learned from the stored pages, and the next extraction
    reads the pages with it."""
    redesigned = get_site("baothanhhoa").model_copy(update={"extract": get_site(
        "baothanhhoa").extract.model_copy(update={"body": ["#redesigned-body"]})})
    store_pages(engine, redesigned)
    extract_step(engine, redesigned, settings=SETTINGS)
    report = QualityReport(fetched=PAGES, articles=PAGES, rules_missed=PAGES, generic=PAGES)

    after = relearn_if_needed(engine, redesigned, report, settings=SETTINGS)
    assert (after.relearned, after.template_version) == (True, 1)
    again = relearn_if_needed(engine, redesigned, report, settings=SETTINGS)
    assert (again.relearned, again.template_version) == (False, 1)  # nothing new learned
    healthy = relearn_if_needed(engine, redesigned, QualityReport(fetched=PAGES,
                                                                  articles=PAGES),
                                settings=SETTINGS)
    assert (healthy.relearned, healthy.template_version) == (False, 1)

    extract_step(engine, redesigned, settings=SETTINGS)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT extractor, flags FROM articles")).all()
    assert {r.extractor for r in rows} == {"provnews-template"}
    assert all("rules_missed" in r.flags for r in rows)  # the rules still miss: it shows
