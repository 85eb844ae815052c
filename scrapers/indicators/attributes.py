"""Attributes of a counted thing, read from the words that describe it: run by women,
newly founded, OCOP (and its stars), ethnic minority, value chain.

"Hội Liên hiệp Phụ nữ hỗ trợ 12 HTX" does not make the 12 women-run; only phrases that
say who runs, owns or makes up the thing do ("do phụ nữ làm chủ", "của chị em",
"lao động nữ", "HTX phụ nữ", "có nữ tham gia HĐQT").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WOMEN = re.compile(
    r"\bdo (?:các )?(?:phụ nữ|nữ|chị em|chị)\b"
    r"|\b(?:của|cho|hỗ trợ) (?:các |những )?(?:phụ nữ|chị em|nữ|hội viên phụ nữ|lao động nữ)\b"
    r"|\b(?:là|có) (?:phụ nữ|nữ|chị em)\b"
    r"|\b(?:lao động|thành viên|xã viên|cán bộ|hội viên|công nhân|học viên|người|giám đốc"
    r"|chủ tịch) nữ\b"
    r"|\bnữ (?:giám đốc|chủ tịch|quản lý|chủ nhiệm|cán bộ|thành viên|lao động)\b"
    r"|\b(?:htx|hợp tác xã|tổ hợp tác|tht) (?:phụ nữ|nữ)\b"
    r"|\bhội viên phụ nữ\b")
NEW = re.compile(
    r"\bthành lập\b|(?<!kiểu )(?<!đổi )(?<!thôn )\bmới thành lập\b"
    r"|\b(?:htx|hợp tác xã|tổ hợp tác|tht|liên hiệp|việc làm|sản phẩm|thành viên|ocop)"
    r"(?: ocop)? mới\b|\b(?:xây dựng|phát triển|công nhận) mới\b")
_OCOP = re.compile(r"\bocop\b|mỗi xã một sản phẩm")
_STARS = re.compile(r"\b([345])\s*sao\b")
_ETHNIC = re.compile(r"dân tộc thiểu số|\bdtts\b|\bđồng bào\b|\bngười dân tộc\b")
_VALUE_CHAIN = re.compile(r"chuỗi (?:giá trị|liên kết|cung ứng)|liên kết (?:theo )?chuỗi"
                          r"|\btheo chuỗi\b")


@dataclass(frozen=True)
class Attributes:
    women: bool = False
    new: bool = False
    ocop: bool = False
    ocop_stars: int | None = None
    ethnic_minority: bool = False
    value_chain: bool = False

    def union(self, other: Attributes) -> Attributes:
        return Attributes(self.women or other.women, self.new or other.new,
                          self.ocop or other.ocop, self.ocop_stars or other.ocop_stars,
                          self.ethnic_minority or other.ethnic_minority,
                          self.value_chain or other.value_chain)


def attributes_in(phrase: str) -> Attributes:
    """The attributes a lower-cased NFC phrase states."""
    stars = _STARS.search(phrase)
    return Attributes(
        women=bool(_WOMEN.search(phrase)),
        new=bool(NEW.search(phrase)),
        ocop=bool(_OCOP.search(phrase)),
        ocop_stars=int(stars.group(1)) if stars else None,
        ethnic_minority=bool(_ETHNIC.search(phrase)),
        value_chain=bool(_VALUE_CHAIN.search(phrase)),
    )
