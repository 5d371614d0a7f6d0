"""The conformance section of the HTML evidence: Terraform's state against the live project.

Everything shown comes from files and services outside plangate's control (asset names, labels,
member e-mails), so every value is escaped like the rest of the page.
"""

from __future__ import annotations

from html import escape

from plangate.evidence.model import ConformanceEvidence, SourceEvidence
from plangate.report.conformance import coverage_text

_COUNTS = (
    ("in_sync", "In sync"),
    ("drifted", "Drifted"),
    ("missing", "Missing"),
    ("unmanaged", "Unmanaged"),
    ("undeclared_grants", "Undeclared grants"),
    ("missing_grants", "Missing grants"),
    ("not_verifiable", "Not verifiable"),
)
_GOOD_WHEN_ZERO = {"drifted", "missing", "unmanaged", "undeclared_grants", "missing_grants"}


def conformance_summary(conformance: ConformanceEvidence | None) -> str:
    """The summary table's row: the verdict on the inventory in one line."""
    if conformance is None:
        return ""
    if conformance.error is not None:
        verdict = '<span class="fail">not judged: the inventory could not be read whole</span>'
    else:
        state = "pass" if conformance.passed else "fail"
        verdict = (
            f'<span class="{state}">{"passed" if conformance.passed else "failed"}</span>, '
            f"coverage {escape(coverage_text(conformance.coverage))}"
        )
    return f"<tr><th>Conformance</th><td>{verdict}</td></tr>"


def conformance_section(conformance: ConformanceEvidence | None) -> str:
    if conformance is None:
        return ""
    parts = [
        '<h2 id="conformance">Conformance: Terraform against Cloud Asset Inventory</h2>',
        '<p class="desc">What runs in the project, as Cloud Asset Inventory lists it (resources '
        "and IAM policies), compared with what Terraform's state records.</p>",
    ]
    if conformance.error is not None:
        parts.append(
            f"<table><tr><th>Inventory</th><td>{escape(conformance.inventory)}</td></tr></table>"
            '<p class="fail">Not judged: the inventory could not be read whole, and nothing is '
            "concluded from part of one. The run fails.</p>"
            f'<div class="detail">{escape(conformance.error)}</div>'
        )
        return "".join(parts)
    parts += [_sources(conformance), _counts(conformance), _controls(conformance)]
    parts += [_findings(conformance), _not_verifiable(conformance)]
    return "".join(parts)


def _files(files: tuple[SourceEvidence, ...]) -> str:
    return "<br>".join(
        f"<code>{escape(f.name)}</code><br>sha256 <code>{escape(f.sha256)}</code>" for f in files
    )


def _sources(c: ConformanceEvidence) -> str:
    rows = [
        ("Inventory", escape(c.inventory)),
        ("Scope", escape(c.scope or "the export's own (not recorded in the file)")),
        ("Read at", escape(c.read_time or "not recorded (an export carries no read time)")),
    ]
    if c.files:
        rows.append(("Export files", _files(c.files)))
    rows += [
        ("Records read", str(c.records_read)),
        ("Terraform", _files(c.terraform) or "none"),
        (
            "Coverage",
            f"<b>{escape(coverage_text(c.coverage))}</b> of the resources of governed types "
            "match Terraform's state one to one (IAM grants not counted)",
        ),
    ]
    return "<table>" + "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows) + "</table>"


def _counts(c: ConformanceEvidence) -> str:
    head = "".join(f"<th>{label}</th>" for _, label in _COUNTS)
    cells = "".join(
        f'<td class="{"fail" if key in _GOOD_WHEN_ZERO and c.counts.get(key) else ""}">'
        f"{c.counts.get(key, 0)}</td>"
        for key, _ in _COUNTS
    )
    return f'<table class="counts"><tr>{head}</tr><tr>{cells}</tr></table>'


def _controls(c: ConformanceEvidence) -> str:
    rows = "".join(
        f'<tr><td class="nowrap"><code>{escape(p.policy_id)}</code></td><td>{escape(p.title)}</td>'
        f'<td>{escape(p.severity)}</td><td><span class="{escape(p.status)}">'
        f"{escape(p.status)}</span></td></tr>"
        for p in c.controls
    )
    return (
        "<h3>Controls judged on the inventory</h3><table><tr><th>Policy</th><th>Title</th>"
        f"<th>Severity</th><th>Result</th></tr>{rows}</table>"
    )


def _findings(c: ConformanceEvidence) -> str:
    if not c.findings:
        return "<h3>Findings</h3><p>None: what runs in the project is what Terraform describes.</p>"
    rows = "".join(
        f'<tr><td class="nowrap"><code>{escape(f.policy_id)}</code></td>'
        f'<td><span class="{escape(f.status)}">{escape(f.status)}</span></td>'
        f"<td><code>{escape(f.address)}</code></td><td>{escape(f.message)}</td></tr>"
        for f in c.findings
    )
    return (
        "<h3>Findings</h3><table><tr><th>Control</th><th>Status</th>"
        f'<th class="asset">Resource</th><th>What is wrong</th></tr>{rows}</table>'
    )


def _not_verifiable(c: ConformanceEvidence) -> str:
    if not c.not_verifiable:
        return ""
    rows = "".join(
        f'<tr><td class="asset"><code>{escape(n.address)}</code></td>'
        f"<td>{escape(n.reason)}</td></tr>"
        for n in c.not_verifiable
    )
    return (
        "<h3>Not verifiable</h3><p>In Terraform's state, but of a kind Cloud Asset Inventory "
        "does not list: neither confirmed nor counted as found.</p>"
        f"<table><tr><th>Resource</th><th>Why</th></tr>{rows}</table>"
    )
