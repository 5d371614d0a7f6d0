"""Markdown for a CI job summary (`$GITHUB_STEP_SUMMARY`): verdict, counts, then the details.

Tables are capped so that a run with thousands of findings still yields a readable page well
inside the summary size limit; the JSON and SARIF reports carry everything.
"""

from __future__ import annotations

import re
from typing import Any

from plangate.policy.results import GateReport
from plangate.report import _common as common
from plangate.report import conformance
from plangate.report.locate import Locator

MAX_ROWS = 50
CELL_LIMIT = 120
_SPECIAL = re.compile(r"([\\`|*_\[\]<>~&])")


def cell(value: object, limit: int = CELL_LIMIT) -> str:
    """Text made safe for a table cell: one line, short, Markdown and HTML characters escaped."""
    text = common.shorten(str(value), limit)
    return _SPECIAL.sub(r"\\\1", text) if text else " "


def code(value: object, limit: int = CELL_LIMIT) -> str:
    """Text as an inline code span for a table cell: the fence outgrows any backtick run inside."""
    text = common.shorten(str(value), limit).replace("|", "\\|")
    if not text:
        return " "
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or longest else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def render(report: GateReport, locator: Locator | None = None) -> str:
    del locator  # a summary page names resources; the SARIF report links to code
    icon = "✅" if report.passed else "❌"
    found = common.findings(report)
    data = common.summary(report, found)
    lines = [
        f"## {icon} plangate: {common.verdict(report)}",
        "",
        cell(common.summary_line(report, data), 10_000),
        "",
    ]
    lines += _counts(report, data)
    lines += _conformance(report)
    lines += _errors(report)
    lines += _expired(report)
    lines += _findings(report, found.failing)
    lines += _waived(found.waived)
    lines += _warnings(report)
    lines += _plans(report)
    return "\n".join(lines).rstrip("\n") + "\n"


def _table(
    header: list[str], rows: list[list[str]], total: int, noun: str, cap: int = MAX_ROWS
) -> list[str]:
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
        *("| " + " | ".join(row) + " |" for row in rows[:cap]),
    ]
    if total > cap:
        lines += ["", f"… and {total - cap} more {noun} (see the JSON or SARIF report)"]
    return [*lines, ""]


def _counts(report: GateReport, data: dict[str, Any]) -> list[str]:
    order = common.STATUS_ORDER
    header = ["Plan", "Environment", *(common.STATUS_LABELS[s].capitalize() for s in order)]
    rows: list[list[str]] = []
    totals = dict.fromkeys(order, 0)
    for run in report.runs:
        counts = dict.fromkeys(order, 0)
        for result in run.results:
            counts[result.status] += 1
            totals[result.status] += 1
        rows.append(
            [cell(run.name), cell(run.environment or "—"), *(str(counts[s]) for s in order)]
        )
    if len(report.runs) > 1:
        rows.append(["**Total**", " ", *(f"**{totals[s]}**" for s in order)])
    lines = ["### Policy results per plan", ""]
    lines += _table(header, rows, len(rows), "plans", cap=len(rows))
    lines += [
        f"Failing findings: **{data['findings']['fail']}** "
        f"({data['findings']['blocking']} blocking at --fail-on {report.fail_on.value}), "
        f"waived: **{data['findings']['waived']}**.",
        "",
    ]
    return lines


def _errors(report: GateReport) -> list[str]:
    found = common.errors(report)
    if not found:
        return []
    lines = ["### ⚠️ Policy errors (the gate fails)", ""]
    rows = [
        [cell(r.spec.id), cell(run.name), cell(r.error or "(no detail)", 300)] for run, r in found
    ]
    return lines + _table(["Policy", "Plan", "Error"], rows, len(rows), "errors")


def _expired(report: GateReport) -> list[str]:
    expired = report.expired_waivers
    if not expired:
        return []
    lines = ["### ⏰ Expired waivers (the gate fails)", ""]
    rows = [
        [cell(w.policy), code(w.address), cell(w.approver), cell(w.expires.isoformat())]
        for w in expired
    ]
    return lines + _table(["Policy", "Address", "Approver", "Expired"], rows, len(rows), "waivers")


def _findings(report: GateReport, found: list[common.Item]) -> list[str]:
    if not found:
        return []
    several = len(report.runs) > 1
    header = [
        "Severity",
        "Policy",
        *(["Plan"] if several else []),
        "Address",
        "Attribute",
        "Expected",
        "Actual",
    ]
    rows = []
    for item in found[:MAX_ROWS]:
        finding = item.finding
        severity = finding.severity.value
        if not common.blocks(report, finding):
            severity += " (not blocking)"
        rows.append(
            [
                cell(severity),
                cell(finding.policy_id),
                *([code(item.run.name)] if several else []),
                code(finding.address),
                code(finding.attribute) if finding.attribute else "(resource)",
                cell(finding.expected),
                code(common.show(finding.actual)),
            ]
        )
    return ["### Failing findings", "", *_table(header, rows, len(found), "findings")]


def _waived(found: list[common.Item]) -> list[str]:
    if not found:
        return []
    rows = []
    for item in found[:MAX_ROWS]:
        waiver = item.finding.waiver
        rows.append(
            [
                cell(item.finding.policy_id),
                code(item.finding.address),
                cell(waiver.justification if waiver else ""),
                cell(waiver.approver if waiver else ""),
                cell(waiver.expires.isoformat() if waiver else ""),
            ]
        )
    header = ["Policy", "Address", "Justification", "Approver", "Expires"]
    return ["### Waived findings", "", *_table(header, rows, len(found), "waived findings")]


def _warnings(report: GateReport) -> list[str]:
    if not report.warnings:
        return []
    return ["### Warnings", "", *(f"- {cell(w, 500)}" for w in report.warnings), ""]


def _conformance(report: GateReport) -> list[str]:
    lines: list[str] = []
    for run in conformance.runs(report):
        summary = conformance.info(run)
        source = summary["inventory"]
        lines += [
            "### Conformance with Cloud Asset Inventory",
            "",
            f"{cell(conformance.headline(summary), 1000)}.",
            "",
            f"Inventory: {cell(source['description'])}, {source['records']} records"
            + (f", as of {cell(source['read_time'])}" if source["read_time"] else "")
            + ". Terraform: "
            + ", ".join(f"{cell(t['name'])} (`{t['sha256'][:12]}`)" for t in summary["terraform"])
            + ".",
            "",
        ]
        rows = [[code(n["address"]), cell(n["reason"])] for n in summary["not_verifiable"]]
        if rows:
            lines += ["Not verifiable through the inventory:", ""]
            lines += _table(["Resource", "Why"], rows, len(rows), "resources")
    return lines


def _plans(report: GateReport) -> list[str]:
    lines = ["<details><summary>Plans</summary>", ""]
    rows = []
    for run in report.runs:
        info = common.plan_info(run)
        rows.append(
            [
                cell(run.name),
                cell(info["terraform_version"] or "unknown"),
                cell(info["format_version"]),
                f"`{info['sha256']}`",
            ]
        )
    lines += _table(["Plan", "Terraform", "Format", "SHA-256"], rows, len(rows), "plans")
    lines += [f"Catalogue: {cell(line)}." for line in report.catalogue]
    lines += [
        f"plangate {cell(report.plangate_version)}, started {cell(report.started_at)}, "
        f"{report.duration_seconds:g} s.",
        "",
        "</details>",
    ]
    return lines
