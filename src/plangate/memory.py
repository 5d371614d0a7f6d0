"""Memory housekeeping shared by the phases that build large immutable models."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a large model is built, then exempt the model.

    Loading a plan or reconciling an inventory allocates millions of objects and frees almost
    none, so the collector's passes over them are pure cost (about half the load time of a
    10,000-resource plan, a third of a 100,000-asset reconciliation). What was built is then
    moved out of the collector's sight (`gc.freeze`): the model holds no reference cycles, so
    reference counting still frees it, and no later pass walks it again (re-enabling alone
    would start with one full pass over everything just built, 0.1 s at 10,000 resources).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()
