"""robots.txt, RSS 2.0 feeds and XML sitemaps of a replica site (all naming the real host)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from email.utils import format_datetime
from html import escape

from replica.data import Article, SiteSpec

XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n'
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
LastMod = Callable[[Article], datetime]


def robots_sitemaps(spec: SiteSpec) -> list[str]:
    """The Sitemap: lines of the first families' robots.txt."""
    return [f"{spec.base_url}/sitemap.xml",
            *([f"{spec.base_url}/sitemaps/news.xml"] if spec.news_sitemap else [])]


def robots(spec: SiteSpec, crawl_delay: float, sitemaps: Sequence[str]) -> str:
    """``sitemaps``: the absolute URLs announced in Sitemap: lines (none: no such line)."""
    lines = ["User-agent: *", *(f"Disallow: {p}" for p in spec.disallow),
             f"Crawl-delay: {crawl_delay:g}", *([""] if sitemaps else []),
             *(f"Sitemap: {url}" for url in sitemaps)]
    return "\n".join(lines) + "\n"


def rss(spec: SiteSpec, title: str, self_path: str, items: Sequence[Article],
        built: datetime) -> str:
    """RSS 2.0: pubDate in RFC 822 with the +0700 offset, lead and thumbnail in CDATA; links
    carry campaign parameters, as many CMS feeds add them."""
    body = "".join(
        f"<item><title>{escape(a.title)}</title>"
        f"<link>{escape(a.url)}?utm_source=rss&amp;utm_medium=feed</link>"
        f'<guid isPermaLink="true">{escape(a.url)}</guid>'
        f'<description><![CDATA[<a href="{a.url}"><img src="{a.images[0].src}"></a>'
        f"{escape(a.lead)}]]></description>"
        f"<pubDate>{format_datetime(a.published_at)}</pubDate>"
        f"<category>{escape(a.category.name)}</category></item>\n" for a in items)
    return (XML_DECL + '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>\n'
            f"<title>{escape(spec.name)} - {escape(title)}</title><link>{spec.base_url}/</link>"
            f"<description>{escape(spec.name)}: {escape(title)}</description>"
            "<language>vi</language>"
            f'<atom:link href="{spec.base_url}{self_path}" rel="self" '
            'type="application/rss+xml"/>'
            f"<lastBuildDate>{format_datetime(built)}</lastBuildDate>\n{body}</channel></rss>\n")


def month_path(year: int, month: int) -> str:
    return f"/sitemaps/sitemap-{year:04d}-{month:02d}.xml"


def sitemap_index(spec: SiteSpec, months: Sequence[tuple[int, int, datetime]],
                  child_path: Callable[[int, int], str] = month_path) -> str:
    """One child sitemap per month, newest first, each with the latest lastmod of its URLs."""
    body = "".join(f"<sitemap><loc>{spec.base_url}{child_path(y, m)}</loc>"
                   f"<lastmod>{lastmod.isoformat()}</lastmod></sitemap>\n"
                   for y, m, lastmod in months)
    return XML_DECL + f'<sitemapindex xmlns="{SITEMAP_NS}">\n{body}</sitemapindex>\n'


def urlset(items: Sequence[Article], lastmod: LastMod) -> str:
    body = "".join(f"<url><loc>{escape(a.url)}</loc><lastmod>{lastmod(a).isoformat()}</lastmod>"
                   "</url>\n" for a in items)
    return XML_DECL + f'<urlset xmlns="{SITEMAP_NS}">\n{body}</urlset>\n'


def news_sitemap(spec: SiteSpec, items: Sequence[Article]) -> str:
    """Google News sitemap: publication name/language, publication_date, title."""
    body = "".join(
        f"<url><loc>{escape(a.url)}</loc><news:news><news:publication><news:name>"
        f"{escape(spec.name)}</news:name><news:language>vi</news:language></news:publication>"
        f"<news:publication_date>{a.published_at.isoformat()}</news:publication_date>"
        f"<news:title>{escape(a.title)}</news:title></news:news></url>\n" for a in items)
    return (XML_DECL + f'<urlset xmlns="{SITEMAP_NS}" xmlns:news="{NEWS_NS}">\n'
            f"{body}</urlset>\n")
