"""The extract stage against its floor, without Postgres: ``extract_article`` on the site-rules
path over the replica article pages of each site, beside ``lxml.html.document_fromstring``
of the same pages (the floor bench/pipeline.py gives the stage), in the same run.

The pages are the ones the replica serves (``SiteApp``, no sockets), so a change to the
extractor can be timed in seconds; bench/pipeline.py gives the same ratio within a crawl.
CPU time (process_time); extract and floor alternate, and the best of ``--repeats`` of each
is kept, which filters out the noise of a shared machine.

    .venv/bin/python bench/extract_floor.py [--articles 1000] [--repeats 5]
        [--sites baothanhhoa,baophutho]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from contextlib import suppress
from functools import partial

import lxml.html

from replica.app import SiteApp
from replica.data import END, dataset
from scrapers.extract import NotAnArticle, extract_article
from scrapers.registry import Site, get_site

Page = tuple[str, str]  # html, url
TARGET = 3.0  # issue #12: extract within 3x of its floor


def replica_pages(slug: str, size: int) -> list[Page]:
    """The article pages the replica of ``slug`` serves (removed ones answer 404)."""
    site = dataset(slug, size=size)
    app = SiteApp(site, 0.0)
    pages = []
    for article in site.articles:
        response = app.handle(article.path)
        if response.status == 200:
            pages.append((response.body.decode("utf-8"), article.url))
    return pages


def run_extract(pages: list[Page], site: Site) -> None:
    for html, url in pages:
        with suppress(NotAnArticle):  # the replica serves none, but it is the step's outcome
            extract_article(html, url, site, fetched_at=END)


def run_floor(pages: list[Page]) -> None:
    for html, _ in pages:
        lxml.html.document_fromstring(html)


def best(fn: Callable[[], None], other: Callable[[], None], repeats: int) -> tuple[float, float]:
    """Best CPU seconds of ``fn`` and of ``other``, run in turns."""
    mine, theirs = [], []
    for _ in range(repeats):
        for fn_, out in ((fn, mine), (other, theirs)):
            start = time.process_time()
            fn_()
            out.append(time.process_time() - start)
    return min(mine), min(theirs)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=1000, help="stories per replica site")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--sites", default="baothanhhoa,baophutho")
    args = ap.parse_args()
    total_extract = total_floor = 0.0
    print(f"{'site':<12} | {'pages':>5} | {'extract ms':>10} | {'floor ms':>8} | ratio")
    for slug in args.sites.split(","):
        site, pages = get_site(slug), replica_pages(slug, args.articles)

        extract, floor = partial(run_extract, pages, site), partial(run_floor, pages)
        extract()  # warm-up: selectors compiled, caches filled
        cpu_extract, cpu_floor = best(extract, floor, args.repeats)
        total_extract, total_floor = total_extract + cpu_extract, total_floor + cpu_floor
        print(f"{slug:<12} | {len(pages):>5} | {cpu_extract * 1000 / len(pages):>10.3f} | "
              f"{cpu_floor * 1000 / len(pages):>8.3f} | {cpu_extract / cpu_floor:.2f}")
    ratio = total_extract / total_floor
    print(f"extract / floor over all pages: {ratio:.2f}x (target <= {TARGET:.0f}x: "
          f"{'met' if ratio <= TARGET else 'MISSED'})")


if __name__ == "__main__":
    main()
