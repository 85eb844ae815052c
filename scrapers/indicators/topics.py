"""Topic tags of an article: only articles on these topics are mined for indicators.

A figure such as "5 triệu lượt khách" in a tourism piece is nobody's indicator, so the
extractor first asks whether the article is about the collective economy, the Women's
Union, OCOP, or jobs and incomes at all.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum


class Topic(StrEnum):
    COLLECTIVE_ECONOMY = "collective_economy"  # HTX, tổ hợp tác, liên hiệp HTX, KTTT
    WOMEN = "women"  # Hội LHPN, women-run cooperatives
    OCOP = "ocop"
    JOBS_INCOME = "jobs_income"


_KEYWORDS = {
    Topic.COLLECTIVE_ECONOMY: r"hợp tác xã|htx|tổ hợp tác|tht|kinh tế tập thể|kttt|lhhtx",
    Topic.WOMEN: r"phụ nữ|lhpn|chị em|nữ|bình đẳng giới",
    Topic.OCOP: r"ocop|mỗi xã một sản phẩm",
    Topic.JOBS_INCOME: r"việc làm|thu nhập|lao động|doanh thu|tiền lương",
}
_PATTERNS = {topic: re.compile(rf"(?<!\w)(?:{words})(?!\w)", re.I)
             for topic, words in _KEYWORDS.items()}


def tag_topics(title: str, body: str) -> frozenset[Topic]:
    """The topics the title or body speaks of (empty: not an indicator article)."""
    text = unicodedata.normalize("NFC", f"{title}\n{body}")
    return frozenset(topic for topic, pattern in _PATTERNS.items() if pattern.search(text))
