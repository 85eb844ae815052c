"""Where one page shows its body, title, lead, date and author, read from that page alone:
what the learner then looks for one selector to find on most pages.

- body: the element holding the most content text (blocks not repeated across the site,
  mostly not links, at least ``_MIN_TEXT`` long); a paragraph counts for its container and
  half for the container's parent, so the tightest wrapper of the paragraphs wins;
- title: the headline the page's metadata names (JSON-LD headline, og:title, <title>), a
  heading before other elements, never a link;
- date: an element outside the body whose text (or datetime attribute) is a date, nearest
  the title, one with a time of day first;
- lead: the element showing the page's description, else the first longer block after the
  title and outside the body;
- author: a short byline-like text outside the body (a byline inside the body is the
  last-paragraph rule's), nearest the title, one the page marks as the author's first.

Each is returned as its same-text chain, deepest first: the elements showing exactly the
same text, any of which a selector may find.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection

from lxml import etree

from scrapers.dates import find_vn_date, parse_iso
from scrapers.extract.cleanup import parse_byline
from scrapers.templates.model import block_key
from scrapers.templates.sample import BOX_LINK_SHARE, LearnPage
from scrapers.text import clean_text, normalise_for_hash

Chain = list[etree._Element]

_MIN_TEXT = 25
_CONTAINERS = frozenset({"div", "td", "section", "article", "main", "body", "center"})
_TEXTS = etree.XPath("//body//*[not(self::script or self::style)]"
                     "[string-length(normalize-space()) > 0]"
                     "[string-length(normalize-space()) <= $limit]")
_MAX_TITLE_TEXT = 300
_IN_TEASER = etree.XPath("boolean(ancestor-or-self::*[self::a or self::li])")
_HEADINGS = {"h1": 0, "h2": 1, "h3": 1, "h4": 1, "h5": 1, "h6": 1}
_MAX_DATE_TEXT = 120
_MAX_AUTHOR_TEXT = 80
_LEAD_LEN = (30, 1200)
_LEAD_PREFIX_ROOM = 80  # a lead may show the description behind the paper's prefix
_LEAD_MAX_LINK_SHARE = 0.3
_AUTHOR_HINT = re.compile(r"author|byline|tac-?gia|writer|but-?danh", re.I)


def _norm(el: etree._Element) -> str:
    return normalise_for_hash(clean_text(el.text_content()))


def same_text_chain(el: etree._Element) -> Chain:
    """``el`` with the single-child descendants and the ancestors showing its very text."""
    key, chain = _norm(el), [el]
    cur = el
    while len(kids := [c for c in cur if isinstance(c.tag, str)]) == 1 and _norm(kids[0]) == key:
        cur = kids[0]
        chain.insert(0, cur)
    cur = el
    while (up := cur.getparent()) is not None and up.tag != "body" and _norm(up) == key:
        chain.append(up)
        cur = up
    return chain


def _body(page: LearnPage, recurring: Collection[str]) -> etree._Element | None:
    scores: dict[etree._Element, float] = defaultdict(float)
    for b in page.blocks:
        if b.key in recurring or b.link_share >= BOX_LINK_SHARE or len(b.text) < _MIN_TEXT:
            continue
        weight = len(b.text) * (1 - b.link_share)
        holder = b.el if b.el.tag in _CONTAINERS else b.el.getparent()
        if holder is None:
            continue
        scores[holder] += weight
        if (parent := holder.getparent()) is not None:
            scores[parent] += weight / 2
    if not scores:
        return None
    return max(scores, key=lambda el: (scores[el], -page.order.get(el, 0)))


def _title(page: LearnPage, short: list[etree._Element]) -> etree._Element | None:
    meta = page.meta
    names = {normalise_for_hash(t) for t in (meta.ld_text("headline"), meta.meta("og:title"))
             if t}
    whole = normalise_for_hash(meta.title_tag or "")
    found = []
    for el in short:
        key = _norm(el)
        if key in names or (whole and len(key) * 2 >= len(whole) and key in whole):
            found.append((bool(_IN_TEASER(el)), _HEADINGS.get(el.tag, 2), page.order[el], el))
    return min(found, key=lambda f: f[:3])[-1] if found else None


def _distance(page: LearnPage, el: etree._Element, anchor: etree._Element | None) -> int:
    return abs(page.order[el] - page.order.get(anchor, 0)) if anchor is not None else 0


def _date(page: LearnPage, short: list[etree._Element], body: etree._Element | None,
          anchor: etree._Element | None) -> etree._Element | None:
    dated = {}
    for el in short:
        text = clean_text(el.text_content())
        if len(text) > _MAX_DATE_TEXT or page.inside(el, body) or el.tag == "li":
            continue
        found = parse_iso(el.get("datetime") or el.get("content")) or find_vn_date(text)
        if found:
            dated[el] = found
    deepest = [el for el in dated if not any(d in dated for d in el.iterdescendants())]
    ranked = sorted(deepest, key=lambda el: (not dated[el].has_time,
                                             _distance(page, el, anchor)))
    return ranked[0] if ranked else None


def _lead(page: LearnPage, body: etree._Element | None,
          anchor: etree._Element | None, recurring: Collection[str]) -> etree._Element | None:
    meta = page.meta
    description = normalise_for_hash(meta.meta("description", "og:description")
                                     or meta.ld_text("description") or "")
    if len(description) >= _LEAD_LEN[0]:
        for el in _TEXTS(page.tree, limit=len(description) + _LEAD_PREFIX_ROOM):
            key = _norm(el)
            if (key.endswith(description) and len(key) <= len(description) + _LEAD_PREFIX_ROOM
                    and not _IN_TEASER(el)):
                return el
    if anchor is None:
        return None
    after = page.order[anchor]
    for b in page.blocks:
        if (page.order[b.el] > after and not page.inside(b.el, body) and b.key not in recurring
                and _LEAD_LEN[0] <= len(b.text) <= _LEAD_LEN[1]
                and b.link_share < _LEAD_MAX_LINK_SHARE
                and not page.inside(anchor, b.el)
                and not (len(b.text) <= _MAX_DATE_TEXT and find_vn_date(b.text))):
            return b.el
    return None


def _author(page: LearnPage, short: list[etree._Element], body: etree._Element | None,
            anchor: etree._Element | None, recurring: Collection[str]) -> etree._Element | None:
    found = []
    for el in short:
        text = clean_text(el.text_content())
        if len(text) > _MAX_AUTHOR_TEXT or page.inside(el, body):
            continue
        hinted = any(_AUTHOR_HINT.search(f"{e.get('class') or ''} {e.get('id') or ''}")
                     for e in (el, *list(el.iterancestors())[:2]))
        if not hinted and (_IN_TEASER(el) or block_key(text) in recurring):
            continue
        if parse_byline(text, emphasized=hinted):
            found.append((not hinted, _distance(page, el, anchor), page.order[el], el))
    return min(found, key=lambda f: f[:3])[-1] if found else None


def locate(page: LearnPage, recurring: Collection[str]) -> dict[str, Chain]:
    """The same-text chains of the fields this page shows, by field name."""
    short = _TEXTS(page.tree, limit=_MAX_TITLE_TEXT)
    body = _body(page, recurring)
    title = _title(page, short)
    anchor = same_text_chain(title)[0] if title is not None else body
    found = {"body": body, "title": title, "date": _date(page, short, body, anchor),
             "lead": _lead(page, body, anchor, recurring),
             "author": _author(page, short, body, anchor, recurring)}
    return {name: same_text_chain(el) for name, el in found.items() if el is not None}
