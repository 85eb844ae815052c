"""The headline a reader sees (the article's h1 or heading element), which the SEO
``<title>``, og:title or JSON-LD headline only approximate: those carry the paper's name,
keywords, or a rewording written for search engines.

A page often has several h1 (the logo, a section name, the story): the one that shares
most words with the page's SEO titles is the story's; without SEO titles, the first heading
long enough to be a headline.
"""

from __future__ import annotations

import re

from lxml import etree

from scrapers.text import clean_text, words

# h1 first, then elements marked as a headline or titled inside the article
_HEADINGS = (etree.XPath("//h1"), etree.XPath(
    "//*[@itemprop='headline'][not(self::meta or self::h1)]"
    " | //*[self::h2 or self::div or self::p][contains(@class, 'title')]"
    "[ancestor::article or ancestor::main]"))
_CHROME = etree.XPath(
    "boolean(ancestor-or-self::*[self::header or self::nav or self::footer or self::aside"
    " or self::a or self::li])")
_ALL_LINK = etree.XPath("boolean(.//a) and normalize-space(string(.//a)) = normalize-space(.)")
_NOT_HEADLINE = re.compile(r"(?:^|[\s_-])(?:logo|brand|site-?(?:title|name)|cate\w*|widget"
                           r"|box-?title|section-?title)(?:$|[\s_-])", re.I)
_MIN_WORDS = 3  # "Bão số 3"; a section name ("Kinh tế") is shorter
_MAX_WORDS = 60
_MIN_OVERLAP = 0.4  # of the heading's words found in an SEO title


def _overlap(mine: set[str], seo: list[set[str]]) -> float:
    return max((len(mine & other) / len(mine) for other in seo), default=0.0) if mine else 0.0


def _pick(headings: list[etree._Element], seo: list[set[str]]) -> str | None:
    best: tuple[float, str] | None = None
    for el in headings:
        hint = f"{el.get('class') or ''} {el.get('id') or ''}"
        if _CHROME(el) or _ALL_LINK(el) or _NOT_HEADLINE.search(hint):
            continue
        text = clean_text(el.text_content())
        tokens = words(text)
        if not _MIN_WORDS <= len(tokens) <= _MAX_WORDS:
            continue
        if not seo:
            return text
        score = _overlap(set(tokens), seo)
        if score >= _MIN_OVERLAP and (best is None or score > best[0]):
            best = (score, text)
    return best[1] if best else None


def visible_headline(tree: etree._Element, seo_titles: list[str]) -> str | None:
    """The story's visible headline, or None when no heading on the page is one."""
    seo = [set(words(t)) for t in dict.fromkeys(seo_titles) if t]  # og:title is often ld's
    for xpath in _HEADINGS:
        found = _pick(xpath(tree), seo)
        if found:
            return found
    return None
