"""The title and author trafilatura reads from the page's metadata, without its date search
(htmldate costs more than the rest of the extraction, and provnews dates a page itself, the
Vietnamese way) and without its whole-page author search (a deep copy of the page each
time): an author element the markup names as one is looked up directly instead."""

from __future__ import annotations

from contextlib import suppress

from lxml import etree
from trafilatura.json_metadata import normalize_authors
from trafilatura.metadata import examine_meta, extract_meta_json, extract_title

from scrapers.text import clean_text

_AUTHOR = etree.XPath("(//body//*[@rel='author' or contains(@itemprop, 'author')])[1]")
_MAX_AUTHOR = 120


def _marked_up_author(tree: etree._Element) -> str | None:
    found = _AUTHOR(tree)
    text = clean_text(found[0].text_content()) if found else ""
    return normalize_authors(None, text) if 0 < len(text) <= _MAX_AUTHOR else None


def title_and_author(tree: etree._Element) -> tuple[str | None, str | None]:
    meta = examine_meta(tree)
    if meta.author and " " not in meta.author:
        meta.author = None  # a one-word "author" meta is a handle or the site's name
    with suppress(Exception):  # trafilatura's JSON-LD reader fails on odd data
        meta = extract_meta_json(tree, meta)
    title = (meta.title or extract_title(tree) or "").strip()
    return title or None, meta.author or _marked_up_author(tree)
