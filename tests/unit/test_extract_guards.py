"""A result that is clearly no article is caught, whichever path made it: a body of teaser
titles or teaser summaries (a listing), a pager on a crawler-trap page titled "Trang 0"."""

from datetime import datetime

import pytest

from replica.data import dataset
from replica.render import article_page, listing_page
from scrapers.dates import VN_TZ
from scrapers.extract import NotAnArticle, extract_article, guards
from scrapers.extract.assemble import element_text
from scrapers.extract.guards import not_an_article
from scrapers.extract.page import parse_html
from scrapers.extract.rules import _selector
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


def assert_an_article(html: str, *, lines: int) -> None:
    """The generic path reads ``html`` as a body of ``lines`` lines or more, and the guards
    let it be (``extract_article`` raises NotAnArticle if they do not)."""
    article = extract_article(html, URL, None, fetched_at=FETCHED)
    assert article.body.count("\n\n") + 1 >= lines
    assert not_an_article(parse_html(html), "x", article.body) is None


def test_an_article_in_columns_with_inline_links_is_one():
    """Every few paragraphs in a column of their own, links to other stories inside some of
    them (nytimes.com): a column holding several of the body's lines is no teaser box."""
    def para(i: int, j: int) -> str:
        text = f"{PARAGRAPHS[j]} Năm {2020 + i}, huyện có thêm {i + j} hợp tác xã."
        if j % 2:
            return (f'<p>{text} Theo <a href="/tin-{4 * i + j}.htm">báo cáo của Sở Nông nghiệp'
                    "</a>, các hộ tham gia đều có lãi.</p>")
        return f"<p>{text}</p>"

    columns = "".join('<div class="column">' + "".join(para(i, j) for j in range(4)) + "</div>"
                      for i in range(5))
    assert_an_article(page(columns), lines=11)


def test_a_listicle_with_a_link_beside_each_item_is_an_article():
    """Items of a "23 best food bloggers" story (wday.ru), each a name, an account linked to
    Instagram and a few paragraphs in a box of its own: boxes alike, each holding many lines."""
    items = "".join(
        f'<div class="item"><h2>Người thứ {i}</h2>'
        f'<p>Tài khoản: <a href="https://instagram.com/u{i}/">@taikhoan_so_{i}</a></p>'
        f"<p>{PARAGRAPHS[i % 4]}</p><p>{PARAGRAPHS[(i + 1) % 4]} Lượt {i}.</p></div>"
        for i in range(8))
    assert_an_article(page(items), lines=17)


def test_a_table_of_numbers_is_no_pager():
    """A standings table (autoracing.com.br): lines of positions and points, not links."""
    rows = "".join(f"<tr><td>{i}</td><td>{40 - i}</td><td>{5040 - 37 * i}</td></tr>"
                   for i in range(1, 31))
    html = page(f"<p>{PARAGRAPHS[0]}</p><table>{rows}</table>" + PAGER)
    lines = [PARAGRAPHS[0]] + [str(n) for i in range(1, 31) for n in (i, 40 - i, 5040 - 37 * i)]
    assert not_an_article(parse_html(html), "Bảng xếp hạng", "\n\n".join(lines)) is None
    assert not_an_article(parse_html(html), "x", "1 2 3 4 Trang sau") == (
        "pagination_page", "1 of 1 body lines are a pager")  # the page's own pager still is


class _Counted:
    """A stand-in for one of the guard's helpers that counts its calls."""

    def __init__(self, fn):
        self.fn, self.calls = fn, 0

    def __call__(self, *args):
        self.calls += 1
        return self.fn(*args)


@pytest.mark.parametrize("teasers", [False, True], ids=["article", "listing"])
def test_the_guard_is_linear_in_the_page(monkeypatch, teasers):
    """20,000 sibling paragraphs, each with a link inside or beside it: every element is
    looked at a bounded number of times (the guard used to read every link of a paragraph's
    container for every paragraph: 10,000 paragraphs took 16 s)."""
    n = 20_000
    lines = [f"Đoạn thứ {i} kể về hợp tác xã phụ nữ làm chiếu cói ở Nga Sơn." for i in range(n)]
    if teasers:  # each summary in a box of its own, beside its story's title link
        html = page("".join(f'<div class="item"><a href="/tin-{i}.htm">Tin số {i} về hợp tác '
                            f"xã phụ nữ</a><p>{line}</p></div>" for i, line in enumerate(lines)))
    else:  # one container, a link in every paragraph
        html = page("".join(f'<p>{line} <a href="/tin-{i}.htm">Tin số {i} về hợp tác xã</a></p>'
                            for i, line in enumerate(lines)))
        lines = [f'{line} Tin số {i} về hợp tác xã' for i, line in enumerate(lines)]
    tree = parse_html(html)
    counted = {name: _Counted(getattr(guards, name))
               for name in ("element_text", "_start", "normalise_for_hash")}
    for name, fn in counted.items():
        monkeypatch.setattr(guards, name, fn)
    verdict = not_an_article(tree, "x", "\n\n".join(lines))
    assert (verdict is not None) == teasers
    assert sum(fn.calls for fn in counted.values()) <= 12 * n


def test_a_digest_of_other_stories_summaries_is_an_article():
    """A digest whose paragraphs are the summaries of other stories, which the page's own
    boxes show beside their title links: the boxes lie outside the element the rules read
    the body from, so they are not its teasers (the guards read every title link on the
    page, and refused it)."""
    boxes = "".join(f'<div class="box-item"><a href="/tin-{i}.htm">{TITLES[i]}</a><p>{p}</p>'
                    "</div>" for i, p in enumerate(PARAGRAPHS))
    html = page("".join(f"<p>{p}</p>" for p in PARAGRAPHS)).replace(
        "</body>", f'<aside class="sidebar">{boxes}</aside></body>')
    assert extract_article(html, URL, SITE, fetched_at=FETCHED).body == "\n\n".join(PARAGRAPHS)


@pytest.mark.parametrize("slug", ["baothanhhoa", "phunuvietnam", "baoquangngai"])
def test_the_guards_read_no_link_of_a_pages_chrome(monkeypatch, slug):
    """A real paper's page is mostly menus and boxes of other stories (replica.chrome): on
    the rules path the guards read only the links inside the body's element; asked without
    it, they read the chrome's dozens."""
    ds, site = dataset(slug), get_site(slug)
    story = next(a for a in ds.articles if a.crawlable and a.body_mode == "html")
    html = article_page(ds.spec, story, ds.articles[:5], None)
    read: list = []
    monkeypatch.setattr(guards, "element_text", lambda el: read.append(el) or element_text(el))

    def outside(body_css: str) -> list:
        inside = _selector(body_css)
        return [el for el in read
                if not any(inside(a)[:1] == [a] for a in (el, *el.iterancestors()))]

    article = extract_article(html, story.url, site, fetched_at=FETCHED)
    assert outside(site.extract.body[0]) == []
    assert not_an_article(parse_html(html), article.title, article.body) is None
    assert len(outside(site.extract.body[0])) > 20
