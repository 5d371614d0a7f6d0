"""Every way checkov can fail is a one-line CheckovError (exit 2), never a pass."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from plangate.checkov import Checkov, CheckovError, find_checkov, run_on_directory, run_on_plan
from plangate.checkov.locate import ENV_VAR
from tests.checkov.conftest import PLANS
from tests.checkov.fakes import CRASH, answering, fake_checkov

PROD = PLANS / "prod.json"
SUMMARY = {
    "passed": 0,
    "failed": 0,
    "skipped": 0,
    "parsing_errors": 0,
    "resource_count": 0,
    "checkov_version": "3.3.30",
}


def one_line(error: pytest.ExceptionInfo[CheckovError]) -> str:
    message = str(error.value)
    assert "\n" not in message and "Traceback" not in message
    assert error.value.exit_code == 2
    return message


def via_variable(monkeypatch, path: Path) -> Checkov:
    monkeypatch.setenv(ENV_VAR, str(path))
    return find_checkov()


def test_a_missing_plan_file(checkov, tmp_path):
    with pytest.raises(CheckovError) as raised:
        run_on_plan(tmp_path / "absent.json", checkov=checkov)
    assert one_line(raised) == f"checkov: plan file {tmp_path / 'absent.json'} not found"


def test_a_file_that_is_not_json(checkov, tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text("Terraform will perform the following actions:\n", "utf-8")
    with pytest.raises(CheckovError) as raised:
        run_on_plan(path, checkov=checkov)
    assert one_line(raised) == (
        f"checkov: {path} is not JSON; give the output of `terraform show -json`"
    )


@pytest.mark.parametrize(
    ("document", "missing"),
    [({"foo": 1}, "planned_values"), ({"planned_values": {}}, "terraform_version")],
)
def test_json_that_is_not_a_plan(checkov, tmp_path, document, missing):
    """checkov exits 0 on these: it finds nothing to scan."""
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(document), "utf-8")
    with pytest.raises(CheckovError) as raised:
        run_on_plan(path, checkov=checkov)
    assert one_line(raised) == f"checkov: {path} is not a Terraform plan (no {missing})"


def test_a_missing_configuration_directory(checkov, tmp_path):
    with pytest.raises(CheckovError, match=r"configuration directory .* not found"):
        run_on_directory(tmp_path / "nowhere", checkov=checkov)


def test_checkov_crashing_keeps_its_stack_trace_out(monkeypatch, tmp_path):
    checkov = via_variable(monkeypatch, fake_checkov(tmp_path, CRASH))
    with pytest.raises(CheckovError) as raised:
        run_on_plan(PROD, checkov=checkov)
    assert one_line(raised) == (
        f"checkov crashed on {PROD} (exit 2): RuntimeError: graph build failed"
    )


def test_checkov_printing_garbage(monkeypatch, tmp_path):
    checkov = via_variable(monkeypatch, fake_checkov(tmp_path, "echo 'Passed checks: 25'; exit 1"))
    with pytest.raises(CheckovError) as raised:
        run_on_plan(PROD, checkov=checkov)
    assert one_line(raised) == (
        f"checkov answered something that is not JSON on {PROD}: 'Passed checks: 25'"
    )


def test_checkov_answering_nothing(monkeypatch, tmp_path):
    checkov = via_variable(monkeypatch, fake_checkov(tmp_path, "echo 'killed' >&2; exit 0"))
    with pytest.raises(CheckovError) as raised:
        run_on_plan(PROD, checkov=checkov)
    assert one_line(raised) == f"checkov answered nothing on {PROD} (exit 0): killed"


def test_parse_errors_in_the_answer(monkeypatch, tmp_path):
    document = {
        "check_type": "terraform_plan",
        "results": {
            "passed_checks": [],
            "failed_checks": [],
            "skipped_checks": [],
            "parsing_errors": ["/tmp/plan.json"],
        },
        "summary": {**SUMMARY, "parsing_errors": 1},
    }
    checkov = via_variable(monkeypatch, answering(tmp_path, document, exit_code=1))
    with pytest.raises(CheckovError) as raised:
        run_on_plan(PROD, checkov=checkov)
    assert one_line(raised) == f"checkov could not parse {PROD} (parsing errors: /tmp/plan.json)"


def test_an_empty_scan_of_a_plan_with_resources(monkeypatch, tmp_path):
    checkov = via_variable(monkeypatch, answering(tmp_path, SUMMARY))
    with pytest.raises(CheckovError) as raised:
        run_on_plan(PROD, checkov=checkov)
    assert one_line(raised).startswith(f"checkov scanned no resource of {PROD}, which plans ")


def test_a_summary_that_disagrees_with_the_records(monkeypatch, tmp_path):
    document = {
        "check_type": "terraform_plan",
        "results": {"passed_checks": [], "failed_checks": [], "skipped_checks": []},
        "summary": {**SUMMARY, "failed": 3, "resource_count": 48},
    }
    checkov = via_variable(monkeypatch, answering(tmp_path, document, exit_code=1))
    with pytest.raises(CheckovError, match="counts 3 failed checks but lists 0"):
        run_on_plan(PROD, checkov=checkov)


def test_a_timeout(monkeypatch, tmp_path):
    checkov = via_variable(monkeypatch, fake_checkov(tmp_path, "exec sleep 30"))
    with pytest.raises(CheckovError) as raised:
        run_on_plan(PROD, checkov=checkov, timeout=0.5)
    assert one_line(raised) == f"checkov timed out after 0.5 s on {PROD}"


def test_a_plan_with_a_byte_order_mark_is_read_as_plangate_reads_it(checkov, tmp_path):
    path = tmp_path / "plan.json"
    path.write_bytes(PROD.read_text("utf-8").encode("utf-16"))
    scan = run_on_plan(path, checkov=checkov, checks=["CKV_GCP_29"])
    assert scan.resource_count == 48
    assert {r.check_id for r in scan.records} == {"CKV_GCP_29"}


def test_a_plan_that_changed_since_plangate_read_it(checkov, tmp_path):
    path = tmp_path / "plan.json"
    path.write_bytes(PROD.read_bytes())
    stale = hashlib.sha256(b"what plangate judged").hexdigest()
    with pytest.raises(CheckovError, match="changed after plangate read it"):
        run_on_plan(path, checkov=checkov, sha256=stale)


def test_checkov_settings_in_the_environment_are_ignored(checkov, monkeypatch):
    """A CKV_SKIP_CHECK or a soft-fail in the caller's environment cannot hide a failure."""
    monkeypatch.setenv("CKV_SKIP_CHECK", "CKV_GCP_62")
    monkeypatch.setenv("CKV_PARSE_ERROR_FAIL", "false")
    scan = run_on_plan(PROD, checkov=checkov, checks=["CKV_GCP_62"])
    assert {r.check_id for r in scan.records} == {"CKV_GCP_62"}
    assert scan.checkov_version == "3.3.30"
