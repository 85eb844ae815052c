"""A text-density reading of the page: the element whose paragraphs carry the most
unlinked, comma-rich text (readability's scoring, kept small). It is one opinion in the
ensemble, and the region the generic path guards from pruning and takes images from.
"""

from __future__ import annotations

import re
from copy import copy
from dataclasses import dataclass, field

from lxml import etree

from scrapers.extract.assemble import element_paragraphs
from scrapers.extract.cleanup import Para
from scrapers.extract.generic.chrome import CHROME_ATTR
from scrapers.extract.generic.defaults import DEFAULTS, GenericDefaults
from scrapers.extract.generic.measure import linked_chars, text_chars

_FURNITURE = frozenset({"nav", "footer", "aside", "form", "header", "script", "style",
                        "noscript", "template", "button", "select", "head"})
_SCORED = frozenset({"p", "pre", "td", "blockquote", "li", "div"})
# Never body text: dropped from the region's copy before it is read.
_DROP = etree.XPath(
    f"descendant::*[@{CHROME_ATTR} or self::{' or self::'.join(sorted(_FURNITURE))}"
    " or self::figure or self::figcaption or self::iframe or self::svg]")
_LINKED_BLOCKS = etree.XPath("descendant::*[self::p or self::li or self::ul or self::ol"
                             " or self::div or self::h2 or self::h3 or self::h4 or self::table]")
_NEGATIVE = re.compile(r"comment|related|share|social|sidebar|footer|promo|newsletter|subscri"
                       r"|recommend|teaser|widget|advert|menu|breadcrumb|lien-?quan|xem-?them",
                       re.I)
_POSITIVE = re.compile(r"article|body|content|entry|post|story|text|main|detail|noi-?dung",
                       re.I)
_HINT_WEIGHT = 25.0


def _scored_blocks(tree: etree._Element) -> list[etree._Element]:
    """Paragraph-like elements outside furniture (one walk that skips furniture subtrees:
    faster than any XPath or ancestor test here)."""
    found: list[etree._Element] = []
    stack = [tree]
    while stack:
        for child in stack.pop():
            tag = child.tag
            if isinstance(tag, str) and tag not in _FURNITURE:
                stack.append(child)
                if tag in _SCORED:
                    found.append(child)
    return found


@dataclass
class Region:
    """The densest element and its sibling text containers, in document order."""

    elements: list[etree._Element]
    defaults: GenericDefaults = DEFAULTS
    _copies: list[etree._Element] | None = field(default=None, init=False, repr=False)

    def _cleaned(self) -> list[etree._Element]:
        """Copies without furniture, figures and link lists (the page is left as it is)."""
        if self._copies is None:
            self._copies = [self._clean(copy(el)) for el in self.elements]
        return self._copies

    def _clean(self, el: etree._Element) -> etree._Element:
        for junk in _DROP(el):
            junk.getparent().remove(junk)  # with its tail: furniture's text is furniture
        for block in _LINKED_BLOCKS(el):
            text, parent = text_chars(block), block.getparent()
            if text and parent is not None and (
                    linked_chars(block) > self.defaults.link_share * text):
                parent.remove(block)
        el.tail = None
        return el

    def text(self) -> str:
        """The region's text, cheaply: enough to compare it with another reading."""
        return " ".join(etree.tostring(el, method="text", encoding=str)
                        for el in self._cleaned())

    def paragraphs(self) -> list[Para]:
        """The region's text blocks, as the rules path reads a body container."""
        return [p for el in self._cleaned() for p in element_paragraphs(el)]


def _score(el: etree._Element, score: float) -> float:
    hint = f"{el.get('class') or ''} {el.get('id') or ''}"
    if _NEGATIVE.search(hint):
        score -= _HINT_WEIGHT
    if _POSITIVE.search(hint):
        score += _HINT_WEIGHT
    return score


def densest_region(tree: etree._Element, defaults: GenericDefaults = DEFAULTS) -> Region | None:
    scores: dict[etree._Element, float] = {}
    for el in _scored_blocks(tree):
        if el.tag == "div" and len((el.text or "").strip()) < defaults.min_block:
            continue  # a div scores through its paragraphs, unless it holds text itself
        text = etree.tostring(el, method="text", encoding=str, with_tail=False)
        chars = len(" ".join(text.split()))
        if chars < defaults.min_block or linked_chars(el) > defaults.link_share * chars:
            continue
        points = 1 + text.count(",") + min(chars / 100, 3)
        parent = el.getparent()
        scores[parent] = scores.get(parent, 0.0) + points
        grand = parent.getparent()
        if grand is not None:
            scores[grand] = scores.get(grand, 0.0) + points / 2
    ranked = {el: _score(el, s) for el, s in scores.items() if el.tag not in ("html", "body")}
    if not ranked:
        return None
    best = max(ranked, key=ranked.__getitem__)
    parent = best.getparent()
    if parent is None:
        return Region([best], defaults)
    floor = defaults.sibling_share * ranked[best]
    return Region([el for el in parent if el is best or ranked.get(el, 0.0) >= floor > 0],
                  defaults)
