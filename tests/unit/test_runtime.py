"""freeze_imports: what lives when a pipeline process has loaded its code is taken out of the
garbage collector's walks, and what is garbage then is not kept forever."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from scrapers.runtime import freeze_imports


class Node:
    """An object in a reference cycle: only the cyclic collector can free it."""

    def __init__(self) -> None:
        self.me = self


@pytest.fixture
def collector() -> Iterator[None]:
    """No automatic collection during the test (it would free the cycle first); nothing
    left frozen after it."""
    gc.disable()
    gc.unfreeze()
    try:
        yield
    finally:
        gc.unfreeze()
        gc.enable()


def test_the_living_are_frozen_and_the_garbage_collected_first(collector: None):
    living, dead = Node(), Node()
    gone = weakref.ref(dead)
    del dead
    assert gone() is not None and gc.get_freeze_count() == 0
    freeze_imports()
    assert gone() is None
    assert gc.get_freeze_count() > 0
    assert not any(obj is living for obj in gc.get_objects())
    later = Node()
    assert any(obj is later for obj in gc.get_objects())
