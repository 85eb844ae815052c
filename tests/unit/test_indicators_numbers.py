"""Vietnamese quantities: dot thousands, comma decimals, scales, ranges, fractions,
percentages, number words and vague amounts; non-quantities left out."""

import pytest

from scrapers.indicators.model import Approx
from scrapers.indicators.numbers import Kind, find_quantities


def only(text: str):
    (q,) = find_quantities(text)
    return q


@pytest.mark.parametrize(("text", "kind", "value", "unit"), [
    ("có 12.350 thành viên", Kind.COUNT, 12350, "count"),
    ("thu nhập 4,5 triệu đồng", Kind.MONEY, 4_500_000, "VND"),
    ("thu nhập 350 triệu", Kind.MONEY, 350_000_000, "VND"),
    ("hỗ trợ 2.075 tỷ đồng", Kind.MONEY, 2_075_000_000_000, "VND"),
    ("vốn 1,2 tỷ.", Kind.MONEY, 1_200_000_000, "VND"),
    ("vốn 1 tỷ 200 triệu đồng", Kind.MONEY, 1_200_000_000, "VND"),
    ("đạt 5,5 triệu đồng/người/tháng", Kind.MONEY, 5_500_000, "VND/person/month"),
    ("doanh thu 1,6 tỷ đồng/HTX/năm", Kind.MONEY, 1_600_000_000, "VND/cooperative/year"),
    ("khoảng 850 triệu đồng mỗi năm", Kind.MONEY, 850_000_000, "VND/year"),
    ("chiếm 41,5%", Kind.PERCENT, 41.5, "percent"),
    ("đạt 100%", Kind.PERCENT, 100, "percent"),
])
def test_single_forms(text, kind, value, unit):
    q = only(text)
    assert (q.kind, q.value, q.unit) == (kind, value, unit)
    assert isinstance(q.value, int) == isinstance(value, int)


@pytest.mark.parametrize(("text", "low", "high", "unit"), [
    ("thu nhập 3 - 6 triệu đồng/tháng", 3_000_000, 6_000_000, "VND/month"),
    ("từ 3 đến 6 tổ hợp tác", 3, 6, "count"),
    ("từ 500 triệu đến 1 tỷ đồng/năm", 500_000_000, 1_000_000_000, "VND/year"),
    ("từ 300 - 400 lao động", 300, 400, "count"),
])
def test_ranges(text, low, high, unit):
    q = only(text)
    assert (q.value, q.low, q.high, q.unit) == (None, low, high, unit)


def test_fraction_is_a_part_of_a_whole():
    q = only("có 6/16 HTX do phụ nữ làm chủ")
    assert (q.value, q.total) == (6, 16)


@pytest.mark.parametrize(("text", "approx"), [
    ("hơn 1,2 tỷ đồng", Approx.MORE_THAN), ("trên 80%", Approx.MORE_THAN),
    ("ít nhất 12 HTX", Approx.AT_LEAST), ("tối thiểu 12 HTX", Approx.AT_LEAST),
    ("5 triệu đồng/người/tháng trở lên", Approx.AT_LEAST), ("tối đa 3 HTX", Approx.AT_MOST),
    ("gần 1.900 thành viên", Approx.NEARLY), ("khoảng 800 lao động", Approx.ABOUT),
])
def test_approximations(text, approx):
    assert only(text).approx is approx


@pytest.mark.parametrize(("text", "approx"), [
    ("hàng chục HTX", Approx.TENS), ("hàng trăm chị em", Approx.HUNDREDS),
    ("hàng nghìn hội viên", Approx.THOUSANDS), ("hàng ngàn lao động", Approx.THOUSANDS),
])
def test_vague_amounts_have_no_value(text, approx):
    q = only(text)
    assert (q.value, q.approx) == (None, approx)


@pytest.mark.parametrize(("text", "value"), [
    ("thành lập hai HTX", 2), ("có ba tổ hợp tác", 3), ("Mười HTX", 10),
    ("mười hai thành viên", 12), ("hai mươi lăm thành viên", 25), ("có một HTX", 1),
    ("ít nhất một tổ hợp tác", 1),
])
def test_number_words(text, value):
    assert only(text).value == value


@pytest.mark.parametrize("text", [
    "Một HTX ở xã vùng cao", "một số HTX", "hằng năm HTX thu về", "năm 2024 HTX",
    "hơn mười năm qua",
])
def test_words_that_are_not_counts(text):
    assert find_quantities(text) == []


@pytest.mark.parametrize("text", [
    "Nghị quyết số 20-NQ/TW", "Quyết định số 1719/QĐ-TTg", "Nghị định 45/2021/NĐ-CP",
    "ngày 16/6/2022", "Tính đến 30/6/2025", "hết tháng 9/2024", "ngày 8/3", "HTX 19/5",
    "năm 2024", "giai đoạn 2021 - 2025", "nhiệm kỳ 2021-2026", "Đến 2030,", "(SN 1982)",
    "số điện thoại 0237.3852.461", "hotline 0912 345 678", "ĐT: 0206 3855 123",
    "lúc 8h30", "thôn 3", "số 12", "lần thứ 2", "sản phẩm 4 sao", "tăng gấp 2 lần",
])
def test_non_quantities_are_left_out(text):
    assert find_quantities(text) == []


def test_offsets_cover_the_whole_figure():
    text = "đã hỗ trợ hơn 1,2 tỷ đồng vốn vay"
    q = only(text)
    assert text[q.start:q.end] == "hơn 1,2 tỷ đồng"
    assert text[q.num_start:q.end] == "1,2 tỷ đồng"
