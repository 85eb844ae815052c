"""Profile one pipeline stage of a replica crawl with pyinstrument, to see where a stage's
CPU goes before changing it; the split between Python and the Postgres backend comes first.

    .venv/bin/python bench/profile_stage.py --stage dedupe [--articles 1000]
        [--site baothanhhoa]

The site is served from its own process and crawled without pacing, as in
bench/pipeline.py; only the chosen stage (discover, fetch, extract_step, dedupe) runs under
the profiler, which samples the main thread (fetch's requests run in worker threads, so for
fetch it shows the storing side). Needs pyinstrument (requirements-dev.txt).
"""

from __future__ import annotations

import argparse
import logging
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext

from _support import CpuClock, admin_url, bench_settings, crawl_once, paced, served, warehouse
from pyinstrument import Profiler
from sqlalchemy import create_engine

from replica.data import END, START

STAGES = ("discover", "fetch", "extract_step", "dedupe")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--stage", choices=STAGES, required=True)
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--site", default="baothanhhoa")
    ap.add_argument("--interval", type=float, default=0.001, help="sampling interval, s")
    args = ap.parse_args()
    logging.basicConfig(level=logging.ERROR)
    profiler = Profiler(interval=args.interval)
    with admin_url() as admin, warehouse(admin) as db_url, \
            served([args.site], args.articles) as [base_url]:
        engine = create_engine(db_url)
        clock = CpuClock(engine)

        @contextmanager
        def profiled() -> Iterator[None]:
            client, backend, wall = time.process_time(), clock.backends(), time.perf_counter()
            profiler.start()
            yield
            profiler.stop()
            client, backend = time.process_time() - client, clock.backends() - backend
            print(f"{args.stage}: wall {time.perf_counter() - wall:.2f} s, CPU python "
                  f"{client:.2f} s + postgres backend {backend:.2f} s")

        def stage(name: str) -> AbstractContextManager[None]:
            return profiled() if name == args.stage else nullcontext()

        summary = crawl_once(engine, paced(args.site, 0.0), START, END, base_url,
                             bench_settings(), "profile", stage)
        engine.dispose()
    print(summary)
    print(profiler.output_text(unicode=True, color=False))


if __name__ == "__main__":
    main()
