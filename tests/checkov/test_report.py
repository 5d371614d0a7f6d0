"""checkov's results in the gate's report: every format shows them with their CKV id, at the
.tf line plangate's HCL reader finds, with plangate's severities and waivers."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

import pytest

from plangate.checkov import add_checkov, merge_into, to_results
from plangate.gate import hcl_locator
from plangate.policy import GateReport, Severity, Status, Waiver
from plangate.policy.results import WaiverUse
from plangate.report import render
from tests.checkov.conftest import PROD_CONFIG
from tests.checkov.test_scenarios import MODELS, PUBLIC_READ
from tests.test_report_sarif import check_sarif

STORAGE_TF = "infrastructure/terraform/modules/storage/main.tf"
MODELS_LINE = 71


def waiver(policy: str, address: str, expires: str = "2999-12-31") -> Waiver:
    return Waiver(
        policy=policy,
        address=address,
        justification="Accepted for this test run, reviewed by security.",
        approver="alice@example.com",
        expires=dt.date.fromisoformat(expires),
    )


def with_waivers(report: GateReport, *waivers: Waiver) -> GateReport:
    """The report as the engine gives it when the waivers file holds these waivers too."""
    today = dt.date.today()
    extra = tuple(WaiverUse(w, uses=0, expired=w.is_expired(today)) for w in waivers)
    return replace(report, waivers=report.waivers + extra)


@pytest.fixture(scope="module")
def public_bucket(gate, checkov) -> GateReport:
    return add_checkov(gate("prod-public-bucket"), checkov=checkov)


@pytest.fixture(scope="module")
def rendered(public_bucket, settings) -> dict[str, str]:
    locate = hcl_locator(settings.root)
    return {
        fmt: render(public_bucket, fmt, locate) for fmt in ("text", "json", "sarif", "markdown")
    }


def findings(report: GateReport) -> dict[tuple[str, str], object]:
    return {(f.policy_id, f.address): f for f in report.findings}


def test_checkov_fails_the_public_bucket_member_on_its_own(scans, public_bucket):
    (run,) = public_bucket.runs
    results = {r.spec.id: r for r in to_results(scans["prod-public-bucket"], run)}
    public = results["CKV_GCP_28"]
    assert public.status is Status.FAIL
    assert public.spec.severity is Severity.CRITICAL
    assert public.spec.service == "checkov"
    ((finding),) = public.findings
    assert (finding.address, finding.attribute, finding.actual) == (
        PUBLIC_READ,
        "member",
        "allUsers",
    )
    assert finding.expected == "Cloud Storage bucket is not anonymously or publicly accessible"


def test_the_shared_public_bucket_finding_is_said_once_naming_both(public_bucket):
    found = findings(public_bucket)
    assert ("CKV_GCP_28", PUBLIC_READ) not in found
    assert found[("PG-GCS-005", PUBLIC_READ)].message.endswith("(also CKV_GCP_28)")
    assert found[("PG-GCS-003", MODELS)].message.endswith("(also CKV_GCP_114)")
    (run,) = public_bucket.runs
    shared = {r.spec.id: r for r in run.results}["CKV_GCP_28"]
    # reported once: failing under PG-GCS-005, not a second failure (nor a pass) here
    assert (shared.status, shared.findings) == (Status.NOT_APPLICABLE, ())
    assert shared.reason == f"reported once, under PG-GCS-005 for {PUBLIC_READ}"
    assert not public_bucket.blocking(shared)
    assert public_bucket.catalogue[-2:] == (
        "PG-GCS-003 also reports checkov's CKV_GCP_114 on the resources both flag",
        "PG-GCS-005 also reports checkov's CKV_GCP_28 on the resources both flag",
    )


def test_text(rendered):
    text = rendered["text"]
    assert "catalogue: checkov 3.3.30 from plangate checkov-install: 15 checks reported (" in text
    assert "  CKV_GCP_62  Bucket should log access\n" in text
    assert f"declared:  {STORAGE_TF}:{MODELS_LINE}" in text
    assert "(also CKV_GCP_28)" in text
    assert f"    CKV_GCP_28: reported once, under PG-GCS-005 for {PUBLIC_READ}\n" in text


def test_json(rendered):
    document = json.loads(rendered["json"])
    logging = [
        f for f in document["findings"] if f["policy"] == "CKV_GCP_62" and f["address"] == MODELS
    ]
    assert logging == [
        {
            "policy": "CKV_GCP_62",
            "severity": "low",
            "status": "fail",
            "address": MODELS,
            "attribute": "logging[0].log_bucket",
            "expected": "Bucket should log access",
            "actual": "(absent)",
            "message": "checkov CKV_GCP_62 failed: Bucket should log access",
            "title": "Bucket should log access",
            "plan": logging[0]["plan"],
            "environment": "prod",
            "blocking": True,
            "location": {"file": STORAGE_TF, "line": MODELS_LINE},
            "waiver": None,
        }
    ]
    results = {(r["policy"], r["status"]) for r in document["results"]}
    assert {
        ("CKV_GCP_28", "not_applicable"),
        ("CKV_GCP_29", "pass"),
        ("PG-GCS-005", "fail"),
    } <= results
    (shared,) = [r for r in document["results"] if r["policy"] == "CKV_GCP_28"]
    assert shared["reason"] == f"reported once, under PG-GCS-005 for {PUBLIC_READ}"
    assert not shared["blocking"]
    public = next(f for f in document["findings"] if f["address"] == PUBLIC_READ)
    assert public["policy"] == "PG-GCS-005" and "CKV_GCP_28" in public["message"]


def test_sarif(rendered):
    log = json.loads(rendered["sarif"])
    check_sarif(log)
    (run,) = log["runs"]
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    assert rules["CKV_GCP_62"]["shortDescription"]["text"] == "Bucket should log access"
    assert rules["CKV_GCP_62"]["properties"]["severity"] == "low"
    assert "checkov" in rules["CKV_GCP_62"]["properties"]["tags"]
    (logging,) = [
        r
        for r in run["results"]
        if r["ruleId"] == "CKV_GCP_62" and r["properties"]["address"] == MODELS
    ]
    region = logging["locations"][0]["physicalLocation"]
    assert region["artifactLocation"]["uri"] == STORAGE_TF
    assert region["region"]["startLine"] == MODELS_LINE
    at_member = [r for r in run["results"] if r["properties"]["address"] == PUBLIC_READ]
    assert "CKV_GCP_28" not in {r["ruleId"] for r in at_member}
    (public,) = [r for r in at_member if r["ruleId"] == "PG-GCS-005"]
    assert "(also CKV_GCP_28)" in public["message"]["text"]


def test_markdown(rendered):
    markdown = rendered["markdown"]
    assert "| low | CKV\\_GCP\\_62 | `module.storage.google_storage_bucket.models` |" in markdown
    assert "Catalogue: PG-GCS-005 also reports checkov's CKV\\_GCP\\_28" in markdown


def test_a_waiver_for_a_ckv_id_waives_it(gate, checkov):
    report = with_waivers(gate("prod-public-bucket"), waiver("CKV_GCP_62", MODELS))
    merged = add_checkov(report, checkov=checkov)
    logging = findings(merged)[("CKV_GCP_62", MODELS)]
    assert logging.status is Status.WAIVED and logging.waiver is not None
    assert merged.waivers[-1].uses == 1
    assert not [w for w in merged.warnings if "CKV_GCP_62" in w]
    document = json.loads(render(merged, "json"))
    (entry,) = [w for w in document["waivers"] if w["policy"] == "CKV_GCP_62"]
    assert entry["uses"] == 1


def test_a_waiver_for_the_public_member_check_waives_checkov_s_finding(scans, gate):
    report = gate("prod-public-bucket")
    (run,) = report.runs
    results = to_results(scans["prod-public-bucket"], run, [waiver("CKV_GCP_28", PUBLIC_READ)])
    (public,) = [r for r in results if r.spec.id == "CKV_GCP_28"]
    assert public.status is Status.WAIVED
    assert public.findings[0].waiver is not None


def test_an_expired_ckv_waiver_waives_nothing_but_counts_and_fails_the_gate(scans, gate):
    expired = waiver("CKV_GCP_62", MODELS, expires="2020-01-01")
    report = with_waivers(gate("prod"), expired)
    (run,) = report.runs
    merged = merge_into(report, to_results(scans["prod"], run, [expired]))
    assert findings(merged)[("CKV_GCP_62", MODELS)].status is Status.FAIL
    assert merged.waivers[-1].uses == 1 and merged.waivers[-1].expired
    assert expired in merged.expired_waivers and not merged.passed


def test_checkov_findings_block_by_severity(gate, scans):
    report = replace(gate("prod"), fail_on=Severity.CRITICAL)
    (run,) = report.runs
    assert report.passed
    merged = merge_into(report, to_results(scans["prod"], run))
    assert merged.passed  # prod's checkov findings are high at most
    assert not replace(merged, fail_on=Severity.HIGH).passed


def test_checkov_time_is_added_to_the_run(gate, scans):
    report = gate("prod")
    (run,) = report.runs
    merged = merge_into(report, to_results(scans["prod"], run), seconds=3.25)
    assert merged.duration_seconds == pytest.approx(report.duration_seconds + 3.25)


def test_results_for_a_plan_the_report_lacks_are_refused(gate, scans):
    report = gate("prod")
    (run,) = gate("prod-public-bucket").runs
    with pytest.raises(ValueError, match="plans the report lacks"):
        merge_into(report, to_results(scans["prod-public-bucket"], run))


def test_the_gate_step_scans_with_the_configuration_the_plan_was_judged_against(
    scans, public_bucket
):
    (run,) = public_bucket.runs
    assert run.configuration.root.directory.resolve() == PROD_CONFIG.resolve()
    checkov_ids = {r.spec.id for r in run.results if r.spec.service == "checkov"}
    assert checkov_ids == {r.check_id for r in scans["prod-public-bucket"].records}
