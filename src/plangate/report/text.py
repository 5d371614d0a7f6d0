"""Plain text for terminals and CI logs: what blocks the gate first, the verdict last.

A run is summed up in one line per plan and the waivers in force, so a passing run fits on a
screen; every failure is still shown in full. `verbose` adds what a passing run does not need
to be read for: each plan's hash and engine, the passing and not applicable policies, and
every waived finding.
"""

from __future__ import annotations

from itertools import groupby

from plangate.policy.results import GateReport, PlanRun, Status
from plangate.report import _common as common
from plangate.report import conformance
from plangate.report.locate import CachedLocator, Locator

VALUE_LIMIT = 300
_LABEL = 11
_CONTINUED = "\n" + " " * (4 + _LABEL)  # a value's further lines line up under its first


def render(report: GateReport, locator: Locator | None = None, *, verbose: bool = False) -> str:
    locate = CachedLocator(locator)
    found = common.findings(report)
    lines: list[str] = [
        f"plangate {report.plangate_version}: started {report.started_at}, "
        f"took {report.duration_seconds:g} s, fails on {report.fail_on.value} and above",
        *(f"catalogue: {line}" for line in report.catalogue),
        "",
    ]
    lines += _plans(report, verbose)
    lines += _errors(report)
    lines += _failing(report, found.failing, locate)
    lines += _in_force(report)
    if verbose:
        lines += _waived(found.waived, locate)
    lines += _expired(report)
    lines += _warnings(report)
    lines.append(common.summary_line(report, common.summary(report, found)))
    return "\n".join(lines) + "\n"


def _field(name: str, value: object) -> str:
    return f"    {name + ':':<{_LABEL}}" + _CONTINUED.join(str(value).splitlines() or [""])


def _plans(report: GateReport, verbose: bool) -> list[str]:
    lines = [f"Plans ({len(report.runs)})"]
    for run in report.runs:
        info = common.plan_info(run)
        lines.append(_plan_line(report, run))
        if verbose:
            engine = "OpenTofu" if info["opentofu"] else "Terraform"
            lines.append(f"    sha256 {info['sha256']}")
            lines.append(
                f"    {engine} {info['terraform_version'] or 'version unknown'}, "
                f"format {info['format_version']}"
                + (f", planned at {info['timestamp']}" if info["timestamp"] else "")
            )
        lines.extend(f"    note: {note}" for note in info["notes"])
        if run.inventory is not None:
            lines.extend(_conformance(run))
        if verbose:
            for status in (Status.PASS, Status.NOT_APPLICABLE):
                ids = [r.spec.id for r in run.results if r.status is status]
                if ids:
                    lines.append(f"    {common.STATUS_LABELS[status]}: {', '.join(ids)}")
        # checkov checks whose findings a plangate policy carries: where they were reported
        lines.extend(
            f"    {r.spec.id}: {r.reason}"
            for r in run.results
            if r.spec.service == "checkov" and r.reason
        )
    lines.append("")
    return lines


def _plan_line(report: GateReport, run: PlanRun) -> str:
    """The plan, the environment it was judged as, its own verdict and its outcome counts."""
    counts = {status: 0 for status in common.STATUS_ORDER}
    for result in run.results:
        counts[result.status] += 1
    verdict = "FAIL" if any(report.blocking(result) for result in run.results) else "PASS"
    outcomes = ", ".join(f"{counts[s]} {common.STATUS_LABELS[s]}" for s in common.STATUS_ORDER)
    return f"  {run.name} ({run.environment or 'no environment'}): {verdict}; {outcomes}"


def _conformance(run: PlanRun) -> list[str]:
    summary = conformance.info(run)
    source = summary["inventory"]
    lines = [f"    {source['records']} inventory records read"]
    if source["read_time"]:
        lines[0] += f", as of {source['read_time']}"
    lines += [f"    export {f['path']} sha256 {f['sha256']}" for f in source["files"]]
    lines += [f"    terraform {t['name']} sha256 {t['sha256']}" for t in summary["terraform"]]
    lines.append(f"    {conformance.headline(summary)}")
    lines += [
        f"    not verifiable: {n['address']} ({n['reason']})" for n in summary["not_verifiable"]
    ]
    return lines


def _errors(report: GateReport) -> list[str]:
    found = common.errors(report)
    if not found:
        return []
    lines = [
        f"ERRORS: {len(found)} polic{'y' if len(found) == 1 else 'ies'} raised; "
        "the gate fails until fixed"
    ]
    for run, result in found:
        lines.append(f"  {result.spec.id}  {result.spec.title}")
        lines.append(_field("plan", run.name))
        lines.append(_field("error", result.error or "(no detail)"))
        lines.append(_field("source", result.spec.source))
    lines.append("")
    return lines


def _finding_lines(item: common.Item, locate: CachedLocator) -> list[str]:
    finding = item.finding
    lines = [
        _field("plan", item.run.name),
        _field("address", finding.address),
    ]
    where = locate(item.run, finding.address)
    if where is not None:
        lines.append(_field("declared", f"{where[0]}:{where[1]}"))
    lines += [
        _field("attribute", finding.attribute or "(resource)"),
        _field("expected", common.shorten(finding.expected, VALUE_LIMIT)),
        _field("actual", common.shorten(common.show(finding.actual), VALUE_LIMIT)),
        _field("message", finding.message),
    ]
    return lines


def _failing(report: GateReport, found: list[common.Item], locate: CachedLocator) -> list[str]:
    lines: list[str] = []
    # `found` is most severe first: each severity's findings are one stretch of it
    for severity, same in groupby(found, key=lambda item: item.finding.severity):
        group = list(same)
        note = (
            ""
            if severity.rank >= report.fail_on.rank
            else f" (below --fail-on {report.fail_on.value}; not blocking)"
        )
        lines.append(
            f"{severity.value.upper()}: {len(group)} finding{'' if len(group) == 1 else 's'}{note}"
        )
        for item in group:
            lines.append(f"  {item.spec.id}  {item.spec.title}")
            lines += _finding_lines(item, locate)
        lines.append("")
    return lines


def _waived(found: list[common.Item], locate: CachedLocator) -> list[str]:
    if not found:
        return []
    lines = [f"WAIVED: {len(found)} finding{'' if len(found) == 1 else 's'}"]
    for item in found:
        waiver = item.finding.waiver
        lines.append(f"  {item.spec.id}  {item.spec.title}  [{item.finding.severity.value}]")
        lines += _finding_lines(item, locate)
        if waiver is not None:
            lines.append(_field("waiver", waiver.justification))
            approved = f"by {waiver.approver}, expires {waiver.expires.isoformat()}"
            if waiver.ticket:
                approved += f", ticket {waiver.ticket}"
            lines.append(_field("approved", approved))
    lines.append("")
    return lines


def _in_force(report: GateReport) -> list[str]:
    """The waivers that waived something in this run: who approved them and until when."""
    used = [use for use in report.waivers if use.uses and not use.expired]
    if not used:
        return []
    lines = [f"WAIVERS IN FORCE: {len(used)}"]
    for use in used:
        waiver = use.waiver
        line = f"  {waiver.policy} for {waiver.address}: approved by {waiver.approver}, "
        line += f"expires {waiver.expires.isoformat()}"
        if waiver.ticket:
            line += f", ticket {waiver.ticket}"
        lines.append(f"{line}; waives {use.uses} finding{'' if use.uses == 1 else 's'}")
    lines.append("")
    return lines


def _expired(report: GateReport) -> list[str]:
    expired = report.expired_waivers
    if not expired:
        return []
    lines = [f"EXPIRED WAIVERS: {len(expired)}; the gate fails until they are renewed or removed"]
    lines += [f"  {waiver.describe()}" for waiver in expired]
    lines.append("")
    return lines


def _warnings(report: GateReport) -> list[str]:
    if not report.warnings:
        return []
    return ["WARNINGS", *(f"  {warning}" for warning in report.warnings), ""]
