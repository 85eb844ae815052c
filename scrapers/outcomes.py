"""Typed outcomes: what a fetch can end in, what state a URL is in, and what follows.

One table (``ERROR_RULES``) says for every error kind whether a later run should try the
URL again, which state the URL takes and under which key a step counts it, so the fetch
step, discovery and the run summary read the same answer. The values are the strings the
schema's CHECK constraints allow; ``StrEnum`` members compare equal to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ErrorKind(StrEnum):
    """Why an HTTP exchange gave no usable body (``fetches.error_kind``)."""

    TIMEOUT = "timeout"
    CONNECTION = "connection"
    TOO_LARGE = "too_large"
    HTTP_4XX = "http_4xx"
    HTTP_5XX = "http_5xx"
    ROBOTS = "robots"
    REDIRECT_LOOP = "redirect_loop"
    BAD_SCHEME = "bad_scheme"
    BLOCKED_ADDRESS = "blocked_address"
    DECODE = "decode"
    TRUNCATED = "truncated"


class UrlState(StrEnum):
    """Where a URL of the frontier stands (``urls.state``)."""

    NEW = "new"
    FETCHED = "fetched"
    FAILED = "failed"  # retried by later runs, with growing delays, up to max_attempts
    SKIPPED = "skipped"  # robots.txt forbids it: final
    GONE = "gone"  # 404/410, or redirected off the article pages: final
    DUPLICATE = "duplicate"  # its rel=canonical names another known URL: final


class FetchOutcome(StrEnum):
    """``fetches.outcome``: one per HTTP exchange."""

    OK = "ok"
    NOT_MODIFIED = "not_modified"
    ERROR = "error"
    SKIPPED = "skipped"


class CountKey(StrEnum):
    """The keys a fetch batch counts its URLs under (``FetchCounts``)."""

    FETCHED = "fetched"
    NOT_MODIFIED = "not_modified"
    GONE = "gone"
    SKIPPED_ROBOTS = "skipped_robots"
    DUPLICATE_URL = "duplicate_url"
    FAILED = "failed"


@dataclass(frozen=True)
class ErrorRule:
    retryable: bool  # worth another run (the URL's next_try_at backs off)
    state: UrlState  # the URL's state after this error
    count: CountKey  # where a fetch batch counts it


_RETRY = ErrorRule(True, UrlState.FAILED, CountKey.FAILED)
ERROR_RULES: dict[ErrorKind, ErrorRule] = {
    ErrorKind.ROBOTS: ErrorRule(False, UrlState.SKIPPED, CountKey.SKIPPED_ROBOTS),
    **{kind: _RETRY for kind in ErrorKind if kind is not ErrorKind.ROBOTS},
}
GONE_STATUSES = frozenset({404, 410})
_GONE = ErrorRule(False, UrlState.GONE, CountKey.GONE)


def error_rule(kind: ErrorKind | str, status: int | None = None) -> ErrorRule:
    """What follows from a failed fetch: 404/410 close the URL as gone, robots skips it,
    everything else is retried by later runs."""
    kind = ErrorKind(kind)
    if kind is ErrorKind.HTTP_4XX and status in GONE_STATUSES:
        return _GONE
    return ERROR_RULES[kind]


def fetch_outcome(kind: ErrorKind | str | None, *, not_modified: bool = False) -> FetchOutcome:
    """The ``fetches.outcome`` of an exchange."""
    if not_modified:
        return FetchOutcome.NOT_MODIFIED
    if kind is None:
        return FetchOutcome.OK
    return FetchOutcome.SKIPPED if ErrorKind(kind) is ErrorKind.ROBOTS else FetchOutcome.ERROR


class ArticleChange(StrEnum):
    """What storing an extracted article did to its row."""

    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


class DupKind(StrEnum):
    """How an article matched an earlier one (``articles.dup_kind``)."""

    EXACT = "exact"
    NEAR = "near"
    TITLE = "title"
