"""Text decoding (pure): which charset a body is in, and its text.

Vietnamese sites often send a wrong ``charset=iso-8859-1`` header, and legacy pages are in
windows-1258; :func:`decode_text` survives both. A few bad bytes in an otherwise clean page
(a cut multi-byte sequence, a stray byte from a CMS) are replaced, counted and tolerated, so
they never cost an article; a body that does not decode otherwise is refused.

Reads no settings itself: the session builds the :class:`Tolerance` from
``decode_error_tolerance`` and ``decode_error_min_bytes``.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from charset_normalizer import from_bytes

# Charsets that servers and templates declare by default rather than by knowledge of the page.
WEAK_CHARSETS = frozenset({"iso8859-1", "ascii", "cp1252"})
# Legacy charsets detection may choose once UTF-8 has failed: Vietnamese, then Western.
DETECT_CHARSETS = ("cp1258", "cp1252")
SNIFF_BYTES = 4096
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
_TEXT_TYPES = ("text/", "application/xhtml", "application/xml", "application/rss",
               "application/atom", "application/json", "application/ld+json",
               "application/javascript")
# WHATWG "binary data bytes": control bytes no text format uses.
_BINARY_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]")
_ESCAPED = re.compile("[\udc80-\udcff]")  # undecodable bytes under "surrogateescape"


@dataclass(frozen=True)
class Tolerance:
    """How many bad bytes a charset may leave: ``share`` of the body, at least ``min_bytes``."""

    share: float = 0.0
    min_bytes: int = 0

    def allowed(self, size: int) -> int:
        return max(int(size * self.share), self.min_bytes)


STRICT = Tolerance()


class Decoded(NamedTuple):
    text: str  # NFC
    encoding: str  # Python codec name
    errors: int = 0  # bytes that did not decode, each shown as U+FFFD


def _codec(label: str | bytes | None) -> str | None:
    """Python's codec name for a charset label, None when unknown."""
    if isinstance(label, bytes):
        label = label.decode("ascii", "ignore")
    if not label:
        return None
    try:
        return codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None


def header_charset(content_type: str | None) -> str | None:
    for param in (content_type or "").split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            return _codec(value)
    return None


def declared_charset(body: bytes) -> str | None:
    """The charset a document declares in its first bytes: <meta> or an XML declaration."""
    head = body[:SNIFF_BYTES]
    match = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    return _codec(match.group(1)) if match else None


def is_textual(content_type: str | None) -> bool:
    """Whether a body should be decoded; a missing Content-Type counts as text."""
    mime = (content_type or "").split(";")[0].strip().lower()
    return not mime or mime.startswith(_TEXT_TYPES) or mime.endswith(("+xml", "+json"))


def decode_text(body: bytes, content_type: str | None,
                tolerance: Tolerance = STRICT) -> Decoded:
    """Decode a body to NFC text. Raise UnicodeError if no candidate charset fits.

    Candidates, in order: a BOM, a specific Content-Type charset and the document's own
    <meta>/XML declaration, each strictly; UTF-8 strictly; the BOM or declared charset
    tolerantly; charset-normalizer choosing among DETECT_CHARSETS; UTF-8 tolerantly; last,
    a generic charset.

    A generic charset (ISO-8859-1, US-ASCII, windows-1252), in the header or the <meta>, is
    only a weak default because servers and templates send it unasked, and Vietnamese pages
    labelled so are usually UTF-8 or windows-1258. Detection is limited to the legacy
    charsets these sites use: unrestricted, it names exotic codecs for short texts
    (shift_jis for "Hợp tác xã"), and a 'decode' error is better than silently garbled
    text. NFC matters for windows-1258, which spells tone marks as combining characters.

    Tolerantly means: at most ``tolerance.allowed(len(body))`` bytes fail, and the body holds
    no binary control bytes. A declared charset is trusted that far over a guess; undeclared
    UTF-8 only after the guess. The guess itself is never tolerated: a single-byte charset
    decodes nearly any bytes, so its few failures say nothing.
    """
    allowed = tolerance.allowed(len(body))
    for name, lenient in _candidates(body, content_type, tolerant=allowed > 0):
        decoded = _decode(body, name, allowed if lenient else 0)
        if decoded is not None:
            return decoded
    raise UnicodeError("no charset decodes the body")


def _decode(body: bytes, name: str, allowed: int) -> Decoded | None:
    try:
        if not allowed:
            return Decoded(unicodedata.normalize("NFC", body.decode(name)), name)
        if _BINARY_BYTES.search(body):
            return None
        text, bad = _ESCAPED.subn("\ufffd", body.decode(name, "surrogateescape"))
    except UnicodeDecodeError:
        return None
    return Decoded(unicodedata.normalize("NFC", text), name, bad) if bad <= allowed else None


def _candidates(body: bytes, content_type: str | None, *,
                tolerant: bool) -> Iterator[tuple[str, bool]]:
    """(codec, tolerantly) lazily, so detection only runs when the cheap candidates fail."""
    labels = [header_charset(content_type), declared_charset(body)]
    if body.startswith(codecs.BOM_UTF8):
        labels.insert(0, "utf-8-sig")
    elif body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        labels.insert(0, "utf-16")
    preferred = [name for name in labels if name and name not in WEAK_CHARSETS]
    yield from ((name, False) for name in [*preferred, "utf-8"])
    if tolerant:
        yield from ((name, True) for name in preferred)
    best = from_bytes(body, cp_isolation=list(DETECT_CHARSETS)).best()
    guess = _codec(best.encoding) if best else None
    if guess:
        yield guess, False
    if tolerant:
        yield "utf-8", True
    yield from ((name, False) for name in labels if name in WEAK_CHARSETS)
