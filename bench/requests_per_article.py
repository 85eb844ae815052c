"""What a re-run of an interval costs in requests: unchanged, it should only ask its endpoints
again, conditionally; with a share of the interval newly published, each new article should
cost about one request (its page) plus its part of the endpoint re-reads.

    .venv/bin/python bench/requests_per_article.py [--size 5000] [--month 2025-11]
        [--shares 1,10] [--site baothanhhoa]

One replica site (``dataset(site, size=N)``) is served in this process, for its clock and
request log, and crawled without pacing over one month. For a share p, the replica's clock
starts at the publication of the first of the newest p% of the month's articles, so those
are not published yet; the month is crawled, the clock moved to the dataset's "now", and the
month crawled again: that re-run is counted. p = 0 is the unchanged re-run. The baseline, in
the same run, is the first crawl's requests per article.

Uses NEWS_TEST_DB_URL's server (or an embedded one) and scratch databases it drops after.
"""

from __future__ import annotations

import argparse
import logging
from dataclasses import dataclass
from datetime import date, datetime, time

from _support import admin_url, bench_settings, paced, warehouse
from sqlalchemy import create_engine

from replica.data import TZ, dataset
from replica.server import LoggedRequest, ReplicaServer
from scrapers.pipeline import RunOptions, RunWindow, crawl


@dataclass
class Tally:
    """The requests of one run, as the replica logged them."""

    endpoint: int = 0
    conditional: int = 0  # endpoint requests with If-None-Match or If-Modified-Since
    not_modified: int = 0
    article: int = 0
    new_articles: int = 0

    @classmethod
    def of(cls, requests: list[LoggedRequest], article_paths: set[str], new: int) -> Tally:
        t = cls(new_articles=new)
        for r in requests:
            if r.path in article_paths:
                t.article += 1
                continue
            t.endpoint += 1
            t.conditional += bool(r.headers.get("If-None-Match")
                                  or r.headers.get("If-Modified-Since"))
            t.not_modified += r.status == 304
        return t

    def row(self, name: str) -> str:
        total = self.endpoint + self.article
        per = f"{total / self.new_articles:.2f}" if self.new_articles else "-"
        return (f"{name:<26} | {total:>8} | {self.endpoint:>8} | {self.conditional:>11} | "
                f"{self.not_modified:>4} | {self.article:>8} | {self.new_articles:>12} | "
                f"{per:>11}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=5000, help="replica articles (2024-2025)")
    ap.add_argument("--month", default="2025-11", help="the interval re-run, YYYY-MM")
    ap.add_argument("--shares", default="1,10", help="percent of the month published late")
    ap.add_argument("--site", default="baothanhhoa")
    args = ap.parse_args()
    logging.basicConfig(level=logging.ERROR)
    year, month = map(int, args.month.split("-"))
    start = datetime.combine(date(year, month, 1), time(), TZ)
    end = datetime.combine(date(year + month // 12, month % 12 + 1, 1), time(), TZ)
    data = dataset(args.site, size=args.size)
    in_month = [a for a in data.articles if start <= a.published_at < end]
    paths = {a.path for a in data.articles}
    site, settings = paced(args.site, 0.0), bench_settings()
    print(f"{args.site}, {args.month}: {len(in_month)} of the replica's {args.size} articles")
    print(f"{'run':<26} | {'requests':>8} | {'endpoint':>8} | {'conditional':>11} | "
          f"{'304':>4} | {'articles':>8} | {'new articles':>12} | requests/new")
    window = RunWindow(start, end)
    with admin_url() as admin, ReplicaServer(data, crawl_delay=0) as server:
        options = RunOptions(base_url=server.base_url)
        for share in [0, *map(float, args.shares.split(","))]:
            late = round(len(in_month) * share / 100) if share else 0
            if share and not late:
                late = 1  # the smallest share the month can show: one article
            with warehouse(admin) as db_url:
                engine = create_engine(db_url)
                server.now = in_month[-late].published_at if late else data.now
                server.clear_log()
                first = crawl(engine, site, window, settings=settings, options=options,
                              run_key="first")
                first_tally = Tally.of(server.requests, paths, first.new_articles)
                server.now = data.now
                server.clear_log()
                again = crawl(engine, site, window, settings=settings, options=options,
                              run_key="again")
                engine.dispose()
            label = f"{share:g}% new ({late})" if share else "unchanged"
            print(first_tally.row(f"first crawl, {label}"))
            print(Tally.of(server.requests, paths, again.new_articles).row(f"re-run, {label}"))


if __name__ == "__main__":
    main()
