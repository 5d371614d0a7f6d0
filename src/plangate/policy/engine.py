"""Run every policy over a plan in one pass: resources are indexed by type once.

Each policy visits only the resources of its types, so the cost grows with plan size times
the (small, fixed) number of policies per type. A policy that raises is an ERROR result,
and an error always fails the gate.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from plangate import __version__
from plangate.plan import LoadedPlan, Plan, ResourceChange
from plangate.policy.registry import PolicySpec, Registry, Severity, View
from plangate.policy.results import Finding, GateReport, PlanRun, PolicyResult, Status, WaiverUse
from plangate.policy.subject import NotApplicable, PolicyContext, Resource, Violation
from plangate.policy.waivers import Waiver


@dataclass(frozen=True, slots=True)
class GateInput:
    """One plan to judge, the environment it belongs to, and its resolved settings."""

    loaded: LoadedPlan
    environment: str | None
    settings: Mapping[str, Any]
    configuration: Any = None
    inventory: Any = None
    """A plangate.inventory Reconciliation when the plan stands for the live inventory."""


@dataclass(slots=True)
class _WaiverLedger:
    """Counts waiver uses during a run; expired waivers never apply."""

    waivers: Sequence[Waiver]
    today: dt.date
    uses: dict[int, int] = field(default_factory=dict)

    def find(self, policy_id: str, address: str, environment: str | None) -> Waiver | None:
        """The first current waiver that matches; every matching one, expired too, is used."""
        chosen: Waiver | None = None
        for position, waiver in enumerate(self.waivers):
            if waiver.matches(policy_id, address, environment):
                self.uses[position] = self.uses.get(position, 0) + 1
                if chosen is None and not waiver.is_expired(self.today):
                    chosen = waiver
        return chosen

    def report(self) -> tuple[WaiverUse, ...]:
        return tuple(
            WaiverUse(waiver=w, uses=self.uses.get(i, 0), expired=w.is_expired(self.today))
            for i, w in enumerate(self.waivers)
        )


def index_by_type(plan: Plan) -> Mapping[str, tuple[ResourceChange, ...]]:
    """Managed resource changes grouped by type, built once per plan."""
    grouped: dict[str, list[ResourceChange]] = defaultdict(list)
    for change in plan.resource_changes:
        if change.is_managed:
            grouped[change.type].append(change)
    return {key: tuple(items) for key, items in grouped.items()}


def _subjects(
    spec: PolicySpec, index: Mapping[str, tuple[ResourceChange, ...]]
) -> Iterable[Resource]:
    for resource_type in spec.resource_types:
        for change in index.get(resource_type, ()):
            if change.deposed is not None and spec.view is not View.CHANGE:
                continue
            if spec.view is View.AFTER:
                if (
                    change.actions.destroys and not change.actions.is_replace
                ) or change.actions.is_forget:
                    continue
                yield Resource(change=change, values=change.after)
            elif spec.view is View.BEFORE:
                if change.actions.is_create or change.before is None:
                    continue
                yield Resource(change=change, values=change.before)
            else:
                yield Resource(
                    change=change,
                    values=change.after if change.after is not None else change.before,
                )


def run_policy(
    spec: PolicySpec,
    context: PolicyContext,
    index: Mapping[str, tuple[ResourceChange, ...]],
    ledger: _WaiverLedger,
) -> PolicyResult:
    """One policy over its subjects; exceptions become an ERROR result, never a pass."""
    violations: list[tuple[str, Violation]] = []
    checked = 0
    reason = f"the plan has no {' or '.join(spec.resource_types)}" if spec.resource_types else ""
    try:
        if spec.view is View.PLAN:
            try:
                for found in spec.function(context.plan, context):
                    if not found.address:
                        raise TypeError("a plan-view policy must set the violation's address")
                    violations.append((found.address, found))
                checked = 1
            except NotApplicable as skipped:
                checked = 0
                reason = str(skipped) or "the policy does not apply to this plan"
        else:
            for subject in _subjects(spec, index):
                try:
                    found_here = list(spec.function(subject, context))
                except NotApplicable as skipped:
                    reason = str(skipped) or f"the policy does not apply to {subject.address}"
                    continue
                checked += 1
                violations.extend((found.address or subject.address, found) for found in found_here)
    except Exception as error:
        detail = " ".join(str(error).split())[:300]
        return PolicyResult(
            spec=spec,
            plan=context.plan_name,
            status=Status.ERROR,
            findings=(),
            checked=checked,
            error=f"{type(error).__name__}: {detail}",
        )
    findings = tuple(
        _finding(spec, context, address, found, ledger) for address, found in violations
    )
    return PolicyResult(
        spec=spec,
        plan=context.plan_name,
        status=_status(findings, checked),
        findings=findings,
        checked=checked,
        reason=reason if not checked else None,
    )


def _finding(
    spec: PolicySpec, context: PolicyContext, address: str, found: Violation, ledger: _WaiverLedger
) -> Finding:
    waiver = ledger.find(spec.id, address, context.environment)
    return Finding(
        policy_id=spec.id,
        severity=spec.severity,
        status=Status.FAIL if waiver is None else Status.WAIVED,
        plan=context.plan_name,
        address=address,
        attribute=found.attribute,
        expected=found.expected,
        actual=found.actual,
        message=found.message,
        waiver=waiver,
    )


def _status(findings: tuple[Finding, ...], checked: int) -> Status:
    if any(f.status is Status.FAIL for f in findings):
        return Status.FAIL
    if findings:
        return Status.WAIVED
    return Status.PASS if checked else Status.NOT_APPLICABLE


def evaluate(
    inputs: Sequence[GateInput],
    registry: Registry,
    waivers: Sequence[Waiver] = (),
    *,
    fail_on: Severity = Severity.INFO,
    only: Iterable[str] | None = None,
    today: dt.date | None = None,
) -> GateReport:
    """Judge every plan with every (or `only` the named) policy and account for waivers."""
    started = time.perf_counter()
    started_at = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    ledger = _WaiverLedger(waivers=waivers, today=today or dt.date.today())
    specs = [registry.get(policy_id) for policy_id in only] if only is not None else list(registry)
    runs = []
    for item in inputs:
        context = PolicyContext(
            plan=item.loaded.plan,
            plan_name=item.loaded.name,
            environment=item.environment,
            settings=item.settings,
            configuration=item.configuration,
            inventory=item.inventory,
        )
        index = index_by_type(item.loaded.plan)
        results = tuple(run_policy(spec, context, index, ledger) for spec in specs)
        runs.append(
            PlanRun(
                loaded=item.loaded,
                environment=item.environment,
                results=results,
                configuration=item.configuration,
                inventory=item.inventory,
            )
        )
    return GateReport(
        runs=tuple(runs),
        waivers=ledger.report(),
        plangate_version=__version__,
        started_at=started_at,
        duration_seconds=round(time.perf_counter() - started, 4),
        fail_on=fail_on,
    )
