"""The GitHub Actions workflows: valid against GitHub's workflow schema, and they do what the
docs say they do.

actionlint cannot be installed here (its Python package downloads the binary at build time),
so validity is checked with check-jsonschema against the workflow schema it ships (the
schemastore.org schema that editors use), which catches unknown keys, wrong types and bad
trigger or job structure. The semantic tests read the YAML and, for the steps that decide a
verdict, run the step's own script.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from plangate.evidence.attestation import PREDICATE_TYPE, STATEMENT_TYPE

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
GATE = WORKFLOWS / "gate.yml"
CONFORMANCE = WORKFLOWS / "conformance.yml"
ENVIRONMENTS = ["dev", "staging", "prod"]

# owner/repo[/path]@vN[.N...] or @<full commit sha>
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@(v\d+(\.\d+)*|[0-9a-f]{40})$")


def check_jsonschema() -> str:
    beside = Path(sys.executable).parent / "check-jsonschema"
    found = str(beside) if beside.is_file() else shutil.which("check-jsonschema")
    if found is None:
        pytest.fail(
            f"check-jsonschema is not installed (looked beside {sys.executable} and on PATH): "
            "install the test extra, pip install -e '.[test]'",
            pytrace=False,
        )
    return found


def validate(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [check_jsonschema(), "--builtin-schema", "vendor.github-workflows", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )


def load(path: Path) -> dict[str, Any]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(document, dict), f"{path.name} is not a YAML mapping"
    return document


def triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    """`on:`, which YAML 1.1 (PyYAML) reads as the boolean True."""
    found = workflow.get("on", workflow.get(True))
    assert isinstance(found, dict), "`on:` must be a mapping of events"
    return found


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def step_running(workflow: dict[str, Any], *needles: str) -> dict[str, Any]:
    matches = [s for s in steps(workflow) if all(n in s.get("run", "") for n in needles)]
    assert len(matches) == 1, f"expected one step running {needles}, found {len(matches)}"
    return matches[0]


def step_using(workflow: dict[str, Any], action: str) -> dict[str, Any]:
    matches = [s for s in steps(workflow) if s.get("uses", "").startswith(action + "@")]
    assert len(matches) == 1, f"expected one step using {action}, found {len(matches)}"
    return matches[0]


def run_script(
    step: dict[str, Any], cwd: Path | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    """Run a step's script as the runner does (`shell: bash`: bash -eo pipefail)."""
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        env={"PATH": os.environ.get("PATH", ""), **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("workflow", [GATE, CONFORMANCE], ids=lambda path: path.name)
def test_workflow_is_valid_against_githubs_schema(workflow: Path) -> None:
    result = validate(workflow)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_rejects_a_broken_workflow(tmp_path: Path) -> None:
    broken = load(GATE)
    first_job = next(iter(broken["jobs"].values()))
    first_job["runs-on"] = {"unexpected": ["mapping"]}
    first_job["stepz"] = first_job.pop("steps")
    path = tmp_path / "broken.yml"
    path.write_text(yaml.safe_dump(broken), encoding="utf-8")
    assert validate(path).returncode != 0


@pytest.mark.parametrize("workflow", [GATE, CONFORMANCE], ids=lambda path: path.name)
def test_every_action_is_pinned_to_a_version(workflow: Path) -> None:
    uses = [step["uses"] for step in steps(load(workflow)) if "uses" in step]
    assert uses
    unpinned = [action for action in uses if not PINNED.match(action)]
    assert not unpinned, f"pin these to a major version or a commit: {unpinned}"


@pytest.mark.parametrize("workflow", [GATE, CONFORMANCE], ids=lambda path: path.name)
def test_runs_once_per_environment_with_keyless_auth(workflow: Path) -> None:
    document = load(workflow)
    assert document["permissions"]["id-token"] == "write"
    assert document["permissions"]["contents"] == "read"
    (job,) = document["jobs"].values()
    assert job["strategy"]["matrix"]["environment"] == ENVIRONMENTS
    assert job["strategy"]["fail-fast"] is False
    auth = step_using(document, "google-github-actions/auth")
    assert {"workload_identity_provider", "service_account"} <= set(auth["with"])
    assert "credentials_json" not in auth["with"]
    assert step_using(document, "hashicorp/setup-terraform")["with"]["terraform_wrapper"] is False


def test_gate_runs_on_infrastructure_pull_requests() -> None:
    gate = load(GATE)
    assert triggers(gate)["pull_request"]["paths"] == ["infrastructure/**"]
    assert gate["permissions"]["security-events"] == "write"
    assert gate["concurrency"]["cancel-in-progress"] is True
    step_running(gate, "terraform init", "-lockfile=readonly")
    step_running(gate, "terraform plan", "-lock-timeout=5m", "-out=tfplan")
    step_running(gate, "terraform show -json tfplan > plan.json")
    step_running(gate, "pytest", "--plan", "--junitxml")


def test_gate_uploads_sarif_per_environment_even_when_the_gate_fails() -> None:
    gate = load(GATE)
    check = step_running(gate, "plangate check", "--format sarif", "--output plangate.sarif")
    upload = step_using(gate, "github/codeql-action/upload-sarif")
    assert upload["with"]["sarif_file"] == "plangate.sarif"
    assert "matrix.environment" in upload["with"]["category"]
    for step in (check, upload):
        assert "cancelled()" in step["if"] or "always()" in step["if"], step.get("name")
    order = steps(gate)
    assert order.index(check) < order.index(upload)
    # The check records its verdict instead of failing, and a later step fails the job on it.
    assert "|| status=$?" in check["run"]
    verdict = [s for s in order[order.index(upload) :] if "steps.check.outputs.status" in str(s)]
    assert len(verdict) == 1
    for status, expected in (("0", 0), ("1", 1), ("2", 2)):
        result = run_script(verdict[0], STATUS=status, ENVIRONMENT="prod")
        assert result.returncode == expected, (status, result.stdout)


def test_gate_writes_the_step_summary() -> None:
    summary = step_running(
        load(GATE), "plangate check", "--format markdown", "$GITHUB_STEP_SUMMARY"
    )
    assert "cancelled()" in summary["if"] or "always()" in summary["if"]


def test_conformance_runs_daily_and_on_demand() -> None:
    conformance = load(CONFORMANCE)
    on = triggers(conformance)
    assert on["schedule"] and all("cron" in entry for entry in on["schedule"])
    assert "workflow_dispatch" in on
    assert conformance["permissions"]["issues"] == "write"
    (job,) = conformance["jobs"].values()
    projects = {e["environment"]: e["project"] for e in job["strategy"]["matrix"]["include"]}
    assert projects == {env: f"ct-scan-mlops-{env}" for env in ENVIRONMENTS}


def test_conformance_checks_the_state_and_keeps_it_private() -> None:
    conformance = load(CONFORMANCE)
    step_running(conformance, "terraform show -json > ")
    conform = step_running(conformance, "plangate conform", "--format json")
    assert "--state state.json" in conform["run"]
    assert '--project "$PROJECT"' in conform["run"]
    assert "|| status=$?" in conform["run"], "the exit code must be captured, not fail the step"
    upload = step_using(conformance, "actions/upload-artifact")
    assert "state.json" not in upload["with"]["path"], "the state holds sensitive values"
    step_running(conformance, "plangate conform", "--format markdown", "$GITHUB_STEP_SUMMARY")


def test_conformance_files_drift_but_never_an_unreadable_inventory() -> None:
    conformance = load(CONFORMANCE)
    issue = step_running(conformance, "gh issue create", "gh issue comment")
    assert issue["if"].replace("${{", "").replace("}}", "").strip() == (
        "steps.conform.outputs.status == '1'"
    )
    assert 'title="Drift in $ENVIRONMENT"' in issue["run"]
    assert "GH_TOKEN" in issue["env"]
    verdicts = [s for s in steps(conformance) if "STATUS" in s.get("env", {})]
    assert len(verdicts) == 1
    for status, expected in (("0", 0), ("1", 1), ("2", 2), ("3", 3), ("7", 1)):
        result = run_script(verdicts[0], STATUS=status, ENVIRONMENT="prod")
        assert result.returncode == expected, (status, result.stdout)
    unreadable = run_script(verdicts[0], STATUS="3", ENVIRONMENT="prod").stdout
    assert unreadable.startswith("::error::") and "not drift" in unreadable


def test_gate_signs_the_evidence_of_each_plan(tmp_path: Path) -> None:
    gate = load(GATE)
    assert gate["permissions"]["attestations"] == "write"
    assert gate["permissions"]["id-token"] == "write"  # Sigstore's signing certificate
    order = steps(gate)
    evidence = step_running(
        gate,
        "pytest",
        "--evidence evidence/report.html",
        "--evidence-attestation evidence/attestation.json",
    )
    predicate = step_running(gate, "evidence/attestation.json", "evidence/predicate.json")
    attest = step_using(gate, "actions/attest")
    assert order.index(evidence) < order.index(predicate) < order.index(attest)
    assert attest["with"] == {
        "subject-path": "${{ env.PLAN }}",
        "predicate-type": PREDICATE_TYPE,
        "predicate-path": "evidence/predicate.json",
    }
    # signed whether the gate passed or failed: a failed verdict is evidence too
    assert "hashFiles('evidence/attestation.json')" in predicate["if"]
    assert "!cancelled()" in predicate["if"] and "!cancelled()" in attest["if"]
    assert "steps.predicate.outcome == 'success'" in attest["if"]
    upload = step_using(gate, "actions/upload-artifact")
    assert "evidence/" in upload["with"]["path"].split()
    # the step hands actions/attest exactly the predicate of plangate's Statement
    (tmp_path / "evidence").mkdir()
    statement = {"_type": STATEMENT_TYPE, "predicate": {"verdict": "failed", "pins": {}}}
    (tmp_path / "evidence/attestation.json").write_text(json.dumps(statement))
    assert run_script(predicate, cwd=tmp_path).returncode == 0
    written = json.loads((tmp_path / "evidence/predicate.json").read_text())
    assert written == statement["predicate"]
    (tmp_path / "evidence/attestation.json").write_text("{}")
    assert run_script(predicate, cwd=tmp_path).returncode != 0, "no predicate, nothing to sign"


def test_the_auditors_guide_verifies_what_the_gate_signs() -> None:
    guide = (ROOT / "docs" / "auditors.md").read_text(encoding="utf-8")
    assert f"--predicate-type {PREDICATE_TYPE}" in guide
    assert "gh attestation verify" in guide
