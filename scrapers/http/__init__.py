"""Polite HTTP: :class:`PoliteSession` makes every request provnews sends to a site.

One module per concern: ``guard`` (schemes, addresses, mirrors), ``robots``, ``pacing``,
``retry``, ``transport`` (streaming, size cap, deadline), ``decoding``; ``session`` composes
them. Reads no settings itself (each module names its own).
"""

from scrapers.http.pacing import Pacer
from scrapers.http.result import FetchError, FetchResult
from scrapers.http.session import PoliteSession

__all__ = ["FetchError", "FetchResult", "Pacer", "PoliteSession"]
