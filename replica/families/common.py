"""What the newer families share: routing around robots.txt and 404, and chrome helpers.

Unlike the first families, none of them answers the conventional /rss/... or /sitemap.xml:
each serves only its own routes, so a probe must find the endpoints where the site
announces them.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from replica.app import Response, SiteApp
from replica.data import Article
from replica.render import teaser_date


class FamilyApp(SiteApp):
    """A SiteApp whose routes are robots.txt, the family's own (``route``), then 404."""

    def handle(self, path: str, query: str = "") -> Response:
        if path == "/robots.txt":
            return self.robots()
        return self.route(path, query) or self.loop_redirect(path, query) or self.not_found()

    def route(self, path: str, query: str) -> Response | None:
        """The family's answer for this path, or None for 404."""
        raise NotImplementedError

    def announced_sitemaps(self) -> list[str]:
        return []

    def same_category(self, a: Article, n: int = 5) -> list[Article]:
        """"Tin cùng chuyên mục": the stories filed just before ``a`` in its category."""
        return [b for b in self.view().by_category[a.category.key]
                if b.published_at < a.published_at][:n]


def redirect(location: str, status: int = 301) -> Response:
    return Response(status, b"", headers={"Location": location})


def page_number(value: str | None) -> int:
    """A ?page= value as the CMS reads it: anything but a positive number is page 1."""
    return int(value) if value and value.isdigit() and int(value) > 0 else 1


def link_list(items: Sequence[Article], href: str = "{path}", dated: bool = False) -> str:
    """<li> links to ``items`` (``href`` formats the article's path), optionally dated."""
    return "".join(
        f'<li><a href="{escape(href.format(path=a.path))}">{escape(a.title)}</a>'
        + (f' <span class="time">{teaser_date(a.published_at)}</span>' if dated else "")
        + "</li>" for a in items)
