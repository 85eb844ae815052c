"""The provnews page as an operator meets it: a real ``airflow api-server`` (SimpleAuthManager)
in a temporary AIRFLOW_HOME over a warehouse holding a known replica crawl, the plugin's
endpoints refused without a login, and a real Chromium (Playwright) that logs in, opens the
page in the Airflow UI and checks the replica's numbers, a site's chart, an article and its
duplicate cluster, saving screenshots.

No Chromium (or no Playwright) skips the browser test, unless ``PROVNEWS_REQUIRE_BROWSER=1``
(CI) turns that into a failure. ``PROVNEWS_CHROMIUM`` names the browser binary;
``PROVNEWS_SCREENSHOTS=DIR`` also saves the screenshots there (``docs`` for the README).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from replica.data import dataset
from scrapers.schedule import airflow_conn_uri
from scrapers.settings import REPO_ROOT
from tests import airflow_support, ui_support

pytestmark = pytest.mark.airflow
PASSWORD = "provnews-test-password"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
START_TIMEOUT_S = 180  # a loaded 2-core CI machine starts it in well under that


def chromium() -> str:
    """The browser binary, or skip (fail when PROVNEWS_REQUIRE_BROWSER=1) saying why not."""
    path = os.environ.get("PROVNEWS_CHROMIUM") or next(
        (p for p in map(shutil.which, BROWSERS) if p), None)
    problem = None
    if path is None:
        problem = "no Chromium found (apt-get install chromium, or set PROVNEWS_CHROMIUM)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "Playwright is not installed (pip install -r requirements-dev.txt)"
    if problem is None:
        return path
    if os.environ.get("PROVNEWS_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser test required (PROVNEWS_REQUIRE_BROWSER=1): {problem}")
    pytest.skip(problem)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def warehouse(pg_admin_url: str, template_db: str):
    with ui_support.loaded_warehouse(pg_admin_url, template_db) as loaded:
        yield loaded


@pytest.fixture(scope="module")
def api_server(tmp_path_factory, warehouse) -> Iterator[str]:
    """``airflow api-server`` with the plugin, the warehouse Connection and today pinned to
    the replica's last day; yields its base URL."""
    home = tmp_path_factory.mktemp("airflow-ui")
    passwords = home / "passwords.json"
    passwords.write_text(json.dumps({"admin": PASSWORD}))
    port = free_port()
    env = {**os.environ, **airflow_support.BASE_ENV,
           "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
           "AIRFLOW_HOME": str(home),
           "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home}/airflow.db",
           "AIRFLOW__API__PORT": str(port),
           "AIRFLOW__API__BASE_URL": f"http://127.0.0.1:{port}",
           "AIRFLOW__API_AUTH__JWT_SECRET": "provnews-ui-test-secret",
           "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": "admin:admin",
           "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(passwords),
           "AIRFLOW_CONN_PROVNEWS_DB": airflow_conn_uri(warehouse[0]),
           "NEWS_UI_TODAY": ui_support.TODAY.isoformat()}
    migrated = subprocess.run(["airflow", "db", "migrate"], env=env, cwd=home,
                              capture_output=True, text=True, timeout=180)
    assert migrated.returncode == 0, migrated.stderr[-2000:]
    log = home / "api-server.log"
    proc = subprocess.Popen(["airflow", "api-server"], env=env, cwd=REPO_ROOT,
                            start_new_session=True, stdout=log.open("w"),
                            stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                if requests.get(f"{base}/api/v2/monitor/health", timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(0.5)
        yield base
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def token(base: str) -> str:
    resp = requests.post(f"{base}/auth/token", json={"username": "admin", "password": PASSWORD},
                         timeout=10)
    resp.raise_for_status()
    return resp.json()["access_token"]


def test_plugin_endpoints_refuse_requests_without_a_valid_login(api_server: str):
    base, good = api_server, {"Authorization": f"Bearer {token(api_server)}"}
    paths = ["/provnews/", "/provnews/sites/baothanhhoa", "/provnews/coverage",
             "/provnews/articles", "/provnews/articles/1", "/provnews/static/provnews.css"]
    for path in paths:
        assert requests.get(base + path, timeout=10).status_code == 401, path
        bad = requests.get(base + path, headers={"Authorization": "Bearer nonsense"}, timeout=10)
        assert bad.status_code == 403, path
    for path in paths[:4] + paths[5:]:
        assert requests.get(base + path, headers=good, timeout=30).status_code == 200, path
    cookie = requests.get(base + "/provnews/", cookies={"_token": token(base)}, timeout=30)
    assert cookie.status_code == 200 and "baothanhhoa" in cookie.text
    for path in ("/provnews/docs", "/provnews/openapi.json"):
        assert requests.get(base + path, headers=good, timeout=10).status_code == 404, path


def shoot(page, name: str, tmp_path: Path) -> None:
    page.screenshot(path=str(tmp_path / name))
    if folder := os.environ.get("PROVNEWS_SCREENSHOTS"):
        target = REPO_ROOT / folder if not Path(folder).is_absolute() else Path(folder)
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(tmp_path / name, target / name)


def test_an_operator_logs_in_and_reads_the_provnews_page(api_server: str, warehouse,
                                                         tmp_path: Path):
    browser_path = chromium()
    from playwright.sync_api import expect, sync_playwright

    copy_id, xss_id = warehouse[2]["copy"], warehouse[2]["xss"]
    dialogs: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=browser_path, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1500, "height": 950})
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(f"{api_server}/auth/login")
        page.fill("input[name=username]", "admin")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(lambda url: "/auth/login" not in url)

        page.goto(f"{api_server}/plugin/provnews")
        frame = page.frame_locator("iframe")
        sites = frame.locator("table#sites")
        expect(sites).to_be_visible(timeout=30_000)
        for slug, site in (("baothanhhoa", dataset("baothanhhoa")),
                           ("phunuvietnam", ui_support.syndicated())):
            row = sites.locator(f"tr[data-site={slug}]")
            expect(row.locator("td[data-col=last7]")).to_have_text(
                str(ui_support.expected_counts(site, 7)))
            expect(row.locator("td[data-col=last30]")).to_have_text(
                str(ui_support.expected_counts(site, 30)))
        expect(frame.locator("ul.alerts")).to_contain_text(ui_support.ALERT)
        shoot(page, "provnews-sites.png", tmp_path)

        # sortable: the second click on "30 d" sorts descending, the busiest site first
        header = sites.locator("th", has_text="30 d")
        header.click()
        header.click()
        expect(sites.locator("tbody tr").first).to_have_attribute("data-site", "phunuvietnam")
        frame.locator("#site-search").fill("thanh hoa")  # accents ignored
        expect(sites.locator("tbody tr:visible")).to_have_count(1)

        sites.locator("tr[data-site=baothanhhoa] a").first.click()
        chart = frame.locator("svg[data-chart=articles]")
        expect(chart).to_be_visible()
        expect(chart.locator("rect")).to_have_count(90)
        december = len(ui_support.december(dataset("baothanhhoa")))
        shown = int(frame.locator("[data-total=articles]").inner_text())
        assert shown >= december
        expect(frame.locator("svg[data-chart=outcomes] rect").first).to_be_visible()
        shoot(page, "provnews-site.png", tmp_path)

        iframe = page.locator("iframe").element_handle().content_frame()
        iframe.goto(f"{api_server}/provnews/articles/{copy_id}")
        cluster = frame.locator("#cluster tr[data-copy]")
        expect(cluster).to_have_count(2)
        expect(frame.locator("#article-body p").first).to_be_visible()
        shoot(page, "provnews-article.png", tmp_path)
        cluster.first.locator("a").click()  # the canonical copy, on baothanhhoa
        expect(frame.locator("table.meta")).to_contain_text("baothanhhoa")

        iframe.goto(f"{api_server}/provnews/articles/{xss_id}")
        expect(frame.locator("#article-title")).to_have_text(ui_support.XSS_TITLE)
        iframe.goto(f"{api_server}/provnews/coverage?site=baothanhhoa&days=120")
        expect(frame.locator("svg[data-calendar=baothanhhoa] rect[data-state=harvested]")
               ).to_have_count(31)
        shoot(page, "provnews-coverage.png", tmp_path)
        browser.close()
    assert dialogs == [], "a script from article text ran"
