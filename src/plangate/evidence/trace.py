"""The traceability matrix: each requirement, the controls that name it, the outcome per plan.

Controls point at requirements (a policy's `requirements=`, a scenario's `@REQ-NNN` tag), so
the matrix is built from what ran, never from what the document claims. A control naming a
requirement the document lacks is listed as a traceability error.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from plangate.evidence.model import (
    ControlTrace,
    Evidence,
    PolicyEvidence,
    RequirementTrace,
    Traceability,
    UnknownReference,
)
from plangate.requirements import Requirement, load_requirements
from plangate.settings import Settings

DEFAULT_DOCUMENT = "docs/requirements.md"
REQUIREMENT_TAG = re.compile(r"^REQ-[0-9]{3}$")

FAILED, ERROR, PASSED = "failed", "error", "passed"
NOT_CHECKED = "not checked"
OUTSIDE = "verified outside the gate"
_POLICY_OUTCOMES = {
    "pass": PASSED,
    "fail": FAILED,
    "error": ERROR,
    "waived": "waived",
    "not_applicable": "not applicable",
}
_HOLDS = {PASSED, "waived", "not applicable"}


def requirements_document(settings: Settings) -> tuple[Path | None, tuple[Requirement, ...]]:
    """The project's requirements document and its requirements. A configured document must
    be readable (one-line error otherwise); the default one is optional."""
    configured = settings.raw.get("requirements")
    path = settings.root / (configured if isinstance(configured, str) else DEFAULT_DOCUMENT)
    if configured is None and not path.is_file():
        return None, ()
    return path, load_requirements(path)


def combine(outcomes: Iterable[str]) -> str:
    """One result per plan: any failure fails, any error errs, skips do not count, and a
    requirement nothing checked on the plan says so rather than passing."""
    ran = [outcome for outcome in outcomes if outcome != "skipped"]
    if not ran:
        return NOT_CHECKED
    if FAILED in ran:
        return FAILED
    if any(outcome not in _HOLDS for outcome in ran):  # error, or a scenario never reported
        return ERROR
    return PASSED


def _policy_controls(
    policies: Iterable[PolicyEvidence],
) -> dict[str, tuple[ControlTrace, tuple[str, ...]]]:
    found: dict[str, tuple[ControlTrace, tuple[str, ...]]] = {}
    for result in policies:
        control, _ = found.setdefault(
            result.policy_id,
            (ControlTrace("policy", result.policy_id, result.title, {}), result.requirements),
        )
        control.outcomes[result.plan] = _POLICY_OUTCOMES.get(result.status, result.status)
    return found


def _controls(evidence: Evidence) -> list[tuple[ControlTrace, tuple[str, ...]]]:
    """Every control that ran, with the requirements it names."""
    scenarios = [
        (
            ControlTrace(
                "scenario", f"{row.feature_file}:{row.line}", row.scenario_name, dict(row.outcomes)
            ),
            tuple(tag for tag in row.tags if REQUIREMENT_TAG.match(tag)),
        )
        for row in evidence.scenario_rows()
    ]
    conformance = evidence.conformance.controls if evidence.conformance else ()
    policies = _policy_controls([*evidence.policies, *conformance])
    return [*(policies[key] for key in sorted(policies)), *scenarios]


def trace_evidence(
    evidence: Evidence, requirements: tuple[Requirement, ...], document: str | None
) -> Traceability:
    """The matrix of a run's controls against the document's requirements."""
    controls = _controls(evidence)
    plans = tuple(
        dict.fromkeys(
            [
                *(Path(plan.name).stem for plan in evidence.plans if plan.error is None),
                # a column for the inventory only when an inventory control ran
                *(
                    plan
                    for control, _ in controls
                    for plan, outcome in control.outcomes.items()
                    if outcome != "skipped"
                ),
            ]
        )
    )
    by_requirement: dict[str, list[ControlTrace]] = defaultdict(list)
    for control, names in controls:
        for name in names:
            by_requirement[name].append(control)
    rows = []
    for requirement in requirements:
        traced = by_requirement.get(requirement.id, [])
        if traced:
            results = {
                plan: combine(c.outcomes[plan] for c in traced if plan in c.outcomes)
                for plan in plans
            }
        else:
            results = dict.fromkeys(plans, OUTSIDE if requirement.verified_by else NOT_CHECKED)
        rows.append(
            RequirementTrace(
                requirement.id, requirement.title, requirement.verified_by, tuple(traced), results
            )
        )
    defined = {requirement.id for requirement in requirements}
    unknown = tuple(
        UnknownReference(name, control.kind, control.id, control.title)
        for control, names in controls
        for name in names
        if name not in defined
    )
    untraced = tuple(control.id for control, names in controls if not names)
    return Traceability(document, plans, tuple(rows), unknown, untraced)
