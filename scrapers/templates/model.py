"""A learned template: per-field CSS selectors with their support, exclusions, lead
prefixes and the site's boilerplate blocks; as JSON for ``site_templates`` and as the
``ExtractRules`` the rules path applies.

Support is the share of the learning pages on which a selector found what the learner
found there by reading the page itself; it is also the confidence of what the template
extracts.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

from scrapers.registry import ExtractRules
from scrapers.text import clean_text, normalise_for_hash

FIELDS = ("title", "lead", "body", "author", "date")


def block_key(text: str) -> str:
    """The key a text block is counted and dropped by: NFC, lower case, whitespace
    collapsed, hashed."""
    return hashlib.sha1(normalise_for_hash(clean_text(text)).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Rule:
    """A selector (or, for lead prefixes, a regex) and its support in [0, 1]."""

    value: str
    support: float

    def to_json(self) -> dict[str, Any]:
        return {"css": self.value, "support": self.support}


@dataclass(frozen=True)
class Block:
    """A text block the site repeats, and the share of pages it is on."""

    text: str
    share: float


@dataclass(frozen=True)
class Template:
    pages_used: int
    fields: Mapping[str, Rule] = field(default_factory=dict)  # of FIELDS; body always
    exclude: tuple[Rule, ...] = ()
    lead_prefixes: tuple[Rule, ...] = ()
    boilerplate: tuple[Block, ...] = ()
    version: int | None = None
    learned_at: datetime | None = None

    @property
    def body_support(self) -> float:
        return self.fields["body"].support

    @cached_property
    def boilerplate_keys(self) -> frozenset[str]:
        return frozenset(block_key(b.text) for b in self.boilerplate)

    @cached_property
    def rules(self) -> ExtractRules:
        """The template as hand rules would say it (what the rules path applies)."""
        return ExtractRules(
            **{name: [rule.value] for name, rule in self.fields.items()},
            exclude=[r.value for r in self.exclude],
            lead_prefixes=[r.value for r in self.lead_prefixes])

    def selectors_json(self) -> dict[str, Any]:
        return {**{name: rule.to_json() for name, rule in self.fields.items()},
                "exclude": [r.to_json() for r in self.exclude],
                "lead_prefixes": [{"pattern": r.value, "support": r.support}
                                  for r in self.lead_prefixes]}

    def boilerplate_json(self) -> list[dict[str, Any]]:
        return [{"text": b.text, "share": b.share} for b in self.boilerplate]

    def fingerprint(self) -> str:
        """What extraction reads from the template, supports left out: two learnings that
        would extract the same articles have the same fingerprint."""
        what = {"fields": {n: r.value for n, r in sorted(self.fields.items())},
                "exclude": [r.value for r in self.exclude],
                "lead_prefixes": [r.value for r in self.lead_prefixes],
                "boilerplate": sorted(self.boilerplate_keys)}
        return hashlib.sha256(json.dumps(what, sort_keys=True).encode()).hexdigest()

    @classmethod
    def from_json(cls, selectors: dict[str, Any], boilerplate: list[dict[str, Any]], *,
                  pages_used: int, version: int | None = None,
                  learned_at: datetime | None = None) -> Template:
        return cls(
            pages_used=pages_used,
            fields={n: Rule(selectors[n]["css"], selectors[n]["support"])
                    for n in FIELDS if n in selectors},
            exclude=tuple(Rule(r["css"], r["support"]) for r in selectors.get("exclude", [])),
            lead_prefixes=tuple(Rule(r["pattern"], r["support"])
                                for r in selectors.get("lead_prefixes", [])),
            boilerplate=tuple(Block(b["text"], b["share"]) for b in boilerplate),
            version=version, learned_at=learned_at)
