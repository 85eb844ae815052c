"""Choosing between readings of a page by how much they agree (after Bevendorff et al.,
SIGIR 2023: an ensemble of extractors beats each of them).

Two cheap readings always run. When they agree, or when one lies (almost) inside the
other, the text both saw is the article: the smaller reading wins, the words only the
larger one saw being its excursion into a teaser list, a headline or a newsletter box,
unless the smaller holds too little of the larger (then it has lost part of the story).
Only when the two read different parts of the page is a third reading asked for, and the
one the other two agree with most is taken.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from scrapers.extract.cleanup import Para
from scrapers.extract.generic.defaults import DEFAULTS, GenericDefaults

_WORD = re.compile(r"\w+")  # words without punctuation: readings glue punctuation differently


@dataclass
class Candidate:
    """A reading: its text, to compare, and its paragraphs, made only for the winner."""

    name: str
    text: str
    paragraphs: Callable[[], list[Para]]
    tokens: Counter[str] = field(init=False, repr=False)

    @classmethod
    def of(cls, name: str, paragraphs: list[Para]) -> Candidate:
        return cls(name, " ".join(p.text for p in paragraphs), lambda: paragraphs)

    def __post_init__(self) -> None:
        self.tokens = Counter(_WORD.findall(self.text.lower()))

    def shared(self, other: Candidate) -> int:
        return (self.tokens & other.tokens).total()

    def agreement(self, other: Candidate) -> float:
        """Dice overlap of the two token multisets (1: the same words)."""
        total = self.tokens.total() + other.tokens.total()
        return 2 * self.shared(other) / total if total else 1.0


def choose(first: Candidate, second: Candidate, third: Callable[[], Candidate],
           defaults: GenericDefaults = DEFAULTS) -> Candidate:
    """``first`` when the two agree; the smaller when nested; else the most agreed of all
    three (``third`` is only called then)."""
    if first.agreement(second) >= defaults.agree:
        return first
    small, large = sorted((first, second), key=lambda c: c.tokens.total())
    size = small.tokens.total()
    if size and small.shared(large) >= defaults.nested * size and (
            size >= defaults.nested_share * large.tokens.total()):
        return small
    candidates = [first, second, third()]
    return max(candidates, key=lambda c: sum(c.agreement(o) for o in candidates if o is not c))
