"""Under `pytest -n`, every item of one plan goes to the same worker.

The engine judges a plan once per process and every item of that plan reads the result, so a
plan whose items are spread over N workers is loaded and judged N times: with xdist's plain
`--dist load`, two workers on four plans did twice the work of one process and finished later.
xdist's own answer, `--dist loadgroup` with `xdist_group` marks, does not group on pytest 9.2
(the marks no longer reach the node ids the scheduler sees), so plangate supplies the
scheduler: xdist's scope scheduling, with the plan as the scope. Items without a plan keep
xdist's module scope.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from xdist.remote import Producer
from xdist.scheduler import LoadScopeScheduling

#: The --dist modes whose work plangate schedules by plan; the others are left to xdist.
PLAN_SCHEDULED_MODES = frozenset({"load", "loadgroup"})


def plan_of(nodeid: str, plan_ids: Sequence[str]) -> str | None:
    """The plan an item judges, read from its parameter id (`name[PLAN]` or, with more
    parameters, `name[PLAN-...]` / `name[...-PLAN]`), or None for an item without one."""
    if not nodeid.endswith("]") or "[" not in nodeid:
        return None
    parameters = nodeid[nodeid.rindex("[") + 1 : -1]
    for plan_id in sorted(plan_ids, key=len, reverse=True):  # "prod-eu" before "prod"
        if f"-{parameters}-".find(f"-{plan_id}-") >= 0:
            return plan_id
    return None


class PlanScheduling(LoadScopeScheduling):
    """xdist's scope scheduling with one scope per plan."""

    def __init__(
        self, config: pytest.Config, log: Producer | None, plan_ids: Sequence[str]
    ) -> None:
        super().__init__(config, log)
        self.plan_ids = tuple(plan_ids)

    def _split_scope(self, nodeid: str) -> str:
        plan_id = plan_of(nodeid, self.plan_ids)
        return f"plan:{plan_id}" if plan_id is not None else super()._split_scope(nodeid)
