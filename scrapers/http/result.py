"""What a fetch yields: the result a caller reads, the error a step raises, one raw response.

Reads no settings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scrapers.outcomes import ErrorKind


@dataclass
class FetchResult:
    url: str  # requested URL (real host)
    final_url: str  # after redirects, expressed with the REAL host
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)  # names lower-cased
    content: bytes | None = None  # decompressed body
    text: str | None = None  # decoded, NFC-normalised body when textual
    encoding: str | None = None  # Python codec name, e.g. utf-8, cp1258
    decode_errors: int = 0  # body bytes shown as U+FFFD because the charset did not fit them
    elapsed_ms: int = 0  # time on the wire (pacing and backoff waits excluded)
    attempts: int = 0  # requests sent for this URL, retries and redirect hops included
    not_modified: bool = False  # 304 to a conditional GET
    error_kind: ErrorKind | None = None  # status kept if one came
    error: str | None = None
    redirects: list[str] = field(default_factory=list)  # each URL that answered a redirect

    @property
    def ok(self) -> bool:
        return self.error_kind is None


class FetchError(Exception):
    """One failed step of a fetch; ``retryable`` failures are worth another attempt."""

    def __init__(self, kind: ErrorKind, message: str, *, retryable: bool = False,
                 status: int | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.retryable = retryable
        self.status = status  # HTTP status of the response that failed, if one arrived


@dataclass
class Response:
    """One HTTP exchange as sent: the body is read only for 2xx answers."""

    status: int
    headers: dict[str, str]  # names lower-cased
    body: bytes | None
