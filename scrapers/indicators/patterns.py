"""One regex alternation for a word list, longest first, so that "liên hiệp HTX" wins over
"HTX" and "nghìn tỷ" over "nghìn"."""

from __future__ import annotations

import re
from collections.abc import Iterable


def alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
