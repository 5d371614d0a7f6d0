"""SARIF 2.1.0: structure checked against the specification's required properties and enums."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

import plangate
from plangate.policy import Severity
from plangate.report import render, sarif
from tests.test_report_common import build_report, clean_report, fake_locator, plan_document

LEVELS = {"none", "note", "warning", "error"}
KINDS = {"notApplicable", "pass", "fail", "review", "open", "informational"}
SUPPRESSION_KINDS = {"inSource", "external"}
SUPPRESSION_STATUSES = {"accepted", "underReview", "rejected"}
UTC_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


def _message(message: Any) -> None:
    """§3.11: a message has `text` or `id`."""
    assert isinstance(message, dict)
    assert isinstance(message.get("text"), str) or isinstance(message.get("id"), str)


def _multiformat(value: Any) -> None:
    """§3.12: a multiformatMessageString requires `text`."""
    assert isinstance(value, dict) and isinstance(value["text"], str) and value["text"]


def _physical(location: Any, artifacts: list[dict[str, Any]]) -> None:
    """§3.29: artifactLocation (uri or index); a region's startLine is >= 1."""
    artifact = location["artifactLocation"]
    assert isinstance(artifact.get("uri"), str) and artifact["uri"]
    assert " " not in artifact["uri"]
    if "index" in artifact:
        assert artifacts[artifact["index"]]["location"]["uri"] == artifact["uri"]
    if "region" in location:
        assert isinstance(location["region"]["startLine"], int)
        assert location["region"]["startLine"] >= 1


def check_sarif(log: dict[str, Any]) -> None:
    """The required properties, enumerations and cross-references of SARIF 2.1.0 that we use."""
    assert log["version"] == "2.1.0"  # §3.13.2
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert isinstance(log["runs"], list) and len(log["runs"]) == 1  # §3.13.4
    run = log["runs"][0]
    driver = run["tool"]["driver"]  # §3.14.2, §3.18.2
    assert driver["name"] == "plangate"
    rules = driver.get("rules", [])
    ids = [rule["id"] for rule in rules]  # §3.49.3: a reportingDescriptor requires id
    assert len(ids) == len(set(ids))
    for rule in rules:
        for key in ("shortDescription", "fullDescription", "help"):
            _multiformat(rule[key])
        assert rule["defaultConfiguration"]["level"] in LEVELS  # §3.50.3
        assert all(isinstance(tag, str) for tag in rule["properties"]["tags"])  # §3.8.4
    artifacts = run.get("artifacts", [])
    for artifact in artifacts:
        assert isinstance(artifact["location"]["uri"], str)
        for value in artifact.get("hashes", {}).values():
            assert re.fullmatch(r"[0-9a-f]{64}", value)
    for invocation in run.get("invocations", []):
        assert isinstance(invocation["executionSuccessful"], bool)  # §3.20.14 (required)
        for key in ("startTimeUtc", "endTimeUtc"):
            if key in invocation:
                assert UTC_TIME.match(invocation[key]), invocation[key]
        for key in ("toolExecutionNotifications", "toolConfigurationNotifications"):
            for note in invocation.get(key, []):
                _message(note["message"])  # §3.58.5 (required)
                assert note.get("level", "warning") in LEVELS
                rule = note.get("associatedRule")
                if rule is not None:
                    assert rules[rule["index"]]["id"] == rule["id"]
    for result in run["results"]:
        _message(result["message"])  # §3.27.11 (required)
        assert result["level"] in LEVELS
        assert result.get("kind", "fail") in KINDS
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]  # §3.27.5-7
        for location in result.get("locations", []):
            _physical(location["physicalLocation"], artifacts)
            for logical in location.get("logicalLocations", []):
                assert logical["fullyQualifiedName"]
        assert all(isinstance(v, str) for v in result.get("partialFingerprints", {}).values())
        for suppression in result.get("suppressions", []):
            assert suppression["kind"] in SUPPRESSION_KINDS  # §3.35.2 (required)
            assert suppression.get("status", "accepted") in SUPPRESSION_STATUSES


def sarif_log(report=None, locator=None) -> dict[str, Any]:
    return json.loads(render(report or build_report(), "sarif", locator))


def results_of(log: dict[str, Any]) -> list[dict[str, Any]]:
    return log["runs"][0]["results"]


def by_address(log: dict[str, Any], policy_id: str, address: str) -> dict[str, Any]:
    (found,) = [
        r
        for r in results_of(log)
        if r["ruleId"] == policy_id and r["properties"].get("address") == address
    ]
    return found


@pytest.mark.parametrize("locator", [None, fake_locator])
def test_structure_follows_the_specification(locator):
    check_sarif(sarif_log(locator=locator))
    check_sarif(sarif_log(clean_report(), locator))


def test_driver_and_rules_come_from_the_policies_in_the_report():
    log = sarif_log()
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["version"] == plangate.__version__
    rules = {rule["id"]: rule for rule in driver["rules"]}
    assert set(rules) == {
        "PG-GCS-001",
        "PG-GCS-002",
        "PG-KMS-001",
        "PG-NET-001",
        "PG-PS-001",
        "PG-SQL-001",
        "PG-SQL-002",
        "PG-VAR-001",
    }
    rule = rules["PG-GCS-001"]
    assert rule["shortDescription"]["text"] == "Buckets use uniform bucket-level access"
    assert rule["fullDescription"]["text"].startswith("ACLs on objects bypass IAM")
    assert rule["name"] == "BucketUniformAccess"
    assert "critical" in rule["properties"]["tags"]
    assert rule["helpUri"].startswith("https://cloud.google.com/")
    assert "waiver for PG-GCS-001" in rule["help"]["text"]


def test_only_policies_that_ran_become_rules():
    log = sarif_log(build_report(only=["PG-GCS-001"], waiver_list=()))
    assert [rule["id"] for rule in log["runs"][0]["tool"]["driver"]["rules"]] == ["PG-GCS-001"]


@pytest.mark.parametrize(
    ("severity", "level"),
    [
        (Severity.CRITICAL, "error"),
        (Severity.HIGH, "error"),
        (Severity.MEDIUM, "warning"),
        (Severity.LOW, "note"),
        (Severity.INFO, "note"),
    ],
)
def test_levels_follow_severity(severity, level):
    assert sarif.LEVELS[severity] == level


def test_rule_and_result_levels():
    log = sarif_log()
    rules = {rule["id"]: rule for rule in log["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["PG-GCS-001"]["defaultConfiguration"]["level"] == "error"
    assert rules["PG-SQL-001"]["defaultConfiguration"]["level"] == "error"
    assert rules["PG-NET-001"]["defaultConfiguration"]["level"] == "warning"
    assert rules["PG-GCS-002"]["defaultConfiguration"]["level"] == "note"
    assert rules["PG-KMS-001"]["defaultConfiguration"]["level"] == "note"
    assert (
        by_address(log, "PG-NET-001", "module.net.google_compute_network.vpc")["level"] == "warning"
    )
    assert by_address(log, "PG-GCS-001", "google_storage_bucket.logs")["level"] == "error"


def test_results_are_failing_and_errors_only_by_default():
    """Code scanning ignores suppressions: a waived finding in SARIF would open an alert."""
    log = sarif_log()
    statuses = sorted(r["properties"]["status"] for r in results_of(log))
    assert statuses == ["error", "fail", "fail", "fail", "fail", "fail"]
    assert not any(r["ruleId"] in {"PG-GCS-002", "PG-KMS-001"} for r in results_of(log))


def test_waived_findings_stay_in_the_json_report():
    document = json.loads(render(build_report(), "json"))
    assert [
        f["status"] for f in document["findings"] if f["address"] == "google_storage_bucket.legacy"
    ] == ["waived"]


def test_waived_findings_on_request_carry_an_accepted_external_suppression():
    log = sarif.document(build_report(), include_waived=True)
    statuses = sorted(r["properties"]["status"] for r in results_of(log))
    assert statuses == ["error", "fail", "fail", "fail", "fail", "fail", "waived"]
    result = by_address(log, "PG-GCS-001", "google_storage_bucket.legacy")
    (suppression,) = result["suppressions"]
    assert suppression["kind"] == "external"
    assert suppression["status"] == "accepted"
    assert suppression["justification"].startswith("Legacy bucket served by a CDN")
    assert suppression["properties"]["approver"] == "alice@example.com"
    assert suppression["properties"]["expires"] == "2026-01-31"
    failing = by_address(log, "PG-GCS-001", "google_storage_bucket.logs")
    assert "suppressions" not in failing


def test_locator_gives_the_tf_file_and_line():
    log = sarif_log(locator=fake_locator)
    location = by_address(log, "PG-GCS-001", "google_storage_bucket.logs")["locations"][0]
    physical = location["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == "infrastructure/terraform/modules/gcs/main.tf"
    assert physical["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
    assert physical["region"] == {"startLine": 12}
    waived_log = sarif.document(build_report(), fake_locator, include_waived=True)
    waived = by_address(waived_log, "PG-GCS-001", "google_storage_bucket.legacy")["locations"][0]
    assert (
        waived["physicalLocation"]["artifactLocation"]["uri"]
        == "infrastructure/terraform/legacy.tf"
    )
    assert location["logicalLocations"] == [
        {
            "name": "google_storage_bucket.logs",
            "fullyQualifiedName": "google_storage_bucket.logs",
            "kind": "resource",
        }
    ]


def test_without_an_answer_the_plan_file_is_the_location():
    for locator in (None, fake_locator):
        log = sarif_log(locator=locator)
        result = by_address(log, "PG-NET-001", "module.net.google_compute_network.vpc")
        location = result["locations"][0]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"]["uri"] == "plans/dev.json"
        assert physical["artifactLocation"]["index"] == 0
        assert physical["region"] == {"startLine": 1}
        assert location["logicalLocations"][0] == {
            "name": "google_compute_network.vpc",
            "fullyQualifiedName": "module.net.google_compute_network.vpc",
            "kind": "resource",
        }


def test_plan_files_are_artifacts_with_their_hash():
    report = build_report()
    log = sarif_log(report)
    (artifact,) = log["runs"][0]["artifacts"]
    assert artifact["hashes"]["sha-256"] == report.runs[0].loaded.source.sha256
    assert artifact["properties"]["terraform_version"] == "1.9.5"
    plans = log["runs"][0]["properties"]["plans"]
    assert plans[0]["sha256"] == report.runs[0].loaded.source.sha256


def test_absolute_and_odd_plan_names_become_valid_uris():
    report = build_report(
        {"/tmp/plans/prod plan.json": plan_document(), "<stdin>": plan_document()}
    )
    log = sarif_log(report)
    uris = [artifact["location"]["uri"] for artifact in log["runs"][0]["artifacts"]]
    assert uris == ["file:///tmp/plans/prod%20plan.json", "%3Cstdin%3E"]
    assert "uriBaseId" not in log["runs"][0]["artifacts"][0]["location"]
    check_sarif(log)


def test_fingerprints_are_stable_and_distinct():
    first = {
        (r["ruleId"], r["properties"].get("address")): r["partialFingerprints"]
        for r in results_of(sarif_log())
    }
    second = {
        (r["ruleId"], r["properties"].get("address")): r["partialFingerprints"]
        for r in results_of(sarif_log(locator=fake_locator))
    }
    assert first == second
    values = [fp[sarif.FINGERPRINT] for fp in first.values()]
    assert len(values) == len(set(values))


def test_fingerprints_differ_between_plans():
    report = build_report({"plans/dev.json": plan_document(), "plans/prod.json": plan_document()})
    log = sarif_log(report)
    prints = [
        r["partialFingerprints"][sarif.FINGERPRINT]
        for r in results_of(log)
        if r["ruleId"] == "PG-GCS-001"
        and r["properties"]["address"] == "google_storage_bucket.logs"
    ]
    assert len(prints) == 2 and prints[0] != prints[1]
    check_sarif(log)


def test_policy_errors_are_notifications_and_an_unsuccessful_invocation():
    log = sarif_log()
    (invocation,) = log["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    (note,) = invocation["toolExecutionNotifications"]
    assert note["level"] == "error"
    assert note["associatedRule"]["id"] == "PG-PS-001"
    assert "RuntimeError: boom" in note["message"]["text"]
    (error,) = [r for r in results_of(log) if r["properties"]["status"] == "error"]
    assert error["ruleId"] == "PG-PS-001" and error["level"] == "error"
    assert invocation["exitCode"] == 1


def test_a_clean_run_is_successful_with_no_results():
    log = sarif_log(clean_report())
    run = log["runs"][0]
    assert run["results"] == []
    assert run["invocations"][0]["executionSuccessful"] is True
    assert run["invocations"][0]["toolExecutionNotifications"] == []
    assert run["invocations"][0]["exitCode"] == 0


def test_failures_alone_do_not_make_the_invocation_unsuccessful():
    log = sarif_log(build_report(only=["PG-GCS-001", "PG-NET-001"], waiver_list=()))
    invocation = log["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is True
    assert invocation["exitCode"] == 1


def test_waiver_problems_are_configuration_notifications():
    log = sarif_log()
    notes = log["runs"][0]["invocations"][0]["toolConfigurationNotifications"]
    assert {(n["descriptor"]["id"], n["level"]) for n in notes} == {
        ("waiver-expired", "error"),
        ("waiver-unused", "warning"),
    }


def test_unknown_and_sensitive_values_are_labels():
    log = sarif_log()
    network = by_address(log, "PG-NET-001", "module.net.google_compute_network.vpc")
    assert network["properties"]["actual"] == "(known after apply)"
    user = by_address(log, "PG-SQL-001", "google_sql_user.app")
    assert user["properties"]["actual"] == "(sensitive)"
    assert user["message"]["text"].startswith("google_sql_user.app: password: expected")


def test_plans_below_the_project_root_are_relative_to_it_and_declared():
    root = Path("/work/checkout-a")
    report = replace(build_report({str(root / "plans/prod.json"): plan_document()}), root=root)
    log = sarif_log(report)
    run = log["runs"][0]
    assert run["artifacts"][0]["location"] == {"uri": "plans/prod.json", "uriBaseId": "%SRCROOT%"}
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": "file:///work/checkout-a/"}}
    located = [r for r in results_of(log) if "address" in r["properties"]]
    physical = located[0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert physical["uri"] == "plans/prod.json" and physical["uriBaseId"] == "%SRCROOT%"
    check_sarif(log)


def test_fingerprints_do_not_depend_on_where_the_repository_is_checked_out():
    def fingerprints(root: Path) -> set[str]:
        report = replace(build_report({str(root / "plans/prod.json"): plan_document()}), root=root)
        return {r["partialFingerprints"][sarif.FINGERPRINT] for r in results_of(sarif_log(report))}

    here, there = fingerprints(Path("/work/a")), fingerprints(Path("/home/ci/b"))
    assert here == there and len(here) >= 5


def test_without_a_root_srcroot_is_still_declared():
    log = sarif_log()
    assert "description" in log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]


def test_automation_details_name_the_environments_for_one_upload_each():
    report = build_report()
    log = sarif_log(report)
    environments = sorted({run.environment or "dev" for run in report.runs})
    assert log["runs"][0]["automationDetails"]["id"] == f"plangate/{'+'.join(environments)}/"
    prod = replace(report, runs=tuple(replace(run, environment="prod") for run in report.runs))
    assert sarif_log(prod)["runs"][0]["automationDetails"]["id"] == "plangate/prod/"


def test_the_tool_has_an_information_uri():
    driver = sarif_log()["runs"][0]["tool"]["driver"]
    assert driver["informationUri"].startswith("https://")
