"""Text hygiene: NFC, entities (also double-escaped), invisible characters, counting, keys."""

import unicodedata

import pytest

from scrapers.text import (
    clean_text,
    decode_entities,
    join_paragraphs,
    nfc,
    normalise_for_hash,
    strip_invisible,
    title_key,
    word_count,
    words,
)


def test_nfc_composes_decomposed_vietnamese():
    decomposed = unicodedata.normalize("NFD", "Phụ nữ Thanh Hóa")
    assert decomposed != "Phụ nữ Thanh Hóa"
    assert nfc(decomposed) == "Phụ nữ Thanh Hóa"


@pytest.mark.parametrize(("raw", "decoded"), [
    ("&quot;vàng xanh&quot;", '"vàng xanh"'),
    ("&amp;quot;vàng xanh&amp;quot;", '"vàng xanh"'),
    ("Cói &amp;amp; Mỹ nghệ", "Cói & Mỹ nghệ"),
    ("&amp;#7897;ng", "ộng"),
    ("&#x1EA1;", "ạ"),
    ("AT&T và a=1&copy=2", "AT&T và a=1&copy=2"),  # no entity: left alone
])
def test_decode_entities_also_double_escaped(raw, decoded):
    assert decode_entities(raw) == decoded


def test_strip_invisible_removes_zero_width_and_turns_nbsp_into_space():
    assert strip_invisible("Tân\u200bSơn\u00a0quế\ufeff\u00ad") == "TânSơn quế"


def test_clean_text_does_everything_at_once():
    raw = "  Phu\u0323 nư\u0303\u00a0&amp;quot;giỏi&amp;quot;\u200b\n\t việc nước  "
    assert clean_text(raw) == 'Phụ nữ "giỏi" việc nước'
    assert clean_text(None) == ""


def test_clean_text_can_keep_line_breaks():
    assert clean_text(" a \u00a0 b \n\n  c  ", keep_newlines=True) == "a b\n\nc"


def test_join_paragraphs_drops_empty_ones():
    assert join_paragraphs([" Một ", "", "\u200b", "Hai"]) == "Một\n\nHai"


def test_normalise_for_hash_ignores_case_spacing_and_composition():
    a = "Hợp tác xã  Hoằng Phụ\n\nthu lãi"
    b = unicodedata.normalize("NFD", "hợp tác xã hoằng phụ thu\u00a0lãi")
    assert normalise_for_hash(a) == normalise_for_hash(b)
    assert normalise_for_hash(a) != normalise_for_hash("Hợp tác xã Hoằng Phụ thu lỗ")


@pytest.mark.parametrize(("text", "n"), [
    ("Hợp tác xã có 126 thành viên.", 7),
    ("Doanh thu 9,2 tỷ đồng, tăng 1.200 triệu", 8),
    ("COVID-19 và OCOP 4 sao", 5),
    ("", 0),
    ("— … !", 0),
])
def test_word_count_counts_syllables(text, n):
    assert word_count(text) == n


def test_words_are_nfc_lower_case_syllables():
    text = "Thu nhập 5,2 triệu đồng/tháng ở Hoằng\u00a0Hóa"
    assert words(unicodedata.normalize("NFD", text)) == [
        "thu", "nhập", "5,2", "triệu", "đồng", "tháng", "ở", "hoằng", "hóa"]


@pytest.mark.parametrize(("title", "key"), [
    ("Hợp tác xã do phụ nữ làm chủ - Báo Thanh Hóa", "hợp tác xã do phụ nữ làm chủ"),
    ("Kinh tế | Giá lúa tăng mạnh đầu vụ hè thu", "giá lúa tăng mạnh đầu vụ hè thu"),
    ("Mộ Đức: Hợp tác xã hành tím tăng thu nhập", "hợp tác xã hành tím tăng thu nhập"),
    ('Nông dân thu lãi từ "vàng xanh"!', "nông dân thu lãi từ vàng xanh"),
    ("Khai mạc lúc 10:30 tại  Hà Nội", "khai mạc lúc 10 30 tại hà nội"),
])
def test_title_key_takes_the_longest_part_without_punctuation(title, key):
    assert title_key(title) == key


def test_title_key_is_the_same_for_decomposed_titles():
    title = "Phụ nữ Tân Sơn làm giàu từ cây quế"
    assert title_key(unicodedata.normalize("NFD", title)) == title_key(title)
