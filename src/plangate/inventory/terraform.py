"""What Terraform believes exists: the managed resources of a plan's prior state or a state.

Conformance judges the state Terraform last recorded against what runs, so a plan counts by
its `prior_state` (the refreshed state it was planned from), not by its planned values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from plangate.errors import InputError
from plangate.plan import LoadedPlan, LoadedState, PlanSource, StateResource, load_plan, load_state


@dataclass(frozen=True, slots=True)
class TerraformSide:
    """Every managed resource instance of the given plans and states, and the data sources
    that tell project numbers (`google_project`)."""

    sources: tuple[PlanSource, ...]
    resources: tuple[StateResource, ...]
    data_sources: tuple[StateResource, ...]
    environment: str | None


def read_terraform(plans: Sequence[str], states: Sequence[str]) -> TerraformSide:
    """Load each plan and state; a plan without prior state cannot say what exists."""
    sources: list[PlanSource] = []
    found: list[StateResource] = []
    environment: str | None = None
    for path in plans:
        loaded = load_plan(path)
        if loaded.plan.prior_state is None:
            raise InputError(
                f"{path}: the plan has no prior_state (an empty state?); conformance needs "
                "the resources Terraform manages: pass a plan made against the state, or --state"
            )
        sources.append(loaded.source)
        found.extend(loaded.plan.prior_state.values.resources)
        environment = environment or _environment(loaded)
    for path in states:
        state: LoadedState = load_state(path)
        sources.append(state.source)
        found.extend(state.values.resources)
    current = [r for r in found if r.deposed_key is None]
    return TerraformSide(
        sources=tuple(sources),
        resources=tuple(r for r in current if r.mode == "managed"),
        data_sources=tuple(r for r in current if r.mode == "data"),
        environment=environment,
    )


def _environment(loaded: LoadedPlan) -> str | None:
    value: Any = loaded.plan.variables.get("environment")
    return value if isinstance(value, str) else None
