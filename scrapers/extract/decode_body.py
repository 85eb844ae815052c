r"""Bodies a page ships encoded for its own JavaScript, decoded in the tree before either
path reads it: the decoded HTML takes the place the page's script would give it, so the
same selectors, exclusions and paragraph rules apply to it as to any body.

Where encoded bodies sit:

- an element's text or ``data-*`` attribute (``<div data-enc="PHA+…">``,
  ``<span class="dcontent-encode">PHA+…</span>``): the element is replaced by the decoded
  HTML, as the page's ``e.outerHTML = …`` does;
- a string literal in an inline script that writes it: into a named, still empty target
  (``$('#content').html("…")``, ``getElementById('x').innerHTML = …``), or where the script
  stands (``document.write(atob("…"))``).

Encodings, nested up to ``_ROUNDS`` deep: base64 (``atob``, also inside
``decodeURIComponent(escape(atob(…)))``), percent-encoding (``decodeURIComponent``,
``unescape`` with ``%uXXXX``), JS/JSON string escapes (``\uXXXX``). A value that does not
decode to text (random bytes, ciphertext) is left in place, for the paths to flag it
``body_incomplete``. A decoded body larger than ``MAX_DECODED_BYTES`` (2 MB) is refused
(the article is flagged ``decoded_too_large``), so that one page cannot blow up a batch.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass, field
from urllib.parse import unquote

import lxml.html
from cssselect import SelectorError
from lxml import etree
from lxml.cssselect import CSSSelector

from scrapers.extract.script_body import decode_js_string
from scrapers.text import clean_text

MAX_DECODED_BYTES = 2 * 1024 * 1024
_ROUNDS = 3
_MIN_ENCODED = 32  # shorter tokens are words, ids or hashes, not encoded bodies
_MIN_TEXT = 20  # visible characters decoded text needs to count as body text
_MIN_PLAIN = 160  # plain text (no markup) from an attribute: a share button's title is not
_TEXT_SHARE = 0.75  # of its visible characters, letters and spaces at least
_SAMPLE = 4096  # characters of an oversized decoded value read to tell text from bytes
_MEDIA_DATA = frozenset({"data-src", "data-original", "data-srcset", "data-lazy-src"})

# Values that may be an encoded body: a data-* attribute, or a text that is one long token.
_DATA_VALUES = etree.XPath("//body//@*[starts-with(name(), 'data-')]")
_TEXT_VALUES = etree.XPath(f"//body//text()[string-length() >= {_MIN_ENCODED}]"
                           "[not(contains(normalize-space(), ' '))]")
_SCRIPTS = etree.XPath("//script[not(@src)][not(contains(@type, 'json'))]")
_IN_BODY = etree.XPath("boolean(ancestor::body)")
_BASE64 = re.compile(r"[A-Za-z0-9+/_-]+={0,2}")
_PERCENT = re.compile(r"%(?:u[0-9A-Fa-f]{4}|[0-9A-Fa-f]{2})")
_PERCENT_U = re.compile(r"%u([0-9A-Fa-f]{4})")
_ESCAPED = re.compile(r"\\(?:u[0-9A-Fa-f]{4}|x[0-9A-Fa-f]{2})")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_MARKUP = re.compile(r"<(?:p|div|br|h[1-6]|ul|ol|figure|table|section|article|blockquote)\b",
                     re.I)
_LITERAL = re.compile(r"""(?P<q>["'`])(?P<body>(?:\\.|(?!(?P=q)).)*)(?P=q)""", re.S)
_SINK = re.compile(r"\.html\s*\(|\.(?:inner|outer)HTML\s*=|insertAdjacentHTML|document\.write"
                   r"|\batob\s*\(|decodeURIComponent\s*\(|\bunescape\s*\(")
_TARGET = re.compile(
    r"""\$\(\s*(?P<q>['"])(?P<jq>[^'"]+)(?P=q)\s*\)\s*\.html\s*\("""
    r"""|getElementById\(\s*['"](?P<id>[\w-]+)['"]\s*\)\s*\.(?:inner|outer)HTML\s*="""
    r"""|querySelector\(\s*(?P<q2>['"])(?P<css>[^'"]+)(?P=q2)\s*\)\s*\.(?:inner|outer)HTML\s*=""")


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


def _from_percent(value: str) -> str:
    """decodeURIComponent (UTF-8 bytes) or unescape (%uXXXX, Latin-1 bytes)."""
    value = decode_js_string(_PERCENT_U.sub(r"\\u\1", value))
    try:
        return unquote(value, errors="strict")
    except UnicodeDecodeError:
        return unquote(value, encoding="latin-1")


def _peel(value: str) -> str | None:
    """``value`` with one layer of encoding taken off, or None when it carries none."""
    value = value.strip()
    if len(value) >= _MIN_ENCODED and _BASE64.fullmatch(value):
        return _from_base64(value)
    if "<" not in value and not any(c.isspace() for c in value) and _PERCENT.search(value):
        return _from_percent(value)
    if _ESCAPED.search(value):
        return decode_js_string(value)
    return None


def _parse(html: str, min_plain: int) -> etree._Element | None:
    """The decoded HTML under a wrapper <div>, when it reads as a body or a body part:
    markup, or ``min_plain`` characters of plain text; not bytes, not JSON."""
    if _CONTROL.search(html) or html.lstrip()[:1] in ("{", "["):
        return None
    try:
        wrapper = lxml.html.fragment_fromstring(html, create_parent="div")
    except etree.ParserError:
        return None
    text = clean_text(wrapper.text_content())
    letters = sum(c.isalpha() or c == " " for c in text)
    if (len(text) < (_MIN_TEXT if _MARKUP.search(html) else min_plain)
            or text.count(" ") < 2 or letters < _TEXT_SHARE * len(text)):
        return None
    return wrapper


def _decode(value: str, decoded: Decoded, *, plain_html: bool = False,
            min_plain: int = _MIN_TEXT) -> etree._Element | None:
    """The decoded value, parsed; ``plain_html`` takes a value with no encoding left at all
    when it is markup (the inside of a JS string literal a script writes)."""
    peeled = False
    for _ in range(_ROUNDS):
        step = _peel(value)
        if step is None:
            break
        value, peeled = step, True
    if not peeled and not (plain_html and _MARKUP.search(value)):
        return None
    if len(value.encode("utf-8")) > MAX_DECODED_BYTES:  # refused before it is parsed
        decoded.too_large = decoded.too_large or _parse(value[:_SAMPLE], 0) is not None
        return None
    return _parse(value, min_plain)


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


def _target(tree: etree._Element, source: str) -> tuple[bool, etree._Element | None]:
    """Whether the script names where it writes, and that element when it exists."""
    m = _TARGET.search(source)
    if not m:
        return False, None
    css = m["jq"] or m["css"] or f"#{m['id']}"
    try:
        found = CSSSelector(css, translator="html")(tree)
    except SelectorError:
        return True, None
    return True, found[0] if found else None


def _decode_script(tree: etree._Element, script: etree._Element, decoded: Decoded) -> None:
    source = script.text or ""
    if not _SINK.search(source):
        return
    best: etree._Element | None = None
    for m in _LITERAL.finditer(source):
        if len(m["body"]) < _MIN_TEXT:
            continue
        wrapper = _decode(decode_js_string(m["body"]), decoded, plain_html=True)
        if wrapper is not None and (best is None or len(wrapper.text_content())
                                    > len(best.text_content())):
            best = wrapper
    if best is None:
        return
    named, target = _target(tree, source)
    if target is not None and not clean_text(target.text_content()):
        _record(best, decoded)
        _fill(target, best)
    elif not named and _IN_BODY(script):
        _record(best, decoded)
        _replace(script, best)


def _holders(tree: etree._Element) -> list[tuple[etree._Element, str, int]]:
    """(element, value, min_plain) for each value that may be an encoded body: data-*
    attributes, then the whole text of leaf elements (scripts are read as scripts)."""
    found = [(v.getparent(), str(v), _MIN_PLAIN) for v in _DATA_VALUES(tree)
             if v.attrname not in _MEDIA_DATA]
    for v in _TEXT_VALUES(tree):
        el = v.getparent()
        if v.is_text and not len(el) and el.tag not in ("script", "style"):
            found.append((el, str(v), _MIN_TEXT))
    return found


def decode_embedded(tree: etree._Element) -> Decoded:
    """Decode, in place, every body the page encoded for its JavaScript."""
    decoded = Decoded()
    for el, value, min_plain in _holders(tree):
        if el.getparent() is None:
            continue  # replaced already, for another attribute
        wrapper = _decode(value, decoded, min_plain=min_plain)
        if wrapper is not None:
            _record(wrapper, decoded)
            _replace(el, wrapper)
    for script in _SCRIPTS(tree):
        _decode_script(tree, script, decoded)
    return decoded
