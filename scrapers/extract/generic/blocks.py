"""trafilatura's XML body (p, head, list/item, table/row/cell, quote, hi, lb) → paragraphs.

Text that trafilatura leaves as the tail of a block (after a heading, say) is a paragraph
of its own, and a container (a cell, an item holding paragraphs) is read through, so no
sentence of the chosen body is lost or glued to its neighbour.
"""

from __future__ import annotations

from lxml import etree

from scrapers.extract.cleanup import Para

_BLOCKS = frozenset({"p", "head", "list", "item", "table", "row", "cell", "quote", "code",
                     "graphic", "div", "details", "summary"})


def _para(el: etree._Element) -> Para | None:
    text = "".join(el.itertext())
    if not text.strip():
        return None
    bold = "".join("".join(h.itertext()) for h in el.iter("hi") if "#b" in (h.get("rend") or ""))
    return Para(text, bool(bold.split()) and bold.split() == text.split())


def _walk(el: etree._Element, out: list[Para]) -> None:
    for child in el:
        if child.tag == "graphic":
            pass  # images are read from the page itself, not from trafilatura's copy
        elif any(c.tag in _BLOCKS for c in child):
            if (child.text or "").strip():
                out.append(Para(child.text or ""))
            _walk(child, out)
        elif (para := _para(child)) is not None:
            out.append(para)
        if (child.tail or "").strip():
            out.append(Para(child.tail or ""))


def xml_paragraphs(body: etree._Element) -> list[Para]:
    out: list[Para] = []
    if (body.text or "").strip():
        out.append(Para(body.text or ""))
    _walk(body, out)
    return out
