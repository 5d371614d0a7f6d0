"""Every failure a user can meet, through the command line: its exit code and its exact line.

These tests back the rows of docs/reliability.md (tests/test_reliability_doc.py checks that
each row names a test that asserts its exit code and message). Most run `main([...])`
in-process; a project's own policies run in a subprocess, so they never join this process's
policy registry.
"""

from __future__ import annotations

import errno
import functools
import json
import os
import subprocess
import sys
from pathlib import Path

import grpc
import pytest

import plangate.checkov
from plangate.cli import main
from tests.checkov.fakes import CRASH, fake_checkov
from tests.fixtures.builder import PlanBuilder
from tests.inventory.fake_asset_service import FakeAssetService, emulated, load_export

REPO = Path(__file__).resolve().parents[1]
PROD = REPO / "infrastructure" / "plans" / "prod.json"
DEMO = REPO / "infrastructure" / "inventory" / "prod.ndjson"
SHOW = "`terraform show -json PLANFILE`"


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    for name in ("PLANGATE_DEBUG", "PLANGATE_CHECKOV", "CLOUD_ASSET_EMULATOR_HOST"):
        monkeypatch.delenv(name, raising=False)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def project(root: Path, table: str = "") -> Path:
    """A project with the prod plan and `table` as its [tool.plangate] settings."""
    (root / "plan.json").write_bytes(PROD.read_bytes())
    (root / "pyproject.toml").write_text(f'[tool.plangate]\nplans = ["plan.json"]\n{table}')
    return root


# --- inputs are never modified -----------------------------------------------------------------


def snapshot(root: Path) -> dict[Path, tuple[bytes, int]]:
    return {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in root.rglob("*") if p.is_file()}


def test_a_check_leaves_every_input_file_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Plan, settings and waivers keep their bytes and their modification times."""
    policies = tmp_path / "policies"
    policies.mkdir()
    (policies / "waivers.yaml").write_bytes((REPO / "policies" / "waivers.yaml").read_bytes())
    project(
        tmp_path,
        'waivers = "policies/waivers.yaml"\n\n'
        '[tool.plangate.policy]\nrequired_labels = ["project", "environment"]\n',
    )
    (tmp_path / "out").mkdir()
    before = snapshot(tmp_path)
    monkeypatch.chdir(tmp_path)
    report = tmp_path / "out" / "report.json"
    code, out, err = run(capsys, "check", "--format", "json", "--output", str(report))
    assert (code, out, err) == (0, "", "")
    assert sum(use["uses"] for use in json.loads(report.read_text("utf-8"))["waivers"]) > 0
    after = snapshot(tmp_path)
    assert after.pop(report)
    assert after == before


# --- bad plans ---------------------------------------------------------------------------------

INPUTS = REPO / "tests" / "fixtures" / "inputs"
BAD_PLANS = {
    "empty": (
        b"",
        "{plan}: empty input; expected the JSON written by `terraform show -json PLANFILE`",
    ),
    "binary": (
        (INPUTS / "binary-plan.tfplan").read_bytes(),
        "{plan}: this is a binary plan file (a zip archive), not JSON; "
        "run `terraform show -json PLANFILE > plan.json` on a saved plan and pass plan.json",
    ),
    "human text": (
        (INPUTS / "plan-human.txt").read_bytes(),
        "{plan}: this is the human-readable plan text, not JSON; "
        "run `terraform plan -out=tfplan`, then `terraform show -json tfplan`",
    ),
    "log stream": (
        (INPUTS / "plan-log-stream.jsonl").read_bytes(),
        "{plan}: this is the `terraform plan -json` log stream (JSON Lines), not a plan; "
        "run `terraform plan -out=tfplan`, then `terraform show -json tfplan`",
    ),
    "not JSON": (
        b"Error: Failed to load plugin schemas\n",
        "{plan}: not JSON (it starts with 'Error: Failed to load pl…'); "
        "expected the output of `terraform show -json PLANFILE`",
    ),
    "invalid JSON": (
        b'{"format_version": }',
        "{plan}: invalid JSON at line 1 column 20: Expecting value; "
        "expected the output of `terraform show -json PLANFILE`",
    ),
    "truncated": (
        b'{"format_version": "1.2", "terraform_version": "1.9.8"',
        "{plan}: the JSON ends early at line 1 column 55 (truncated?); "
        "expected a complete plan document",
    ),
    "trailing data": (
        b'{"format_version": "1.2"}\nmore',
        "{plan}: unexpected data after the JSON document at line 2 column 1; "
        "expected one plan document",
    ),
    "not UTF-8": (
        b'{"format_version": "1.2", "x": "\xc3\x28"}',
        "{plan}: not UTF-8 text (invalid byte 0xc3 at offset 32); "
        "expected the JSON written by `terraform show -json PLANFILE`",
    ),
    "not an object": (
        b"[]",
        "{plan}: the JSON document is an array; "
        "expected a plan object from `terraform show -json PLANFILE`",
    ),
    "state": (
        (INPUTS / "state.json").read_bytes(),
        "{plan}: this is a state document, not a plan; "
        "run `terraform show -json PLANFILE > plan.json` on a saved plan and pass plan.json",
    ),
    "no format_version": (
        b'{"terraform_version": "1.9.8", "planned_values": {}}',
        "{plan}: no format_version; expected a plan document from `terraform show -json PLANFILE`",
    ),
    "invalid format_version": (
        (INPUTS / "format-version-abc.json").read_bytes(),
        "{plan}: invalid format_version 'abc'; expected MAJOR.MINOR such as 1.2",
    ),
    "unsupported format_version": (
        (INPUTS / "format-version-2.0.json").read_bytes(),
        "{plan}: plan format_version 2.0 is not supported; plangate reads >= 0.1, < 2.0",
    ),
    "JSON too deep": (
        b"[" * 100_000 + b"]" * 100_000,
        "{plan}: JSON nested too deeply to be a plan; "
        "expected the output of `terraform show -json PLANFILE`",
    ),
    "values too deep": (
        PlanBuilder()
        .resource("google_storage_bucket.y", action="create", after={"deep": "HERE"})
        .dumps()
        .replace('"HERE"', "[" * 105 + "]" * 105)
        .encode(),
        "{plan}: google_storage_bucket.y: values nested too deeply to be a plan; "
        "expected the output of `terraform show -json PLANFILE`",
    ),
    "too many digits": (
        b'{"format_version": "1.2", "x": ' + b"1" * 5000 + b"}",
        "{plan}: a JSON number has too many digits to be a plan value; "
        "expected the output of `terraform show -json PLANFILE`",
    ),
    "not the plan schema": (
        b'{"format_version": "1.2", "terraform_version": "1.9.8", "resource_changes": "oops"}',
        "{plan}: not a valid plan at /resource_changes: expected array, got string",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_PLANS))
def test_a_bad_plan_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    data, message = BAD_PLANS[case]
    plan = tmp_path / "plan.json"
    plan.write_bytes(data)
    code, out, err = run(capsys, "check", str(plan))
    assert code == 2
    assert (out, err) == ("", f"plangate: error: {message.format(plan=plan)}\n")


def test_a_plan_that_is_not_a_file_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "missing.json"
    code, _, err = run(capsys, "check", str(missing))
    assert code == 2
    assert err == (
        f"plangate: error: {missing}: no such file; "
        "expected a plan exported with `terraform show -json PLANFILE`\n"
    )
    code, _, err = run(capsys, "check", str(tmp_path))
    assert code == 2
    assert err == f"plangate: error: {tmp_path}: is a directory; expected a plan JSON file\n"
    code, _, err = run(capsys, "check", str(tmp_path / "*.json"))
    assert code == 2
    assert (
        err == f"plangate: error: plan pattern '{tmp_path}/*.json' matches no file under {REPO}\n"
    )


def test_a_missing_configuration_directory_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "check", str(PROD), "--config", str(tmp_path / "nowhere"))
    assert code == 2
    assert err == (
        f"plangate: error: {tmp_path / 'nowhere'}: no such directory; expected a Terraform module\n"
    )


# --- settings and waivers ----------------------------------------------------------------------

BAD_SETTINGS = {
    "not TOML": (
        "[tool.plangate\n",
        "{pyproject}: cannot read [tool.plangate] (Expected ']' at the end of a table "
        "declaration (at line 1, column 15))",
    ),
    "unknown key": (
        '[tool.plangate]\nplan = "plan.json"\n',
        "{pyproject}: unknown key 'plan' in [tool.plangate]; known: plans, policies, checkov, "
        "disable, config, waivers, features, tc_features, requirements, policy, conformance, environments",
    ),
    "wrong type": (
        "[tool.plangate]\nplans = 3\n",
        "{pyproject}: [tool.plangate] plans must be a list of paths or globs",
    ),
    "unknown policy id": (
        '[tool.plangate]\nplans = ["plan.json"]\ndisable = ["PG-NOPE-001"]\n',
        "[tool.plangate] disable names PG-NOPE-001, which no policy has; "
        "`plangate policies` lists them",
    ),
    "unknown policy setting": (
        '[tool.plangate]\nplans = ["plan.json"]\n[tool.plangate.policy]\nnope = 1\n',
        "[tool.plangate.policy]: unknown policy setting 'nope'; `plangate policies` lists them",
    ),
    "no plans": (
        "[tool.plangate]\n",
        "no plans to check: pass PLAN arguments or set plans in [tool.plangate]",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_SETTINGS))
def test_bad_settings_exit_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    text, message = BAD_SETTINGS[case]
    project(tmp_path)
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(text)
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "check")
    assert code == 2
    assert (out, err) == ("", f"plangate: error: {message.format(pyproject=pyproject)}\n")


BAD_WAIVERS = {
    "missing": (None, "{waivers}: cannot read waivers (No such file or directory)"),
    "not UTF-8": (b"\xff", "{waivers}: cannot read waivers (not UTF-8 text)"),
    "not YAML": (b"waivers: [\n", "{waivers}: invalid YAML at line 2; expected a `waivers:` list"),
}


@pytest.mark.parametrize("case", sorted(BAD_WAIVERS))
def test_a_bad_waivers_file_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    data, message = BAD_WAIVERS[case]
    waivers = tmp_path / "waivers.yaml"
    if data is not None:
        waivers.write_bytes(data)
    code, out, err = run(capsys, "check", str(PROD), "--waivers", str(waivers))
    assert code == 2
    assert (out, err) == ("", f"plangate: error: {message.format(waivers=waivers)}\n")


def test_an_expired_waiver_fails_the_gate_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(
        "waivers:\n  - policy: PG-BUD-001\n    address: module.budget.*\n"
        "    justification: Accepted until the budget is reviewed.\n"
        "    approver: alice@example.com\n    expires: 2020-01-01\n"
    )
    code, out, err = run(capsys, "check", str(PROD), "--waivers", str(waivers))
    assert code == 1
    assert err == ""
    assert (
        "EXPIRED WAIVERS: 1; the gate fails until they are renewed or removed\n"
        "  PG-BUD-001 for module.budget.* (approved by alice@example.com, expires 2020-01-01)\n"
    ) in out


# --- policies ----------------------------------------------------------------------------------

RAISING = """\
from plangate.policy import policy


@policy(id="PG-LOCAL-001", title="Buckets are judged", severity="low",
        rationale="A policy that crashes must fail the gate.",
        resource_types=["google_storage_bucket"])
def judged(resource, context):
    raise RuntimeError("cannot judge " + resource.address)
"""


def gate_in_a_subprocess(root: Path, module: str) -> subprocess.CompletedProcess[str]:
    """`plangate check` in a project whose policies/ holds `module`."""
    (root / "policies").mkdir()
    (root / "policies" / "local.py").write_text(module)
    project(root, 'policies = ["policies"]\n')
    return subprocess.run(
        [str(Path(sys.executable).with_name("plangate")), "check"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_policy_that_raises_is_an_error_that_fails_the_gate(tmp_path: Path) -> None:
    done = gate_in_a_subprocess(tmp_path, RAISING)
    assert done.returncode == 1
    assert done.stderr == ""
    assert "ERRORS: 1 policy raised; the gate fails until fixed\n" in done.stdout
    assert (
        "    error:     RuntimeError: cannot judge module.storage.google_storage_bucket."
    ) in done.stdout


def test_a_policy_module_that_cannot_be_imported_exits_2(tmp_path: Path) -> None:
    done = gate_in_a_subprocess(tmp_path, "import no_such_module\n")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == (
        f"plangate: error: {tmp_path / 'policies' / 'local.py'}: policy module failed to "
        "import: ModuleNotFoundError: No module named 'no_such_module'\n"
    )


def test_an_unexpected_failure_is_one_line_never_a_traceback(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("unexpected\nstate")

    monkeypatch.setattr("plangate.gate.run_gate", broken)
    code, out, err = run(capsys, "check", str(PROD))
    assert code == 2
    assert (out, err) == (
        "",
        "plangate: internal error: RuntimeError: unexpected state (PLANGATE_DEBUG=1 shows more)\n",
    )


def test_a_usage_error_exits_2_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["check", "--fail-on", "severe"])
    assert raised.value.code == 2
    assert capsys.readouterr().err == (
        "plangate check: error: argument --fail-on: invalid choice: 'severe' (choose from "
        "'critical', 'high', 'medium', 'low', 'info') (see plangate check --help)\n"
    )


# --- outputs -----------------------------------------------------------------------------------


def test_an_output_in_a_missing_folder_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "absent" / "report.json"
    code, out, err = run(capsys, "check", str(PROD), "--output", str(target))
    assert code == 2
    assert (out, err) == (
        "",
        f"plangate: error: {target}: cannot write the report (No such file or directory)\n",
    )


def test_a_full_disk_exits_2_and_keeps_the_previous_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.sarif"
    target.write_text("previous run\n")

    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", disk_full)
    code, out, err = run(capsys, "check", str(PROD), "--format", "sarif", "--output", str(target))
    assert code == 2
    assert (out, err) == (
        "",
        f"plangate: error: {target}: cannot write the report (No space left on device)\n",
    )
    assert target.read_text() == "previous run\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.sarif"]


def test_an_interrupted_write_exits_130_and_keeps_the_previous_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.md"
    target.write_text("previous run\n")

    def interrupted(source: str, destination: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    code, out, err = run(
        capsys, "check", str(PROD), "--format", "markdown", "--output", str(target)
    )
    assert code == 130
    assert (out, err) == ("", "")
    assert target.read_text() == "previous run\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]


def test_init_on_a_full_disk_exits_2_naming_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", disk_full)
    code, out, err = run(capsys, "init", str(tmp_path))
    assert code == 2
    assert (out, err) == (
        "",
        f"plangate: error: {tmp_path / 'policies' / 'local.py'}: cannot write the scaffolded "
        "file (No space left on device)\n",
    )
    assert not (tmp_path / "policies" / "local.py").exists()


# --- checkov -----------------------------------------------------------------------------------


def test_checkov_not_installed_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLANGATE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("PATH", str(tmp_path))
    code, out, err = run(capsys, "check", str(PROD), "--with-checkov")
    assert code == 2
    assert (out, err) == (
        "",
        "plangate: error: checkov not found: run `plangate checkov-install`, "
        "or set PLANGATE_CHECKOV to a checkov 3.x executable\n",
    )


def with_fake_checkov(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setenv("PLANGATE_CHECKOV", str(path))


def test_checkov_named_but_absent_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with_fake_checkov(monkeypatch, tmp_path / "checkov")
    code, _, err = run(capsys, "check", str(PROD), "--with-checkov")
    assert code == 2
    assert err == (
        f"plangate: error: PLANGATE_CHECKOV names {tmp_path / 'checkov'}, "
        "which is not an executable file\n"
    )


def test_checkov_of_another_major_version_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with_fake_checkov(monkeypatch, fake_checkov(tmp_path, "exit 0", version="2.5.0"))
    code, _, err = run(capsys, "check", str(PROD), "--with-checkov")
    assert code == 2
    assert err == (
        f"plangate: error: {tmp_path / 'checkov'} reports version '2.5.0'; plangate needs "
        "checkov 3.x (`plangate checkov-install` installs one)\n"
    )


def test_checkov_crashing_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with_fake_checkov(monkeypatch, fake_checkov(tmp_path, CRASH))
    code, out, err = run(capsys, "check", str(PROD), "--with-checkov")
    assert code == 2
    assert (out, err) == (
        "",
        f"plangate: error: checkov crashed on {PROD} (exit 2): RuntimeError: graph build failed\n",
    )


def test_checkov_answering_garbage_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with_fake_checkov(monkeypatch, fake_checkov(tmp_path, "echo 'Passed checks: 25'; exit 1"))
    code, _, err = run(capsys, "check", str(PROD), "--with-checkov")
    assert code == 2
    assert err == (
        f"plangate: error: checkov answered something that is not JSON on {PROD}: "
        "'Passed checks: 25'\n"
    )


def test_checkov_timing_out_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with_fake_checkov(monkeypatch, fake_checkov(tmp_path, "exec sleep 30"))
    impatient = functools.partial(plangate.checkov.add_checkov, timeout=0.5)
    monkeypatch.setattr(plangate.checkov, "add_checkov", impatient)
    code, _, err = run(capsys, "check", str(PROD), "--with-checkov")
    assert code == 2
    assert err == f"plangate: error: checkov timed out after 0.5 s on {PROD}\n"


# --- inventory ---------------------------------------------------------------------------------

PLAN = "infrastructure/plans/prod.json"


def conform_export(
    capsys: pytest.CaptureFixture[str], path: Path, keep: str = ""
) -> tuple[int, str, str]:
    """`plangate conform` on the demo export, reduced to the lines that contain `keep`."""
    lines = DEMO.read_text("utf-8").splitlines(keepends=True)
    path.write_text("".join(line for line in lines if keep in line))
    return run(capsys, "conform", "--plan", PLAN, "--inventory", str(path))


def test_a_missing_export_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "conform", "--plan", PLAN, "--inventory", str(tmp_path / "no"))
    assert code == 2
    assert err.startswith(f"plangate: error: {tmp_path / 'no'}: no such file or folder; expected ")


def test_a_plan_given_as_the_export_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "conform", "--plan", PLAN, "--inventory", PLAN)
    assert code == 2
    assert err == (
        f"plangate: error: {PLAN}:1: a JSON document spread over several lines; expected "
        "ExportAssets newline-delimited JSON (one asset per line) or the array of "
        "`gcloud asset list --format=json` (a Terraform plan or state goes to --plan/--state)\n"
    )


def test_an_empty_export_exits_3(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "empty.ndjson"
    code, out, err = conform_export(capsys, path, keep="no line has this")
    assert code == 3
    assert (out, err) == (
        "",
        f"plangate: error: {path}: no assets: an empty export cannot show the project is in sync\n",
    )


def test_a_truncated_export_exits_3(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "truncated.ndjson"
    text = DEMO.read_text("utf-8")
    path.write_text(text[: len(text) // 2])
    code, out, err = run(capsys, "conform", "--plan", PLAN, "--inventory", str(path))
    assert code == 3
    assert out == ""
    assert err.startswith(f"plangate: error: {path}:")
    assert err.endswith(
        ": truncated: the file ends in the middle of a record, "
        "and a partial export is never judged\n"
    )


def test_an_export_without_iam_policies_exits_3(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = conform_export(capsys, tmp_path / "resources.ndjson", keep='"resource"')
    assert code == 3
    assert err == (
        "plangate: error: the inventory has no IAM_POLICY records; list or export the IAM "
        "policies too (content type IAM_POLICY, `gcloud asset export --content-type=iam-policy`)\n"
    )


def test_an_export_of_another_project_exits_3(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "other.ndjson"
    lines = DEMO.read_text("utf-8").splitlines(keepends=True)
    path.write_text("".join(line for line in lines if "/Project" not in line))
    code, out, err = run(capsys, "conform", "--plan", PLAN, "--inventory", str(path))
    assert code == 3
    assert (out, err) == (
        "",
        "plangate: error: the inventory has no cloudresourcemanager.googleapis.com/Project "
        "asset for ct-scan-mlops-prod: it does not cover the project Terraform manages "
        "(wrong scope, or that asset type was not listed)\n",
    )


def test_an_empty_scope_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "conform", "--plan", PLAN, "--folder", "")
    assert code == 2
    assert err == (
        "plangate: error: inventory scope 'folders/' is not projects/ID, folders/ID "
        "or organizations/ID\n"
    )


def test_a_live_listing_refused_is_exit_3(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakeAssetService(list(load_export([DEMO])))
    fake.fail(grpc.StatusCode.PERMISSION_DENIED, times=None)
    with emulated(fake, monkeypatch):
        code, out, err = run(capsys, "conform", "--plan", PLAN, "--project", "ct-scan-mlops-prod")
    assert code == 3
    assert out == ""
    assert err.startswith(
        "plangate: error: Cloud Asset Inventory ListAssets projects/ct-scan-mlops-prod RESOURCE: "
        "PERMISSION_DENIED "
    )
    assert err.endswith(
        "; reading RESOURCE needs cloudasset.assets.listResource on projects/ct-scan-mlops-prod "
        "(role roles/cloudasset.viewer)\n"
    )


def test_a_live_listing_that_fails_part_way_is_exit_3(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    extra = [
        {
            "name": f"//storage.googleapis.com/extra-{i}",
            "asset_type": "storage.googleapis.com/Bucket",
            "ancestors": ["projects/174193855226"],
            "resource": {"data": {"name": f"extra-{i}"}},
        }
        for i in range(1200)
    ]
    fake = FakeAssetService([*load_export([DEMO]), *extra])
    fake.fail_from_page(2, grpc.StatusCode.PERMISSION_DENIED)
    with emulated(fake, monkeypatch):
        code, out, err = run(capsys, "conform", "--plan", PLAN, "--project", "ct-scan-mlops-prod")
    assert code == 3
    assert out == ""
    assert err.startswith(
        "plangate: error: Cloud Asset Inventory ListAssets projects/ct-scan-mlops-prod RESOURCE "
        "failed on page 2 after 1000 assets: "
    )


def test_no_credentials_for_a_live_listing_is_exit_3(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(tmp_path / "missing.json"))
    code, out, err = run(capsys, "conform", "--plan", PLAN, "--project", "ct-scan-mlops-prod")
    assert code == 3
    assert out == ""
    assert err == (
        "plangate: error: no Google Cloud credentials for Cloud Asset Inventory: run "
        "`gcloud auth application-default login` or set GOOGLE_APPLICATION_CREDENTIALS "
        "(or set CLOUD_ASSET_EMULATOR_HOST=HOST:PORT for a local fake)\n"
    )
