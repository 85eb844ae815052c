"""One learning page, read the way extraction reads it: parsed, bodies that the page's
JavaScript would decode already decoded (so a selector learned here finds the same tree at
extraction time), its <head> metadata, and its text blocks.

A text block is a leaf block element (a <p>, <li>, <h3>, a <div> of text and inline
markup): the unit ``element_paragraphs`` cuts a body into, so a block the learner calls
boilerplate is a paragraph the template can drop.
"""

from __future__ import annotations

from dataclasses import dataclass

import lxml.html
from lxml import etree

from scrapers.extract.assemble import BLOCK_TAGS
from scrapers.extract.decode_body import decode_embedded
from scrapers.extract.page import PageMeta, parse_html, read_meta
from scrapers.templates.model import block_key
from scrapers.text import clean_text

_IS_BLOCK = " or ".join(f"self::{t}" for t in sorted(BLOCK_TAGS))
_LEAF_BLOCKS = etree.XPath(f"//body//*[{_IS_BLOCK}][not(descendant::*[{_IS_BLOCK}])]")
_LINKS = etree.XPath(".//a")
_IMAGES = etree.XPath(".//img")
_MAX_BOX_TEXT = 300  # an image block says at most a caption's worth besides its links
BOX_LINK_SHARE = 0.5


def link_share(el: etree._Element, text: str) -> float:
    """How much of ``text`` (the element's clean text) is link text."""
    if not text:
        return 0.0
    linked = sum(len(clean_text(a.text_content())) for a in _LINKS(el))
    return min(1.0, linked / len(text))


def is_box(el: etree._Element) -> bool:
    """A list of links (related stories, share buttons) or an image with its caption:
    something set into a body that is not its running text."""
    text = clean_text(el.text_content())
    share = link_share(el, text)
    if share >= BOX_LINK_SHARE:
        return True
    return bool(_IMAGES(el)) and len(text) * (1 - share) < _MAX_BOX_TEXT


@dataclass(frozen=True, eq=False)
class TextBlock:
    el: etree._Element
    text: str
    key: str
    link_share: float


@dataclass(eq=False)
class LearnPage:
    url: str
    tree: lxml.html.HtmlElement
    meta: PageMeta
    blocks: list[TextBlock]
    order: dict[etree._Element, int]  # each element's position in document order

    def inside(self, el: etree._Element, container: etree._Element | None) -> bool:
        """``el`` is ``container`` or lies within it."""
        return container is not None and (el is container or any(
            a is container for a in el.iterancestors()))


def read_page(html: str, url: str) -> LearnPage:
    tree = parse_html(html)
    decode_embedded(tree)
    blocks = []
    for el in _LEAF_BLOCKS(tree):
        text = clean_text(el.text_content())
        if text:
            blocks.append(TextBlock(el, text, block_key(text), link_share(el, text)))
    return LearnPage(url, tree, read_meta(tree, url), blocks,
                     {el: i for i, el in enumerate(tree.iter())})
