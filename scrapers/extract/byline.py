"""Who wrote an article: the people a byline or an author field names, and only them.

Bylines mix names with credit words and with the paper itself: "Tin, ảnh: P.Y",
"Theo Hồ Hương", "Dân Trí; Tri Túc" (the paper credited first), "Lê Hà - Minh Anh",
"Minh Anh (tổng hợp)", "Lê Hà (TTXVN)", "Bài: Lê Hà; Ảnh: Minh Anh". Each is reduced to the
reporters' names ("Tri Túc"; "Lê Hà", "Minh Anh"); a credit that names nobody ("TH",
"Theo TTXVN", "PV") gives no author rather than a guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from scrapers.extract.cleanup import (
    MEDIA,
    NAME_SEP,
    ROLE_SEP,
    WRITER,
    is_paper_name,
    looks_like_name,
    tidy_name,
)
from scrapers.text import clean_text

_SEGMENTS = re.compile(r"\s*[;|]\s*")
_SOURCE = re.compile(r"^(?:theo|nguồn)\b\s*:?\s*", re.I)
_ROLES = re.compile(
    rf"^(?P<roles>(?:{WRITER}|{MEDIA})(?:{ROLE_SEP}(?:{WRITER}|{MEDIA}))*)\s*:\s*", re.I)
_MEDIA_ONLY = re.compile(rf"^{MEDIA}(?:{ROLE_SEP}{MEDIA})*$", re.I)
_BRACKETS = re.compile(r"\s*[(\[][^()\[\]]*[)\]]")
# Credits that stand for no one: "tổng hợp" (compiled), a generic reporter or editor.
_NOBODY = re.compile(r"^(?:th|tổng\s+hợp|pv|ctv|btv|phóng\s+viên|nhóm\s+(?:pv|phóng\s+viên)"
                     r"|admin|administrator|ban\s+biên\s+tập|bbt)$", re.I)


def _names(segment: str, papers: list[str]) -> list[str]:
    segment = _SOURCE.sub("", segment)
    m = _ROLES.match(segment)
    if m:
        if _MEDIA_ONLY.match(m["roles"]):
            return []  # a photo credit: the photographer is not the author
        segment = segment[m.end():]
    segment = _BRACKETS.sub("", segment)
    out = []
    for name in NAME_SEP.split(segment):
        name = name.strip(" -–—:")
        if name and (name := tidy_name(name)) and not _NOBODY.match(name) \
                and not is_paper_name(name, papers) and looks_like_name(name):
            out.append(name)
    return out


def pick_authors(candidates: Iterable[str | None], papers: list[str]) -> list[str]:
    """The people named by the first candidate (best source first) that names any."""
    for candidate in candidates:
        found: list[str] = []
        for segment in _SEGMENTS.split(clean_text(candidate)):
            found += [n for n in _names(segment, papers) if n not in found]
        if found:
            return found
    return []
