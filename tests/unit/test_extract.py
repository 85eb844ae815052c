"""The pieces of extraction: bylines, captions, boilerplate, prefixes, blobs, script bodies,
the choice of a date, the fall back from site rules, and `provnews extract`."""

import json
import re
from datetime import datetime

import pytest

from replica.cases import load_cases
from scrapers.cli import main
from scrapers.dates import VN_TZ, FoundDate
from scrapers.extract import extract_article, rules
from scrapers.extract.assemble import choose_published, url_date
from scrapers.extract.cleanup import (
    is_boilerplate,
    is_caption,
    is_paper_name,
    parse_byline,
    remove_blobs,
    strip_lead_prefix,
)
from scrapers.extract.page import parse_html
from scrapers.extract.rules import _Page, _selector
from scrapers.extract.script_body import decode_js_string, find_script_body
from scrapers.registry import load_sites

SITES = load_sites()
FETCHED = datetime(2024, 7, 10, 12, 0, tzinfo=VN_TZ)


def at(day: int, hour: int = 0, minute: int = 0, *, has_time: bool = True) -> FoundDate:
    return FoundDate(datetime(2024, 7, day, hour, minute, tzinfo=VN_TZ), has_time)


@pytest.mark.parametrize(("line", "emphasized", "author"), [
    ("Tin, ảnh: P.Y", True, "P.Y"),
    ("Tin, ảnh: P.Y", False, "P.Y"),
    ("Bài và ảnh: Thanh Nhị", False, "Thanh Nhị"),
    ("Bài, ảnh: Thanh Nhị.", False, "Thanh Nhị"),
    ("Nhóm PV: Lê Hà - Minh Anh", False, "Lê Hà - Minh Anh"),
    ("Lê Hà", True, "Lê Hà"),
    ("HOÀNG HẢI", True, "HOÀNG HẢI"),
    ("N.T.H", True, "N.T.H"),
    ("Tin: P.Y.", False, "P.Y."),
    ("Ảnh: Reuters.", True, None),  # a photo credit names no author
    ("Xin cảm ơn bà!", True, None),
    ("Nguyễn Văn An Bình Minh Tâm Trí Đức", True, None),  # too many syllables for a name
    ("Tỉnh Thanh Hóa Có Mục Tiêu Rõ", False, None),  # title-case, plain, too long
    ("Bài: theo báo cáo của tỉnh năm nay", False, None),
])
def test_parse_byline(line, emphasized, author):
    assert parse_byline(line, emphasized=emphasized) == author


@pytest.mark.parametrize(("line", "caption"), [
    ("Ảnh: Reuters.", True),
    ("Ảnh minh họa: Internet", True),
    ("Chị Tám kiểm tra tỏi trước khi đóng gói. Ảnh: Thanh Nhị", True),
    ("Nông dân thu hoạch lúa (Ảnh: Duy Khôi)", True),
    ("Tin, ảnh: P.Y", False),
    ("Chị chụp ảnh sản phẩm để bán hàng qua mạng xã hội, mỗi tháng được hơn 150 đơn.", False),
    ("Ảnh: " + "rất dài " * 50, False),
])
def test_is_caption(line, caption):
    assert is_caption(line) is caption


@pytest.mark.parametrize("line", [
    "Bình luận (0)", "Tin liên quan", "Tin liên quan:", "Xem thêm", "Xem thêm: Nga Sơn xây dựng",
    "các tin khác", "Các tin khác", "Chia sẻ", "Chia sẻ bài viết:", "<< < 1 > >>",
    "« ‹ 1 2 › »", "Responsive image", "Từ khóa: hợp tác xã, phụ nữ", "Ảnh minh họa",
])
def test_boilerplate_lines(line):
    assert is_boilerplate(line)


@pytest.mark.parametrize("line", [
    "Tin liên quan đến vụ việc đã được công bố.", "Chia sẻ kinh nghiệm, chị Mến nói rằng",
    "Xem thêm các sản phẩm, du khách có thể đến gian hàng.", "1 > 0 là điều hiển nhiên",
])
def test_article_sentences_are_not_boilerplate(line):
    assert not is_boilerplate(line)


@pytest.mark.parametrize(("lead", "slug", "clean"), [
    ("(Baothanhhoa.vn) - Từ những thửa ruộng", "baothanhhoa", "Từ những thửa ruộng"),
    ("PTO- Toàn tỉnh hiện có 96 hợp tác xã", "baophutho", "Toàn tỉnh hiện có 96 hợp tác xã"),
    ("(Báo Quảng Ngãi)- Với 1,5 ha tỏi", "baoquangngai", "Với 1,5 ha tỏi"),
    ("(CTO) - Những ngày này", None, "Những ngày này"),
    ("(PNVN) – Từ 7 thành viên", "phunuvietnam", "Từ 7 thành viên"),
    ("UBND tỉnh vừa ban hành kế hoạch", None, "UBND tỉnh vừa ban hành kế hoạch"),
    ("Năm 2024 - năm bản lề", None, "Năm 2024 - năm bản lề"),
])
def test_lead_prefixes(lead, slug, clean):
    patterns = [re.compile(p) for p in SITES[slug].extract.lead_prefixes] if slug else []
    assert strip_lead_prefix(lead, patterns) == clean


def test_base64_blob_is_removed_and_reported():
    blob = "PHA+SGnhu4duIHRvw6BuIHThu4luaCBjw7MgNzEyIHPhuqNuIHBo4bqpbSBPQ09Q" * 3 + "PC9wPg=="
    assert remove_blobs(f"Theo kế hoạch, thành phố sẽ hỗ trợ. {blob}") == (
        "Theo kế hoạch, thành phố sẽ hỗ trợ.", True)
    text = "https://baothanhhoa.vn/uploads/2024/07/05/htx-hoang-phu-1.jpg và 1.200 ha"
    assert remove_blobs(text) == (text, False)


@pytest.mark.parametrize(("name", "paper"), [
    ("Báo Thanh Hóa", True), ("Báo Phụ nữ Việt Nam", True), ("baothanhhoa.vn", True),
    ("TTXVN", True), ("Báo Quảng Ngãi điện tử", True), ("Đài Phát thanh và Truyền hình", True),
    ("Lê Hà", False), ("P.Y", False), ("Đài Trang", False), ("Bảo Anh", False),
])
def test_paper_names(name, paper):
    assert is_paper_name(name, ["Báo Quảng Ngãi điện tử"]) is paper


def test_js_string_decoding():
    assert decode_js_string(r"<p>Nhãn \'Tỏi\' \"Lý Sơn\"<\/p>\n\u0110\u1ee9c \x41 \ud83d\ude00") \
        == "<p>Nhãn 'Tỏi' \"Lý Sơn\"</p>\nĐức A \U0001f600"


def test_editor_js_blocks_in_output_data_become_the_body():
    blocks = {"time": 1, "blocks": [
        {"type": "paragraph", "data": {"text": "Đoạn một về hợp tác xã hành tím Đức Phong."}},
        {"type": "header", "data": {"text": "Mục tiêu", "level": 3}},
        {"type": "image", "data": {"file": {"url": "/uploads/hanh.jpg"}, "caption": "Hành tím"}},
        {"type": "list", "data": {"items": ["Mở rộng 50 ha", {"content": "Kho lạnh 200 tấn"}]}},
        {"type": "paragraph", "data": {"text": "Bài: Nguyễn Trang"}}]}
    html = (f"<html><head><title>T</title></head><body><h1 class='post-title'>Hành tím</h1>"
            f"<div id='content'></div><script>var outputData = {json.dumps(blocks)};"
            f"</script></body></html>")
    tree = parse_html(html)
    assert "<h3>Mục tiêu</h3>" in find_script_body(tree, SITES["baoquangngai"].extract.script_body)
    article = extract_article(html, "https://baoquangngai.vn/channel/2026/202410/hanh-tim-3390/",
                              SITES["baoquangngai"], fetched_at=FETCHED)
    assert article.body.split("\n\n") == [
        "Đoạn một về hợp tác xã hành tím Đức Phong.", "Mục tiêu", "Mở rộng 50 ha",
        "Kho lạnh 200 tấn"]
    assert article.author == "Nguyễn Trang"
    assert article.images[0].src == "https://baoquangngai.vn/uploads/hanh.jpg"
    assert article.images[0].caption == "Hành tím"


def test_structured_date_wins_when_it_agrees_with_the_visible_one():
    assert choose_published([("jsonld", at(5, 4, 19)), ("meta", at(5, 4, 19))], at(5, 4, 19),
                            None, FETCHED) == (at(5, 4, 19).value, "jsonld", set())


def test_a_wrong_time_zone_in_json_ld_loses_to_meta_then_to_the_visible_date():
    assert choose_published([("jsonld", at(5, 11, 19)), ("meta", at(5, 4, 19))], at(5, 4, 19),
                            None, FETCHED)[1] == "meta"
    assert choose_published([("jsonld", at(5, 11, 19))], at(5, 4, 19), None, FETCHED) == (
        at(5, 4, 19).value, "visible", {"date_conflict"})


def test_future_dates_are_rejected():
    later = FoundDate(datetime(2024, 7, 11, 8, 0, tzinfo=VN_TZ), True)
    assert choose_published([("jsonld", later)], None, None, FETCHED) == (
        None, None, {"future_date_rejected", "no_date"})
    assert choose_published([("jsonld", later)], at(9, 7, 0), None, FETCHED) == (
        at(9, 7, 0).value, "visible", {"future_date_rejected"})


def test_a_date_only_structured_value_takes_the_visible_time():
    day_only = at(5, has_time=False)
    assert choose_published([("meta", day_only)], at(5, 4, 19), None, FETCHED)[:2] == (
        at(5, 4, 19).value, "visible")
    assert choose_published([("meta", day_only)], None, None, FETCHED)[:2] == (
        day_only.value, "meta")


def test_the_url_is_the_last_resort():
    url = "https://phunuvietnam.vn/chuyen-doi-so-20250420063000157.htm"
    found = url_date(url)
    assert found.value == datetime(2025, 4, 20, 6, 30, tzinfo=VN_TZ) and found.has_time
    assert url_date("https://baohaiphong.vn/2024/07/05/bai-viet.html").value.day == 5
    assert url_date("https://baothanhhoa.vn/ocop-219102.htm") is None
    assert choose_published([], None, found, datetime(2025, 5, 1, tzinfo=VN_TZ))[1] == "url"


def test_site_rules_that_find_no_body_fall_back_to_the_generic_path():
    case = next(c for c in load_cases() if c.name == "generic/baohaiphong-double-escaped")
    article = extract_article(case.html, case.url, SITES["baothanhhoa"],
                              fetched_at=case.fetched_at)
    assert article.extractor == "provnews-fallback"
    assert "rules_missed" in article.flags
    assert article.title == case.expected["title"]


def test_an_empty_page_gives_an_empty_flagged_article():
    article = extract_article("<html><body><div></div></body></html>", "https://x.vn/a-1.htm")
    assert article.body == "" and set(article.flags) == {"empty_body", "no_date"}
    with pytest.raises(ValueError):
        extract_article("  <!-- nothing -->  ", "https://x.vn/a-1.htm")


def _case(name: str):
    return next(c for c in load_cases() if c.name == name)


def test_cli_extract_finds_the_site_from_the_host(tmp_path, capsys):
    case = _case("baoquangngai/script-html")
    page = tmp_path / "page.html"
    page.write_text(case.html, encoding="utf-8")
    assert main(["extract", str(page), "--url", case.url]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["extractor"] == "provnews-rules"
    assert out["published_at"] == "2024-07-05T04:19:00+07:00"
    assert out["author"] == "Thanh Nhị" and out["title"] == case.expected["title"]


def test_cli_extract_reads_stdin_and_uses_the_fallback_for_unknown_hosts(monkeypatch, capsys):
    import io

    case = _case("generic/baoninhbinh-gmt7")
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(case.html.encode("utf-8"))))
    assert main(["extract", "-", "--url", case.url]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["extractor"] == "provnews-fallback"
    assert out["published_at"] == "2025-01-09T10:15:00+07:00"


def test_cli_extract_site_option_and_errors(tmp_path, capsys):
    case = _case("phunuvietnam/nu-giam-doc-htx")
    page = tmp_path / "p.html"
    page.write_text(case.html, encoding="utf-8")
    assert main(["extract", str(page), "--url", "https://mirror.example/x", "--site",
                 "phunuvietnam"]) == 0
    assert json.loads(capsys.readouterr().out)["author"] == "Lê Hà"
    assert main(["extract", str(tmp_path / "missing.html"), "--url", case.url]) == 2
    assert "no such file" in capsys.readouterr().err
    (tmp_path / "empty.html").write_text("   ")
    assert main(["extract", str(tmp_path / "empty.html"), "--url", case.url]) == 2
    assert "not an HTML page" in capsys.readouterr().err


def test_json_ld_prefers_the_article_over_a_web_page_in_a_graph():
    html = ("<html><head><script type='application/ld+json'>{\"@graph\": ["
            "{\"@type\": \"WebPage\", \"datePublished\": \"2024-07-01T00:00:00+07:00\"},"
            "{\"@type\": [\"NewsArticle\"], \"headline\": \"Tin\","
            " \"datePublished\": \"2024-07-05T04:19:00+07:00\","
            " \"author\": [{\"@type\": \"Person\", \"name\": \"Lê Hà\"}]}]}</script>"
            "<script type='application/ld+json'>{not json</script></head>"
            "<body><h1>Tin</h1><div class='content'><p>Một đoạn văn bản đủ dài về hợp tác xã"
            " do phụ nữ làm chủ ở địa phương.</p></div></body></html>")
    article = extract_article(html, "https://example.vn/tin-1.html", fetched_at=FETCHED)
    assert (article.published_at, article.date_source) == (at(5, 4, 19).value, "jsonld")
    assert article.author == "Lê Hà"


def test_rel_canonical_is_read_from_the_head_whatever_the_rel_spelling():
    from scrapers.extract.page import parse_html, rel_canonical
    from scrapers.steps.fetch import page_canonical

    html = ('<html><head><link rel="stylesheet" href="/a.css">'
            "<link href='https://baothanhhoa.vn/a-1234.htm' rel='Canonical'></head>"
            '<body><link rel="canonical" href="https://other.vn/x"></body></html>')
    assert rel_canonical(parse_html(html)) == "https://baothanhhoa.vn/a-1234.htm"
    assert page_canonical(html) == "https://baothanhhoa.vn/a-1234.htm"
    assert page_canonical('<link rel="alternate canonical" href=/b-99.htm>') == "/b-99.htm"
    assert page_canonical("<html><head></head></html>") is None
    assert page_canonical("") is None


HEADLINE_PAGE = """<html lang="vi"><head>
<title>Hợp tác xã tỏi cô đơn tạo việc làm cho 136 lao động - Báo Thanh Hóa</title>
<meta property="og:title" content="Hợp tác xã tỏi cô đơn tạo việc làm cho 136 lao động">
</head><body><a class="logo" href="/"><h1>Báo Thanh Hóa</h1></a>
<h1 class="{cls}">Hợp tác xã tỏi cô đơn tạo việc làm ổn định cho 136 lao động</h1>
<div id="dcontent"><p>Năm 2011, chị Ngô Thị Hằng vận động 13 chị em góp vốn lập hợp tác xã.</p>
<p>Hợp tác xã hiện tạo việc làm thường xuyên cho 136 lao động địa phương.</p></div>
</body></html>"""


@pytest.mark.parametrize(("cls", "title"), [
    # the rules' title selector finds it: the visible headline is never searched for
    ("article__title", "Hợp tác xã tỏi cô đơn tạo việc làm ổn định cho 136 lao động"),
    # it finds none, nor does its fall back "h1" (the logo's is the paper's name): the
    # visible headline, looked for when asked, is the story's h1 and not the logo's
    ("story-heading", "Hợp tác xã tỏi cô đơn tạo việc làm ổn định cho 136 lao động"),
])
def test_rules_path_title_and_the_visible_headline_read_on_demand(cls, title):
    site = SITES["baothanhhoa"]
    article = extract_article(HEADLINE_PAGE.format(cls=cls),
                              "https://baothanhhoa.vn/hop-tac-xa-toi-co-don-183044.htm", site,
                              fetched_at=FETCHED)
    assert article.extractor == "provnews-rules"
    assert article.title == title


NESTED = """<html><body>
<div class="a x"><p class="t">1</p><div class="a"><p class="t">2</p><span><p>3</p></span></div>
<p class="t">4</p></div><div class="b"><p>5</p></div><div class=" a
"><ul class="crumb"><li>6</li><li><a>7</a></li></ul></div><h1>8</h1><h1 class="a">9</h1>
<div class="a\u00a0b"><p>10</p></div><div id="x"><p>11</p><div id="x"><p>12</p></div>
</div><section id="y"><p>13</p><p>14</p></section></body></html>"""


@pytest.mark.parametrize("css", [
    "div.a > p", "div.a p", "div.a > p.t", "div.a span > p", "div.a.x p", "h1", "h1.a",
    "div.a ul.crumb li:last-child a", "div.b p", "div.c p", "div.a", "div .t", "p.t",
    "div.a\u00a0b p", "DIV.a > P", "#x p", "#x > p", "#x", "#y > p:last-of-type", "#z p",
    "#y.b p", ".a p", "div.a ~ p", "div.a p, h1"])
def test_the_page_index_selects_what_the_selector_does(css):
    """A site's selectors, found through one walk of the page, select the same elements in
    the same order as their XPath: nested and repeated firsts, classes spaced by newlines
    (but not by NBSP, which normalize-space keeps), child and descendant combinators, and
    ids (repeated and nested too), and the selectors the index leaves to XPath (classes
    alone, siblings, groups, an id with more)."""
    tree = parse_html(NESTED)
    found = _Page(tree, [css, "h1", "div.b p"])(css)
    assert [el.text_content() for el in found] == [
        el.text_content() for el in _selector(css)(tree)]
    assert all(a is b for a, b in zip(found, _selector(css)(tree), strict=True))


def test_the_page_index_is_one_walk_for_the_selectors_it_takes(monkeypatch):
    """The selectors that start with a tag and classes cost one walk of the page between
    them, however many there are; the rest of each runs from the elements found."""
    tree = parse_html(NESTED)
    walks = []
    original = rules._selector

    def counted(css):
        walks.append(css)
        return original(css)

    monkeypatch.setattr(rules, "_selector", counted)
    selectors = ["div.a > p", "div.a p", "h1.a", "div.a ul.crumb li:last-child a", "#y p",
                 "#y > p"]
    page = rules._Page(tree, selectors)
    for css in selectors:
        page(css)
    # a child step below nested firsts (div.a in div.a) goes through XPath; an id is looked
    # up once for the selectors that start with it
    assert walks == ["div.a > p", "#y"]


def test_pages_that_share_their_id_lookups_never_find_a_dropped_element(monkeypatch):
    """The fields' page reuses the body's id lookup; an element dropped in between (noise in
    the body) is not among what it finds, as a new lookup would not find it."""
    tree = parse_html(NESTED)
    lookups = []
    original = rules._selector
    monkeypatch.setattr(rules, "_selector", lambda css: lookups.append(css) or original(css))
    ids: dict = {}
    assert [el.text for el in rules._Page(tree, ["#x"], ids)("#x")] == [None, None]
    tree.xpath("//div[@id='x']/div")[0].drop_tree()
    found = rules._Page(tree, ["#x > p"], ids)("#x > p")
    assert lookups == ["#x"]  # once, for both pages
    assert [el.text for el in found] == [el.text for el in original("#x > p")(tree)] == ["11"]
