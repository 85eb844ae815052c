"""From an article's text to its indicators: every figure that counts or values a subject
of the lexicon, with its attributes, qualifier, date and sentence offsets.

A sentence is read clause by clause (";"), segment by segment (",", ":", brackets). A
segment that begins with a figure or a noun continues a list ("thành lập 4 HTX, 11 tổ
hợp tác"), so it shares the verb before it. A figure without a noun of its own takes the
subject of the figure it details ("312 HTX, trong đó 58 do phụ nữ làm chủ") or of the
"số <noun>" it answers ("Số HTX do nữ làm giám đốc là 58").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

from scrapers.indicators.attributes import NEW, Attributes, attributes_in
from scrapers.indicators.model import Indicator, Subject
from scrapers.indicators.numbers import Kind, Quantity, find_quantities
from scrapers.indicators.provinces_in_text import Province, provinces_in_text
from scrapers.indicators.qualifiers import explicit_as_of, qualify
from scrapers.indicators.sentences import Sentence, split_sentences
from scrapers.indicators.subjects import (
    FIXED_SUBJECTS,
    NOUN,
    ORGANISATIONS,
    PERSON_SUBJECTS,
    counted_before,
    money_subject,
    noun_after,
    noun_subject,
    resolve_noun,
)
from scrapers.indicators.topics import tag_topics

S = Subject
_BOUNDARY = re.compile(r"[,;:()]")
_CONTINUES = re.compile(rf"\s*(?:\d|(?:hơn|trên|gần|khoảng|ít nhất|hàng|hằng|một|hai|ba|bốn"
                        rf"|năm|sáu|bảy|tám|chín|mười)\s|(?:{NOUN})(?!\w))")
_TRONG_DO = re.compile(r"\btrong đó\b")
_CHANGE_BEFORE = re.compile(r"\b(?:tăng|giảm)(?: thêm)?\s*$")
_FROM_TO_LEVEL = re.compile(r"\s+lên\b")
_CHIEM = re.compile(r"\bchiếm\s*$")
_SHARE_LEAD = re.compile(r"\W*(?:(?:trong đó|hiện nay|hiện có|hiện|tỷ lệ|tỉ lệ|phấn đấu"
                         r"|mục tiêu|đến năm \d{4}|có)\b\W*)*")
_SHARE_TAIL = re.compile(r"(?:\s*\b(?:chiếm|đạt|là|tăng|giảm|vượt|có|bằng|lên|ở mức))*\W*$")
_AFTER_LEAD = re.compile(r"\W*(?:số|các|những)\s+")
_NOT_A_SHARE_OF = re.compile(r"^\W*(?:so với|trở lên|$)")
# "cho 450 lao động nữ, ... có trên 85% có việc làm": a verb after the share, no noun, so
# the share counts the figure before it
_VERB_LED = re.compile(r"\s*(?:có|được|đã|đều)\b")
_RATE = re.compile(r"\blãi suất\b")
_RELEVANT = re.compile(rf"(?<!\w)(?:{NOUN}|ocop|thu nhập|doanh thu|việc làm)(?!\w)")
_NEW_IN_CONTEXT = ORGANISATIONS | {S.JOBS, S.OCOP_PRODUCTS}
_SHARE_OF_WORDS = 12


def extract_indicators(text: str, article_date: date, province_code: str | None = None, *,
                       title: str = "",
                       provinces: Mapping[str, Province] | None = None) -> list[Indicator]:
    """The indicators of an article, in text order; none unless ``tag_topics`` tags it.

    ``provinces`` (code → Province, see ``province_table``) turns on the detection of the
    province the text names: the sentence's own, else the one the article names most.
    """
    if not tag_topics(title, text):
        return []
    table = provinces or {}
    named = provinces_in_text(f"{title}\n{text}", table)
    found = []
    for sentence in split_sentences(text):
        in_sentence = provinces_in_text(sentence.norm, table) or named
        code = in_sentence[0] if in_sentence else None
        where = (province_code, code, table[code].successor_code if code else None)
        found += _SentenceReader(sentence, article_date).indicators(where)
    return found


@dataclass(frozen=True)
class _Draft:
    q: Quantity
    subject: Subject
    attrs: Attributes
    phrase: tuple[int, int]  # where the attributes were read (a following share may need it)
    noun_end: int | None = None
    share_of: tuple[int, int] | None = None


class _SentenceReader:
    """The figures of one sentence, resolved against each other."""

    def __init__(self, sentence: Sentence, article_date: date) -> None:
        self.sentence = sentence
        self.s = sentence.norm
        self.low = "".join(c if len(c.lower()) != 1 else c.lower() for c in self.s)
        self.date = article_date
        self.quantities = find_quantities(self.s)
        cuts = [m.start() for m in _BOUNDARY.finditer(self.low)]
        self.segments = list(zip([0, *[c + 1 for c in cuts]], [*cuts, len(self.low)],
                                 strict=True))
        semis = [i for i, c in enumerate(self.low) if c == ";"]
        self.clauses = list(zip([0, *[c + 1 for c in semis]], [*semis, len(self.low)],
                                strict=True))
        self.continues = [bool(_CONTINUES.match(self.low, a)) for a, _ in self.segments]

    def indicators(self, where: tuple[str | None, str | None, str | None]) -> list[Indicator]:
        drafts: list[_Draft] = []
        for i, q in enumerate(self.quantities):
            draft = self._draft(q, i, drafts)
            if draft is not None:
                drafts.append(draft)
        as_of = explicit_as_of(self.low) or self.date
        return [self._indicator(d, as_of, where) for d in _share_modifiers(drafts, self.low)]

    # -- where a figure stands
    def _segment(self, at: int) -> int:
        return next(i for i, (a, b) in enumerate(self.segments) if a <= at < b or b == at)

    def _clause(self, at: int) -> tuple[int, int]:
        return next(c for c in self.clauses if c[0] <= at <= c[1])

    def _context_start(self, seg: int) -> int:
        """Start of the list a segment belongs to: its verb is said there."""
        while seg > 0 and self.continues[seg]:
            seg -= 1
        return self.segments[seg][0]

    def _window_end(self, i: int, seg: int) -> int:
        """Where the words describing figure ``i`` stop: the next figure, or the list's end."""
        end = self.segments[seg][1]
        while seg + 1 < len(self.segments) and self.continues[seg + 1]:
            seg += 1
            end = self.segments[seg][1]
        if i + 1 < len(self.quantities):
            end = min(end, self.quantities[i + 1].start)
        return end

    # -- one figure
    def _draft(self, q: Quantity, i: int, drafts: list[_Draft]) -> _Draft | None:
        seg = self._segment(q.num_start)
        ctx = self._context_start(seg)
        end = max(q.end, self._window_end(i, seg))
        if q.kind is Kind.PERCENT:
            return self._share(q, seg, end, drafts)
        if q.value is not None and q.low is None and self.low.startswith("từ", q.start) \
                and _FROM_TO_LEVEL.match(self.low, q.end):
            return None  # "tăng từ 3 triệu lên 5 triệu": the earlier level
        if q.kind is Kind.MONEY:
            return self._money(q, ctx, end)
        return self._count(q, seg, ctx, end, drafts)

    def _money(self, q: Quantity, ctx: int, end: int) -> _Draft | None:
        clause = self._clause(q.start)
        subject, at = money_subject(self.low[clause[0]:q.start], self.low[q.end:end])
        if subject is None:
            return None
        start = min(ctx, clause[0] + at)
        attrs = attributes_in(self.low[start:q.start] + " " + self.low[q.end:end])
        return _Draft(q, subject, replace(attrs, new=False), (start, end))

    def _count(self, q: Quantity, seg: int, ctx: int, end: int,
               drafts: list[_Draft]) -> _Draft | None:
        low = self.low
        seg_before = low[self.segments[seg][0]:q.start]
        details = bool(_TRONG_DO.search(seg_before))
        noun = noun_after(low, q.end)
        counted = counted_before(seg_before)
        prev = next((d for d in reversed(drafts) if d.q.kind is Kind.COUNT), None)
        subject = resolve_noun(noun, low[ctx:q.start], low[noun.end:end]) if noun else None
        phrase = (noun.start, end) if noun else (q.end, end)
        if subject is None:
            if prev and (details or _CHANGE_BEFORE.search(seg_before)) and (
                    noun is None or prev.subject in PERSON_SUBJECTS):
                subject = prev.subject
            elif counted is not None:
                subject = noun_subject(counted["noun"])
                phrase = (self.segments[seg][0] + counted.start("noun"), end)
            if subject is None:
                return None
        elif details and noun.person and prev and prev.subject in PERSON_SUBJECTS \
                and subject not in FIXED_SUBJECTS:
            subject = prev.subject  # "... việc làm cho 2.300 lao động, trong đó 1.600 lao động nữ"
        attrs = attributes_in(low[phrase[0]:phrase[1]])
        if counted is not None and noun_subject(counted["noun"]) == subject:
            attrs = attrs.union(attributes_in(seg_before[counted.start("noun"):]))
        if noun is not None and noun.women:
            attrs = replace(attrs, women=True)
        if subject in _NEW_IN_CONTEXT and NEW.search(low, ctx, q.start):
            attrs = replace(attrs, new=True)
        if details:
            whole = next((d for d in reversed(drafts) if d.subject == subject), None)
            attrs = attrs.union(whole.attrs) if whole else attrs
        if subject is S.OCOP_PRODUCTS:
            attrs = replace(attrs, ocop=False)
        return _Draft(q, subject, attrs, phrase, noun.end if noun else None)

    def _share(self, q: Quantity, seg: int, end: int, drafts: list[_Draft]) -> _Draft | None:
        low = self.low
        clause = self._clause(q.start)
        if low.startswith("/", q.end) or _RATE.search(low, clause[0], q.start) \
                or not _RELEVANT.search(low, clause[0], clause[1]):
            return None  # "lãi suất 0,6%/tháng" is a rate; "GRDP tăng 8%" is not ours
        after = (q.end, end)
        if _NOT_A_SHARE_OF.match(low[q.end:end]):
            after = None
        else:
            lead = _AFTER_LEAD.match(low, q.end)
            after = (lead.end() if lead else q.end, end)
        seg_start = self.segments[seg][0]
        lead = _SHARE_LEAD.match(low, seg_start, q.start)
        tail = _SHARE_TAIL.search(low, lead.end(), q.start)
        before = (lead.end(), tail.start()) if tail.start() > lead.end() else None
        prev = drafts[-1] if drafts else None
        numerator = before if _CHIEM.search(low, seg_start, q.start) else after or before
        if after is not None and prev is not None and _VERB_LED.match(low, after[0]):
            attrs = prev.attrs.union(attributes_in(low[after[0]:after[1]]))
        elif numerator is not None:
            attrs = attributes_in(low[numerator[0]:numerator[1]])
        elif prev is not None:
            attrs, numerator = prev.attrs, prev.share_of or prev.phrase
        else:
            attrs = Attributes()
        return _Draft(q, S.SHARE, replace(attrs, ocop_stars=None), numerator or (q.end, q.end),
                      share_of=after or numerator)

    # -- the result
    def _indicator(self, d: _Draft, as_of: date,
                   where: tuple[str | None, str | None, str | None]) -> Indicator:
        q, low = d.q, self.low
        qual = qualify(low, self._clause(q.start), q.start, q.end,
                       self.segments[self._segment(q.num_start)][1], self.date.year)

        def signed(v):
            return None if v is None else v * qual.sign

        start, end = self.sentence.span(q.start, q.end)
        return Indicator(
            subject=d.subject, value=signed(q.value), low=signed(q.low), high=signed(q.high),
            total=q.total, unit=q.unit, approx=q.approx, qualifier=qual.qualifier,
            target_year=qual.target_year, change_period=self._text(qual.change_span),
            as_of=as_of, women=d.attrs.women, new=d.attrs.new, ocop=d.attrs.ocop,
            ocop_stars=d.attrs.ocop_stars, ethnic_minority=d.attrs.ethnic_minority,
            value_chain=d.attrs.value_chain,
            share_of=self._text(d.share_of) if d.subject is S.SHARE else None,
            sentence=self.sentence.text, start=self.sentence.start, end=self.sentence.end,
            mention_start=start, mention_end=end, province_code=where[0],
            text_province_code=where[1], text_province_successor_code=where[2])

    def _text(self, span: tuple[int, int] | None) -> str | None:
        """The original-case words of a span, at most a dozen."""
        if span is None:
            return None
        words = self.s[span[0]:span[1]].strip(" ,;:.()").split()
        return " ".join(words[:_SHARE_OF_WORDS]) or None


def _share_modifiers(drafts: list[_Draft], low: str) -> list[_Draft]:
    """In "27 HTX và 64 tổ hợp tác do phụ nữ làm chủ" the modifier is said once, for both."""
    out = list(drafts)
    for i in range(len(out) - 2, -1, -1):
        a, b = out[i], out[i + 1]
        if a.noun_end is None or not {a.subject, b.subject} <= ORGANISATIONS:
            continue
        if re.fullmatch(r"\s*(?:,|và|hoặc|cùng)\s*", low[a.noun_end:b.q.start]):
            said = Attributes(women=b.attrs.women, ocop=b.attrs.ocop,
                              ethnic_minority=b.attrs.ethnic_minority,
                              value_chain=b.attrs.value_chain)
            out[i] = replace(a, attrs=a.attrs.union(said))
    return out
