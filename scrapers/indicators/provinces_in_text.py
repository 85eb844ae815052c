"""Provinces named in a text, for national papers whose articles carry no province.

Names are matched with their capitals ("Hòa Bình" the province, not "hòa bình" peace),
longest first ("Thừa Thiên Huế" before "Huế"). The table is passed in, so this stays pure;
``province_table.load_province_table`` reads it from include/provinces.csv.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Province:
    """One row of the provinces table: successor_code is the unit since 1 July 2025."""

    code: str
    name: str
    aliases: tuple[str, ...]
    successor_code: str


def provinces_in_text(text: str, table: Mapping[str, Province]) -> list[str]:
    """Codes of the provinces ``text`` names, most often named first (ties: first named)."""
    names = {unicodedata.normalize("NFC", n): p.code
             for p in table.values() for n in (p.name, *p.aliases)}
    if not names:
        return []
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(
        re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")(?!\w)")
    found = [names[m.group()] for m in pattern.finditer(unicodedata.normalize("NFC", text))]
    first = {code: i for i, code in reversed(list(enumerate(found)))}
    counts = Counter(found)
    return sorted(counts, key=lambda code: (-counts[code], first[code]))
