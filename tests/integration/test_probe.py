"""Probing against real HTTP servers and a real PostgreSQL: one-line reports for sites
that block us or offer nothing, `provnews sites probe [--write]`, `provnews sites`, and when
a run probes (first run, weekly, after an endpoint keeps failing) while hand rules win."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
import yaml
from sqlalchemy import text

from replica.families import MINIMAL_SITE_YAML
from replica.server import ReplicaServer
from scrapers.cli import main
from scrapers.probe import Outcome
from scrapers.registry import Endpoint, ListingRules, Site, load_site
from scrapers.settings import get_settings
from scrapers.steps.probe import probe_step, probe_url, probed_site
from scrapers.store import probes
from scrapers.store.sources import source_id
from tests.crawlutil import MIN_DELAY, fast_settings
from tests.httpserver import LocalServer

DUE = {"max_age": timedelta(days=7), "retry_after": timedelta(days=1)}
HOME = "<html><head><title>Báo X</title></head><body><p>Trang đang bảo trì.</p></body></html>"


@pytest.fixture
def local() -> Iterator[LocalServer]:
    srv = LocalServer()
    yield srv
    srv.close()


def test_a_site_whose_robots_txt_forbids_us_gets_one_line(local):
    local.static("/robots.txt", "User-agent: *\nDisallow: /\n", headers={
        "Content-Type": "text/plain"})
    report = probe_url("https://blocked.example", settings=fast_settings(), mirror=local.base)
    assert report.outcome is Outcome.BLOCKED
    assert report.summary() == ("https://blocked.example: blocked: robots.txt disallows the "
                                "homepage for provnews")
    assert set(local.paths()) == {"/robots.txt"}  # nothing else was asked


def test_a_site_with_no_feed_sitemap_or_listing_gets_one_line(local):
    local.static("/", HOME)
    report = probe_url("https://empty.example", settings=fast_settings(), mirror=local.base)
    assert report.outcome is Outcome.NOTHING_FOUND and "\n" not in report.summary()
    assert report.summary().startswith("https://empty.example: nothing_found: no feed")


def test_a_homepage_that_fails_is_unreachable(local):
    local.static("/", "gone", status=410)
    report = probe_url("https://down.example", settings=fast_settings(), mirror=local.base)
    assert report.outcome is Outcome.UNREACHABLE and "410" in report.reason


@pytest.fixture
def cli_env(monkeypatch, tmp_path):
    sites = tmp_path / "sites"
    sites.mkdir()
    monkeypatch.setenv("NEWS_SITES_DIR", str(sites))
    monkeypatch.setenv("NEWS_DEFAULT_MIN_DELAY", str(MIN_DELAY))
    get_settings.cache_clear()
    yield sites
    get_settings.cache_clear()


def test_sites_probe_prints_a_draft_and_writes_it(cli_env, capsys):
    with ReplicaServer("baolangson") as server:
        code = main(["sites", "probe", "baolangson.vn", "--base-url", server.base_url,
                     "--write"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "found 1 sitemap_index, 3 listing" in err and "wrote" in err
    site = load_site(cli_env / "baolangson.yaml")
    assert yaml.safe_load(out)["endpoints"] == yaml.safe_load(
        (cli_env / "baolangson.yaml").read_text(encoding="utf-8"))["endpoints"]
    assert (site.name, site.province, site.listing.item) == ("Báo Lạng Sơn", "lang-son",
                                                              "td.NewsItem")
    assert [e.kind for e in site.endpoints] == ["sitemap_index", *["listing"] * 3]


def test_sites_probe_keeps_a_minimal_file_s_names_and_never_overwrites_rules(cli_env, capsys):
    minimal = {**MINIMAL_SITE_YAML["baonghean"], "name": "Báo Nghệ An điện tử"}
    (cli_env / "baonghean.yaml").write_text(yaml.safe_dump(minimal, allow_unicode=True),
                                            encoding="utf-8")
    with ReplicaServer("baonghean") as server:
        assert main(["sites", "probe", "https://baonghean.vn", "--base-url",
                     server.base_url, "--write"]) == 0
        assert load_site(cli_env / "baonghean.yaml").name == "Báo Nghệ An điện tử"
        before = (cli_env / "baonghean.yaml").read_text(encoding="utf-8")
        assert main(["sites", "probe", "https://baonghean.vn", "--base-url",
                     server.base_url, "--write"]) == 2
    assert "has hand-written keys" in capsys.readouterr().err
    assert (cli_env / "baonghean.yaml").read_text(encoding="utf-8") == before


def test_sites_probe_of_a_blocked_site_prints_one_line(cli_env, local, capsys):
    local.static("/robots.txt", "User-agent: *\nDisallow: /\n")
    assert main(["sites", "probe", "https://blocked.example", "--base-url", local.base]) == 1
    out = capsys.readouterr().out
    assert out.splitlines() == ["https://blocked.example: blocked: robots.txt disallows the "
                                "homepage for provnews"]


def _site(slug: str, **extra) -> Site:
    return Site.model_validate({**MINIMAL_SITE_YAML[slug], **extra, "min_delay": MIN_DELAY})


def test_a_run_probes_once_then_weekly_or_when_an_endpoint_keeps_failing(engine):
    site, settings = _site("baodanang"), fast_settings()
    sid = source_id(engine, site.slug)
    with ReplicaServer("baodanang") as server:
        filled = probe_step(engine, site, settings=settings, base_url=server.base_url)
        assert filled.article_url_pattern and len(filled.endpoints) == 4
        assert filled.listing is not None and filled.listing.item == "article.post"
        server.clear_log()
        assert probe_step(engine, site, settings=settings, base_url=server.base_url) == filled
        assert server.requests == []  # not due: nothing asked
        assert probed_site(engine, site) == filled  # what later stages (tasks) see
    assert probes.probe_due(engine, sid, **DUE, failing_runs=3) is None
    with engine.begin() as conn:
        feed = conn.execute(text("SELECT id FROM endpoints WHERE source_id = :s AND kind = "
                                 "'feed'"), {"s": sid}).scalar_one()
        for n in range(3):
            run = conn.execute(text(
                "INSERT INTO crawl_runs (source_id, run_key) VALUES (:s, :k) RETURNING id"),
                {"s": sid, "k": f"r{n}"}).scalar_one()
            conn.execute(text(
                "INSERT INTO fetches (source_id, endpoint_id, run_id, requested_url, status,"
                " outcome, error_kind) VALUES (:s, :e, :r, 'https://baodanang.vn/feed/', 404,"
                " 'error', 'http_4xx')"), {"s": sid, "e": feed, "r": run})
    reason = probes.probe_due(engine, sid, **DUE, failing_runs=3)
    assert reason == "https://baodanang.vn/feed/ answered 404/410 on 3 runs in a row"
    assert probes.probe_due(engine, sid, **DUE, failing_runs=4) is None
    with engine.begin() as conn:
        conn.execute(text("UPDATE source_probes SET probed_at = probed_at - interval '8 days'"))
    assert probes.probe_due(engine, sid, **DUE, failing_runs=4
                            ) == "last probe 8 day(s) ago"


def test_hand_written_keys_win_over_probed_ones(engine):
    hand = [Endpoint(kind="listing", url="/category/kinh-te/",
                     pagination="/category/kinh-te/page/{page}/")]
    rules = ListingRules(item="article", link="h2 a[href]")
    site = _site("baodanang", endpoints=[e.model_dump() for e in hand],
                 listing=rules.model_dump())
    with ReplicaServer("baodanang") as server:
        filled = probe_step(engine, site, settings=fast_settings(), base_url=server.base_url)
    assert filled.endpoints == hand and filled.listing == rules
    assert filled.article_url_pattern is not None  # the one thing the file left out
    full = _site("baodanang", endpoints=[e.model_dump() for e in hand],
                 article_url_pattern=r"^https://baodanang\.vn/")
    assert probe_step(engine, full, settings=fast_settings()) is full  # nothing to probe


def test_sites_lists_every_site_with_its_province_endpoints_and_last_probe(
        engine, db_url, monkeypatch, capsys):
    with ReplicaServer("baonghean") as server:
        probe_step(engine, _site("baonghean"), settings=fast_settings(),
                   base_url=server.base_url)
    monkeypatch.setenv("NEWS_DB_URL", db_url)
    get_settings.cache_clear()
    try:
        assert main(["sites"]) == 0
    finally:
        get_settings.cache_clear()
    header, *lines = capsys.readouterr().out.splitlines()
    assert header.split()[:4] == ["site", "province", "base", "url"]
    rows = {line.split()[0]: line.split() for line in lines}
    assert len(rows) == 35
    assert rows["baonghean"][1:5] == ["nghe-an", "https://baonghean.vn", "3", "probed"]
    probed_on = datetime.strptime(" ".join(rows["baonghean"][5:7]), "%Y-%m-%d %H:%M")
    assert abs(probed_on - datetime.now()) < timedelta(days=1)
    assert rows["baonghean"][7] == "found"
    assert rows["baothanhhoa"][3:5] == ["6", "hand"]
    assert rows["sggp"][1:6] == ["ho-chi-minh", "https://sggp.org.vn", "to", "probe", "never"]
    assert rows["phunuvietnam"][1] == "-"
