"""With the configuration directory known: checks checkov runs only on HCL, and inline
`checkov:skip` comments, which plangate does not accept in place of a waiver."""

from __future__ import annotations

import pytest

from plangate.checkov import add_checkov
from plangate.gate import GateOptions, hcl_locator, run_gate
from plangate.plan import load_plan
from plangate.policy import GateReport, Status
from plangate.report import render
from tests.checkov.probes import kms_and_skip


@pytest.fixture(scope="module")
def report(tmp_path_factory, settings, checkov) -> GateReport:
    directory = tmp_path_factory.mktemp("kms")
    plan = kms_and_skip(directory)
    judged = run_gate(settings, GateOptions(config_dir=directory), loaded=[load_plan(plan)])
    return add_checkov(judged, checkov=checkov)


def result(report: GateReport, check_id: str):
    (found,) = [r for r in report.runs[0].results if r.spec.id == check_id]
    return found


def test_the_kms_prevent_destroy_check_runs_on_the_configuration(report, tmp_path_factory):
    """checkov drops CKV_GCP_82 on plans (lifecycle blocks are not in them)."""
    destroy = result(report, "CKV_GCP_82")
    assert destroy.status is Status.FAIL
    ((finding),) = destroy.findings
    assert finding.address == "google_kms_crypto_key.data"
    run = report.runs[0]
    location = hcl_locator(run.configuration.root.directory)(run, finding.address)
    assert location == ("main.tf", 6)


def test_an_inline_skip_is_a_failure_that_asks_for_a_waiver(report):
    logging = result(report, "CKV_GCP_62")
    assert logging.status is Status.FAIL
    ((finding),) = logging.findings
    assert finding.message == (
        "checkov CKV_GCP_62 was suppressed by a checkov:skip comment (access logs of the log "
        "bucket would log themselves); plangate does not honour inline skips: add a waiver"
    )


def test_the_text_report_points_at_the_tf_lines(report):
    run = report.runs[0]
    text = render(report, "text", hcl_locator(run.configuration.root.directory))
    assert "  CKV_GCP_82  Ensure KMS keys are protected from deletion" in text
    assert "declared:  main.tf:6" in text
