"""Engine results as evidence: the catalogue's rows, and the conformance section.

The conformance section is built from the session's one conformance run, or from the reason it
could not run: an inventory that was not read whole is recorded as such and fails the run.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from plangate.evidence.model import (
    ConformanceEvidence,
    FindingEvidence,
    NotVerifiableEvidence,
    PolicyEvidence,
    SourceEvidence,
)
from plangate.plan import render
from plangate.policy import GateReport, PolicyResult, Status
from plangate.report import conformance

INVENTORY = "inventory"
"""The column the conformance results are reported under, as their test ids say."""


def policy_evidence(result: PolicyResult, plan: str, root: Path) -> PolicyEvidence:
    """One policy result under the plan (or inventory) column it belongs to. Requirement ids
    belong to a project's own document: those of a policy defined outside the project root
    (an installed catalogue) name another project's requirements and are not traced."""
    messages = [f"{f.address}: {f.message}" for f in result.findings]
    if result.error:
        messages.append(f"policy raised {result.error}")
    return PolicyEvidence(
        policy_id=result.spec.id,
        title=result.spec.title,
        severity=result.spec.severity.value,
        plan=plan,
        status=result.status.value,
        messages=tuple(messages),
        requirements=result.spec.requirements
        if policy_module(result).resolve().is_relative_to(root)
        else (),
    )


def policy_module(result: PolicyResult) -> Path:
    """The file that defined the policy (its code's file, not its import name)."""
    return Path(result.spec.source.rsplit(":", 1)[0])


def conformance_evidence(
    outcome: GateReport | str, requested: str, relative: Callable[[str], str], root: Path
) -> ConformanceEvidence:
    """The section for a conformance run; `requested` names the inventory asked for, and
    `relative` shortens file names to the project root."""
    if isinstance(outcome, str):
        return ConformanceEvidence(
            inventory=requested,
            kind=None,
            scope=None,
            read_time=None,
            files=(),
            records_read=0,
            terraform=(),
            coverage=None,
            counts={},
            not_verifiable=(),
            controls=(),
            findings=(),
            error=outcome,
        )
    (run,) = conformance.runs(outcome)
    summary = conformance.info(run)
    inventory = summary["inventory"]
    return ConformanceEvidence(
        inventory=inventory["description"] or requested,
        kind=inventory["kind"],
        scope=inventory["scope"],
        read_time=inventory["read_time"],
        files=tuple(
            SourceEvidence(relative(item["path"]), item["sha256"]) for item in inventory["files"]
        ),
        records_read=inventory["records"],
        terraform=tuple(
            SourceEvidence(relative(item["name"]), item["sha256"]) for item in summary["terraform"]
        ),
        coverage=summary["coverage"],
        counts=summary["counts"],
        not_verifiable=tuple(
            NotVerifiableEvidence(item["address"], item["type"], item["reason"])
            for item in summary["not_verifiable"]
        ),
        controls=tuple(policy_evidence(result, INVENTORY, root) for result in run.results),
        findings=tuple(
            FindingEvidence(
                policy_id=finding.policy_id,
                status=finding.status.value,
                address=finding.address,
                attribute=finding.attribute,
                expected=finding.expected,
                actual=render(finding.actual),
                message=finding.message,
            )
            for result in run.results
            for finding in result.findings
            if finding.status in (Status.FAIL, Status.WAIVED)
        ),
    )
