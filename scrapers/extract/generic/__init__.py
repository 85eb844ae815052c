"""The generic path's main text: an ensemble of cheap readings of one parsed page.

trafilatura in recall mode and a text-density reading always run; ``ensemble.choose``
decides between them, asking trafilatura in precision mode only when they read different
parts of the page.
Furniture is pruned for trafilatura, but never the region the density reading found, and
images come from the page element holding the chosen text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from scrapers.extract.cleanup import Para
from scrapers.extract.generic.candidates import trafilatura_paragraphs
from scrapers.extract.generic.chrome import CHROME_ATTR, mark_chrome
from scrapers.extract.generic.defaults import DEFAULTS, GenericDefaults
from scrapers.extract.generic.density import Region, densest_region
from scrapers.extract.generic.ensemble import Candidate, choose
from scrapers.extract.generic.hints import Hints
from scrapers.extract.generic.images import body_images
from scrapers.extract.model import Image

__all__ = ["CHROME_ATTR", "Body", "Hints", "find_body", "mark_chrome", "prepare"]


@dataclass
class Body:
    paragraphs: list[Para]
    images: list[Image] = field(default_factory=list)
    chosen: str = ""  # which reading won: trafilatura-recall, trafilatura-precision, density


def prepare(tree: etree._Element, defaults: GenericDefaults = DEFAULTS) -> Region | None:
    """Drop comments and processing instructions (trafilatura loses the text that follows
    one inside a paragraph) and find the densest region, before furniture is marked."""
    etree.strip_elements(tree, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    return densest_region(tree, defaults)


def find_body(tree: etree._Element, url: str, region: Region | None,
              defaults: GenericDefaults = DEFAULTS) -> Body:
    """The article's paragraphs and images; furniture must be marked (``mark_chrome``)."""
    recall = Candidate.of("trafilatura-recall", trafilatura_paragraphs(tree, url, "recall"))
    if region is None:
        paragraphs = recall.paragraphs()
        return Body(paragraphs, body_images(tree, paragraphs, [], url, in_region=False,
                                            defaults=defaults), recall.name)
    dense = Candidate("density", region.text(), region.paragraphs)
    chosen = choose(recall, dense, lambda: Candidate.of(
        "trafilatura-precision", trafilatura_paragraphs(tree, url, "precision")), defaults)
    paragraphs = chosen.paragraphs()
    in_region = chosen is dense or chosen.agreement(dense) >= defaults.agree
    images = body_images(tree, paragraphs, region.elements, url, in_region=in_region,
                         defaults=defaults)
    return Body(paragraphs, images, chosen.name)
