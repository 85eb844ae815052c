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
  "trickle"         chunk=64 (bytes), every=0.5 (seconds): the page, its body sent a chunk at
                    a time, so a client without a total deadline waits for ever
  "bad_bytes"       n=3: the page with a stray 0xFF byte at the start of its first ``n``
                    paragraphs (bytes no charset declaration fits: a cut multi-byte sequence)
  "garbage"         kb=64, seed=0: 200 with random bytes labelled text/html; charset=utf-8
  "endless_listing" a listing page past the real last page answers like a full page, with
                    its items' links carrying a session id and a calendar date (``?sid=N&
                    ngay=D``) and a pager to the next page: a crawler trap without an end
  "mix"             share=0.1 (required kinds=[...]), seed=0: a deterministic ``share`` of
                    the matching requests each hit one of ``kinds`` (chosen by a hash of
                    the path and its hit count); ``params={kind: {...}}`` gives their
                    parameters. Other requests pass. A mix never runs out (``times`` counts
                    the faults it dealt).
``times`` is how many matching requests the fault hits; after that requests pass.
"""

from __future__ import annotations

import hashlib
import random
import re
import threading
import time
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import quote

from replica.app import LOOP_PATH, Response, SiteApp

KINDS = frozenset({"429", "500", "503", "404", "slow", "timeout", "truncated", "redirect",
                   "redirect_loop", "wrong_charset", "missing_charset", "cp1258", "oversized",
                   "same_page", "redesign", "trickle", "bad_bytes", "garbage",
                   "endless_listing", "mix"})
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
        if kind == "mix" and not set(params.get("kinds", ())) <= KINDS - {"mix"}:
            raise ValueError("a mix fault needs kinds=[...] of other fault kinds")
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
                    if fault.kind == "mix":
                        dealt = _deal(fault, path)
                        if dealt is None:
                            continue
                        fault.hits += 1
                        return dealt
                    fault.hits += 1
                    return fault
        return None

    def __len__(self) -> int:
        return len(self._faults)


def _deal(mix: Fault, path: str) -> Fault | None:
    """The fault a mix deals this request, or None; called under the set's lock."""
    seen = mix.params.setdefault("_seen", {})
    n = seen[path] = seen.get(path, 0) + 1
    digest = hashlib.sha256(f"{mix.params.get('seed', 0)}|{path}|{n}".encode()).digest()
    if int.from_bytes(digest[:4], "big") / 2**32 >= float(mix.params.get("share", 0.1)):
        return None
    kinds = list(mix.params["kinds"])
    kind = kinds[digest[4] % len(kinds)]
    return Fault(mix.pattern, kind, None, dict(mix.params.get("params", {}).get(kind, {})))


def trickle(fault: Fault, write: object, body: bytes, stopping: threading.Event) -> None:
    """Send ``body`` a chunk every ``every`` seconds (the "trickle" fault)."""
    size = int(fault.params.get("chunk", 64))
    every = float(fault.params.get("every", 0.5))
    for start in range(0, len(body), size):
        write(body[start:start + size])  # type: ignore[operator]
        if stopping.wait(every):
            return


def _garbage(p: dict[str, Any]) -> Response:
    rng = random.Random(int(p.get("seed", 0)))
    body = bytes(rng.getrandbits(8) for _ in range(int(float(p.get("kb", 64)) * 1024)))
    return Response(200, body, content_type="text/html; charset=utf-8", compress=False)


def _endless_listing(app: SiteApp, path: str) -> Response | None:
    """Past a listing's last page: an earlier page's items under trap URLs, and a pager on."""
    page = path.partition("?")[0]
    m = re.fullmatch(r"(?P<cat>/[a-z0-9-]+)/trang-(?P<n>\d+)\.htm", page)
    cat = next((c for c in app.spec.categories if m and c.path == m["cat"]), None)
    if cat is None or m is None or int(m["n"]) <= app.pages(cat):
        return None
    n = int(m["n"])
    resp = app.handle(f"{cat.path}/trang-{(n - 1) % app.pages(cat) + 1}.htm")
    html = resp.body.decode("utf-8")
    day = time.strftime("%Y-%m-%d", time.gmtime(1735689600 + 86400 * n))
    html = re.sub(r'href="(https?://[^"]+?\.htm)"', rf'href="\1?sid={n:08x}&amp;ngay={day}"',
                  html)
    html = html.replace("</body>", f'<a class="next" href="{cat.path}/trang-{n + 1}.htm">'
                        "Trang sau</a></body>")
    return replace(resp, body=html.encode("utf-8"))


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
    elif fault.kind == "garbage":
        resp = _garbage(p)
    elif fault.kind == "bad_bytes":
        page, _, query = path.partition("?")
        resp = app.handle(page, query)
        resp = replace(resp, body=resp.body.replace(b"<p>", b"<p>\xff", int(p.get("n", 3))))
    elif fault.kind == "endless_listing":
        resp = _endless_listing(app, path)
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

