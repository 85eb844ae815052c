"""HTML of the replica pages, following the markup contract of each CMS family.

The skeletons are the ones in /tmp/provnews_contracts.md (and the selectors of
include/cms/*.yaml), quirks included: lead prefixes, bylines inside the body, captions and
related-story boxes mixed into the body, bodies shipped base64- or JS-string-encoded.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Sequence
from datetime import datetime
from html import escape

from replica import chrome
from replica.data import Article, Category, SiteSpec, ascii_slug

WEEKDAYS = ("Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy", "Chủ nhật")


def visible_date(spec: SiteSpec, dt: datetime) -> str:
    """The date line an article page shows, in the site's own format."""
    if spec.family == "quangngai":
        return f"{WEEKDAYS[dt.weekday()].title()}, {dt:%d/%m/%Y, %H:%M} (GMT+7)"
    if spec.family == "phunu":
        return f"{dt:%d/%m/%Y - %H:%M}"
    if spec.slug == "baophutho":
        return f"{dt:%H:%M %d/%m/%Y}"
    return f"{WEEKDAYS[dt.weekday()]}, {dt:%d/%m/%Y - %H:%M}"


def teaser_date(dt: datetime) -> str:
    return f"{dt:%d/%m/%Y %H:%M}"


def js_string(text: str, ascii_only: bool = False) -> str:
    """``text`` as the body of a JS string literal (either quote), escaped the way the CMS
    does it: \\' \\" \\n \\/ and, for ``ascii_only``, \\uXXXX for every non-ASCII character."""
    out = []
    for ch in text:
        code = ord(ch)
        if ch in "\\'\"/":
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif code < 0x20 or ch in "\u2028\u2029" or (ascii_only and code > 0x7E):
            units = ch.encode("utf-16-be")
            out.extend(f"\\u{int.from_bytes(units[i:i + 2], 'big'):04x}"
                       for i in range(0, len(units), 2))
        else:
            out.append(ch)
    return "".join(out)


# ------------------------------------------------------------------------------------ page parts

def _head(spec: SiteSpec, title: str, canonical: str, *, description: str = "",
          extra: str = "") -> str:
    sep = " | " if spec.family == "phunu" else " - "
    return (
        "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">\n"
        f"<title>{escape(title)}{sep}{escape(spec.name)}</title>\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="description" content="{escape(description)}">\n'
        f'<meta name="author" content="{escape(spec.name)}">\n'
        f'<link rel="canonical" href="{escape(canonical)}">\n'
        f'<link rel="alternate" type="application/rss+xml" title="{escape(spec.name)}" '
        f'href="{spec.base_url}{spec.main_feed}">\n'
        '<link rel="stylesheet" href="/static/css/main.css">\n'
        f"{extra}</head>\n")


def _menu(spec: SiteSpec) -> str:
    return "".join(f'<li><a href="{c.path}">{escape(c.name)}</a></li>' for c in spec.categories)


def _header(spec: SiteSpec) -> str:
    return (f'<body><header class="header"><a class="logo" href="/">{escape(spec.name)}</a>'
            f'<nav class="menu"><ul><li><a href="/">Trang chủ</a></li>{_menu(spec)}</ul></nav>'
            '<form class="search" action="/tim-kiem"><input name="q"></form></header>\n')


def _sidebar(latest: Sequence[Article]) -> str:
    items = "".join(f'<li><a href="{a.path}">{escape(a.title)}</a></li>' for a in latest)
    return f'<aside class="sidebar"><h3>Tin mới nhất</h3><ul>{items}</ul></aside>\n'


def _footer(spec: SiteSpec) -> str:
    return (f'<footer class="footer"><p>© {escape(spec.name)}. {chrome.LICENCE[0]}</p>'
            f'<p>{chrome.LICENCE[1]}</p></footer>\n'
            '<script src="/static/js/jquery.min.js"></script></body></html>\n')


def _meta_article(spec: SiteSpec, a: Article, modified: datetime | None) -> str:
    """OpenGraph, article:published_time and a JSON-LD NewsArticle naming the paper."""
    ld = {
        "@context": "https://schema.org", "@type": "NewsArticle", "headline": a.title,
        "description": a.lead, "datePublished": a.published_at.isoformat(),
        "dateModified": (modified or a.published_at).isoformat(),
        "author": {"@type": "Organization", "name": spec.name},
        "publisher": {"@type": "Organization", "name": spec.name,
                      "logo": {"@type": "ImageObject", "url": f"{spec.base_url}/logo.png"}},
        "mainEntityOfPage": {"@type": "WebPage", "@id": a.url},
        "image": [im.src for im in a.images], "articleSection": a.category.name,
        "keywords": ", ".join(a.tags),
    }
    mod = (f'<meta property="article:modified_time" content="{modified.isoformat()}">\n'
           if modified else "")
    ld_json = json.dumps(ld, ensure_ascii=False).replace("</", "<\\/")
    return (f'<meta property="og:type" content="article">\n'
            f'<meta property="og:title" content="{escape(a.title)}">\n'
            f'<meta property="og:url" content="{escape(a.url)}">\n'
            f'<meta property="og:image" content="{escape(a.images[0].src)}">\n'
            f'<meta property="article:published_time" content="{a.published_at.isoformat()}">\n'
            f"{mod}"
            f'<script type="application/ld+json">{ld_json}</script>\n')


def _interleave(paragraphs: Sequence[str], images: Sequence[str], related: str) -> list[str]:
    """Paragraph blocks with the images spread through them and the related box mid-body."""
    n = len(paragraphs)
    after: dict[int, list[str]] = {}
    for k, image in enumerate(images):
        after.setdefault(k * (n - 1) // len(images), []).append(image)
    if related:
        after.setdefault(n // 2, []).append(related)
    out = []
    for i, p in enumerate(paragraphs):
        out.append(p)
        out.extend(after.get(i, ()))
    return out


def _tags(a: Article, cls: str, href: Callable[[str], str]) -> str:
    links = "".join(f'<a href="{href(ascii_slug(t, 20))}">{escape(t)}</a>' for t in a.tags)
    return f'<div class="{cls}">{links}</div>\n'


# ------------------------------------------------------------------------------- article bodies

def _dcontent_body(spec: SiteSpec, a: Article) -> str:
    style = ' style="text-align: justify;"' if spec.slug == "baophutho" else ""
    paras = [f"<p{style}>{escape(p)}</p>" for p in a.paragraphs]
    images = [f'<table class="image"><tr><td><img src="{escape(im.src)}" alt="Responsive image">'
              f'</td></tr><tr><td><figcaption>{escape(im.caption)}</figcaption></td></tr></table>'
              for im in a.images]
    related = ('<div class="box-related"><p>Tin liên quan</p>'
               + "".join(f'<a href="{escape(u)}">{escape(t)}</a>' for t, u in a.related)
               + "</div>") if a.related else ""
    byline = f'<p style="text-align: right;"><strong>{escape(a.byline)}</strong></p>'
    return "\n".join([*_interleave(paras, images, related), byline])


def _phunu_body(a: Article) -> str:
    paras = [f"<p>{escape(p)}</p>" for p in a.paragraphs]
    images = [f'<figure class="VCSortableInPreviewMode" type="Photo"><img src="{escape(im.src)}"'
              f' alt="{escape(a.title)}"><figcaption class="PhotoCMS_Caption"><p>'
              f"{escape(im.caption)}</p></figcaption></figure>" for im in a.images]
    related = ('<div class="VCSortableInPreviewMode" type="RelatedNewsBox"><div class="box-rel">'
               "<strong>Tin liên quan</strong><ul>"
               + "".join(f'<li><a href="{escape(u)}">{escape(t)}</a></li>' for t, u in a.related)
               + "</ul></div></div>") if a.related else ""
    return "\n".join(_interleave(paras, images, related))


def _quangngai_body(a: Article) -> str:
    paras = [f"<p>{escape(p)}</p>" for p in a.paragraphs]
    images = [f'<div class="image"><img src="{escape(im.src)}" alt="">'
              f'<p class="image-caption">{escape(im.caption)}</p></div>' for im in a.images]
    related = ('<div class="related-news"><p>Tin liên quan</p>'
               + "".join(f'<a href="{escape(u)}">{escape(t)}</a>' for t, u in a.related)
               + "</div>") if a.related else ""
    return "\n".join(_interleave(paras, images, related))


def _b64(html: str) -> str:
    return base64.b64encode(html.encode("utf-8")).decode("ascii")


# ------------------------------------------------------------------------------- article pages

def article_page(spec: SiteSpec, a: Article, latest: Sequence[Article],
                 modified: datetime | None) -> str:
    """The full HTML page of ``a``, in the page chrome of a real paper (``replica.chrome``);
    ``modified`` is its modification time as of the server's clock (None if not modified
    yet)."""
    if spec.family == "phunu":
        main = _phunu_main(spec, a)
    elif spec.family == "quangngai":
        main = _quangngai_main(spec, a)
    else:
        main = _dcontent_main(spec, a)
    extra = "" if spec.family == "quangngai" else _meta_article(spec, a, modified)
    sidebar = (_sidebar(latest) + chrome.ad("sidebar-1") + chrome.ranked_box("Đọc nhiều", latest)
               + chrome.ad("sidebar-2"))
    return (_head(spec, a.title, a.url, description=a.lead,
                  extra=extra + chrome.head_extras(spec, a))
            + chrome.header(spec, _menu(spec))
            + f'<main class="container">\n{main}{sidebar}</main>\n'
            + chrome.teaser_box("Tin cùng chuyên mục", latest, "box-category")
            + chrome.teaser_box("Có thể bạn quan tâm", latest[::-1], "box-suggest")
            + chrome.ad("bottom") + chrome.footer(spec))


def _dcontent_main(spec: SiteSpec, a: Article) -> str:
    body = _dcontent_body(spec, a)
    if a.body_mode == "ebody":
        body_div = (f'<div id="dcontent" class="article__body"><div class="ebody" '
                    f'data-enc="{_b64(body)}"></div></div>\n'
                    "<script>(function(){var e=document.querySelector('#dcontent .ebody');"
                    "e.outerHTML=decodeURIComponent(escape(atob(e.getAttribute('data-enc'))));"
                    "})();</script>\n")
    elif a.body_mode == "ebody_script":
        body_div = ('<div id="dcontent" class="article__body"><script>var ebody="'
                    f'{_b64(body)}";document.write(decodeURIComponent(escape(atob(ebody))));'
                    "</script></div>\n")
    else:
        body_div = f'<div id="dcontent" class="article__body">\n{body}\n</div>\n'
    return ('<div class="article">\n<ul class="breadcrumb"><li><a href="/">Trang chủ</a></li>'
            f'<li><a href="{a.category.path}">{escape(a.category.name)}</a></li></ul>\n'
            f'<h1 class="article__title">{escape(a.title)}</h1>\n'
            f'<div class="article__meta"><time class="time">'
            f"{visible_date(spec, a.published_at)}</time></div>\n"
            f'<div class="article__sapo">{escape(spec.lead_prefix + a.lead)}</div>\n'
            f"{body_div}"
            + _tags(a, "article__tags", lambda s: f"/tag/{s}")
            + '<div class="article__share">Chia sẻ</div><div class="comments">Bình luận (0)</div>'
            "\n</div>\n")


def _phunu_main(spec: SiteSpec, a: Article) -> str:
    return ('<div class="detail">\n'
            f'<div class="detail-cate"><a href="{a.category.path}">{escape(a.category.name)}</a>'
            "</div>\n"
            f'<h1 class="detail-title">{escape(a.title)}</h1>\n'
            f'<div class="detail-info"><div class="detail-author">{escape(a.byline)}</div> '
            f'<div class="detail-time">{visible_date(spec, a.published_at)}</div></div>\n'
            f'<h2 class="sapo-detail">{escape(spec.lead_prefix + a.lead)}</h2>\n'
            f'<div class="detail-content">\n{_phunu_body(a)}\n</div>\n'
            + _tags(a, "detail-tags", lambda s: f"/tag/{s}.htm")
            + '<div class="box-share">Chia sẻ bài viết</div>\n</div>\n')


def _quangngai_main(spec: SiteSpec, a: Article) -> str:
    body = _quangngai_body(a)
    if a.body_mode in ("js_html", "js_html_ascii"):
        literal = js_string(body, ascii_only=a.body_mode == "js_html_ascii")
        content = f"<div id=\"content\"></div>\n<script>$('#content').html('{literal}');</script>\n"
    elif a.body_mode == "output_data":
        content = ('<div id="content"></div>\n<script>var outputData = "'
                   f'{js_string(body)}";\n$(\'#content\').html(outputData);</script>\n')
    else:
        content = f'<div id="content">\n{body}\n</div>\n'
    return ('<div class="post">\n'
            f'<div class="post-channel"><a href="{a.category.path}">{escape(a.category.name)}</a>'
            "</div>\n"
            f'<h1 class="post-title">{escape(a.title)}</h1>\n'
            f'<div class="post-date">{visible_date(spec, a.published_at)}</div>\n'
            f'<div class="post-sapo">{escape(spec.lead_prefix + a.lead)}</div>\n'
            f"{content}"
            f'<div class="post-author">{escape(a.byline)}</div>\n'
            + _tags(a, "post-tags", lambda s: f"/tag/{s}/")
            + '<div class="share-tools">Chia sẻ</div>\n</div>\n')


# ------------------------------------------------------------------------------------- listings

def listing_page_path(spec: SiteSpec, category: Category, page: int) -> str:
    """Page ``page`` of a category listing, in the family's pagination scheme."""
    if page == 1:
        return category.path
    if spec.family == "quangngai":
        return f"{category.path}?page={page}"
    return f"{category.path}/trang-{page}.htm"


def _teasers(spec: SiteSpec, items: Sequence[Article]) -> str:
    if spec.family == "quangngai":
        lis = "".join(f'<li><a class="title" href="{a.path}">{escape(a.title)}</a>'
                      f'<span class="date">{teaser_date(a.published_at)}</span></li>\n'
                      for a in items)
        return f'<div class="list-news"><ul>\n{lis}</ul></div>\n'
    if spec.family == "phunu":
        return "".join(
            f'<div class="box-stream-item"><a class="box-stream-link-thumb" href="{a.path}">'
            f'<img src="{escape(a.images[0].src)}" alt=""></a>'
            f'<a class="box-stream-link-title" href="{a.path}">{escape(a.title)}</a>'
            f'<span class="box-stream-time">{teaser_date(a.published_at)}</span>'
            f'<p class="box-stream-sapo">{escape(a.lead)}</p></div>\n' for a in items)
    return "".join(
        f'<article class="story"><a class="story__thumb" href="{a.path}">'
        f'<img src="{escape(a.images[0].src)}" alt=""></a>'
        f'<h3 class="story__heading"><a href="{a.path}">{escape(a.title)}</a></h3>'
        f'<time class="story__time">{teaser_date(a.published_at)}</time>'
        f'<p class="story__summary">{escape(a.lead)}</p></article>\n' for a in items)


def listing_page(spec: SiteSpec, category: Category | None, items: Sequence[Article], page: int,
                 pages: int) -> str:
    """A category listing page (or the home page when ``category`` is None)."""
    title = category.name if category else "Trang chủ"
    canonical = spec.base_url + (listing_page_path(spec, category, page) if category else "/")
    pager = ""
    if category and pages > 1:
        links = [f'<a href="{listing_page_path(spec, category, n)}"'
                 + (' class="active"' if n == page else "") + f">{n}</a>"
                 for n in range(max(1, page - 3), min(pages, page + 3) + 1)]
        if page < pages:
            links.append(f'<a class="next" href="{listing_page_path(spec, category, page + 1)}">'
                         "Trang sau</a>")
        pager = f'<div class="pagination">{"".join(links)}</div>\n'
    return (_head(spec, title, canonical) + _header(spec)
            + f'<main class="container"><h1 class="cate-title">{escape(title)}</h1>\n'
            + f'<div class="list">\n{_teasers(spec, items)}</div>\n{pager}</main>\n'
            + _footer(spec))


def error_page(spec: SiteSpec, status: int, message: str) -> str:
    return (_head(spec, message, spec.base_url + "/") + _header(spec)
            + f'<main class="container"><h1>{status}</h1><p>{escape(message)}</p>'
            '<p><a href="/">Về trang chủ</a></p></main>\n' + _footer(spec))
