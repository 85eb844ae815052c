"""Politeness efficiency: H replica hosts, each paced at min_delay d, crawled together, should
get close to H/d pages per second, the most their pace allows, and never more.

    .venv/bin/python bench/politeness.py [--delay 0.2] [--months 4]
        [--sites baothanhhoa,baophutho,phunuvietnam,baoquangngai]

Each site (its default replica dataset) is served in this process and crawled over the last
``--months`` of the replica by a crawler process of its own (as separate Airflow workers
would), the site's own pace set to d (``site.min_delay``). From each replica's request log:
pages per second while the site was crawled (requests - 1 over first to last arrival),
summed over the hosts, as a share of the bound H/d measured beside it; and the shortest gap
between two arrivals, which must not be under d.

Uses NEWS_TEST_DB_URL's server (or an embedded one) and a scratch database it drops after.
"""

from __future__ import annotations

import argparse
import logging
from datetime import datetime, timedelta
from itertools import pairwise
from typing import Any

from _support import admin_url, bench_settings, in_processes, paced, warehouse
from sqlalchemy import create_engine

from replica.data import END
from replica.server import ReplicaServer
from scrapers.pipeline import RunOptions, RunWindow, crawl

TARGET = 0.90


def crawl_site(gate: Any, results: Any, i: int, db_url: str, slug: str, base_url: str,
               delay: float, start: datetime) -> None:
    logging.basicConfig(level=logging.ERROR)
    engine = create_engine(db_url)
    gate.wait(timeout=600)
    summary = crawl(engine, paced(slug, delay), RunWindow(start, END),
                    settings=bench_settings(), options=RunOptions(base_url=base_url))
    engine.dispose()
    results.put((i, summary))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--delay", type=float, default=0.2, help="each site's min_delay, s")
    ap.add_argument("--months", type=int, default=4, help="crawled, back from the replica's end")
    ap.add_argument("--sites", default="baothanhhoa,baophutho,phunuvietnam,baoquangngai")
    args = ap.parse_args()
    slugs, d = args.sites.split(","), args.delay
    start = END - timedelta(days=30.44 * args.months)
    servers = [ReplicaServer(slug, crawl_delay=0).start() for slug in slugs]
    try:
        with admin_url() as admin, warehouse(admin) as db_url:
            summaries = in_processes(crawl_site, [(db_url, s.site.slug, s.base_url, d, start)
                                                  for s in servers])
    finally:
        for s in servers:
            s.stop()
    print(f"{len(slugs)} hosts at min_delay {d:g} s, crawled together from "
          f"{start:%Y-%m-%d} to {END:%Y-%m-%d}")
    print(f"{'site':<14} | {'requests':>8} | {'seconds':>7} | {'pages/s':>7} | "
          f"{'bound 1/d':>9} | {'share':>5} | {'min gap s':>9} | articles")
    achieved, short = 0.0, []
    for server, summary in zip(servers, summaries, strict=True):
        times = sorted(r.time for r in server.requests)
        span = times[-1] - times[0]
        rate = (len(times) - 1) / span
        gap = min(b - a for a, b in pairwise(times))
        achieved += rate
        if gap < d * 0.99:  # 1% for the clocks of two threads
            short.append(server.site.slug)
        print(f"{server.site.slug:<14} | {len(times):>8} | {span:>7.1f} | {rate:>7.2f} | "
              f"{1 / d:>9.2f} | {rate * d:>5.0%} | {gap:>9.3f} | {summary.new_articles}")
    bound = len(slugs) / d
    share = achieved / bound
    print(f"achieved {achieved:.2f} pages/s of H/d = {bound:.2f}: {share:.1%} "
          f"(target >= {TARGET:.0%}: {'met' if share >= TARGET else 'MISSED'}); "
          f"never faster than d: {'held' if not short else 'BROKEN at ' + ', '.join(short)}")


if __name__ == "__main__":
    main()
