"""Templates learned from replica pages: where hand rules exist, the learned selectors find
the very elements the rules find; where there are none, the learned template's bodies match
the replica's ground truth (token F1, the generic path's figure printed beside it)."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

import pytest

from replica.data import Article, dataset
from replica.families import FAMILY_SITES, app_for
from scrapers.extract import extract_article
from scrapers.registry import ExtractRules, get_site
from scrapers.settings import Settings
from scrapers.templates.learn import learn_template
from scrapers.templates.model import Template
from scrapers.templates.sample import read_page
from scrapers.templates.selectors import first_date, first_match, first_with_text

LEARN_PAGES = 40
HELD_OUT = 120
_TOKEN = re.compile(r"\w+")


def replica_pages(slug: str) -> list[tuple[Article, str]]:
    """Every crawlable article of replica ``slug`` with its page as the site serves it."""
    ds = dataset(slug)
    app = app_for(ds, 0.0)
    latest = list(ds.articles[:5])
    return [(a, app.article_html(a, latest, a.modified_at)) for a in ds.articles if a.crawlable]


@cache
def learned(slug: str) -> Template:
    pages = replica_pages(slug)[:LEARN_PAGES]
    template = learn_template([(html, a.url) for a, html in pages], settings=Settings())
    assert template is not None
    return template


def f1(got: str, expected: str) -> float:
    g, e = Counter(_TOKEN.findall(got.lower())), Counter(_TOKEN.findall(expected.lower()))
    common = sum((g & e).values())
    if not common:
        return 0.0
    precision, recall = common / sum(g.values()), common / sum(e.values())
    return 2 * precision * recall / (precision + recall)


# hand rule lookups as the rules path reads them: body the first match, title the first
# match with text, date the first match that parses
RULE_FINDERS = {"body": first_match, "title": first_with_text, "date": first_date}


def _hand(tree, selectors: list[str], finder):
    return next((el for css in selectors if (el := finder(tree, css)) is not None), None)


@pytest.mark.parametrize("slug", ["baothanhhoa", "phunuvietnam", "baoquangngai"])
def test_learned_selectors_find_what_the_hand_rules_find(slug):
    """dcontent, phunu and quangngai: on every page (learning pages and held-out ones) the
    learned body, title and date selectors select the element the hand rules select."""
    template, rules = learned(slug), get_site(slug).extract
    assert {"body", "title", "date"} <= template.fields.keys()
    disagree: Counter[str] = Counter()
    pages = replica_pages(slug)[:LEARN_PAGES + HELD_OUT]
    for a, html in pages:
        tree = read_page(html, a.url).tree  # as extraction sees it: encoded bodies decoded
        for name, finder in RULE_FINDERS.items():
            hand = _hand(tree, getattr(rules, name), finder)
            ours = finder(tree, template.fields[name].value)
            if hand is None or ours is not hand:
                disagree[name] += 1
    print(f"\n{slug}: learned {', '.join(f'{n}={template.fields[n].value}' for n in RULE_FINDERS)}"
          f" vs hand {', '.join(f'{n}={getattr(rules, n)}' for n in RULE_FINDERS)};"
          f" disagreements over {len(pages)} pages: {dict(disagree) or 'none'}")
    assert disagree == Counter()


RULELESS = [*FAMILY_SITES, "baothanhhoa"]  # the new families, and a dcontent site stripped


@pytest.mark.parametrize("slug", RULELESS)
def test_learned_template_bodies_match_the_ground_truth(slug):
    """Sites without rules: a template learned from 40 pages extracts the held-out pages'
    bodies with token F1 >= 0.98 (the generic path's figure is printed beside it)."""
    site = get_site(slug).model_copy(update={"extract": ExtractRules()}) \
        if slug not in FAMILY_SITES else None
    template = learned(slug)
    held_out = replica_pages(slug)[LEARN_PAGES:LEARN_PAGES + HELD_OUT]
    ours, generic, extractors = [], [], Counter()
    for a, html in held_out:
        article = extract_article(html, a.url, site, template=template)
        extractors[article.extractor] += 1
        ours.append(f1(article.body, a.text))
        generic.append(f1(extract_article(html, a.url, site).body, a.text))
    mean, base = sum(ours) / len(ours), sum(generic) / len(generic)
    print(f"\n{slug}: body token F1 over {len(held_out)} held-out pages: learned template "
          f"{mean:.4f} (min {min(ours):.3f}), generic path {base:.4f}")
    assert extractors == {"provnews-template": len(held_out)}
    assert mean >= 0.98


def test_a_learned_template_reads_title_lead_date_and_author_too():
    """On the WordPress replica the other fields come out as published as well."""
    template = learned("baodanang")
    wrong: Counter[str] = Counter()
    for a, html in replica_pages("baodanang")[LEARN_PAGES:LEARN_PAGES + 40]:
        art = extract_article(html, a.url, None, template=template)
        for name, ok in (("title", art.title == a.title), ("lead", art.lead == a.lead),
                         ("author", art.author == a.author),
                         ("published_at", art.published_at == a.published_at)):
            wrong[name] += not ok
    assert +wrong == Counter()

