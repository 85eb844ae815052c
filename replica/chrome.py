"""What a real paper's article page carries around its story, so that a replica page weighs
what a real one does and costs a parser what a real one costs.

A provincial paper's article page is mostly not the article: a head of share and tracking
tags, stylesheets and inline scripts (analytics, the ad server's slots, the CMS's page data);
a top bar and a menu of every section with its subsections; boxes of other stories (latest,
most read, same section) with thumbnails and summaries; ad banners; a footer with the
masthead and the licence. The real news pages of the public article-extraction benchmark
(../shared/aeb) weigh 112 KB at the median and 50 KB at the lowest tenth; with this chrome a
replica article page weighs about 50 KB, at that lowest tenth, where one without it weighed
7.6 KB and a parse of it was a tenth of a real one's.

Everything here is generated from the site's spec and the stories it is given: no real
page's markup or script is copied.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from html import escape

from replica.data import Article, SiteSpec, ascii_slug

# Sections a provincial paper lists besides the replica's three, each with its subsections.
SECTIONS = (
    ("Chính trị", ("Xây dựng Đảng", "Chính quyền", "Mặt trận", "Đối ngoại", "Quốc phòng")),
    ("Kinh tế", ("Nông nghiệp", "Công nghiệp", "Doanh nghiệp", "Tài chính", "Đầu tư", "OCOP")),
    ("Xã hội", ("Giáo dục", "Y tế", "Lao động - Việc làm", "An sinh", "Dân tộc - Tôn giáo")),
    ("Văn hóa", ("Di sản", "Văn học - Nghệ thuật", "Lễ hội", "Du lịch", "Ẩm thực")),
    ("Pháp luật", ("An ninh trật tự", "Bạn đọc", "Đường dây nóng", "Giao thông")),
    ("Thể thao", ("Bóng đá", "Thể thao phong trào", "Các môn khác")),
    ("Quốc tế", ("Châu Á", "Châu Âu", "Châu Mỹ", "Bình luận quốc tế")),
    ("Khoa học - Công nghệ", ("Chuyển đổi số", "Môi trường", "Sáng kiến")),
    ("Đời sống", ("Gia đình", "Phụ nữ", "Sức khỏe", "Nông thôn mới")),
    ("Multimedia", ("Video", "Podcast", "Ảnh", "Infographic", "E-magazine")),
)
TOP_LINKS = ("Báo in", "Báo điện tử", "Truyền hình", "Phát thanh", "English", "Đặt báo",
             "Quảng cáo", "Liên hệ", "Đăng nhập")
# printed in every Vietnamese e-paper's footer
LICENCE = ("Giấy phép hoạt động báo điện tử do Bộ Văn hóa, Thể thao và Du lịch cấp.",
           "Ghi rõ nguồn khi phát hành lại thông tin từ website này.")
AD_SLOTS = (("top-leaderboard", 970, 90), ("sidebar-1", 300, 250), ("sidebar-2", 300, 600),
            ("in-article", 640, 360), ("bottom", 970, 250), ("mobile-sticky", 320, 50))


ICONS = ("facebook", "youtube", "zalo", "tiktok", "search", "menu", "close", "clock", "print",
         "share", "comment", "play", "camera", "arrow-left", "arrow-right", "mail")
# The blocks the page's inline critical CSS styles, each with its parts.
STYLED = ("topbar", "header", "menu", "logo", "search", "breadcrumb", "article", "detail", "post",
          "box-category", "box-suggest", "box-most", "sidebar", "ads", "footer", "social")
PARTS = ("", "__inner", "__title", "__item", "__link", "__thumb", "__sapo", "--active")


def _critical_css() -> str:
    """The inline stylesheet a page ships for its first paint: rules for its blocks."""
    rules = []
    for i, block in enumerate(STYLED):
        for j, part in enumerate(PARTS):
            rules.append(f".{block}{part}{{margin:0 {j * 4}px;padding:{i % 5 * 2}px {j}px;"
                         f"font-size:{12 + (i + j) % 8}px;line-height:1.{4 + j % 4};"
                         f"color:#{(i * 37 + j * 11) % 256:02x}{(i * 13) % 256:02x}"
                         f"{(j * 29) % 256:02x};display:{'flex' if j % 2 else 'block'}}}")
        rules.append(f"@media (max-width:768px){{.{block}{{padding:4px;font-size:14px}}}}")
    return "<style>" + "".join(rules) + "</style>\n"


def _icon_sprite() -> str:
    """The inline SVG sprite of the page's icons (hidden; used through <use>)."""
    symbols = []
    for i, name in enumerate(ICONS):
        points = " ".join(f"{(i * 7 + k * 13) % 24}.{k % 10} {(i * 5 + k * 11) % 24}.{(k * 3) % 10}"
                          for k in range(28))
        symbols.append(f'<symbol id="icon-{name}" viewBox="0 0 24 24"><path d="M{points}Z"/>'
                       f'<path d="M{points[::-1].strip()}Z" opacity=".5"/></symbol>')
    return ('<svg xmlns="http://www.w3.org/2000/svg" style="display:none">'
            f'{"".join(symbols)}</svg>\n')


def _href(name: str) -> str:
    return "/" + ascii_slug(name, 40)


def head_extras(spec: SiteSpec, a: Article) -> str:
    """Share and tracking tags, stylesheets, a breadcrumb's JSON-LD and the inline scripts
    of the head: the analytics tag, the ad server's slots and the CMS's page data."""
    image = escape(a.images[0].src) if a.images else ""
    metas = "".join(f'<meta name="{k}" content="{escape(v)}">\n' for k, v in (
        ("robots", "index, follow, max-image-preview:large"),
        ("twitter:card", "summary_large_image"), ("twitter:site", "@" + spec.slug),
        ("twitter:title", a.title), ("twitter:description", a.lead), ("twitter:image", image),
        ("copyright", spec.name), ("geo.region", "VN"), ("format-detection", "telephone=no")))
    metas += "".join(f'<meta property="{k}" content="{escape(v)}">\n' for k, v in (
        ("og:site_name", spec.name), ("og:locale", "vi_VN"), ("og:description", a.lead),
        ("fb:app_id", str(100000 + spec.first_id)), ("og:image:width", "1200"),
        ("og:image:height", "630")))
    links = "".join(f'<link rel="{rel}" href="{href}">\n' for rel, href in (
        ("dns-prefetch", "//static." + spec.host), ("dns-prefetch", "//media." + spec.host),
        ("preconnect", "https://www.googletagmanager.com"), ("icon", "/favicon.ico"),
        ("apple-touch-icon", "/static/img/touch-icon.png"), ("manifest", "/manifest.json"),
        ("amphtml", a.url.replace(".htm", ".amp.htm")),
        *(("stylesheet", f"/static/css/{name}.css?v=20240115")
          for name in ("bootstrap.min", "swiper.min", "icons", "article", "print"))))
    crumbs = {"@context": "https://schema.org", "@type": "BreadcrumbList",
              "itemListElement": [
                  {"@type": "ListItem", "position": 1, "name": "Trang chủ",
                   "item": spec.base_url + "/"},
                  {"@type": "ListItem", "position": 2, "name": a.category.name,
                   "item": spec.base_url + a.category.path}]}
    slots = [{"zone": f"{spec.slug}-{name}", "id": 4000 + i, "sizes": [[w, h], [w // 2, h // 2]],
              "lazy": i > 1, "refresh": 30 * (i % 3), "targeting": {
                  "section": a.category.key, "article": a.id, "position": name}}
             for i, (name, w, h) in enumerate(AD_SLOTS)]
    page_data = {"articleId": a.id, "categoryId": a.category.key, "siteId": spec.first_id,
                 "publishedAt": a.published_at.isoformat(), "tags": list(a.tags),
                 "menu": [{"name": name, "url": _href(name),
                           "children": [{"name": s, "url": _href(name) + _href(s)}
                                        for s in subs]} for name, subs in SECTIONS]}
    return (metas + links + _critical_css()
            + f'<script type="application/ld+json">{json.dumps(crumbs, ensure_ascii=False)}'
            "</script>\n"
            '<script async src="https://www.googletagmanager.com/gtag/js?id=G-REPLICA"></script>\n'
            "<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push("
            "arguments);}gtag('js',new Date());gtag('config','G-REPLICA',{'content_group':"
            f"'{a.category.key}'}});</script>\n"
            f"<script>var adSlots={json.dumps(slots)};(function(w){{w.adQueue=w.adQueue||[];"
            "adSlots.forEach(function(s){w.adQueue.push(s);});})(window);</script>\n"
            f"<script>window.__PAGE_DATA__={json.dumps(page_data, ensure_ascii=False)};</script>\n")


def header(spec: SiteSpec, own_menu: str) -> str:
    """The top bar and the menu: ``own_menu`` (the replica's sections, as every page lists
    them) followed by the paper's other sections with their subsections."""
    top = "".join(f'<li><a href="{_href(name)}">{escape(name)}</a></li>' for name in TOP_LINKS)
    sections = "".join(
        f'<li class="menu__item has-sub"><a href="{_href(name)}">{escape(name)}</a>'
        '<ul class="menu__sub">'
        + "".join(f'<li><a href="{_href(name)}{_href(s)}">{escape(s)}</a></li>' for s in subs)
        + "</ul></li>" for name, subs in SECTIONS)
    return ("<body>" + _icon_sprite()
            + f'<div class="topbar"><div class="topbar__date">{escape(spec.name)}</div>'
            f'<ul class="topbar__links">{top}</ul></div>\n'
            f'<header class="header"><a class="logo" href="/"><img src="/static/img/logo.png" '
            f'alt="{escape(spec.name)}"></a>'
            f'<nav class="menu"><ul><li><a href="/">Trang chủ</a></li>{own_menu}{sections}</ul>'
            '</nav><form class="search" action="/tim-kiem"><input name="q" placeholder="Tìm kiếm">'
            "</form></header>\n" + ad("top-leaderboard"))


def ad(slot: str) -> str:
    return (f'<div class="ads ads--{slot}" data-zone="{slot}"><a href="/quang-cao/{slot}" '
            f'rel="nofollow"><img src="/static/ads/{slot}.jpg" alt="Quảng cáo"></a></div>\n')


def teaser_box(title: str, stories: Sequence[Article], cls: str) -> str:
    """A box of other stories, each a thumbnail, a title link and its summary."""
    items = "".join(
        f'<div class="{cls}__item"><a class="{cls}__thumb" href="{a.path}">'
        f'<img src="{escape(a.images[0].src) if a.images else ""}" alt="{escape(a.title)}"></a>'
        f'<h3 class="{cls}__title"><a href="{a.path}">{escape(a.title)}</a></h3>'
        f'<p class="{cls}__sapo">{escape(a.lead)}</p></div>' for a in stories)
    return (f'<section class="{cls}"><h2 class="{cls}__heading">{escape(title)}</h2>'
            f"{items}</section>\n")


def ranked_box(title: str, stories: Sequence[Article]) -> str:
    items = "".join(f'<li><span class="rank">{i}</span><a href="{a.path}">{escape(a.title)}</a>'
                    "</li>" for i, a in enumerate(stories, 1))
    return f'<div class="box-most"><h3>{escape(title)}</h3><ol>{items}</ol></div>\n'


def footer(spec: SiteSpec) -> str:
    """The masthead, a menu of the sections, the licence, and the scripts of the page's end."""
    sections = "".join(f'<li><a href="{_href(name)}">{escape(name)}</a></li>'
                       for name, _ in SECTIONS)
    masthead = "".join(f"<p>{escape(line)}</p>" for line in (
        f"Cơ quan chủ quản: Tỉnh ủy {spec.province or 'các tỉnh'}",
        "Tổng Biên tập: Nguyễn Văn Ban", "Phó Tổng Biên tập: Lê Thị Hòa, Trần Minh Khang",
        f"Địa chỉ: Số 1 đường Trung tâm, tỉnh {spec.province or 'Hà Nội'}",
        "Điện thoại: 0237 3852 000 - Fax: 0237 3852 001",
        f"Email: toasoan@{spec.host} - Quảng cáo: quangcao@{spec.host}"))
    social = "".join(f'<a class="social social--{s}" href="https://{s}.com/{spec.slug}" '
                     f'rel="nofollow">{s}</a>' for s in ("facebook", "youtube", "zalo", "tiktok"))
    scripts = "".join(f'<script src="/static/js/{name}.js?v=20240115"></script>'
                      for name in ("jquery.min", "swiper.min", "lazyload.min", "article", "ads"))
    return (f'<footer class="footer"><ul class="footer__menu">{sections}</ul>'
            f'<div class="footer__masthead">{masthead}</div>'
            + "".join(f"<p>{'© ' + escape(spec.name) + '. ' if i == 0 else ''}{escape(line)}</p>"
                      for i, line in enumerate(LICENCE))
            + f'<div class="footer__social">{social}</div></footer>\n{scripts}'
            "<script>document.querySelectorAll('img[data-src]').forEach(function(i){"
            "i.src=i.dataset.src;});</script></body></html>\n")
