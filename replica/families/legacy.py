"""A legacy ASP.NET table-layout CMS (baolangson), served in windows-1258.

URLs: articles at /Index.aspx?CatID=<c>&ID=<id> (query keys case-insensitive and in any
order, as IIS reads them; internal news under CatID=99, disallowed by robots.txt), category
listings at /Index.aspx?CatID=<c>&page=N (an empty page past the last). robots.txt announces
the only sitemap, an index at /Sitemaps/Index.xml of monthly /Sitemaps/YYYY-MM.xml (UTF-8, as
the protocol wants); there is no feed. Every HTML page is windows-1258 bytes, declared both
by the Content-Type header and a <meta http-equiv>; dates read "Cập nhật: 14:05 | 12/03/2025".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from html import escape
from typing import Any
from urllib.parse import parse_qs, quote

from replica.app import Response
from replica.chrome import LICENCE
from replica.data import Article, Category
from replica.families.common import FamilyApp, page_number
from replica.faults import to_cp1258
from replica.render import teaser_date

ARTICLE_PATTERN = r"^https://{host}/Index\.aspx\?CatID=\d+&ID=\d+$"
SITEMAP_INDEX = "/Sitemaps/Index.xml"
MONTH_PATTERN = r"/Sitemaps/(?P<year>\d{4})-(?P<month>\d{2})\.xml"
HTML_1258 = "text/html; charset=windows-1258"
_MONTH = re.compile(r"/Sitemaps/(\d{4})-(\d{2})\.xml")


def month_path(year: int, month: int) -> str:
    return f"/Sitemaps/{year:04d}-{month:02d}.xml"


def visible_date(dt: datetime) -> str:
    return f"Cập nhật: {dt:%H:%M | %d/%m/%Y}"


def _href(path: str) -> str:
    """Links as the CMS writes them: relative to the site root page, & escaped."""
    return escape(path.removeprefix("/"))


class LegacyApp(FamilyApp):
    def html_response(self, html: str, status: int = 200, **kw: Any) -> Response:
        return Response(status, to_cp1258(html), HTML_1258, **kw)

    def announced_sitemaps(self) -> list[str]:
        return [self.spec.base_url + SITEMAP_INDEX]

    def route(self, path: str, query: str) -> Response | None:
        if path == "/":
            return self._home()
        if path == SITEMAP_INDEX:
            return self._sitemap_index(month_path)
        if m := _MONTH.fullmatch(path):
            return self._month_sitemap(int(m[1]), int(m[2]))
        if path.lower() != "/index.aspx":
            return None
        params = {k.lower(): v[0] for k, v in parse_qs(query).items()}
        cat_id, art_id = params.get("catid", ""), params.get("id", "")
        if art_id:
            a = self.site.by_path.get(f"/Index.aspx?CatID={cat_id}&ID={art_id}")
            return self._article(a) if a else None
        cat = next((c for c in self.spec.categories if str(c.channel) == cat_id), None)
        return self._listing(cat, page_number(params.get("page"))) if cat else None

    def endpoints(self) -> dict[str, Any]:
        return self.describe(ARTICLE_PATTERN, [
            self.sitemap_index_endpoint(SITEMAP_INDEX, MONTH_PATTERN, month_path),
            *(self.listing_endpoint(c, c.path + "&page={page}", "numbered")
              for c in self.spec.categories)])

    # ------------------------------------------------------------------------------- markup
    def _page(self, title: str, center: str) -> str:
        spec = self.spec
        menu = " | ".join([f'<a href="{spec.base_url}/" class="MenuLink">Trang chủ</a>',
                           *(f'<a href="{_href(c.path)}" class="MenuLink">{escape(c.name)}</a>'
                             for c in spec.categories)])
        latest = "".join(f'<tr><td class="LeftItem">&#8226; <a href="{_href(a.path)}">'
                         f"{escape(a.title)}</a></td></tr>" for a in self.view().listed[:8])
        return (
            '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN" '
            '"http://www.w3.org/TR/html4/loose.dtd">\n<html>\n<head>\n'
            '<meta http-equiv="Content-Type" content="text/html; charset=windows-1258">\n'
            f"<title>{escape(spec.name)} - {escape(title)}</title>\n"
            '<link href="/Styles/Style.css" rel="stylesheet" type="text/css">\n'
            '<script language="javascript" src="/Scripts/Common.js"></script>\n</head>\n'
            '<body topmargin="0" leftmargin="0">\n'
            '<form name="aspnetForm" method="post" action="Index.aspx" id="aspnetForm">\n'
            '<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" '
            'value="/wEPDwUKMTY1NDU2MTA1MmRkZ8b9l1y2kPq3aVx0Ww==">\n'
            '<table width="980" border="0" cellpadding="0" cellspacing="0" align="center" '
            'class="Main">\n<tr><td colspan="3" class="Banner"><a href="/">'
            f'<img src="/Images/Banner.jpg" alt="{escape(spec.name)}" border="0"></a></td></tr>\n'
            f'<tr><td colspan="3" class="Menu">{menu}</td></tr>\n<tr>\n'
            '<td width="200" valign="top" class="Left"><table width="100%" cellpadding="3">'
            f'<tr><td class="BoxTitle">Tin mới nhất</td></tr>{latest}</table></td>\n'
            f'<td width="580" valign="top" class="Center">\n{center}</td>\n'
            '<td width="200" valign="top" class="Right"><table width="100%" cellpadding="3">'
            '<tr><td class="BoxTitle">Quảng cáo</td></tr><tr><td><a href="/Ads.aspx?ID=1">'
            '<img src="/Images/Ads/qc1.gif" border="0" alt="Quảng cáo"></a></td></tr>'
            '<tr><td class="BoxTitle">Liên kết website</td></tr><tr><td><select name="links">'
            '<option>-- Liên kết --</option><option>Cổng thông tin điện tử tỉnh</option>'
            "</select></td></tr></table></td>\n</tr>\n"
            f'<tr><td colspan="3" class="Footer">Bản quyền © {escape(spec.name)}. '
            f"{'<br>'.join(LICENCE)}</td></tr>\n"
            "</table>\n</form>\n</body>\n</html>\n")

    @staticmethod
    def _items(items: Sequence[Article]) -> str:
        return "".join(
            f'<tr><td class="NewsItem"><a class="NewsTitle" href="{_href(a.path)}">'
            f'{escape(a.title)}</a> <span class="DateSmall">({teaser_date(a.published_at)})'
            f'</span><br><span class="NewsLead">{escape(a.lead)}</span></td></tr>\n'
            for a in items)

    def listing_html(self, category: Category | None, items: list[Article], page: int,
                     pages: int) -> str:
        if category is None:
            return self._page("Trang chủ", '<table width="100%" cellpadding="4">'
                              '<tr><td class="CatTitle">Tin mới</td></tr>\n'
                              f"{self._items(items)}</table>\n")
        links = []
        for n in range(max(1, page - 5), min(pages, page + 5) + 1):
            href = _href(category.path + (f"&page={n}" if n > 1 else ""))
            links.append(f"<b>{n}</b>" if n == page else f'<a href="{href}">{n}</a>')
        if page < pages:
            links.append(f'<a href="{_href(f"{category.path}&page={page + 1}")}">&gt;&gt;</a>')
        return self._page(category.name, '<table width="100%" cellpadding="4">'
                          f'<tr><td class="CatTitle">{escape(category.name)}</td></tr>\n'
                          f"{self._items(items)}"
                          f'<tr><td class="Pager">Trang: {" ".join(links)}</td></tr></table>\n')

    def article_html(self, a: Article, latest: list[Article], modified: datetime | None) -> str:
        cid = "ctl00_ContentPlaceHolder1_"
        body = []
        for i, p in enumerate(a.paragraphs):
            body.append(f'<p align="justify">{escape(p)}</p>')
            if i < len(a.images):
                im = a.images[i]
                body.append('<table align="center" width="450" class="Image"><tr><td>'
                            f'<img src="{escape(im.src)}" width="450" border="0"></td></tr>'
                            f'<tr><td class="Caption"><i>{escape(im.caption)}</i></td></tr>'
                            "</table>")
        related = "".join(f'<tr><td>&#8226; <a href="{escape(u)}">{escape(t)}</a></td></tr>'
                          for t, u in a.related)
        others = "".join(f'<tr><td>&#8226; <a href="{_href(b.path)}">{escape(b.title)}</a> '
                         f'<span class="DateSmall">({b.published_at:%d/%m/%Y})</span></td></tr>'
                         for b in self.same_category(a))
        url = quote(a.url, safe="")
        center = (
            '<table width="100%" cellpadding="4">\n'
            f'<tr><td class="Path"><a href="/">Trang chủ</a> &raquo; '
            f'<a href="{_href(a.category.path)}">{escape(a.category.name)}</a></td></tr>\n'
            f'<tr><td><span id="{cid}lblTitle" class="Title">{escape(a.title)}</span></td></tr>\n'
            f'<tr><td><span id="{cid}lblDate" class="Date">{visible_date(a.published_at)}'
            "</span></td></tr>\n"
            f'<tr><td><span id="{cid}lblLead" class="Lead"><b>'
            f"{escape(self.spec.lead_prefix + a.lead)}</b></span></td></tr>\n"
            f'<tr><td id="{cid}tdContent" class="Content">\n' + "\n".join(body) + "\n</td></tr>\n"
            f'<tr><td align="right" class="Author"><b>{escape(a.byline)}</b></td></tr>\n'
            '<tr><td class="Tools"><a href="javascript:window.print()">In bài viết</a> | '
            f'<a href="mailto:?subject={url}">Gửi email</a> | '
            f'<a href="https://www.facebook.com/sharer/sharer.php?u={url}">Chia sẻ Facebook</a>'
            "</td></tr>\n</table>\n"
            + (f'<table width="100%" class="OtherNews"><tr><td class="BoxTitle">Tin liên quan'
               f"</td></tr>{related}</table>\n" if related else "")
            + '<table width="100%" class="OtherNews"><tr><td class="BoxTitle">Tin cùng chuyên '
            f"mục</td></tr>{others}</table>\n")
        return self._page(a.title, center)

    def error_html(self, status: int, message: str) -> str:
        return self._page(message, f'<p class="Error"><b>{status}</b> - {escape(message)}</p>'
                          '<p><a href="/">Về trang chủ</a></p>\n')
