"""checkov through plangate's front ends: `plangate check --with-checkov`, the `checkov`
setting, waivers by CKV id in waivers.yaml, and one pytest item per check id and plan."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from plangate.checkov import Checkov
from plangate.cli import main

REPO = Path(__file__).resolve().parents[2]
PUBLIC = REPO / "infrastructure/plans/scenarios/prod-public-bucket.json"
GRANT = "module.storage.google_storage_bucket_iam_member.models_public_read"
PUBLIC_BUCKET_CHECK = "CKV_GCP_28"


@pytest.fixture
def project(tmp_path: Path, checkov: Checkov, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project with the public-bucket plan; checkov as installed (session fixture)."""
    (tmp_path / "plan.json").write_bytes(PUBLIC.read_bytes())
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "markdown"])
def test_check_with_checkov_shows_checkov_in_every_format(
    project: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    assert main(["check", "plan.json", "--with-checkov", "--format", fmt]) == 1
    out = capsys.readouterr().out.replace("\\_", "_")  # Markdown escapes underscores
    assert "CKV_GCP_" in out
    assert PUBLIC_BUCKET_CHECK in out  # said once, with plangate's PG-GCS-005
    if fmt == "json":
        document = json.loads(out)
        results = {r["policy"]: r["status"] for r in document["results"]}
        assert results[PUBLIC_BUCKET_CHECK] == "not_applicable"  # failing once, under PG-GCS-005
        [shared] = [f for f in document["findings"] if f["address"] == GRANT]
        assert shared["policy"] == "PG-GCS-005" and "(also CKV_GCP_28)" in shared["message"]


def test_without_the_flag_checkov_does_not_run(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["check", "plan.json", "--format", "json"])
    assert "CKV_" not in capsys.readouterr().out


def test_the_setting_asks_for_checkov(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "pyproject.toml").write_text("[tool.plangate]\ncheckov = true\n")
    main(["check", "plan.json", "--format", "json"])
    assert PUBLIC_BUCKET_CHECK in capsys.readouterr().out


def test_a_waiver_by_checkov_id_in_waivers_yaml_waives_a_checkov_finding(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "pyproject.toml").write_text('[tool.plangate]\nwaivers = "waivers.yaml"\n')
    (project / "waivers.yaml").write_text(
        "waivers:\n"
        "  - policy: CKV_GCP_62\n"
        "    address: module.storage.google_storage_bucket.*\n"
        "    justification: Access logs are collected by the organisation's log sink.\n"
        "    approver: security@example.com\n"
        "    expires: 2099-01-01\n"
    )
    main(["check", "plan.json", "--with-checkov", "--format", "json"])
    document = json.loads(capsys.readouterr().out)
    logging = [f for f in document["findings"] if f["policy"] == "CKV_GCP_62"]
    assert logging and all(f["status"] == "waived" for f in logging)


def test_checkov_requested_but_missing_is_an_error_never_a_pass(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLANGATE_CHECKOV", str(project / "no-such-checkov"))
    assert main(["check", "plan.json", "--with-checkov"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "checkov" in err and "Traceback" not in err


def test_pytest_with_checkov_has_one_item_per_check_and_plan(project: Path) -> None:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rA", "--plan", "plan.json",
         "--with-checkov", "-k", "CKV_"],
        cwd=project, env=environment, capture_output=True, text=True, check=False,
    )  # fmt: skip
    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    # said once: the failure is PG-GCS-005's (deselected here), not a second one here
    assert f"FAILED plangate.checkov::{PUBLIC_BUCKET_CHECK}[plan]" not in out
    assert (
        f"{PUBLIC_BUCKET_CHECK} not applicable to plan.json: "
        f"reported once, under PG-GCS-005 for {GRANT}"
    ) in out
    assert "PASSED plangate.checkov::CKV_GCP_29[plan]" in out  # uniform access holds


def test_checkov_install_reports_the_environment_it_made(
    checkov: Checkov, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["checkov-install"]) == 0  # already installed by the session: idempotent
    out = capsys.readouterr().out
    assert out.startswith("checkov installed: ") and "checkov-3.3.30" in out


def test_evidence_with_checkov_records_each_check(project: Path) -> None:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    plangate = Path(sys.executable).parent / "plangate"
    result = subprocess.run(
        [str(plangate), "evidence", "--with-checkov", "--output", "ev/report.html", "plan.json"],
        cwd=project, env=environment, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 1, result.stdout + result.stderr
    document = json.loads((project / "ev" / "report.json").read_text())
    statuses = {p["policy_id"]: p["status"] for p in document["policies"]}
    assert statuses["PG-GCS-005"] == "fail" and statuses["CKV_GCP_29"] == "pass"
    assert statuses[PUBLIC_BUCKET_CHECK] == "not_applicable"  # its finding is PG-GCS-005's


def test_a_checkov_waiver_of_a_finding_said_once_under_plangate_is_not_used(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """CKV_GCP_28's finding is PG-GCS-005's; a waiver by CKV_GCP_28 waives nothing."""
    (project / "pyproject.toml").write_text('[tool.plangate]\nwaivers = "waivers.yaml"\n')
    (project / "waivers.yaml").write_text(
        "waivers:\n"
        f"  - policy: {PUBLIC_BUCKET_CHECK}\n"
        f"    address: {GRANT}\n"
        "    justification: The models are public on purpose.\n"
        "    approver: security@example.com\n"
        "    expires: 2099-01-01\n"
    )
    main(["check", "plan.json", "--with-checkov", "--format", "json"])
    document = json.loads(capsys.readouterr().out)
    (shared,) = [f for f in document["findings"] if f["address"] == GRANT]
    assert (shared["policy"], shared["status"]) == ("PG-GCS-005", "fail")
    (warning,) = [w for w in document["warnings"] if PUBLIC_BUCKET_CHECK in w]
    assert "waives nothing" in warning and f"PG-GCS-005 for {GRANT}" in warning


def test_pytest_with_checkov_adds_no_items_to_a_few_chosen_tests(project: Path) -> None:
    """As the built-in items: `pytest test_other.py` runs that file, not checkov's checks."""
    (project / "test_other.py").write_text("def test_other():\n    pass\n")
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--collect-only", "-q",
         "--plan", "plan.json", "--with-checkov", "test_other.py"],
        cwd=project, env=environment, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "test_other.py::test_other" in result.stdout
    assert "plangate.checkov::" not in result.stdout
