"""The evidence report as one self-contained HTML page: no scripts, no external assets."""

from __future__ import annotations

from collections import defaultdict
from html import escape

from plangate.evidence.html_conformance import conformance_section, conformance_summary
from plangate.evidence.model import Evidence, ScenarioRow

_STYLE = """
body{font:15px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:72rem;
color:#1d2733;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:2px solid #d8dee6;padding-bottom:.3rem}
h3{margin-bottom:.3rem}.meta{color:#5b6b7c}.verdict{display:inline-block;padding:.35rem .9rem;border-radius:4px;
font-weight:700;color:#fff}.ok{background:#1a7f37}.bad{background:#c62828}
table{border-collapse:collapse;width:100%;margin:.6rem 0}th,td{border:1px solid #d8dee6;padding:.35rem .5rem;
text-align:left;vertical-align:top}th{background:#f2f5f8}code{font:13px ui-monospace,Menlo,Consolas,monospace;
word-break:break-all}.passed,.pass{color:#1a7f37;font-weight:600}.failed,.fail,.error{color:#c62828;font-weight:700}
.skipped,.not_applicable{color:#6b7785}.waived{color:#9a6700;font-weight:600}.detail{white-space:pre-wrap;
font:12px ui-monospace,Menlo,Consolas,monospace;color:#5b1a1a;margin:.2rem 0 0}.tag{display:inline-block;
background:#eef2f6;border-radius:3px;padding:0 .35rem;margin:0 .2rem .2rem 0;font-size:12px}
.desc{color:#3d4a57;margin:.2rem 0 .6rem}.counts th,.counts td{text-align:center}
.nowrap,.nowrap code{white-space:nowrap;word-break:normal}.asset{width:32%}
"""


def render_html(evidence: Evidence) -> str:
    verdict = ("ok", "PASSED") if evidence.passed else ("bad", "FAILED")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>plangate evidence report</title>",
        f"<style>{_STYLE}</style></head><body>",
        "<h1>plangate evidence report</h1>",
        f'<p><span class="verdict {verdict[0]}">{verdict[1]}</span></p>',
        f'<p class="meta">Generated {escape(evidence.generated_at)} by plangate '
        f"{escape(evidence.plangate_version)}.</p>",
        _summary(evidence),
        _plans(evidence),
        _scenarios(evidence),
        _policies(evidence),
        conformance_section(evidence.conformance),
        _waivers(evidence),
        _how_to_read(),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _summary(evidence: Evidence) -> str:
    scenario_counts = (
        ", ".join(f"{n} {k}" for k, n in evidence.scenario_counts().items()) or "none run"
    )
    policy_counts = ", ".join(f"{n} {k}" for k, n in evidence.policy_counts().items()) or "none run"
    return (
        "<h2>Summary</h2><table>"
        f"<tr><th>Plans checked</th><td>{len(evidence.plans)}</td></tr>"
        f"<tr><th>Scenario results</th><td>{escape(scenario_counts)}</td></tr>"
        f"<tr><th>Policy results</th><td>{escape(policy_counts)}</td></tr>"
        f"<tr><th>Waivers</th><td>{len(evidence.waivers)} "
        f"({sum(w.expired for w in evidence.waivers)} expired)</td></tr>"
        f"{conformance_summary(evidence.conformance)}</table>"
    )


def _plans(evidence: Evidence) -> str:
    rows = "".join(
        f"<tr><td><code>{escape(p.name)}</code></td><td>{escape(p.environment or '-')}</td>"
        f"<td><code>{escape(p.sha256)}</code></td><td>{escape(p.terraform_version or '-')}</td>"
        f"<td>{escape(p.format_version)}</td><td>{escape(p.timestamp or '-')}</td></tr>"
        + (
            f'<tr><td colspan="6" class="fail">unreadable: {escape(p.error)}</td></tr>'
            if p.error
            else ""
        )
        for p in evidence.plans
    )
    return (
        "<h2>Plans checked</h2><table><tr><th>Plan</th><th>Environment</th><th>SHA-256</th>"
        f"<th>Terraform</th><th>Format</th><th>Planned at</th></tr>{rows}</table>"
    )


def _scenarios(evidence: Evidence) -> str:
    parts = ['<h2 id="controls">Controls (features and scenarios)</h2>']
    if not evidence.scenarios:
        return parts[0] + "<p>No scenarios ran.</p>"
    by_feature: dict[tuple[str, str, str], list[ScenarioRow]] = defaultdict(list)
    for row in evidence.scenario_rows():
        by_feature[(row.feature_file, row.feature_name, row.feature_description)].append(row)
    for (path, name, description), rows in by_feature.items():
        # a feature's own columns: the plans it ran on, or the inventory
        plans = [plan for plan in evidence.plan_ids if any(plan in row.outcomes for row in rows)]
        head = "".join(f"<th>{escape(plan)}</th>" for plan in plans)
        parts.append(f'<h3>{escape(name)}</h3><p class="meta"><code>{escape(path)}</code></p>')
        if description:
            parts.append(f'<p class="desc">{escape(description)}</p>')
        parts.append(f"<table><tr><th>Scenario</th><th>Tags</th>{head}</tr>")
        for row in rows:
            tags = "".join(f'<span class="tag">@{escape(tag)}</span>' for tag in row.tags)
            cells = "".join(
                f'<td><span class="{_css(row.outcomes.get(plan, "-"))}">'
                f"{escape(row.outcomes.get(plan, '-'))}</span></td>"
                for plan in plans
            )
            parts.append(
                f'<tr><td>{escape(row.scenario_name)} <span class="meta">(line {row.line})</span></td>'
                f"<td>{tags}</td>{cells}</tr>"
            )
        parts.append("</table>")
    failures = [s for s in evidence.scenarios if s.outcome not in ("passed", "skipped")]
    if failures:
        parts.append("<h3>Scenario failures</h3><ul>")
        parts.extend(
            f"<li><code>{escape(s.feature_file)}:{s.line}</code> {escape(s.scenario_name)} on "
            f'<b>{escape(s.plan)}</b><div class="detail">{escape(s.detail)}</div></li>'
            for s in failures
        )
        parts.append("</ul>")
    return "".join(parts)


def _css(outcome: str) -> str:
    return outcome.replace(" ", "_")


def _policies(evidence: Evidence) -> str:
    plans = sorted({p.plan for p in evidence.policies})
    by_policy: dict[tuple[str, str, str], dict[str, str]] = defaultdict(dict)
    for result in evidence.policies:
        by_policy[(result.policy_id, result.title, result.severity)][result.plan] = result.status
    head = "".join(f"<th><code>{escape(plan)}</code></th>" for plan in plans)
    rows = "".join(
        f"<tr><td><code>{escape(pid)}</code></td><td>{escape(title)}</td><td>{escape(severity)}</td>"
        + "".join(
            f'<td><span class="{escape(statuses.get(plan, "-"))}">{escape(statuses.get(plan, "-"))}</span></td>'
            for plan in plans
        )
        + "</tr>"
        for (pid, title, severity), statuses in sorted(by_policy.items())
    )
    findings = "".join(
        f"<li><code>{escape(p.policy_id)}</code> on <code>{escape(p.plan)}</code> ({escape(p.status)}): "
        f"{escape(message)}</li>"
        for p in evidence.policies
        if p.status in ("fail", "waived", "error")
        for message in p.messages
    )
    return (
        '<h2 id="policies">Catalogue policies</h2><table><tr><th>Policy</th><th>Title</th><th>Severity</th>'
        f"{head}</tr>{rows}</table>"
        + (f"<h3>Findings</h3><ul>{findings}</ul>" if findings else "<p>No findings.</p>")
    )


def _waivers(evidence: Evidence) -> str:
    if not evidence.waivers:
        return '<h2 id="waivers">Waivers</h2><p>No waivers are in force.</p>'
    rows = "".join(
        f"<tr><td><code>{escape(w.policy)}</code></td><td><code>{escape(w.address)}</code></td>"
        f"<td>{escape(w.justification)}</td><td>{escape(w.approver)}</td>"
        f'<td><span class="{"fail" if w.expired else "pass"}">{escape(w.expires)}'
        f"{' (expired)' if w.expired else ''}</span></td>"
        f"<td>{escape(', '.join(w.environments) or 'all')}</td><td>{w.uses}</td></tr>"
        for w in evidence.waivers
    )
    return (
        '<h2 id="waivers">Waivers</h2><table><tr><th>Policy</th><th>Address</th><th>Justification</th>'
        f"<th>Approver</th><th>Expires</th><th>Environments</th><th>Uses</th></tr>{rows}</table>"
    )


def _how_to_read() -> str:
    return (
        "<h2>How to read this report</h2><ul>"
        "<li><b>passed</b>: the control holds on that plan. <b>failed</b>: it does not; the detail names "
        "the resource, attribute, expected and actual values.</li>"
        "<li><b>skipped</b> scenarios apply to another environment than the plan's, or need an "
        "inventory the run was not given; <b>not_applicable</b> policies found nothing of their "
        "kind in the plan.</li>"
        "<li><b>Conformance</b> compares what runs in the project (Cloud Asset Inventory) with "
        "Terraform's state; <b>coverage</b> is the share of live resources that match it one to "
        "one. <b>Not verifiable</b> resources cannot be listed by the inventory and are never "
        "counted as found.</li>"
        "<li><b>waived</b>: a violation accepted by a named approver until the expiry date; an expired "
        "waiver fails the run.</li>"
        "<li>Values Terraform marks sensitive never appear here; values not known before apply read "
        "<i>(known after apply)</i> and never count as a pass.</li></ul>"
    )
