"""Bodies that a page's inline script writes into an empty container.

baoquangngai.vn ships ``<div id="content"></div>`` and then either
``$('#content').html('<p>…</p>')`` or ``var outputData = "…"`` (a JS string), or an
Editor.js-style object ``outputData = {"blocks": [...]}``. The site's ``script_body``
regexes find the literal: a named group ``body`` captures a JS string's inside (quote in
group ``q``), a named group ``json`` marks where a JSON object starts.
"""

from __future__ import annotations

import html
import json
import re
from functools import lru_cache
from typing import Any

from lxml import etree

_SCRIPTS = etree.XPath("//script[not(@src)]")
_JS_ESCAPE = re.compile(
    r"\\(?:u\{(?P<ucp>[0-9a-fA-F]{1,6})\}|u(?P<u>[0-9a-fA-F]{4})|x(?P<x>[0-9a-fA-F]{2})"
    r"|(?P<nl>\r\n|\n|\r)|(?P<c>.))", re.S)
_SURROGATE = re.compile("[\ud800-\udfff]")
_SIMPLE = {"n": "\n", "r": "\n", "t": "\t", "b": "", "f": "", "v": "", "0": ""}
_MAX_CODE_POINT = 0x10FFFF


@lru_cache(maxsize=64)
def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.S)


def _unescape(body: str) -> tuple[str, bool]:
    """The literal's value, and whether it decoded cleanly: a code point past U+10FFFF, or
    half a surrogate pair with no other half, becomes U+FFFD and makes it unclean."""
    clean = True

    def one(m: re.Match[str]) -> str:
        nonlocal clean
        code = m["ucp"] or m["u"] or m["x"]
        if code:
            point = int(code, 16)
            if point > _MAX_CODE_POINT:
                clean = False
                return "\ufffd"
            return chr(point)
        if m["nl"]:
            return ""  # line continuation
        return _SIMPLE.get(m["c"], m["c"])

    text = _JS_ESCAPE.sub(one, body) if "\\" in body else body
    if _SURROGATE.search(text):  # pairs written as two \u escapes are joined
        units = text.encode("utf-16-le", "surrogatepass")
        try:
            text = units.decode("utf-16-le")
        except UnicodeDecodeError:
            clean = False
            text = units.decode("utf-16-le", "replace")
    return text, clean


def decode_js_string(body: str) -> str:
    r"""The value of a JS string literal's inside: \' \" \\ \/ \n \uXXXX \xXX \u{...}.

    Surrogate pairs written as two \u escapes are joined into one character; a lone half
    of a pair (or a code point out of range) becomes U+FFFD. Never raises.
    """
    return _unescape(body)[0]


def js_string_value(body: str) -> str | None:
    """``decode_js_string``, or None when the literal does not decode cleanly (a lone
    surrogate, a code point out of range): not text, whatever it is."""
    text, clean = _unescape(body)
    return text if clean else None


def _blocks_to_html(data: Any) -> str:
    """Editor.js-like ``{"blocks": [{"type": "paragraph", "data": {"text": ...}}]}`` → HTML."""
    parts: list[str] = []
    for block in data.get("blocks", []) if isinstance(data, dict) else []:
        kind, d = block.get("type"), block.get("data") or {}
        if kind in ("paragraph", "header", "quote"):
            tag = "p" if kind != "header" else f"h{int(d.get('level', 2))}"
            parts.append(f"<{tag}>{d.get('text', '')}</{tag}>")
        elif kind == "list":
            items = "".join(f"<li>{i if isinstance(i, str) else i.get('content', '')}</li>"
                            for i in d.get("items", []))
            parts.append(f"<ul>{items}</ul>")
        elif kind == "image":
            src = html.escape(str((d.get("file") or {}).get("url") or d.get("url") or ""))
            parts.append(f'<figure><img src="{src}"><figcaption>{d.get("caption", "")}'
                         "</figcaption></figure>")
    return "".join(parts)


def find_script_body(tree: etree._Element, patterns: list[str]) -> str | None:
    """The HTML an inline script would write as the body, or None when no pattern matches."""
    if not patterns:
        return None
    for script in _SCRIPTS(tree):
        source = script.text or ""
        for pattern in patterns:
            m = _compile(pattern).search(source)
            if not m:
                continue
            groups = m.groupdict()
            if groups.get("body") is not None:
                return decode_js_string(groups["body"])
            if groups.get("json") is not None:
                try:
                    data, _ = json.JSONDecoder(strict=False).raw_decode(source, m.start("json"))
                except ValueError:
                    continue
                return data if isinstance(data, str) else _blocks_to_html(data)
    return None
