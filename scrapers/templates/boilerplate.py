"""The text blocks a site repeats on a large share of its pages (menus, footers, "Tin
liên quan", share bars, copyright lines): counted by document frequency of their keys.

A repeated sentence that the site prints as an ordinary paragraph of the body (its
sign-off, "Mời bạn đọc đón xem các tin, bài tiếp theo ...") is part of the article as the
paper published it, and the hand rules keep it too: it is not boilerplate.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from lxml import etree

from scrapers.templates.model import Block
from scrapers.templates.sample import BOX_LINK_SHARE, LearnPage, TextBlock, is_box

_SENTENCE_WORDS = 8


def recurring_blocks(pages: Sequence[LearnPage], min_share: float) -> dict[str, Block]:
    """Blocks on at least ``min_share`` of the pages, by key (the first spelling seen), the
    most frequent first."""
    df: Counter[str] = Counter()
    texts: dict[str, str] = {}
    for page in pages:
        for b in page.blocks:
            texts.setdefault(b.key, b.text)
        df.update({b.key for b in page.blocks})
    n = len(pages)
    ranked = sorted((key for key, count in df.items() if count >= min_share * n),
                    key=lambda key: (-df[key], texts[key]))
    return {key: Block(texts[key], round(df[key] / n, 3)) for key in ranked}


def _body_sentence(b: TextBlock, page: LearnPage, body: etree._Element | None) -> bool:
    """A running-text sentence of the body: not in a link list or an image block."""
    if not page.inside(b.el, body) or b.link_share >= BOX_LINK_SHARE:
        return False
    if len(b.text.split()) < _SENTENCE_WORDS:
        return False
    for el in (b.el, *b.el.iterancestors()):
        if el is body:
            return True
        if is_box(el):
            return False
    return False


def boilerplate(recurring: dict[str, Block], pages: Sequence[LearnPage],
                bodies: Sequence[etree._Element | None]) -> dict[str, Block]:
    """The recurring blocks less the body's own repeated sentences, in their order."""
    seen: Counter[str] = Counter()
    in_body: Counter[str] = Counter()
    for page, body in zip(pages, bodies, strict=True):
        keys = {b.key for b in page.blocks if b.key in recurring}
        seen.update(keys)
        in_body.update({b.key for b in page.blocks
                        if b.key in keys and _body_sentence(b, page, body)})
    return {key: block for key, block in recurring.items() if in_body[key] * 2 < seen[key]}
