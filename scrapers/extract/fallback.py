"""The generic path for sites without rules: trafilatura finds the main text, then the
Vietnamese post-processing in ``assemble.finish`` cleans it; dates, lead and bylines are
found here with Vietnamese page conventions in mind (day-first dates next to the headline,
a "sapo" block, a bold last line naming the author).
"""

from __future__ import annotations

import re

import lxml.html
import trafilatura
from lxml import etree

from scrapers.dates import FoundDate, find_vn_date, parse_iso
from scrapers.extract.assemble import Draft
from scrapers.extract.cleanup import Para, parse_byline
from scrapers.extract.model import Image
from scrapers.extract.page import PageMeta
from scrapers.text import clean_text, normalise_for_hash

EXTRACTOR_NAME = "provnews-fallback"
_HINTED = etree.XPath("//*[@class or @id] | //time")
_H1 = etree.XPath("(//h1)[1]")
_BREADCRUMB = etree.XPath("//*[contains(@class,'breadcrumb')]//a")
_DATE_HINT = re.compile(r"date|time|publish|posted|created|ngay|thoi-?gian|meta", re.I)
_AUTHOR_HINT = re.compile(r"author|tac-?gia|byline|writer", re.I)
_LEAD_HINT = re.compile(r"sapo|summary|lead|chapeau|excerpt|description|tom-?tat|intro", re.I)
_TAGS_HINT = re.compile(r"(?:^|[\s_-])(?:tags?|keywords?|tu-?khoa)(?:$|[\s_-])", re.I)
# Page furniture recognised by a class or id token that starts with one of these words
# ("sidebar-more", "header__top", "comments"; not "content-with-sidebar"), and captions:
# trafilatura prunes them once it has read the metadata, so a long teaser list cannot pass
# for the article.
_CHROME_TOKEN = re.compile(
    r"^(?:side-?bar|side-?col|col-(?:right|side)|header|top-?bar|menu|nav(?:bar)?|footer"
    r"|breadcrumbs?|pagination|paging|comments?|binh-?luan|share|social|related|relate"
    r"|tin-?lien-?quan|box-?tin-?lien-?quan|other-?news|news-?other|same-?category"
    r"|most-?read|xem-?nhieu|doc-?nhieu|tin-?moi|banner|ads?|advert\w*|quang-?cao)(?:[-_].*)?$"
    r"|caption", re.I)  # captions: "image-caption", "PhotoCMS_Caption"
_CHROME_ATTR = "data-provnews-chrome"
# A date inside page furniture or a list item dates a teaser, not the article.
_IN_CHROME = etree.XPath(
    f"boolean(ancestor-or-self::*[(@{_CHROME_ATTR} and not(.//h1)) or self::li])")
_HOME = re.compile(r"^(?:trang chủ|home)$", re.I)
_MAX_DATE_TEXT = 200
_MAX_DATE_DISTANCE = 60  # elements between the headline and its date, in document order
_LEAD_LEN = (30, 1200)


def _hinted(tree: lxml.html.HtmlElement) -> list[tuple[etree._Element, str]]:
    """Elements with a class or id (and <time>), with "class id" as one string."""
    return [(el, f"{el.get('class') or ''} {el.get('id') or ''}") for el in _HINTED(tree)]


def _visible_date(tree: lxml.html.HtmlElement, hinted: list[tuple[etree._Element, str]]
                  ) -> FoundDate | None:
    """The day-first date shown nearest the headline; a date with a time of day beats a
    bare one (a site header shows today's date, without a time). Dates far from the
    headline belong to teasers of other stories."""
    position = {el: i for i, el in enumerate(tree.iter())}
    h1 = _H1(tree)
    anchor = position.get(h1[0]) if h1 else None
    best: tuple[tuple[bool, int], FoundDate] | None = None
    for el, hint in hinted:
        if (el.tag != "time" and not _DATE_HINT.search(hint)) or _IN_CHROME(el):
            continue
        distance = abs(position.get(el, 0) - (anchor or 0))
        if anchor is not None and distance > _MAX_DATE_DISTANCE:
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


def _marked_author(hinted: list[tuple[etree._Element, str]]) -> str | None:
    """A name in a block the page marks as the author's ("detail-author", "tac-gia")."""
    for el, hint in hinted:
        if _AUTHOR_HINT.search(hint) and el.tag not in ("meta", "body", "html"):
            name = parse_byline(clean_text(el.text_content()), emphasized=True)
            if name:
                return name
    return None


def _marked_lead(hinted: list[tuple[etree._Element, str]]) -> str | None:
    """A block the page marks as its sapo (class or id "sapo", "summary", "lead"...)."""
    for el, hint in hinted:
        if _LEAD_HINT.search(hint) and el.tag not in ("meta", "time", "body", "html"):
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


def _tags(hinted: list[tuple[etree._Element, str]]) -> list[str]:
    for el, hint in hinted:
        if _TAGS_HINT.search(hint):
            tags = [clean_text(a.text_content()) for a in el.iter("a")]
            if any(tags):
                return [t for t in tags if t]
    return []


def _category(tree: lxml.html.HtmlElement, meta: PageMeta) -> str | None:
    crumbs = [clean_text(a.text_content()) for a in _BREADCRUMB(tree)]
    crumbs = [c for c in crumbs if c and not _HOME.match(c)]
    return meta.ld_text("articleSection") or meta.meta("article:section") or (
        crumbs[-1] if crumbs else None)


def _paragraphs(body: etree._Element, out: list[Para], images: list[Image]) -> None:
    """trafilatura's XML (p, head, quote, list/item, table/row/cell, graphic, hi) → blocks."""
    for el in body:
        if el.tag == "graphic":
            caption = el.get("title") or el.get("alt")
            if el.get("src"):
                images.append(Image(el.get("src"), caption))
        elif el.tag in ("list", "table", "row", "quote", "div") and len(el):
            _paragraphs(el, out, images)
        else:
            text = "".join(el.itertext())
            bold = "".join("".join(h.itertext()) for h in el.iter("hi")
                           if "#b" in (h.get("rend") or ""))
            out.append(Para(text, bool(bold.split()) and bold.split() == text.split()))


def _mark_chrome(hinted: list[tuple[etree._Element, str]]) -> None:
    """Mark page furniture for trafilatura to prune once it has read the metadata."""
    for el, hint in hinted:
        if el.tag not in ("html", "body") and any(_CHROME_TOKEN.search(t) for t in hint.split()):
            el.set(_CHROME_ATTR, "1")


def extract_fallback(tree: lxml.html.HtmlElement, url: str, meta: PageMeta) -> Draft:
    """A draft from trafilatura's reading of the page, with the page's own date, sapo, tags
    and category found the Vietnamese way; furniture is pruned before trafilatura looks
    for the main text (but after it has read the metadata)."""
    draft = Draft(extractor=EXTRACTOR_NAME)
    hinted = _hinted(tree)
    _mark_chrome(hinted)
    draft.visible_date = _visible_date(tree, hinted)
    draft.category = _category(tree, meta)
    draft.tags = _tags(hinted)
    doc = trafilatura.bare_extraction(
        tree, url=url, with_metadata=True, include_comments=False, include_images=True,
        include_formatting=True, include_tables=True, prune_xpath=f"//*[@{_CHROME_ATTR}]")
    if doc is None:
        return draft
    draft.title = doc.title
    draft.author = _marked_author(hinted) or doc.author
    if doc.body is not None:
        _paragraphs(doc.body, draft.paragraphs, draft.images)
    first = clean_text(draft.paragraphs[0].text) if draft.paragraphs else None
    draft.lead = _marked_lead(hinted) or _described_lead(meta, first)
    return draft
