"""The generic path for sites without rules: ``generic.find_body`` finds the main text (an
ensemble of trafilatura and a density reading), then the Vietnamese post-processing in
``assemble.finish`` cleans it; dates, lead and bylines are found here with Vietnamese page
conventions in mind (day-first dates next to the headline, a "sapo" block, a bold last line
naming the author).
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from scrapers.dates import FoundDate, find_vn_date, parse_iso
from scrapers.extract.assemble import Draft
from scrapers.extract.cleanup import parse_byline
from scrapers.extract.generic import (
    CHROME_ATTR,
    Hints,
    find_body,
    mark_chrome,
    prepare,
)
from scrapers.extract.page import PageMeta
from scrapers.text import clean_text, normalise_for_hash

EXTRACTOR_NAME = "provnews-fallback"
_H1 = etree.XPath("(//h1)[1]")
# An element's place in document order: how many elements open before it.
_POSITION = etree.XPath("count(preceding::*) + count(ancestor::*)")
_BREADCRUMB = re.compile("breadcrumb")
_DATE_HINT = re.compile(r"date|time|publish|posted|created|ngay|thoi-?gian|meta", re.I)
_AUTHOR_HINT = re.compile(r"author|tac-?gia|byline|writer", re.I)
_AUTHOR_MARKUP = etree.XPath("//body//*[@rel='author' or contains(@itemprop, 'author')]")
_LEAD_HINT = re.compile(r"sapo|summary|lead|chapeau|excerpt|description|tom-?tat|intro", re.I)
_TAGS_HINT = re.compile(r"(?:^|[_-])(?:tags?|keywords?|tu-?khoa)(?:$|[_-])", re.I)
# A date inside page furniture or a list item dates a teaser, not the article.
_IN_CHROME = etree.XPath(
    f"boolean(ancestor-or-self::*[(@{CHROME_ATTR} and not(.//h1)) or self::li])")
_HOME = re.compile(r"^(?:trang chủ|home)$", re.I)
_MAX_DATE_TEXT = 200
_MAX_DATE_DISTANCE = 60  # elements between the headline and its date, in document order
_LEAD_LEN = (30, 1200)


def _visible_date(tree: lxml.html.HtmlElement, hints: Hints) -> FoundDate | None:
    """The day-first date shown nearest the headline; a date with a time of day beats a
    bare one (a site header shows today's date, without a time). Dates far from the
    headline belong to teasers of other stories."""
    h1 = _H1(tree)
    anchor = _POSITION(h1[0]) if h1 else None
    best: tuple[tuple[bool, int], FoundDate] | None = None
    dated = set(hints.named(_DATE_HINT))
    for el in hints.elements:
        if el.tag != "time" and el not in dated:
            continue
        distance = int(abs(_POSITION(el) - (anchor or 0)))
        if (anchor is not None and distance > _MAX_DATE_DISTANCE) or _IN_CHROME(el):
            continue
        text = clean_text(el.text_content())
        if len(text) > _MAX_DATE_TEXT:
            continue
        found = parse_iso(el.get("datetime")) or find_vn_date(text)
        if found:
            rank = (not found.has_time, distance)
            if best is None or rank < best[0]:
                best = (rank, found)
    return best[1] if best else None


def _marked_author(tree: lxml.html.HtmlElement, hints: Hints) -> str | None:
    """A name in a block the page marks as the author's: by class or id ("detail-author",
    "tac-gia"), else by rel/itemprop (looked up only then: it reads the whole page)."""
    for found in (lambda: hints.named(_AUTHOR_HINT), lambda: _AUTHOR_MARKUP(tree)):
        for el in found():
            if el.tag not in ("meta", "body", "html"):
                name = parse_byline(clean_text(el.text_content()), emphasized=True)
                if name:
                    return name
    return None


def _marked_lead(hints: Hints) -> str | None:
    """A block the page marks as its sapo (class or id "sapo", "summary", "lead"...)."""
    for el in hints.named(_LEAD_HINT):
        if el.tag not in ("meta", "time", "body", "html"):
            text = clean_text(el.text_content())
            if _LEAD_LEN[0] <= len(text) <= _LEAD_LEN[1]:
                return text
    return None


def _described_lead(meta: PageMeta, first: str | None) -> str | None:
    """The first paragraph, when the page's description says it is the summary."""
    description = meta.meta("description", "og:description")
    if first and description:
        a, b = normalise_for_hash(first), normalise_for_hash(description).rstrip(".… ")
        if len(b) > 40 and a.startswith(b):
            return first
    return None


def _tags(hints: Hints) -> list[str]:
    for el in hints.named(_TAGS_HINT):
        tags = [clean_text(a.text_content()) for a in el.iter("a")]
        if any(tags):
            return [t for t in tags if t]
    return []


def _category(hints: Hints, meta: PageMeta) -> str | None:
    links = {a: None for el in hints.named(_BREADCRUMB) for a in el.iter("a")}
    crumbs = [clean_text(a.text_content()) for a in links]
    crumbs = [c for c in crumbs if c and not _HOME.match(c)]
    return meta.ld_text("articleSection") or meta.meta("article:section") or (
        crumbs[-1] if crumbs else None)


def extract_fallback(tree: lxml.html.HtmlElement, url: str, meta: PageMeta) -> Draft:
    """A draft from the generic reading of the page, with the page's own date, sapo, tags
    and category found the Vietnamese way."""
    draft = Draft(extractor=EXTRACTOR_NAME)
    region = prepare(tree)
    hints = Hints(tree)
    mark_chrome(hints, region.elements if region else [])
    draft.visible_date = _visible_date(tree, hints)
    draft.category = _category(hints, meta)
    draft.tags = _tags(hints)
    draft.author = _marked_author(tree, hints)  # the title is left to ``finish``
    body = find_body(tree, url, region)
    draft.paragraphs, draft.images = body.paragraphs, body.images
    first = clean_text(draft.paragraphs[0].text) if draft.paragraphs else None
    draft.lead = _marked_lead(hints) or _described_lead(meta, first)
    return draft
