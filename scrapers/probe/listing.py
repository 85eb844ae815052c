"""Listing rules (teaser, link and date selectors) inferred from a listing's pages 1 and 2.

A teaser is the outermost element around an article link that holds no other article: a
selector is kept when its teasers on page 1 are not those of page 2 (a "latest news" box
repeats on every page, the listing moves on), and the best one names the most such teasers
with the fewest repeated or empty matches. The date is the teaser part whose short text
reads as a date on most teasers (none for listings that show no dates).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from lxml import etree, html

from scrapers.dates import parse_vn_datetime
from scrapers.probe.pages import absolute
from scrapers.registry import ListingRules
from scrapers.urls import canonicalize

MIN_TEASERS = 3
MOST = 0.8  # share of teasers a link or date selector must work on
_CSS_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_DATE_TEXT_MAX = 40


@dataclass(frozen=True)
class ListingGuess:
    rules: ListingRules
    teasers: int  # on page 1
    dated: int  # of them, with a date


def _parse(body: str) -> html.HtmlElement | None:
    try:
        return html.fromstring(body)
    except (etree.ParserError, ValueError):
        return None


class _Page:
    """One listing page: which of its links are articles."""

    def __init__(self, doc: html.HtmlElement, url: str, pattern: re.Pattern[str]) -> None:
        self.doc, self.url, self.pattern = doc, url, pattern

    def article(self, a: etree._Element) -> str | None:
        href = absolute(a.get("href"), self.url)
        if href is None:
            return None
        url = canonicalize(href)
        return url if self.pattern.search(url) else None

    def teasers(self, selector: str, link: str = "a[href]") -> list[tuple[etree._Element, str]]:
        """(teaser, article URL) for the selector's matches whose first link is an article."""
        out = []
        for el in self.doc.cssselect(selector):
            links = el.cssselect(link)
            if links and (url := self.article(links[0])):
                out.append((el, url))
        return out


def _sig(el: etree._Element) -> list[str]:
    classes = [c for c in (el.get("class") or "").split() if _CSS_IDENT.match(c)]
    return [el.tag, *(f"{el.tag}.{c}" for c in classes)]


def _candidates(page: _Page) -> dict[str, int]:
    """Selectors of the elements that hold exactly one article, with their depth."""
    holds: dict[etree._Element, set[str]] = {}
    for a in page.doc.iter("a"):
        if (url := page.article(a)) is None:
            continue
        node = a.getparent()
        while node is not None:
            holds.setdefault(node, set()).add(url)
            node = node.getparent()
    out: dict[str, int] = {}
    for el, urls in holds.items():
        if len(urls) != 1 or not isinstance(el.tag, str):
            continue
        depth = sum(1 for _ in el.iterancestors())
        parent = el.getparent()
        sigs = _sig(el)
        if parent is not None:
            sigs += [f"{p} > {s}" for p in _sig(parent)[1:] for s in sigs]
        for s in sigs:
            out[s] = min(out.get(s, depth), depth)
    return out


def _link_selector(page: _Page, teasers: list[etree._Element]) -> str:
    """``a[href]`` when the teasers' first link is their article, else the article link's
    own selector."""
    def works(link: str) -> bool:
        return sum(1 for t in teasers if (ls := t.cssselect(link)) and page.article(ls[0])
                   ) >= MOST * len(teasers)

    if works("a[href]"):
        return "a[href]"
    options: Counter[str] = Counter()
    for t in teasers:
        a = next((a for a in t.iter("a") if page.article(a)), None)
        if a is not None:
            options.update(s for s in _sig(a)[1:])
    return next((s for s, _ in options.most_common() if works(s)), "a[href]")


def _date_selector(teasers: list[etree._Element]) -> tuple[str | None, int]:
    options: Counter[str] = Counter()
    for t in teasers:
        for el in t.iter():
            if not isinstance(el.tag, str) or el.tag == "a" or el is t:
                continue
            text = el.text_content().strip()
            if len(text) <= _DATE_TEXT_MAX and parse_vn_datetime(text):
                options.update(_sig(el)[-1:])
    # a <time> element first, then the selector found on the most teasers
    for sel, _ in sorted(options.most_common(), key=lambda o: not o[0].startswith("time")):
        dated = sum(1 for t in teasers if (ns := t.cssselect(sel))
                    and parse_vn_datetime(ns[0].text_content()))
        if dated >= MOST * len(teasers):
            return sel, dated
    return None, 0


def infer_listing_rules(page_one: str, url_one: str, page_two: str, url_two: str,
                        pattern: re.Pattern[str]) -> ListingGuess | None:
    """Rules under which page 1's teasers are articles that page 2 does not repeat."""
    doc1, doc2 = _parse(page_one), _parse(page_two)
    if doc1 is None or doc2 is None:
        return None
    one, two = _Page(doc1, url_one, pattern), _Page(doc2, url_two, pattern)
    scored = []
    for selector, depth in _candidates(one).items():
        first = one.teasers(selector)
        urls1, urls2 = {u for _, u in first}, {u for _, u in two.teasers(selector)}
        unique, shared = len(urls1 - urls2), len(urls1 & urls2)
        if unique < MIN_TEASERS or not urls2 - urls1:
            continue
        idle = len(doc1.cssselect(selector)) - len(first)
        scored.append(((-unique, shared, idle, depth, "." not in selector, len(selector)),
                       selector, [el for el, _ in first]))
    if not scored:
        return None
    _, item, teasers = min(scored, key=lambda s: s[0])
    date, dated = _date_selector(teasers)
    rules = ListingRules(item=item, link=_link_selector(one, teasers), date=date)
    return ListingGuess(rules, len(teasers), dated)
