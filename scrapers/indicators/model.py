"""What the indicator extractor returns: typed outcomes and one ``Indicator`` per figure.

The fields are flat (no nested objects) so that a storage layer can map them to one table
row; ``to_dict`` gives the JSON-ready form the command prints.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from enum import StrEnum

INDICATOR_EXTRACTOR_VERSION = "2"  # 2: the lead is mined too (article_text)


class Subject(StrEnum):
    """What a figure counts or values."""

    COOPERATIVES = "cooperatives"
    COOPERATIVE_GROUPS = "cooperative_groups"
    COOPERATIVE_UNIONS = "cooperative_unions"
    MEMBERS = "members"
    BOARD_MEMBERS = "board_members"
    WORKERS = "workers"
    JOBS = "jobs"
    TRAINING_PARTICIPANTS = "training_participants"
    INCOME = "income"
    REVENUE = "revenue"
    SUPPORT_VALUE = "support_value"
    OCOP_PRODUCTS = "ocop_products"
    SHARE = "share"


class Approx(StrEnum):
    """How exact the figure is, as the sentence says it."""

    NONE = "none"
    MORE_THAN = "more_than"  # hơn, trên
    AT_LEAST = "at_least"  # ít nhất, tối thiểu, ... trở lên
    AT_MOST = "at_most"  # tối đa, không quá, dưới
    NEARLY = "nearly"  # gần
    ABOUT = "about"  # khoảng, xấp xỉ, chừng
    TENS = "tens"  # hàng chục: no exact value
    HUNDREDS = "hundreds"  # hàng trăm: no exact value
    THOUSANDS = "thousands"  # hàng nghìn, hàng ngàn: no exact value


class Qualifier(StrEnum):
    """Whether the figure is a level reached, a goal, or a change against an earlier period."""

    ACTUAL = "actual"
    TARGET = "target"
    CHANGE = "change"


Number = int | float


@dataclass(frozen=True)
class Indicator:
    """One figure of one sentence; offsets index the text given to ``extract_indicators``
    (for a stored article: ``article_text(lead, body)``)."""

    subject: Subject
    value: Number | None  # None for a range or for "hàng trăm"-like amounts
    low: Number | None
    high: Number | None
    total: int | None  # the 16 of "6/16 HTX"
    unit: str  # count, percent, VND, VND/person/month, VND/cooperative/year, ...
    approx: Approx
    qualifier: Qualifier
    target_year: int | None
    change_period: str | None  # "cùng kỳ", "năm 2023": what a change is measured against
    as_of: date
    women: bool
    new: bool
    ocop: bool
    ocop_stars: int | None
    ethnic_minority: bool
    value_chain: bool
    share_of: str | None
    sentence: str
    start: int
    end: int
    mention_start: int  # the figure itself, e.g. "hơn 1,2 tỷ đồng"
    mention_end: int
    province_code: str | None
    text_province_code: str | None
    text_province_successor_code: str | None

    def to_dict(self) -> dict:
        row = asdict(self)
        row["as_of"] = self.as_of.isoformat()
        return row
