"""Authors are the people a page names, credit words and the paper's name taken off, several
reporters as a list; titles are the visible headline, not the SEO <title>."""

from datetime import datetime

import pytest

from scrapers.dates import VN_TZ
from scrapers.extract import extract_article
from scrapers.extract.byline import pick_authors
from scrapers.registry import load_sites

SITE = load_sites()["baothanhhoa"]
URL = "https://baothanhhoa.vn/hop-tac-xa-phu-nu-219200.htm"
FETCHED = datetime(2024, 7, 10, 12, 0, tzinfo=VN_TZ)
TEXT = ("<p>Hợp tác xã có 42 thành viên, trong đó 31 là phụ nữ, sản xuất chiếu cói xuất khẩu "
        "sang Nhật Bản và Hàn Quốc với doanh thu gần 5 tỷ đồng mỗi năm.</p>"
        "<p>Thu nhập bình quân của thành viên đạt 6,5 triệu đồng mỗi tháng, tăng 18% so với "
        "năm trước; hợp tác xã đặt mục tiêu mở rộng 20 ha vùng nguyên liệu vào năm 2030.</p>")
HEADLINE = "Hợp tác xã phụ nữ Nga Sơn đưa chiếu cói sang Nhật Bản"


def page(*, byline: str = "", author_div: str = "", head: str = "",
         h1: str = f'<h1 class="article__title">{HEADLINE}</h1>') -> str:
    author = f'<div class="article__author">{author_div}</div>' if author_div else ""
    last = f'<p style="text-align: right;"><strong>{byline}</strong></p>' if byline else ""
    return (f"<html><head><title>{HEADLINE} - Báo Thanh Hóa</title>{head}</head><body>"
            f'<a class="logo" href="/"><h1 class="logo">Báo Thanh Hóa</h1></a>{h1}'
            '<div class="article__meta"><time class="time">Thứ hai, 08/07/2024 - 15:42</time>'
            f'</div>{author}<div id="dcontent" class="article__body">{TEXT}{last}</div>'
            "</body></html>")


def extract(html: str, site=SITE):
    return extract_article(html, URL, site, fetched_at=FETCHED)


@pytest.mark.parametrize(("credit", "authors"), [
    ("Tin, ảnh: P.Y", ["P.Y"]),
    ("Bài, ảnh: Thanh Nhị.", ["Thanh Nhị"]),
    ("Theo Hồ Hương", ["Hồ Hương"]),
    ("Dân Trí; Tri Túc", ["Tri Túc"]),
    ("Bài, ảnh: Dân Trí; Tri Túc", ["Tri Túc"]),
    ("Lê Hà - Minh Anh", ["Lê Hà", "Minh Anh"]),
    ("Nhóm PV: Lê Hà, Minh Anh và Thu Hà", ["Lê Hà", "Minh Anh", "Thu Hà"]),
    ("Bài: Lê Hà; Ảnh: Minh Anh", ["Lê Hà"]),  # the photographer is not the author
    ("Minh Anh (tổng hợp)", ["Minh Anh"]),
    ("Minh Anh - TH", ["Minh Anh"]),
    ("Lê Hà (TTXVN)", ["Lê Hà"]),
    ("Thu Hà/TTXVN", ["Thu Hà"]),
    ("P.Y.", ["P.Y."]),
    ("HOÀNG HẢI", ["HOÀNG HẢI"]),
    ("TH", []), ("(tổng hợp)", []), ("Theo TTXVN", []), ("Theo Dân trí", []),
    ("Theo VnExpress", []), ("PV", []), ("Ảnh: Minh Anh", []), ("Báo Thanh Hóa", []),
    ("baothanhhoa.vn", []), ("Xin cảm ơn bà con đã tin tưởng hợp tác xã", []),
])
def test_pick_authors(credit, authors):
    assert pick_authors([credit], ["Báo Thanh Hóa"]) == authors


def test_the_first_source_that_names_someone_wins():
    assert pick_authors([None, "Theo TTXVN", "Minh Anh", "Lê Hà"], []) == ["Minh Anh"]
    assert pick_authors([None, ""], []) == []


@pytest.mark.parametrize(("kw", "author", "authors"), [
    ({"byline": "Dân Trí; Tri Túc",
      "head": '<meta property="og:site_name" content="Dân trí">'}, "Tri Túc", ["Tri Túc"]),
    ({"author_div": "Theo Hồ Hương"}, "Hồ Hương", ["Hồ Hương"]),
    ({"byline": "Nhóm PV: Lê Hà - Minh Anh"}, "Lê Hà, Minh Anh", ["Lê Hà", "Minh Anh"]),
    ({"byline": "Minh Anh (tổng hợp)"}, "Minh Anh", ["Minh Anh"]),
    ({"byline": "Lê Hà (TTXVN)"}, "Lê Hà", ["Lê Hà"]),
    ({"byline": "TH"}, None, []),
    ({"byline": "Theo TTXVN"}, None, []),
])
def test_authors_on_a_page(kw, author, authors):
    article = extract(page(**kw))
    assert (article.author, article.authors) == (author, authors)
    assert article.body.count("\n\n") == 1  # the credit line is not body text
    assert article.to_dict()["authors"] == authors


def test_no_author_when_the_page_names_none():
    head = ('<meta name="author" content="Báo Thanh Hóa">'
            '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "x", '
            '"author": {"@type": "Organization", "name": "Báo Thanh Hóa"}}</script>')
    article = extract(page(head=head, author_div="Chia sẻ bài viết qua mạng xã hội ngay"))
    assert article.author is None and article.authors == []


def test_json_ld_people_are_all_authors():
    head = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "x", '
            '"author": [{"@type": "Person", "name": "Lê Hà"}, {"@type": "Person", '
            '"name": "Minh Anh"}]}</script>')
    assert extract(page(head=head)).authors == ["Lê Hà", "Minh Anh"]


SEO = ("<title>Nga Sơn: chiếu cói của hợp tác xã phụ nữ sang Nhật Bản | Tin Thanh Hóa</title>"
       '<meta property="og:title" content="Nga Sơn: chiếu cói của hợp tác xã phụ nữ sang Nhật">')


@pytest.mark.parametrize("site", [SITE, None], ids=["rules", "fallback"])
def test_the_visible_headline_beats_the_seo_title(site):
    html = page().replace(f"<title>{HEADLINE} - Báo Thanh Hóa</title>", SEO)
    assert extract(html, site).title == HEADLINE


def test_a_heading_marked_as_the_headline_when_there_is_no_h1():
    html = page(h1=f'<main><article><div class="detail__title">{HEADLINE}</div>'
                   "</article></main>").replace(f"<title>{HEADLINE} - Báo Thanh Hóa</title>", SEO)
    assert extract(html, None).title == HEADLINE


def test_a_section_name_in_h1_does_not_replace_the_seo_title():
    html = page(h1='<h1 class="cate-name">Kinh tế</h1>')
    assert extract(html, None).title == HEADLINE  # from <title>, the paper's name cut off


def test_an_unrelated_h1_does_not_replace_the_seo_title():
    html = page(h1="<h1>Bản tin thời tiết các tỉnh Bắc Trung Bộ hôm nay</h1>")
    assert extract(html, None).title == HEADLINE


def test_a_logo_h1_the_rules_fall_back_on_is_not_the_title():
    assert extract(page(h1="")).title == HEADLINE


def test_a_headline_that_starts_like_a_paper_name_is_still_the_title():
    title = "Báo cáo tình hình kinh tế tập thể 6 tháng đầu năm"
    html = page(h1=f'<h1 class="article__title">{title}</h1>').replace(
        f"<title>{HEADLINE} - Báo Thanh Hóa</title>", f"<title>{title}</title>")
    assert extract(html).title == title and extract(html, None).title == title
