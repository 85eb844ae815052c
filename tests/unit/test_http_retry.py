"""scrapers.http.retry: error kinds of transport failures, backoff, Retry-After, the retry loop."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
import requests
import urllib3

from scrapers.http.result import FetchError, Response
from scrapers.http.retry import RetryPolicy, classify, parse_retry_after
from scrapers.outcomes import ErrorKind
from tests.httpserver import make_settings


def test_parse_retry_after() -> None:
    now = datetime(2024, 7, 5, 4, 19, tzinfo=UTC)
    assert parse_retry_after("120", now) == 120.0
    assert parse_retry_after(format_datetime(now + timedelta(seconds=30), usegmt=True), now) == 30
    assert parse_retry_after(format_datetime(now - timedelta(hours=1), usegmt=True), now) == 0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None


@pytest.mark.parametrize(("exc", "kind", "retryable"), [
    (requests.ConnectTimeout("slow"), ErrorKind.TIMEOUT, True),
    (requests.ConnectionError(urllib3.exceptions.ReadTimeoutError(None, "/", "late")),
     ErrorKind.TIMEOUT, True),
    (urllib3.exceptions.ReadTimeoutError(None, "/", "late"), ErrorKind.TIMEOUT, True),
    (TimeoutError(), ErrorKind.TIMEOUT, True),
    (requests.exceptions.ChunkedEncodingError("cut"), ErrorKind.TRUNCATED, True),
    (urllib3.exceptions.ProtocolError("Connection broken"), ErrorKind.TRUNCATED, True),
    (requests.exceptions.ContentDecodingError("gzip"), ErrorKind.DECODE, False),
    (urllib3.exceptions.DecodeError("gzip"), ErrorKind.DECODE, False),
    (requests.ConnectionError("refused"), ErrorKind.CONNECTION, True),
    (ConnectionResetError(), ErrorKind.CONNECTION, True),
    (requests.exceptions.SSLError("bad certificate"), ErrorKind.CONNECTION, False),
    (urllib3.exceptions.SSLError("bad record mac"), ErrorKind.CONNECTION, False),
])
def test_classify(exc: Exception, kind: ErrorKind, retryable: bool) -> None:
    error = classify(exc)
    assert (error.kind, error.retryable) == (kind, retryable)


def test_backoff_doubles_with_jitter_and_cap() -> None:
    policy = RetryPolicy(make_settings(backoff_base=0.1, retry_after_cap=1.0))
    for attempt, base in enumerate([0.1, 0.2, 0.4]):
        waits = [policy.backoff(attempt) for _ in range(200)]
        assert all(0.5 * base <= w < 1.5 * base for w in waits)
        assert len(set(waits)) > 1
    assert all(policy.backoff(10) == 1.0 for _ in range(20))


def test_retry_after_only_for_retryable_statuses_and_capped() -> None:
    policy = RetryPolicy(make_settings(retry_after_cap=0.3))
    assert policy.retry_after(Response(503, {"retry-after": "5"}, None)) == 0.3
    assert policy.retry_after(Response(429, {"retry-after": "0"}, None)) == 0.0
    assert policy.retry_after(Response(429, {}, None)) is None
    assert policy.retry_after(Response(404, {"retry-after": "5"}, None)) is None


def test_run_retries_transient_failures_only() -> None:
    policy = RetryPolicy(make_settings(max_retries=2, backoff_base=0.001))
    answers: list[Response | FetchError] = [
        FetchError(ErrorKind.TIMEOUT, "late", retryable=True), Response(502, {}, None),
        Response(200, {}, b"ok")]
    calls: list[int] = []

    def attempt() -> Response:
        calls.append(1)
        answer = answers[len(calls) - 1]
        if isinstance(answer, FetchError):
            raise answer
        return answer

    assert policy.run(attempt, "u").body == b"ok" and len(calls) == 3

    def refused() -> Response:
        calls.append(1)
        raise FetchError(ErrorKind.BLOCKED_ADDRESS, "private")

    calls.clear()
    with pytest.raises(FetchError):
        policy.run(refused, "u")
    assert len(calls) == 1

    calls.clear()
    assert policy.run(lambda: calls.append(1) or Response(500, {}, None), "u").status == 500
    assert len(calls) == 3
