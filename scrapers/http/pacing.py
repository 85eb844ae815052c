"""Per-host pacing: one request in flight per host, and a gap between exchanges.

A host's gate is held for the whole exchange, body included, and the next request to that
host starts at least its delay after the previous exchange ended, so the server sees that
gap whatever the latency or the number of threads. A Retry-After moves the gate for every
thread. A global semaphore caps requests in flight across hosts.

A :class:`Pacer` belongs to the session that made it; sessions that must pace the same
hosts together (two in one worker, say) are given one pacer to share.

Reads ``default_min_delay`` and ``global_concurrency``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from scrapers.settings import Settings


@dataclass
class _Gate:
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_at: float = 0.0  # time.monotonic() before which no request may start


@dataclass
class Turn:
    """One exchange's hold on its host; ``pause`` (a Retry-After) may lengthen the gap after."""

    pause: float = 0.0


class Pacer:
    def __init__(self, settings: Settings) -> None:
        self._default = settings.default_min_delay
        self._slots = threading.BoundedSemaphore(settings.global_concurrency)
        self._gates: dict[str, _Gate] = {}
        self._delays: dict[str, float] = {}
        self._lock = threading.Lock()

    def set_min_delay(self, host: str, seconds: float) -> None:
        with self._lock:
            self._delays[host.lower()] = seconds

    def min_delay(self, host: str) -> float:
        with self._lock:
            return self._delays.get(host.lower(), self._default)

    @contextmanager
    def turn(self, host: str, delay: Callable[[], float]) -> Iterator[Turn]:
        """Wait for the host's turn and a global slot; after, keep the host ``delay()`` idle."""
        with self._lock:
            gate = self._gates.setdefault(host.lower(), _Gate())
        with gate.lock:
            wait = gate.next_at - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            turn = Turn()
            try:
                with self._slots:
                    yield turn
            finally:
                gate.next_at = time.monotonic() + max(delay(), turn.pause)
