"""What a page's class and id names say about its elements ("date", "sapo", "tac-gia",
"sidebar"). Names repeat across a page (utility classes on hundreds of elements), so each
pattern is tried once per distinct name token, not once per element."""

from __future__ import annotations

import re

from lxml import etree

_NAMED = etree.XPath("//*[@class or @id] | //time")


class Hints:
    """The page's elements with a class or id (and every <time>), in document order."""

    def __init__(self, tree: etree._Element) -> None:
        self.elements: list[etree._Element] = _NAMED(tree)
        names: dict[str, list[int]] = {}
        for i, el in enumerate(self.elements):
            names.setdefault(f"{el.get('class') or ''} {el.get('id') or ''}", []).append(i)
        self._tokens: dict[str, list[list[int]]] = {}
        for name, where in names.items():
            for token in set(name.split()):
                self._tokens.setdefault(token, []).append(where)

    def named(self, pattern: re.Pattern[str]) -> list[etree._Element]:
        """Elements with a class or id token that ``pattern`` finds something in (the
        pattern sees one token at a time)."""
        hits = {i for token, groups in self._tokens.items() if pattern.search(token)
                for where in groups for i in where}
        return [self.elements[i] for i in sorted(hits)]
