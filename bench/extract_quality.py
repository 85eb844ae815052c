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

These pages are the set the rules and the post-processing were written against, so
provnews's own scores say that its tests pass, not how it does on unseen pages (for those,
see bench/extract_aeb.py). The 'generic path' column (site rules off) shows what the generic
path alone makes of the site pages.

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

from replica.cases import BOILERPLATE, Case, load_cases
from scrapers.dates import VN_TZ
from scrapers.extract import extract_article

_TOKEN = re.compile(r"\w+")
TRAFILATURA_DATES = {"outputformat": "%Y-%m-%dT%H:%M:%S%z", "original_date": True,
                     "extensive_search": True}


@dataclass
class Output:
    title: str | None
    author: str | None
    lead: str | None
    published_at: datetime | None
    body: str


def provnews(case: Case) -> Output:
    a = extract_article(case.html, case.url, case.site, fetched_at=case.fetched_at)
    return Output(a.title, a.author, a.lead, a.published_at, a.body)


def provnews_generic(case: Case) -> Output:
    a = extract_article(case.html, case.url, None, fetched_at=case.fetched_at)
    return Output(a.title, a.author, a.lead, a.published_at, a.body)


def plain_trafilatura(case: Case) -> Output:
    doc = trafilatura.bare_extraction(case.html, url=case.url, with_metadata=True,
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


def score(case: Case, out: Output) -> dict[str, float]:
    exp = case.expected
    full_expected = f"{exp['lead'] or ''}\n\n{case.body}"
    return {
        "title": float(out.title == exp["title"]),
        "author": float(out.author == exp["author"]),
        "lead": float(out.lead == exp["lead"]),
        "published_at": float(same_minute(out.published_at, expected_time(case))),
        "body F1": f1(out.body, case.body),
        "lead+body F1": f1(f"{out.lead or ''}\n\n{out.body}"
                           if out.lead and out.lead not in out.body else out.body,
                           full_expected),
        "clean body": float(not any(j in out.body for j in BOILERPLATE)),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", action="store_true", help="also print per-page scores")
    args = parser.parse_args()
    cases = load_cases()
    # One column per extractor; a provnews path added later (the learned templates) gets
    # its own column here, between the generic path and trafilatura.
    extractors: dict[str, Callable[[Case], Output]] = {
        "provnews": provnews, "generic path": provnews_generic,
        "trafilatura": plain_trafilatura}
    scores = {name: [score(c, fn(c)) for c in cases] for name, fn in extractors.items()}
    fields = list(scores["provnews"][0])

    print(f"Extraction quality over {len(cases)} replica pages "
          f"({sum(1 for c in cases if c.site)} with site rules, "
          f"{sum(1 for c in cases if not c.site)} generic). 'generic path' is provnews with "
          "the site rules switched off.\n")
    print(f"{'field':<14}" + "".join(f" {name:>13}" for name in extractors)
          + f" {'provnews - trafilatura':>23}")
    for field in fields:
        means = {name: sum(s[field] for s in scores[name]) / len(cases) for name in extractors}
        print(f"{field:<14}" + "".join(f" {m:>13.3f}" for m in means.values())
              + f" {means['provnews'] - means['trafilatura']:>+23.3f}")
    if args.pages:
        print(f"\n{'page':<40} {'body F1 ours':>12} {'theirs':>7}  fields trafilatura missed")
        for case, ours, theirs in zip(cases, scores["provnews"], scores["trafilatura"],
                                      strict=True):
            missed = [f for f in ("title", "author", "published_at") if not theirs[f]]
            print(f"{case.name:<40} {ours['body F1']:>12.3f} {theirs['body F1']:>7.3f}  "
                  f"{', '.join(missed)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
