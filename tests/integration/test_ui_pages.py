"""The provnews page's app against a real warehouse holding a known replica crawl: the
numbers each page shows, the filters, escaping, and that nothing answers without a user."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

import lxml.html
import pytest
from sqlalchemy import Engine, text

from replica.data import dataset
from scrapers.schedule import airflow_conn_uri
from tests import (
    airflow_support,  # noqa: F401  (configures Airflow before its first import)
    ui_support,
)
from tests.crawlutil import local

pytestmark = pytest.mark.airflow
PINNED = {"today": ui_support.TODAY.isoformat()}


@pytest.fixture(scope="module")
def warehouse(pg_admin_url: str, template_db: str) -> Iterator[tuple[str, Engine, dict]]:
    with ui_support.loaded_warehouse(pg_admin_url, template_db) as loaded:
        yield loaded


@pytest.fixture(scope="module")
def app(warehouse):
    """The plugin's app mounted as the API server mounts it, reading the warehouse through
    the Connection provnews_db as the tasks do."""
    from fastapi import FastAPI
    from provnews_ui_plugin import ProvnewsUIPlugin

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("AIRFLOW_CONN_PROVNEWS_DB", airflow_conn_uri(warehouse[0]))
        root = FastAPI()
        plugin_app = ProvnewsUIPlugin.fastapi_apps[0]
        root.mount(plugin_app["url_prefix"], plugin_app["app"])
        yield root


@pytest.fixture(scope="module")
def client(app):
    from airflow.api_fastapi.auth.managers.simple.user import SimpleAuthManagerUser
    from airflow.api_fastapi.core_api.security import get_user
    from fastapi.testclient import TestClient
    from provnews_ui_plugin import ProvnewsUIPlugin

    inner = ProvnewsUIPlugin.fastapi_apps[0]["app"].app
    viewer = SimpleAuthManagerUser(username="viewer", role="viewer")
    inner.dependency_overrides[get_user] = lambda: viewer
    with TestClient(app) as c:
        yield c
    inner.dependency_overrides.clear()


def html(client, path: str, **params) -> lxml.html.HtmlElement:
    resp = client.get(path, params=params)
    assert resp.status_code == 200, resp.text[:500]
    assert resp.headers["content-type"].startswith("text/html")
    return lxml.html.fromstring(resp.text)


def cell(tree, site: str, col: str) -> str:
    [td] = tree.xpath(f'//tr[@data-site="{site}"]/td[@data-col="{col}"]')
    return " ".join(td.text_content().split())


def test_overview_shows_each_sites_articles_against_the_replica(client):
    tree = html(client, "/provnews/", **PINNED)
    sites = tree.xpath("//table[@id='sites']/tbody/tr/@data-site")
    assert {"baothanhhoa", "phunuvietnam", "baophutho", "baoquangngai"} <= set(sites)
    for slug, site in (("baothanhhoa", dataset("baothanhhoa")),
                       ("phunuvietnam", ui_support.syndicated())):
        assert cell(tree, slug, "last7") == str(ui_support.expected_counts(site, 7))
        assert cell(tree, slug, "last30") == str(ui_support.expected_counts(site, 30))
        assert cell(tree, slug, "extractor") == "hand rules"
        assert cell(tree, slug, "failed") == "0% of " + cell(tree, slug, "failed").split()[-1]
        assert cell(tree, slug, "last_run").startswith("success")
    assert cell(tree, "baophutho", "last30") == "0"
    assert cell(tree, "baophutho", "alerts") == "1"
    assert ui_support.ALERT in tree.xpath("string(//ul[@class='alerts'])")
    assert tree.xpath("//tr[@data-site='baophutho']//span[contains(@class,'status')]/text()"
                      )[0] == "alert"


def test_today_is_now_unless_pinned(client, monkeypatch):
    from scrapers.settings import get_settings

    tree = html(client, "/provnews/")  # the real today: the replica's December is long gone
    assert cell(tree, "baothanhhoa", "last7") == "0"
    monkeypatch.setenv("NEWS_UI_TODAY", ui_support.TODAY.isoformat())
    get_settings.cache_clear()
    try:
        tree = html(client, "/provnews/")
    finally:
        monkeypatch.delenv("NEWS_UI_TODAY")
        get_settings.cache_clear()
    site = dataset("baothanhhoa")
    assert cell(tree, "baothanhhoa", "last7") == str(ui_support.expected_counts(site, 7))
    assert client.get("/provnews/", params={"today": "yesterday"}).status_code == 400


def test_site_page_charts_articles_per_day_and_fetch_outcomes(client, warehouse):
    engine = warehouse[1]
    tree = html(client, "/provnews/sites/baothanhhoa", **PINNED)
    bars = {r.get("data-key"): int(r.get("data-value"))
            for r in tree.xpath("//svg[@data-chart='articles']/rect")}
    assert len(bars) == 90 and max(bars) == "2025-12-31"
    with engine.connect() as conn:
        per_day = dict(conn.execute(text(
            "SELECT published_day::text, count(*) FROM articles a JOIN sources s"
            " ON s.id = a.source_id WHERE s.slug = 'baothanhhoa' GROUP BY 1")).all())
    assert {d: n for d, n in bars.items() if n} == {d: n for d, n in per_day.items()
                                                    if d >= min(bars)}
    want = len(ui_support.december(dataset("baothanhhoa")))
    assert int(tree.xpath("string(//*[@data-total='articles'])")) >= want
    assert tree.xpath("//svg[@data-chart='articles']/polyline[@class='median']")
    outcomes = tree.xpath("//svg[@data-chart='outcomes']/rect/@data-key")
    assert any(k.endswith(" ok") for k in outcomes)
    runs = tree.xpath("//table[contains(@class,'runs')]/tbody/tr")
    assert len(runs) == 2  # December, and the refetch of one day
    assert "success" in runs[0].text_content()
    endpoints = tree.xpath("//table[contains(@class,'endpoints')]/tbody/tr")
    sitemap = next(e for e in endpoints if e.text_content().strip().startswith("sitemap_index"))
    assert "/sitemap.xml" in sitemap.text_content()
    assert "hand-written" in sitemap.text_content()  # named by the site file, not probed
    assert client.get("/provnews/sites/nosuchsite").status_code == 404


def test_coverage_calendar_and_gap_commands(client):
    tree = html(client, "/provnews/coverage", site="baothanhhoa", days=60, **PINNED)
    states = {r.get("data-day"): r.get("data-state")
              for r in tree.xpath("//svg[@data-calendar='baothanhhoa']/rect")}
    assert len(states) == 60
    assert all(states[f"2025-12-{d:02d}"] == "harvested" for d in range(1, 32))
    assert states["2025-11-30"] == "never"
    commands = tree.xpath("//code[@class='command']/text()")
    assert commands == ["airflow backfill create --dag-id harvest_baothanhhoa"
                        " --from-date 2025-11-02 --to-date 2025-11-30"]
    assert tree.xpath("//tr[@data-gap]//a[@target='_top']/@href") == ["/dags/harvest_baothanhhoa"]


def test_article_browser_filters(client, warehouse):
    engine = warehouse[1]

    def found(**params) -> dict[str, str]:
        """{article id: site} of the rows found."""
        rows = html(client, "/provnews/articles", **params).xpath("//tr[@data-article]")
        return {r.get("data-article"): r.xpath("string(td[2])") for r in rows}

    def count(where: str) -> int:
        with engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM articles a JOIN sources s"
                                     f" ON s.id = a.source_id WHERE {where}")).scalar_one()

    assert len(found()) == min(count("true"), 50)
    thanhhoa = found(site="baothanhhoa")
    assert thanhhoa and set(thanhhoa.values()) == {"baothanhhoa"}
    assert found(province="thanh-hoa") == thanhhoa
    one_day = found(site="baothanhhoa", **{"from": "2025-12-10", "to": "2025-12-10"})
    assert len(one_day) == count("s.slug = 'baothanhhoa' AND published_day = '2025-12-10'")
    assert len(found(q="script")) == 1
    assert found(q="_") == {}  # a character, not a wildcard
    assert client.get("/provnews/articles", params={"from": "soon"}).status_code == 400


def test_article_shows_text_flags_cluster_and_versions(client, warehouse):
    copy, edited = warehouse[2]["copy"], warehouse[2]["edited"]
    tree = html(client, f"/provnews/articles/{copy}")
    copies = tree.xpath("//section[@id='cluster']//tr/@data-copy")
    assert len(copies) == 2 and str(copy) in copies
    assert tree.xpath("//section[@id='cluster']//tr[1]/td[1]/text()")[0].startswith("canonical")
    assert "hand rules" in tree.xpath("string(//*[@id='extractor'])")
    assert tree.xpath("//*[@id='article-body']/p")

    tree = html(client, f"/provnews/articles/{edited}")
    assert ui_support.UPDATE in tree.xpath("string(//*[@id='article-body'])")
    [version] = tree.xpath("//section[@id='versions']/details")
    assert ui_support.UPDATE not in version.text_content()
    assert client.get("/provnews/articles/999999999").status_code == 404


def test_article_text_from_the_internet_is_escaped(client, warehouse):
    xss = warehouse[2]["xss"]
    for path, params in ((f"/provnews/articles/{xss}", {}),
                         ("/provnews/articles", {"q": "script"})):
        body = client.get(path, params=params).text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
        assert ui_support.XSS_TITLE not in body
        assert lxml.html.fromstring(body).xpath("//script[not(@src)]") == []
    resp = client.get(f"/provnews/articles/{xss}")
    assert "script-src 'self'" in resp.headers["content-security-policy"]


def test_no_docs_and_only_listed_static_files(client):
    for path in ("/provnews/docs", "/provnews/openapi.json", "/provnews/redoc",
                 "/provnews/static/../app.py", "/provnews/static/app.py"):
        assert client.get(path).status_code == 404, path
    css = client.get("/provnews/static/provnews.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")


def test_every_page_needs_a_user(app, client):
    from fastapi.testclient import TestClient
    from provnews_ui_plugin import ProvnewsUIPlugin

    overrides = ProvnewsUIPlugin.fastapi_apps[0]["app"].app.dependency_overrides
    saved = dict(overrides)
    overrides.clear()  # Airflow's own get_user: no Bearer token, no _token cookie
    try:
        with TestClient(app) as anonymous:
            for path in ("/provnews/", "/provnews/sites/baothanhhoa", "/provnews/coverage",
                         "/provnews/articles", "/provnews/articles/1",
                         "/provnews/static/provnews.js"):
                assert anonymous.get(path).status_code == 401, path
    finally:
        overrides.update(saved)


def test_coverage_of_hourly_and_partial_runs():
    from provnews_ui.coverage import DayState, day_states, gaps

    def run(start: datetime, hours: int, status: str = "success") -> dict:
        return {"interval_start": start, "interval_end": start + timedelta(hours=hours),
                "status": status}

    d1 = local(2025, 12, 1)
    runs = [run(d1.replace(hour=h), 1) for h in range(24)]  # a whole day of hourly runs
    runs += [run(local(2025, 12, 2).replace(hour=h), 1) for h in range(23)]
    runs += [run(local(2025, 12, 3), 24, "partial")]
    states = day_states(runs, date(2025, 11, 30), date(2025, 12, 4))
    assert [states[date(2025, 12, d)] for d in (1, 2, 3, 4)] == [
        DayState.HARVESTED, DayState.PARTIAL, DayState.PARTIAL, DayState.NEVER]
    assert [(g.first.day, g.last.day, g.state) for g in gaps(states)] == [
        (30, 30, DayState.NEVER), (2, 3, DayState.PARTIAL), (4, 4, DayState.NEVER)]


def test_a_learned_template_in_use_shows_its_age(client, warehouse):
    engine = warehouse[1]
    learned = local(2025, 12, 28) + timedelta(hours=9)
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO site_templates (source_id, version, learned_at, pages_used, selectors,"
            " fingerprint, active) SELECT id, 1, :at, 40, '{}', 'f', true FROM sources"
            " WHERE slug = 'baoquangngai'"), {"at": learned})
    try:
        tree = html(client, "/provnews/", **PINNED)
        assert "template 3 d old" in cell(tree, "baoquangngai", "extractor")
    finally:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM site_templates"))
