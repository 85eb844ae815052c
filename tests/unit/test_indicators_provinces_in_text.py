"""Provinces named in a text, with the successor since 1 July 2025."""

from datetime import date
from pathlib import Path

import pytest

from scrapers.indicators import extract_indicators
from scrapers.indicators.province_table import load_province_table
from scrapers.indicators.provinces_in_text import provinces_in_text
from scrapers.settings import get_settings


@pytest.fixture(scope="module")
def table():
    return load_province_table(Path(get_settings().provinces_csv))


def test_table_has_the_63_with_successors(table):
    assert len(table) == 63
    assert table["ha-giang"].successor_code == "tuyen-quang"
    assert table["thanh-hoa"].successor_code == "thanh-hoa"


def test_names_aliases_and_order(table):
    text = "Tỉnh Hà Giang có 5 HTX; Thừa Thiên Huế và tỉnh Hà Giang, TP.HCM."
    assert provinces_in_text(text, table) == ["ha-giang", "hue", "ho-chi-minh"]


def test_common_words_are_not_provinces(table):
    assert provinces_in_text("vì hòa bình và long an", table) == []


def test_indicator_carries_the_named_province_and_its_successor(table):
    text = ("Cả nước có 1.256 HTX do phụ nữ quản lý. Riêng tỉnh Bắc Giang có 41 HTX do "
            "phụ nữ làm chủ.")
    first, second = extract_indicators(text, date(2025, 2, 1), None, provinces=table)
    assert (first.text_province_code, first.province_code) == ("bac-giang", None)
    assert (second.text_province_code, second.text_province_successor_code) == (
        "bac-giang", "bac-ninh")


def test_no_table_no_province():
    (ind,) = extract_indicators("Tỉnh Bắc Giang có 41 HTX.", date(2025, 2, 1), "bac-ninh")
    assert (ind.province_code, ind.text_province_code) == ("bac-ninh", None)
