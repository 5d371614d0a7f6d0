"""The evidence report's Markdown twin, for pull requests and archives that do not render HTML."""

from __future__ import annotations

from plangate.evidence.model import Evidence


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
    return "\n".join(lines) + "\n"
