"""Article-body quality and speed on real pages nobody here wrote: the ScrapingHub
article-extraction-benchmark (github.com/scrapinghub/article-extraction-benchmark, MIT; 181
news pages, mostly English), scored by the benchmark's own evaluate.py.

provnews's generic path (extract_article without site rules; the body, without the lead it
stores apart) runs beside plain trafilatura.extract and other open-source extractors from
PyPI (requirements-dev.txt), all in one run, each given the raw HTML of every page so that
each parses it itself. A second provnews row, "provnews core", is the same path without the
stages extract_article adds around it (decoding bodies encoded for JavaScript, the
not-an-article guards): parse, page metadata, the generic reading, finish; it shows what
those stages cost and change. F1, precision and recall are evaluate.py's shingle scores with its
bootstrap standard deviation. Speed: the process is pinned to one CPU and each extractor's
pass over all pages is timed in CPU seconds (steadier than wall time on a shared machine),
round-robin over the extractors, best of ``--repeats``.

The data is read from AEB_DIR (default ../shared/aeb beside the repository), never copied.

    .venv/bin/python bench/extract_aeb.py [AEB_DIR] [--repeats 3] [--worst 10]
"""

from __future__ import annotations

import argparse
import gc
import gzip
import importlib.util
import json
import logging
import sys
import time
from collections.abc import Callable
from datetime import datetime
from importlib.metadata import version
from pathlib import Path
from types import ModuleType

import justext
import trafilatura
from boilerpy3.extractors import ArticleExtractor
from extract_speed import pin_to_one_core  # bench/ is the script's own folder
from goose3 import Goose
from resiliparse.extract.html2text import extract_plain_text

from scrapers.dates import VN_TZ
from scrapers.extract import NotAnArticle, extract_article
from scrapers.extract.assemble import finish
from scrapers.extract.fallback import extract_fallback
from scrapers.extract.page import parse_html, read_meta

DEFAULT_AEB = Path(__file__).resolve().parents[1].parent / "shared" / "aeb"
Extractor = Callable[[str, str], str]


def load_scorer(aeb: Path) -> ModuleType:
    """The benchmark's own evaluate.py, imported from its folder."""
    spec = importlib.util.spec_from_file_location("aeb_evaluate", aeb / "evaluate.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"no evaluate.py in {aeb}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_pages(aeb: Path) -> tuple[dict[str, dict], dict[str, str]]:
    truth = json.loads((aeb / "ground-truth.json").read_text(encoding="utf-8"))
    pages = {key: gzip.decompress((aeb / "html" / f"{key}.html.gz").read_bytes()).decode()
             for key in truth}
    return truth, pages


def provnews(refused: set[str]) -> Extractor:
    """The generic path's body. A page its not-an-article guards refuse is scored on the
    body it read anyway (and counted in ``refused``): this bench measures body finding."""
    def body(html: str, url: str) -> str:
        try:
            return extract_article(html, url).body
        except NotAnArticle as verdict:
            refused.add(url)
            return verdict.article.body
    return body


def provnews_core(html: str, url: str) -> str:
    """The generic path alone: what extract_article does without its decode and guard
    stages."""
    tree = parse_html(html)
    meta = read_meta(tree, url)
    draft = extract_fallback(tree, url, meta)
    return finish(draft, meta, url=url, site=None, fetched_at=datetime.now(VN_TZ),
                  version="bench").body


def extractors(refused: set[str]) -> dict[str, tuple[str, Extractor]]:
    """name → (version, html, url → body text)."""
    goose, stoplist = Goose(), justext.get_stoplist("English")
    logging.getLogger("goose3").setLevel(logging.ERROR)  # it warns about every odd date

    def jus(html: str, url: str) -> str:
        return "\n".join(p.text for p in justext.justext(html, stoplist) if not p.is_boilerplate)

    return {
        "provnews": (version("provnews"), provnews(refused)),
        "provnews core": (version("provnews"), provnews_core),
        "trafilatura": (version("trafilatura"), lambda html, url: trafilatura.extract(html) or ""),
        "goose3": (version("goose3"), lambda html, url: goose.extract(raw_html=html).cleaned_text),
        "resiliparse": (version("resiliparse"),
                        lambda html, url: extract_plain_text(html, main_content=True)),
        "jusText": (version("jusText"), jus),
        "boilerpy3": (version("boilerpy3"), lambda html, url: ArticleExtractor(
            raise_on_failure=False).get_content(html)),
    }


def guarded(fn: Extractor, url: str, html: str, errors: dict[str, str]) -> str:
    """The extractor's body; an exception scores an empty body and is reported."""
    try:
        return fn(html, url)
    except Exception as exc:
        errors[url] = f"{type(exc).__name__}: {exc}"[:120]
        return ""


def run_all(named: dict[str, tuple[str, Extractor]], truth: dict[str, dict],
            pages: dict[str, str], repeats: int
            ) -> tuple[dict[str, dict], dict[str, float], dict[str, dict[str, str]]]:
    """Every extractor's bodies, its best CPU time for a pass over all pages, its errors."""
    outputs: dict[str, dict] = {}
    best = dict.fromkeys(named, float("inf"))
    errors: dict[str, dict[str, str]] = {name: {} for name in named}
    for _ in range(repeats):
        for name, (_, fn) in named.items():
            gc.collect()
            start = time.process_time()
            bodies = {key: {"articleBody": guarded(fn, truth[key]["url"], html, errors[name])}
                      for key, html in pages.items()}
            best[name] = min(best[name], time.process_time() - start)
            outputs.setdefault(name, bodies)
    return outputs, best, errors


def page_f1(scorer: ModuleType, true: str, pred: str) -> float:
    tp, fp, fn = scorer.string_shingle_matching(true=true, pred=pred)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("aeb", nargs="?", type=Path, default=DEFAULT_AEB, help="AEB folder")
    parser.add_argument("--repeats", type=int, default=3, help="timed passes, best kept")
    parser.add_argument("--n-bootstrap", type=int, default=1000)
    parser.add_argument("--worst", type=int, default=10,
                        help="list the pages where provnews loses most to trafilatura")
    args = parser.parse_args()
    scorer = load_scorer(args.aeb)
    truth, pages = load_pages(args.aeb)
    pinned = pin_to_one_core()
    refused: set[str] = set()
    named = extractors(refused)
    outputs, seconds, errors = run_all(named, truth, pages, args.repeats)
    metrics = {name: scorer.evaluate(truth, outputs[name], args.n_bootstrap) for name in named}

    print(f"AEB: {len(pages)} pages from {args.aeb}; {pinned}; pages/s = pages per CPU second,"
          f" best of {args.repeats} passes\n")
    print(f"{'extractor':<14} {'version':<9} {'F1':>13} {'precision':>10} {'recall':>8}"
          f" {'pages/s':>8}")
    for name, (ver, _) in named.items():
        m = metrics[name]
        print(f"{name:<14} {ver:<9} {m['f1']:>7.3f} ± {m['f1_std']:.3f} {m['precision']:>10.3f}"
              f" {m['recall']:>8.3f} {len(pages) / seconds[name]:>8.1f}")
    theirs = metrics["trafilatura"]
    print()
    for name in ("provnews", "provnews core"):
        ours = metrics[name]
        print(f"{name} / trafilatura: F1 {ours['f1'] / theirs['f1']:.3f}x "
              f"({ours['f1'] - theirs['f1']:+.3f}), pages/s "
              f"{seconds['trafilatura'] / seconds[name]:.2f}x")

    if refused:
        print(f"provnews's not-an-article guards refused {len(refused)} of these articles"
              " (scored on the body read anyway): " + " ".join(sorted(refused)))
    for name, failed in errors.items():
        for url, error in sorted(failed.items()):
            print(f"{name} failed (scored empty) on {url}: {error}")

    if args.worst:
        losses = sorted(
            (page_f1(scorer, t, outputs["provnews"][k]["articleBody"])
             - page_f1(scorer, t, outputs["trafilatura"][k]["articleBody"]), k)
            for k, t in ((k, v["articleBody"]) for k, v in truth.items()))
        print(f"\nthe {args.worst} pages where provnews loses most to trafilatura (F1):")
        for delta, key in losses[:args.worst]:
            t = truth[key]["articleBody"]
            ours_f1, theirs_f1 = (page_f1(scorer, t, outputs[n][key]["articleBody"])
                                  for n in ("provnews", "trafilatura"))
            print(f"{delta:+.3f}  provnews {ours_f1:.3f}  trafilatura {theirs_f1:.3f}"
                  f"  {key[:10]}  {truth[key]['url']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
