"""JSON for machines: plans, summary and findings, plus every result, waiver and warning.

Top-level keys: `plans`, `summary`, `findings` (the stable core), then `results` (one per
policy and plan, pass and not_applicable included), `errors`, `waivers`, `warnings`,
`plangate_version`, `started_at`, `duration_seconds`. Values are the model's: unknown and
sensitive values appear only as their labels.
"""

from __future__ import annotations

from typing import Any

from plangate.policy.results import GateReport
from plangate.report import _common as common
from plangate.report import conformance
from plangate.report.locate import CachedLocator, Locator

SCHEMA_VERSION = 1


def document(report: GateReport, locator: Locator | None = None) -> dict[str, Any]:
    """The report as a JSON-ready dict (what `render` serialises)."""
    locate = CachedLocator(locator)
    found = common.findings(report)
    return {
        "plans": [common.plan_info(run) for run in report.runs],
        "summary": common.summary(report, found),
        "findings": [_finding(report, item, locate) for item in [*found.failing, *found.waived]],
        "results": [
            {
                "policy": result.spec.id,
                "title": result.spec.title,
                "severity": result.spec.severity.value,
                "plan": run.name,
                "environment": run.environment,
                "status": result.status.value,
                "checked": result.checked,
                "failing": len(result.failures),
                "waived": len(result.findings) - len(result.failures),
                "blocking": report.blocking(result),
                "error": result.error,
                "reason": result.reason,
            }
            for run in report.runs
            for result in run.results
        ],
        "errors": [
            {"policy": result.spec.id, "plan": run.name, "error": result.error}
            for run, result in common.errors(report)
        ],
        "waivers": [
            {
                "policy": use.waiver.policy,
                "address": use.waiver.address,
                "justification": use.waiver.justification,
                "approver": use.waiver.approver,
                "expires": use.waiver.expires.isoformat(),
                "environments": list(use.waiver.environments),
                "ticket": use.waiver.ticket,
                "uses": use.uses,
                "expired": use.expired,
            }
            for use in report.waivers
        ],
        "warnings": list(report.warnings),
        "conformance": [conformance.info(run) for run in conformance.runs(report)],
        "catalogue": list(report.catalogue),
        "plangate_version": report.plangate_version,
        "started_at": report.started_at,
        "duration_seconds": report.duration_seconds,
        "schema_version": SCHEMA_VERSION,
    }


def _finding(report: GateReport, item: common.Item, locate: CachedLocator) -> dict[str, Any]:
    finding = item.finding
    where = locate(item.run, finding.address)
    return {
        "policy": finding.policy_id,
        "severity": finding.severity.value,
        "status": finding.status.value,
        "address": finding.address,
        "attribute": finding.attribute,
        "expected": finding.expected,
        "actual": common.plain(finding.actual),
        "message": finding.message,
        "title": item.spec.title,
        "plan": finding.plan,
        "environment": item.run.environment,
        "blocking": common.blocks(report, finding),
        "location": None if where is None else {"file": where[0], "line": where[1]},
        "waiver": common.waiver_info(finding),
    }


def render(report: GateReport, locator: Locator | None = None) -> str:
    return common.pretty_json(document(report, locator))
