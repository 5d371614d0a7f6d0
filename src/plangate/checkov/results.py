"""checkov's records as plangate results: one PolicyResult per check id and plan.

A check passes on a plan when it passed on every resource it judged, and fails with one
finding per failing resource otherwise. Findings take plangate's waivers exactly as the
engine's do (policy id = the CKV id). Attribute and actual value come from the plan plangate
loaded, so sensitive values stay hidden; the file and line come from plangate's HCL reader
when a report is rendered, not from checkov, which reports a compact plan at line 0.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from plangate.checkov.errors import CheckovError
from plangate.checkov.output import CheckRecord, Outcome, Scan
from plangate.checkov.ratings import rating
from plangate.config import parse_resource_address
from plangate.errors import InputError
from plangate.plan import ABSENT
from plangate.plan.values import format_path, get_path
from plangate.policy.registry import PolicySpec, View
from plangate.policy.results import Finding, PlanRun, PolicyResult, Status
from plangate.policy.waivers import Waiver

SERVICE = "checkov"
NOT_NAMED = "(checkov names no attribute)"
_WORST = {Outcome.FAILED: 2, Outcome.SKIPPED: 1, Outcome.PASSED: 0}


def to_results(
    scan: Scan, run: PlanRun, waivers: Sequence[Waiver] = (), *, today: dt.date | None = None
) -> tuple[PolicyResult, ...]:
    """The scan of `run`'s plan as results on that plan, sorted by check id."""
    by_check: dict[str, dict[str, CheckRecord]] = defaultdict(dict)
    for record in scan.records:
        seen = by_check[record.check_id].get(record.address)
        if seen is None or _WORST[record.outcome] > _WORST[seen.outcome]:
            by_check[record.check_id][record.address] = record
    day = today or dt.date.today()
    return tuple(
        _result(check_id, tuple(by_check[check_id].values()), run, waivers, day)
        for check_id in sorted(by_check)
    )


def _result(
    check_id: str,
    records: tuple[CheckRecord, ...],
    run: PlanRun,
    waivers: Sequence[Waiver],
    today: dt.date,
) -> PolicyResult:
    spec = _spec(check_id, records)
    findings = tuple(
        _finding(spec, record, run, waivers, today)
        for record in records
        if record.outcome is not Outcome.PASSED
    )
    if any(f.status is Status.FAIL for f in findings):
        status = Status.FAIL
    else:
        status = Status.WAIVED if findings else Status.PASS
    return PolicyResult(
        spec=spec, plan=run.name, status=status, findings=findings, checked=len(records)
    )


def _spec(check_id: str, records: tuple[CheckRecord, ...]) -> PolicySpec:
    """The policy a checkov check stands for in reports: checkov's name, plangate's rating."""
    rated = rating(check_id)
    types = sorted({t for t in (_resource_type(r.address) for r in records) if t})
    return PolicySpec(
        id=check_id,
        title=records[0].name,
        severity=rated.severity,
        rationale=rated.reason,
        resource_types=tuple(types),
        view=View.AFTER,
        references=tuple(dict.fromkeys(r.guideline for r in records if r.guideline)),
        service=SERVICE,
        function=_judged_by_checkov(check_id),
    )


def _judged_by_checkov(check_id: str) -> Callable[..., Iterable[Any]]:
    """A PolicySpec needs a function; checkov's checks run in checkov, never in the engine.
    Its name is what SARIF calls the rule."""

    def judged_by_checkov(*_: Any) -> Iterable[Any]:
        raise CheckovError(f"{check_id} is judged by checkov, not by plangate's engine")

    judged_by_checkov.__name__ = judged_by_checkov.__qualname__ = f"checkov_{check_id}"
    return judged_by_checkov


def _finding(
    spec: PolicySpec, record: CheckRecord, run: PlanRun, waivers: Sequence[Waiver], today: dt.date
) -> Finding:
    attribute, actual = _attribute(record, run)
    message = f"checkov {record.check_id} failed: {record.name}"
    if record.outcome is Outcome.SKIPPED:
        reason = f" ({record.suppress_comment})" if record.suppress_comment else ""
        message = (
            f"checkov {record.check_id} was suppressed by a checkov:skip comment{reason}; "
            "plangate does not honour inline skips: add a waiver"
        )
    waiver = _waiver(waivers, spec.id, record.address, run.environment, today)
    return Finding(
        policy_id=spec.id,
        severity=spec.severity,
        status=Status.FAIL if waiver is None else Status.WAIVED,
        plan=run.name,
        address=record.address,
        attribute=attribute,
        expected=_expected(record.name),
        actual=actual,
        message=message,
        waiver=waiver,
    )


def _waiver(
    waivers: Sequence[Waiver], policy_id: str, address: str, environment: str | None, today: dt.date
) -> Waiver | None:
    """The first matching waiver that has not expired, as the engine chooses."""
    for waiver in waivers:
        if waiver.matches(policy_id, address, environment) and not waiver.is_expired(today):
            return waiver
    return None


def _attribute(record: CheckRecord, run: PlanRun) -> tuple[str, Any]:
    """The first attribute checkov evaluated that the planned resource has, with its value."""
    paths = [_path(key) for key in record.evaluated_keys]
    change = run.loaded.plan.resource_change(record.address)
    values = change.after if change is not None else None
    for path in paths:
        value = get_path(values, path) if values is not None else ABSENT
        if value is not ABSENT:
            return format_path(path), value
    if not paths:
        return "", NOT_NAMED
    return ", ".join(format_path(path) for path in paths), ABSENT


def _path(key: str) -> tuple[str | int, ...]:
    """checkov's `logging/[0]/log_bucket` as path steps."""
    steps: list[str | int] = []
    for part in key.split("/"):
        index = re.fullmatch(r"\[(\d+)\]", part)
        steps.append(int(index.group(1)) if index else part)
    return tuple(steps)


def _expected(name: str) -> str:
    """`Ensure that buckets have X` reads as the expectation `buckets have X`."""
    text = re.sub(r"^Ensure (that )?", "", name).rstrip(".")
    return text[:1].upper() + text[1:]


def _resource_type(address: str) -> str | None:
    try:
        return parse_resource_address(address).type
    except InputError:
        return None
