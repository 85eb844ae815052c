"""Routing of one replica site: path -> Response, with the site's clock, removals and edits.

Kept free of sockets so the HTTP layer (server.py) only deals with faults, conditional GET,
compression and the request log.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from math import ceil
from typing import Any
from urllib.parse import parse_qs

from replica import feeds, render
from replica.data import START, Article, Category, ReplicaSite

DEFAULT_CRAWL_DELAY = 0.05
PAGE_SIZE = 20
FEED_SIZE = 50
NEWS_WINDOW_HOURS = 48
LOOP_PATH = "/_replica/loop"  # the "B" of a redirect loop A -> B -> A
HTML = "text/html; charset=utf-8"
XML = "application/xml; charset=utf-8"
RSS = "application/rss+xml; charset=utf-8"
MONTH_PATTERN = r"sitemap-(?P<year>\d{4})-(?P<month>\d{2})\.xml"
ARTICLE_PATTERNS = {  # per first family, with {host}: the URLs of its article pages
    "dcontent": r"^https://{host}/[a-z0-9-]+-\d{{4,}}\.htm$",
    "phunu": r"^https://{host}/[a-z0-9-]+-\d{{17}}\.htm$",
    "quangngai": r"^https://{host}/channel/\d+/\d{{6}}/[a-z0-9-]+-\d+/$",
}


@dataclass
class Response:
    status: int
    body: bytes
    content_type: str = HTML
    headers: dict[str, str] = field(default_factory=dict)
    # set for feeds, sitemaps and listings: they carry ETag/Last-Modified and may answer 304
    last_modified: datetime | None = None
    compress: bool = True


@dataclass
class _View:
    """What the site shows at one instant of its clock."""

    newest: list[Article]  # published before now, newest first (removed ones included)
    listed: list[Article]  # newest minus removed: what listings and feeds show
    by_category: dict[str, list[Article]]
    months: dict[tuple[int, int], list[Article]]


class SiteApp:
    def __init__(self, site: ReplicaSite, crawl_delay: float):
        self.site, self.spec, self.crawl_delay = site, site.spec, crawl_delay
        self.removed: set[int] = {a.id for a in site.articles if a.removed}
        self._now = site.now
        self._edits: dict[int, Article] = {}
        self._lock = threading.Lock()
        self._view: tuple[tuple, _View] | None = None

    # ------------------------------------------------------------------ clock, removals, edits
    @property
    def now(self) -> datetime:
        return self._now

    @now.setter
    def now(self, value: datetime) -> None:
        if value.tzinfo is None:
            raise ValueError("the replica clock needs an aware datetime")
        self._now = value

    def edit(self, article_id: int, **changes: object) -> Article:
        """Change a published article in place (same id and URL), e.g. to test re-fetching."""
        if {"id", "url", "path", "slug"} & changes.keys():
            raise ValueError("an edit keeps the article's id and URL")
        with self._lock:
            edited = replace(self.article(article_id), **changes)
            self._edits[article_id] = edited
        return edited

    def article(self, article_id: int) -> Article:
        return self._edits.get(article_id) or self.site.by_id[article_id]

    def lastmod(self, a: Article) -> datetime:
        """Modification time as of the clock: a later edit has not happened yet."""
        return a.modified_at if a.modified_at and a.modified_at <= self._now else a.published_at

    def view(self) -> _View:
        key = (self._now, frozenset(self.removed), tuple(self._edits.values()))
        with self._lock:
            if self._view is None or self._view[0] != key:
                newest = [self._edits.get(a.id, a) for a in reversed(self.site.articles)
                          if a.published_at < self._now]
                listed = [a for a in newest if a.id not in self.removed]
                by_category: dict[str, list[Article]] = {c.key: [] for c in self.spec.categories}
                months: dict[tuple[int, int], list[Article]] = {}
                for a in listed:
                    by_category[a.category.key].append(a)
                for a in newest:
                    months.setdefault((a.published_at.year, a.published_at.month), []).append(a)
                self._view = (key, _View(newest, listed, by_category, months))
            return self._view[1]

    # ------------------------------------------------------------------------------- routing
    def handle(self, path: str, query: str = "") -> Response:
        spec = self.spec
        if path == "/robots.txt":
            return self.robots()
        if path == "/sitemap.xml":
            return self._sitemap_index()
        if m := re.fullmatch(r"/sitemaps/sitemap-(\d{4})-(\d{2})\.xml", path):
            return self._month_sitemap(int(m[1]), int(m[2]))
        if path == "/sitemaps/news.xml" and spec.news_sitemap:
            return self._news_sitemap()
        if path == spec.main_feed:
            return self._feed("Tin mới nhất", path, self.view().listed)
        for cat in spec.categories:
            if path == cat.feed:
                return self._feed(cat.name, path, self.view().by_category[cat.key])
        if path == "/":
            return self._home()
        if listing := self._parse_listing(path, query):
            return self._listing(*listing)
        if path in self.site.by_path:
            return self._article(self.site.by_path[path])
        if spec.family == "quangngai" and path + "/" in self.site.by_path:
            return Response(301, b"", headers={"Location": path + "/"})
        return self.loop_redirect(path, query) or self.not_found()

    def robots(self) -> Response:
        text = feeds.robots(self.spec, self.crawl_delay, self.announced_sitemaps())
        return Response(200, text.encode(), "text/plain; charset=utf-8")

    def announced_sitemaps(self) -> list[str]:
        """The absolute URLs of the Sitemap: lines in robots.txt."""
        return feeds.robots_sitemaps(self.spec)

    @staticmethod
    def loop_redirect(path: str, query: str) -> Response | None:
        """The "B" leg of the redirect_loop fault, on every family."""
        if path == LOOP_PATH:
            target = parse_qs(query).get("to", [""])[0]
            if target.startswith("/") and not target.startswith("//"):
                return Response(302, b"", headers={"Location": target})
        return None

    def html_response(self, html: str, status: int = 200, **kw: Any) -> Response:
        """A page in the site's own encoding (UTF-8 here; the legacy family overrides)."""
        return Response(status, html.encode(), **kw)

    def error_html(self, status: int, message: str) -> str:
        return render.error_page(self.spec, status, message)

    def not_found(self) -> Response:
        return self.error(404, "Không tìm thấy trang bạn yêu cầu")

    def error(self, status: int, message: str) -> Response:
        return self.html_response(self.error_html(status, message), status)

    # ----------------------------------------------------------------------------- endpoints
    def endpoints(self) -> dict[str, Any]:
        """What the site really serves, as of its clock, and where each endpoint is announced
        (``found_in``: robots.txt, page_head, homepage_head, homepage_nav; [] = nowhere, only
        a guess finds it); the families override it. URLs are on the real host."""
        spec, base = self.spec, self.spec.base_url
        found: list[dict[str, Any]] = [
            {"kind": "feed", "url": base + spec.main_feed, "found_in": ["page_head"]},
            *({"kind": "feed", "url": base + c.feed, "found_in": []} for c in spec.categories),
            self.sitemap_index_endpoint("/sitemap.xml", MONTH_PATTERN, feeds.month_path)]
        if spec.news_sitemap:
            found.append({"kind": "news_sitemap", "url": base + "/sitemaps/news.xml",
                          "found_in": ["robots.txt"]})
        for c in spec.categories:
            page = "?page={page}" if spec.family == "quangngai" else "/trang-{page}.htm"
            found.append(self.listing_endpoint(c, c.path + page, "numbered"))
        return self.describe(ARTICLE_PATTERNS[spec.family], found)

    def describe(self, article_pattern: str, found: list[dict[str, Any]]) -> dict[str, Any]:
        """The endpoints() answer around the family's own parts."""
        spec = self.spec
        return {"slug": spec.slug, "family": spec.family, "base_url": spec.base_url,
                "crawl_delay": self.crawl_delay, "disallow": list(spec.disallow),
                "article_url_pattern": article_pattern.format(host=re.escape(spec.host)),
                "endpoints": found}

    def sitemap_index_endpoint(self, path: str, month_pattern: str,
                               child_path: Callable[[int, int], str]) -> dict[str, Any]:
        """A sitemap index announced in robots.txt, with its monthly sitemaps, newest first."""
        months = sorted(self.view().months, reverse=True)
        return {"kind": "sitemap_index", "url": self.spec.base_url + path,
                "month_pattern": month_pattern, "found_in": ["robots.txt"],
                "sitemaps": [self.spec.base_url + child_path(y, m) for y, m in months]}

    def listing_endpoint(self, category: Category, pagination: str, paging: str
                         ) -> dict[str, Any]:
        """A category listing linked from the homepage menu; ``paging``: numbered (links to
        several pages) or next_link (only the following page is linked)."""
        base = self.spec.base_url
        return {"kind": "listing", "url": base + category.path, "pagination": base + pagination,
                "paging": paging, "found_in": ["homepage_nav"]}

    def _article(self, a: Article) -> Response:
        a = self._edits.get(a.id, a)
        if a.id in self.removed or a.published_at >= self._now:
            return self.not_found()
        latest = [b for b in self.view().listed[:6] if b.id != a.id][:5]
        modified = self.lastmod(a) if self.lastmod(a) != a.published_at else None
        return self.html_response(self.article_html(a, latest, modified))

    # the family's markup: the newer families override these three
    def article_html(self, a: Article, latest: list[Article], modified: datetime | None) -> str:
        return render.article_page(self.spec, a, latest, modified)

    def listing_html(self, category: Category | None, items: list[Article], page: int,
                     pages: int) -> str:
        """A category listing page, or the homepage when ``category`` is None."""
        return render.listing_page(self.spec, category, items, page, pages)

    def _home(self) -> Response:
        items = self.view().listed[:PAGE_SIZE]
        return self._listing_response(self.listing_html(None, items, 1, 1), items)

    def _parse_listing(self, path: str, query: str) -> tuple[Category, int] | None:
        for cat in self.spec.categories:
            if self.spec.family == "quangngai":
                if path == cat.path:
                    page = parse_qs(query).get("page", ["1"])[0]
                    return cat, int(page) if page.isdigit() and int(page) > 0 else 1
            elif path in (cat.path, cat.path + "/"):
                return cat, 1
            elif (m := re.fullmatch(re.escape(cat.path) + r"/trang-(\d+)\.htm", path)) \
                    and int(m[1]) > 0:
                return cat, int(m[1])
        return None

    def pages(self, cat: Category) -> int:
        return max(1, ceil(len(self.view().by_category[cat.key]) / PAGE_SIZE))

    def _listing(self, cat: Category, page: int) -> Response:
        items = self.view().by_category[cat.key]
        shown = items[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]  # empty past the last page
        return self._listing_response(self.listing_html(cat, shown, page, self.pages(cat)),
                                      shown)

    def _listing_response(self, html: str, items: list[Article]) -> Response:
        return self.html_response(html, last_modified=self._newest(items))

    def _newest(self, items: list[Article]) -> datetime:
        return max((self.lastmod(a) for a in items), default=START)

    def _feed(self, title: str, path: str, items: list[Article]) -> Response:
        items = items[:FEED_SIZE]
        built = self._newest(items)
        return Response(200, feeds.rss(self.spec, title, path, items, built).encode(), RSS,
                        last_modified=built)

    def _sitemap_index(self, child_path: Callable[[int, int], str] = feeds.month_path
                       ) -> Response:
        months = [(y, m, self._newest(items)) for (y, m), items in self.view().months.items()]
        months.sort(reverse=True)
        body = feeds.sitemap_index(self.spec, months, child_path)
        return Response(200, body.encode(), XML,
                        last_modified=max((lm for *_, lm in months), default=START))

    def _month_sitemap(self, year: int, month: int) -> Response:
        items = self.view().months.get((year, month))
        if not items:
            return self.not_found()
        return Response(200, feeds.urlset(items, self.lastmod).encode(), XML,
                        last_modified=self._newest(items))

    def _news_sitemap(self) -> Response:
        since = self._now.timestamp() - NEWS_WINDOW_HOURS * 3600
        items = [a for a in self.view().listed if a.published_at.timestamp() >= since]
        return Response(200, feeds.news_sitemap(self.spec, items).encode(), XML,
                        last_modified=self._newest(items))
