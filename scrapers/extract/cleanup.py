"""Vietnamese post-processing shared by both paths: boilerplate lines, captions and photo
credits, lead prefixes, bylines, encoded blobs, and telling the paper's name from a person's.

Every function takes text that has already been through ``clean_text`` (NFC, no NBSP).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from scrapers.text import clean_text, nfc

# Whole lines that are page furniture, not article text (matched case-insensitively): a
# heading of a box ("Tin liên quan", "Xem thêm: <link>") or a widget label ("Bình luận (0)").
_LEAD_IN = (r"(?:(?:các|những)\s+)?(?:tin|bài|bài\s+viết)\s+(?:liên\s+quan|cùng\s+chuyên\s+mục"
            r"|mới\s+nhất|mới|đọc\s+nhiều|khác|đã\s+đưa)|xem\s+thêm|đọc\s+thêm|xem\s+tiếp"
            r"|chia\s+sẻ(?:\s+bài\s+viết)?|tags?|từ\s+khóa|từ\s+khoá|chủ\s+đề")
_WIDGETS = (r"bình\s+luận(?:\s*\(\d+\))?|ý\s+kiến\s+bạn\s+đọc|gửi\s+bình\s+luận|in\s+bài"
            r"|gửi\s+bài|lưu\s+bài|bản\s+in|responsive\s+image|ảnh\s+minh\s+họa|ảnh\s+minh\s+hoạ"
            r"|trang\s+chủ|về\s+đầu\s+trang|quay\s+lại|theo\s+dõi\s+chúng\s+tôi.*|facebook|zalo")
_BOILERPLATE = re.compile(rf"^(?:(?:{_LEAD_IN})(?:\s*[:>»].*)?|(?:{_WIDGETS})\s*[.:]?)$", re.I)
# Pagination glyph rows such as "<< < 1 2 > >>" or "« ‹ 1 › »".
_PAGINATION = re.compile(r"^(?=.*[<>«»‹›])[<>«»‹›\s\d|.…]+$")
_PAGINATION_MARKS = "<>«»‹›|.…"  # with spaces and digits, what such a row may start with
# A line made only of a date, a time and their usual words ("Thứ Năm, 09/01/2025 | 10:15
# (GMT+7) Lượt xem: 532", "15/03/2025 - 07:40"): the page's date line, not text.
_DATELINE = re.compile(r"^(?:[\W\d_]|thứ\s+\w+|chủ\s+nhật|cập\s+nhật|ngày|lúc|đăng|gmt|utc"
                       r"|lượt\s+xem|\b(?:sa|ch|am|pm)\b)+$", re.I)
_HAS_DATE = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}")
# Ad placeholders and alt text that leak into text, wherever they sit in a line.
_GE = ("ge", "gE", "Ge", "GE")
_INLINE_JUNK = re.compile(r"\[\s*quảng\s+cáo(?:\s+\d+)?\s*\]|\bresponsive image\b", re.I)
# A caption or a photo credit: a line that is only a credit ("Ảnh: Reuters."), or a short
# line that ends with one after a sentence or an opening bracket.
_CREDIT = r"(?:ảnh|nguồn\ ảnh|nguồn|ảnh\ minh\ họa|ảnh\ tư\ liệu|ảnh\ chụp\ màn\ hình|video|clip)"
_CAPTION = re.compile(
    rf"""(?:^|[.!?…]\s+|[(\[]\s*)(?:{_CREDIT})\s*:\s*[^.()\[\]]{{1,60}}?[.)\]]?\s*\.?$""",
    re.I | re.X)
_CAPTION_MAX = 300

# Role words before a byline's names: "Tin, ảnh: P.Y", "Bài và ảnh: Thanh Nhị", "PV: ...".
# A line that starts with "Ảnh:" alone is a photo credit, not a byline.
WRITER = r"(?:tin|bài|bài\s+viết|thực\s+hiện|ghi\s+chép|nhóm\s+pv|pv|ctv|nhóm\s+phóng\s+viên)"
MEDIA = r"(?:ảnh|video|clip|đồ\s+họa|thiết\s+kế)"
ROLE_SEP = r"\s*(?:,|và|&|\+|/|-)\s*"
_BYLINE_ROLE = re.compile(
    rf"^{WRITER}(?:{ROLE_SEP}(?:tin|bài|{MEDIA}))*\s*:\s*(?P<name>\S.{{0,70}})$", re.I)
NAME_SEP = re.compile(r"\s*(?:\s[-–—]\s|[,;/&]|\svà\s)\s*")
_NOT_NAME = re.compile(r"[\W_]+")
_PAREN_TAIL = re.compile(r"\s*\([^()]{1,30}\)$")
_BYLINE_MAX = 80

# Base64 runs long enough to be an encoded body part, not a word or a URL.
_BLOB = re.compile(r"[A-Za-z0-9+/]{120,}={0,2}")
_BLOB_MIN = 120
# A source in brackets or an acronym, then a dash: "(Baothanhhoa.vn) - ", "PTO- ", "(CTO) - "
GENERIC_LEAD_PREFIXES = (
    re.compile(r"^\s*\((?:[^()]{2,40})\)\s*[-–—:]\s*"),
    re.compile(r"^\s*[A-ZĐ]{2,6}\s*[-–—]\s*(?=\S)"),
)
# National outlets a provincial paper credits when it republishes ("Theo Dân trí"): their
# names read like a person's, so they are known by name.
_OUTLETS = (r"dân\s+trí|vnexpress|tuổi\s+trẻ|thanh\s+niên|nhân\s+dân|vietnamplus|vietnamnet"
            r"|tiền\s+phong|(?:người\s+)?lao\s+động|znews|zing\s+news|vtc\s+news|vtv\s+news"
            r"|quân\s+đội\s+nhân\s+dân|công\s+an\s+nhân\s+dân|sài\s+gòn\s+giải\s+phóng"
            r"|hà\s+nội\s+mới|pháp\s+luật\s+tp\.?\s*hcm|chính\s+phủ|baomoi|báo\s+mới")
_PAPER_WORDS = re.compile(r"^(?:báo|tạp\s+chí|đài\s+(?:phát\s+thanh|truyền\s+hình|pt)"
                          r"|cổng\s+thông\s+tin|trang\s+tin|tòa\s+soạn"
                          r"|toà\s+soạn|ban\s+biên\s+tập|thông\s+tấn\s+xã)\b"
                          r"|\.(?:vn|com|net|org)\b|^(?:ttxvn|vtv|vov)$"
                          rf"|^(?:{_OUTLETS})$", re.I)


class Para(NamedTuple):
    """A body paragraph and whether it was set apart (bold, or right-aligned) in the page.
    A tuple: a page makes dozens, and a frozen dataclass costs several times as much to
    make."""

    text: str
    emphasized: bool = False


def strip_inline_junk(line: str) -> str:
    # Either junk needs a "[" or the letters "mage" (no other letter folds to them), so "ge"
    # in some case, which Vietnamese never writes: substring tests spare a case-insensitive
    # search (and a lower-cased copy) of every line.
    if ("[" in line or (any(map(line.__contains__, _GE)) and "mage" in line.lower())) \
            and _INLINE_JUNK.search(line):
        return clean_text(_INLINE_JUNK.sub(" ", line))
    return line


def _pagination_start(line: str) -> bool:
    """Whether ``line`` can start a pager row: the row's pattern would otherwise look
    through the whole line before it fails."""
    first = line[:1]
    return bool(first) and (first in _PAGINATION_MARKS or first.isspace() or first.isdecimal())


def is_boilerplate(line: str) -> bool:
    return bool(_BOILERPLATE.match(line)
                or (_pagination_start(line) and _PAGINATION.match(line))
                or (_DATELINE.match(line) and _HAS_DATE.search(line)))


def is_caption(line: str) -> bool:
    # every credit is followed by a colon
    return len(line) <= _CAPTION_MAX and ":" in line and bool(_CAPTION.search(line))


def remove_blobs(text: str) -> tuple[str, bool]:
    """Text without base64 blobs, and whether one was there."""
    if not has_blob(text):
        return text, False
    return clean_text(_BLOB.sub(" ", text)), True


def has_blob(text: str) -> bool:
    """A base64 run of ``_BLOB_MIN`` characters holds a whole stretch of half as many that
    starts at a multiple of its length; a text with a space in each such stretch (most
    lines) holds none, and is not searched (the regex tries every position)."""
    if len(text) < _BLOB_MIN:
        return False
    half = _BLOB_MIN // 2
    if all(" " in text[i:i + half] for i in range(0, len(text) - half + 1, half)):
        return False
    return bool(_BLOB.search(text))


def strip_lead_prefix(text: str, patterns: list[re.Pattern[str]]) -> str:
    """Remove the first matching source prefix: the site's own patterns, then generic ones."""
    for pattern in (*patterns, *GENERIC_LEAD_PREFIXES):
        stripped = pattern.sub("", text, count=1)
        if stripped != text:
            return stripped
    return text


def looks_like_name(s: str) -> bool:
    """One or more people: capitalised syllables or initials ("Lê Hà", "P.Y", "N.H - T.L")."""
    s = _PAREN_TAIL.sub("", s)
    names = [n for n in NAME_SEP.split(s) if n]
    if not names or len(s) > 60:
        return False
    for name in names:
        tokens = name.split()
        if not 1 <= len(tokens) <= 5:
            return False
        for tok in tokens:  # "Hà", "HOÀNG" or initials "P.Y"
            if not (tok.replace(".", "").isalpha() and (tok.istitle() or tok.isupper())):
                return False
    return True


def tidy_name(name: str) -> str:
    """Drop a sentence's closing full stop, but keep the one that ends initials ("P.Y.")."""
    name = name.strip()
    return name if "." in name.split()[-1].rstrip(".") else name.rstrip(".").strip()


def parse_byline(line: str, *, emphasized: bool) -> str | None:
    """The author named by a byline line, or None when the line is not a byline.

    "Tin, ảnh: P.Y" → "P.Y" whatever its styling; a bare name ("Lê Hà") only when the page
    sets it apart (bold or right-aligned), or when it is too short to be a sentence.
    """
    line = line.strip()
    if not line or len(line) > _BYLINE_MAX:
        return None
    m = _BYLINE_ROLE.match(line)
    if m:
        return tidy_name(m["name"]) if looks_like_name(m["name"]) else None
    if looks_like_name(line) and (emphasized or len(line.split()) <= 4):
        return tidy_name(line)
    return None


@lru_cache(maxsize=4096)
def _name_key(s: str) -> str:
    """Kept: a page compares every candidate name with the same few paper names."""
    return _NOT_NAME.sub("", nfc(s).lower())


def same_name(a: str, b: str) -> bool:
    """Names equal once case, diacritic composition and punctuation are set aside."""
    return bool(a and b) and _name_key(a) == _name_key(b)


def is_paper_name(name: str, known: list[str]) -> bool:
    """The paper (or a news agency) rather than a person: never an article's author."""
    return bool(_PAPER_WORDS.search(name)) or any(same_name(name, k) for k in known)
