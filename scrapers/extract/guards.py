"""Results that are clearly not an article, whichever path produced them.

Listing pages and crawler traps reach the extractor looking like stories, and every path
will find some "body" in them: a column of teaser titles (most of its text is the text of
links on the page), the teasers' summaries (each line in a box of its own beside a
link to another story, box after box alike), or, on a trap titled "Trang 0", the pager's
five links. Stored, they would count as articles in every figure downstream;
``not_an_article`` names them.
"""

from __future__ import annotations

import re

from lxml import etree

from scrapers.extract.model import Flag
from scrapers.text import normalise_for_hash, word_count

_ANCHORS = etree.XPath("//a")
_TEXT_ELEMENTS = etree.XPath("//body//*[normalize-space(text())]")
_LINKS = etree.XPath(".//a[@href]")
_BOX_DEPTH = 3  # how far above a summary its teaser box (holding the title's link) starts
_PREFIX = 12  # characters of a line's start used to find its element cheaply
_TRAP_TITLE = re.compile(r"^(?:trang|page)\s*\d+$", re.I)
_PAGER_WORDS = frozenset({"trang", "page", "sau", "trước", "tiếp", "theo", "kế", "đầu", "cuối",
                          "next", "prev", "previous", "first", "last", "xem", "thêm"})
_PAGER_GLYPHS = re.compile(r"^[\d<>«»‹›…|.,:\-–—/]+$")
_TRAP_MAX_WORDS = 50  # what a pager page titled "Trang N" may carry besides its links
_PAGER_SHARE = 0.8  # of body lines made of page numbers and pager words
_TEASER_MIN_LINES = 4
_TEASER_SHARE = 0.6  # of the body's characters (and lines) that are teasers
_MIN_LINK = 15  # characters of a link text that can be a teaser title ("Trang chủ" is not)


def _is_pager(line: str) -> bool:
    return all(t in _PAGER_WORDS or _PAGER_GLYPHS.match(t) for t in line.lower().split())


def _linked_share(body: str, tree: etree._Element) -> float:
    """How much of the (normalised) body is the text of links on the page, when at least
    ``_TEASER_MIN_LINES`` of them are in it; whatever the body's line breaks (a path may
    glue a list into one paragraph)."""
    texts = {normalise_for_hash(a.text_content()) for a in _ANCHORS(tree)}
    found = [t for t in texts if len(t) >= _MIN_LINK and t in body]
    if len(found) < _TEASER_MIN_LINES:
        return 0.0
    return min(1.0, sum(map(len, found)) / len(body))


def _teaser_box(el: etree._Element) -> etree._Element | None:
    """The nearest ancestor holding a link beside ``el`` (not inside it): a teaser's box."""
    inside = set(_LINKS(el))
    for box in list(el.iterancestors())[:_BOX_DEPTH]:
        if any(a not in inside for a in _LINKS(box)):
            return box
    return None


def _boxed(keys: list[str], tree: etree._Element) -> set[str]:
    """The lines that each sit in a teaser box of their own, boxes alike (tag and class).
    An element is looked at only when its own first text starts like one of the lines (a
    cheap test: pages have thousands of elements)."""
    starts = {k[:_PREFIX] for k in keys}
    wanted = set(keys)
    boxes: dict[str, etree._Element] = {}
    for el in _TEXT_ELEMENTS(tree):
        if " ".join((el.text or "")[:3 * _PREFIX].split()).lower()[:_PREFIX] not in starts:
            continue
        key = normalise_for_hash(el.text_content())
        if key in wanted and key not in boxes and (box := _teaser_box(el)) is not None:
            boxes[key] = box
    kinds: dict[tuple[str, str], set[etree._Element]] = {}
    for box in boxes.values():
        kinds.setdefault((box.tag, box.get("class") or ""), set()).add(box)
    alike = max(kinds.values(), key=len, default=set())
    if len(alike) < _TEASER_MIN_LINES:
        return set()
    return {key for key, box in boxes.items() if box in alike}


def not_an_article(tree: etree._Element, title: str, body: str) -> tuple[Flag, str] | None:
    """Why the extracted ``title`` and ``body`` of the page ``tree`` are no article (a flag
    and a sentence for the record), or None when they may well be one."""
    lines = [line for line in body.split("\n\n") if line.strip()]
    pager = [line for line in lines if _is_pager(line)]
    if lines and len(pager) >= _PAGER_SHARE * len(lines):
        return Flag.PAGINATION_PAGE, f"{len(pager)} of {len(lines)} body lines are a pager"
    if _TRAP_TITLE.match(title.strip()) and word_count(body) < _TRAP_MAX_WORDS:
        return Flag.PAGINATION_PAGE, f"titled {title.strip()!r} with {word_count(body)} words"
    key = normalise_for_hash(body)
    if key and _linked_share(key, tree) >= _TEASER_SHARE:
        return Flag.TEASER_LIST, "most of the body is the text of links to other pages"
    if len(lines) < _TEASER_MIN_LINES:
        return None
    keys = [normalise_for_hash(line) for line in lines]
    boxed = _boxed(keys, tree)
    hits = [k for k in keys if k in boxed]
    if (len(hits) >= _TEASER_SHARE * len(keys)
            and sum(map(len, hits)) >= _TEASER_SHARE * sum(map(len, keys))):
        return Flag.TEASER_LIST, (f"{len(hits)} of {len(keys)} body lines sit each in a teaser "
                                  "box beside a link to another page")
    return None
