"""What a page offers a probe: head feeds, the navigation menu, feed pages, links."""

from __future__ import annotations

from scrapers.probe.pages import read_page

BASE = "https://x.vn"
PAGE = """<html><head><title>Tin tức – Báo X</title>
<meta property="og:site_name" content="Báo X">
<link rel="alternate" type="application/rss+xml" href="/feed/">
<link rel="alternate" type="application/atom+xml" href="https://x.vn/atom.xml">
<link rel="alternate" hreflang="en" href="/en/">
</head><body>
<nav><ul><li><a href="/">Trang chủ</a></li><li><a href="/thoi-su">Thời sự</a></li></ul></nav>
<td class="Menu"><a href="Index.aspx?CatID=3" class="MenuLink">Kinh tế</a></td>
<a href="/bai-viet-12345.htm#comments">Bài viết</a>
<a href="https://other.vn/xa-hoi">Báo khác</a>
<a href="javascript:void(0)">In</a> <a href="mailto:a@x.vn">Gửi</a>
<a href="/rss.html">RSS</a> <a href="/rss/thoi-su.rss">Thời sự RSS</a>
</body></html>"""


def test_a_page_reads_as_feeds_menu_and_links():
    page = read_page(PAGE, BASE + "/", BASE)
    assert page.title == "Tin tức – Báo X" and page.site_name == "Báo X"
    assert page.feeds == (BASE + "/feed/", BASE + "/atom.xml")
    assert page.nav == (BASE + "/thoi-su", BASE + "/Index.aspx?CatID=3")
    assert page.rss_pages == (BASE + "/rss.html",)
    assert page.feed_links == (BASE + "/rss/thoi-su.rss",)
    assert BASE + "/bai-viet-12345.htm" in page.links
    assert not any("other.vn" in u or "javascript" in u or "mailto" in u for u in page.links)


def test_a_page_that_is_no_html_reads_as_nothing():
    assert read_page("", BASE + "/", BASE).links == ()
