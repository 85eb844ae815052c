"""The extract stage against its floor, without Postgres: ``extract_article`` on the site-rules
path over the replica article pages of each site, beside ``lxml.html.document_fromstring``
of the same pages (the floor bench/pipeline.py gives the stage), in the same run.

The pages are the ones the replica serves (``SiteApp``, no sockets), so a change to the
extractor can be timed in seconds; bench/pipeline.py gives the same ratio within a crawl.
CPU time (process_time); extract and floor alternate, and the best of ``--repeats`` of each
is kept, which filters out the noise of a shared machine.

``--instructions`` counts machine instructions instead, under valgrind's callgrind, which
gives the same count whatever else the machine is doing: each side is run over the first
``--instruction-pages`` pages of every site and over none, in processes of their own with a
fixed hash seed, and the difference is divided by the pages. Slow (valgrind runs Python
about 50 times slower); needs valgrind on PATH.

    .venv/bin/python bench/extract_floor.py [--articles 1000] [--repeats 5]
        [--sites baothanhhoa,baophutho] [--instructions [--instruction-pages 150]]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
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


def run_side(side: str, slugs: list[str], articles: int, pages: int) -> None:
    """One side (extract or floor) over the first ``pages`` pages of each site, after the
    same warm-up on either side: what one counted process does."""
    for slug in slugs:
        site, served = get_site(slug), replica_pages(slug, articles)
        run_extract(served[:5], site)
        if side == "extract":
            run_extract(served[:pages], site)
        else:
            run_floor(served[:pages])


def instructions(side: str, slugs: list[str], articles: int, pages: int) -> int:
    """Instructions callgrind counts in a process that runs ``run_side``."""
    command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
               sys.executable, __file__, "--count-side", side, "--sites", ",".join(slugs),
               "--articles", str(articles), "--instruction-pages", str(pages)]
    done = subprocess.run(command, capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONHASHSEED": "0"})
    found = re.search(r"Collected : (\d+)", done.stderr)
    if found is None:
        raise RuntimeError(f"callgrind printed no count: {done.stderr[-500:]}")
    return int(found.group(1))


def report_instructions(slugs: list[str], articles: int, pages: int) -> None:
    if shutil.which("valgrind") is None:
        raise SystemExit("--instructions needs valgrind (Debian: apt-get install valgrind)")
    counted = pages * len(slugs)
    base = instructions("floor", slugs, articles, 0)  # neither side runs: the same process
    per_page = {side: (instructions(side, slugs, articles, pages) - base) / counted
                for side in ("extract", "floor")}
    ratio = per_page["extract"] / per_page["floor"]
    print(f"instructions per page over {counted} pages ({', '.join(slugs)}): extract "
          f"{per_page['extract'] / 1e6:.2f} M, lxml parse {per_page['floor'] / 1e6:.2f} M: "
          f"{ratio:.2f}x (target <= {TARGET:.0f}x: {'met' if ratio <= TARGET else 'MISSED'})")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=1000, help="stories per replica site")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--sites", default="baothanhhoa,baophutho")
    ap.add_argument("--instructions", action="store_true",
                    help="count instructions under callgrind instead of timing")
    ap.add_argument("--instruction-pages", type=int, default=150,
                    help="pages per site counted with --instructions")
    ap.add_argument("--count-side", choices=("extract", "floor"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    slugs = args.sites.split(",")
    if args.count_side:
        return run_side(args.count_side, slugs, args.articles, args.instruction_pages)
    if args.instructions:
        return report_instructions(slugs, args.articles, args.instruction_pages)
    total_extract = total_floor = 0.0
    print(f"{'site':<12} | {'pages':>5} | {'extract ms':>10} | {'floor ms':>8} | ratio")
    for slug in slugs:
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
