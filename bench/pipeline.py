"""End to end: replica sites crawled through to the load into Postgres, each stage's CPU
cost per article beside its floor measured in the same run, articles per second with the
sites in parallel, and peak RSS at two sizes.

    .venv/bin/python bench/pipeline.py [--articles 10000] [--small 2000]
        [--sites baothanhhoa,baophutho]

``--articles`` are split evenly over the sites (``replica.data.dataset(slug, size=N)``).
Each site is served by a ReplicaServer in a process of its own and crawled, without pacing
(for the bench only), by a crawler process of its own, so neither shares a GIL with
another; the crawls start together. A crawl is the pipeline's own stages over the whole
replica range, as `provnews crawl` runs them.

CPU is the crawler process's (all threads) plus its Postgres backends' (the database's share
of a stage is most of a load), per article loaded. extract_step reads, extracts and stores in
one loop, each part timed as it runs (the step's module attributes are wrapped by timers for
the bench): *read* is its reading of the stored pages (the query, with the backend's share,
and inflating and decoding each body), *extract* its ``extract_article`` calls, and *load*
the rest of the same extract_step: the rows built, written and the pages marked read, which
is what the load's floor writes. *other* is the quality check and closing the run.
Floors, measured in the same processes once every crawl is done, each the best of
``FLOOR_REPEATS`` (3) tries, against which the ratio and its verdict are given; the first
try's figure is printed beside it:

- fetch: a bare loop of GETs (requests.Session) to the same server and URLs;
- extract: ``lxml.html.document_fromstring`` of the same pages alone;
- dedupe: the MinHash signatures and SHA-256 of the same bodies, without the database;
- load: COPY of the same article rows into an unindexed table (psycopg 3 ``cursor.copy``).

Uses NEWS_TEST_DB_URL's server (or an embedded one) and scratch databases it drops after.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import lxml.html
import requests
from _support import (
    CpuClock,
    admin_url,
    bench_settings,
    crawl_once,
    in_processes,
    paced,
    peak_rss_mib,
    served,
    warehouse,
)
from sqlalchemy import Engine, create_engine, text

from replica.data import END, START
from scrapers.dedupe import signature
from scrapers.extract import extract_article
from scrapers.settings import Settings
from scrapers.steps import extract as extract_stage
from scrapers.store.articles import ALL_COLUMNS
from scrapers.store.pages import StoredPage, page_text, pages_to_extract
from scrapers.store.sources import source_id

STAGES = ("discover", "fetch", "read", "extract", "dedupe", "load")
FLOOR = {"fetch": "GET loop", "extract": "lxml parse", "dedupe": "hashing",
         "load": "COPY"}
RATIO_TARGET, RATE_TARGET, RSS_GROWTH_TARGET = 3.0, 100.0, 1.10
FLOOR_REPEATS = 3


@dataclass
class SiteResult:
    slug: str
    articles: int
    started: float  # time.monotonic(), comparable across processes on Linux
    ended: float
    rss_mib: float
    cpu: dict[str, float] = field(default_factory=dict)  # seconds, per stage and floor
    wall: dict[str, float] = field(default_factory=dict)  # seconds, per stage
    summary: str = ""


@contextmanager
def timed(cpu: dict[str, float], key: str, clock: Callable[[], float],
          wall: dict[str, float] | None = None) -> Iterator[None]:
    t0, w0 = clock(), time.perf_counter()
    yield
    cpu[key] = clock() - t0
    if wall is not None:
        wall[key] = time.perf_counter() - w0


def stored_pages(engine: Engine, sid: int) -> list[tuple[str, str, Any]]:
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT p.body_z, p.final_url, p.fetched_at FROM pages p"
            " JOIN urls u ON u.id = p.url_id JOIN articles a ON a.url_id = p.url_id"
            " WHERE u.source_id = :sid ORDER BY p.url_id"), {"sid": sid}).all()
    return [(page_text(r.body_z), r.final_url, r.fetched_at) for r in rows]


def fetch_floor(pages: list[tuple[str, str, Any]], base_url: str) -> float:
    """CPU seconds of plain GETs of the same URLs from the same server."""
    urls = [base_url + urlsplit(url).path for _, url, _ in pages]
    with requests.Session() as http:
        t0 = time.process_time()
        for url in urls:
            http.get(url, timeout=10).raise_for_status()
        return time.process_time() - t0


def load_floor(engine: Engine, clock: CpuClock, sid: int, attempt: int) -> float:
    """CPU seconds (client and backend) to COPY the site's article rows into a bare table
    (a new one for each attempt)."""
    cols = ", ".join(("url_id", *ALL_COLUMNS))
    table = f"load_floor_{sid}_{attempt}"
    with engine.begin() as conn:
        conn.execute(text(f"CREATE TABLE {table} AS SELECT {cols} FROM articles WITH NO DATA"))
    raw = engine.raw_connection()
    try:
        with raw.cursor() as cur:
            cur.execute(f"SELECT {cols.replace('images', 'images::text')} FROM articles"
                        " WHERE source_id = %s", (sid,))
            rows = cur.fetchall()
        raw.commit()
        t0 = clock()
        with raw.cursor() as cur, cur.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        raw.commit()
        return clock() - t0
    finally:
        raw.close()


def timer(cpu: dict[str, float], key: str, work: Callable[..., Any],
          clock: Callable[[], float] = time.process_time) -> Callable[..., Any]:
    """``work``, adding the CPU seconds of each call to ``cpu[key]``."""
    cpu.setdefault(key, 0.0)

    def timed_work(*args: Any, **kwargs: Any) -> Any:
        t0 = clock()
        try:
            return work(*args, **kwargs)
        finally:
            cpu[key] += clock() - t0

    return timed_work


def time_extract_step(cpu: dict[str, float], clock: CpuClock) -> None:
    """Time extract_step's parts as it runs (only the main thread works during that step):
    its queries for pages (client and backend) and the inflating and decoding of each body
    as *read*, its ``extract_article`` calls as *extract*."""
    extract_stage.pages_to_extract = timer(cpu, "read", pages_to_extract, clock)
    StoredPage.html = property(timer(cpu, "read", StoredPage.html.fget))
    extract_stage.extract_article = timer(cpu, "extract", extract_article)


def measure(gate: Any, results: Any, i: int, db_url: str, slug: str, base_url: str,
            size: int) -> None:
    """Crawl one site, stage by stage, then (once every crawl is done) its floors."""
    logging.basicConfig(level=logging.ERROR)
    settings = bench_settings(max_fetch_batches=size // 50 + 10)
    site = paced(slug, 0.0)
    engine = create_engine(db_url)
    clock = CpuClock(engine)
    sid = source_id(engine, slug)
    gate.wait(timeout=600)
    res = SiteResult(slug, 0, time.monotonic(), 0.0, 0.0)
    time_extract_step(res.cpu, clock)
    summary = crawl_once(engine, site, START, END, base_url, settings, "bench",
                         lambda stage: timed(res.cpu, stage, clock, res.wall))
    res.summary, res.articles = str(summary), summary.new_articles
    res.ended, res.rss_mib = time.monotonic(), peak_rss_mib()
    gate.wait(timeout=600)
    floors(engine, clock, sid, base_url, settings, res.cpu)
    engine.dispose()
    results.put((i, res))


def floors(engine: Engine, clock: CpuClock, sid: int, base_url: str,
           settings: Settings, cpu: dict[str, float]) -> None:
    """Each floor's best of FLOOR_REPEATS, and its first try: a floor is what the work
    cannot cost less than, and a first try (cold caches, as the stage's own one pass) cost
    up to half as much again."""
    pages = stored_pages(engine, sid)
    cpu["load"] = cpu["extract_step"] - cpu["extract"] - cpu["read"]
    with engine.connect() as conn:
        bodies = conn.execute(text("SELECT body FROM articles WHERE source_id = :sid"),
                              {"sid": sid}).scalars().all()

    def parse() -> None:
        for html, _, _ in pages:
            lxml.html.document_fromstring(html)

    def hashing() -> None:
        for body in bodies:
            signature(body, num_perm=settings.minhash_permutations,
                      shingle_size=settings.shingle_size)
            hashlib.sha256(body.encode()).hexdigest()

    tries = {
        "fetch": [fetch_floor(pages, base_url) for _ in range(FLOOR_REPEATS)],
        "extract": [cpu_of(parse) for _ in range(FLOOR_REPEATS)],
        "dedupe": [cpu_of(hashing) for _ in range(FLOOR_REPEATS)],
        "load": [load_floor(engine, clock, sid, i) for i in range(FLOOR_REPEATS)],
    }
    for stage, seconds in tries.items():
        cpu[f"{stage} floor"], cpu[f"{stage} floor first"] = min(seconds), seconds[0]


def cpu_of(work: Callable[[], None]) -> float:
    t0 = time.process_time()
    work()
    return time.process_time() - t0


def run_size(admin: str, slugs: list[str], total: int) -> list[SiteResult]:
    size = total // len(slugs)
    with warehouse(admin) as db_url, served(slugs, size) as bases:
        return in_processes(measure, [(db_url, slug, base, size)
                                      for slug, base in zip(slugs, bases, strict=True)])


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def report(total: int, results: list[SiteResult]) -> float:
    """Print one size's figures; return its peak RSS."""
    n = sum(r.articles for r in results)
    wall = max(r.ended for r in results) - min(r.started for r in results)
    rss = max(r.rss_mib for r in results)
    print(f"\n== {total} replica articles over {len(results)} sites "
          f"({', '.join(r.slug for r in results)}), one crawler process each")
    for r in results:
        print(f"  {r.slug}: {r.summary}")
    print(f"articles loaded {n} in {wall:.1f} s: {n / wall:.1f} articles/s "
          f"(target >= {RATE_TARGET:.0f}: {verdict(n / wall >= RATE_TARGET)}); "
          f"peak RSS per crawler {rss:.0f} MiB")

    def ms(key: str) -> float:
        return sum(r.cpu[key] for r in results) * 1000 / n

    print(f"{'stage':<9} | {'CPU ms/article':>14} | {'floor':<10} | {'floor ms':>8} | "
          f"{'ratio':>5} | target <= {RATIO_TARGET:.0f}x | floor's first try: ms, ratio")
    for stage in (*STAGES, "other"):
        if stage in FLOOR:
            ratio = ms(stage) / ms(f"{stage} floor")
            first = ms(f"{stage} floor first")
            print(f"{stage:<9} | {ms(stage):>14.2f} | {FLOOR[stage]:<10} | "
                  f"{ms(f'{stage} floor'):>8.2f} | {ratio:>5.2f} | "
                  f"{verdict(ratio <= RATIO_TARGET):<13} | {first:.2f}, {ms(stage) / first:.2f}")
        else:
            print(f"{stage:<9} | {ms(stage):>14.2f} | {'-':<10} | {'-':>8} | {'-':>5} |")
    total_ms = sum(ms(s) for s in (*STAGES, "other"))
    print(f"{'all':<9} | {total_ms:>14.2f} |")
    print("wall s per stage (slowest site): " + ", ".join(
        f"{key.replace('extract_step', 'read + extract + load')} "
        f"{max(r.wall[key] for r in results):.1f}" for key in results[0].wall))
    return rss


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=10000, help="replica articles in all")
    ap.add_argument("--small", type=int, default=2000,
                    help="a smaller crawl first, for peak RSS at two sizes (0: skip)")
    ap.add_argument("--sites", default="baothanhhoa,baophutho")
    args = ap.parse_args()
    slugs = args.sites.split(",")
    sizes = [s for s in (args.small, args.articles) if s]
    with admin_url() as admin:
        rss = [report(total, run_size(admin, slugs, total)) for total in sizes]
    if len(rss) == 2:
        growth = rss[1] / rss[0]
        print(f"\npeak RSS {rss[0]:.0f} MiB at {sizes[0]} articles, {rss[1]:.0f} MiB at "
              f"{sizes[1]}: x{growth:.2f} for x{sizes[1] / sizes[0]:.0f} the articles "
              f"(target <= x{RSS_GROWTH_TARGET:.2f}: {verdict(growth <= RSS_GROWTH_TARGET)})")


if __name__ == "__main__":
    main()
