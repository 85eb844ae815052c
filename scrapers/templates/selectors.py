"""From the elements each page shows a field in to the one CSS selector that finds it on
most pages.

Candidates come from every element of a page's same-text chain: its stable id, its stable
classes (a token with a run of digits names one story, not the layout), a path from the
nearest ancestor that has one, and the bare tag. A candidate's support is the share of all
learning pages on which it finds (as the rules path reads selectors: the first match; for
text fields the first match with text; for dates the first that parses) one of the
elements that page showed the field in. The best candidate wins: highest support, then
the deepest element, then ids before classes before paths before tags.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import IntEnum
from functools import lru_cache

from cssselect import SelectorError
from lxml import etree
from lxml.cssselect import CSSSelector

from scrapers.dates import find_vn_date, parse_iso
from scrapers.templates.model import Rule
from scrapers.text import clean_text

_TOKEN = re.compile(r"^[A-Za-z_][\w-]*$")
_STORY_NUMBER = re.compile(r"\d{3,}")
_ANCESTOR_STEPS = 3


class Kind(IntEnum):
    """How a candidate names its element, most specific first (the tie-break order)."""

    ID = 0
    CLASS = 1
    CHILD = 2
    DESCENDANT = 3
    TAG = 4


@dataclass(frozen=True)
class Candidate:
    css: str
    depth: int  # position in the chain: 0 is the deepest element
    kind: Kind


def _stable(token: str) -> bool:
    return bool(_TOKEN.match(token)) and not _STORY_NUMBER.search(token)


def own_selectors(el: etree._Element) -> list[tuple[Kind, str]]:
    """``#id`` and ``tag.class`` for the element's stable id and classes."""
    out = []
    if (ident := el.get("id") or "") and _stable(ident):
        out.append((Kind.ID, f"#{ident}"))
    out += [(Kind.CLASS, f"{el.tag}.{c}") for c in (el.get("class") or "").split() if _stable(c)]
    return out


def _path(el: etree._Element) -> tuple[Kind, str] | None:
    """``A > tag`` or ``A tag`` from the nearest ancestor A with a stable id or class."""
    for steps, up in enumerate(el.iterancestors()):
        if steps >= _ANCESTOR_STEPS or up.tag in ("body", "html"):
            return None
        if own := own_selectors(up):
            return ((Kind.CHILD, f"{own[0][1]} > {el.tag}") if steps == 0
                    else (Kind.DESCENDANT, f"{own[0][1]} {el.tag}"))
    return None


def candidates(chain: Sequence[etree._Element]) -> list[Candidate]:
    out = []
    for depth, el in enumerate(chain):
        named = own_selectors(el) or [p for p in (_path(el),) if p]
        out += [Candidate(css, depth, kind) for kind, css in named]
        out.append(Candidate(el.tag, depth, Kind.TAG))
    return out


@lru_cache(maxsize=1024)
def _compiled(css: str) -> CSSSelector | None:
    try:
        return CSSSelector(css, translator="html")
    except SelectorError:
        return None


def matches(root: etree._Element, css: str) -> list[etree._Element]:
    """The elements ``css`` selects under ``root`` (none for a selector lxml refuses)."""
    selector = _compiled(css)
    return selector(root) if selector is not None else []


def first_match(root: etree._Element, css: str) -> etree._Element | None:
    return next(iter(matches(root, css)), None)


def first_with_text(root: etree._Element, css: str) -> etree._Element | None:
    return next((el for el in matches(root, css) if clean_text(el.text_content())), None)


def first_date(root: etree._Element, css: str) -> etree._Element | None:
    return next((el for el in matches(root, css)
                 if parse_iso(el.get("datetime") or el.get("content"))
                 or find_vn_date(clean_text(el.text_content()))), None)


Finder = Callable[[etree._Element, str], "etree._Element | None"]
FINDERS: dict[str, Finder] = {"body": first_match, "title": first_with_text,
                              "lead": first_with_text, "author": first_with_text,
                              "date": first_date}


def _finds(found: etree._Element | None, chain: Sequence[etree._Element]) -> bool:
    return found is not None and any(found is el for el in chain)


def best_selector(trees: Sequence[etree._Element],
                  chains: Sequence[Sequence[etree._Element] | None], finder: Finder,
                  *, min_support: float) -> Rule | None:
    """The candidate with the highest support over ``trees`` (``chains[i]``: where page i
    shows the field, None when it does not), if that reaches ``min_support``."""
    best: dict[str, tuple[int, Kind, int]] = {}
    for chain in chains:
        for c in candidates(chain or []):
            depth, kind, count = best.get(c.css, (c.depth, c.kind, 0))
            best[c.css] = (min(depth, c.depth), kind, count + 1)
    ranked = []
    for css, (depth, kind, count) in best.items():
        hits = sum(1 for tree, chain in zip(trees, chains, strict=True)
                   if chain and _finds(finder(tree, css), chain))
        ranked.append((-hits, depth, kind, -count, css))
    if not ranked:
        return None
    hits, *_, css = min(ranked)
    support = round(-hits / len(trees), 3)
    return Rule(css, support) if support >= min_support else None
