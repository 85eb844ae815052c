"""What a page says about itself in <head>: JSON-LD, meta tags, canonical link, language;
and the headline it shows, next to which its SEO titles are only approximations.

Both extraction paths read this once per page; it is cheap (a handful of XPath lookups on
an already-parsed tree) and holds the structured dates and names the final choices need.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

import lxml.html
from lxml import etree

from scrapers.dates import FoundDate, parse_iso
from scrapers.extract.headline import visible_headline
from scrapers.text import clean_text

_ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle",
                  "blogposting", "report", "liveblogposting", "webpage"}
_META_XPATH = etree.XPath("//meta[@content]")
_LDJSON_XPATH = etree.XPath("//script[@type='application/ld+json']")
_CANONICAL_XPATH = etree.XPath(
    "//link[contains(concat(' ', normalize-space(translate(@rel, 'CANONIL', 'canonil')), ' '),"
    " ' canonical ')]/@href")
_TITLE_XPATH = etree.XPath("//title")
_JSON = json.JSONDecoder(strict=False)  # json.loads(..., strict=False) makes one a call
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)

# meta keys carrying dates, best first, and the source they count as
PUBLISHED_KEYS = ("article:published_time", "og:article:published_time", "datepublished",
                  "pubdate", "publishdate", "dc.date.issued", "dcterms.created", "date")
MODIFIED_KEYS = ("article:modified_time", "og:updated_time", "datemodified", "dc.date.modified",
                 "lastmod")


class _Parser(etree.HTMLParser):
    """lxml.html's parser with one element class for every tag, chosen in C: lxml.html
    asks a Python method for the class of each element it hands out (about a tenth of a
    small page's parse in all), to give forms and inputs their own; extraction uses none
    of theirs."""

    def __init__(self) -> None:
        super().__init__()
        self.set_element_class_lookup(etree.ElementDefaultClassLookup(
            element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment,
            pi=lxml.html.HtmlProcessingInstruction, entity=lxml.html.HtmlEntity))


_PARSER = _Parser()


def parse_html(html: str) -> lxml.html.HtmlElement:
    """An lxml tree of the page; a str with an XML encoding declaration is accepted too."""
    html = _XML_DECL.sub("", html, count=1)
    try:
        return lxml.html.document_fromstring(html, parser=_PARSER)
    except etree.ParserError as exc:  # nothing but whitespace or comments
        raise ValueError(f"not an HTML page: {exc}") from None


def _ld_objects(data: Any) -> list[dict[str, Any]]:
    if isinstance(data, list):
        return [o for item in data for o in _ld_objects(item)]
    if not isinstance(data, dict):
        return []
    return [data, *_ld_objects(data.get("@graph", []))]


def _ld_types(obj: dict[str, Any]) -> set[str]:
    t = obj.get("@type", "")
    return {str(x).lower() for x in (t if isinstance(t, list) else [t])}


def _names(value: Any) -> list[tuple[str, str]]:
    """(name, type) pairs of a JSON-LD author/publisher value (str, object or a list)."""
    if isinstance(value, list):
        return [pair for v in value for pair in _names(v)]
    if isinstance(value, str):
        return [(clean_text(value), "")]
    if isinstance(value, dict) and value.get("name"):
        types = _ld_types(value)
        return [(clean_text(str(value["name"])), "organization"
                 if types & {"organization", "newsmediaorganization"} else "person")]
    return []


@dataclass
class PageMeta:
    url: str
    metas: dict[str, list[str]] = field(default_factory=dict)  # lowercased key → contents
    jsonld: dict[str, Any] = field(default_factory=dict)  # the article object, if any
    canonical: str | None = None
    lang: str | None = None
    title_tag: str | None = None
    headline: str | None = None  # the visible one (see ``headline``)

    def meta(self, *keys: str) -> str | None:
        for key in keys:
            for value in self.metas.get(key, []):
                if value.strip():
                    return clean_text(value)
        return None

    def meta_all(self, key: str) -> list[str]:
        return [clean_text(v) for v in self.metas.get(key, []) if v.strip()]

    def structured_dates(self, *, modified: bool = False) -> list[tuple[str, FoundDate]]:
        """JSON-LD then meta dates, each tagged with its date_source."""
        out: list[tuple[str, FoundDate]] = []
        ld_key = "dateModified" if modified else "datePublished"
        found = parse_iso(str(self.jsonld.get(ld_key) or ""))
        if found:
            out.append(("jsonld", found))
        for key in MODIFIED_KEYS if modified else PUBLISHED_KEYS:
            found = parse_iso(self.meta(key))
            if found:
                out.append(("meta", found))
                break
        return out

    def ld_authors(self) -> list[tuple[str, str]]:
        return _names(self.jsonld.get("author"))

    def publisher_names(self) -> list[str]:
        """Names of the paper itself, as the page spells them."""
        names = [n for n, _ in _names(self.jsonld.get("publisher"))]
        names += [n for n, kind in self.ld_authors() if kind == "organization"]
        names += self.meta_all("og:site_name") + self.meta_all("application-name")
        return [n for n in names if n]

    def ld_keywords(self) -> list[str]:
        kw = self.jsonld.get("keywords")
        if isinstance(kw, str):
            kw = kw.split(",")
        return [clean_text(str(k)) for k in kw or [] if clean_text(str(k))]

    def ld_text(self, key: str) -> str | None:
        value = self.jsonld.get(key)
        if isinstance(value, list):
            value = value[0] if value else None
        return clean_text(str(value)) if value else None


def _ld_article(tree: lxml.html.HtmlElement) -> dict[str, Any]:
    """The page's JSON-LD article object: an *Article type first, a WebPage otherwise."""
    found: list[dict[str, Any]] = []
    for script in _LDJSON_XPATH(tree):
        try:
            data = _JSON.decode(script.text or "")
        except ValueError:
            continue
        found += [o for o in _ld_objects(data) if _ld_types(o) & _ARTICLE_TYPES
                  and (o.get("headline") or o.get("datePublished"))]
    found.sort(key=lambda o: "webpage" in _ld_types(o))
    return found[0] if found else {}


def rel_canonical(tree: lxml.html.HtmlElement) -> str | None:
    """The href of the page's first ``<link rel="canonical">``, as written (the fetch step
    re-keys URLs with it, extraction reports it)."""
    hrefs = [h.strip() for h in _CANONICAL_XPATH(tree) if h.strip()]
    return hrefs[0] if hrefs else None


def read_meta(tree: lxml.html.HtmlElement, url: str) -> PageMeta:
    meta = PageMeta(url=url)
    for el in _META_XPATH(tree):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        if key:
            meta.metas.setdefault(key, []).append(el.get("content", ""))
    meta.jsonld = _ld_article(tree)
    if canonical := rel_canonical(tree):
        meta.canonical = urljoin(url, canonical)
    lang = tree.get("lang") or meta.meta("og:locale", "content-language", "language")
    if lang:
        meta.lang = lang.strip().lower().replace("_", "-").split("-")[0] or None
    titles = _TITLE_XPATH(tree)
    if titles:
        meta.title_tag = clean_text(titles[0].text_content()) or None
    meta.headline = visible_headline(
        tree, [meta.ld_text("headline") or "", meta.meta("og:title") or "", meta.title_tag or ""])
    return meta

