"""Extraction quality on the replica fixture set: provnews against plain trafilatura.

For every page of replica/fixtures/extract/ the extractors run in the same process (provnews
as deployed, provnews's generic path alone with the site rules switched off, plain
trafilatura) and are scored against the hand-written expected output:

- title, author, lead: exact match (None == None counts as right);
- published_at: exact to the minute, as an instant (trafilatura's date is asked for with a
  time of day, and a date without an offset is read as Asia/Ho_Chi_Minh, its best chance);
- body token F1: multiset F1 of lower-cased word tokens of the body, as each extractor
  stores it (so text left decomposed, or with entities, counts against it);
- lead+body F1: the same over lead and body together (trafilatura has no separate lead,
  so this is the kinder score for it);
- clean body: no boilerplate string of the test suite in the body.

Columns:

- provnews: as deployed (the site's hand rules where the page's site has them);
- generic path: provnews with no site at all (``site=None``), so the generic fallback;
- learned template: provnews with the page's site but its hand rules removed, and the
  template learned, as production learns one (``learn_template``), from the first 40
  replica pages of that site (bench/_templates.py): the path a site without rules takes.
  The generic pages have no site, hence no template: there it is the generic path;
- trafilatura: ``bare_extraction`` with metadata.

These pages are the set the rules and the post-processing were written against, so
provnews's own scores say that its tests pass, not how it does on unseen pages (for those,
see bench/extract_aeb.py). The fixture pages are hand-made pages of the replica's markup,
not pages the templates were learned from.

A second table runs on the replica sites themselves, one row per replica site (every CMS
family the replica has: dcontent, phunu, quangngai, and the rule-less wordpress, legacy and
jsonld): a template learned from the site's first 40 pages, then 100 held-out pages
extracted by the learned template, the generic path and trafilatura, scored against the
dataset's ground truth (body F1 against its paragraphs, lead+body F1 against lead and
paragraphs, title exact). Both provnews columns there get the site with its rules removed
(the generic one without a template), so they differ only by the template; 'served' counts
the pages the template read (the rest fell through to the generic path), and a page
provnews refuses as not an article scores as an empty output.

    .venv/bin/python bench/extract_quality.py [--pages]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import trafilatura
from _templates import LEARN_PAGES, fetched_at, held_out, learned, rules_off

from replica.cases import BOILERPLATE, Case, load_cases
from replica.data import SPECS, Article
from scrapers.dates import VN_TZ
from scrapers.extract import NotAnArticle, extract_article
from scrapers.registry import Site
from scrapers.templates.model import Template

_TOKEN = re.compile(r"\w+")
TRAFILATURA_DATES = {"outputformat": "%Y-%m-%dT%H:%M:%S%z", "original_date": True,
                     "extensive_search": True}
HELD_OUT = 100  # replica pages per site for the second table


@dataclass
class Output:
    title: str | None
    author: str | None
    lead: str | None
    published_at: datetime | None
    body: str


def run_provnews(html: str, url: str, site: Site | None, when: datetime,
                 template: Template | None = None) -> tuple[Output, str]:
    """provnews's output and the extractor that produced it."""
    a = extract_article(html, url, site, fetched_at=when, template=template)
    return Output(a.title, a.author, a.lead, a.published_at, a.body), a.extractor


def provnews(case: Case) -> Output:
    return run_provnews(case.html, case.url, case.site, case.fetched_at)[0]


def provnews_generic(case: Case) -> Output:
    return run_provnews(case.html, case.url, None, case.fetched_at)[0]


def provnews_template(case: Case) -> Output:
    slug = case.expected["site"]
    if slug is None:  # no site, no template: the generic path
        return provnews_generic(case)
    return run_provnews(case.html, case.url, rules_off(slug), case.fetched_at,
                        learned(slug))[0]


def plain_trafilatura(case: Case) -> Output:
    return run_trafilatura(case.html, case.url)


def run_trafilatura(html: str, url: str) -> Output:
    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True,
                                      date_extraction_params=TRAFILATURA_DATES)
    if doc is None:
        return Output(None, None, None, None, "")
    published = None
    if doc.date:
        published = datetime.fromisoformat(doc.date)
        published = published.replace(tzinfo=VN_TZ) if published.tzinfo is None else published
    return Output(doc.title, doc.author, doc.description, published, doc.text or "")


def tokens(text: str | None) -> Counter[str]:
    return Counter(_TOKEN.findall((text or "").lower()))


def f1(got: str | None, expected: str | None) -> float:
    g, e = tokens(got), tokens(expected)
    if not g and not e:
        return 1.0
    common = sum((g & e).values())
    if not common:
        return 0.0
    precision, recall = common / sum(g.values()), common / sum(e.values())
    return 2 * precision * recall / (precision + recall)


def expected_time(case: Case) -> datetime | None:
    value = case.expected["published_at"]
    return datetime.fromisoformat(value) if value else None


def same_minute(a: datetime | None, b: datetime | None) -> bool:
    if a is None or b is None:
        return a is b
    return a.replace(second=0, microsecond=0) == b.replace(second=0, microsecond=0)


def lead_and_body(out: Output) -> str:
    """The lead before the body, unless the body already has it."""
    return f"{out.lead or ''}\n\n{out.body}" if out.lead and out.lead not in out.body \
        else out.body


def score(case: Case, out: Output) -> dict[str, float]:
    exp = case.expected
    full_expected = f"{exp['lead'] or ''}\n\n{case.body}"
    return {
        "title": float(out.title == exp["title"]),
        "author": float(out.author == exp["author"]),
        "lead": float(out.lead == exp["lead"]),
        "published_at": float(same_minute(out.published_at, expected_time(case))),
        "body F1": f1(out.body, case.body),
        "lead+body F1": f1(lead_and_body(out), full_expected),
        "clean body": float(not any(j in out.body for j in BOILERPLATE)),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", action="store_true", help="also print per-page scores")
    args = parser.parse_args()
    cases = load_cases()
    extractors: dict[str, Callable[[Case], Output]] = {
        "provnews": provnews, "generic path": provnews_generic,
        "learned template": provnews_template, "trafilatura": plain_trafilatura}
    scores = {name: [score(c, fn(c)) for c in cases] for name, fn in extractors.items()}
    fields = list(scores["provnews"][0])

    print(f"Extraction quality over {len(cases)} replica pages "
          f"({sum(1 for c in cases if c.site)} with site rules, "
          f"{sum(1 for c in cases if not c.site)} generic). 'generic path' is provnews with "
          "the site rules switched off;\n'learned template' is provnews with the site's rules "
          f"removed and a template learned from {LEARN_PAGES} replica pages of the site.\n")
    print(f"{'field':<14}" + "".join(f" {name:>16}" for name in extractors)
          + f" {'provnews - trafilatura':>23}")
    for field in fields:
        means = {name: sum(s[field] for s in scores[name]) / len(cases) for name in extractors}
        print(f"{field:<14}" + "".join(f" {m:>16.3f}" for m in means.values())
              + f" {means['provnews'] - means['trafilatura']:>+23.3f}")
    if args.pages:
        print(f"\n{'page':<40} {'body F1 ours':>12} {'template':>8} {'theirs':>7}"
              "  fields trafilatura missed")
        for case, ours, tpl, theirs in zip(cases, scores["provnews"],
                                           scores["learned template"], scores["trafilatura"],
                                           strict=True):
            missed = [f for f in ("title", "author", "published_at") if not theirs[f]]
            print(f"{case.name:<40} {ours['body F1']:>12.3f} {tpl['body F1']:>8.3f} "
                  f"{theirs['body F1']:>7.3f}  {', '.join(missed)}")
    replica_table()
    return 0


REPLICA_SCORES = ("body F1", "lead+body F1", "title")
REPLICA_COLUMNS = ("template", "generic", "trafilatura")


def replica_score(a: Article, out: Output) -> dict[str, float]:
    return {"body F1": f1(out.body, a.text),
            "lead+body F1": f1(lead_and_body(out), f"{a.lead}\n\n{a.text}"),
            "title": float(out.title == a.title)}


def replica_row(slug: str) -> tuple[int, dict[str, dict[str, float]]]:
    """Pages the template served, and per column the mean of each score over the
    held-out pages of ``slug``."""
    template, site, when = learned(slug), rules_off(slug), fetched_at(slug)
    pages = held_out(slug, HELD_OUT)
    served = 0
    totals = {c: dict.fromkeys(REPLICA_SCORES, 0.0) for c in REPLICA_COLUMNS}
    for a, html in pages:
        outs = {}
        for column, tpl in (("template", template), ("generic", None)):
            try:
                outs[column], extractor = run_provnews(html, a.url, site, when, tpl)
            except NotAnArticle:
                outs[column], extractor = Output(None, None, None, None, ""), ""
            served += column == "template" and extractor == "provnews-template"
        outs["trafilatura"] = run_trafilatura(html, a.url)
        for column, out in outs.items():
            for name, value in replica_score(a, out).items():
                totals[column][name] += value
    return served, {c: {n: v / len(pages) for n, v in t.items()} for c, t in totals.items()}


def replica_table() -> None:
    print(f"\nOn the replica sites: template learned from each site's first {LEARN_PAGES} "
          f"pages, scored on the next {HELD_OUT} against the dataset (rules removed in both "
          "provnews columns).\n")
    groups = "".join(f" | {name:^32}" for name in REPLICA_SCORES)
    print(f"{'site':<13} {'family':<10} {'served':>6}{groups}".rstrip())
    print(f"{'':<13} {'':<10} {'':>6}"
          + " | ".join([""] + [" ".join(f"{c:>10}" for c in REPLICA_COLUMNS)] * 3))
    rows = {slug: replica_row(slug) for slug in SPECS}
    for slug, (served, means) in rows.items():
        print(f"{slug:<13} {SPECS[slug].family:<10} {served:>6}"
              + " | ".join([""] + [" ".join(f"{means[c][n]:>10.3f}" for c in REPLICA_COLUMNS)
                                   for n in REPLICA_SCORES]))
    mean = {c: {n: sum(m[c][n] for _, m in rows.values()) / len(rows) for n in REPLICA_SCORES}
            for c in REPLICA_COLUMNS}
    print(f"{'mean':<13} {'':<10} {sum(s for s, _ in rows.values()):>6}"
          + " | ".join([""] + [" ".join(f"{mean[c][n]:>10.3f}" for c in REPLICA_COLUMNS)
                               for n in REPLICA_SCORES]))


if __name__ == "__main__":
    sys.exit(main())
