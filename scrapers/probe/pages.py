"""What an HTML page offers a probe: its title, the feeds its <head> announces, the links of
its navigation menu, links to a page of feeds, and every same-site link in document order."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

from lxml import etree, html

FEED_TYPES = ("application/rss+xml", "application/atom+xml")
_NAV = re.compile(r"nav|menu", re.IGNORECASE)
_RSS_PAGE = re.compile(r"/(?:rss|feeds?)(?:\.html?|\.aspx|/)?$", re.IGNORECASE)
_FEED_FILE = re.compile(r"\.(?:rss|xml|atom)$|/feed/?$|/rss/[^/]+$", re.IGNORECASE)


@dataclass(frozen=True)
class PageFacts:
    title: str
    site_name: str
    feeds: tuple[str, ...]  # <link rel="alternate"> RSS/Atom in <head>
    nav: tuple[str, ...]  # links inside the navigation menu, homepage excluded
    rss_pages: tuple[str, ...]  # links to an HTML page that lists feeds
    feed_links: tuple[str, ...]  # links to feed files in the page body
    links: tuple[str, ...]  # every same-site link, in document order


def same_site(url: str, base_url: str) -> bool:
    def host(u: str) -> str:
        return (urlsplit(u).hostname or "").removeprefix("www.")
    return host(url) == host(base_url)


def absolute(href: str | None, page_url: str) -> str | None:
    """``href`` resolved against the page, without its fragment; None for non-web links."""
    href = (href or "").strip()
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
        return None
    parts = urlsplit(urljoin(page_url, href))
    if parts.scheme not in ("http", "https"):
        return None
    return urlunsplit(parts._replace(fragment=""))


def _in_nav(el: etree._Element) -> bool:
    node: etree._Element | None = el
    while node is not None and isinstance(node.tag, str):
        if node.tag == "nav" or _NAV.search(f"{node.get('class', '')} {node.get('id', '')}"):
            return True
        node = node.getparent()
    return False


def read_page(body: str, page_url: str, base_url: str) -> PageFacts:
    try:
        doc = html.fromstring(body)
    except (etree.ParserError, ValueError):
        return PageFacts("", "", (), (), (), (), ())
    title = " ".join((doc.findtext(".//title") or "").split())
    site_name = next((m.get("content", "").strip() for m in doc.iter("meta")
                      if m.get("property") == "og:site_name"), "")
    feeds = [u for link in doc.iter("link")
             if "alternate" in (link.get("rel") or "").lower().split()
             and (link.get("type") or "").lower() in FEED_TYPES
             and (u := absolute(link.get("href"), page_url))]
    home = base_url.rstrip("/") + "/"
    links, nav, rss_pages, feed_links = [], [], [], []
    for a in doc.iter("a"):
        url = absolute(a.get("href"), page_url)
        if url is None or not same_site(url, base_url):
            continue
        links.append(url)
        path = urlsplit(url).path
        if _FEED_FILE.search(path):
            feed_links.append(url)
        elif _RSS_PAGE.search(path) or a.text_content().strip().upper() == "RSS":
            rss_pages.append(url)
        elif url.rstrip("/") + "/" != home and _in_nav(a):
            nav.append(url)
    return PageFacts(title, site_name, *(tuple(dict.fromkeys(x)) for x in (
        feeds, nav, rss_pages, feed_links, links)))
