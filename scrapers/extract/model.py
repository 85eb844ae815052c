"""The extractor's output: one article, whichever path (site rules or fallback) produced it."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

DateSource = Literal["jsonld", "meta", "visible", "feed", "url"]


class Flag(StrEnum):
    """Quality flags an Article may carry; stored as their string values."""

    BODY_INCOMPLETE = "body_incomplete"  # part of the body was a blob that does not decode
    DECODED_BODY = "decoded_body"  # (part of) the body was encoded for the page's JS; decoded
    DECODED_TOO_LARGE = "decoded_too_large"  # a decoded body over the size limit was refused
    NO_DATE = "no_date"  # no publication date anywhere on the page
    FUTURE_DATE_REJECTED = "future_date_rejected"  # a date later than the fetch was ignored
    DATE_CONFLICT = "date_conflict"  # structured date disagreed with the visible one
    RULES_MISSED = "rules_missed"  # site rules found no body; the fallback path ran
    EMPTY_BODY = "empty_body"  # no body text at all
    TEASER_LIST = "teaser_list"  # the "body" is a list of links to other stories
    PAGINATION_PAGE = "pagination_page"  # the "body" is a pager: not an article at all


# The flags by their former module-level names, which other layers import.
BODY_INCOMPLETE = Flag.BODY_INCOMPLETE
NO_DATE = Flag.NO_DATE
FUTURE_DATE_REJECTED = Flag.FUTURE_DATE_REJECTED
DATE_CONFLICT = Flag.DATE_CONFLICT
RULES_MISSED = Flag.RULES_MISSED
EMPTY_BODY = Flag.EMPTY_BODY


class NotAnArticle(ValueError):
    """The page is clearly not an article (a teaser list, a pager): ``flag`` says which,
    ``article`` is what extraction made of it anyway."""

    def __init__(self, flag: Flag, detail: str, article: Article) -> None:
        super().__init__(f"{flag}: {detail}")
        self.flag = flag
        self.article = article


@dataclass(frozen=True)
class Image:
    src: str
    caption: str | None = None


@dataclass
class Article:
    """``author`` is ``authors`` joined with ", " (the text column the store keeps)."""

    title: str
    lead: str | None = None
    body: str = ""
    author: str | None = None
    published_at: datetime | None = None
    modified_at: datetime | None = None
    date_source: DateSource | None = None
    category: str | None = None
    tags: list[str] = field(default_factory=list)
    language: str | None = None
    canonical_url: str | None = None
    images: list[Image] = field(default_factory=list)
    word_count: int = 0
    extractor: str = ""
    extractor_version: str = ""
    flags: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: datetimes in ISO 8601 with their +07:00 offset."""
        out = asdict(self)
        for key in ("published_at", "modified_at"):
            value = out[key]
            out[key] = value.isoformat() if value else None
        return out

    def to_json(self, **kw: Any) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, **kw)
