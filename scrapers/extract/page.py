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

import lxml.html
from lxml import etree

from scrapers.dates import FoundDate, parse_iso
from scrapers.extract.headline import visible_headline
from scrapers.text import XML_SPACE, clean_text
from scrapers.urls import join_url

_ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle",
                  "blogposting", "report", "liveblogposting", "webpage"}
# The head's elements are found by lxml's walk with a tag filter, in C: cheaper than XPath
# for a small page, whose tree is walked in all either way.
_CANONIL = str.maketrans("CANONIL", "canonil")  # XPath's translate() in the rel test
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
    of theirs. Nor does it use the table of id attributes libxml2 keeps for XPath's id()
    (selectors test @id), which the parser does not fill."""

    def __init__(self) -> None:
        super().__init__(collect_ids=False)
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
    headline: str | None = None  # the visible one (see ``headline``), once read
    # the tree whose headline is read when first asked for (``read_meta(lazy_headline=)``)
    unread_headline: etree._Element | None = field(default=None, repr=False, compare=False)

    def shown_headline(self) -> str | None:
        """The visible headline, read now if ``read_meta`` left it for later."""
        if self.unread_headline is not None:
            self.headline = visible_headline(self.unread_headline, self._seo_titles())
            self.unread_headline = None
        return self.headline

    def _seo_titles(self) -> list[str]:
        return [self.ld_text("headline") or "", self.meta("og:title") or "",
                self.title_tag or ""]

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
    for script in tree.iter("script"):
        if script.get("type") != "application/ld+json":
            continue
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
    for link in tree.iter("link"):
        rel, href = link.get("rel"), link.get("href")
        if (rel and href and href.strip() and " canonical " in
                f" {XML_SPACE.sub(' ', rel.translate(_CANONIL)).strip(' ')} "):
            return href.strip()
    return None


def read_meta(tree: lxml.html.HtmlElement, url: str, *,
              lazy_headline: bool = False) -> PageMeta:
    """What the page's head says, and its visible headline: read now, or with
    ``lazy_headline`` when first asked for (``shown_headline``), which a path that finds
    its own title never does. A lazy read sees the tree as the path left it."""
    meta = PageMeta(url=url)
    for el in tree.iter("meta"):
        content = el.get("content")
        if content is None:
            continue
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        if key:
            meta.metas.setdefault(key, []).append(content)
    meta.jsonld = _ld_article(tree)
    if canonical := rel_canonical(tree):
        meta.canonical = join_url(url, canonical)
    lang = tree.get("lang") or meta.meta("og:locale", "content-language", "language")
    if lang:
        meta.lang = lang.strip().lower().replace("_", "-").split("-")[0] or None
    title = next(tree.iter("title"), None)
    if title is not None:
        meta.title_tag = clean_text(title.text_content()) or None
    meta.unread_headline = tree
    if not lazy_headline:
        meta.shown_headline()
    return meta

