"""A modern server-rendered news site (baonghean) whose dates live only in JSON-LD.

URLs: articles at /tin-tuc/<slug>-post<id>.html (internal ones under /noi-bo/), category
listings at /<category> and /<category>?page=N, each page linking only the next one
(``<a rel="next">Trang sau</a>``; an empty page past the last). No feed, no sitemap: a crawler
finds stories through the homepage menu and the next links alone. Article pages carry a
NewsArticle JSON-LD with datePublished/dateModified at +07:00 (the page shows only the day),
the byline as the right-aligned last paragraph of the body, a share bar, an inline
"Tin liên quan" box and "Tin cùng chuyên mục" below.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from html import escape
from typing import Any
from urllib.parse import parse_qs, quote

from replica.app import Response
from replica.chrome import LICENCE
from replica.data import Article, Category, ascii_slug
from replica.families.common import FamilyApp, page_number
from replica.render import WEEKDAYS, _interleave

ARTICLE_PATTERN = r"^https://{host}/(?:tin-tuc|noi-bo)/[a-z0-9-]+-post\d+\.html$"


def visible_date(dt: datetime) -> str:
    return f"{WEEKDAYS[dt.weekday()].title()}, {dt:%d/%m/%Y}"


def _ld(data: dict[str, Any]) -> str:
    text = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return f'<script type="application/ld+json">{text}</script>\n'


class JsonLdApp(FamilyApp):
    def route(self, path: str, query: str) -> Response | None:
        if path == "/":
            return self._home()
        for cat in self.spec.categories:
            if path == cat.path:
                return self._listing(cat, page_number(parse_qs(query).get("page", [""])[0]))
        if path in self.site.by_path:
            return self._article(self.site.by_path[path])
        return None

    def endpoints(self) -> dict[str, Any]:
        return self.describe(ARTICLE_PATTERN, [
            self.listing_endpoint(c, c.path + "?page={page}", "next_link")
            for c in self.spec.categories])

    # ------------------------------------------------------------------------------- markup
    def _page(self, title: str, canonical: str, main: str, head: str = "") -> str:
        spec = self.spec
        menu = "".join(f'<li class="main-nav__item"><a href="{c.path}">{escape(c.name)}</a></li>'
                       for c in spec.categories)
        popular = "".join(f'<li><a href="{a.path}">{escape(a.title)}</a></li>'
                          for a in self.view().listed[5:10])
        return (
            '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(title)} | {escape(spec.name)}</title>\n"
            f'<link rel="canonical" href="{escape(canonical)}">\n{head}'
            '<link rel="preload" href="/_next/static/css/app-8f3a.css" as="style">'
            '<link rel="stylesheet" href="/_next/static/css/app-8f3a.css">\n'
            '<script src="/_next/static/chunks/main-2c1e.js" defer></script></head>\n'
            '<body><div id="__next"><header class="site-header"><div class="container">'
            f'<a class="logo" href="/"><img src="/images/logo.svg" alt="{escape(spec.name)}"></a>'
            '<nav class="main-nav"><ul><li class="main-nav__item"><a href="/">Trang chủ</a></li>'
            f'{menu}</ul></nav><button class="btn-search" aria-label="Tìm kiếm"></button>'
            "</div></header>\n"
            f'<main class="main container">\n{main}'
            '<aside class="sidebar"><div class="box-popular"><h3 class="title-box">Đọc nhiều'
            f"</h3><ul>{popular}</ul></div></aside>\n</main>\n"
            '<footer class="site-footer"><div class="container"><p class="copyright">© Bản '
            f"quyền thuộc về {escape(spec.name)}. {LICENCE[0]}</p><p>{LICENCE[1]}</p></div>"
            "</footer></div></body></html>\n")

    @staticmethod
    def _items(items: Sequence[Article]) -> str:
        return "".join(
            f'<div class="item-news"><a class="item-news__thumb" href="{a.path}">'
            f'<img src="{escape(a.images[0].src)}" alt="{escape(a.title)}" loading="lazy"></a>'
            f'<h3 class="item-news__title"><a href="{a.path}">{escape(a.title)}</a></h3>'
            f'<p class="item-news__sapo">{escape(a.lead)}</p></div>\n' for a in items)

    def listing_html(self, category: Category | None, items: list[Article], page: int,
                     pages: int) -> str:
        base = self.spec.base_url
        if category is None:
            main = ('<section class="home-latest"><h2 class="title-box">Tin mới</h2>\n'
                    f"{self._items(items)}</section>\n")
            return self._page("Tin tức Nghệ An mới nhất", base + "/", main)
        more = (f'<div class="pagination"><a rel="next" class="btn-next" '
                f'href="{category.path}?page={page + 1}">Trang sau</a></div>\n'
                if page < pages else "")
        canonical = base + category.path + (f"?page={page}" if page > 1 else "")
        teasers = self._items(items) or '<p class="empty">Không có bài viết</p>\n'
        main = (f'<section class="cate-page"><h1 class="cate-page__title">{escape(category.name)}'
                f"</h1>\n{teasers}{more}</section>\n")
        return self._page(category.name, canonical, main)

    def article_html(self, a: Article, latest: list[Article], modified: datetime | None) -> str:
        spec, cat = self.spec, a.category
        ld = {"@context": "https://schema.org", "@type": "NewsArticle",
              "mainEntityOfPage": {"@type": "WebPage", "@id": a.url}, "headline": a.title,
              "description": a.lead, "image": [im.src for im in a.images],
              "datePublished": a.published_at.isoformat(),
              "dateModified": (modified or a.published_at).isoformat(),
              "articleSection": cat.name, "inLanguage": "vi",
              "author": {"@type": "Organization", "name": spec.name},
              "publisher": {"@type": "NewsMediaOrganization", "name": spec.name,
                            "logo": {"@type": "ImageObject", "url": f"{spec.base_url}/logo.png"}}}
        crumbs = {"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": [
            {"@type": "ListItem", "position": 1, "name": "Trang chủ", "item": spec.base_url + "/"},
            {"@type": "ListItem", "position": 2, "name": cat.name,
             "item": spec.base_url + cat.path}]}
        head = (f'<meta name="description" content="{escape(a.lead)}">\n'
                f'<meta property="og:title" content="{escape(a.title)}">\n'
                f'<meta property="og:description" content="{escape(a.lead)}">\n'
                f'<meta property="og:image" content="{escape(a.images[0].src)}">\n'
                f"{_ld(ld)}{_ld(crumbs)}")
        paras = [f"<p>{escape(p)}</p>" for p in a.paragraphs]
        figures = [f'<figure class="image"><img src="{escape(im.src)}" alt="{escape(a.title)}">'
                   f"<figcaption>{escape(im.caption)}</figcaption></figure>" for im in a.images]
        related = ('<div class="box-related"><h3 class="box-related__title">Tin liên quan</h3>'
                   "<ul>" + "".join(f'<li><a href="{escape(u)}">{escape(t)}</a></li>'
                                    for t, u in a.related) + "</ul></div>") if a.related else ""
        url = quote(a.url, safe="")
        tags = "".join(f'<a href="/tag/{ascii_slug(t, 20)}">{escape(t)}</a>' for t in a.tags)
        main = (
            '<article class="article-detail">\n'
            f'<div class="breadcrumb"><a href="/">Trang chủ</a><a href="{cat.path}">'
            f"{escape(cat.name)}</a></div>\n"
            f'<h1 class="article-title">{escape(a.title)}</h1>\n'
            f'<div class="article-meta"><span class="article-meta__cate">{escape(cat.name)}'
            f'</span><span class="article-meta__date">{visible_date(a.published_at)}</span></div>\n'
            f'<div class="article-sapo">{escape(spec.lead_prefix + a.lead)}</div>\n'
            '<div class="share-bar"><span>Chia sẻ</span>'
            f'<a class="share-bar__fb" href="https://www.facebook.com/sharer/sharer.php?u={url}">'
            f'Facebook</a><a class="share-bar__zalo" href="https://zalo.me/share?u={url}">Zalo'
            '</a><button class="share-bar__copy">Sao chép liên kết</button></div>\n'
            '<div class="article-body">\n' + "\n".join(_interleave(paras, figures, related))
            + f'\n<p style="text-align:right"><strong>{escape(a.byline)}</strong></p>\n</div>\n'
            f'<div class="article-tags">{tags}</div>\n</article>\n'
            '<section class="same-cate"><h2 class="title-box">Tin cùng chuyên mục</h2>\n'
            f"{self._items(self.same_category(a))}</section>\n")
        return self._page(a.title, a.url, main, head)

    def error_html(self, status: int, message: str) -> str:
        main = (f'<section class="page-error"><h1>{status}</h1><p>{escape(message)}</p>'
                '<p><a href="/">Về trang chủ</a></p></section>\n')
        return self._page(message, self.spec.base_url + "/", main)
