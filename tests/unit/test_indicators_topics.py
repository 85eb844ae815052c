"""Topic tags: only articles on our topics are mined."""

import unicodedata
from datetime import date

from scrapers.indicators import Topic, extract_indicators, tag_topics


def test_tags():
    assert tag_topics("Phát triển kinh tế tập thể", "Toàn tỉnh có 312 HTX.") == {
        Topic.COLLECTIVE_ECONOMY}
    assert tag_topics("", "Hội LHPN hỗ trợ chị em; 14 sản phẩm đạt chuẩn OCOP.") == {
        Topic.WOMEN, Topic.OCOP}
    assert tag_topics("Giải quyết việc làm cho lao động", "") == {Topic.JOBS_INCOME}
    assert tag_topics("", unicodedata.normalize("NFD", "phụ nữ")) == {Topic.WOMEN}


def test_untagged_text_gives_nothing():
    text = "Năm 2024, tỉnh đón hơn 5 triệu lượt khách du lịch, tăng 12% so với năm 2023."
    assert tag_topics("Du lịch khởi sắc", text) == frozenset()
    assert extract_indicators(text, date(2025, 1, 1)) == []
