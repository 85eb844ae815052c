"""Learn a site's template from its own pages.

1. read every page as extraction does, cut into text blocks (``sample``);
2. count how many pages each block is on: those on ``template_boilerplate_share`` of them
   or more recur (``boilerplate``);
3. on each page, find body, title, lead, date and author from the page itself, repeated
   blocks left out (``locate``);
4. per field, the selector finding those elements on the most pages, if it reaches
   ``template_min_support`` (``selectors``); without a body selector nothing is learned;
5. inside the bodies that selector finds: the boxes to exclude (``excludes``), the
   recurring blocks that are the body's own sign-off rather than boilerplate, and a lead
   prefix the site puts before every lead ("(Baothanhhoa.vn) - ").

Settings: ``template_min_support``, ``template_boilerplate_share``,
``template_exclude_share``.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence

from scrapers.settings import Settings
from scrapers.templates.boilerplate import boilerplate, recurring_blocks
from scrapers.templates.excludes import learn_excludes
from scrapers.templates.locate import locate
from scrapers.templates.model import FIELDS, Rule, Template
from scrapers.templates.sample import LearnPage, read_page
from scrapers.templates.selectors import FINDERS, best_selector, first_with_text
from scrapers.text import clean_text

log = logging.getLogger(__name__)

# "(Baothanhhoa.vn) - ", "(Báo Quảng Ngãi)- ", "PTO- ": a source in parentheses or a short
# upper-case code, then a dash
_LEAD_PREFIX = re.compile(r"^(\([^()]{1,40}\)|[A-ZĐ][A-ZĐ0-9.]{1,15})\s*[-–—]\s+")


def _read(pages: Iterable[tuple[str, str]]) -> list[LearnPage]:
    out = []
    for html, url in pages:
        try:
            out.append(read_page(html, url))
        except ValueError as exc:  # not an HTML page at all
            log.info("learn: skipping %s: %s", url, exc)
    return out


def _lead_prefixes(sample: Sequence[LearnPage], lead: Rule | None, min_support: float
                   ) -> tuple[Rule, ...]:
    if lead is None:
        return ()
    found: Counter[str] = Counter()
    for page in sample:
        el = first_with_text(page.tree, lead.value)
        if el is not None and (m := _LEAD_PREFIX.match(clean_text(el.text_content()))):
            found[m.group(1)] += 1
    if not found:
        return ()
    prefix, count = found.most_common(1)[0]
    support = round(count / len(sample), 3)
    if support < min_support:
        return ()
    return (Rule(rf"^\s*{re.escape(prefix)}\s*[-–—]\s*", support),)


def learn_template(pages: Iterable[tuple[str, str]], *, settings: Settings) -> Template | None:
    """A template from ``(html, url)`` pages of one site; None when no body selector
    holds on enough of them."""
    sample = _read(pages)
    if not sample:
        return None
    recurring = recurring_blocks(sample, settings.template_boilerplate_share)
    located = [locate(page, recurring.keys()) for page in sample]
    trees = [page.tree for page in sample]
    fields = {}
    for name in FIELDS:
        rule = best_selector(trees, [found.get(name) for found in located], FINDERS[name],
                             min_support=settings.template_min_support)
        if rule is not None:
            fields[name] = rule
    if "body" not in fields:
        return None
    bodies = [FINDERS["body"](tree, fields["body"].value) for tree in trees]
    blocks = boilerplate(recurring, sample, bodies)
    excludes = learn_excludes(sample, bodies, blocks.keys(), min_pages=math.ceil(
        settings.template_exclude_share * len(sample)))
    return Template(pages_used=len(sample), fields=fields, exclude=excludes,
                    lead_prefixes=_lead_prefixes(sample, fields.get("lead"),
                                                 settings.template_min_support),
                    boilerplate=tuple(blocks.values()))
