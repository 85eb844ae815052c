"""Faults a test switches on at runtime: ``server.faults.add(r"^/rss/", "429", times=2)``.

Kinds and their parameters (all optional unless marked):
  "429"             retry_after=1 (seconds, or any string for the Retry-After header)
  "500", "503"      retry_after (503 only) adds a Retry-After header
  "404"             the page answers 404, as if the article were removed
  "slow"            seconds=1: wait, then answer normally
  "timeout"         seconds=5: wait, then close the connection without an answer
  "truncated"       fraction=0.5: Content-Length of the whole body, then only that share of it
  "redirect"        location (required), status=302; may point at another host or scheme
  "redirect_loop"   A -> /_replica/loop?to=A -> A ... (status=302)
  "wrong_charset"   UTF-8 bytes declared as charset=iso-8859-1 in the header
  "missing_charset" no charset in the header, none in the page (meta / XML declaration)
  "cp1258"          body in windows-1258 declared by the page only, not by the header
  "oversized"       mb=12: a body that large; declare_length=True sends Content-Length
  "same_page"       page="/thoi-su": answer 200 with that page instead (a broken CMS template)
  "redesign"        old, new (required): the page with text ``old`` of its HTML replaced by
                    ``new``, e.g. the body's container renamed away from the site rules
``times`` is how many matching requests the fault hits; after that requests pass.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import quote

from replica.app import LOOP_PATH, Response, SiteApp

KINDS = frozenset({"429", "500", "503", "404", "slow", "timeout", "truncated", "redirect",
                   "redirect_loop", "wrong_charset", "missing_charset", "cp1258", "oversized",
                   "same_page", "redesign"})
CHARSET_KINDS = frozenset({"wrong_charset", "missing_charset", "cp1258"})  # see recode()


@dataclass
class Fault:
    pattern: re.Pattern[str]
    kind: str
    times: int | None
    params: dict[str, Any] = field(default_factory=dict)
    hits: int = 0

    @property
    def spent(self) -> bool:
        return self.times is not None and self.hits >= self.times


class FaultSet:
    """Thread-safe list of faults; the first live one whose regex searches the path wins."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def add(self, path_regex: str, kind: str, times: int | None = None, **params: Any) -> Fault:
        if kind not in KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; kinds: {', '.join(sorted(KINDS))}")
        if kind == "redirect" and "location" not in params:
            raise ValueError("a redirect fault needs location=...")
        if kind == "redesign" and not {"old", "new"} <= params.keys():
            raise ValueError("a redesign fault needs old=... and new=...")
        fault = Fault(re.compile(path_regex), kind, times, params)
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def take(self, path: str) -> Fault | None:
        """The fault this request hits (counting the hit), or None."""
        with self._lock:
            for fault in self._faults:
                if not fault.spent and fault.pattern.search(path):
                    fault.hits += 1
                    return fault
        return None

    def __len__(self) -> int:
        return len(self._faults)


def fault_response(fault: Fault, app: SiteApp, path: str) -> Response | None:
    """The answer that replaces the page, for faults that replace it; else None."""
    p = fault.params
    if fault.kind == "429":
        resp = app.error(429, "Quá nhiều yêu cầu, vui lòng thử lại sau")
        resp.headers["Retry-After"] = str(p.get("retry_after", 1))
    elif fault.kind in ("500", "503"):
        resp = app.error(int(fault.kind), "Máy chủ đang gặp sự cố")
        if "retry_after" in p:
            resp.headers["Retry-After"] = str(p["retry_after"])
    elif fault.kind == "404":
        resp = app.not_found()
    elif fault.kind == "redirect":
        resp = Response(int(p.get("status", 302)), b"", headers={"Location": p["location"]})
    elif fault.kind == "redirect_loop":
        resp = Response(int(p.get("status", 302)), b"",
                        headers={"Location": f"{LOOP_PATH}?to={quote(path, safe='')}"})
    elif fault.kind == "oversized":
        size = int(float(p.get("mb", 12)) * 1024 * 1024)
        head = b'<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><p>'
        resp = Response(200, head + b"A" * (size - len(head)), compress=False)
    elif fault.kind == "same_page":
        resp = app.handle(p.get("page", "/"))
    elif fault.kind == "redesign":
        page, _, query = path.partition("?")
        resp = app.handle(page, query)
        resp = replace(resp, body=resp.body.replace(p["old"].encode(), p["new"].encode()))
    else:
        resp = None
    return resp


_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
# the page's own declaration: <meta charset>, or the http-equiv form of legacy pages
_META_CHARSET = re.compile(r'<meta charset="[^"]*">|<meta http-equiv="Content-Type" '
                           r'content="text/html; charset=[^"]*">', re.I)
_XML_ENCODING = re.compile(r'(<\?xml[^>]*?) encoding="UTF-8"', re.I)


def to_cp1258(text: str) -> bytes:
    """windows-1258 bytes: Vietnamese letters with their tone as a separate combining mark,
    the only form the code page can spell (decode, then NFC, gives ``text`` back)."""
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in _TONE_MARKS)
        out.append(unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONE_MARKS))
                   + tones)
    return "".join(out).encode("cp1258", errors="xmlcharrefreplace")


def recode(resp: Response, kind: str) -> Response:
    """Charset faults: the same page with a misleading, missing or legacy declaration."""
    mime, _, params = resp.content_type.partition(";")
    if kind == "wrong_charset":
        return replace(resp, content_type=f"{mime}; charset=iso-8859-1")
    charset = params.partition("charset=")[2].strip() or "utf-8"
    text = resp.body.decode(charset)
    if kind == "missing_charset":  # the same bytes, every declaration gone
        text = _XML_ENCODING.sub(r"\1", _META_CHARSET.sub("", text))
        body = to_cp1258(text) if charset == "windows-1258" else text.encode(charset)
        return replace(resp, body=body, content_type=mime)
    text = _META_CHARSET.sub('<meta charset="windows-1258">', text)
    text = _XML_ENCODING.sub(r'\1 encoding="windows-1258"', text)
    return replace(resp, body=to_cp1258(text), content_type=mime)

