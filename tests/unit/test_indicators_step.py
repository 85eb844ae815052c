"""``mine``: which articles are mined, and whose province a figure takes."""

from datetime import date, datetime

import pytest

from scrapers.dates import VN_TZ
from scrapers.indicators import Topic, article_text
from scrapers.indicators.province_table import load_province_table
from scrapers.settings import get_settings
from scrapers.steps.indicators import Outcome, mine
from scrapers.store.indicators import Reason, ToMine

BODY = "Tỉnh Hòa Bình hiện có 41 hợp tác xã do phụ nữ làm chủ, thu hút 1.200 thành viên."
DAY = date(2025, 3, 4)


@pytest.fixture(scope="module")
def provinces():
    return load_province_table(get_settings().provinces_csv)


def article(body: str = BODY, *, title: str = "HTX của phụ nữ", day: date | None = DAY,
            province: str | None = None, lead: str | None = None) -> ToMine:
    return ToMine(7, title, lead, body, day, province,
                  datetime(2025, 3, 4, 8, tzinfo=VN_TZ), Reason.NEW)


def test_a_national_paper_takes_the_province_its_text_names(provinces):
    outcome, mined = mine(article(), provinces)
    assert outcome is Outcome.MINED
    assert Topic.COLLECTIVE_ECONOMY in mined.topics and Topic.WOMEN in mined.topics
    assert [(i.subject, i.value) for i in mined.indicators] == [
        ("cooperatives", 41), ("members", 1200)]
    assert {(i.province_code, i.text_province_code, i.text_province_successor_code)
            for i in mined.indicators} == {("hoa-binh", "hoa-binh", "phu-tho")}
    assert all(i.as_of == DAY for i in mined.indicators)


def test_a_provincial_paper_keeps_its_own_province(provinces):
    _, mined = mine(article(province="thanh-hoa"), provinces)
    assert {(i.province_code, i.text_province_code) for i in mined.indicators} == {
        ("thanh-hoa", "hoa-binh")}


def test_untagged_and_undated_articles_are_not_mined(provinces):
    outcome, mined = mine(article("Sáng nay, 26 huyện tổng kết công tác phòng chống thiên tai.",
                                  title="Tổng kết phòng chống thiên tai"), provinces)
    assert (outcome, mined.topics, mined.indicators) == (Outcome.UNTAGGED, frozenset(), [])
    outcome, mined = mine(article(day=None), provinces)
    assert (outcome, mined.indicators) == (Outcome.UNDATED, [])
    assert Topic.COLLECTIVE_ECONOMY in mined.topics  # the tags are kept all the same


def test_the_lead_is_tagged_and_mined_and_the_offsets_index_lead_then_body(provinces):
    lead = "Toàn tỉnh Hòa Bình hiện có 45 hợp tác xã do phụ nữ làm chủ."
    body = "Nhiều hộ đã mạnh dạn chuyển đổi cây trồng, liên kết tiêu thụ nông sản."
    assert mine(article(body, title="Tổng kết năm"), provinces)[0] is Outcome.UNTAGGED
    outcome, mined = mine(article(body, title="Tổng kết năm", lead=lead), provinces)
    assert outcome is Outcome.MINED and Topic.COLLECTIVE_ECONOMY in mined.topics
    [ind] = mined.indicators
    assert (ind.subject, ind.value, ind.women) == ("cooperatives", 45, True)
    text = article_text(lead, body)
    assert text[ind.start:ind.end] == ind.sentence == lead
    assert text[ind.mention_start:ind.mention_end] == "45"
