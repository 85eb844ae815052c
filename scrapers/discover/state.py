"""What discovery remembers of each endpoint, and the store interface that keeps it.

An endpoint's state holds its validators (ETag, Last-Modified), the checksum and date range
of its last parsed body, when that was, and for a listing's first page the date ranges that
its walks have covered. Its parsed items are kept beside it, so that a run whose interval
the stored reads already cover asks the site for nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Protocol

from scrapers.discover.parsers import Candidate
from scrapers.http import FetchResult

Segment = tuple[datetime, datetime]


@dataclass(frozen=True)
class EndpointState:
    id: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    body_sha256: str | None = None
    items_oldest: datetime | None = None  # of the last parsed body
    items_newest: datetime | None = None
    parsed_at: datetime | None = None
    segments: tuple[Segment, ...] = ()  # listings: date ranges read without gaps

    @property
    def read(self) -> bool:
        return self.parsed_at is not None


@dataclass(frozen=True)
class EndpointRead:
    """One request to an endpoint, as the store keeps it: the state after it, whether the
    body was the same as before, what a parsed body listed, and the sitemap lastmod of the
    endpoint (from its index)."""

    kind: str
    url: str
    parent_url: str | None
    result: FetchResult
    state: EndpointState
    unchanged: bool
    items: list[Candidate] | None = None  # None: not parsed (304, failure)
    lastmod: datetime | None = None


class EndpointStore(Protocol):
    """Where endpoint state lives: ``scrapers.store.endpoints`` (Postgres, or in memory)."""

    def load(self, urls: list[str]) -> dict[str, EndpointState]: ...

    def save(self, read: EndpointRead) -> None: ...

    def save_segments(self, url: str, segments: tuple[Segment, ...]) -> None: ...

    def items(self, url: str, *, start: datetime | None = None, end: datetime | None = None,
              with_pages: bool = False) -> list[Candidate]:
        """Stored items of ``url`` (and of its pages: endpoints whose parent it is) whose
        hint lies in [start, end); all of them without bounds."""
        ...


def body_checksum(result: FetchResult) -> str | None:
    return hashlib.sha256(result.content).hexdigest() if result.content is not None else None


def after_read(state: EndpointState, result: FetchResult, *, items: list[Candidate] | None,
               now: datetime) -> tuple[EndpointState, bool]:
    """The endpoint's state after a request, and whether its body was unchanged."""
    if result.not_modified or not result.ok:
        return state, result.not_modified
    etag = result.headers.get("etag") or state.etag
    last_modified = result.headers.get("last-modified") or state.last_modified
    sha = body_checksum(result)
    if items is None:
        return replace(state, etag=etag, last_modified=last_modified), sha == state.body_sha256
    dates = [c.hint for c in items if c.hint is not None]
    new = replace(state, etag=etag, last_modified=last_modified, body_sha256=sha,
                  items_oldest=min(dates, default=None), items_newest=max(dates, default=None),
                  parsed_at=now)
    return new, sha == state.body_sha256


def merge_segments(segments: list[Segment]) -> tuple[Segment, ...]:
    """Overlapping or touching date ranges as one."""
    out: list[Segment] = []
    for lo, hi in sorted(segments):
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return tuple(out)


def covers(segments: tuple[Segment, ...], start: datetime, end: datetime) -> bool:
    """Whether one range holds all of [start, end)."""
    return any(lo <= start and end <= hi for lo, hi in segments)
