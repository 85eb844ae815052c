"""How much text an element holds, and how much of it is link text: the measures the
density scan, the furniture guard and the image region compare (characters, each
whitespace run counted as one; read with XPath so that no element objects are made)."""

from __future__ import annotations

from lxml import etree

_LINK_TEXT = etree.XPath(".//a//text()", smart_strings=False)


def text_chars(el: etree._Element) -> int:
    text = etree.tostring(el, method="text", encoding=str, with_tail=False)
    return len(" ".join(text.split()))


def linked_chars(el: etree._Element) -> int:
    return len(" ".join(" ".join(_LINK_TEXT(el)).split()))
