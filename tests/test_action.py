"""The composite GitHub Action (action.yml): valid metadata, and its scripts do what they say.

The metadata is checked against GitHub's action schema (check-jsonschema's vendored copy);
the gate and verdict steps are run here as the runner would run them (bash -eo pipefail),
with the installed plangate and real plans.
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

ROOT = Path(__file__).resolve().parents[1]
ACTION = ROOT / "action.yml"
CLEAN = ROOT / "infrastructure/plans/prod.json"
PUBLIC_BUCKET = ROOT / "infrastructure/plans/scenarios/prod-public-bucket.json"
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@v\d+$")


def action() -> dict[str, Any]:
    return yaml.safe_load(ACTION.read_text(encoding="utf-8"))


def step(name: str) -> dict[str, Any]:
    [found] = [s for s in action()["runs"]["steps"] if s.get("name") == name]
    return found


def run_step(name: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run a step's script with the runner's files and this environment's tools on PATH."""
    files = {
        "GITHUB_OUTPUT": tmp_path / "output",
        "GITHUB_STEP_SUMMARY": tmp_path / "summary.md",
    }
    for path in files.values():
        path.touch()
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step(name)["run"]],
        env={
            "PATH": path,
            "RUNNER_TEMP": str(tmp_path),
            **{key: str(value) for key, value in files.items()},
            **env,
        },
        cwd=ROOT,  # the repository's settings and waivers, as in a checkout
        capture_output=True,
        text=True,
        check=False,
    )


def outputs(tmp_path: Path) -> dict[str, str]:
    lines = (tmp_path / "output").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines)


def test_metadata_is_valid_against_githubs_action_schema() -> None:
    checker = Path(sys.executable).parent / "check-jsonschema"
    found = str(checker) if checker.is_file() else shutil.which("check-jsonschema")
    assert found, "check-jsonschema is missing: install the test extra, pip install -e '.[test]'"
    result = subprocess.run(
        [found, "--builtin-schema", "vendor.github-actions", str(ACTION)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_input_used_is_declared_and_every_declared_input_is_used() -> None:
    declared = set(action()["inputs"])
    used = set(re.findall(r"inputs\.([a-z-]+)", ACTION.read_text(encoding="utf-8")))
    assert used == declared
    assert action()["inputs"]["plans"]["required"] is True


def test_actions_are_pinned_and_the_composite_installs_itself() -> None:
    uses = [s["uses"] for s in action()["runs"]["steps"] if "uses" in s]
    assert uses and all(PINNED.match(u) for u in uses), uses
    assert "$ACTION_PATH" in step("install plangate")["run"]


def test_gate_step_fails_a_public_bucket_and_writes_sarif_and_summary(tmp_path: Path) -> None:
    result = run_step(
        "gate", tmp_path, PLANS=f"{CLEAN}\n{PUBLIC_BUCKET}", CONFIG="", FAIL_ON="info"
    )
    assert result.returncode == 0, result.stderr  # the step records; the verdict step fails
    found = outputs(tmp_path)
    assert found["exit-code"] == "1"
    sarif = json.loads(Path(found["sarif"]).read_text())
    rules = {r["ruleId"] for r in sarif["runs"][0]["results"]}
    assert "PG-GCS-005" in rules
    assert "plangate: FAIL" in (tmp_path / "summary.md").read_text()


def test_gate_step_passes_a_clean_plan(tmp_path: Path) -> None:
    result = run_step("gate", tmp_path, PLANS=str(CLEAN), CONFIG="", FAIL_ON="info")
    assert result.returncode == 0, result.stderr
    assert outputs(tmp_path)["exit-code"] == "0"
    assert "plangate: PASS" in (tmp_path / "summary.md").read_text()


@pytest.mark.parametrize(
    ("gate", "tests", "code"),
    [("0", "0", 0), ("0", "", 0), ("1", "0", 1), ("2", "", 1), ("0", "1", 1)],
)
def test_verdict_fails_the_job_on_any_failure(
    tmp_path: Path, gate: str, tests: str, code: int
) -> None:
    assert run_step("verdict", tmp_path, GATE=gate, TESTS=tests).returncode == code
