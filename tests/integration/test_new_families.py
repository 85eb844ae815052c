"""The three newer CMS families end to end from their minimal site files (base URL and
province only): the probe finds exactly what each site announces, the first crawl of an
interval finds its articles, and a second crawl of it changes nothing."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from sqlalchemy import text

from replica.data import dataset
from replica.families import FAMILY_SITES, MINIMAL_SITE_YAML, announced_endpoints
from replica.server import ReplicaServer
from scrapers.pipeline import RunOptions, RunWindow, crawl
from scrapers.probe import ProbeReport
from scrapers.registry import Site, load_site
from scrapers.steps.probe import probe_url
from scrapers.store.sources import sync_sources
from tests.crawlutil import MIN_DELAY, fast_settings, local

START, END = local(2025, 3, 1), local(2025, 5, 1)
TABLES = ["urls", "url_variants", "endpoints", "endpoint_items", "pages", "articles",
          "article_versions", "source_probes"]


def minimal_site(tmp_path: Path, slug: str) -> Site:
    """The family's minimal site file in a temporary sites directory, paced for tests."""
    path = tmp_path / "sites" / f"{slug}.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(yaml.safe_dump(MINIMAL_SITE_YAML[slug], allow_unicode=True),
                    encoding="utf-8")
    return load_site(path).model_copy(update={"min_delay": MIN_DELAY})


def assert_probe_matches_announced(report: ProbeReport, slug: str) -> None:
    truth = announced_endpoints(slug)
    announced = {(e["kind"], e["url"]): e for e in truth["endpoints"] if e["found_in"]}
    found = {(f.endpoint.kind, f.endpoint.url): f for f in report.findings}
    assert set(found) == set(announced)
    for key, e in announced.items():
        f = found[key]
        assert [str(w) for w in f.found_in] == e["found_in"], key
        if e["kind"] == "listing":
            assert (f.endpoint.pagination, str(f.paging)) == (e["pagination"], e["paging"])
        if e["kind"] == "sitemap_index":
            months = re.compile(f.endpoint.month_pattern or "")
            for child in e["sitemaps"]:
                m = months.search(child)
                assert m and f"{m['year']}-{m['month']}" in child, child
    assert report.crawl_delay == truth["crawl_delay"]
    pattern = re.compile(report.pattern.regex)
    site = dataset(slug)
    assert all(pattern.search(a.url) for a in site.articles if a.crawlable)
    not_articles = [site.base_url + "/", *(u for e in announced.values() for u in (
        e["url"], (e.get("pagination") or "").format(page=2), *e.get("sitemaps", [])[:3]) if u)]
    assert not any(pattern.search(u) for u in not_articles)


@pytest.mark.parametrize("slug", FAMILY_SITES)
def test_probe_reports_what_the_family_announces(slug):
    with ReplicaServer(slug) as server:
        report = probe_url(dataset(slug).base_url, settings=fast_settings(),
                           mirror=server.base_url)
    assert report.outcome == "found" and report.confidence == "high", report.summary()
    assert_probe_matches_announced(report, slug)
    assert report.identity is not None
    minimal = MINIMAL_SITE_YAML[slug]
    assert (report.identity.slug, report.identity.name, report.identity.province) == (
        minimal["slug"], minimal["name"], minimal["province"])


def _snapshot(engine, *, content: bool) -> dict[str, object]:
    """Row counts of the crawl's tables; with ``content`` also what the articles say."""
    tables = TABLES if content else [t for t in TABLES if t != "article_versions"]
    with engine.connect() as conn:
        out: dict[str, object] = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar()
                                  for t in tables}
        out["probed_at"] = conn.execute(text("SELECT max(probed_at) FROM source_probes")
                                        ).scalar()
        if content:
            out["articles"] = conn.execute(text(
                "SELECT md5(string_agg(concat_ws('|', url, title, body_sha256, published_at,"
                " extractor_version), ',' ORDER BY url)) FROM articles")).scalar()
    return out


def _f1(got: str, expected: str) -> float:
    g, e = Counter(re.findall(r"\w+", got.lower())), Counter(re.findall(r"\w+", expected.lower()))
    common = sum((g & e).values())
    return 2 * common / (sum(g.values()) + sum(e.values())) if common else 0.0


@pytest.mark.parametrize("slug", FAMILY_SITES)
def test_crawl_from_the_minimal_site_file(engine, tmp_path, slug):
    """First crawl: probe, harvest, learn the site's template and read the pages with it.
    Second and third: no row changes at all."""
    site = minimal_site(tmp_path, slug)
    sync_sources(engine, {slug: site})
    window = RunWindow(START, END, timedelta(hours=6))
    settings = fast_settings()
    with ReplicaServer(slug) as server:
        def run():
            return crawl(engine, site, window, settings=settings,
                         options=RunOptions(base_url=server.base_url))

        first = run()
        settled = _snapshot(engine, content=True)
        second = run()
        assert _snapshot(engine, content=True) == settled
        third = run()
        assert _snapshot(engine, content=True) == settled
    assert second.discovered == second.fetched == second.new_articles == 0
    assert third.discovered == third.fetched == third.new_articles == third.updated == 0

    truth = {a.url: a for a in dataset(slug).articles_between(START, END) if a.crawlable}
    with engine.connect() as conn:
        got = {r.url: r for r in conn.execute(text(
            "SELECT url, title, body, published_at, extractor FROM articles"))}
        stored = conn.execute(text(
            "SELECT kind, url, evidence FROM endpoints WHERE origin = 'probed'"
            " AND parent_id IS NULL ORDER BY id")).all()
    found = [u for u in truth if u in got]
    recall = len(found) / len(truth)
    titles = sum(got[u].title == truth[u].title for u in found) / len(found)
    dates = sum(got[u].published_at == truth[u].published_at for u in found) / len(found)
    body = sum(_f1(got[u].body, truth[u].text) for u in found) / len(found)
    extractors = Counter(got[u].extractor for u in found)
    print(f"\n{slug}: recall {len(found)}/{len(truth)} = {recall:.3f} ({len(got)} articles "
          f"stored); titles exact {titles:.3f}, dates exact {dates:.3f}, body F1 {body:.4f} "
          f"by {dict(extractors)}; first run {first}")
    assert recall >= 0.98
    assert titles == 1.0 and dates == 1.0 and body >= 0.97
    announced = {(e["kind"], e["url"]) for e in announced_endpoints(slug)["endpoints"]
                 if e["found_in"]}
    assert {(r.kind, r.url) for r in stored} == announced
    assert all(r.evidence["found_in"] and r.evidence["confidence"] for r in stored)
