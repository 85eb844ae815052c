"""Extraction speed on one core: each provnews path (site rules, the generic path, a learned
template) against trafilatura.bare_extraction (with metadata) on the same replica pages, in
the same run.

Rows: 'site-rules path', provnews as deployed on the fixture pages of sites with hand rules;
'generic path', provnews with no site on every fixture page; 'learned template', provnews
with the site's hand rules removed and the template learned, as production learns one, from
the site's first 40 replica pages (bench/_templates.py), on ``--template-pages`` replica
pages of ``--template-site`` it was not learned from (the learning itself is not timed, and
the line under each table says how many of those pages the template read; the others fell
through to the generic path).

The process is pinned to one CPU. Each extractor runs the page set ``--rounds`` times after
one warm-up round; the best of ``--repeats`` timings is kept, which filters out the noise of
a shared machine. Ratios are provnews pages/s over trafilatura pages/s on the same pages.

The replica pages are small (a few KiB: the article and a little chrome), while a real
paper's page carries tens of KiB of menus and teaser lists. A second table runs the same
pages with a teaser list of ``--teasers`` items added before </body>, to show how each
extractor's cost grows with the page's size.

    .venv/bin/python bench/extract_speed.py [--rounds 20] [--repeats 3] [--teasers 300]
        [--template-site baothanhhoa] [--template-pages 10]
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

import trafilatura
from _templates import as_cases, learned, rules_off

from replica.cases import Case, load_cases, with_teasers
from replica.data import SPECS
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


def template_path(slug: str) -> Callable[[Case], object]:
    """provnews on ``slug``'s pages with its rules removed and its learned template."""
    site, template = rules_off(slug), learned(slug)
    if template is None:
        raise SystemExit(f"no template could be learned for {slug}")

    def extract(case: Case) -> object:
        return extract_article(case.html, case.url, site, fetched_at=case.fetched_at,
                               template=template)

    return extract


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="passes over the page set")
    parser.add_argument("--repeats", type=int, default=3, help="timings, best kept")
    parser.add_argument("--teasers", type=int, default=300,
                        help="teasers added for the full-size table (0: skip it)")
    parser.add_argument("--template-site", default="baothanhhoa", choices=sorted(SPECS),
                        help="replica site whose learned template is timed")
    parser.add_argument("--template-pages", type=int, default=10,
                        help="held-out replica pages of that site to time it on")
    args = parser.parse_args()
    print(f"Extraction speed, {pin_to_one_core()}; best of {args.repeats} x {args.rounds}"
          " rounds; ratio = provnews / trafilatura.bare_extraction(with_metadata=True)")
    cases = list(load_cases())
    slug = args.template_site
    replica = as_cases(slug, args.template_pages)
    row = TemplateRow(slug, template_path(slug), replica)
    table(cases, row, "replica pages as they are", args.rounds, args.repeats)
    if args.teasers:
        teasered = TemplateRow(slug, row.fn, [with_teasers(c, args.teasers) for c in replica])
        table([with_teasers(c, args.teasers) for c in cases], teasered,
              f"the same pages with {args.teasers} teasers added", max(1, args.rounds // 4),
              args.repeats)
    return 0


@dataclass(frozen=True)
class TemplateRow:
    """The learned-template row: its site, the extraction, the replica pages it times."""
    slug: str
    fn: Callable[[Case], object]
    cases: list[Case]


def table(cases: list[Case], row: TemplateRow, title: str, rounds: int,
          repeats: int) -> None:
    site_cases = [c for c in cases if c.site is not None]
    print(f"\n{title}: {len(cases)} fixture pages ({len(site_cases)} with site rules), "
          f"{kib(cases):.1f} KiB on average;\n  {len(row.cases)} {row.slug} replica pages "
          f"for the learned template, {kib(row.cases):.1f} KiB on average")
    # One row per extraction path, on the pages it serves.
    paths = (("site-rules path", "fixture site pages", rules, site_cases),
             ("generic path", "all fixture pages", generic, cases),
             ("learned template", f"{row.slug} replica", row.fn, row.cases))
    w = max(len(which) for _, which, _, _ in paths)
    print(f"{'provnews path':<16} {'pages':<{w}} {'provnews p/s':>13} {'trafilatura p/s':>16}"
          f" {'ratio':>7}")
    for label, which, fn, subset in paths:
        ours = pages_per_second(fn, subset, rounds, repeats)
        theirs = pages_per_second(bare, subset, rounds, repeats)
        print(f"{label:<16} {which:<{w}} {ours:>13.1f} {theirs:>16.1f} {ours / theirs:>6.2f}x")
    served = sum(getattr(row.fn(c), "extractor", "") == "provnews-template"
                 for c in row.cases)
    print(f"(the learned template read {served} of the {len(row.cases)} "
          f"{row.slug} pages)")


def kib(cases: list[Case]) -> float:
    return sum(len(c.html.encode()) for c in cases) / len(cases) / 1024


if __name__ == "__main__":
    sys.exit(main())
