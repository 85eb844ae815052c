"""Sentences of an article with their character offsets, each also in NFC for matching.

Pages mix precomposed and decomposed Vietnamese; matching runs on NFC, but the offsets
must index the text as given, so every sentence keeps a map from NFC positions back.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# A full stop ends a sentence when a capital, digit or quote follows after a space; not
# after a short abbreviation ("TP. Hà Nội", "ThS. Lan") or an initial ("Nguyễn T. Hoa").
_END = re.compile(r"[.!?…]+[\"”’)]*(?:(?=\s)|$)|\n")
_NEXT = re.compile(r"\s*[\"“‘(\-–•]?\s*(\S|$)")
_ABBREVIATION = re.compile(r"(?:^|[\s(])(?:TP|Tp|ThS|TS|PGS|GS|BS|KS|CN|Q|P|TX|TT|[A-ZĐ])$")


@dataclass(frozen=True)
class Sentence:
    """``text`` is ``given[start:end]``; ``norm`` is its NFC form, ``pos`` maps back."""

    start: int
    end: int
    text: str
    norm: str
    pos: tuple[int, ...]  # pos[i]: offset in ``text`` of norm[i]; pos[len(norm)] == len(text)

    def span(self, a: int, b: int) -> tuple[int, int]:
        """Offsets in the given text of ``norm[a:b]``."""
        return self.start + self.pos[a], self.start + self.pos[b]


def _nfc_with_positions(s: str) -> tuple[str, tuple[int, ...]]:
    """NFC of ``s``, composed cluster by cluster (a starter and its combining marks)."""
    out: list[str] = []
    pos: list[int] = []
    i = 0
    while i < len(s):
        j = i + 1
        while j < len(s) and unicodedata.combining(s[j]):
            j += 1
        cluster = unicodedata.normalize("NFC", s[i:j])
        out.append(cluster)
        pos.extend([i] * len(cluster))
        i = j
    pos.append(len(s))
    return "".join(out), tuple(pos)


def split_sentences(text: str) -> list[Sentence]:
    """Split on sentence ends and line breaks; whitespace around a sentence is left out."""
    sentences = []
    begin = 0
    for m in _END.finditer(text):
        if m.group() != "\n" and not _starts_sentence(text, m.end()):
            continue
        if m.group() != "\n" and _ABBREVIATION.search(text, 0, m.start()):
            continue
        sentences.append(_sentence(text, begin, m.end()))
        begin = m.end()
    sentences.append(_sentence(text, begin, len(text)))
    return [s for s in sentences if s is not None]


def _starts_sentence(text: str, at: int) -> bool:
    nxt = _NEXT.match(text, at).group(1)
    return not nxt or nxt.isupper() or nxt.isdigit()


def _sentence(text: str, a: int, b: int) -> Sentence | None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if a == b:
        return None
    norm, pos = _nfc_with_positions(text[a:b])
    return Sentence(a, b, text[a:b], norm, pos)
