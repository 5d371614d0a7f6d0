"""Run every policy over a plan in one pass over its resources.

Each resource is visited once and judged by the policies of its type, so the cost grows
with plan size times the (small, fixed) number of policies per type, and a resource's
values are resolved once and freed before the next. A policy that raises is an ERROR
result, and an error always fails the gate; a value that cannot be read (nested beyond
reason) is bad input and stops the run with exit 2.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from plangate import __version__
from plangate.errors import InputError
from plangate.plan import LoadedPlan, ResourceChange
from plangate.plan.wire import ValueRefused
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


@dataclass(slots=True)
class _Tally:
    """What one resource-view policy has found so far in one plan."""

    spec: PolicySpec
    checked: int = 0
    reason: str = ""
    error: str | None = None
    found: list[tuple[tuple[int, int], str, Violation]] = field(default_factory=list)
    """(type rank in the spec, position in the plan), address, violation."""


_NO_VALUES = object()


def _values(change: ResourceChange, view: View) -> Any:
    """The values a view judges, or _NO_VALUES when the change has none for that view."""
    actions = change.actions
    if change.deposed is not None and view is not View.CHANGE:
        return _NO_VALUES
    if view is View.AFTER:
        if (actions.destroys and not actions.is_replace) or actions.is_forget:
            return _NO_VALUES
        return change.after
    if view is View.BEFORE:
        before = change.before if not actions.is_create else None
        return _NO_VALUES if before is None else before
    after = change.after
    return after if after is not None else change.before


def _judge_resources(specs: Sequence[PolicySpec], context: PolicyContext) -> dict[str, _Tally]:
    """Every resource-view policy over the plan, one resource at a time.

    Each resource's values are resolved once per view and dropped before the next resource,
    so memory stays flat however large the plan; findings keep the order of a policy-by-
    policy pass (the spec's types in order, then plan order).
    """
    tallies = {spec.id: _Tally(spec) for spec in specs}
    by_type: dict[str, list[tuple[_Tally, int]]] = defaultdict(list)
    for spec in specs:
        for rank, resource_type in enumerate(spec.resource_types):
            by_type[resource_type].append((tallies[spec.id], rank))
    for position, change in enumerate(context.plan.resource_changes):
        wanted = by_type.get(change.type) if change.is_managed else None
        if not wanted:
            continue
        try:
            _judge_resource(change, position, wanted, context)
        except ValueRefused as refused:
            raise InputError(
                f"{context.plan_name}: {change.display_address}: {refused}; "
                "expected the output of `terraform show -json PLANFILE`"
            ) from None
    return tallies


def _judge_resource(
    change: ResourceChange,
    position: int,
    wanted: list[tuple[_Tally, int]],
    context: PolicyContext,
) -> None:
    subjects: dict[View, Resource | None] = {}  # one subject per view, shared by its policies
    for tally, rank in wanted:
        spec = tally.spec
        if tally.error is not None:
            continue
        if spec.view in subjects:
            subject = subjects[spec.view]
        else:
            values = _values(change, spec.view)
            subject = None if values is _NO_VALUES else Resource(change=change, values=values)
            subjects[spec.view] = subject
        if subject is None:
            continue
        try:
            found_here = list(spec.function(subject, context))
        except NotApplicable as skipped:
            tally.reason = str(skipped) or f"the policy does not apply to {change.address}"
            continue
        except ValueRefused:
            raise
        except Exception as error:
            tally.error = _error_text(error)
            continue
        tally.checked += 1
        if found_here:
            tally.found.extend(
                ((rank, position), found.address or change.address, found) for found in found_here
            )


def _resource_result(tally: _Tally, context: PolicyContext, ledger: _WaiverLedger) -> PolicyResult:
    spec = tally.spec
    if tally.error is not None:
        return PolicyResult(
            spec=spec,
            plan=context.plan_name,
            status=Status.ERROR,
            findings=(),
            checked=tally.checked,
            error=tally.error,
        )
    tally.found.sort(key=lambda item: item[0])
    findings = tuple(
        _finding(spec, context, address, found, ledger) for _, address, found in tally.found
    )
    reason = tally.reason or f"the plan has no {' or '.join(spec.resource_types)}"
    return PolicyResult(
        spec=spec,
        plan=context.plan_name,
        status=_status(findings, tally.checked),
        findings=findings,
        checked=tally.checked,
        reason=reason if not tally.checked else None,
    )


def _plan_result(spec: PolicySpec, context: PolicyContext, ledger: _WaiverLedger) -> PolicyResult:
    """A plan-view policy: it reads the plan as a whole; exceptions become an ERROR result."""
    violations: list[tuple[str, Violation]] = []
    checked = 0
    reason = ""
    try:
        for found in spec.function(context.plan, context):
            if not found.address:
                raise TypeError("a plan-view policy must set the violation's address")
            violations.append((found.address, found))
        checked = 1
    except NotApplicable as skipped:
        reason = str(skipped) or "the policy does not apply to this plan"
    except ValueRefused as refused:
        raise InputError(
            f"{context.plan_name}: {refused}; expected the output of `terraform show -json PLANFILE`"
        ) from None
    except Exception as error:
        return PolicyResult(
            spec=spec,
            plan=context.plan_name,
            status=Status.ERROR,
            findings=(),
            checked=0,
            error=_error_text(error),
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


def _error_text(error: Exception) -> str:
    detail = " ".join(str(error).split())[:300]
    return f"{type(error).__name__}: {detail}"


def judge_plan(
    specs: Sequence[PolicySpec], context: PolicyContext, ledger: _WaiverLedger
) -> tuple[PolicyResult, ...]:
    """Every policy over one plan, results in the order of `specs`."""
    tallies = _judge_resources([s for s in specs if s.view is not View.PLAN], context)
    return tuple(
        _plan_result(spec, context, ledger)
        if spec.view is View.PLAN
        else _resource_result(tallies[spec.id], context, ledger)
        for spec in specs
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
        results = judge_plan(specs, context, ledger)
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
