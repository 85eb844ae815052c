"""Article extraction: site rules when the registry has them, a Vietnamese-aware fallback
(trafilatura + post-processing) otherwise.

``EXTRACTOR_VERSION`` marks pages.extractor_version: bump it whenever a change to the rules
or the code would change what is extracted, and ``extract_step`` re-extracts stored pages.
"""

from __future__ import annotations

from datetime import datetime

from scrapers.dates import VN_TZ
from scrapers.extract.assemble import finish
from scrapers.extract.decode_body import decode_embedded
from scrapers.extract.fallback import extract_fallback
from scrapers.extract.guards import not_an_article
from scrapers.extract.model import Article, Flag, Image, NotAnArticle
from scrapers.extract.page import parse_html, read_meta
from scrapers.extract.rules import extract_with_rules
from scrapers.registry import Site
from scrapers.templates.model import Template
from scrapers.text import clean_text

EXTRACTOR_VERSION = "1.1.2"

__all__ = ["EXTRACTOR_VERSION", "Article", "Image", "NotAnArticle", "extract_article"]


def extract_article(html: str, url: str, site: Site | None = None, *,
                    fetched_at: datetime | None = None,
                    template: Template | None = None) -> Article:
    """Extract one article page.

    ``site`` selects the rules path (None: the generic fallback). ``fetched_at`` (default:
    now) bounds the dates: a page date later than the fetch is rejected. Raises
    ``NotAnArticle`` (a ValueError, carrying the flag and the article) for a teaser list or
    a pager page, so that the extract step records why nothing was stored. ``template``,
    the site's learned one, runs when there are no rules or they find no body, before the
    generic fallback.
    """
    tree = parse_html(html)
    decoded = decode_embedded(tree)
    rules = site.extract if site and site.extract.body else None
    # a page whose rules find its title needs no search for the visible headline
    meta = read_meta(tree, url, lazy_headline=bool(rules and rules.title))
    draft = extract_with_rules(tree, url, rules) if rules else None
    rules_missed = draft is None and rules is not None
    if draft is None:
        meta.shown_headline()  # read before another path changes the tree
    if draft is None and template is not None:
        from scrapers.templates.apply import apply_template  # it builds on this package

        draft = apply_template(tree, url, template)
    if draft is None:
        draft = extract_fallback(tree, url, meta)
    if rules_missed:
        draft.flags.add(Flag.RULES_MISSED)
    if decoded.chunks and decoded.reached(" ".join(clean_text(p.text) for p in draft.paragraphs)):
        draft.flags.add(Flag.DECODED_BODY)
    if decoded.too_large:
        draft.flags.add(Flag.DECODED_TOO_LARGE)
    article = finish(draft, meta, url=url, site=site,
                     fetched_at=fetched_at or datetime.now(VN_TZ), version=EXTRACTOR_VERSION)
    verdict = not_an_article(tree, article.title, article.body, source=draft.source)
    if verdict is not None:
        flag, detail = verdict
        article.flags = sorted({*article.flags, str(flag)})
        raise NotAnArticle(flag, detail, article)
    return article
