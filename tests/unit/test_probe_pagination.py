"""A listing's page-2 scheme from its first page."""

from __future__ import annotations

from scrapers.probe.model import Paging
from scrapers.probe.pagination import find_page_two, usual_pages_two

BASE = "https://x.vn"


def _page(links: str) -> str:
    return f"<html><head></head><body><nav><a href='/'>Trang chủ</a></nav>{links}</body></html>"


def test_a_rel_next_link_that_alone_leads_on_is_a_next_link_scheme():
    two = find_page_two(_page('<a rel="next" href="/thoi-su?page=2">Trang sau</a>'),
                        BASE + "/thoi-su", BASE)
    assert two is not None
    assert (two.url, two.template, two.paging) == (
        BASE + "/thoi-su?page=2", BASE + "/thoi-su?page={page}", Paging.NEXT_LINK)


def test_numbered_pages_with_relative_escaped_links():
    body = _page('<b>1</b> <a href="Index.aspx?CatID=3&amp;page=2">2</a> '
                 '<a href="Index.aspx?CatID=3&amp;page=3">3</a> '
                 '<a href="Index.aspx?CatID=3&amp;page=2">&gt;&gt;</a>')
    two = find_page_two(body, BASE + "/Index.aspx?CatID=3", BASE)
    assert two is not None and two.paging is Paging.NUMBERED
    assert two.template == BASE + "/Index.aspx?CatID=3&page={page}"


def test_a_next_label_without_rel():
    body = _page('<a class="next page-numbers" href="https://x.vn/category/a/page/2/">Sau »</a>')
    two = find_page_two(body, BASE + "/category/a/", BASE)
    assert two is not None and two.template == BASE + "/category/a/page/{page}/"


def test_links_that_do_not_lead_to_page_two_are_ignored():
    body = _page('<a href="/thoi-su">Sau</a><a href="https://other.vn/p/2">2</a>'
                 '<a href="/top-2-htx-12345.htm">Tin 2</a>')
    assert find_page_two(body, BASE + "/thoi-su", BASE) is None


def test_usual_schemes_to_try():
    templates = [t.template for t in usual_pages_two(BASE + "/thoi-su")]
    assert templates == [BASE + "/thoi-su?page={page}", BASE + "/thoi-su/page/{page}/",
                         BASE + "/thoi-su/trang-{page}.htm", BASE + "/thoi-su/p{page}"]
    assert [t.template for t in usual_pages_two(BASE + "/list.aspx?c=1")] == [
        BASE + "/list.aspx?c=1&page={page}"]
    assert all(t.paging is Paging.GUESSED and "{" not in t.url
               for t in usual_pages_two(BASE + "/a"))
