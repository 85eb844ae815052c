"""Whether a body is an RSS/Atom feed, and the links of its entries."""

from __future__ import annotations

import feedparser


def read_feed(body: str) -> tuple[str, ...] | None:
    """The entries' links; None when the body is no feed (an HTML page, an empty feed)."""
    feed = feedparser.parse(body)
    if not feed.get("version") or not feed.entries:
        return None
    return tuple(dict.fromkeys(link.strip() for e in feed.entries if (link := e.get("link"))))
