"""The evidence report's conformance section says what the session's conformance run found.

Real pytest sessions over features/inventory.feature and the catalogue, on the prod plan, with
the planted export, the clean export, an export without IAM policies and no inventory at all;
each writes the evidence (HTML, Markdown, JSON) and JUnit XML, which must agree.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from markupsafe import escape

from plangate.evidence.html import render_html
from plangate.evidence.markdown import render_markdown
from plangate.evidence.model import (
    ConformanceEvidence,
    Evidence,
    FindingEvidence,
    PolicyEvidence,
    SourceEvidence,
)
from tests.conformance_runs import (
    EXPORT,
    NO_INVENTORY,
    PLAN,
    REPO,
    InnerRun,
    Session,
    clean_export,
    sha256,
    without_iam,
)

ADHOC = "//storage.googleapis.com/ct-scan-mlops-prod-adhoc-exports"
PLANTED_ADDRESSES = {
    "PG-CAI-001": "module.secret_manager.google_secret_manager_secret.alert_webhook",
    "PG-CAI-002": "module.storage.google_storage_bucket.dvc",
    "PG-CAI-003": ADHOC,
    "PG-CAI-004": "//cloudresourcemanager.googleapis.com/projects/ct-scan-mlops-prod "
    "roles/editor user:data-scientist@example.com",
    "PG-CAI-005": "module.secret_manager.google_secret_manager_secret_iam_member."
    "alert_webhook_drift_monitor",
}
NOT_VERIFIABLE = {
    "module.budget.google_billing_budget.monthly",
    "module.firestore.google_firestore_field.predictions_expire_at",
    "module.firestore.google_firestore_index.predictions_by_class",
    "module.firestore.google_firestore_index.predictions_by_model_version",
}


@dataclass(frozen=True)
class Written:
    """One session: its JUnit record and the evidence it wrote."""

    session: Session
    evidence: dict[str, Any]
    html: str
    markdown: str


class EvidenceRun:
    def __init__(self, folder: Path, *extra: str) -> None:
        self.folder = folder
        self.inner = InnerRun(
            folder, "features/inventory.feature", "policies", f"--plan={PLAN}",
            f"--evidence={folder / 'report.html'}", *extra,
        )  # fmt: skip

    def result(self) -> Written:
        session = self.inner.result()
        assert (self.folder / "report.json").is_file(), session.output
        return Written(
            session,
            json.loads((self.folder / "report.json").read_text()),
            (self.folder / "report.html").read_text(),
            (self.folder / "report.md").read_text(),
        )


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, EvidenceRun]]:
    folder = tmp_path_factory.mktemp("evidence-conformance")
    clean = clean_export(folder)
    started = {
        "planted": EvidenceRun(folder / "planted", f"--cai-export={EXPORT}"),
        "clean": EvidenceRun(folder / "clean", f"--cai-export={clean}"),
        "no-iam": EvidenceRun(folder / "no-iam", f"--cai-export={without_iam(folder)}"),
        "none": EvidenceRun(folder / "none"),
    }
    yield started
    for run in started.values():
        run.inner.stop()


@pytest.fixture(scope="module")
def planted(runs: dict[str, EvidenceRun]) -> Written:
    return runs["planted"].result()


def test_the_section_names_the_inventory_and_terraform_by_hash(planted: Written) -> None:
    section = planted.evidence["conformance"]
    assert section["kind"] == "export" and section["error"] is None
    assert section["files"] == [
        {"name": "infrastructure/inventory/prod.ndjson", "sha256": sha256(EXPORT)}
    ]
    assert section["terraform"] == [
        {"name": "infrastructure/plans/prod.json", "sha256": sha256(PLAN)}
    ]
    assert section["records_read"] == len(EXPORT.read_text().splitlines())
    assert sha256(EXPORT) in planted.html and sha256(EXPORT) in planted.markdown


def test_coverage_and_counts_are_those_of_the_planted_drift(planted: Written) -> None:
    section = planted.evidence["conformance"]
    assert section["coverage"] == round(23 / 26, 4)
    assert section["counts"] == {
        "managed": 23, "in_sync": 20, "drifted": 3, "missing": 1, "unmanaged": 2,
        "undeclared_grants": 2, "missing_grants": 1, "not_verifiable": 4,
    }  # fmt: skip
    assert {item["address"] for item in section["not_verifiable"]} == NOT_VERIFIABLE
    assert all(item["reason"] for item in section["not_verifiable"])
    assert "88.5%" in planted.html and "| coverage | 88.5% |" in planted.markdown


def test_every_control_result_matches_its_test(planted: Written) -> None:
    to_outcome = {"fail": "failed", "pass": "passed", "waived": "passed", "error": "error"}
    outcomes = planted.session.outcomes()
    controls = planted.evidence["conformance"]["controls"]
    assert len(controls) == 13
    for control in controls:
        assert control["plan"] == "inventory"
        wanted = to_outcome.get(control["status"], "skipped")
        assert outcomes[f"{control['policy_id']}[inventory]"] == wanted, control
    # the conformance results have their own section, not a column of the plans' table
    assert {p["plan"] for p in planted.evidence["policies"]} == {"prod"}


def test_every_finding_is_listed_with_expected_and_actual(planted: Written) -> None:
    findings = planted.evidence["conformance"]["findings"]
    for policy_id, address in PLANTED_ADDRESSES.items():
        assert any(
            f["policy_id"] == policy_id and f["address"] == address and f["status"] == "fail"
            for f in findings
        ), policy_id
    dvc = next(f for f in findings if f["address"] == PLANTED_ADDRESSES["PG-CAI-002"])
    assert (dvc["attribute"], dvc["actual"]) == ("versioning[0].enabled", "false")
    assert dvc["expected"] == "true, as Terraform recorded"
    waived = [f for f in findings if f["status"] == "waived"]
    assert {f["policy_id"] for f in waived} == {"PG-IAM-006"} and len(waived) == 4
    assert escape(dvc["message"]) in planted.html


def test_the_run_fails_and_the_inventory_scenarios_have_their_column(planted: Written) -> None:
    evidence = planted.evidence
    assert evidence["passed"] is False and "FAILED" in planted.html
    inventory = [
        s for s in evidence["scenarios"] if s["feature_file"].endswith("inventory.feature")
    ]
    assert len(inventory) == 9
    assert {(s["plan"], s["outcome"]) for s in inventory} == {("inventory", "failed")}
    table = planted.html.split("<h3>Conformance - what runs")[1].split("</table>")[0]
    assert "<th>inventory</th>" in table and "<th>prod</th>" not in table


def test_waivers_count_their_uses_on_the_inventory(
    planted: Written, runs: dict[str, EvidenceRun]
) -> None:
    without = runs["none"].result().evidence["waivers"]
    assert sum(w["uses"] for w in planted.evidence["waivers"]) == sum(
        w["uses"] for w in without
    ) + len([f for f in planted.evidence["conformance"]["findings"] if f["status"] == "waived"])


def test_the_clean_export_passes(runs: dict[str, EvidenceRun]) -> None:
    clean = runs["clean"].result()
    section = clean.evidence["conformance"]
    assert section["coverage"] == 1.0
    assert section["counts"]["drifted"] == section["counts"]["unmanaged"] == 0
    assert {f["status"] for f in section["findings"]} == {"waived"}
    assert clean.evidence["passed"] is True, clean.session.output
    assert "PASSED" in clean.html


def test_an_unreadable_inventory_is_recorded_and_fails_the_run(
    runs: dict[str, EvidenceRun],
) -> None:
    written = runs["no-iam"].result()
    section = written.evidence["conformance"]
    assert "the inventory has no IAM_POLICY records" in section["error"]
    assert section["controls"] == [] and section["coverage"] is None
    assert written.evidence["passed"] is False
    assert "Not judged" in written.html and "Not judged" in written.markdown
    assert escape(section["error"]) in written.html


def test_without_an_inventory_there_is_no_section_and_the_scenarios_say_why(
    runs: dict[str, EvidenceRun],
) -> None:
    written = runs["none"].result()
    assert written.evidence["conformance"] is None
    assert 'id="conformance"' not in written.html and "## Conformance" not in written.markdown
    scenarios = written.evidence["scenarios"]
    assert scenarios and all(s["outcome"] == "skipped" for s in scenarios)
    assert all(NO_INVENTORY in s["detail"] and s["plan"] == "inventory" for s in scenarios)


# --------------------------------------------------------------------------- rendering


def _section(**overrides: Any) -> ConformanceEvidence:
    values: dict[str, Any] = {
        "inventory": "Cloud Asset Inventory export <exports>/a|b.ndjson",
        "kind": "export",
        "scope": None,
        "read_time": None,
        "files": (SourceEvidence("<exports>/a|b.ndjson", "cd" * 32),),
        "records_read": 3,
        "terraform": (SourceEvidence("plans/prod.json", "ab" * 32),),
        "coverage": 0.5,
        "counts": {"in_sync": 1, "drifted": 1},
        "not_verifiable": (),
        "controls": (PolicyEvidence("PG-CAI-002", "T", "high", "inventory", "fail", ()),),
        "findings": (
            FindingEvidence(
                "PG-CAI-002",
                "fail",
                '<img src=x onerror="alert(1)">',
                "labels.a",
                '"<b>"',
                "`x` | y",
                'labels.a: expected "<b>", got `x` | y',
            ),
        ),
    }
    return ConformanceEvidence(**{**values, **overrides})


def _evidence(conformance: ConformanceEvidence | None) -> Evidence:
    return Evidence("0.1.0", "2026-01-01T00:00:00+00:00", (), (), (), (), conformance)


def test_html_escapes_everything_the_inventory_supplies() -> None:
    page = render_html(_evidence(_section()))
    assert "<img" not in page and "<exports>" not in page and '"<b>"' not in page
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in page
    assert "&lt;exports&gt;/a|b.ndjson" in page


def test_markdown_cells_cannot_break_the_tables() -> None:
    markdown = render_markdown(_evidence(_section()))
    row = next(line for line in markdown.splitlines() if line.startswith("| inventory |"))
    assert "a\\|b.ndjson" in row and row.count(" | ") == 1
    finding = next(line for line in markdown.splitlines() if line.startswith("- PG-CAI-002"))
    assert "`" not in finding and "\\|" in finding


def test_the_verdict_follows_the_conformance_run() -> None:
    assert _evidence(None).passed is True
    assert _evidence(_section()).passed is False
    passing = (PolicyEvidence("PG-CAI-002", "T", "high", "inventory", "pass", ()),)
    assert _evidence(_section(controls=passing, findings=())).passed is True
    assert _evidence(_section(controls=(), error="the inventory has no assets")).passed is False


def test_the_demo_command_of_the_auditors_guide_is_the_one_tested() -> None:
    guide = (REPO / "docs" / "auditors.md").read_text()
    assert (
        "pytest --cai-export infrastructure/inventory/prod.ndjson --evidence evidence/report.html"
        in guide
    )
    assert "images/evidence-conformance.png" in guide
    assert (REPO / "docs" / "images" / "evidence-conformance.png").is_file()
