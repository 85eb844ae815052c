"""The subject lexicon: which noun after a figure says what it counts, and which keyword
says what a sum of money is.

Person nouns ("lao động", "thành viên", "chị em", "người") count different things by
context: "tạo việc làm cho 800 lao động" counts jobs, "tập huấn cho 600 lao động" counts
training participants, "thu hút 1.200 lao động" counts workers. ``resolve_noun`` says
which; ``money_subject`` does the same for "thu nhập", "doanh thu", "hỗ trợ" and the
money words that are none of ours ("lợi nhuận", "vốn điều lệ").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scrapers.indicators.model import Subject
from scrapers.indicators.patterns import alternation

S = Subject
PERSON_SUBJECTS = frozenset({S.MEMBERS, S.BOARD_MEMBERS, S.WORKERS, S.JOBS,
                             S.TRAINING_PARTICIPANTS})
ORGANISATIONS = frozenset({S.COOPERATIVES, S.COOPERATIVE_GROUPS, S.COOPERATIVE_UNIONS})

# noun → (subject or None for a bare person noun, is a person, is a woman)
_NOUNS: dict[str, tuple[Subject | None, bool, bool]] = {
    "liên hiệp hợp tác xã": (S.COOPERATIVE_UNIONS, False, False),
    "liên hiệp htx": (S.COOPERATIVE_UNIONS, False, False),
    "lhhtx": (S.COOPERATIVE_UNIONS, False, False),
    "liên hiệp": (S.COOPERATIVE_UNIONS, False, False),
    "hợp tác xã": (S.COOPERATIVES, False, False),
    "htx": (S.COOPERATIVES, False, False),
    "tổ hợp tác": (S.COOPERATIVE_GROUPS, False, False),
    "tht": (S.COOPERATIVE_GROUPS, False, False),
    "thành viên hội đồng quản trị": (S.BOARD_MEMBERS, True, False),
    "thành viên hđqt": (S.BOARD_MEMBERS, True, False),
    "thành viên ban quản trị": (S.BOARD_MEMBERS, True, False),
    "thành viên ban giám đốc": (S.BOARD_MEMBERS, True, False),
    "thành viên ban kiểm soát": (S.BOARD_MEMBERS, True, False),
    "chủ tịch hội đồng quản trị": (S.BOARD_MEMBERS, True, False),
    "chủ tịch hđqt": (S.BOARD_MEMBERS, True, False),
    "cán bộ quản lý": (S.BOARD_MEMBERS, True, False),
    "người quản lý": (S.BOARD_MEMBERS, True, False),
    "giám đốc": (S.BOARD_MEMBERS, True, False),
    "chủ nhiệm": (S.BOARD_MEMBERS, True, False),
    "quản lý": (S.BOARD_MEMBERS, True, False),
    "thành viên": (S.MEMBERS, True, False),
    "xã viên": (S.MEMBERS, True, False),
    "người lao động": (S.WORKERS, True, False),
    "lao động": (S.WORKERS, True, False),
    "công nhân": (S.WORKERS, True, False),
    "việc làm": (S.JOBS, False, False),
    "chỗ làm": (S.JOBS, False, False),
    "học viên": (S.TRAINING_PARTICIPANTS, True, False),
    "sản phẩm": (S.OCOP_PRODUCTS, False, False),
    "hội viên phụ nữ": (None, True, True),
    "hội viên": (None, True, False),
    "chị em": (None, True, True),
    "phụ nữ": (None, True, True),
    "chị": (None, True, True),
    "cán bộ": (None, True, False),
    "người": (None, True, False),
}
# A noun's subject stands whatever the context says.
FIXED_SUBJECTS = frozenset({S.BOARD_MEMBERS, S.TRAINING_PARTICIPANTS})


NOUN = alternation(_NOUNS)
_NOUN_AFTER = re.compile(
    rf"\s*(?:(?:lượt|mô hình|đơn vị)\s+)?(?P<nu>nữ\s+)?(?P<noun>{NOUN})(?!\w)")
_COUNTED_BEFORE = re.compile(rf"\b(?:tổng )?số(?: lượng)?\s+(?P<noun>{NOUN})(?!\w)")
_CONTEXT = re.compile(r"\b(?P<jobs>việc làm)\b|\b(?P<training>tập huấn|đào tạo|bồi dưỡng"
                      r"|dạy nghề|học nghề|truyền nghề)\b")
_JOINS = re.compile(r"^\s*(?:đã |sẽ |được |đều )*tham gia (?:làm thành viên|vào|các|htx"
                    r"|hợp tác xã|tổ hợp tác|tht)\b")
_OCOP_SENTENCE = re.compile(r"\bocop\b|\bsao\b|mỗi xã một sản phẩm")
# "hội viên" of the Women's Union are women: where the sentence names the Union
_WOMENS_UNION = re.compile(r"\bphụ nữ\b|\blhpn\b")


@dataclass(frozen=True)
class Noun:
    """The noun a figure counts; ``subject`` None: a bare person noun ("người", "chị em")."""

    start: int
    end: int
    subject: Subject | None
    person: bool
    women: bool


def noun_after(low: str, at: int) -> Noun | None:
    """The lexicon noun right after position ``at`` of the lower-cased sentence."""
    m = _NOUN_AFTER.match(low, at)
    if m is None:
        return None
    subject, person, women = _NOUNS[m["noun"]]
    if subject is S.OCOP_PRODUCTS and not _OCOP_SENTENCE.search(low):
        return None  # "20 tấn sản phẩm", "3 sản phẩm chủ lực": not OCOP products
    women = women or bool(m["nu"]) or (m["noun"] == "hội viên" and bool(_WOMENS_UNION.search(low)))
    return Noun(m.start("noun"), m.end(), subject, person, women)


def counted_before(segment: str) -> re.Match | None:
    """The last "số <noun>" of a segment: "Số HTX do phụ nữ làm giám đốc là 58"."""
    found = list(_COUNTED_BEFORE.finditer(segment))
    return found[-1] if found else None


def noun_subject(noun: str) -> Subject | None:
    return _NOUNS[noun][0]


def resolve_noun(noun: Noun, before: str, after: str) -> Subject | None:
    """What a person noun counts here: the nearest jobs or training word before the figure,
    else one after it ("... được tập huấn", "... tham gia làm thành viên")."""
    if not noun.person or noun.subject in FIXED_SUBJECTS:
        return noun.subject
    found = list(_CONTEXT.finditer(before)) or list(_CONTEXT.finditer(after))
    if found:
        return S.JOBS if found[-1]["jobs"] else S.TRAINING_PARTICIPANTS
    if _JOINS.match(after):
        return S.MEMBERS
    return noun.subject


_MONEY = {
    "thu nhập": S.INCOME, "mức lương": S.INCOME, "tiền lương": S.INCOME, "lương": S.INCOME,
    "doanh thu": S.REVENUE, "doanh số": S.REVENUE, "thu về": S.REVENUE, "thu được": S.REVENUE,
    "hỗ trợ": S.SUPPORT_VALUE, "vốn vay": S.SUPPORT_VALUE, "cho vay": S.SUPPORT_VALUE,
    "giải ngân": S.SUPPORT_VALUE, "tài trợ": S.SUPPORT_VALUE, "kinh phí": S.SUPPORT_VALUE,
    "vốn": S.SUPPORT_VALUE, "ủy thác": S.SUPPORT_VALUE, "trao tặng": S.SUPPORT_VALUE,
    # money that is none of the indicators: it ends the reach of the keywords before it
    "lợi nhuận": None, "lãi": None, "lãi ròng": None, "vốn điều lệ": None, "vốn góp": None,
    "tài sản": None, "giá trị sản xuất": None, "kim ngạch": None, "ngân sách": None,
    "giá": None, "dư nợ": None, "tiết kiệm": None, "đầu tư": None,
}
_MONEY_WORD = re.compile(rf"(?<!\w)(?:{alternation(_MONEY)})(?!\w)")
_MONEY_RIGHT_AFTER = re.compile(rf"\s*(?:{alternation(_MONEY)})(?!\w)")


def money_subject(before: str, after: str) -> tuple[Subject | None, int]:
    """The subject of a sum and where its keyword starts in ``before`` (len: after it)."""
    m = _MONEY_RIGHT_AFTER.match(after)
    if m is not None:
        return _MONEY[m.group().strip()], len(before)
    found = list(_MONEY_WORD.finditer(before))
    if not found:
        return None, len(before)
    return _MONEY[found[-1].group()], found[-1].start()
