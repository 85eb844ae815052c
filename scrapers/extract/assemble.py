"""From a draft (what one path found) to an Article: the choices both paths share.

A path supplies raw candidates — title, lead, paragraphs, an author from markup, a visible
date — and ``finish`` cleans them and decides: which date to trust, who the author is (never
the paper), which lines are boilerplate, captions or the byline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from lxml import etree

from scrapers.dates import VN_TZ, FoundDate
from scrapers.extract.byline import pick_authors
from scrapers.extract.cleanup import (
    Para,
    is_boilerplate,
    is_caption,
    is_paper_name,
    parse_byline,
    remove_blobs,
    same_name,
    strip_inline_junk,
    strip_lead_prefix,
)
from scrapers.extract.model import Article, DateSource, Flag, Image
from scrapers.extract.page import PageMeta
from scrapers.registry import Site
from scrapers.text import clean_text, normalise_for_hash, word_count
from scrapers.urls import join_url

BLOCK_TAGS = frozenset({
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "table",
    "tbody", "thead", "tfoot", "tr", "td", "th", "section", "article", "figure", "figcaption",
    "pre", "dl", "dt", "dd", "header", "footer", "aside", "center", "main", "address", "hr",
    "nav", "caption"})
# A page date may run ahead of the fetch by clock skew only.
FUTURE_TOLERANCE = timedelta(minutes=10)
# A structured date agrees with the visible one within this margin (a wrong time zone in
# JSON-LD is off by whole hours; a template that stamps "now" is off by days).
CONSISTENT_WITHIN = timedelta(minutes=59)
_URL_DATES = (
    re.compile(r"-(?P<y>20\d{2})(?P<m>\d{2})(?P<d>\d{2})(?P<H>\d{2})(?P<M>\d{2})\d{2}\d{3}\.html?$"),
    re.compile(r"/(?P<y>20\d{2})/(?P<m>\d{1,2})/(?P<d>\d{1,2})/"),
)
_HEAD_BLOCKS = 3  # how far into the body a repeated headline or sapo is looked for
_VI_LETTERS = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.I)
_TITLE_SUFFIX = re.compile(r"\s+[-|–—]\s+[^-|–—]+$")
_BOLD = etree.XPath(".//*[self::b or self::strong][not(ancestor::b or ancestor::strong)]")
_CAPTION_NEAR = etree.XPath(
    "ancestor::figure[1]//figcaption | ancestor::table[1]//figcaption"
    " | ancestor::table[contains(@class,'image')][1]//td[not(.//img)]")
_CAPTION_AFTER = etree.XPath(
    "(following-sibling::*[1] | parent::*/following-sibling::*[1])[contains(@class,'caption')]")
_ALT_JUNK = re.compile(r"^(?:responsive image|image|ảnh|photo|img)?$|\.(?:jpe?g|png|gif|webp)$",
                       re.I)


@dataclass
class Draft:
    extractor: str
    title: str | None = None
    title_visible: bool = False  # the title is the page's own headline element, not metadata
    lead: str | None = None
    paragraphs: list[Para] = field(default_factory=list)
    author: str | None = None  # from the page's markup (author element, trafilatura)
    visible_date: FoundDate | None = None
    visible_modified: FoundDate | None = None
    category: str | None = None
    tags: list[str] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    flags: set[Flag] = field(default_factory=set)
    byline_last_paragraph: bool = True
    # the element the paragraphs were read from, when the path has one (the guards' scope)
    source: etree._Element | None = None


def element_text(el: etree._Element) -> str:
    """``el.text_content()`` (its text nodes, without the tail) from lxml's serializer,
    which is faster than the XPath ``string()`` behind it; an element with no children
    has its text alone, which is cheaper still."""
    if not len(el) and isinstance(el.tag, str):
        return el.text or ""
    return etree.tostring(el, method="text", encoding=str, with_tail=False)


def _holding_blocks(root: etree._Element) -> tuple[set[etree._Element], set[etree._Element]]:
    """The elements of ``root`` that are blocks or hold one, and those of them that hold
    one below (the others are blocks holding none): found from the blocks upwards in one
    pass, instead of a walk below every element (quadratic in the depth). The sets keep
    the proxies alive, so membership by identity holds."""
    holds: set[etree._Element] = set()
    above: set[etree._Element] = set()
    for block in root.iter(*BLOCK_TAGS):
        if block.tag not in BLOCK_TAGS:  # exact names
            continue
        el = block
        while el not in holds:
            holds.add(el)
            if el is root:
                break
            el = el.getparent()
            above.add(el)
    return holds, above


def _emphasized(el: etree._Element, bold_inside: set[etree._Element]) -> bool:
    """Right-aligned, or wholly bold: how papers set a byline apart from the text."""
    if attrib := el.attrib:  # most blocks have none
        style = (attrib.get("style") or "").replace(" ", "").lower()
        if "text-align:right" in style or (attrib.get("align") or "").lower() == "right":
            return True
        if "right" in (attrib.get("class") or "").lower():
            return True
    if el not in bold_inside:
        return False
    bold = "".join("".join(b.itertext()) for b in _BOLD(el)).split()
    return bool(bold) and bold == element_text(el).split()


class _Blocks:
    """Cuts a container into text blocks; what holds a block, or a bold element, is found
    once for the container."""

    def __init__(self, root: etree._Element):
        self.holds, self.above = _holding_blocks(root)
        self.bold_inside = {a for b in root.iter("b", "strong") for a in b.iterancestors()}
        self.out: list[Para] = []

    def walk(self, el: etree._Element) -> None:
        buf = [el.text or ""]

        def flush() -> None:
            text = "".join(buf)
            if text.strip():
                self.out.append(Para(text))
            buf.clear()

        holds, above = self.holds, self.above
        for child in el:
            if child in holds:
                flush()
                if child in above:
                    self.walk(child)
                else:  # a block with none inside
                    self.out.append(Para(element_text(child),
                                         _emphasized(child, self.bold_inside)))
            elif isinstance(child.tag, str):
                buf.append(element_text(child))
            buf.append(child.tail or "")
        flush()


def element_paragraphs(root: etree._Element) -> list[Para]:
    """The text blocks of a container in reading order; <br> separates words, not blocks."""
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    blocks = _Blocks(root)
    blocks.walk(root)
    return blocks.out


def _caption_for(img: etree._Element) -> str | None:
    for el in _CAPTION_NEAR(img) or _CAPTION_AFTER(img):
        text = clean_text(element_text(el))
        if text:
            return text
    alt = clean_text(img.get("alt") or img.get("title") or "")
    return None if _ALT_JUNK.search(alt) else alt


def collect_images(root: etree._Element, url: str) -> list[Image]:
    """Images of the body with their captions (read before captions are cut from the text)."""
    images: list[Image] = []
    for img in root.iterdescendants("img"):  # lxml's walk, in C: no XPath context to set up
        src = (img.get("data-src") or img.get("data-original") or img.get("src") or "").strip()
        if src and not src.startswith("data:"):
            images.append(Image(join_url(url, src), _caption_for(img)))
    return images


def url_date(url: str) -> FoundDate | None:
    """A date written in the URL (phunuvietnam's 17-digit stamp, /yyyy/mm/dd/)."""
    for pattern in _URL_DATES:
        m = pattern.search(url)
        if not m:
            continue
        parts = m.groupdict()
        try:
            dt = datetime(int(parts["y"]), int(parts["m"]), int(parts["d"]),
                          int(parts.get("H") or 0), int(parts.get("M") or 0), tzinfo=VN_TZ)
        except ValueError:
            continue
        return FoundDate(dt, "H" in parts)
    return None


def _consistent(structured: FoundDate, visible: FoundDate) -> bool:
    if structured.has_time and visible.has_time:
        return abs(structured.value - visible.value) <= CONSISTENT_WITHIN
    return structured.value.date() == visible.value.date()


def choose_published(structured: list[tuple[str, FoundDate]], visible: FoundDate | None,
                     from_url: FoundDate | None, fetched_at: datetime
                     ) -> tuple[datetime | None, DateSource | None, set[Flag]]:
    """JSON-LD, then meta, when they agree with the visible date (or none is shown); else
    the visible date; else the URL's. A date after the fetch is never taken."""
    flags: set[Flag] = set()
    limit = fetched_at + FUTURE_TOLERANCE

    def in_past(found: FoundDate | None) -> FoundDate | None:
        if found is not None and found.value > limit:
            flags.add(Flag.FUTURE_DATE_REJECTED)
            return None
        return found

    visible = in_past(visible)
    candidates = [(src, f) for src, f in structured if in_past(f)]
    for source, found in candidates:
        if visible is None or _consistent(found, visible):
            if visible is not None and visible.has_time and not found.has_time:
                return visible.value, "visible", flags
            return found.value, source, flags  # type: ignore[return-value]
    if visible is not None:
        if candidates:
            flags.add(Flag.DATE_CONFLICT)
        return visible.value, "visible", flags
    from_url = in_past(from_url)
    if from_url is not None:
        return from_url.value, "url", flags
    flags.add(Flag.NO_DATE)
    return None, None, flags


def _repeats(text: str, keys: list[str]) -> bool:
    """``text`` is one of ``keys`` (normalised), or starts with a long one that the page
    shortened ("…")."""
    k = normalise_for_hash(text)
    return any(k == key or (len(key) > 40 and k.startswith(key.rstrip(".… "))) for key in keys)


def _strip_title_suffix(title: str | None, papers: list[str]) -> str | None:
    """"Story - Báo Thanh Hóa" (from <title>) → "Story"."""
    if not title:
        return None
    m = _TITLE_SUFFIX.search(title)
    if m and is_paper_name(m.group().strip(" -|–—"), papers):
        return title[:m.start()].strip()
    return title


def _unique(items: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in items:
        key = item.lower()
        if item and key not in seen:
            seen.add(key)
            out.append(item)
    return out


def _clean_paragraphs(paragraphs: list[Para], flags: set[Flag]) -> list[Para]:
    out = []
    for para in paragraphs:
        text, blob = remove_blobs(clean_text(para.text))
        if blob:
            flags.add(Flag.BODY_INCOMPLETE)
        text = strip_inline_junk(text)
        if text and not is_boilerplate(text) and not is_caption(text):
            out.append(Para(text, para.emphasized))
    return out


def _drop_repeated_head(paras: list[Para], title: str, lead: str | None,
                        prefixes: list[re.Pattern[str]]) -> list[Para]:
    """The body starts after the headline and the sapo: generic extraction often repeats
    them as its first blocks. Also drop a source prefix from what is then the first block."""
    keys = [normalise_for_hash(t) for t in (title, lead) if t]
    head = [p for p in paras[:_HEAD_BLOCKS]
            if not _repeats(strip_lead_prefix(p.text, prefixes), keys)]
    paras = head + paras[_HEAD_BLOCKS:]
    if paras:
        paras[0] = Para(strip_lead_prefix(paras[0].text, prefixes), paras[0].emphasized)
    return paras


def _join(texts: list[str]) -> str:
    """``join_paragraphs(texts)`` for lines that are ``clean_text``'s output, save the first,
    from which a prefix may have been cut: cleaning such a line again changes it only where
    an entity is left (three rounds of decoding leave one of ``&amp;amp;amp;amp;``)."""
    cleaned = (text if i and "&" not in text else clean_text(text)
               for i, text in enumerate(texts))
    return "\n\n".join(text for text in cleaned if text)


def finish(draft: Draft, meta: PageMeta, *, url: str, site: Site | None,
           fetched_at: datetime, version: str) -> Article:
    flags = set(draft.flags)
    papers = meta.publisher_names()
    if site is not None:
        papers += [site.name, site.host]
    papers.append(urlsplit(url).hostname or "")
    prefixes = [re.compile(p) for p in site.extract.lead_prefixes] if site else []

    found = clean_text(draft.title)  # never the paper's name (a logo in an h1)
    found = "" if any(same_name(found, p) for p in papers) else found
    title = ((found if draft.title_visible else "") or meta.shown_headline() or found
             or meta.ld_text("headline") or meta.meta("og:title")
             or _strip_title_suffix(meta.title_tag, papers) or "")
    paras = _clean_paragraphs(draft.paragraphs, flags)

    byline = None
    if paras and draft.byline_last_paragraph:
        byline = parse_byline(paras[-1].text, emphasized=paras[-1].emphasized)
        if byline:
            paras.pop()
    lead = strip_lead_prefix(clean_text(draft.lead), prefixes) or None
    paras = _drop_repeated_head(paras, title, lead, prefixes)

    people = ", ".join(n for n, kind in meta.ld_authors() if kind != "organization")
    authors = pick_authors([draft.author, byline, people, meta.meta("author")], papers)

    published, source, date_flags = choose_published(
        meta.structured_dates(), draft.visible_date, url_date(url), fetched_at)
    modified, _, _ = choose_published(meta.structured_dates(modified=True),
                                      draft.visible_modified, None, fetched_at)
    flags |= date_flags

    body = _join([p.text for p in paras])
    if not body:
        flags.add(Flag.EMPTY_BODY)
    language = meta.lang or (site.language if site else None)
    if language is None and len(_VI_LETTERS.findall(body)) > len(body) / 50:
        language = "vi"
    images = list({img.src: Image(img.src, clean_text(img.caption) or None)
                   for img in draft.images}.values())
    return Article(
        title=title, lead=lead, body=body, author=", ".join(authors) or None, authors=authors,
        published_at=published, modified_at=modified, date_source=source,
        category=clean_text(draft.category) or meta.ld_text("articleSection")
        or meta.meta("article:section"),
        tags=_unique([clean_text(t) for t in draft.tags] or meta.meta_all("article:tag")
                     or meta.ld_keywords()),
        language=language, canonical_url=meta.canonical or meta.meta("og:url"),
        images=images, word_count=word_count(body, normalised=True), extractor=draft.extractor,
        extractor_version=version, flags=sorted(map(str, flags)))
