"""The generic path's knobs, as frozen defaults (they belong in ``scrapers.settings`` once
that file is free to change; until then they live here, next to the code they tune)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class GenericDefaults:
    # trafilatura's recall reading is taken as it is when it agrees this well (token Dice)
    # with the density reading.
    agree: float = 0.95
    # One reading lies inside the other when this share of its tokens are the other's too;
    # the smaller then wins if it holds at least ``nested_share`` of the larger's tokens.
    nested: float = 0.9
    nested_share: float = 0.6
    # A furniture-looking element holding more than this share of the densest region's text
    # is the article's own wrapper, never pruned.
    keep_share: float = 0.5
    # A block shorter than this (characters) scores nothing in the density scan.
    min_block: int = 25
    # A block whose linked text is more than this share of its text is a link list.
    link_share: float = 0.5
    # Siblings of the densest element that score at least this share of it belong to it
    # (an article split into several text containers).
    sibling_share: float = 0.25
    # The images' region widens to a parent that adds at most this share of text (the
    # headline, a date, the lead picture's caption), not a sidebar.
    region_growth: float = 0.25


DEFAULTS = GenericDefaults()
