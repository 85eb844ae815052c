"""How much text an element holds: the one measure the density scan, the furniture guard
and the image region compare (characters, each whitespace run counted as one)."""

from __future__ import annotations

from lxml import etree


def text_chars(el: etree._Element) -> int:
    text = etree.tostring(el, method="text", encoding=str, with_tail=False)
    return len(" ".join(text.split()))
