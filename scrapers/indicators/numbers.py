"""Vietnamese quantities in a sentence: "12.350", "4,5 triệu đồng", "2.075 tỷ đồng",
"3 - 6 triệu đồng/tháng", "từ 3 đến 6", "6/16 HTX", "ít nhất 80%", "hàng trăm", "hai".

Dots group thousands and the comma is the decimal mark. Money comes out as whole VND
(exact: amounts are computed with ``Decimal``), with the per-unit the sentence gives
("VND/person/month"). Non-quantities (dates, years, document and phone numbers) are
blanked first by ``noise.blank_noise``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from scrapers.indicators.model import Approx, Number
from scrapers.indicators.noise import blank_noise
from scrapers.indicators.patterns import alternation


class Kind(StrEnum):
    """What a figure is before its subject is known: money and shares find theirs by
    keyword, counts by the noun after them."""

    COUNT = "count"
    MONEY = "money"
    PERCENT = "percent"


@dataclass(frozen=True)
class Quantity:
    """One figure; ``start``/``end`` cover approximation words and units, ``num_start``
    is where the figure proper begins (what a "tăng" or "trong đó" must stand before)."""

    start: int
    num_start: int
    end: int
    kind: Kind
    value: Number | None
    low: Number | None = None
    high: Number | None = None
    total: int | None = None
    approx: Approx = Approx.NONE
    unit: str = "count"


_APPROX = {
    "hơn": Approx.MORE_THAN, "trên": Approx.MORE_THAN,
    "ít nhất": Approx.AT_LEAST, "tối thiểu": Approx.AT_LEAST,
    "tối đa": Approx.AT_MOST, "không quá": Approx.AT_MOST, "dưới": Approx.AT_MOST,
    "gần": Approx.NEARLY,
    "khoảng": Approx.ABOUT, "xấp xỉ": Approx.ABOUT, "chừng": Approx.ABOUT,
}
_SCALES = {"nghìn tỷ": 10**12, "ngàn tỷ": 10**12, "tỷ": 10**9, "tỉ": 10**9,
           "triệu": 10**6, "nghìn": 10**3, "ngàn": 10**3, "trăm": 100}
_VAGUE = {"chục nghìn": Approx.THOUSANDS, "chục ngàn": Approx.THOUSANDS,
          "trăm nghìn": Approx.THOUSANDS, "trăm ngàn": Approx.THOUSANDS,
          "chục": Approx.TENS, "trăm": Approx.HUNDREDS,
          "nghìn": Approx.THOUSANDS, "ngàn": Approx.THOUSANDS}
_PER = {"người": "person", "lao động": "person", "thành viên": "person",
        "hội viên": "person", "khẩu": "person", "hộ": "household",
        "htx": "cooperative", "hợp tác xã": "cooperative",
        "tổ hợp tác": "cooperative_group", "tht": "cooperative_group",
        "tháng": "month", "năm": "year", "ngày": "day", "sản phẩm": "product",
        "ha": "ha", "kg": "kg"}
_WORDS = {"một": 1, "hai": 2, "ba": 3, "bốn": 4, "năm": 5, "lăm": 5, "sáu": 6, "bảy": 7,
          "bẩy": 7, "tám": 8, "chín": 9, "mười": 10}


_NUM = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
_SCALE = alternation(_SCALES)
_AMOUNT = rf"(?:{_NUM})(?:\s+(?:{_SCALE}))?(?:\s+\d{{1,3}}\s+(?:{_SCALE}))*"
_CURRENCY = r"\s*(?:đồng|vnđ|vnd|đ)(?!\w)"
_PER_UNIT = rf"(?:\s*/\s*(?:{alternation(_PER)})(?!\w))+|\s+(?:mỗi|một)\s+(?:tháng|năm|ngày)(?!\w)"
_APPROX_WORDS = rf"(?:(?P<approx>{alternation(_APPROX)})\s+)?"
_QUANTITY = re.compile(
    rf"{_APPROX_WORDS}(?P<from>từ\s+)?(?<![\d.,/\w])(?P<a>{_AMOUNT})"
    rf"(?:\s*(?:-|–|—|đến|tới)\s*(?P<b>{_AMOUNT}))?"
    rf"(?:/(?P<total>\d+))?"
    rf"(?![\d\w]|[.,]\d|/\d)"
    rf"(?P<pct>\s*%|\s+phần trăm)?(?P<cur>{_CURRENCY})?(?P<per>{_PER_UNIT})?"
    rf"(?P<more>\s+trở lên)?", re.I)
_VAGUE_RE = re.compile(
    rf"\b(?:hàng|hằng)\s+(?P<vague>{alternation(_VAGUE)})(?!\w)(?:\s+(?P<scale>tỷ|triệu))?"
    rf"(?P<cur>{_CURRENCY})?", re.I)
_WORD_RE = re.compile(
    rf"{_APPROX_WORDS}(?<!\w)(?P<w1>{alternation(_WORDS)})(?:\s+mươi)?(?:\s+(?P<w2>{alternation(_WORDS)}))?"
    r"(?=\s+[^\W\d_])(?!\s+(?:số|trong|cách|lần|năm|tháng|ngày|giờ|tuổi|nay|qua|ngoái|bên"
    r"|chục|trăm|nghìn|ngàn|triệu|tỷ|mươi)\b)", re.I)
# "một" is a count only where a count is expected ("có một", "ít nhất một"); elsewhere
# it is the article ("Một HTX ở xã ..."); "năm" after these words is the year.
_ONE_AFTER = re.compile(r"\b(?:có|thêm|lập|gồm|được)\s+$", re.I)
_YEAR_WORD_AFTER = re.compile(r"\b(?:hàng|hằng|mỗi|cả|trong|các|này|nhiều|một|từng|qua)\s+$",
                              re.I)
# A scaled amount without "đồng" is money when no noun follows it ("4 - 5 triệu/tháng").
_BARE_MONEY_END = re.compile(r"\s*(?:$|[^\w\s]|(?:lên|xuống|đến|tới|và|so|mỗi|một|trở|với"
                             r"|từ|cho|là|trong|năm)\b)", re.I)


def find_quantities(s: str) -> list[Quantity]:
    """Every quantity of the NFC sentence ``s``, in order of position."""
    clean = blank_noise(s)
    found = [_digits(m, clean) for m in _QUANTITY.finditer(clean)]
    found += [_vague(m) for m in _VAGUE_RE.finditer(clean)]
    found += [q for m in _WORD_RE.finditer(s) if (q := _word(m, s)) is not None]
    found.sort(key=lambda q: (q.start, -q.end))
    kept: list[Quantity] = []
    for q in found:
        if not kept or q.start >= kept[-1].end:
            kept.append(q)
    return kept


def _amount(text: str) -> tuple[Decimal, int | None]:
    """'1 tỷ 200 triệu' → (1200000000, 10**6): the value and its last scale."""
    total, scale = Decimal(0), None
    for num, word in re.findall(rf"({_NUM})(?:\s+({_SCALE}))?", text, re.I):
        scale = _SCALES[word.lower()] if word else None
        total += Decimal(num.replace(".", "").replace(",", ".")) * (scale or 1)
    return total, scale


def _number(d: Decimal) -> Number:
    return int(d) if d == d.to_integral_value() else float(d)


def _digits(m: re.Match, s: str) -> Quantity:
    a, a_scale = _amount(m["a"])
    b, b_scale = _amount(m["b"]) if m["b"] else (None, None)
    if b is not None and a_scale is None and b_scale is not None:
        a *= b_scale  # "3 - 6 triệu": the scale is said once, for both ends
    scale = b_scale if b is not None else a_scale
    if m["pct"]:
        kind, unit = Kind.PERCENT, "percent"
    elif m["cur"] or (scale is not None and scale >= 10**6
                      and (m["per"] or _BARE_MONEY_END.match(s, m.end()))):
        kind, unit = Kind.MONEY, "VND" + _per_unit(m["per"])
    else:
        kind, unit = Kind.COUNT, "count"
    approx = _APPROX[m["approx"].lower()] if m["approx"] else Approx.NONE
    if m["more"] and approx is Approx.NONE:
        approx = Approx.AT_LEAST
    start = m.start("approx") if m["approx"] else m.start("from") if m["from"] else m.start("a")
    if b is not None:
        return Quantity(start, m.start("a"), m.end(), kind, None, _number(a), _number(b),
                        approx=approx, unit=unit)
    total = int(m["total"]) if m["total"] else None
    return Quantity(start, m.start("a"), m.end(), kind, _number(a), total=total,
                    approx=approx, unit=unit)


def _per_unit(per: str | None) -> str:
    if not per:
        return ""
    words = re.findall(alternation(_PER), per.lower())
    return "".join("/" + _PER[w] for w in words)


def _vague(m: re.Match) -> Quantity:
    money = bool(m["cur"] or m["scale"])
    return Quantity(m.start(), m.start(), m.end(), Kind.MONEY if money else Kind.COUNT, None,
                    approx=_VAGUE[m["vague"].lower()], unit="VND" if money else "count")


def _word(m: re.Match, s: str) -> Quantity | None:
    w1 = m["w1"].lower()
    before = s[:m.start("w1")]
    if w1 == "một" and not m["approx"] and not _ONE_AFTER.search(before):
        return None
    if w1 == "năm" and _YEAR_WORD_AFTER.search(before):
        return None
    tens = "mươi" in m.group().lower()
    value = _WORDS[w1] * (10 if tens else 1) + (_WORDS[m["w2"].lower()] if m["w2"] else 0)
    if m["w2"] and not tens and w1 != "mười":
        return None  # "hai ba" is not a number
    approx = _APPROX[m["approx"].lower()] if m["approx"] else Approx.NONE
    start = m.start("approx") if m["approx"] else m.start("w1")
    return Quantity(start, m.start("w1"), m.end(), Kind.COUNT, value, approx=approx)
