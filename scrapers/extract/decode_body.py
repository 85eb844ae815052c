r"""Bodies a page ships encoded for its own JavaScript, decoded in the tree before either
path reads it: the decoded HTML takes the place the page's script would give it, so the
same selectors, exclusions and paragraph rules apply to it as to any body.

Where encoded bodies sit:

- the ``data-*`` attribute of an empty container (``<div class="ebody" data-enc="PHA+…">
  </div>``), or the whole text of a container that is one long token (``<span
  class="dcontent-encode">PHA+…</span>``): the element is replaced by the decoded HTML, as
  the page's ``e.outerHTML = …`` does;
- a string an inline script writes, as a literal or through a variable or a JSON object
  member: into a named target that is still empty (``$('#content').html(…)``,
  ``getElementById('x').innerHTML = …``, ``querySelector('#x').outerHTML = …``), or where
  the script stands (``document.write(atob("…"))``: an encoded value only, plain markup a
  page writes there being its own machinery, comments or ads). A script that writes
  nowhere the page names (``el.innerHTML = …`` on an element it made) changes nothing.

Encodings, nested up to ``_ROUNDS`` deep: base64 (``atob``, also inside
``decodeURIComponent(escape(atob(…)))``), percent-encoding (``decodeURIComponent``,
``unescape`` with ``%uXXXX``), JS/JSON string escapes (``\uXXXX``). What is decoded takes a
place only when it reads as a body: markup with block tags (plain text too, for a text
token) and a reasonable amount of prose, not a URL, a query string (a share link's
``Title=…&Author=…``) or JSON. A value that does not decode cleanly (random bytes,
ciphertext, a lone surrogate) is left in place, for the paths to flag it
``body_incomplete``: decoding never raises. A decoded body larger than ``MAX_DECODED_BYTES``
(2 MB) is refused (the article is flagged ``decoded_too_large``), so that one page cannot
blow up a batch.

Pages without an encoded body pay little: one walk of the tree (lxml's, in C, stopping only
at containers and scripts) finds the few values worth a look (the long ``data-*`` values of
empty containers, the texts of containers that are one long token) and the scripts whose
text names a place it writes (``document.write``, ``.html(``, ``innerHTML``, ``outerHTML``:
plain substring tests before any regex); nothing else is read.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import unquote

import lxml.html
from cssselect import SelectorError
from lxml import etree
from lxml.cssselect import CSSSelector

from scrapers.extract.script_body import js_string_value
from scrapers.text import clean_text

MAX_DECODED_BYTES = 2 * 1024 * 1024
_ROUNDS = 3
_MIN_ENCODED = 32  # shorter tokens are words, ids or hashes, not encoded bodies
_MIN_DATA = 48  # shorter data-* values are ids, hashes and settings (36 bytes decoded)
_MIN_TEXT = 20  # visible characters decoded text needs to count as body text
_TEXT_SHARE = 0.75  # of its visible characters, letters and spaces at least
_SAMPLE = 4096  # characters of an oversized decoded value read to tell text from bytes
_LOOKBACK = 200  # characters before a write searched for the element it names
_MEDIA_DATA = frozenset({"data-src", "data-original", "data-srcset", "data-lazy-src"})
_CONTAINERS = ("div", "section", "article", "main", "span", "p")  # what a body can be in

_IN_BODY = etree.XPath("boolean(ancestor::body)")
# What a script that writes holds, tested with `in` first ("HTML": innerHTML, outerHTML).
_WRITERS = ("HTML", ".html(", "document.write")

_BASE64 = re.compile(r"[A-Za-z0-9+/_-]+={0,2}")
_PERCENT = re.compile(r"%(?:u[0-9A-Fa-f]{4}|[0-9A-Fa-f]{2})")
_PERCENT_U = re.compile(r"%u([0-9A-Fa-f]{4})")
_ESCAPED = re.compile(r"\\(?:u[0-9A-Fa-f]{4}|x[0-9A-Fa-f]{2})")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_MARKUP = re.compile(r"<(?:p|div|br|h[1-6]|ul|ol|figure|table|section|article|blockquote)\b",
                     re.I)
# A URL, a link's scheme, or a query string (key=value&…): a share button's payload.
_NOT_PROSE = re.compile(r"\s*(?:[a-z][a-z0-9+.-]*://|(?:mailto|tel|sms|javascript|whatsapp):"
                        r"|[\w.\[\]-]+=[^&\s]*&)", re.I)

# Where a script writes, and what: the call a write goes through, and its argument.
_DOC_WRITE = re.compile(r"document\.write(?:ln)?\s*\(")
_JQUERY = re.compile(r"""(?:\$|jQuery)\(\s*(['"])([^'"]+)\1\s*\)\s*$""")
_DOM = re.compile(r"""(?:getElementById\(\s*(['"])([\w-]+)\1|querySelector\(\s*(['"])([^'"]+)\3)"""
                  r"""\s*\)\s*$""")
_ASSIGN = re.compile(r"\s*=(?!=)")
_WRAPPER = re.compile(r"\s*(?:window\.)?(?:atob|decodeURIComponent|decodeURI|unescape|escape)"
                      r"\s*\(")
_QUOTED = {q: re.compile(q + r"((?:[^" + q + r"\\]++|\\.)*+)" + q, re.S) for q in "\"'`"}
_REF = re.compile(r"([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\s*(?=[),;+]|$)")
_IDENT = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$.")
_JSON = json.JSONDecoder(strict=False)


@dataclass
class Decoded:
    """What was decoded into the tree (its text chunks), and whether a decoded body was
    refused for its size."""

    chunks: list[str] = field(default_factory=list)
    too_large: bool = False

    def reached(self, text: str) -> bool:
        """Whether decoded text made it into ``text`` (a body): decoding in the sidebar
        does not make an article's body a decoded one."""
        return any(chunk in text for chunk in self.chunks)


def _from_base64(value: str) -> str | None:
    try:
        raw = base64.b64decode(value.replace("-", "+").replace("_", "/")
                               + "=" * (-len(value) % 4), validate=True)
        return raw.decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None


def _from_percent(value: str) -> str | None:
    """decodeURIComponent (UTF-8 bytes) or unescape (%uXXXX, Latin-1 bytes)."""
    if "%u" in value or "%U" in value:
        value = js_string_value(_PERCENT_U.sub(r"\\u\1", value))
        if value is None:
            return None
    try:
        return unquote(value, errors="strict")
    except UnicodeDecodeError:
        return unquote(value, encoding="latin-1")


def _peel(value: str) -> str | None:
    """``value`` with one layer of encoding taken off, or None when it carries none (or it
    does not decode cleanly)."""
    value = value.strip()
    if len(value) >= _MIN_ENCODED and _BASE64.fullmatch(value):
        return _from_base64(value)
    if ("%" in value and "<" not in value and len(value.split(None, 1)) == 1
            and _PERCENT.search(value)):
        return _from_percent(value)
    if "\\" in value and _ESCAPED.search(value):
        return js_string_value(value)
    return None


def _parse(html: str, *, plain: bool) -> etree._Element | None:
    """The decoded HTML under a wrapper <div>, when it reads as a body or a body part:
    markup with block tags (or, if ``plain``, plain text) holding at least ``_MIN_TEXT``
    characters of prose; not bytes, JSON, a URL or a query string."""
    if (_CONTROL.search(html) or html.lstrip()[:1] in ("{", "[") or _NOT_PROSE.match(html)
            or not (plain or _MARKUP.search(html))):
        return None
    try:
        wrapper = lxml.html.fragment_fromstring(html, create_parent="div")
    except (etree.LxmlError, ValueError):  # ValueError: text lxml will not take
        return None
    text = clean_text(wrapper.text_content())
    letters = sum(c.isalpha() or c == " " for c in text)
    if len(text) < _MIN_TEXT or text.count(" ") < 2 or letters < _TEXT_SHARE * len(text):
        return None
    return wrapper


def _decode(value: str, decoded: Decoded, *, plain: bool = False,
            literal: bool = False) -> etree._Element | None:
    """The decoded value, parsed, when it reads as a body (see ``_parse``: ``plain`` text
    is taken from a text token only). ``literal``: the value a script writes, taken as it
    is when it is markup already."""
    peeled = False
    for _ in range(_ROUNDS):
        step = _peel(value)
        if step is None:
            break
        value, peeled = step, True
    if not peeled and not (literal and _MARKUP.search(value)):
        return None
    if len(value) > MAX_DECODED_BYTES // 4 and len(value.encode("utf-8")) > MAX_DECODED_BYTES:
        # refused before it is parsed
        decoded.too_large = decoded.too_large or _parse(value[:_SAMPLE], plain=plain) is not None
        return None
    return _parse(value, plain=plain)


def _record(wrapper: etree._Element, decoded: Decoded) -> None:
    decoded.chunks += [t for t in (clean_text(s) for s in wrapper.itertext())
                       if len(t) >= _MIN_TEXT]


def _replace(el: etree._Element, wrapper: etree._Element) -> None:
    """``el.outerHTML = html``: the wrapper's content in el's place, el's tail kept."""
    parent = el.getparent()
    if parent is None:
        return
    kids, tail = list(wrapper), el.tail or ""
    lead = (wrapper.text or "") + ("" if kids else tail)
    prev = el.getprevious()
    if prev is not None:
        prev.tail = (prev.tail or "") + lead
    else:
        parent.text = (parent.text or "") + lead
    at = parent.index(el)
    parent.remove(el)
    for offset, kid in enumerate(kids):
        parent.insert(at + offset, kid)
    if kids:
        kids[-1].tail = (kids[-1].tail or "") + tail


def _fill(el: etree._Element, wrapper: etree._Element) -> None:
    """``el.innerHTML = html``."""
    for kid in list(el):
        el.remove(kid)
    el.text = wrapper.text
    el.extend(list(wrapper))


# ------------------------------------------------------------------------------- scripts

def _writes(source: str) -> Iterator[tuple[str | None, bool, int]]:
    """(CSS selector of the target, or None for document.write; whether the target itself
    is replaced (outerHTML); where the written expression starts) for each write in the
    script that names where it goes."""
    start = source.find("document.write")
    while start >= 0:
        if m := _DOC_WRITE.match(source, start):
            yield None, False, m.end()
        start = source.find("document.write", start + 1)
    start = source.find(".html(")
    while start >= 0:
        if m := _JQUERY.search(source, max(0, start - _LOOKBACK), start):
            yield m[2], False, start + len(".html(")
        start = source.find(".html(", start + 1)
    for prop in ("innerHTML", "outerHTML"):
        start = source.find(prop)
        while start >= 0:
            if (source[start - 1:start] == "."
                    and (assign := _ASSIGN.match(source, start + len(prop)))
                    and (m := _DOM.search(source, max(0, start - 1 - _LOOKBACK), start - 1))):
                yield m[4] or f"#{m[2]}", prop == "outerHTML", assign.end()
            start = source.find(prop, start + 1)


def _quoted(text: str, pos: int) -> str | None:
    """The value of the JS string literal at ``pos``, if one starts there."""
    pattern = _QUOTED.get(text[pos:pos + 1])
    m = pattern.match(text, pos) if pattern else None
    return js_string_value(m[1]) if m else None


def _defined(name: str, keys: list[str], sources: list[str]) -> str | None:
    """The string a script assigns to ``name`` (``var ebody = "…"``), or to its member
    ``keys`` in the JSON object it assigns (``var data = {"content": "…"}``)."""
    assign = re.compile(re.escape(name) + r"\s*=(?!=)\s*")
    for text in sources:
        for m in assign.finditer(text):
            if m.start() and text[m.start() - 1] in _IDENT:
                continue  # the end of a longer name, or a member of something else
            at = m.end()
            if not keys and (value := _quoted(text, at)) is not None:
                return value
            if text[at:at + 1] in ("{", "["):
                try:
                    data, _ = _JSON.raw_decode(text, at)
                except ValueError:
                    continue
                for key in keys:
                    data = data.get(key) if isinstance(data, dict) else None
                if isinstance(data, str):
                    return data
    return None


def _written(source: str, pos: int, sources: list[str]) -> str | None:
    """The string the expression at ``pos`` writes, through atob / decodeURIComponent /
    unescape / escape calls (``_decode`` undoes any encoding): a literal, or a variable
    or JSON member one of the page's scripts defines."""
    while m := _WRAPPER.match(source, pos):
        pos = m.end()
    while source[pos:pos + 1].isspace():
        pos += 1
    if (value := _quoted(source, pos)) is not None:
        return value
    if ref := _REF.match(source, pos):
        name, *keys = ref[1].split(".")
        return _defined(name, keys, sources)
    return None


def _target(tree: etree._Element, css: str) -> etree._Element | None:
    """The element a script names, when it is an empty container in the page's body."""
    try:
        found = CSSSelector(css, translator="html")(tree)
    except (SelectorError, etree.LxmlError):  # not a selector lxml can run
        return None
    if not found:
        return None
    el = found[0]
    if el.tag not in _CONTAINERS or clean_text(el.text_content()) or not _IN_BODY(el):
        return None
    return el


def _decode_script(tree: etree._Element, script: etree._Element, source: str,
                   sources: list[str], decoded: Decoded) -> None:
    """What the script writes, decoded into the place it writes it."""
    here: etree._Element | None = None  # the best of what it writes where it stands
    for css, outer, pos in _writes(source):
        value = _written(source, pos, sources)
        if value is None or len(value) < _MIN_TEXT:
            continue
        # Plain markup goes only where the page names: a document.write of it is the
        # page's own machinery (comments, ads), an encoded one hides the body.
        wrapper = _decode(value, decoded, literal=css is not None)
        if wrapper is None:
            continue
        if css is None:
            if here is None or len(wrapper.text_content()) > len(here.text_content()):
                here = wrapper
        elif (target := _target(tree, css)) is not None:
            _record(wrapper, decoded)
            (_replace if outer else _fill)(target, wrapper)
    if here is not None and script.getparent() is not None and _IN_BODY(script):
        _record(here, decoded)
        _replace(script, here)


# ------------------------------------------------------------------------------- the page

def _scan(tree: etree._Element) -> tuple[list[tuple[etree._Element, str, bool]],
                                         list[tuple[etree._Element, str]], list[str]]:
    """Two walks of the page (lxml's, in C, proxies made only for scripts, then containers:
    cheaper than one that asks each element its tag):
    (element, value, whether plain text counts) for each value that may be an encoded
    body (a long data-* value of an empty container, the text of a container that is one
    long token); the inline scripts that write (with their text); every inline script's
    text, where what they write may be defined."""
    holders: list[tuple[etree._Element, str, bool]] = []
    writers: list[tuple[etree._Element, str]] = []
    sources: list[str] = []
    for el in tree.iter("script"):
        if el.get("src") is None and "json" not in (el.get("type") or ""):
            source = el.text
            if source:
                sources.append(source)
                if any(map(source.__contains__, _WRITERS)):
                    writers.append((el, source))
    for el in tree.iter(*_CONTAINERS):
        if not len(el):  # holds no element
            text = el.text
            if text and not text.isspace():
                if len(text) >= _MIN_ENCODED and _one_token(text):
                    holders.append((el, text, True))
            elif el.attrib:  # empty
                holders.extend((el, value, False) for name, value in el.attrib.items()
                               if len(value) >= _MIN_DATA and name.startswith("data-")
                               and name not in _MEDIA_DATA)
    return holders, writers, sources


def _one_token(text: str) -> bool:
    """Whether ``text`` holds no whitespace but around it: a space inside tells most texts
    apart without splitting them."""
    token = text.strip()
    return " " not in token and len(token.split(None, 1)) == 1


def decode_embedded(tree: etree._Element) -> Decoded:
    """Decode, in place, every body the page encoded for its JavaScript. Never raises: a
    value that does not decode cleanly is left as it is."""
    decoded = Decoded()
    holders, writers, sources = _scan(tree)
    for el, value, plain in holders:
        if el.getparent() is None:
            continue  # replaced already, for another attribute
        wrapper = _decode(value, decoded, plain=plain)
        if wrapper is not None:
            _record(wrapper, decoded)
            _replace(el, wrapper)
    for script, source in writers:
        _decode_script(tree, script, source, sources, decoded)
    return decoded
