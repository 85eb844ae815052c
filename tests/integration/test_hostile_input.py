"""Hostile input: each case runs a real ``provnews`` command in a subprocess whose peak
memory (its own ``ru_maxrss``, see tests/peakmem.py) and exit status the test checks.

Served from 127.0.0.1 as the baothanhhoa site (``--base-url``): pages of malformed HTML
and 200,000 nested elements (extraction), 50 MB bodies and gzip bombs, an endless redirect
chain, binary content labelled text/html; and from the replica, listings that never end
(session ids and calendar dates in the URLs). Each gives a recorded error or a bounded
result, never a crash, a hang or unbounded memory.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from replica.server import ReplicaServer
from scrapers.settings import REPO_ROOT
from tests.httpserver import Handler, LocalServer, tiny_png
from tests.subprocs import fast_sites_dir, provnews, provnews_env, queue

SLUG = "baothanhhoa"
HOST = "https://baothanhhoa.vn"
PEAK_MB = 500
TIMEOUT_S = 240
NESTED = 200_000


@dataclass
class Measured:
    returncode: int
    peak_mb: float
    output: str


def run_measured(args: list[str], env: dict[str, str]) -> Measured:
    """Run to the end (killed past TIMEOUT_S: a hang), with the command's own peak RSS
    (tests/peakmem.py starts it, so that this process's size does not count)."""
    log, report = Path(env["PN_LOG"]), Path(env["PN_LOG"] + ".json")
    report.unlink(missing_ok=True)
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "tests.peakmem", str(report), *args],
                                env=env, cwd=REPO_ROOT, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        proc.wait(TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        pytest.fail(f"{' '.join(args[1:3])} hung for {TIMEOUT_S} s")
    measured = json.loads(report.read_text(encoding="utf-8"))
    return Measured(measured["rc"], measured["peak_kb"] / 1024,
                    log.read_text(encoding="utf-8", errors="replace"))


@pytest.fixture
def site_server():
    srv = LocalServer()
    srv.static("/robots.txt", "User-agent: *\nAllow: /\n", headers={"Content-Type": "text/plain"})
    yield srv
    srv.close()


@pytest.fixture
def env(db_url, tmp_path):
    return provnews_env(db_url, fast_sites_dir(tmp_path, 0.01), NEWS_MAX_RETRIES="0",
                        PN_LOG=str(tmp_path / "out.log"))


def _rows(db_url: str, sql: str) -> dict:
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            return {r[0]: r[1:] for r in conn.execute(text(sql))}
    finally:
        engine.dispose()


def _check(m: Measured, what: str) -> None:
    print(f"{what}: exit {m.returncode}, peak {m.peak_mb:.0f} MB")
    assert m.returncode == 0, m.output[-3000:]
    assert m.peak_mb < PEAK_MB
    assert "Traceback" not in m.output, m.output[-3000:]


# --- extraction ---------------------------------------------------------------------------

def _page(body: str, title: str = "Tin thử") -> bytes:
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head>'
            f'<body><h1 class="article__title">{title}</h1>{body}</body></html>').encode()


PARA = "<p>Hợp tác xã nông nghiệp ở Thanh Hóa phát triển mạnh, người dân có thu nhập.</p>"
HOSTILE_PAGES = {
    # 200,000 nested elements, inside the site's body container and outside of it
    "/long-nested-900001.htm": _page('<div id="dcontent">' + "<div>" * NESTED + PARA
                                     + "</div>" * NESTED + "</div>"),
    "/unclosed-nested-900002.htm": _page("<span><b><i>" * (NESTED // 3) + PARA),
    "/nested-tables-900003.htm": _page("<table><tr><td>" * (NESTED // 3) + PARA),
    # 200,000 siblings
    "/wide-900004.htm": _page('<div id="dcontent">' + PARA + "<p>là</p>" * NESTED + "</div>"),
    # malformed markup of every kind
    "/malformed-900005.htm": (
        b"<html><head><title>Tin <b>h\xe1\xbb\x8fng</title><meta charset=utf-8>"
        b"<body><div id=dcontent><p>M\xe1\xbb\x99t <p <p <<>>> '\"\" </div></div></div>"
        b"<p class='x\" onclick=alert(1)>" + b"&#0;&#xD800;&#99999999;&amp;&lt;" * 1000
        + b"<!-- unclosed comment <script>var a = '</script>" + b"<a href=" * 5000
        + PARA.encode() * 3 + b"</p></td></tr></table></html></html>"),
    "/only-garbage-tags-900006.htm": b"<" * 300_000 + b">" * 300_000,
}


NESTED_PAGES = [p for p in HOSTILE_PAGES if "nested" in p]


def test_malformed_and_huge_pages_through_the_pipeline_give_articles_or_recorded_errors(
        engine, db_url, site_server, env):
    for path, body in HOSTILE_PAGES.items():
        site_server.static(path, body)
    queue(engine, SLUG, [HOST + p for p in HOSTILE_PAGES])
    fetched = run_measured(provnews("fetch", SLUG, "--base-url", site_server.base), env)
    _check(fetched, "fetch of hostile HTML")
    extracted = run_measured(provnews("reextract", SLUG), env)
    _check(extracted, f"extract step over {len(HOSTILE_PAGES)} hostile pages")

    rows = _rows(db_url, "SELECT u.url, p.extracted_at IS NOT NULL, p.extract_error,"
                         " a.id IS NOT NULL, length(a.body) FROM urls u"
                         " LEFT JOIN pages p ON p.url_id = u.id"
                         " LEFT JOIN articles a ON a.url_id = u.id")
    assert set(rows) == {HOST + p for p in HOSTILE_PAGES}
    for url, (read, error, article, body_len) in rows.items():
        # every page was read: an article of bounded size, or the reason there is none
        assert read and (article or error), url
        assert body_len is None or body_len < 10 * 1024 * 1024
    # pages of 200,000 elements are refused before the extractor spends time on them
    for path in [*NESTED_PAGES, "/wide-900004.htm"]:
        assert "extract_max_elements" in (rows[HOST + path][1] or ""), path
    print({u.rsplit("/", 1)[1]: (e or "article")[:50] for u, (_, e, _, _) in rows.items()})


@pytest.mark.parametrize("path", [*NESTED_PAGES, "/malformed-900005.htm",
                                  "/only-garbage-tags-900006.htm"])
def test_the_extractor_itself_survives_deep_nesting_and_malformed_html(env, tmp_path, path):
    """``provnews extract FILE``: the extractor alone, without the step's element cap."""
    page = tmp_path / "page.html"
    page.write_bytes(HOSTILE_PAGES[path])
    m = run_measured(provnews("extract", str(page), "--url", HOST + path), env)
    print(f"extract {path}: exit {m.returncode}, peak {m.peak_mb:.0f} MB")
    # an article (exit 0) or a clean refusal ("provnews: error: ...", exit 2): no crash
    assert m.returncode in (0, 2), m.output[-3000:]
    assert m.peak_mb < PEAK_MB and "Traceback" not in m.output, m.output[-3000:]


# --- bodies -------------------------------------------------------------------------------

def _gzip_bomb(mb: int) -> bytes:
    """``mb`` MiB of zeros, gzip-compressed (about 1/1000 of that on the wire)."""
    z = zlib.compressobj(9, zlib.DEFLATED, 31)
    zero = bytes(1024 * 1024)
    return b"".join(z.compress(zero) for _ in range(mb)) + z.flush()


def _serve(status: int, body: bytes, headers: dict[str, str], *, declare: bool = True):
    def route(h: Handler) -> None:
        h.send_response(status)
        for name, value in headers.items():
            h.send_header(name, value)
        if declare:
            h.send_header("Content-Length", str(len(body)))
        else:
            h.send_header("Connection", "close")
            h.close_connection = True
        h.end_headers()
        try:
            for start in range(0, len(body), 1 << 20):
                h.wfile.write(body[start:start + (1 << 20)])
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading at its cap, as it should

    return route


def test_huge_bodies_bombs_redirect_chains_and_binary_are_recorded_errors(
        engine, db_url, site_server, env):
    big = b"<html><body><p>" + b"A" * (50 * 1024 * 1024) + b"</p></body></html>"
    bomb = _gzip_bomb(1024)
    html = {"Content-Type": "text/html; charset=utf-8"}
    gz = {**html, "Content-Encoding": "gzip"}
    cases = {
        "/big-declared-910001.htm": (_serve(200, big, html), "too_large"),
        "/big-undeclared-910002.htm": (_serve(200, big, html, declare=False), "too_large"),
        "/gzip-bomb-910003.htm": (_serve(200, bomb, gz), "too_large"),
        "/gzip-bomb-undeclared-910004.htm": (_serve(200, bomb, gz, declare=False),
                                             "too_large"),
        "/png-as-html-910005.htm": (_serve(200, tiny_png() * 1000, html), "decode"),
        "/random-as-html-910006.htm": (_serve(200, os.urandom(2 * 1024 * 1024), html),
                                       "decode"),
        "/redirect-910007.htm": (None, "redirect_loop"),
    }
    for path, (route, _) in cases.items():
        if route is not None:
            site_server.routes[path] = route

    def endless(h: Handler) -> None:  # /chain/N -> /chain/N+1 -> ... for ever
        n = int(h.path.rsplit("/", 1)[1].split("-")[0]) if h.path.startswith("/chain/") else 0
        h.reply(302, headers={"Location": f"/chain/{n + 1}-910007.htm"})

    site_server.routes["/redirect-910007.htm"] = endless
    for n in range(1, 50):
        site_server.routes[f"/chain/{n}-910007.htm"] = endless
    queue(engine, SLUG, [HOST + p for p in cases])

    m = run_measured(provnews("fetch", SLUG, "--base-url", site_server.base), env)
    _check(m, f"fetch of {len(cases)} hostile bodies ({len(bomb) // 1024} KiB bomb = 1 GiB)")
    kinds = _rows(db_url, "SELECT u.url, f.error_kind, f.bytes FROM urls u"
                          " JOIN fetches f ON f.url_id = u.id")
    assert {u: k for u, (k, _) in kinds.items()} == {HOST + p: k for p, (_, k) in cases.items()}
    assert _rows(db_url, "SELECT count(*) FROM pages") == {0: ()}
    chain = [p for p in site_server.paths() if p.startswith(("/redirect-", "/chain/"))]
    assert len(chain) == 6  # the first answer and max_redirects (5) hops, then refused
    print({u.rsplit("/", 1)[1]: k for u, (k, _) in kinds.items()})


# --- crawler traps ------------------------------------------------------------------------

def test_endless_listings_with_session_ids_and_dates_stay_bounded(db_url, env):
    with ReplicaServer(SLUG) as replica:
        replica.faults.add(r"/trang-\d+\.htm$", "endless_listing")
        # the whole dataset, so that no listing page is ever "older than the interval"
        m = run_measured(provnews("discover", SLUG, "--since", "2024-01-01", "--until",
                                  "2025-12-31", "--base-url", replica.base_url),
                         {**env, "NEWS_LISTING_MAX_PAGES": "15"})
        listing = replica.requests_for(r"^/[a-z-]+(/trang-\d+\.htm)?$")
        traps = [r for r in listing if r.fault == "endless_listing"]
        expected = {a.url for a in replica.site.articles}
    _check(m, f"discovery through endless listings ({len(listing)} listing requests, "
              f"{len(traps)} of them trap pages)")
    rows = _rows(db_url, "SELECT url, 1 FROM urls")
    categories = len({r.path.split("/")[1] for r in listing})
    assert len(listing) <= 15 * categories  # NEWS_LISTING_MAX_PAGES per listing, no more
    # no session-id or calendar spelling became a URL of its own
    assert set(rows) <= expected and not [u for u in rows if "?" in u]
