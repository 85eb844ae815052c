"""The generic path (scrapers.extract.generic): readings that agree, furniture that is never
the article, and images that do not change which text is chosen. Pages are written here."""

from datetime import datetime

import trafilatura
from lxml import etree

from scrapers.dates import VN_TZ
from scrapers.extract import extract_article
from scrapers.extract.cleanup import Para
from scrapers.extract.generic import CHROME_ATTR, Hints, find_body, mark_chrome, prepare
from scrapers.extract.generic.blocks import xml_paragraphs
from scrapers.extract.generic.ensemble import Candidate, choose
from scrapers.extract.model import Image
from scrapers.extract.page import parse_html

URL = "https://baoquangphu.vn/kinh-te/phu-nu-lam-chu-hop-tac-xa-12345.html"
FETCHED = datetime(2024, 11, 20, 9, 0, tzinfo=VN_TZ)
PARAS = [
    "Hợp tác xã nông nghiệp Quảng Phú do chị Lê Thị Hoa làm giám đốc vừa mở rộng vùng lúa"
    " hữu cơ lên 120 ha.",
    "Từ năm 2019, các thành viên chuyển sang canh tác không dùng thuốc bảo vệ thực vật hóa học.",
    "Gạo của hợp tác xã đã đạt chứng nhận OCOP ba sao và có mặt ở nhiều siêu thị trong tỉnh.",
    "Mỗi vụ, hợp tác xã thu mua thóc của 85 hộ dân với giá cao hơn thị trường khoảng mười"
    " phần trăm.",
    "Nhờ vậy, thu nhập bình quân của lao động nữ tăng từ 4 triệu lên 6,5 triệu đồng mỗi tháng.",
    "Ban quản trị đang xây dựng kho lạnh và dây chuyền đóng gói để xuất khẩu sang Nhật Bản.",
    "Hội Liên hiệp Phụ nữ huyện hỗ trợ vốn vay ưu đãi và mở lớp tập huấn kỹ năng bán hàng"
    " trực tuyến.",
    "Mục tiêu đến năm 2030 là có 300 thành viên, trong đó ít nhất hai phần ba là phụ nữ.",
]
TEASER_TEXT = "Nông dân huyện miền núi chuyển đổi cây trồng"
# A box of stories from the same section, each a thumbnail (a paragraph holding only a
# linked image) and a summary; its class names nothing the furniture list knows.
TEASER = (f"<div class='story'><p><a href='/tin-{{i}}.html'><img src='/anh/tin-{{i}}.jpg'></a>"
          f"</p><p>{TEASER_TEXT} số {{i}}, thu nhập tăng gấp đôi so với trước, nhiều hộ đã"
          " thoát nghèo bền vững.</p></div>")
PAGE = (
    "<html lang='vi'><head><title>Phụ nữ làm chủ hợp tác xã - Báo Quảng Phú</title></head>"
    "<body><h1>Phụ nữ làm chủ hợp tác xã</h1><div class='date'>Thứ Hai, 18/11/2024 08:30</div>"
    "<div id='content'><figure><img src='/anh/htx-quang-phu.jpg'>"
    "<figcaption>Cánh đồng lúa hữu cơ của hợp tác xã</figcaption></figure>"
    + "".join(f"<p>{p}</p>" for p in PARAS) + "<p><strong>Minh Anh</strong></p></div>"
    "<div class='box-cung-chuyen-muc'>" + "".join(TEASER.format(i=i) for i in range(1, 5))
    + "</div></body></html>")


def test_asking_trafilatura_for_images_widens_the_region_it_chooses():
    plain = trafilatura.bare_extraction(PAGE, url=URL)
    with_images = trafilatura.bare_extraction(PAGE, url=URL, include_images=True)
    assert plain.text.count(TEASER_TEXT) <= 1
    assert with_images.text.count(TEASER_TEXT) == 4  # the whole teaser box joins the body


def test_the_generic_body_is_the_article_and_its_images_are_collected_anyway():
    article = extract_article(PAGE, URL, fetched_at=FETCHED)
    assert article.body.split("\n\n") == PARAS
    assert article.images == [Image("https://baoquangphu.vn/anh/htx-quang-phu.jpg",
                                    "Cánh đồng lúa hữu cơ của hợp tác xã")]
    assert article.author == "Minh Anh"
    assert article.published_at == datetime(2024, 11, 18, 8, 30, tzinfo=VN_TZ)


def _body(page: str) -> list[str]:
    tree = parse_html(page)
    region = prepare(tree)
    mark_chrome(Hints(tree), region.elements if region else [])
    return [p.text for p in find_body(tree, URL, region).paragraphs]


def test_a_furniture_class_on_the_articles_own_wrapper_prunes_nothing():
    page = ("<html><body><div class='header-wrap'><h1>Tiêu đề</h1>"
            + "".join(f"<p>{p}</p>" for p in PARAS)
            + "</div><div class='sidebar'><p>Tin khác trong ngày</p></div></body></html>")
    tree = parse_html(page)
    region = prepare(tree)
    mark_chrome(Hints(tree), region.elements)
    assert not tree.xpath(f"//div[@class='header-wrap'][@{CHROME_ATTR}]")
    assert tree.xpath(f"//div[@class='sidebar'][@{CHROME_ATTR}]")
    assert _body(page) == PARAS


def test_comments_inside_a_paragraph_lose_none_of_its_text():
    page = ("<html><body><div class='detail'>" + "".join(
        f"<p>{p[:20]}<!-- quảng cáo -->{p[20:]}</p>" for p in PARAS) + "</div></body></html>")
    assert _body(page) == PARAS


def test_text_after_a_heading_in_trafilaturas_body_is_a_paragraph():
    body = etree.fromstring("<body><head rend='h2'>Mục tiêu</head>Mở rộng 50 ha."
                            "<table><row><cell><p>Ô một</p><p>Ô hai</p></cell></row></table>"
                            "<p>Bài: <hi rend='#b'>Minh Anh</hi></p></body>")
    assert xml_paragraphs(body) == [Para("Mục tiêu"), Para("Mở rộng 50 ha."), Para("Ô một"),
                                    Para("Ô hai"), Para("Bài: Minh Anh")]


def _reading(name: str, words: str) -> Candidate:
    return Candidate.of(name, [Para(words)])


def test_nested_readings_give_the_smaller_one_without_a_third():
    article = " ".join(PARAS)

    def third() -> Candidate:
        raise AssertionError("no third reading needed")

    box = " ".join(f"{TEASER_TEXT} số {i}, thu nhập tăng gấp đôi." for i in range(1, 5))
    wide = _reading("wide", f"Tin liên quan: {box} {article}")
    assert choose(wide, _reading("core", article), third).name == "core"
    assert choose(_reading("same", article), _reading("core", article), third).name == "same"


def test_readings_of_different_regions_are_settled_by_the_third():
    article, teasers = " ".join(PARAS[:6]), f"{TEASER_TEXT} số 1, 2, 3 và 4 trong tuần."
    chosen = choose(_reading("teasers", teasers), _reading("article", article),
                    lambda: _reading("precision", article))
    assert chosen.name == "article"  # the first of the two the third confirms
