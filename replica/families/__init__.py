"""CMS families beyond the first three, one module each: URL routing (a SiteApp subclass),
markup and the endpoints the site really has.

- wordpress (baodanang): date permalinks, /category/<slug>/page/N/, the feed announced only
  in the homepage <head>, no sitemap.
- legacy (baolangson): table layout in windows-1258, /Index.aspx?CatID=&ID=, ?page=N listings,
  sitemaps announced only by robots.txt, no feed.
- jsonld (baonghean): dates only in JSON-LD, the byline as a right-aligned last paragraph,
  listings linking only the next page; no feed, no sitemap.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from replica.app import DEFAULT_CRAWL_DELAY, SiteApp
from replica.data import ReplicaSite, ascii_slug, dataset, site_spec
from replica.families.jsonld import JsonLdApp
from replica.families.legacy import LegacyApp
from replica.families.wordpress import WordPressApp

APPS: dict[str, type[SiteApp]] = {"wordpress": WordPressApp, "legacy": LegacyApp,
                                  "jsonld": JsonLdApp}
FAMILY_SITES = ("baodanang", "baolangson", "baonghean")
# include/sites/<slug>.yaml in its shortest form (base URL + province: the rest is probed);
# tests write these to a temporary sites directory
MINIMAL_SITE_YAML: dict[str, dict[str, str]] = {
    slug: {"slug": slug, "name": spec.name, "base_url": spec.base_url,
           "province": ascii_slug(spec.province or "")}
    for slug, spec in ((s, site_spec(s)) for s in FAMILY_SITES)}


def app_for(site: ReplicaSite, crawl_delay: float) -> SiteApp:
    """The routing of ``site``'s family."""
    return APPS.get(site.spec.family, SiteApp)(site, crawl_delay)


def announced_endpoints(slug: str, *, crawl_delay: float = DEFAULT_CRAWL_DELAY,
                        now: datetime | None = None) -> dict[str, Any]:
    """What replica ``slug`` really serves (see SiteApp.endpoints), without starting it:
    what a probe of ``ReplicaServer(slug, crawl_delay=...)`` should report."""
    app = app_for(dataset(slug), crawl_delay)
    if now is not None:
        app.now = now
    return app.endpoints()
