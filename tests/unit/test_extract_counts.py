"""The fast word count is the number of ``scrapers.text.words``, and the prefilters of
the cleanup rules and the blocks of a container leave their answers as they were."""

import pytest

from scrapers.extract.assemble import element_paragraphs, element_text
from scrapers.extract.cleanup import (
    _BLOB,
    _INLINE_JUNK,
    Para,
    has_blob,
    is_boilerplate,
    is_caption,
    strip_inline_junk,
)
from scrapers.extract.page import parse_html
from scrapers.text import clean_text, nfc, normalise_for_hash, strip_invisible, word_count, words

TEXTS = [
    "", "  ", "Năm 2013, khi chị Ngô Thanh Lý vận động 14 chị em góp vốn.",
    "COVID-19 1.200 3,5 đồng/tháng", "a..b a.b.c _a_b_ -a a- 'a' .a. a-.b (a.b) — –",
    "x\u200by NBSP\u00a0here", "İstanbul ſ ı", "a\u0301b e\u0308x", "١٢٣ ٤", "a’b'c «x» “y”",
    "(Baothanhhoa.vn) - Thành lập năm 2013\n\nĐoạn hai: 94% là phụ nữ.",
    "HỢP TÁC XÃ ĐẠT 1.200 TRIỆU ĐỒNG/THÁNG, COVID-19", "xİy Aİ.b İ", "ΣΊΣΥΦΟΣ Ⅻ Ⓐb",
]


@pytest.mark.parametrize("text", TEXTS)
def test_word_count_counts_the_words(text):
    assert word_count(text) == len(words(text))


@pytest.mark.parametrize("text", TEXTS)
def test_a_body_of_clean_lines_is_counted_without_normalising_it_again(text):
    body = "\n\n".join(clean_text(line) for line in text.split("\n\n"))
    assert word_count(body, normalised=True) == len(words(body))


@pytest.mark.parametrize("text", [*TEXTS, "A  B\tc", "Đoạn\u00a0hai", "x\u200by  Z",
                                  "Một.\n\nHai", "Một \n\nhai", "Một\n\n\nhai", "Một\n\n",
                                  "\n\nHai", "Một\nhai", "Một\n\n\n\nhai", "e\n\n\u0301ê",
                                  "Một\n\nx\u200by"])
def test_the_hash_shortcuts_give_the_whole_treatments_key(text):
    assert normalise_for_hash(text) == " ".join(nfc(strip_invisible(text)).lower().split())


@pytest.mark.parametrize("text", [*TEXTS, "a  b", " a", "a ", "&amp; b", "x\u00ady", "tab\tb",
                                  "&amp;amp;amp;amp; x", "a\u00a0 b", "e\u0301 \u200b"])
def test_clean_text_keeps_its_own_output_save_an_entity_left(text):
    """What finishing a body relies on to clean its paragraphs once."""
    cleaned = clean_text(text)
    assert clean_text(cleaned) == cleaned or "&" in cleaned


@pytest.mark.parametrize(("line", "boilerplate", "caption", "junk"), [
    ("<< < 1 2 > >>", True, False, "<< < 1 2 > >>"),
    ("15/03/2025 - 07:40", True, False, "15/03/2025 - 07:40"),
    ("Thứ Năm, 09/01/2025 | 10:15 (GMT+7)", True, False, "Thứ Năm, 09/01/2025 | 10:15 (GMT+7)"),
    ("Vùng nguyên liệu. Ảnh: Khánh Phương", False, True, "Vùng nguyên liệu. Ảnh: Khánh Phương"),
    ("Xem thêm: bài khác", True, False, "Xem thêm: bài khác"),
    ("Trước [Quảng cáo 2] sau", False, False, "Trước sau"),
    ("Trước RESPONSIVE IMAGE sau", False, False, "Trước sau"),
    ("Năm 2013, khi chị em góp vốn.", False, False, "Năm 2013, khi chị em góp vốn."),
])
def test_cleanup_answers(line, boilerplate, caption, junk):
    assert is_boilerplate(line) is boilerplate
    assert is_caption(line) is caption
    assert strip_inline_junk(line) == junk


def test_the_blob_test_answers_as_its_regex_does():
    """has_blob skips its regex where every aligned stretch of half a blob holds a space:
    runs just short of, at and past the length, wherever they start and whatever ends them."""
    for run in (59, 60, 61, 119, 120, 121, 180):
        for start in range(0, 70, 7):
            for end in ("", " đây", ".", "é" * 3):
                text = "Trên " * (start // 5) + "x" * (start % 5) + "A" * run + end
                assert has_blob(text) == bool(_BLOB.search(text)), (run, start, end)


@pytest.mark.parametrize("line", ["Ảnh: IMAGE", "responsive iMaGe x", "a ge b", "Mage",
                                  "Hàng [Quảng cáo] x", "không có gì", "GE ge Ge gE"])
def test_the_junk_prefilter_answers_as_the_search_does(line):
    assert strip_inline_junk(line) == clean_text(_INLINE_JUNK.sub(" ", line))


def test_blocks_of_a_container_in_reading_order():
    tree = parse_html("<html><body><div id='c'>lead <b>in</b><p>One <i>a</i></p>"
                      "<div><p>Two</p>tail<!-- c --> end</div>"
                      "<p align='right'><strong>P.Y</strong></p><section>x<br>y</section>"
                      "</div></body></html>")
    paras = element_paragraphs(tree.get_element_by_id("c"))
    assert paras == [Para("lead in"), Para("One a"), Para("Two"), Para("tail end"),
                     Para("P.Y", True), Para("x\ny")]


def test_element_text_is_text_content_without_the_tail():
    tree = parse_html("<html><body><div id='c'>a &amp; <b>b</b> c<!-- d --><p>e</p>"
                      "<p></p><p>f<!-- g --></p><i>h</i>tail</div></body></html>")
    for el in tree.iter():
        if isinstance(el.tag, str):
            assert element_text(el) == el.text_content(), el.tag
    assert element_text(tree.get_element_by_id("c")) == "a & b cefhtail"
