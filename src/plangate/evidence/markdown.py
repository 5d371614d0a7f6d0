"""The evidence report's Markdown twin, for pull requests and archives that do not render HTML."""

from __future__ import annotations

from plangate.evidence.model import (
    ConformanceEvidence,
    Evidence,
    FilePin,
    Pins,
    SourceEvidence,
    Traceability,
)
from plangate.report.conformance import coverage_text


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|").replace("`", "'")


def render_markdown(evidence: Evidence) -> str:
    lines = [
        "# plangate evidence report",
        "",
        f"**Result: {'PASSED' if evidence.passed else 'FAILED'}**, generated {evidence.generated_at} "
        f"by plangate {evidence.plangate_version}.",
        "",
        "## Plans checked",
        "",
        "| plan | environment | sha256 | terraform | format | planned at |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    lines += [
        f"| {_cell(p.name)} | {p.environment or '-'} | `{p.sha256}` | {p.terraform_version or '-'} | "
        f"{p.format_version} | {p.timestamp or '-'} |"
        + (f" **unreadable: {_cell(p.error)}**" if p.error else "")
        for p in evidence.plans
    ]
    lines += _trace(evidence.trace)
    lines += ["", "## Controls (features and scenarios)", ""]
    plans = evidence.plan_ids
    if not evidence.scenarios:
        lines.append("No scenarios ran.")
    else:
        lines += [
            "| feature | scenario | tags | " + " | ".join(plans) + " |",
            "| --- | --- | --- | " + " | ".join("---" for _ in plans) + " |",
        ]
        lines += [
            f"| {_cell(row.feature_name)} ({row.feature_file}) | {_cell(row.scenario_name)} (line {row.line}) | "
            f"{' '.join('@' + t for t in row.tags)} | "
            + " | ".join(row.outcomes.get(plan, "-") for plan in plans)
            + " |"
            for row in evidence.scenario_rows()
        ]
        failures = [s for s in evidence.scenarios if s.outcome not in ("passed", "skipped")]
        if failures:
            lines += ["", "### Scenario failures", ""]
            lines += [
                f"- {s.feature_file}:{s.line} {_cell(s.scenario_name)} on {s.plan}: {_cell(s.detail)}"
                for s in failures
            ]
    lines += ["", "## Catalogue policies", "", "| policy | title | severity | plan | result |"]
    lines.append("| --- | --- | --- | --- | --- |")
    lines += [
        f"| {p.policy_id} | {_cell(p.title)} | {p.severity} | {p.plan} | {p.status} |"
        for p in sorted(evidence.policies, key=lambda item: (item.policy_id, item.plan))
    ]
    findings = [
        f"- {p.policy_id} on {p.plan} ({p.status}): {_cell(message)}"
        for p in evidence.policies
        if p.status in ("fail", "waived", "error")
        for message in p.messages
    ]
    lines += ["", "### Findings", "", *(findings or ["No findings."])]
    lines += _conformance(evidence.conformance)
    lines += ["", "## Waivers", ""]
    if not evidence.waivers:
        lines.append("No waivers are in force.")
    else:
        lines += [
            "| policy | address | justification | approver | expires | environments | uses |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        lines += [
            f"| {w.policy} | `{_cell(w.address)}` | {_cell(w.justification)} | {_cell(w.approver)} | "
            f"{w.expires}{' (expired)' if w.expired else ''} | {', '.join(w.environments) or 'all'} | {w.uses} |"
            for w in evidence.waivers
        ]
    lines += _pins(evidence.pins)
    return "\n".join(lines) + "\n"


def _trace(trace: Traceability | None) -> list[str]:
    """The traceability matrix: a requirement per row, its result per plan, its controls."""
    if trace is None:
        return []
    lines = ["", "## Requirements traced to controls", ""]
    lines.append(
        f"Requirements of {trace.document}."
        if trace.document
        else "The project has no requirements document."
    )
    if trace.requirements:
        lines += [
            "",
            "| requirement | controls | " + " | ".join(trace.plans) + " |",
            "| --- | --- | " + " | ".join("---" for _ in trace.plans) + " |",
        ]
        for row in trace.requirements:
            controls = "; ".join(
                f"{c.id} ({', '.join(f'{plan} {outcome}' for plan, outcome in c.outcomes.items())})"
                for c in row.controls
            ) or (f"verified by: {row.verified_by}" if row.verified_by else "none")
            lines.append(
                f"| {row.id}: {_cell(row.title)} | {_cell(controls)} | "
                + " | ".join(row.results[plan] for plan in trace.plans)
                + " |"
            )
    if trace.unknown:
        lines += ["", "### Traceability errors: requirements the document does not define", ""]
        lines += [
            f"- {u.requirement} named by {u.kind} {_cell(u.control)} ({_cell(u.title)})"
            for u in trace.unknown
        ]
    if trace.untraced:
        lines += ["", f"Controls that name no requirement: {', '.join(trace.untraced)}."]
    return lines


def _pin(pin: FilePin | None) -> str:
    if pin is None:
        return "none"
    where = " (in the plangate package)" if pin.base == "plangate" else ""
    return f"{_cell(pin.path)}{where} `{pin.sha256}`"


def _pins(pins: Pins | None) -> list[str]:
    """What was applied: the commit and the hash of every control file."""
    if pins is None:
        return []
    if pins.commit:
        state = "with" if pins.dirty else "no"
        commit = f"`{pins.commit}` ({state} uncommitted changes to tracked files)"
    else:
        commit = f"none: {pins.git}"
    return [
        "",
        "## What was applied",
        "",
        "| | |",
        "| --- | --- |",
        f"| plangate | {pins.plangate_version} |",
        f"| commit | {commit} |",
        f"| [tool.plangate] (canonical JSON) | `{pins.settings_sha256}` |",
        f"| pyproject | {_pin(pins.pyproject)} |",
        f"| waivers | {_pin(pins.waivers)} |",
        f"| requirements | {_pin(pins.requirements)} |",
        *(f"| policy module | {_pin(pin)} |" for pin in pins.policies),
        *(f"| feature | {_pin(pin)} |" for pin in pins.features),
    ]


def _sources(files: tuple[SourceEvidence, ...]) -> str:
    return ", ".join(f"{_cell(f.name)} (sha256 `{f.sha256}`)" for f in files) or "none"


def _conformance(c: ConformanceEvidence | None) -> list[str]:
    """Terraform's state against Cloud Asset Inventory, when the run was given an inventory."""
    if c is None:
        return []
    lines = ["", "## Conformance: Terraform against Cloud Asset Inventory", ""]
    if c.error is not None:
        return [
            *lines,
            f"Inventory: {_cell(c.inventory)}",
            "",
            "**Not judged: the inventory could not be read whole; the run fails.** "
            f"{_cell(c.error)}",
        ]
    lines += [
        "| | |",
        "| --- | --- |",
        f"| inventory | {_cell(c.inventory)} |",
        f"| scope | {_cell(c.scope or 'not recorded in the export')} |",
        f"| read at | {c.read_time or 'not recorded in the export'} |",
        *([f"| export files | {_sources(c.files)} |"] if c.files else []),
        f"| records read | {c.records_read} |",
        f"| terraform | {_sources(c.terraform)} |",
        f"| coverage | {coverage_text(c.coverage)} |",
        "",
        "| in sync | drifted | missing | unmanaged | undeclared grants | missing grants "
        "| not verifiable |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        "| "
        + " | ".join(
            str(c.counts.get(key, 0))
            for key in (
                "in_sync",
                "drifted",
                "missing",
                "unmanaged",
                "undeclared_grants",
                "missing_grants",
                "not_verifiable",
            )
        )
        + " |",
        "",
        "| policy | title | severity | result |",
        "| --- | --- | --- | --- |",
        *(f"| {p.policy_id} | {_cell(p.title)} | {p.severity} | {p.status} |" for p in c.controls),
        "",
        "### Conformance findings",
        "",
        *(
            [
                f"- {f.policy_id} ({f.status}) {_cell(f.address)}: {_cell(f.message)}"
                for f in c.findings
            ]
            or ["None: what runs in the project is what Terraform describes."]
        ),
    ]
    if c.not_verifiable:
        lines += ["", "### Not verifiable (not listed by Cloud Asset Inventory)", ""]
        lines += [f"- {_cell(n.address)}: {_cell(n.reason)}" for n in c.not_verifiable]
    return lines
