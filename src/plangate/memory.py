"""Memory housekeeping shared by the phases that build large immutable models."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a large model is built.

    Loading a plan or reconciling an inventory allocates millions of objects and frees almost
    none, so the collector's passes over them are pure cost (about half the load time of a
    10,000-resource plan, a third of a 100,000-asset reconciliation); it runs again,
    unchanged, afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
