"""JSON report: the stable core keys, plus results, waivers and warnings for tooling."""

from __future__ import annotations

import json
from typing import Any

import plangate
from plangate.policy import Severity
from plangate.report import render
from tests.test_report_common import build_report, clean_report, fake_locator, plan_document

FINDING_KEYS = {
    "policy",
    "severity",
    "status",
    "address",
    "attribute",
    "expected",
    "actual",
    "message",
}
PLAN_KEYS = {"name", "sha256", "format_version", "terraform_version", "environment", "timestamp"}


def load(report=None, locator=None) -> dict[str, Any]:
    return json.loads(render(report or build_report(), "json", locator))


def finding(doc: dict[str, Any], policy_id: str, address: str) -> dict[str, Any]:
    (found,) = [f for f in doc["findings"] if f["policy"] == policy_id and f["address"] == address]
    return found


def test_top_level_has_the_core_keys_first():
    doc = load()
    assert list(doc)[:3] == ["plans", "summary", "findings"]
    assert {"results", "waivers", "warnings", "errors", "plangate_version", "started_at"} <= set(
        doc
    )
    assert doc["plangate_version"] == plangate.__version__


def test_every_finding_has_the_specified_keys():
    doc = load()
    assert doc["findings"]
    for item in doc["findings"]:
        assert set(item) >= FINDING_KEYS
        assert item["status"] in {"fail", "waived"}


def test_plans_carry_provenance():
    report = build_report()
    (plan,) = load(report)["plans"]
    assert set(plan) >= PLAN_KEYS
    assert plan["name"] == "plans/dev.json"
    assert plan["sha256"] == report.runs[0].loaded.source.sha256
    assert plan["format_version"] == "1.2"
    assert plan["terraform_version"] == "1.9.5"
    assert plan["environment"] == "dev"
    assert plan["timestamp"] == "2025-06-01T10:00:00Z"


def test_summary_counts_and_verdict():
    summary = load()["summary"]
    assert summary["verdict"] == "fail" and summary["passed"] is False
    assert summary["exit_code"] == 1
    assert summary["results"] == {
        "pass": 1,
        "fail": 5,
        "error": 1,
        "waived": 0,
        "not_applicable": 1,
    }
    assert summary["findings"] == {"fail": 5, "blocking": 5, "waived": 1}
    assert summary["failing_by_severity"] == {
        "critical": 1,
        "high": 1,
        "medium": 3,
        "low": 0,
        "info": 0,
    }
    assert summary["errors"] == 1
    assert summary["expired_waivers"] == 1
    assert summary["unused_waivers"] == 1


def test_clean_run_passes():
    doc = load(clean_report())
    assert doc["summary"]["verdict"] == "pass" and doc["summary"]["exit_code"] == 0
    assert doc["findings"] == [] and doc["errors"] == []
    assert {r["status"] for r in doc["results"]} == {"pass", "not_applicable"}


def test_fail_on_marks_findings_below_it_as_not_blocking():
    doc = load(build_report(fail_on=Severity.HIGH))
    assert doc["summary"]["fail_on"] == "high"
    assert doc["summary"]["findings"]["blocking"] == 2
    assert finding(doc, "PG-NET-001", "module.net.google_compute_network.vpc")["blocking"] is False
    assert finding(doc, "PG-GCS-001", "google_storage_bucket.logs")["blocking"] is True


def test_failing_findings_come_first_most_severe_first():
    doc = load()
    statuses = [f["status"] for f in doc["findings"]]
    assert statuses == sorted(statuses, key=lambda s: s != "fail")
    ranks = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}
    failing = [ranks[f["severity"]] for f in doc["findings"] if f["status"] == "fail"]
    assert failing == sorted(failing)


def test_results_include_pass_not_applicable_and_error_text():
    results = {r["policy"]: r for r in load()["results"]}
    assert results["PG-GCS-002"]["status"] == "pass" and results["PG-GCS-002"]["checked"] == 3
    assert results["PG-KMS-001"]["status"] == "not_applicable"
    assert results["PG-KMS-001"]["checked"] == 0
    assert results["PG-PS-001"]["status"] == "error"
    assert results["PG-PS-001"]["error"].startswith("RuntimeError: boom")
    assert results["PG-GCS-001"]["failing"] == 1 and results["PG-GCS-001"]["waived"] == 1
    assert results["PG-GCS-002"]["error"] is None


def test_errors_are_listed():
    (error,) = load()["errors"]
    assert error["policy"] == "PG-PS-001" and error["plan"] == "plans/dev.json"


def test_waived_findings_carry_their_waiver():
    item = finding(load(), "PG-GCS-001", "google_storage_bucket.legacy")
    assert item["status"] == "waived"
    assert item["waiver"] == {
        "policy": "PG-GCS-001",
        "address": "google_storage_bucket.legacy",
        "justification": "Legacy bucket served by a CDN that needs ACLs; migration planned.",
        "approver": "alice@example.com",
        "expires": "2026-01-31",
        "environments": [],
        "ticket": "SEC-42",
    }


def test_waivers_and_warnings():
    doc = load()
    uses = {(w["policy"], w["address"]): (w["uses"], w["expired"]) for w in doc["waivers"]}
    assert uses == {
        ("PG-GCS-001", "google_storage_bucket.legacy"): (1, False),
        ("PG-NET-001", "module.other.*"): (0, False),
        ("PG-SQL-001", "google_sql_user.nobody"): (0, True),
    }
    (warning,) = doc["warnings"]
    assert "matched nothing" in warning


def test_actual_values_are_plain_with_marker_labels():
    doc = load()
    assert finding(doc, "PG-GCS-001", "google_storage_bucket.logs")["actual"] is False
    assert finding(doc, "PG-NET-001", "module.net.google_compute_network.vpc")["actual"] == (
        "(known after apply)"
    )
    assert finding(doc, "PG-SQL-001", "google_sql_user.app")["actual"] == "(sensitive)"
    assert finding(doc, "PG-VAR-001", "var.db_password")["actual"] == "(sensitive)"


def test_structured_actual_values_become_json_objects():
    document = plan_document()
    document["resource_changes"][0]["change"]["after"]["uniform_bucket_level_access"] = {
        "nested": [1, {"deep": None}]
    }
    doc = load(build_report({"plans/dev.json": document}, only=["PG-GCS-001"], waiver_list=()))
    assert finding(doc, "PG-GCS-001", "google_storage_bucket.logs")["actual"] == {
        "nested": [1, {"deep": None}]
    }


def test_location_comes_from_the_locator():
    doc = load(locator=fake_locator)
    assert finding(doc, "PG-GCS-001", "google_storage_bucket.logs")["location"] == {
        "file": "infrastructure/terraform/modules/gcs/main.tf",
        "line": 12,
    }
    assert finding(doc, "PG-SQL-001", "google_sql_user.app")["location"] is None
    assert finding(load(), "PG-GCS-001", "google_storage_bucket.logs")["location"] is None


def test_several_plans():
    doc = load(
        build_report({"plans/dev.json": plan_document(), "plans/prod.json": plan_document()})
    )
    assert [p["name"] for p in doc["plans"]] == ["plans/dev.json", "plans/prod.json"]
    assert [p["environment"] for p in doc["plans"]] == ["dev", "prod"]
    assert {f["plan"] for f in doc["findings"]} == {"plans/dev.json", "plans/prod.json"}
