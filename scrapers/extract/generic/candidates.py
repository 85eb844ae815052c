"""trafilatura's readings of the page, each one opinion for the ensemble.

All run on the tree the page was parsed into (trafilatura copies it), in fast mode: the
slow readability and jusText comparisons inside trafilatura are replaced by the ensemble's
own density candidate. Images are never asked for here: ``include_images`` changes which
region trafilatura chooses, and the generic path collects images from the page instead.
"""

from __future__ import annotations

from typing import Literal

import trafilatura
from lxml import etree

from scrapers.extract.cleanup import Para
from scrapers.extract.generic.blocks import xml_paragraphs
from scrapers.extract.generic.chrome import CHROME_XPATH

Focus = Literal["recall", "precision"]


def trafilatura_paragraphs(tree: etree._Element, url: str, focus: Focus) -> list[Para]:
    """The main text trafilatura finds with ``focus``, furniture pruned (see ``chrome``)."""
    doc = trafilatura.bare_extraction(
        tree, url=url, fast=True, favor_recall=focus == "recall",
        favor_precision=focus == "precision", include_comments=False, include_images=False,
        include_formatting=True, include_tables=True, prune_xpath=CHROME_XPATH,
        output_format="xml")  # the XML tree only: no text rendering that nobody reads
    if doc is None or doc.body is None:
        return []
    return xml_paragraphs(doc.body)
