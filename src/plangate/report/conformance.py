"""The conformance part of a report: what was compared, coverage, and what cannot be verified.

The findings themselves are ordinary policy findings (PG-CAI-*); this adds what an auditor or
the on-call engineer needs around them: which inventory and which states were read, how much
of the project Terraform covers, and which resources the inventory cannot confirm.
"""

from __future__ import annotations

from typing import Any

from plangate.policy.results import GateReport, PlanRun


def runs(report: GateReport) -> list[PlanRun]:
    """The runs that judged a live inventory."""
    return [run for run in report.runs if run.inventory is not None]


def info(run: PlanRun) -> dict[str, Any]:
    """A JSON-ready summary of one reconciliation."""
    rec = run.inventory
    source = rec.source
    coverage = rec.coverage
    return {
        "inventory": {
            "kind": source.kind if source else None,
            "description": source.description if source else None,
            "scope": source.scope if source else None,
            "read_time": source.read_time if source else None,
            "files": [{"path": p, "sha256": h} for p, h in (source.files if source else ())],
            "records": rec.records_read,
            "records_ignored": rec.records_ignored,
        },
        "terraform": [{"name": s.name, "sha256": s.sha256} for s in rec.terraform],
        "in_sync": rec.in_sync,
        "coverage": None if coverage is None else round(coverage, 4),
        "counts": {
            "managed": len(rec.managed),
            "in_sync": len(rec.managed) - len(rec.drifted),
            "drifted": len(rec.drifted),
            "missing": len(rec.missing),
            "unmanaged": len(rec.unmanaged),
            "undeclared_grants": len(rec.undeclared_grants),
            "missing_grants": len(rec.missing_grants),
            "not_verifiable": len(rec.not_verifiable),
        },
        "not_verifiable": [
            {"address": n.address, "type": n.terraform_type, "reason": n.reason}
            for n in rec.not_verifiable
        ],
    }


def coverage_text(value: float | None) -> str:
    return "n/a (nothing to compare)" if value is None else f"{value:.1%}"


def headline(summary: dict[str, Any]) -> str:
    """One line: coverage and counts."""
    counts = summary["counts"]
    return (
        f"coverage {coverage_text(summary['coverage'])}: {counts['in_sync']} in sync, "
        f"{counts['drifted']} drifted, {counts['missing']} missing, "
        f"{counts['unmanaged']} unmanaged; IAM: {counts['undeclared_grants']} undeclared, "
        f"{counts['missing_grants']} missing; {counts['not_verifiable']} not verifiable"
    )
