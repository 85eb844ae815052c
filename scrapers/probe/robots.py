"""What a site's robots.txt tells a probe: the sitemaps it announces, the pace it asks for,
and whether it lets provnews read the homepage at all."""

from __future__ import annotations

from dataclasses import dataclass

from protego import Protego


@dataclass(frozen=True)
class RobotsFacts:
    sitemaps: tuple[str, ...]
    crawl_delay: float | None
    blocked: bool  # the homepage is disallowed for our User-Agent


def read_robots(body: str | None, user_agent: str, base_url: str) -> RobotsFacts:
    """``body`` None (no robots.txt): no rules."""
    if not body:
        return RobotsFacts((), None, False)
    rules = Protego.parse(body)
    delay = rules.crawl_delay(user_agent)
    return RobotsFacts(tuple(dict.fromkeys(rules.sitemaps)),
                       float(delay) if delay is not None else None,
                       not rules.can_fetch(base_url.rstrip("/") + "/", user_agent))
