"""Digits that are not quantities: dates, years, times, document, phone and house numbers.

Blanking them (same length, so offsets hold) before numbers are read is simpler than
teaching the number grammar every exception: "Nghị quyết số 20-NQ/TW", "ngày 16/6/2022",
"giai đoạn 2021 - 2025", "0237.3852.461", "thôn 3", "lần thứ 2", "4 sao" (a rating).
"""

from __future__ import annotations

import re

_YEAR = r"(?:19[5-9]\d|20\d\d)"
_PATTERNS = [
    # documents: 20-NQ/TW, 1719/QĐ-TTg, 45/2021/NĐ-CP, 125/KH-UBND
    r"\b\d+(?:/\d+)*(?:[-/][A-ZĐ][\wĐ]*)+",
    # dates: 16/6/2022, 1-7-2024, 9/2024 (month/year), "ngày 8/3", "(20/10/1930 - ...)"
    r"\b\d{1,2}[/-]\d{1,2}[/-]\d{2,4}\b",
    r"\b\d{1,2}/" + _YEAR + r"\b",
    r"(?i:\b(?:ngày|hôm|sáng|trưa|chiều|tối|đêm|từ|đến|tới) )\d{1,2}/\d{1,2}\b",
    r"\b(\d{1,2})/(\d{1,2})\b",  # day/month when the first is larger: see _blank
    r"(?i:\b(?:tháng|quý|tuần|ngày|thứ|khóa|khoá|kỳ|lần thứ|lần) )\d{1,2}\b",
    # years and year ranges: "năm 2024", "giai đoạn 2021-2025", "(SN 1982)", "Đến 2030,"
    _YEAR + r"\s*[-–—]\s*" + _YEAR,
    r"(?i:\b(?:năm|sinh|sn|niên vụ|vụ|nhiệm kỳ|giai đoạn|đến|tới|từ|cuối|đầu|hết|trước"
    r"|sau|luật[^,.;]{0,40}) )" + _YEAR + r"(?:\s*[-–—]\s*" + _YEAR + r")?\b",
    r"(?<![\d.,])" + _YEAR + r"(?!\d|[.,]\d|\s+[^\W\d_])",
    # times: 8h30, 19h00, 7:30, "8 giờ"
    r"\b\d{1,2}\s*h\s*\d{0,2}\b|\b\d{1,2}:\d{2}\b|(?i:\b\d{1,2} giờ\b)",
    # phones: after a label, or a 0-led run of 9 or more digits
    r"(?i:(?:điện thoại|đt|sđt|hotline|fax|zalo)\s*:?\s*)[\d\s.()+-]*\d",
    r"(?<![\d.,])0\d{2,3}(?:[.\s]?\d{2,4}){2,3}(?!\d|,\d)",
    # house, hamlet, road and ordinal numbers: "số 12", "thôn 3", "Dự án số 8", "quốc lộ 1A"
    r"(?i:(?<!tổng )\bsố\s+)\d[\d./]*\w*",
    r"(?i:\b(?:thôn|xóm|ấp|bản|khóm|khu|tổ|phường|quận|đội|km|lô|quốc lộ|tỉnh lộ|đường|phòng"
    r"|tầng|hội trường|chương trình|quyết định|nghị quyết|nghị định|thông tư|kết luận"
    r"|chỉ thị|kế hoạch|dự án|tiểu dự án|mục tiêu quốc gia) )\d+\w*",
    # star ratings of OCOP products are attributes, multipliers ("gấp 2 lần") no counts
    r"\b\d\s*sao\b",
    r"(?i:\b\d+(?:,\d+)?\s+lần\b)",
]
_NOISE = re.compile("|".join(f"(?:{p})" for p in _PATTERNS))


def blank_noise(s: str) -> str:
    """``s`` with the digits of non-quantities replaced by spaces (offsets unchanged)."""
    return _NOISE.sub(_blank, s)


def _blank(m: re.Match) -> str:
    day, month = m.group(1), m.group(2)
    if day is not None and int(day) <= int(month):
        return m.group()  # "6/16 HTX": a part of a whole, read as a fraction
    return re.sub(r"\d", " ", m.group())
