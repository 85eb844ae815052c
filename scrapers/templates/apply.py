"""A learned template applied to one page: the template's selectors through the rules
path (``Template.rules``), then the site's boilerplate blocks dropped and its lead prefix
cut. The result is the same Draft the hand rules give, which ``assemble.finish`` completes.
"""

from __future__ import annotations

import re

import lxml.html

from scrapers.extract.assemble import Draft
from scrapers.extract.cleanup import strip_lead_prefix
from scrapers.extract.rules import extract_with_rules
from scrapers.templates.model import Template, block_key
from scrapers.text import clean_text

EXTRACTOR_NAME = "provnews-template"


def apply_template(tree: lxml.html.HtmlElement, url: str, template: Template) -> Draft | None:
    """A draft from the template, or None when its body selector finds no body here."""
    draft = extract_with_rules(tree, url, template.rules)
    if draft is None:
        return None
    draft.extractor = EXTRACTOR_NAME
    keys = template.boilerplate_keys
    draft.paragraphs = [p for p in draft.paragraphs if block_key(p.text) not in keys]
    if draft.lead:
        prefixes = [re.compile(p) for p in template.rules.lead_prefixes]
        draft.lead = strip_lead_prefix(clean_text(draft.lead), prefixes)
    return draft
