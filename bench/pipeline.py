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
the bench): *analyze* its refreshing of the statistics of the tables its query plans on
(ANALYZE, when they have grown: once a run, whatever its size), *read* its reading of the
stored pages (the query, with the backend's share,
and inflating and decoding each body), *extract* its ``extract_article`` calls, and *load*
the rest of the same extract_step (the floors' work beside it left out): the rows built,
written and the pages marked read, which is what the load's floor writes. *other* is the
quality check and closing the run.
Each floor is measured beside its stage, in the same conditions (the other crawl running,
the caches and the machine as the stage finds them), and the ratio and its verdict are
given against it; each is measured again after the crawls, alone, the best of
``FLOOR_REPEATS`` (3) tries (and the first try), and printed beside: that one runs on a
quieter machine, and the same work costs less there.

- fetch: plain GETs (requests.Session, one per worker thread) of the same URLs from the same
  server: one page in ``BESIDE_EVERY`` (4) is also asked for by one, from the worker thread
  that fetches it, just before or just after in turns, by that thread's CPU (which the
  stage's CPU then leaves out); the stage per article, the floor per GET;
- extract: ``lxml.html.document_fromstring`` of the same pages alone: one page in
  ``BESIDE_EVERY`` is also parsed, just before its extraction or just after it in turns
  (what one leaves in the caches the other finds), and the ratio is those pages'
  extraction to their parse;
- load: COPY of the same article rows into an unindexed table (psycopg 3 ``cursor.copy``):
  after each batch extract_step stores, in its transaction, the rows it stored;
- dedupe: the MinHash signature and SHA-256 of the same bodies, without the database: one
  body in ``BESIDE_EVERY`` is also hashed so, just before or just after the stage's own
  signature of it in turns (which the stage's CPU then leaves out); the stage per article,
  the floor per body.

Uses NEWS_TEST_DB_URL's server (or an embedded one) and scratch databases it drops after.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
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
from sqlalchemy import Connection, Engine, create_engine, text

from replica.data import END, START
from scrapers.dedupe import signature
from scrapers.extract import extract_article
from scrapers.http.session import PoliteSession
from scrapers.runtime import freeze_imports
from scrapers.settings import Settings
from scrapers.steps import dedupe as dedupe_stage
from scrapers.steps import extract as extract_stage
from scrapers.store.articles import ALL_COLUMNS
from scrapers.store.pages import StoredPage, page_text, pages_to_extract
from scrapers.store.sources import source_id
from scrapers.store.stats import analyze_grown

STAGES = ("discover", "fetch", "analyze", "read", "extract", "dedupe", "load")
FLOOR = {"fetch": "GET loop", "extract": "lxml parse", "dedupe": "hashing",
         "load": "COPY"}
RATIO_TARGET, RATE_TARGET, RSS_GROWTH_TARGET = 3.0, 100.0, 1.10
FLOOR_REPEATS = 3
BESIDE_EVERY = 4  # of the extracted pages, those also parsed beside the stage: one in 4
UNIT = {"fetch": "gets", "extract": "pages", "dedupe": "bodies"}  # what a floor is counted by


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


@contextmanager
def stage_timer(res: SiteResult, stage: str, clock: CpuClock, base_url: str) -> Iterator[None]:
    """A stage timed; the fetch with its floor beside it; the CPU of the floors measured
    beside fetch and dedupe left out of theirs."""
    with timed(res.cpu, stage, clock, res.wall):
        if stage != "fetch":
            yield
            return
        with fetch_beside_floor(res.cpu, base_url):
            yield
    if stage in ("fetch", "dedupe"):
        res.cpu[stage] -= res.cpu[f"{stage} floor"]


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


COLUMNS = ", ".join(("url_id", *ALL_COLUMNS))


def bare_table(conn: Connection, name: str) -> str:
    """A table of the article rows' columns, with no index, key or constraint."""
    conn.execute(text(f"CREATE TABLE {name} AS SELECT {COLUMNS} FROM articles WITH NO DATA"))
    return name


def copy_rows(raw: Any, clock: CpuClock, table: str, where: str, params: tuple[Any, ...]
              ) -> float:
    """CPU seconds (client and backend) to COPY the article rows ``where`` selects into
    ``table``; reading them first is not counted."""
    with raw.cursor() as cur:
        cur.execute(f"SELECT {COLUMNS.replace('images', 'images::text')} FROM articles"
                    f" WHERE {where}", params)
        rows = cur.fetchall()
    t0 = clock()
    with raw.cursor() as cur, cur.copy(f"COPY {table} ({COLUMNS}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    return clock() - t0


def load_floor(engine: Engine, clock: CpuClock, sid: int, attempt: int) -> float:
    """CPU seconds to COPY the site's article rows into a bare table (a new one for each
    attempt)."""
    with engine.begin() as conn:
        table = bare_table(conn, f"load_floor_{sid}_{attempt}")
    raw = engine.raw_connection()
    try:
        seconds = copy_rows(raw, clock, table, "source_id = %s", (sid,))
        raw.commit()
        return seconds
    finally:
        raw.close()


def beside_turn(n: int) -> tuple[bool, bool]:
    """Whether the ``n``-th page of a stage is measured beside its floor, and whether the
    floor goes first: one page in ``BESIDE_EVERY``, first and second in turns."""
    return n % BESIDE_EVERY == 0, n // BESIDE_EVERY % 2 == 0


def beside_floor(work: Callable[..., Any], floor: Callable[..., float], stage: str,
                 cpu: dict[str, float], clock: Callable[[], float] = time.process_time
                 ) -> Callable[..., Any]:
    """``work``, every ``BESIDE_EVERY``-th call with ``floor`` of the same arguments (its
    seconds) just before or just after, in turns (what one leaves in the caches, the other
    finds): *{stage} floor* adds the floor's seconds, *{stage} floor {UNIT}* counts them and
    *{stage} sampled* adds ``work``'s seconds on those calls, by ``clock``. Thread-safe."""
    unit = UNIT[stage]
    for key in (f"{stage} floor", f"{stage} floor {unit}", f"{stage} sampled"):
        cpu[key] = 0.0
    calls, lock = itertools.count(), threading.Lock()

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        sampled, before = beside_turn(next(calls))
        seconds = floor(*args) if sampled and before else 0.0
        t0 = clock()
        try:
            return work(*args, **kwargs)
        finally:
            spent = clock() - t0
            if sampled:
                seconds += 0.0 if before else floor(*args)
                with lock:
                    cpu[f"{stage} floor"] += seconds
                    cpu[f"{stage} floor {unit}"] += 1
                    cpu[f"{stage} sampled"] += spent

    return wrapped


@contextmanager
def fetch_beside_floor(cpu: dict[str, float], base_url: str) -> Iterator[None]:
    """While inside, the fetch stage's GETs with a bare GET (requests.Session, one per
    thread) of the same URL beside them, from the same worker thread, by that thread's CPU
    (the stage's own CPU is the process's, which then leaves it out)."""
    get, local = PoliteSession.get, threading.local()

    def bare_get(_session: PoliteSession, url: str) -> float:
        http = local.__dict__.setdefault("http", requests.Session())
        t0 = time.thread_time()
        http.get(base_url + urlsplit(url).path, timeout=10)  # a gone page's 404 as well
        return time.thread_time() - t0

    PoliteSession.get = beside_floor(get, bare_get, "fetch", cpu, time.thread_time)
    try:
        yield
    finally:
        PoliteSession.get = get


def store_beside_floor(cpu: dict[str, float], clock: CpuClock, table: str
                       ) -> Callable[..., Any]:
    """extract_step's ``_store``, and after each batch, in its transaction, a COPY of the
    rows it stored into a bare table: the load floor beside the stage. All the COPY's work
    (reading the rows back too) goes to *beside*, which the load leaves out."""
    cpu["load floor"] = cpu["beside"] = 0.0
    store = extract_stage._store

    def timed_store(conn: Connection, items: list[Any]) -> dict[int, Any]:
        changes = store(conn, items)
        if changes:
            t0 = clock()
            cpu["load floor"] += copy_rows(conn.connection.driver_connection, clock, table,
                                           "url_id = ANY(%s)", (list(changes),))
            cpu["beside"] += clock() - t0
        return changes

    return timed_store


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


def time_extract_step(cpu: dict[str, float], clock: CpuClock, load_table: str) -> None:
    """Time extract_step's parts as it runs (only the main thread works during that step):
    its queries for pages (client and backend) and the inflating and decoding of each body
    as *read*, its ``extract_article`` calls as *extract*, each with its floor beside it."""
    extract_stage.analyze_grown = timer(cpu, "analyze", analyze_grown, clock)
    extract_stage.pages_to_extract = timer(cpu, "read", pages_to_extract, clock)
    StoredPage.html = property(timer(cpu, "read", StoredPage.html.fget))
    extract_stage.extract_article = extract_beside_floor(cpu)
    extract_stage._store = store_beside_floor(cpu, clock, load_table)


def extract_beside_floor(cpu: dict[str, float]) -> Callable[..., Any]:
    """``extract_article``, its CPU seconds added to *extract*, one page in
    ``BESIDE_EVERY`` also parsed alone beside it: the extract floor."""

    def parse(html: str, *_: Any) -> float:
        return cpu_of(partial(lxml.html.document_fromstring, html))

    return beside_floor(timer(cpu, "extract", extract_article), parse, "extract", cpu)


def dedupe_beside_floor(cpu: dict[str, float], settings: Settings) -> None:
    """The dedupe step's signatures, one body in ``BESIDE_EVERY`` also hashed alone beside
    it (its MinHash signature and SHA-256): the dedupe floor, which the stage's CPU then
    leaves out."""

    def hashing(body: str) -> float:
        return cpu_of(partial(hash_body, body, settings))

    dedupe_stage.signature = beside_floor(signature, hashing, "dedupe", cpu)


def hash_body(body: str, settings: Settings) -> None:
    """What dedupe cannot do without: a body's MinHash signature and its SHA-256."""
    signature(body, num_perm=settings.minhash_permutations, shingle_size=settings.shingle_size)
    hashlib.sha256(body.encode()).hexdigest()


def measure(gate: Any, results: Any, i: int, db_url: str, slug: str, base_url: str,
            size: int) -> None:
    """Crawl one site, stage by stage, then (once every crawl is done) its floors. The
    process freezes its imports first, as `provnews crawl` and a task process do."""
    logging.basicConfig(level=logging.ERROR)
    freeze_imports()
    settings = bench_settings(max_fetch_batches=size // 50 + 10)
    site = paced(slug, 0.0)
    engine = create_engine(db_url)
    clock = CpuClock(engine)
    sid = source_id(engine, slug)
    with engine.begin() as conn:
        load_table = bare_table(conn, f"load_beside_{sid}")
    gate.wait(timeout=600)
    res = SiteResult(slug, 0, time.monotonic(), 0.0, 0.0)
    time_extract_step(res.cpu, clock, load_table)
    dedupe_beside_floor(res.cpu, settings)
    summary = crawl_once(engine, site, START, END, base_url, settings, "bench",
                         lambda stage: stage_timer(res, stage, clock, base_url))
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
    cpu["load"] = (cpu["extract_step"] - cpu["analyze"] - cpu["read"] - cpu["extract"]
                   - cpu["extract floor"] - cpu["beside"])
    with engine.connect() as conn:
        bodies = conn.execute(text("SELECT body FROM articles WHERE source_id = :sid"),
                              {"sid": sid}).scalars().all()

    def parse() -> None:
        for html, _, _ in pages:
            lxml.html.document_fromstring(html)

    def hashing() -> None:
        for body in bodies:
            hash_body(body, settings)

    tries = {
        "fetch after": [fetch_floor(pages, base_url) for _ in range(FLOOR_REPEATS)],
        "extract after": [cpu_of(parse) for _ in range(FLOOR_REPEATS)],
        "dedupe after": [cpu_of(hashing) for _ in range(FLOOR_REPEATS)],
        "load after": [load_floor(engine, clock, sid, i) for i in range(FLOOR_REPEATS)],
    }
    for stage, seconds in tries.items():
        cpu[f"{stage} floor"], cpu[f"{stage} floor first"] = min(seconds), seconds[0]


def cpu_of(work: Callable[[], object]) -> float:
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

    def summed(key: str) -> float:
        return sum(r.cpu[key] for r in results)

    def ms(key: str) -> float:
        return summed(key) * 1000 / n

    print(f"{'stage':<9} | {'CPU ms/article':>14} | {'floor':<10} | {'floor ms':>8} | "
          f"{'ratio':>5} | target <= {RATIO_TARGET:.0f}x | floor after the crawl, best of "
          f"{FLOOR_REPEATS} (first try): ms, ratio")
    for stage in (*STAGES, "other"):
        if stage not in FLOOR:
            print(f"{stage:<9} | {ms(stage):>14.2f} | {'-':<10} | {'-':>8} | {'-':>5} |")
            continue
        if stage == "extract":  # the floor beside the stage, on the pages sampled for it
            floor = summed("extract floor") * 1000 / summed("extract floor pages")
            ratio = summed("extract sampled") / summed("extract floor")
        elif stage in ("fetch", "dedupe"):  # the stage per article, the floor per GET or body
            floor = summed(f"{stage} floor") * 1000 / summed(f"{stage} floor {UNIT[stage]}")
            ratio = ms(stage) / floor
        else:
            floor = ms(f"{stage} floor")
            ratio = ms(stage) / floor
        best, first = ms(f"{stage} after floor"), ms(f"{stage} after floor first")
        print(f"{stage:<9} | {ms(stage):>14.2f} | {FLOOR[stage]:<10} | {floor:>8.2f} | "
              f"{ratio:>5.2f} | {verdict(ratio <= RATIO_TARGET):<13} | "
              f"{best:.2f}, {ms(stage) / best:.2f} ({first:.2f}, {ms(stage) / first:.2f})")
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
