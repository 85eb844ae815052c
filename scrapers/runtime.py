"""What a process that runs the pipeline does once its imports are loaded.

``freeze_imports`` takes every object alive at that point (the modules, their functions,
classes and tables: about 140,000 once the pipeline is imported) out of the cyclic garbage
collector's reach. Each full collection walks every object it tracks, and with those in it
one cost about 50 ms, paid by whatever step happened to allocate then: at 1,000 articles
a site it was a fifth of the load's CPU (``bench/pipeline.py``, the rows built for the
COPY). A process forked after the freeze (the LocalExecutor's task processes) also keeps
sharing those pages with its parent, as the collector no longer writes to them. Called
again in a process already frozen, it collects and freezes only what came since.
"""

from __future__ import annotations

import gc


def freeze_imports() -> None:
    """Collect what is garbage now, then exempt every surviving object from collection."""
    gc.collect()
    gc.freeze()
