"""The extractor's output: one article, whichever path (site rules or fallback) produced it."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Literal

DateSource = Literal["jsonld", "meta", "visible", "feed", "url"]

# Quality flags an Article may carry.
BODY_INCOMPLETE = "body_incomplete"  # part of the body was an undecodable/encoded blob
NO_DATE = "no_date"  # no publication date anywhere on the page
FUTURE_DATE_REJECTED = "future_date_rejected"  # a date later than the fetch was ignored
DATE_CONFLICT = "date_conflict"  # structured date disagreed with the visible one
RULES_MISSED = "rules_missed"  # site rules found no body; the fallback path ran
EMPTY_BODY = "empty_body"  # no body text at all


@dataclass(frozen=True)
class Image:
    src: str
    caption: str | None = None


@dataclass
class Article:
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

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: datetimes in ISO 8601 with their +07:00 offset."""
        out = asdict(self)
        for key in ("published_at", "modified_at"):
            value = out[key]
            out[key] = value.isoformat() if value else None
        return out

    def to_json(self, **kw: Any) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, **kw)
