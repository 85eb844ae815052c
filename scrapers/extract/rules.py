"""The site-rules path: CSS selectors from the site's YAML, applied with lxml.

lxml with compiled CSS→XPath selectors was chosen over BeautifulSoup: the whole path runs in
a few milliseconds per page, many times faster than a generic extractor.
"""

from __future__ import annotations

import re
from functools import lru_cache

import lxml.html
from cssselect import SelectorError
from lxml import etree
from lxml.cssselect import LxmlHTMLTranslator

from scrapers.dates import FoundDate, find_vn_date, parse_iso
from scrapers.extract.assemble import Draft, collect_images, element_paragraphs, element_text
from scrapers.extract.cleanup import has_blob, parse_byline
from scrapers.extract.model import Flag
from scrapers.extract.script_body import find_script_body
from scrapers.registry import ExtractRules
from scrapers.text import XML_SPACE, clean_text

EXTRACTOR_NAME = "provnews-rules"
# Never body text, whatever the site: scripts, styles, embedded frames, forms.
_NOISE = ("script", "style", "noscript", "iframe", "form", "button", "svg", "input", "select",
          "textarea")


# An id selector's first step as cssselect writes it: libxml2 would test every element of
# the page for the attribute (a third of a small page's parse); from the id attributes
# themselves to their elements, the same elements come three times faster.
_TRANSLATOR = LxmlHTMLTranslator()  # what CSSSelector(css, translator="html") uses
_BY_ID = re.compile(r"^descendant-or-self::\*\[@id = ('[^']*')\](?=/|$)")


@lru_cache(maxsize=256)
def _selector(css: str) -> etree.XPath:
    path = _BY_ID.sub(r"descendant-or-self::*/@id[. = \1]/..", _TRANSLATOR.css_to_xpath(css))
    return etree.XPath(path)


# A selector whose first compound is a tag with classes ("div.article__meta time.time") or an
# id alone ("#dcontent > p"), and what follows it after a descendant (space) or child (>)
# combinator.
_FIRST = re.compile(r"(?:(?P<tag>[a-z][a-z0-9]*)(?P<classes>(?:\.[\w-]+)*)|#(?P<id>[a-z][\w-]*))"
                    r"(?:(?P<child>[ \t\r\n\f]*>[ \t\r\n\f]*)|[ \t\r\n\f]+)?"
                    r"(?P<rest>(?<=[ \t\r\n\f>]).+)?", re.I | re.S)
_First = tuple[str, frozenset[str]]  # a tag and its classes, or "#" and the id
_Step = tuple[_First, etree.XPath | None, bool]  # the first, the rest, whether a child step


@lru_cache(maxsize=256)
def _first_step(css: str) -> _Step | None:
    """``css`` as its first step (a tag with classes, or an id) and the rest as an XPath from
    there; None for any other selector (a class alone, a group, an attribute or
    pseudo-class first, an id with more), which is run as one XPath."""
    m = _FIRST.fullmatch(css.strip(" \t\r\n\f"))
    if m is None or "," in css or (m["rest"] or "")[:1] in ("+", "~", ">"):
        return None
    rest, child = m["rest"], m["child"] is not None
    try:
        path = (etree.XPath(_TRANSLATOR.css_to_xpath(rest, prefix="child::" if child
                                                     else "descendant::")) if rest else None)
    except SelectorError:
        return None
    first = (("#", frozenset([m["id"]])) if m["id"] else
             (m["tag"].lower(), frozenset(m["classes"].split(".")[1:])))
    return first, path, child


@lru_cache(maxsize=1024)
def _class_tokens(value: str) -> frozenset[str]:
    return frozenset(XML_SPACE.split(value.strip(" \t\r\n")))


class _Page:
    """A site's selectors on one page. libxml2 walks the whole tree for each XPath (20-28 µs
    a selector on a 54 KB page); most hand rules start with a tag and classes, and the
    elements of those tags are found for all of them by one walk (lxml's, filtered by tag in
    C), then the rest of each selector is run from them: about 45 µs less a page for the
    eight lookups of the dcontent rules. A selector that starts with an id looks it up once
    for the pages that share ``ids`` (the body's and the fields' of one page: the tree only
    loses elements between them, so those still in it are the ones a new lookup finds)."""

    def __init__(self, tree: etree._Element, selectors: list[str],
                 ids: dict[str, list[etree._Element]] | None = None):
        self.tree, self.ids = tree, {} if ids is None else ids
        steps = {css: step for css in selectors if (step := _first_step(css)) is not None}
        found: dict[_First, list[etree._Element]] = {
            first: [] for first, _, _ in steps.values() if first[0] != "#"}
        wanted: dict[str, list[tuple[frozenset[str], list[etree._Element]]]] = {}
        for (tag, classes), elements in found.items():
            wanted.setdefault(tag, []).append((classes, elements))
        for el in tree.iter(*wanted) if wanted else ():
            value = el.get("class")
            tokens = _class_tokens(value) if value else frozenset()
            for classes, elements in wanted[el.tag]:
                if classes <= tokens:
                    elements.append(el)
        self.steps, self.found = steps, found

    def __call__(self, css: str) -> list[etree._Element]:
        """The elements ``css`` selects, in document order, as ``_selector(css)`` gives."""
        step = self.steps.get(css)
        if step is None:
            return _selector(css)(self.tree)
        first, rest, child = step
        firsts = self._with_id(*first[1]) if first[0] == "#" else self.found[first]
        if rest is None:
            return firsts
        if child and len(firsts) > 1 and self._nested(firsts):
            return _selector(css)(self.tree)  # children of nested firsts interleave
        out: list[etree._Element] = []
        seen: set[etree._Element] = set()
        for first_el in firsts:  # a later first's descendants follow an earlier one's
            for el in rest(first_el):
                if el not in seen:
                    seen.add(el)
                    out.append(el)
        return out

    def _with_id(self, ident: str) -> list[etree._Element]:
        known = self.ids.get(ident)
        if known is None:
            known = self.ids[ident] = _selector(f"#{ident}")(self.tree)
            return known
        root = self.tree
        return [el for el in known if el is root or any(a is root for a in el.iterancestors())]

    @staticmethod
    def _nested(firsts: list[etree._Element]) -> bool:
        inside = set(firsts)
        return any(a in inside for el in firsts for a in el.iterancestors())


def _select(page: _Page, selectors: list[str]) -> list[etree._Element]:
    """Elements of the first selector that matches anything."""
    for css in selectors:
        found = page(css)
        if found:
            return found
    return []


def _first_text(page: _Page, selectors: list[str]) -> tuple[str, etree._Element | None]:
    """Text of the first element, over the selectors in order, that has any text."""
    for css in selectors:
        for el in page(css):
            text = clean_text(element_text(el))
            if text:
                return text, el
    return "", None


def _date(page: _Page, selectors: list[str]) -> FoundDate | None:
    for css in selectors:
        for el in page(css):
            found = (parse_iso(el.get("datetime") or el.get("content"))
                     or find_vn_date(clean_text(element_text(el))))
            if found:
                return found
    return None


def _noise(root: etree._Element) -> list[etree._Element]:
    """The noise elements under ``root`` in document order (lxml's walk filters the tags
    in C), listed before any is dropped."""
    return [el for el in root.iter(*_NOISE) if el is not root]


def _inside(el: etree._Element, container: etree._Element) -> bool:
    return any(a is container for a in el.iterancestors())


def _drop(el: etree._Element) -> None:
    """Remove an element but keep the text that follows it."""
    if el.getparent() is not None:
        el.drop_tree()


_MEDIA_ATTRIBUTES = frozenset({"src", "srcset", "href", "poster", "style"})
# Attributes long enough to hold a blob (has_blob needs 120 characters), found by libxml2.
_LONG_ATTRIBUTES = etree.XPath(".//@*[string-length() >= 120]")
_TOKEN = re.compile(r"\S+")


def _blob_attribute(body: etree._Element) -> bool:
    """A body held in an attribute (``<div data-enc="...">``) for the page's JS to decode;
    inline images (data: URIs in src) do not count."""
    return any(value.attrname not in _MEDIA_ATTRIBUTES and has_blob(value)
               for value in _LONG_ATTRIBUTES(body))


def _has_text(text: str) -> bool:
    """``bool(clean_text(text))``, token by token: entities and invisible characters never
    span whitespace, so the first token that cleans to something settles it without
    cleaning a whole body."""
    return any(clean_text(m.group()) for m in _TOKEN.finditer(text))


def _body_element(tree: lxml.html.HtmlElement, rules: ExtractRules,
                  ids: dict[str, list[etree._Element]]
                  ) -> tuple[etree._Element | None, set[Flag]]:
    """The body container, from the page or from an inline script the site's rules name;
    and flags saying how it came: a base64 blob left in it (one that did not
    decode), or a body the script carried."""
    found = _select(_Page(tree, rules.body, ids), rules.body)
    body = found[0] if found else None
    if body is not None:
        noise = _noise(body)
        blob = (any(el.tag == "script" and has_blob(el.text or "") for el in noise)
                or _blob_attribute(body))
        for el in noise:
            _drop(el)
        if _has_text(element_text(body)) or blob:
            return body, {Flag.BODY_INCOMPLETE} if blob else set()
    script_html = find_script_body(tree, rules.script_body)
    if script_html and script_html.strip():
        fragment = lxml.html.fragment_fromstring(script_html, create_parent="div")
        for el in _noise(fragment):
            _drop(el)
        return fragment, {Flag.DECODED_BODY}
    return None, set()


def extract_with_rules(tree: lxml.html.HtmlElement, url: str, rules: ExtractRules
                       ) -> Draft | None:
    """A draft from the site's selectors, or None when they find no body (the caller then
    falls back to the generic path)."""
    ids: dict[str, list[etree._Element]] = {}  # the id lookups, shared by the two pages
    body, flags = _body_element(tree, rules, ids)
    if body is None:
        return None
    draft = Draft(extractor=EXTRACTOR_NAME, flags=flags, source=body)
    page = _Page(tree, [*rules.title, *rules.lead, *rules.date, *rules.modified,
                        *rules.category, *rules.tags, *rules.author], ids)
    draft.title = _first_text(page, rules.title)[0] or None
    draft.title_visible = draft.title is not None
    draft.lead, lead_el = _first_text(page, rules.lead)
    draft.visible_date = _date(page, rules.date)
    draft.visible_modified = _date(page, rules.modified)
    draft.category = _first_text(page, rules.category)[0] or None
    draft.tags = [t for t in (clean_text(element_text(el)) for el in _select(page, rules.tags))
                  if t]

    author_text, author_el = _first_text(page, rules.author)
    if author_el is not None:
        byline = parse_byline(author_text, emphasized=True)
        if not _inside(author_el, body):
            draft.author = byline or author_text
        elif byline:  # a byline paragraph inside the body is not body text
            draft.author = byline
            _drop(author_el)
    if lead_el is not None and _inside(lead_el, body):
        _drop(lead_el)

    draft.images = collect_images(body, url)
    # most in one walk of the body, the rest by XPath; all found before any is dropped, as
    # the group's one XPath found them (dropped in any order, they leave the same tree)
    excluded = _Page(body, rules.exclude)
    for el in [el for css in rules.exclude for el in excluded(css)]:
        _drop(el)
    draft.paragraphs = element_paragraphs(body)
    draft.byline_last_paragraph = rules.byline_last_paragraph
    return draft
