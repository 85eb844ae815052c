"""Boxes a site sets into its bodies that are not running text (related stories, share
bars, images with their captions, promos), learned as ``exclude`` selectors.

Inside each page's body, every element with a stable id or class (and the bare figure,
table, list and aside tags) proposes its selectors. A selector is kept when, on at least
``min_pages`` pages, what it matches is a box (``sample.is_box``) or holds only
boilerplate blocks, and on (almost) no page it matches running text. Of selectors that
match the same boxes, the outermost is kept.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from lxml import etree

from scrapers.templates.model import Rule
from scrapers.templates.sample import LearnPage, TextBlock, is_box
from scrapers.templates.selectors import Kind, matches, own_selectors
from scrapers.text import clean_text

_BARE_TAGS = frozenset({"figure", "figcaption", "table", "aside", "nav", "form", "ul", "ol"})
_CONTENT_TOLERANCE = 0.02  # share of its pages a kept selector may match running text on
_MIN_CONTENT = 20


@dataclass
class _Stats:
    kind: Kind
    depth: int
    box_pages: int = 0
    text_pages: int = 0
    matched_pages: int = 0
    found: list[list[etree._Element]] = field(default_factory=list)  # per matched page


def _depth(el: etree._Element, body: etree._Element) -> int:
    return next(i for i, up in enumerate(el.iterancestors()) if up is body)


def _blocks_under(page: LearnPage, body: etree._Element) -> dict[etree._Element, list[TextBlock]]:
    under: dict[etree._Element, list[TextBlock]] = defaultdict(list)
    for b in page.blocks:
        for el in (b.el, *b.el.iterancestors()):
            if el is body:
                break
            under[el].append(b)
    return under


def _proposals(body: etree._Element) -> dict[str, Kind]:
    out: dict[str, Kind] = {}
    for el in body.iterdescendants():
        if not isinstance(el.tag, str):
            continue
        for kind, css in own_selectors(el):
            out.setdefault(css, kind)
        if el.tag in _BARE_TAGS:
            out.setdefault(el.tag, Kind.TAG)
    return out


def _count(stats: dict[str, _Stats], page: LearnPage, body: etree._Element,
           boilerplate_keys: Collection[str]) -> None:
    under = _blocks_under(page, body)

    def box(el: etree._Element) -> bool:
        leaves = under.get(el, [])
        return is_box(el) or (bool(leaves) and all(b.key in boilerplate_keys for b in leaves))

    for css, kind in _proposals(body).items():
        found = [el for el in matches(body, css) if el is not body]
        if not found:
            continue
        depth = min(_depth(el, body) for el in found)
        s = stats.setdefault(css, _Stats(kind, depth))
        s.depth = min(s.depth, depth)
        s.matched_pages += 1
        s.found.append(found)
        boxes = [box(el) for el in found]
        if any(not b and len(clean_text(el.text_content())) >= _MIN_CONTENT
               for el, b in zip(found, boxes, strict=True)):
            s.text_pages += 1
        elif any(boxes):
            s.box_pages += 1


def _covered(found: list[list[etree._Element]], kept: list[set[etree._Element]]) -> bool:
    """Every element ``found`` lies in (or is) one a kept selector already removes."""
    removed = set().union(*kept) if kept else set()
    return all(any(a in removed for a in (el, *el.iterancestors()))
               for page in found for el in page)


def learn_excludes(pages: Sequence[LearnPage], bodies: Sequence[etree._Element | None],
                   boilerplate_keys: Collection[str], *, min_pages: int) -> tuple[Rule, ...]:
    stats: dict[str, _Stats] = {}
    for page, body in zip(pages, bodies, strict=True):
        if body is not None:
            _count(stats, page, body, boilerplate_keys)
    eligible = sorted(
        (css for css, s in stats.items() if s.box_pages >= min_pages
         and s.text_pages <= _CONTENT_TOLERANCE * s.matched_pages),
        key=lambda css: (stats[css].depth, -stats[css].box_pages, stats[css].kind, css))
    kept: list[set[etree._Element]] = []
    rules = []
    for css in eligible:
        if not _covered(stats[css].found, kept):
            kept.append({el for page in stats[css].found for el in page})
            rules.append(Rule(css, round(stats[css].box_pages / len(pages), 3)))
    return tuple(rules)
