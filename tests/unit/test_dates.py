"""Day-first Vietnamese dates and ISO dates → aware datetimes in Asia/Ho_Chi_Minh."""

from datetime import datetime

import pytest

from scrapers.dates import VN_TZ, find_vn_date, parse_iso, parse_vn_datetime


def vn(*args: int) -> datetime:
    return datetime(*args, tzinfo=VN_TZ)


@pytest.mark.parametrize(("text", "expected"), [
    ("04:19 05/07/2024", vn(2024, 7, 5, 4, 19)),
    ("Thứ sáu, 05/07/2024 - 04:19", vn(2024, 7, 5, 4, 19)),
    ("08/01/2026 - 18:21", vn(2026, 1, 8, 18, 21)),
    ("Thứ Sáu, 05/07/2024, 04:19 (GMT+7)", vn(2024, 7, 5, 4, 19)),
    ("Thứ Năm, 09/01/2025 | 10:15 (GMT+7)", vn(2025, 1, 9, 10, 15)),
    ("Cập nhật 15h30 ngày 2-9-2024", vn(2024, 9, 2, 15, 30)),
    ("05.07.2024 16:45:30", vn(2024, 7, 5, 16, 45, 30)),
    ("ngày 5 tháng 7 năm 2024", vn(2024, 7, 5)),
    ("05/07/2024 4:19 CH", vn(2024, 7, 5, 16, 19)),
    ("5/7/24 09:00", vn(2024, 7, 5, 9, 0)),
])
def test_day_first_visible_dates(text, expected):
    found = parse_vn_datetime(text)
    assert found == expected
    assert found.utcoffset().total_seconds() == 7 * 3600


def test_an_explicit_other_offset_is_converted_to_local_time():
    assert parse_vn_datetime("05/07/2024 04:19 (GMT+0)") == vn(2024, 7, 5, 11, 19)


def test_precision_is_reported():
    assert find_vn_date("04:19 05/07/2024").has_time
    assert not find_vn_date("Thứ Sáu, 05/07/2024").has_time


@pytest.mark.parametrize("text", [
    "", None, "Lượt xem: 1.245", "31/02/2024 10:00", "Năm 2030 đạt 200 thành viên", "2024-07-05",
])
def test_no_date_or_an_impossible_one_gives_none(text):
    assert parse_vn_datetime(text) is None


def test_an_invalid_date_is_skipped_for_a_valid_one_later():
    assert parse_vn_datetime("31/02/2024 hoặc 01/03/2024 08:00") == vn(2024, 3, 1, 8, 0)


@pytest.mark.parametrize(("text", "expected", "has_time"), [
    ("2024-07-05T04:19:00+07:00", vn(2024, 7, 5, 4, 19), True),
    ("2024-07-04T21:19:00Z", vn(2024, 7, 5, 4, 19), True),
    ("2024-07-05T04:19:00+0700", vn(2024, 7, 5, 4, 19), True),
    ("2024-07-05 04:19:00", vn(2024, 7, 5, 4, 19), True),
    ("2024-07-05", vn(2024, 7, 5), False),
])
def test_iso_dates(text, expected, has_time):
    found = parse_iso(text)
    assert found.value == expected and found.has_time is has_time
    assert found.value.tzinfo is VN_TZ


@pytest.mark.parametrize("text", ["", "  ", None, "05/07/2024", "hôm qua"])
def test_bad_iso_gives_none(text):
    assert parse_iso(text) is None
