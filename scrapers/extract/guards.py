"""Results that are clearly not an article, whichever path produced them.

Listing pages and crawler traps reach the extractor looking like stories, and every path
will find some "body" in them: a column of teaser titles (most of its text is the text of
links on the page), the teasers' summaries (each line in a box of its own beside the
title link of another story, box after box alike), or, on a trap titled "Trang 0", the
pager's five links. Stored, they would count as articles in every figure downstream;
``not_an_article`` names them.

What a real article has that they lack: paragraphs that share their container (a box
holding two of the body's lines is the article's own, whatever links sit beside them, as
on a page that wraps every few paragraphs in a column of their own); numbers that are not
links (a standings table is no pager). The work is linear in the page: the title links
are found once (by libxml2), and only the few boxes around them are looked into.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterator

from lxml import etree

from scrapers.extract.assemble import element_text
from scrapers.extract.model import Flag
from scrapers.text import normalise_for_hash, spaced_once, word_count

_MIN_LINK = 15  # characters of a link text that can be a teaser title ("Trang chủ" is not)
# Links whose text may be a title: libxml2's length (NBSP, NFD) is never below ours.
_TITLE_LINKS = etree.XPath(f".//a[string-length(normalize-space()) >= {_MIN_LINK}]")
_LINKS = etree.XPath("//a[@href]")
_BOX_DEPTH = 3  # how far above a summary its teaser box (holding the title's link) starts
_LINK_DEPTH = 3  # how far below its teaser box a title's link may sit
_BOX_SIZE = 60  # elements a teaser box may hold; a bigger one is a page's section
_BOX_CHARS = 4000  # characters of text (as it stands, spaces and all) a teaser box may hold
_BOX_LINKS = 3  # stories a teaser box may link to (its own, its section, one related)
_FEW_STARTS = 32  # line starts few enough to search a box's text for each
_PREFIX = 12  # characters of a line's start used to find its element cheaply
_TRAP_TITLE = re.compile(r"^(?:trang|page)\s*\d+$", re.I)
_PAGER_WORDS = frozenset({"trang", "page", "sau", "trước", "tiếp", "theo", "kế", "đầu", "cuối",
                          "next", "prev", "previous", "first", "last", "xem", "thêm"})
_PAGER_TOKEN = (r"(?:" + "|".join(sorted(_PAGER_WORDS, key=len, reverse=True))
                + r"|[\d<>«»‹›…|.,:\-–—/]+)")
# A line of page numbers and pager words; it fails at a paragraph's first word.
_PAGER_LINE = re.compile(rf"\s*{_PAGER_TOKEN}(?:\s+{_PAGER_TOKEN})*\s*", re.I)
_TRAP_MAX_WORDS = 50  # what a pager page titled "Trang N" may carry besides its links
_PAGER_SHARE = 0.8  # of body lines made of page numbers and pager words
_PAGER_LINKED = 0.5  # of a pager's page numbers that are links (the current one is not)
_TEASER_MIN_LINES = 4
_SCAN_BUDGET = 20_000_000  # characters searched for link texts before an index is cheaper
_TEASER_SHARE = 0.6  # of the body's characters (and lines) that are teasers


def _is_pager(line: str) -> bool:
    return _PAGER_LINE.fullmatch(line) is not None


def _numbers_linked(lines: list[str], tree: etree._Element) -> bool:
    """Whether the page numbers of a pager-like body are links on the page, as a pager's
    are (a table of positions and points is made of numbers too)."""
    numbers = [t for line in lines for t in line.split() if t.isdigit()]
    if not numbers:
        return True  # "Trang sau", "Xem thêm": pager words alone
    linked = {" ".join(element_text(a).split()) for a in _LINKS(tree)}
    return sum(t in linked for t in numbers) >= _PAGER_LINKED * len(numbers)


def _keys(body: str) -> list[str]:
    """The body's lines, each ``normalise_for_hash``-ed, the empty ones left out. A line as
    the paths write it (clean: printable, spaced once) needs only lower case; composing and
    lowering the whole body at once is cheaper than word by word."""
    lines = body.split("\n\n")
    lows = unicodedata.normalize("NFC", body).lower().split("\n\n")
    if len(lows) != len(lines):  # never seen: composing and lowering keep line breaks
        lows = ["\n"] * len(lines)  # not clean: each line has the whole treatment
    keys = []
    for line, low in zip(lines, lows, strict=True):
        if not spaced_once(low):  # other spaces, invisible characters: the whole treatment
            low = normalise_for_hash(line)
        if low:
            keys.append(low)
    return keys


def _in_body(texts: set[str], body: str) -> set[str]:
    """The ``texts`` (``_MIN_LINK`` characters or more) found in the normalised ``body``.
    Each is looked for in all of it, unless that would take long (a page of thousands of
    links over a very long body): then where the body's words start, through an index of
    what follows each start, in linear time."""
    if len(texts) * len(body) <= _SCAN_BUDGET:
        return {t for t in texts if t in body}
    at: dict[str, list[int]] = {}
    start = 0
    for word in body.split(" "):
        at.setdefault(body[start:start + _MIN_LINK], []).append(start)
        start += len(word) + 1
    return {t for t in texts if any(body.startswith(t, i) for i in at.get(t[:_MIN_LINK], ()))}


def _linked_share(body: str, found: set[str]) -> float:
    """How much of the (normalised) body is the text of links on the page (``found`` in
    it), when at least ``_TEASER_MIN_LINES`` of them are in it; whatever the body's line
    breaks (a path may glue a list into one paragraph)."""
    if len(found) < _TEASER_MIN_LINES:
        return 0.0
    return min(1.0, sum(map(len, found)) / len(body))


def _start(text: str | None) -> str:
    """How a text starts, as the start of a body line would read (``_PREFIX`` characters of
    it, lower case, spaces collapsed): a cheap test before any element is read."""
    return " ".join((text or "")[:3 * _PREFIX].split()).lower()[:_PREFIX]


def _near(box: etree._Element) -> Iterator[etree._Element]:
    """The elements inside ``box`` down to ``_BOX_DEPTH`` levels, level by level."""
    level = [box]
    for _ in range(_BOX_DEPTH):
        below = []
        for el in level:
            for kid in el:
                if isinstance(kid.tag, str):
                    yield kid
                    below.append(kid)
        level = below


class _Boxes:
    """The boxes around the page's title links (up to ``_LINK_DEPTH`` levels above each),
    and what they hold of the body's lines."""

    def __init__(self, links: list[etree._Element], keys: list[str]):
        self.chains: dict[etree._Element, list[etree._Element]] = {}  # link → its boxes
        self.links: dict[etree._Element, list[etree._Element]] = {}  # box → its title links
        for a in links:
            self.chains[a] = chain = []
            box = a
            for _ in range(_LINK_DEPTH):  # getparent: no proxy made past the last level
                box = box.getparent()
                if box is None or box.tag in ("body", "html"):
                    break
                chain.append(box)
                self.links.setdefault(box, []).append(a)
        self.wanted = set(keys)
        self.starts = {key[:_PREFIX] for key in keys}
        self.shortest = min(map(len, keys))
        self._texts: dict[etree._Element, str] = {}

    def text(self, box: etree._Element) -> str:
        """The box's text as it stands (read in C, kept): never shorter than normalised."""
        if (text := self._texts.get(box)) is None:
            text = self._texts[box] = element_text(box)
        return text

    def line(self, box: etree._Element) -> str | None:
        """The one body line ``box`` holds beside a title link (not inside the line's own
        element), or None: a box with no line, or two, is no teaser box. Most boxes (menus,
        related links) hold no line, which their text tells before any element is read."""
        if len(self.starts) <= _FEW_STARTS:  # one search of its text per line start
            text = " ".join(self.text(box).split()).lower()
            if not any(map(text.__contains__, self.starts)):
                return None
        elif not any(_start(text) in self.starts for text in box.itertext()):
            return None  # no line starts in it (read in C, looked up in a set)
        links = self.links[box]
        found: str | None = None
        for seen, el in enumerate(_near(box)):
            if seen > _BOX_SIZE:
                return None
            if _start(el.text) not in self.starts:
                continue
            key = normalise_for_hash(element_text(el))
            if key not in self.wanted or key == found:
                continue
            if found is not None:
                return None  # two of the body's lines: the article's own container
            if all(a is el or el in self.chains[a] for a in links):
                continue  # the link is the line's own
            found = key
        return found


def _boxed(keys: list[str], links: list[etree._Element]) -> set[str]:
    """The lines that each sit in a teaser box of their own beside a title link, boxes
    alike (tag and class). Boxes are looked for upwards from the title ``links``, not among
    all of the page's elements, and looked into only when enough of one kind exist."""
    counts: dict[str, int] = {}
    for key in keys:
        counts[key] = counts.get(key, 0) + 1
    most = max(counts.values())  # a line's boxes count once, however often it is repeated
    need = max(_TEASER_MIN_LINES, math.ceil(_TEASER_SHARE * len(keys) / most))
    if len(links) < need:
        return set()
    chars = _TEASER_SHARE * sum(map(len, keys)) / most  # what the boxed lines must hold
    boxes = _Boxes(links, keys)
    kinds: dict[tuple[str, str], list[etree._Element]] = {}
    for box, inside in boxes.links.items():
        if len(inside) > _BOX_LINKS and len({a.get("href") for a in inside}) > _BOX_LINKS:
            continue  # the links of several stories: a list of teasers, not one
        kinds.setdefault((box.tag, box.get("class") or ""), []).append(box)
    best: set[str] = set()
    for alike in sorted(kinds.values(), key=len, reverse=True):
        if len(alike) < max(need, len(best) + 1):
            break
        # A box shorter than the shortest line holds none (a menu's item, a related link);
        # a long one is a section of the page, not one teaser.
        alike = [box for box in alike
                 if boxes.shortest <= len(boxes.text(box)) <= _BOX_CHARS]
        if (len(alike) < max(need, len(best) + 1)
                or sum(len(boxes.text(box)) for box in alike) < chars):
            continue  # too few boxes, or too little text in them for the lines
        enough = max(need, len(best) + 1)
        lines: set[str] = set()
        for done, box in enumerate(alike, 1):
            if (line := boxes.line(box)) is not None:
                lines.add(line)
            elif len(lines) + len(alike) - done < enough:
                break  # the boxes left cannot make it up
        if len(lines) > len(best):
            best = lines
    return best if len(best) >= _TEASER_MIN_LINES else set()


def not_an_article(tree: etree._Element, title: str, body: str, *,
                   source: etree._Element | None = None) -> tuple[Flag, str] | None:
    """Why the extracted ``title`` and ``body`` of the page ``tree`` are no article (a flag
    and a sentence for the record), or None when they may well be one.

    ``source``, the element the path read the body from when it knows one, bounds the title
    links looked at: a teaser's link sits beside its summary, inside that element, and a box
    around a link outside it would hold the whole body, which is no teaser box. On a real
    page most links are its menus and boxes of other stories, which then cost nothing."""
    lines = [line for line in body.split("\n\n") if line.strip()]
    pager = [line for line in lines if _is_pager(line)]
    if lines and len(pager) >= _PAGER_SHARE * len(lines) and _numbers_linked(pager, tree):
        return Flag.PAGINATION_PAGE, f"{len(pager)} of {len(lines)} body lines are a pager"
    if _TRAP_TITLE.match(title.strip()) and word_count(body) < _TRAP_MAX_WORDS:
        return Flag.PAGINATION_PAGE, f"titled {title.strip()!r} with {word_count(body)} words"
    keys = _keys(body)
    key = " ".join(keys)
    if not key:
        return None
    texts = {a: normalise_for_hash(element_text(a))
             for a in _TITLE_LINKS(tree if source is None else source)}
    found = _in_body({t for t in texts.values() if len(t) >= _MIN_LINK}, key)
    if _linked_share(key, found) >= _TEASER_SHARE:
        return Flag.TEASER_LIST, "most of the body is the text of links to other pages"
    if len(keys) < _TEASER_MIN_LINES:
        return None
    wanted = set(keys)
    # A title link in the body, not a line of its own, is a link in a paragraph: no box.
    beside = [a for a, text in texts.items() if len(text) >= _MIN_LINK
              and a.get("href") is not None and (text in wanted or text not in found)]
    boxed = _boxed(keys, beside)
    hits = [k for k in keys if k in boxed]
    if (len(hits) >= _TEASER_SHARE * len(keys)
            and sum(map(len, hits)) >= _TEASER_SHARE * sum(map(len, keys))):
        return Flag.TEASER_LIST, (f"{len(hits)} of {len(keys)} body lines sit each in a teaser "
                                  "box beside a link to another page")
    return None
