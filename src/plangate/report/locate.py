"""Where a finding lives in the Terraform code.

A renderer may be given a `Locator`: a callable that answers, for a plan run and a resource
address, the `.tf` file (relative to the repository root) and 1-based line of the block that
declares it, or None when it does not know. Renderers never require one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeAlias

from plangate.policy.results import PlanRun

Location: TypeAlias = tuple[str, int]
Locator: TypeAlias = Callable[[PlanRun, str], Location | None]


class CachedLocator:
    """Asks a locator at most once per (plan run, address) and normalises what it answers."""

    def __init__(self, locator: Locator | None) -> None:
        self._locator = locator
        self._answers: dict[tuple[int, str], Location | None] = {}

    def __call__(self, run: PlanRun, address: str) -> Location | None:
        if self._locator is None:
            return None
        key = (id(run), address)
        if key not in self._answers:
            self._answers[key] = _normalise(self._locator(run, address))
        return self._answers[key]


def _normalise(answer: Location | None) -> Location | None:
    if answer is None:
        return None
    path, line = answer
    path = str(path).replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    if not path or not isinstance(line, int) or isinstance(line, bool):
        return None
    return path, max(line, 1)
