"""Page furniture marked for trafilatura to prune: teaser lists, menus, share bars, captions.

Marking is by class or id token ("sidebar-more", "header__top", "comments"; not
"content-with-sidebar"). An element that holds most of the article's text is never marked,
whatever its class says: some themes wrap the whole story in a "header" or "share-wrap".
"""

from __future__ import annotations

import re

from lxml import etree

from scrapers.extract.generic.defaults import DEFAULTS, GenericDefaults
from scrapers.extract.generic.hints import Hints
from scrapers.extract.generic.measure import text_chars

CHROME_ATTR = "data-provnews-chrome"
CHROME_XPATH = f"//*[@{CHROME_ATTR}]"
_CHROME_TOKEN = re.compile(
    r"^(?:side-?bar|side-?col|col-(?:right|side)|header|top-?bar|menu|nav(?:bar)?|footer"
    r"|breadcrumbs?|pagination|paging|comments?|binh-?luan|share|social|related|relate"
    r"|tin-?lien-?quan|box-?tin-?lien-?quan|other-?news|news-?other|same-?category"
    r"|most-?read|xem-?nhieu|doc-?nhieu|tin-?moi|banner|ads?|advert\w*|quang-?cao)(?:[-_].*)?$"
    r"|caption", re.I)  # captions: "image-caption", "PhotoCMS_Caption"


def mark_chrome(hints: Hints, region: list[etree._Element],
                defaults: GenericDefaults = DEFAULTS) -> None:
    """Mark furniture, except the densest region, its ancestors, and a part of the region
    holding more than ``keep_share`` of its text."""
    inside = set(region)
    keep = inside | {a for el in region for a in el.iterancestors()}
    chars = sum(text_chars(el) for el in region)
    for el in hints.named(_CHROME_TOKEN):
        if el.tag in ("html", "body") or el in keep:
            continue
        if inside.intersection(el.iterancestors()) and text_chars(el) > defaults.keep_share * chars:
            continue
        el.set(CHROME_ATTR, "1")
