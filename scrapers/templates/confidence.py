"""How far to trust an extracted article (``articles.extract_confidence``), from the path
that made it: hand rules were written and reviewed for the site; a learned template is as
good as the share of the site's pages its body selector held on (its body support); the
generic path guesses. A body left incomplete halves that; an empty one is worth nothing.
"""

from __future__ import annotations

from scrapers.extract.model import Article, Flag
from scrapers.extract.rules import EXTRACTOR_NAME as RULES_EXTRACTOR
from scrapers.templates.apply import EXTRACTOR_NAME as TEMPLATE_EXTRACTOR
from scrapers.templates.model import Template

RULES_CONFIDENCE = 1.0
GENERIC_CONFIDENCE = 0.5


def extract_confidence(article: Article, template: Template | None) -> float:
    if Flag.EMPTY_BODY in article.flags:
        return 0.0
    if article.extractor == RULES_EXTRACTOR:
        score = RULES_CONFIDENCE
    elif article.extractor == TEMPLATE_EXTRACTOR and template is not None:
        score = template.body_support
    else:
        score = GENERIC_CONFIDENCE
    if Flag.BODY_INCOMPLETE in article.flags:
        score /= 2
    return round(score, 3)
