"""Indicators from article text: pure functions, text in, values out (no I/O).

``extract_indicators(text, article_date, province_code)`` is the entry; ``tag_topics``
says whether an article is one to mine at all; ``article_text`` is the text of a stored
article (lead and body) that both read.
"""

from scrapers.indicators.article_text import article_text
from scrapers.indicators.extract import extract_indicators
from scrapers.indicators.model import (
    INDICATOR_EXTRACTOR_VERSION,
    Approx,
    Indicator,
    Qualifier,
    Subject,
)
from scrapers.indicators.topics import Topic, tag_topics

__all__ = ["INDICATOR_EXTRACTOR_VERSION", "Approx", "Indicator", "Qualifier", "Subject",
           "Topic", "article_text", "extract_indicators", "tag_topics"]
