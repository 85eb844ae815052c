"""A result that is clearly no article is caught, whichever path made it: a body of teaser
titles or teaser summaries (a listing), a pager on a crawler-trap page titled "Trang 0"."""

from datetime import datetime

import pytest

from replica.data import dataset
from replica.render import listing_page
from scrapers.dates import VN_TZ
from scrapers.extract import NotAnArticle, extract_article
from scrapers.extract.guards import not_an_article
from scrapers.extract.page import parse_html
from scrapers.registry import get_site, load_sites

SITE = load_sites()["baothanhhoa"]
URL = "https://baothanhhoa.vn/hop-tac-xa-phu-nu-219200.htm"
FETCHED = datetime(2024, 7, 10, 12, 0, tzinfo=VN_TZ)
TITLES = ["Thanh Hóa có thêm 12 sản phẩm đạt chuẩn OCOP 3 sao",
          "Nông dân Nga Sơn thu lãi cao từ cây cói", "Hợp tác xã phụ nữ vươn lên từ đất bãi ngang",
          "Phụ nữ Tân Sơn làm giàu từ cây quế", "Việt Trì ra mắt 8 hợp tác xã kiểu mới",
          "Quảng Ngãi hỗ trợ phụ nữ vùng cao phát triển sinh kế"]
PARAGRAPHS = [
    "Hợp tác xã có 42 thành viên, trong đó 31 là phụ nữ, sản xuất chiếu cói xuất khẩu sang "
    "Nhật Bản và Hàn Quốc với doanh thu gần 5 tỷ đồng mỗi năm.",
    "Thu nhập bình quân của thành viên đạt 6,5 triệu đồng mỗi tháng, tăng 18% so với năm "
    "trước; hợp tác xã đặt mục tiêu mở rộng 20 ha vùng nguyên liệu vào năm 2030.",
    "Chị Mai Thị Hạnh, Giám đốc hợp tác xã, cho biết đơn hàng năm nay đã kín đến tháng 12 "
    "nhờ liên kết với hai doanh nghiệp xuất khẩu trong tỉnh.",
    "Huyện sẽ hỗ trợ hợp tác xã xây dựng nhãn hiệu tập thể và đưa sản phẩm lên sàn thương "
    "mại điện tử trong năm tới.",
]


def page(body: str, *, title: str = "Hợp tác xã phụ nữ làm chiếu cói") -> str:
    return (f"<html><head><title>{title}</title></head><body>"
            f'<h1 class="article__title">{title}</h1>'
            '<div class="article__meta"><time class="time">Thứ hai, 08/07/2024 - 15:42</time>'
            f'</div><div id="dcontent" class="article__body">{body}</div></body></html>')


def links(items: list[str], tail: str = "") -> str:
    return "<ul>" + "".join(f'<li><a href="/tin-{i}.htm">{t}</a>{tail}</li>'
                            for i, t in enumerate(items)) + "</ul>"


def refused(html: str, site=SITE) -> NotAnArticle:
    with pytest.raises(NotAnArticle) as caught:
        extract_article(html, URL, site, fetched_at=FETCHED)
    return caught.value


@pytest.mark.parametrize("site", [SITE, None], ids=["rules", "fallback"])
def test_a_body_of_teaser_titles_is_not_an_article(site):
    error = refused(page(links(TITLES)), site)
    assert error.flag == "teaser_list" and isinstance(error, ValueError)
    assert str(error).startswith("teaser_list: ") and "links to other pages" in str(error)
    assert "teaser_list" in error.article.flags


def test_teaser_titles_with_their_dates_are_still_teasers():
    assert refused(page(links(TITLES, " <span>(08/07/2024 15:42)</span>"))).flag == "teaser_list"


@pytest.mark.parametrize("slug", ["baothanhhoa", "phunuvietnam", "baoquangngai"])
@pytest.mark.parametrize("rules", [True, False], ids=["rules", "fallback"])
def test_a_listing_page_of_teaser_summaries_is_not_an_article(slug, rules):
    ds = dataset(slug)
    category = ds.spec.categories[0]
    html = listing_page(ds.spec, category, ds.articles[:12], 2, 5)
    with pytest.raises(NotAnArticle, match=r"^teaser_list: "):
        extract_article(html, ds.spec.base_url + category.path, get_site(slug) if rules else None)


PAGER = ('<div class="pagination"><a href="?page=1">1</a> <a href="?page=2">2</a> '
         '<a href="?page=3">3</a> <a href="?page=4">4</a> <a href="?page=1">Trang sau</a></div>')


@pytest.mark.parametrize("body", [PAGER, "", PAGER.replace("</a> <a", "</a><br><a")],
                         ids=["pager in the body", "nothing but the title", "pager by lines"])
@pytest.mark.parametrize("site", [SITE, None], ids=["rules", "fallback"])
def test_a_crawler_trap_titled_trang_0_is_not_an_article(body, site):
    html = page(body, title="Trang 0").replace('<div id="dcontent" class="article__body"></div>',
                                               "")
    assert refused(html, site).flag == "pagination_page"


def test_a_pager_is_not_an_article_whatever_the_title():
    assert refused(page(PAGER.replace("</a> <a", "</a><p></p><a"))).flag == "pagination_page"


def test_an_article_with_a_few_links_to_other_stories_is_one():
    related = f"<p>{PARAGRAPHS[1]}</p>" + links(TITLES[:3])
    html = page(f"<p>{PARAGRAPHS[0]}</p>{related}<p>{PARAGRAPHS[2]}</p><p>{PARAGRAPHS[3]}</p>")
    article = extract_article(html, URL, None, fetched_at=FETCHED)
    assert PARAGRAPHS[3] in article.body


def test_an_article_whose_paragraphs_carry_inline_links_is_one():
    body = "".join(f'<div class="para"><p>{p} <a href="/tin-{i}.htm">Xem chi tiết</a></p></div>'
                   for i, p in enumerate(PARAGRAPHS))
    assert extract_article(page(body), URL, SITE, fetched_at=FETCHED).body.count("\n\n") == 3


def test_not_an_article_is_pure_and_says_why():
    tree = parse_html(page(links(TITLES)))
    assert not_an_article(tree, "x", "\n\n".join(TITLES)) == (
        "teaser_list", "most of the body is the text of links to other pages")
    assert not_an_article(tree, "Trang 12", "") == (
        "pagination_page", "titled 'Trang 12' with 0 words")
    assert not_an_article(tree, "Trang 12", "\n\n".join(PARAGRAPHS * 2)) is None
    assert not_an_article(tree, "x", "\n\n".join(PARAGRAPHS)) is None
    assert not_an_article(tree, "x", "\n\n".join(TITLES[:3])) is None  # too few to tell
