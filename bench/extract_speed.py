"""Extraction speed on one core: each provnews path (site rules, the generic path) against
trafilatura.bare_extraction (with metadata) on the same replica pages, in the same run.

The process is pinned to one CPU. Each extractor runs the page set ``--rounds`` times after
one warm-up round; the best of ``--repeats`` timings is kept, which filters out the noise of
a shared machine. Ratios are provnews pages/s over trafilatura pages/s on the same pages.

The replica pages are small (a few KiB: the article and a little chrome), while a real
paper's page carries tens of KiB of menus and teaser lists. A second table runs the same
pages with a teaser list of ``--teasers`` items added before </body>, to show how each
extractor's cost grows with the page's size.

    .venv/bin/python bench/extract_speed.py [--rounds 20] [--repeats 3]
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from collections.abc import Callable

import trafilatura

from replica.cases import Case, load_cases, with_teasers
from scrapers.extract import extract_article


def pin_to_one_core() -> str:
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity)"
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return f"pinned to CPU {cpu}"


def pages_per_second(fn: Callable[[Case], object], cases: list[Case], rounds: int,
                     repeats: int) -> float:
    for case in cases:  # warm-up: imports, compiled selectors, caches
        fn(case)
    best = float("inf")
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        for _ in range(rounds):
            for case in cases:
                fn(case)
        best = min(best, time.perf_counter() - start)
    return rounds * len(cases) / best


def rules(case: Case) -> object:
    return extract_article(case.html, case.url, case.site, fetched_at=case.fetched_at)


def generic(case: Case) -> object:
    return extract_article(case.html, case.url, None, fetched_at=case.fetched_at)


def bare(case: Case) -> object:
    return trafilatura.bare_extraction(case.html, url=case.url, with_metadata=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="passes over the page set")
    parser.add_argument("--repeats", type=int, default=3, help="timings, best kept")
    parser.add_argument("--teasers", type=int, default=300,
                        help="teasers added for the full-size table (0: skip it)")
    args = parser.parse_args()
    print(f"Extraction speed, {pin_to_one_core()}; best of {args.repeats} x {args.rounds}"
          " rounds; ratio = provnews / trafilatura.bare_extraction(with_metadata=True)")
    cases = list(load_cases())
    table(cases, "replica pages as they are", args.rounds, args.repeats)
    if args.teasers:
        table([with_teasers(c, args.teasers) for c in cases],
              f"the same pages with {args.teasers} teasers added", max(1, args.rounds // 4),
              args.repeats)
    return 0


def table(cases: list[Case], title: str, rounds: int, repeats: int) -> None:
    site_cases = [c for c in cases if c.site is not None]
    kb = sum(len(c.html.encode()) for c in cases) / len(cases) / 1024
    print(f"\n{title}: {len(cases)} pages ({len(site_cases)} with site rules), "
          f"{kb:.1f} KiB on average")
    print(f"{'provnews path':<16} {'pages':<11} {'provnews p/s':>13} {'trafilatura p/s':>16}"
          f" {'ratio':>7}")
    # One row per extraction path, on the pages it serves (a learned-template path belongs
    # here too, on the pages of sites that have a template).
    paths = (("site-rules path", "site pages", rules, site_cases),
             ("generic path", "all pages", generic, cases))
    for label, which, fn, subset in paths:
        ours = pages_per_second(fn, subset, rounds, repeats)
        theirs = pages_per_second(bare, subset, rounds, repeats)
        print(f"{label:<16} {which:<11} {ours:>13.1f} {theirs:>16.1f} {ours / theirs:>6.2f}x")


if __name__ == "__main__":
    sys.exit(main())
