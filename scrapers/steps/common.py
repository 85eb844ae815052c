"""What several steps share: the polite session for a site, optionally aimed at a mirror."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

from scrapers.http import PoliteSession
from scrapers.registry import Site
from scrapers.settings import Settings


def session_for(site: Site, base_url: str | None, settings: Settings) -> PoliteSession:
    """A session paced by the site's min_delay; ``base_url`` sends the site's host to a mirror.

    Pointing a site at a mirror is an explicit choice, so the mirror's own address is
    allow-listed even when it is private or loopback (the replica runs on 127.0.0.1).
    """
    mirrors = None
    if base_url:
        mirrors = {site.host: base_url.rstrip("/")}
        mirror_host = urlsplit(base_url).hostname or ""
        addresses = {info[4][0] for info in socket.getaddrinfo(mirror_host, None)}
        allowed = ",".join([*settings.allowed_networks(), *sorted(addresses)])
        settings = settings.model_copy(update={"allow_addresses": allowed})
    session = PoliteSession(settings, mirrors=mirrors)
    session.set_min_delay(site.host, site.min_delay)
    return session
