"""Charset rules of scrapers.http.decoding: wrong headers, legacy pages, a few bad bytes."""

from __future__ import annotations

import random
import unicodedata

import pytest

from scrapers.http.decoding import (
    Tolerance,
    declared_charset,
    decode_text,
    header_charset,
    is_textual,
)
from scrapers.settings import Settings
from tests.httpserver import VI, tiny_png, to_cp1258

DEFAULT = Tolerance(Settings().decode_error_tolerance, Settings().decode_error_min_bytes)
PAGE = ("<html><body>" + f"<p>{VI}</p>" * 20 + "</body></html>").encode()


def damaged(body: bytes, bad: int) -> bytes:
    """``body`` with ``bad`` bytes that are never valid UTF-8 (0xFF), each after a space."""
    words = body.split(b" ")
    step = len(words) // (bad + 1)
    for i in range(1, bad + 1):
        words[i * step] = b"\xff" + words[i * step]
    return b" ".join(words)


@pytest.mark.parametrize(("body", "ctype", "text", "encoding"), [
    (VI.encode(), "text/html; charset=utf-8", VI, "utf-8"),
    (VI.encode(), "text/html; charset=us-ascii", VI, "utf-8"),
    (VI.encode(), None, VI, "utf-8"),
    (f'<meta charset="iso-8859-1">{VI}'.encode(), "text/html", f'<meta charset="iso-8859-1">{VI}',
     "utf-8"),
    (to_cp1258(VI), "text/html; charset=iso-8859-1", VI, "cp1258"),
    (to_cp1258(VI), "text/html; charset=windows-1258", VI, "cp1258"),
    ("café crème brûlée".encode("latin-1"), "text/plain; charset=iso-8859-1",
     "café crème brûlée", None),
    (b"\xef\xbb\xbf" + VI.encode(), "text/html; charset=iso-8859-1", VI, "utf-8-sig"),
    (f'<?xml version="1.0" encoding="windows-1258"?><rss>{VI}</rss>'.encode()
     .replace(VI.encode(), to_cp1258(VI)), "application/xml",
     f'<?xml version="1.0" encoding="windows-1258"?><rss>{VI}</rss>', "cp1258"),
])
def test_decode_text(body: bytes, ctype: str | None, text: str, encoding: str | None) -> None:
    for tolerance in (Tolerance(), DEFAULT):  # a clean body never needs the tolerance
        got = decode_text(body, ctype, tolerance)
        assert got.text == text and got.errors == 0
        assert encoding is None or got.encoding == encoding


def test_decode_text_gives_up() -> None:
    with pytest.raises(UnicodeError):
        decode_text(bytes(range(256)) * 4, "text/html; charset=utf-8")


def test_two_bad_bytes_in_declared_utf8_are_replaced_and_counted() -> None:
    body = damaged(PAGE, 2)
    got = decode_text(body, "text/html; charset=utf-8", DEFAULT)
    assert (got.encoding, got.errors, got.text.count("\ufffd")) == ("utf-8", 2, 2)
    assert got.text.replace("\ufffd", "") == PAGE.decode()
    with pytest.raises(UnicodeError):  # strict unless told
        decode_text(body, "text/html; charset=utf-8")


def test_tolerated_utf8_beats_a_generic_header() -> None:
    """A wrong ISO-8859-1 header must not turn a slightly damaged UTF-8 page into mojibake."""
    got = decode_text(damaged(PAGE, 1), "text/html; charset=iso-8859-1", DEFAULT)
    assert (got.encoding, got.errors) == ("utf-8", 1)
    assert VI in got.text


def test_tolerance_scales_with_the_body() -> None:
    tolerance = Tolerance(share=0.001, min_bytes=20)
    assert [tolerance.allowed(n) for n in (0, 1_000, 20_000, 100_000)] == [20, 20, 20, 100]
    many = damaged(PAGE, 21)  # over 20, and over 0.1% of these 2.4 kB
    with pytest.raises(UnicodeError):
        decode_text(many, "text/html; charset=utf-8", tolerance)
    assert decode_text(many, "text/html; charset=utf-8", Tolerance(0.01, 0)).errors == 21


@pytest.mark.parametrize("body", [tiny_png(), random.Random(7).randbytes(4096),
                                  bytes(range(256)) * 4],
                         ids=["png", "random", "all-bytes"])
def test_binary_served_as_html_is_refused(body: bytes) -> None:
    with pytest.raises(UnicodeError):
        decode_text(body, "text/html; charset=utf-8", DEFAULT)
    with pytest.raises(UnicodeError):
        decode_text(body, "text/html", DEFAULT)


def test_cp1258_text_is_nfc() -> None:
    got = decode_text(to_cp1258(VI), "text/html; charset=windows-1258", DEFAULT)
    assert got.text == VI and unicodedata.is_normalized("NFC", got.text)


def test_charset_labels() -> None:
    assert header_charset('text/html; Charset="UTF-8"') == "utf-8"
    assert header_charset("text/html; charset=no-such-thing") is None
    assert declared_charset(b'<html><meta charset="windows-1258">') == "cp1258"
    assert declared_charset(b"<?xml version='1.0' encoding='ISO-8859-1'?><rss/>") == "iso8859-1"
    assert declared_charset(b"<html><body>no declaration") is None
    assert is_textual(None) and is_textual("application/rss+xml; charset=utf-8")
    assert not is_textual("image/png")
