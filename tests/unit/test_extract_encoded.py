"""Bodies encoded for the page's own JavaScript are decoded, whichever encoding and place:
base64 in an element's text or a data attribute, atob / decodeURIComponent / unescape in a
script, JS and JSON string literals, \\uXXXX escapes; bytes that do not decode stay flagged."""

import base64
import json
import os
from datetime import datetime
from urllib.parse import quote

import lxml.html
import pytest

from scrapers.dates import VN_TZ
from scrapers.extract import decode_body, extract_article
from scrapers.extract.page import parse_html
from scrapers.extract.script_body import decode_js_string, js_string_value
from scrapers.registry import load_sites

SITE = load_sites()["baothanhhoa"]
URL = "https://baothanhhoa.vn/hop-tac-xa-phu-nu-219200.htm"
FETCHED = datetime(2024, 7, 10, 12, 0, tzinfo=VN_TZ)
PARAS = ["Hợp tác xã có 42 thành viên, trong đó 31 là phụ nữ, sản xuất chiếu cói xuất khẩu.",
         "Thu nhập bình quân của thành viên đạt 6,5 triệu đồng mỗi tháng, tăng 18% so với năm "
         "trước; hợp tác xã đặt mục tiêu mở rộng 20 ha vùng nguyên liệu vào năm 2030."]
BODY_HTML = "".join(f"<p>{p}</p>" for p in PARAS)
VISIBLE = "<p>Đoạn mở đầu được viết thẳng trong trang, không qua mã hóa nào cả.</p>"


def b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def js_escaped(text: str) -> str:
    """Every non-ASCII character and the markup brackets as \\uXXXX, as JSON encoders do."""
    return "".join(c if c.isascii() and c not in "<>/\"'" else f"\\u{ord(c):04x}" for c in text)


def page(body: str, *, after: str = "", sidebar: str = "") -> str:
    return ("<html><head><title>Hợp tác xã phụ nữ - Báo Thanh Hóa</title></head><body>"
            '<h1 class="article__title">Hợp tác xã phụ nữ làm chiếu cói</h1>'
            '<div class="article__meta"><time class="time">Thứ hai, 08/07/2024 - 15:42</time>'
            f'</div><div id="dcontent" class="article__body">{body}</div>{after}'
            f'<aside class="sidebar">{sidebar}</aside></body></html>')


def extract(html: str, *, site=SITE):
    return extract_article(html, URL, site, fetched_at=FETCHED)


VARIANTS = {
    "base64 text of an element, outerHTML":
        page(f'<div class="dcontent-secure">{b64(BODY_HTML)}</div>'
             "<script>var b=document.querySelector('.dcontent-secure');"
             "b.outerHTML=decodeURIComponent(escape(atob(b.textContent)));</script>"),
    "base64 in a data attribute":
        page(f'<div class="ebody" data-enc="{b64(BODY_HTML)}"></div>'
             "<script>var e=document.querySelector('.ebody');"
             "e.outerHTML=decodeURIComponent(escape(atob(e.getAttribute('data-enc'))));"
             "</script>"),
    "url-safe base64 without padding in a data attribute":
        page('<div data-body="' + base64.urlsafe_b64encode(BODY_HTML.encode()).decode()
             .rstrip("=") + '"></div>'),
    "atob literal written where the script stands":
        page(f'<script>document.write(decodeURIComponent(escape(atob("{b64(BODY_HTML)}"))));'
             "</script>"),
    "atob of a variable":
        page(f"<script>var ebody='{b64(BODY_HTML)}';"
             "document.write(decodeURIComponent(escape(window.atob(ebody))));</script>"),
    "decodeURIComponent into a jQuery target":
        page("", after=f"<script>$('#dcontent').html(decodeURIComponent(\"{quote(BODY_HTML)}\"));"
                       "</script>"),
    "unescape with %uXXXX into getElementById":
        page("", after="<script>document.getElementById('dcontent').innerHTML = unescape('"
             + "".join(f"%u{ord(c):04X}" if not c.isascii() else quote(c, safe="")
                       for c in BODY_HTML) + "');</script>"),
    "JS string literal with \\uXXXX escapes into querySelector":
        page("", after="<script>document.querySelector('#dcontent').innerHTML = \""
             f"{js_escaped(BODY_HTML)}\";</script>"),
    "JSON object holding the body":
        page("", after=f"<script>var data = {json.dumps({'id': 7, 'content': BODY_HTML})};"
                       "$('#dcontent').html(data.content);</script>"),
    "base64 of a percent-encoded body":
        page(f'<div data-enc="{b64(quote(BODY_HTML))}"></div>'),
}


@pytest.mark.parametrize("html", VARIANTS.values(), ids=VARIANTS.keys())
@pytest.mark.parametrize("rules", [True, False], ids=["rules", "fallback"])
def test_every_encoding_is_decoded_into_the_body(html, rules):
    article = extract(html, site=SITE if rules else None)
    assert article.body.split("\n\n") == PARAS
    assert "decoded_body" in article.flags and "body_incomplete" not in article.flags


def test_a_decoded_part_joins_the_visible_text_in_place():
    span = f'<span class="dcontent-encode">{b64(" " + PARAS[1])}</span>'
    article = extract(page(f"{VISIBLE}<p>{PARAS[0]}{span}</p>"))
    assert article.body.split("\n\n") == [VISIBLE[3:-4], f"{PARAS[0]} {PARAS[1]}"]
    assert article.flags == ["decoded_body"]


def test_decoded_html_is_cleaned_like_any_body():
    encoded = (BODY_HTML + '<div class="box-related"><p>Tin liên quan</p><a href="/a-1.htm">'
               "Hợp tác xã khác</a></div><figure><img src='/u/1.jpg'><figcaption>Chị em dệt "
               "chiếu. Ảnh: P.Y</figcaption></figure>"
               '<p style="text-align: right;"><strong>Tin, ảnh: P.Y</strong></p>')
    article = extract(page(f'<div class="ebody" data-enc="{b64(encoded)}"></div>'))
    assert article.body.split("\n\n") == PARAS
    assert article.author == "P.Y"
    assert article.images[0].caption == "Chị em dệt chiếu. Ảnh: P.Y"


def test_bytes_that_do_not_decode_stay_flagged_incomplete():
    noise = base64.b64encode(os.urandom(300)).decode("ascii")
    article = extract(page(f'{VISIBLE}<div class="dcontent-secure">{noise}</div>'))
    assert article.body == VISIBLE[3:-4]
    assert "body_incomplete" in article.flags and "decoded_body" not in article.flags


def test_a_decoded_body_over_the_limit_is_refused():
    huge = BODY_HTML * (decode_body.MAX_DECODED_BYTES // len(BODY_HTML.encode()) + 1)
    assert decode_body.MAX_DECODED_BYTES == 2 * 1024 * 1024
    article = extract(page(f'{VISIBLE}<div class="ebody" data-enc="{b64(huge)}"></div>'))
    assert article.body == VISIBLE[3:-4]
    assert {"decoded_too_large", "body_incomplete"} <= set(article.flags)
    assert "decoded_body" not in article.flags


def test_decoding_outside_the_body_does_not_flag_it():
    other = b64("<p>" + PARAS[1] + " Một tin khác ở thanh bên của trang báo điện tử.</p>")
    article = extract(page(VISIBLE + f"<p>{PARAS[0]}</p>",
                           sidebar=f'<div class="ebody" data-enc="{other}"></div>'))
    assert article.body.split("\n\n") == [VISIBLE[3:-4], PARAS[0]]
    assert "decoded_body" not in article.flags


@pytest.mark.parametrize("attribute", [
    f'data-title="{quote("Hợp tác xã phụ nữ làm chiếu cói xuất khẩu")}"',  # a share button
    'data-config="' + b64(json.dumps({"id": 7, "text": PARAS[1]})) + '"',  # widget settings
    'data-hash="d41d8cd98f00b204e9800998ecf8427ed41d8cd98f00b204"',
])
def test_attributes_that_are_not_bodies_are_left_alone(attribute):
    html = page(f'{VISIBLE}<p>{PARAS[0]}</p><a class="share" {attribute}>Chia sẻ</a>')
    article = extract(html)
    assert article.body.split("\n\n") == [VISIBLE[3:-4], PARAS[0]]
    assert "decoded_body" not in article.flags


def test_a_script_that_writes_a_template_into_a_filled_target_changes_nothing():
    html = page(f"<p>{PARAS[0]}</p>", after="<script>$('#dcontent').html('<div class=\"x\">"
                "Đang tải bình luận của bạn đọc, vui lòng chờ trong giây lát</div>');</script>")
    article = extract(html)
    assert article.body == PARAS[0] and "decoded_body" not in article.flags


def test_a_lone_surrogate_escape_is_no_text_and_no_crash():
    assert decode_js_string(r"a\ud83d b") == "a\ufffd b"  # half of a pair
    assert decode_js_string(r"\ud83d\ude00 \u{1F600}") == "\U0001f600 \U0001f600"
    assert decode_js_string(r"\u{110000}") == "\ufffd"  # past the last code point
    assert js_string_value(r"a\ud83d b") is None and js_string_value(r"\u{110000}") is None
    assert js_string_value(r"<p>\u0110\u1ee9c<\/p>") == "<p>Đức</p>"


@pytest.mark.parametrize("script", [
    # a regular expression's character class, as on slate.com: half pairs, never text
    f'var astral = "[\\ud800-\\udbff][\\udc00-\\udfff]";'
    f'$("#x").html("<p>{PARAS[1]} \\ud83d</p>");',
    f"document.getElementById('x').innerHTML = unescape('%3Cp%3E{quote(PARAS[1])}%uD83D%3C/p%3E');",
    f'document.write("\\u003cp\\u003e{PARAS[1]}\\udfff\\u003c/p\\u003e");',
    '$("#x").html("\\u{FFFFFF}");',
    f'var data = {{"content": "<p>{PARAS[1]}</p>", ; $("#x").html(data.content);',  # not JSON
])
def test_a_value_that_does_not_decode_cleanly_is_left_alone(script):
    html = page(f"<p>{PARAS[0]}</p>", after=f'<div id="x"></div><script>{script}</script>')
    tree = parse_html(html)
    assert decode_body.decode_embedded(tree).chunks == []  # and it does not raise
    for rules in (True, False):
        article = extract(html, site=SITE if rules else None)
        assert article.body == PARAS[0] and "decoded_body" not in article.flags


TITLE = "Hợp tác xã phụ nữ làm chiếu cói xuất khẩu, thu nhập tăng 18%"
# a reprint button's order form (barrons.com): a query string whose title reads as prose
REPRINT = ("PublisherName=baothanhhoa.vn&PublicationDate=2024-07-08&Author=P.Y&orderReset=true"
           f"&Title={quote(TITLE + '. ' + PARAS[0])}&ContentID=SB5235553830616631")


@pytest.mark.parametrize("holder", [
    f'<li class="icon reprint" data-reprint="{REPRINT}">In lại</li>',  # barrons.com
    f'<div class="reprint" data-reprint="{REPRINT}"></div>',
    f'<div data-reprint="{b64(REPRINT)}"></div>',
    # a share widget's blurb, the article's own text percent-encoded (ctpost.com and the
    # other Hearst papers): plain text, no markup, and on an element that is not empty
    f'<div class="social-links" data-social-blurb="{quote(" ".join(PARAS))}">'
    '<a href="https://facebook.com/sharer">f</a></div>',
    f'<div class="social-links" data-social-blurb="{quote(" ".join(PARAS))}"></div>',
    f'<a class="share" data-href="https://twitter.com/intent/tweet?text={quote(TITLE)}'
    f'&url={quote(URL)}">Tweet</a>',
    # a one-token text: a share link, percent-encoded
    f'<span class="share-url">{quote(f"https://facebook.com/sharer?u={URL}&t={TITLE}", safe="")}'
    "</span>",
])
@pytest.mark.parametrize("rules", [True, False], ids=["rules", "fallback"])
def test_share_link_strings_are_not_decoded_into_the_page(holder, rules):
    html = page(f"{VISIBLE}<p>{PARAS[0]}</p><ul>{holder}</ul>" if holder.startswith("<li")
                else f"{VISIBLE}<p>{PARAS[0]}</p>{holder}")
    tree = parse_html(html)
    before = lxml.html.tostring(tree)
    assert decode_body.decode_embedded(tree).chunks == []
    assert lxml.html.tostring(tree) == before
    article = extract(html, site=SITE if rules else None)
    assert "decoded_body" not in article.flags
    assert "PublisherName" not in article.body and "twitter.com" not in article.body
    assert article.body.split("\n\n")[:2] == [VISIBLE[3:-4], PARAS[0]]


@pytest.mark.parametrize("script", [
    # readers' comments a page writes where the script stands: its own plain markup
    "document.write('<hr \\/><b>Lan<\\/b> <i>2024-07-08 10:15<\\/i><br \\/><p>Hợp tác xã làm rất "
    "tốt, chúc mừng các chị em đã có thêm thu nhập ổn định.<\\/p>');",
    # markup written into an element the script made itself, not one the page names
    "var box = document.createElement('div'); box.innerHTML = '<h4>Tin tài trợ</h4><ul><li>"
    "<div class=\"x\"><p>Ưu đãi lãi suất cho hộ kinh doanh nhỏ trong tháng bảy này</p></div>"
    "</li></ul>'; document.body.appendChild(box);",
])
def test_markup_the_page_writes_for_itself_is_no_body(script):
    html = page(f"{VISIBLE}<p>{PARAS[0]}</p><script>{script}</script>")
    assert decode_body.decode_embedded(parse_html(html)).chunks == []
    article = extract(html, site=None)
    assert article.body.split("\n\n") == [VISIBLE[3:-4], PARAS[0]]
