"""A WordPress news theme (baodanang): what the WordPress family of provincial papers serves.

URLs: posts at /YYYY/MM/<slug>/ (the internal ones under /noi-bo/), the shortlink /?p=<id>,
categories at /category/<slug>/ and /category/<slug>/page/N/ (404 past the last page), URLs
without their trailing slash redirected to it. The only feed, /feed/, is announced only in the
homepage <head>; there is no sitemap. Article pages: ``article.post`` with ``.entry-title``,
``<time class="entry-date published" datetime>``, the byline in ``.post-author``, the lead as
the bold first paragraph of ``.entry-content``, which also holds the figures, an inline
"Tin liên quan" box and the share bar; "Tin cùng chuyên mục", comments and widgets around.
"""

from __future__ import annotations

import re
from datetime import datetime
from html import escape
from typing import Any
from urllib.parse import parse_qs, quote

from replica.app import Response
from replica.chrome import LICENCE
from replica.data import Article, Category, ascii_slug
from replica.families.common import FamilyApp, link_list, redirect
from replica.render import _interleave

ARTICLE_PATTERN = r"^https://{host}/(?:noi-bo/)?\d{{4}}/\d{{2}}/[a-z0-9-]+/$"
FEED = "/feed/"
_CATEGORY = re.compile(r"/category/([a-z0-9-]+)(?:/page/(\d+))?(/?)")


def _date(dt: datetime) -> str:
    return f"{dt:%d/%m/%Y}"


class WordPressApp(FamilyApp):
    def route(self, path: str, query: str) -> Response | None:
        if path == "/":
            return self._shortlink(parse_qs(query).get("p", [""])[0]) or self._home()
        if path == FEED:
            return self._feed("Tin mới nhất", path, self.view().listed)
        if m := _CATEGORY.fullmatch(path):
            return self._category(m[1], int(m[2] or 1), bool(m[3]), m[2] == "1")
        if path in self.site.by_path:
            return self._article(self.site.by_path[path])
        if path + "/" in self.site.by_path:
            return redirect(path + "/")
        return None

    def _shortlink(self, post_id: str) -> Response | None:
        a = self.site.by_id.get(int(post_id)) if post_id.isdigit() else None
        if a is None or a.id in self.removed or a.published_at >= self.now:
            return None
        return redirect(a.path)

    def _category(self, key: str, page: int, slash: bool, page_one: bool) -> Response | None:
        cat = next((c for c in self.spec.categories if c.key == key), None)
        if cat is None or not 1 <= page <= self.pages(cat):
            return None
        if not slash or page_one:
            return redirect(self.page_path(cat, page))
        return self._listing(cat, page)

    @staticmethod
    def page_path(cat: Category, page: int) -> str:
        return cat.path if page == 1 else f"{cat.path}page/{page}/"

    def endpoints(self) -> dict[str, Any]:
        base = self.spec.base_url
        return self.describe(ARTICLE_PATTERN, [
            {"kind": "feed", "url": base + FEED, "found_in": ["homepage_head"]},
            *(self.listing_endpoint(c, c.path + "page/{page}/", "numbered")
              for c in self.spec.categories)])

    # ------------------------------------------------------------------------------- markup
    def _url(self, path: str) -> str:
        return self.spec.base_url + path  # WordPress links are absolute

    def _page(self, title: str, canonical: str, body_class: str, main: str,
              aside: list[Article], head: str = "") -> str:
        spec = self.spec
        menu = "".join(f'<li class="menu-item menu-item-type-taxonomy menu-item-object-category">'
                       f'<a href="{self._url(c.path)}">{escape(c.name)}</a></li>'
                       for c in spec.categories)
        return (
            '<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="UTF-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(title)} – {escape(spec.name)}</title>\n"
            f'<link rel="canonical" href="{escape(canonical)}">\n{head}'
            "<link rel='stylesheet' id='baotinh-style-css' "
            "href='/wp-content/themes/baotinh/style.css?ver=2.4' media='all'>\n"
            f'<link rel="https://api.w.org/" href="{spec.base_url}/wp-json/">\n'
            '<meta name="generator" content="WordPress 6.4.3">\n</head>\n'
            f'<body class="{body_class}">\n<div id="page" class="site">\n'
            '<a class="skip-link screen-reader-text" href="#content">Chuyển đến nội dung</a>\n'
            '<header id="masthead" class="site-header"><div class="site-branding">'
            f'<p class="site-title"><a href="{spec.base_url}/" rel="home">{escape(spec.name)}'
            '</a></p><p class="site-description">Tin tức, thời sự địa phương</p></div>\n'
            '<nav id="site-navigation" class="main-navigation"><ul id="primary-menu" '
            f'class="menu"><li class="menu-item menu-item-home"><a href="{spec.base_url}/">'
            f"Trang chủ</a></li>{menu}</ul></nav></header>\n"
            '<div id="content" class="site-content">\n<div id="primary" class="content-area">'
            f'<main id="main" class="site-main">\n{main}</main></div>\n'
            '<aside id="secondary" class="widget-area"><section class="widget '
            'widget_recent_entries"><h2 class="widget-title">Bài viết mới</h2><ul>'
            f"{link_list(aside, spec.base_url + '{path}')}</ul></section>"
            '<section class="widget widget_search"><form role="search" method="get" '
            f'action="{spec.base_url}/"><input type="search" name="s" placeholder="Tìm kiếm">'
            "</form></section></aside>\n</div>\n"
            '<footer id="colophon" class="site-footer"><div class="site-info">'
            f"© {escape(spec.name)}. {' '.join(LICENCE)}</div>"
            "</footer>\n</div>\n<script src='/wp-includes/js/jquery/jquery.min.js?ver=3.7.1'>"
            "</script>\n</body>\n</html>\n")

    def _post_class(self, a: Article) -> str:
        return (f"post-{a.id} post type-post status-publish format-standard "
                f"has-post-thumbnail category-{a.category.key}")

    def _teaser(self, a: Article) -> str:
        url = self._url(a.path)
        return (f'<article id="post-{a.id}" class="{self._post_class(a)}">'
                f'<a class="post-thumbnail" href="{url}"><img width="300" height="200" '
                f'src="{escape(a.images[0].src)}" class="attachment-medium wp-post-image" '
                'alt="" loading="lazy"></a><header class="entry-header"><h2 class="entry-title">'
                f'<a href="{url}" rel="bookmark">{escape(a.title)}</a></h2>'
                '<div class="entry-meta"><time class="entry-date published" '
                f'datetime="{a.published_at.isoformat()}">{_date(a.published_at)}</time></div>'
                f'</header><div class="entry-summary"><p>{escape(a.lead)}</p></div></article>\n')

    def _pagination(self, cat: Category, page: int, pages: int) -> str:
        def link(n: int, label: str, cls: str = "page-numbers") -> str:
            return f'<a class="{cls}" href="{self._url(self.page_path(cat, n))}">{label}</a>'

        parts = [link(page - 1, "« Trước", "prev page-numbers")] if page > 1 else []
        shown = sorted({1, pages, *range(max(1, page - 2), min(pages, page + 2) + 1)})
        for i, n in enumerate(shown):
            if i and n - shown[i - 1] > 1:
                parts.append('<span class="page-numbers dots">…</span>')
            parts.append(f'<span aria-current="page" class="page-numbers current">{n}</span>'
                         if n == page else link(n, str(n)))
        if page < pages:
            parts.append(link(page + 1, "Sau »", "next page-numbers"))
        return ('<nav class="navigation pagination" aria-label="Phân trang bài viết">'
                '<h2 class="screen-reader-text">Phân trang bài viết</h2>'
                f'<div class="nav-links">{"".join(parts)}</div></nav>\n')

    def listing_html(self, category: Category | None, items: list[Article], page: int,
                     pages: int) -> str:
        teasers = "".join(self._teaser(a) for a in items)
        aside = self.view().listed[:5]
        if category is None:  # the only page whose <head> names the feed
            feed = (f'<link rel="alternate" type="application/rss+xml" '
                    f'title="{escape(self.spec.name)} » Feed" href="{self._url(FEED)}">\n')
            return self._page("Tin tức", self._url("/"), "home blog", teasers, aside, feed)
        main = (f'<header class="page-header"><h1 class="page-title">Chuyên mục: '
                f"{escape(category.name)}</h1></header>\n{teasers}"
                + (self._pagination(category, page, pages) if pages > 1 else ""))
        return self._page(category.name, self._url(self.page_path(category, page)),
                          f"archive category category-{category.key}", main, aside)

    def article_html(self, a: Article, latest: list[Article], modified: datetime | None) -> str:
        url, cat = self._url(a.path), a.category
        paras = [f"<p>{escape(p)}</p>" for p in a.paragraphs]
        figures = [f'<figure class="wp-block-image size-large"><img src="{escape(im.src)}" '
                   f'alt=""><figcaption class="wp-element-caption">{escape(im.caption)}'
                   "</figcaption></figure>" for im in a.images]
        related = ('<div class="inline-related"><p class="inline-related__title">Tin liên quan'
                   "</p><ul>" + "".join(f'<li><a href="{escape(u)}">{escape(t)}</a></li>'
                                        for t, u in a.related) + "</ul></div>"
                   ) if a.related else ""
        share = quote(url, safe="")
        updated = (f'<time class="updated" datetime="{modified.isoformat()}">{_date(modified)}'
                   "</time>") if modified else ""
        tags = ", ".join(f'<a href="{self._url(f"/tag/{ascii_slug(t, 20)}/")}" rel="tag">'
                         f"{escape(t)}</a>" for t in a.tags)
        head = (f'<meta name="description" content="{escape(a.lead)}">\n'
                f'<link rel="shortlink" href="{self.spec.base_url}/?p={a.id}">\n'
                '<meta property="og:type" content="article">\n'
                f'<meta property="og:title" content="{escape(a.title)}">\n'
                f'<meta property="og:description" content="{escape(a.lead)}">\n'
                f'<meta property="og:url" content="{url}">\n'
                f'<meta property="og:image" content="{escape(a.images[0].src)}">\n')
        main = (
            f'<div class="breadcrumbs"><a href="{self._url("/")}">Trang chủ</a> » '
            f'<a href="{self._url(cat.path)}">{escape(cat.name)}</a> » '
            f"<span>{escape(a.title)}</span></div>\n"
            f'<article id="post-{a.id}" class="{self._post_class(a)}">\n'
            '<header class="entry-header">'
            f'<span class="cat-links"><a href="{self._url(cat.path)}" rel="category tag">'
            f'{escape(cat.name)}</a></span>\n<h1 class="entry-title">{escape(a.title)}</h1>\n'
            '<div class="entry-meta"><span class="posted-on"><a href="' + url + '" rel="bookmark">'
            f'<time class="entry-date published" datetime="{a.published_at.isoformat()}">'
            f"{_date(a.published_at)}</time>{updated}</a></span> "
            '<span class="byline"><span class="post-author vcard"><a class="url fn n" '
            f'href="{self._url(f"/author/{ascii_slug(a.author)}/")}">{escape(a.byline)}</a>'
            "</span></span></div>\n</header>\n"
            f'<div class="entry-content">\n<p><strong>{escape(a.lead)}</strong></p>\n'
            + "\n".join(_interleave(paras, figures, related))
            + '\n<div class="sharedaddy sd-sharing-enabled"><div class="robots-nocontent '
            'sd-block sd-social"><h3 class="sd-title">Chia sẻ:</h3><div class="sd-content"><ul>'
            f'<li class="share-facebook"><a href="https://www.facebook.com/sharer.php?u={share}">'
            f'Facebook</a></li><li class="share-zalo"><a href="https://zalo.me/share?u={share}">'
            'Zalo</a></li><li class="share-print"><a href="#print">In bài</a></li></ul></div>'
            "</div></div>\n</div>\n"
            f'<footer class="entry-footer"><span class="tags-links">Từ khóa: {tags}</span>'
            "</footer>\n</article>\n"
            '<section class="related-category"><h2 class="section-title">Tin cùng chuyên mục'
            f"</h2><ul>{link_list(self.same_category(a), self.spec.base_url + '{path}', True)}"
            "</ul></section>\n"
            '<div id="comments" class="comments-area"><div id="respond" class="comment-respond">'
            '<h3 id="reply-title" class="comment-reply-title">Để lại bình luận</h3>'
            f'<form action="{self.spec.base_url}/wp-comments-post.php" method="post" '
            'id="commentform"><p class="comment-notes">Email của bạn sẽ không được hiển thị '
            'công khai.</p><textarea name="comment"></textarea><input name="submit" '
            'type="submit" value="Gửi bình luận"></form></div></div>\n')
        return self._page(a.title, url, f"post-template-default single single-post "
                          f"postid-{a.id} single-format-standard", main, latest, head)

    def error_html(self, status: int, message: str) -> str:
        main = (f'<section class="error-{status} not-found"><header class="page-header">'
                f'<h1 class="page-title">{escape(message)}</h1></header><div class="page-content">'
                f'<p>Có vẻ như không có gì ở đây. <a href="{self._url("/")}">Về trang chủ</a></p>'
                "</div></section>\n")
        return self._page(message, self._url("/"), f"error{status}", main,
                          self.view().listed[:5])
