"""The article's images, read from the page element that holds the chosen body, so that
wanting images never changes the text chosen (asking trafilatura for them does)."""

from __future__ import annotations

from copy import copy

from lxml import etree

from scrapers.extract.assemble import collect_images
from scrapers.extract.cleanup import Para
from scrapers.extract.generic.chrome import CHROME_ATTR
from scrapers.extract.generic.defaults import DEFAULTS, GenericDefaults
from scrapers.extract.generic.measure import text_chars
from scrapers.extract.model import Image

_HOLDER = etree.XPath(f"//body//text()[contains(normalize-space(.), $s)]/parent::*"
                      f"[not(ancestor-or-self::*[@{CHROME_ATTR}])]")
_MARKED = etree.XPath(f"descendant::*[@{CHROME_ATTR}]")
_SNIPPET_WORDS = 5
_ENDS = 2  # paragraphs looked up at each end of the body


def _holder(tree: etree._Element, para: Para) -> etree._Element | None:
    """The element whose own text holds part of the paragraph: a few words from its start,
    middle or end (a link inside the paragraph splits its text)."""
    words = para.text.split()
    for start in (0, len(words) // 2, max(len(words) - _SNIPPET_WORDS, 0)):
        snippet = " ".join(words[start:start + _SNIPPET_WORDS])
        if len(snippet) >= 12 and '"' not in snippet:
            found = _HOLDER(tree, s=snippet)
            if found:
                return found[0]
    return None


def _common_ancestor(a: etree._Element, b: etree._Element) -> etree._Element:
    above_a = {a, *a.iterancestors()}
    return next(el for el in (b, *b.iterancestors()) if el in above_a)


def _grown(area: etree._Element, defaults: GenericDefaults) -> etree._Element:
    """Up to the wrapper that adds little text: the headline, a date, the lead picture."""
    chars = text_chars(area)
    while (parent := area.getparent()) is not None and parent.tag not in ("body", "html") and (
            text_chars(parent) <= (1 + defaults.region_growth) * chars):
        area = parent
    return area


def _holding(tree: etree._Element, paragraphs: list[Para]) -> etree._Element | None:
    ends = paragraphs[:_ENDS] + paragraphs[-_ENDS:]
    holders = [h for p in ends if (h := _holder(tree, p)) is not None]
    if not holders:
        return None
    area = holders[0]
    for other in holders[1:]:
        area = _common_ancestor(area, other)
    return area


def body_images(tree: etree._Element, paragraphs: list[Para], region: list[etree._Element],
                url: str, *, in_region: bool, defaults: GenericDefaults = DEFAULTS
                ) -> list[Image]:
    """Images outside furniture in the element holding ``paragraphs``: the density
    ``region`` when the body is (``in_region``) or when the body is not found on the page."""
    area = None if in_region or not paragraphs else _holding(tree, paragraphs)
    areas = [area] if area is not None else region
    if len(areas) == 1:
        areas = [_grown(areas[0], defaults)]
    images: list[Image] = []
    for el in areas:
        if _MARKED(el):  # furniture inside: read a copy without it
            el = copy(el)
            for junk in _MARKED(el):
                junk.getparent().remove(junk)
        images += collect_images(el, url)
    return images
