"""Text report: errors first, findings by severity, waivers, warnings, verdict last; one line
per plan unless verbose."""

from __future__ import annotations

import datetime as dt

import pytest

from plangate.policy import Severity
from plangate.policy.waivers import Waiver
from plangate.report import render
from tests.test_report_common import build_report, clean_report, fake_locator, plan_document


def text(report=None, locator=None, *, verbose=False) -> str:
    return render(report or build_report(), "text", locator, verbose=verbose)


@pytest.mark.parametrize("verbose", [False, True])
def test_sections_come_in_order(verbose):
    output = text(verbose=verbose)
    order = [
        "Plans (1)",
        "ERRORS:",
        "CRITICAL:",
        "HIGH:",
        "MEDIUM:",
        "WAIVERS IN FORCE:",
        *(["WAIVED:"] if verbose else []),
        "EXPIRED WAIVERS:",
        "WARNINGS",
    ]
    positions = [output.index(heading) for heading in order]
    assert positions == sorted(positions)
    assert output.rstrip().splitlines()[-1].startswith("FAIL: ")


def test_a_plan_is_one_line_with_environment_verdict_and_counts():
    report = build_report()
    output = text(report)
    plans = output[output.index("Plans (1)") : output.index("ERRORS:")].strip().splitlines()
    assert plans == [
        "Plans (1)",
        "  plans/dev.json (dev): FAIL; 5 fail, 1 error, 0 waived, 1 pass, 1 not applicable",
    ]
    assert report.runs[0].loaded.source.sha256 not in output
    assert "PG-GCS-002" not in output and "PG-KMS-001" not in output


def test_verbose_plans_show_hash_version_and_the_passing_policies():
    report = build_report()
    output = text(report, verbose=True)
    assert f"sha256 {report.runs[0].loaded.source.sha256}" in output
    assert "Terraform 1.9.5, format 1.2, planned at 2025-06-01T10:00:00Z" in output
    assert "pass: PG-GCS-002" in output
    assert "not applicable: PG-KMS-001" in output


def test_a_finding_lists_every_field():
    output = text()
    block = output[output.index("CRITICAL:") : output.index("HIGH:")]
    assert "PG-GCS-001  Buckets use uniform bucket-level access" in block
    for line in (
        "plan:      plans/dev.json",
        "address:   google_storage_bucket.logs",
        "attribute: uniform_bucket_level_access",
        "expected:  true",
        "actual:    false",
        "message:   uniform_bucket_level_access: expected true, got false",
    ):
        assert line in block


def test_errors_are_shown_with_their_text():
    output = text()
    block = output[output.index("ERRORS:") : output.index("CRITICAL:")]
    assert "1 policy raised; the gate fails" in block
    assert "PG-PS-001" in block and "RuntimeError: boom" in block


def test_the_waivers_in_force_are_one_line_each():
    output = text()
    block = output[output.index("WAIVERS IN FORCE:") : output.index("EXPIRED WAIVERS:")]
    assert block.strip().splitlines() == [
        "WAIVERS IN FORCE: 1",
        "  PG-GCS-001 for google_storage_bucket.legacy: approved by alice@example.com, "
        "expires 2026-01-31, ticket SEC-42; waives 1 finding",
    ]
    assert "WAIVED:" not in output  # the waived findings themselves: with --verbose


def test_verbose_waived_findings_show_the_waiver():
    output = text(verbose=True)
    block = output[output.index("WAIVED:") : output.index("EXPIRED WAIVERS:")]
    assert "google_storage_bucket.legacy" in block
    assert "waiver:    Legacy bucket served by a CDN" in block
    assert "approved:  by alice@example.com, expires 2026-01-31, ticket SEC-42" in block


def test_expired_and_unused_waivers():
    output = text()
    assert (
        "PG-SQL-001 for google_sql_user.nobody (approved by carol@example.com, expires 2024-01-01)"
        in output
    )
    assert "waiver PG-NET-001 for module.other.* " in output and "matched nothing" in output


def test_summary_line_counts_everything():
    last = text().rstrip().splitlines()[-1]
    assert last.startswith("FAIL: 5 failing findings (1 critical, 1 high, 3 medium)")
    for part in ("1 waived", "1 policy error", "1 expired waiver", "1 unused waiver"):
        assert part in last
    assert (
        "results: 5 fail, 1 error, 0 waived, 1 pass, 1 not applicable (8 policies on 1 plan)"
        in last
    )


def test_clean_run_passes():
    output = text(clean_report())
    assert output.rstrip().splitlines()[-1].startswith("PASS: no failing findings")
    assert "ERRORS" not in output and "WAIVED" not in output


def test_a_passing_run_is_short():
    report = build_report(
        {"plans/dev.json": plan_document(), "plans/prod.json": plan_document()},
        only=["PG-GCS-001", "PG-GCS-002", "PG-KMS-001"],
        waiver_list=(
            Waiver(
                policy="PG-GCS-001",
                address="google_storage_bucket.*",
                justification="Every bucket here is served by a CDN that needs ACLs.",
                approver="alice@example.com",
                expires=dt.date(2026, 1, 31),
            ),
        ),
    )
    assert report.passed
    lines = text(report).splitlines()
    assert lines[lines.index("Plans (2)") :] == [
        "Plans (2)",
        "  plans/dev.json (dev): PASS; 0 fail, 0 error, 1 waived, 1 pass, 1 not applicable",
        "  plans/prod.json (prod): PASS; 0 fail, 0 error, 1 waived, 1 pass, 1 not applicable",
        "",
        "WAIVERS IN FORCE: 1",
        "  PG-GCS-001 for google_storage_bucket.*: approved by alice@example.com, "
        "expires 2026-01-31; waives 4 findings",
        "",
        "PASS: no failing findings; 4 waived; results: 0 fail, 0 error, 2 waived, 2 pass, "
        "2 not applicable (3 policies on 2 plans)",
    ]
    verbose = text(report, verbose=True)
    assert verbose.count("pass: PG-GCS-002") == 2
    assert verbose.count("not applicable: PG-KMS-001") == 2
    assert "WAIVED: 4 findings" in verbose


def test_findings_below_fail_on_are_marked_not_blocking():
    output = text(build_report(fail_on=Severity.HIGH))
    assert "MEDIUM: 3 findings (below --fail-on high; not blocking)" in output
    assert "HIGH: 1 finding\n" in output
    assert "3 below --fail-on high" in output.rstrip().splitlines()[-1]


def test_locator_adds_the_declaration():
    output = text(locator=fake_locator, verbose=True)
    assert "declared:  infrastructure/terraform/modules/gcs/main.tf:12" in output
    assert "declared:  infrastructure/terraform/legacy.tf:3" in output  # a waived finding
    assert "declared:" not in text()


def test_unknown_and_sensitive_values_are_labels():
    output = text()
    assert "actual:    (known after apply)" in output
    assert "actual:    (sensitive)" in output


def test_long_values_are_shortened():
    document = plan_document()
    document["resource_changes"][0]["change"]["after"]["uniform_bucket_level_access"] = "x" * 1000
    output = text(build_report({"plans/dev.json": document}, only=["PG-GCS-001"], waiver_list=()))
    (actual,) = [line for line in output.splitlines() if "actual:" in line and "xxx" in line]
    assert len(actual) < 330 and actual.endswith("…")


def test_several_plans():
    output = text(
        build_report({"plans/dev.json": plan_document(), "plans/prod.json": plan_document()})
    )
    assert "Plans (2)" in output
    assert "plan:      plans/prod.json" in output
    assert "on 2 plans)" in output
