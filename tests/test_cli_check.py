"""`plangate check` and `plangate policies` end to end on the repository's own plans.

Most runs call `main([...])` in-process from the repository root; one runs the installed
console script in a subprocess, as CI does.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from plangate.catalogue_doc import render_markdown
from plangate.cli import main
from plangate.policy import REGISTRY, SETTINGS

REPO = Path(__file__).resolve().parents[1]
SCENARIOS = REPO / "infrastructure" / "plans" / "scenarios"
STORAGE_TF = "infrastructure/terraform/modules/storage/main.tf"

DVC = "module.storage.google_storage_bucket.dvc"
DRIFT_LOGS = "module.storage.google_storage_bucket.drift_logs"
MODELS = "module.storage.google_storage_bucket.models"
PUBLIC_READ = "module.storage.google_storage_bucket_iam_member.models_public_read"
FIRESTORE = "module.firestore.google_firestore_database.main"
BUDGET = "module.budget.google_billing_budget.monthly"
OWNER = 'module.iam.google_project_iam_member.roles["ci_deployer_owner"]'

# scenario -> the (policy, address) failures it exists to demonstrate. Other policies may
# flag the same plan too (PG-CFG-001 notices the plan is not from the repository's HCL).
UNSAFE = {
    "prod-force-destroy": {("PG-GCS-001", DRIFT_LOGS)},
    "prod-firestore-delete-policy": {("PG-FS-001", FIRESTORE)},
    "prod-firestore-replace": {("PG-CHG-002", FIRESTORE)},
    "prod-bucket-delete": {("PG-CHG-002", DVC)},
    "prod-budget-threshold-removed": {("PG-BUD-001", BUDGET)},
    "prod-owner-granted": {("PG-IAM-001", OWNER)},
    "prod-public-bucket": {("PG-GCS-005", PUBLIC_READ), ("PG-GCS-003", MODELS)},
}


@pytest.fixture(autouse=True)
def at_repo_root(monkeypatch):
    monkeypatch.chdir(REPO)
    monkeypatch.delenv("PLANGATE_DEBUG", raising=False)


def check(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


def scenario(name: str) -> str:
    return str((SCENARIOS / f"{name}.json").relative_to(REPO))


def failing(output: str) -> set[tuple[str, str]]:
    document = json.loads(output)
    return {(f["policy"], f["address"]) for f in document["findings"] if f["status"] == "fail"}


def waivers_file(tmp_path: Path, policy_id: str, address: str, expires: str = "2999-12-31") -> Path:
    """The repository's waivers plus one more, so only the extra waiver differs from a plain run."""
    document = yaml.safe_load((REPO / "policies" / "waivers.yaml").read_text("utf-8")) or {}
    document.setdefault("waivers", []).append(
        {
            "policy": policy_id,
            "address": address,
            "justification": "Accepted for this test run, reviewed by security.",
            "approver": "alice@example.com",
            "expires": expires,
        }
    )
    path = tmp_path / "waivers.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), "utf-8")
    return path


# --- pass and fail ----------------------------------------------------------------------------


def test_the_repository_zero_change_plans_pass_by_default(capsys):
    code, out, err = check(capsys)
    assert code == 0, out
    assert err == ""
    for environment in ("prod", "staging", "dev"):
        assert f"infrastructure/plans/{environment}.json" in out
    assert "PASS" in out


def test_a_passing_run_is_one_line_per_plan_and_verbose_lists_the_passing_policies(capsys):
    code, out, _ = check(capsys)
    assert code == 0
    lines = out.splitlines()
    plans = lines[lines.index("Plans (3)") + 1 : lines.index("WAIVERS IN FORCE: 3") - 1]
    assert [line.split(": ")[1].split(";")[0] for line in plans] == ["PASS"] * 3
    assert [line.split(" (")[1].split(")")[0] for line in plans] == ["prod", "staging", "dev"]
    assert "pass: " not in out and "sha256" not in out
    assert len(lines) < 20
    code, verbose, _ = check(capsys, "--verbose")
    assert code == 0
    assert verbose.count("    pass: PG-AR-001, ") == 3
    assert verbose.count("    sha256 ") == 3


def test_the_safe_scenario_passes(capsys):
    code, out, _ = check(capsys, "--format", "json", scenario("prod-safe-label"))
    assert code == 0
    assert failing(out) == set()


def test_the_scenario_table_covers_every_scenario_plan():
    assert {p.stem for p in SCENARIOS.glob("*.json")} == {*UNSAFE, "prod-safe-label"}


@pytest.mark.parametrize("name", sorted(UNSAFE))
def test_each_unsafe_scenario_fails_naming_the_policy_and_resource(capsys, name):
    code, out, err = check(capsys, scenario(name))
    assert code == 1, out
    assert err == ""
    for policy_id, address in UNSAFE[name]:
        assert policy_id in out
        assert f"address:   {address}" in out
    code, out, _ = check(capsys, "--format", "json", scenario(name))
    assert code == 1
    assert UNSAFE[name] <= failing(out)


def test_expect_no_changes_fails_the_safe_label_update(capsys):
    plan = scenario("prod-safe-label")
    code, out, _ = check(capsys, "--expect-no-changes", "--format", "json", plan)
    assert code == 1
    (finding,) = [f for f in json.loads(out)["findings"] if f["status"] == "fail"]
    assert (finding["policy"], finding["address"]) == ("PG-CHG-001", DVC)
    assert re.search(r"\blabels\.validated\b", finding["message"])
    code, out, _ = check(capsys, "--expect-no-changes", plan)
    assert code == 1
    assert DVC in out and "labels" in out and "PG-CHG-001" in out
    code, _, _ = check(capsys, plan)
    assert code == 0


def test_expect_no_changes_passes_the_zero_change_plans(capsys):
    code, out, _ = check(capsys, "--expect-no-changes")
    assert code == 0, out


def test_env_option_judges_a_plan_as_another_environment(capsys):
    plan = "infrastructure/plans/prod.json"
    code, out, _ = check(capsys, "--env", "dev", "--format", "json", plan)
    assert code == 1
    document = json.loads(out)
    assert document["plans"][0]["environment"] == "dev"
    assert failing(out) == {
        ("PG-CFG-001", 'module.iam.google_project_iam_member.roles["training_aiplatform_user"]')
    }


# --- formats and output -----------------------------------------------------------------------


def test_json_report_has_the_documented_keys(capsys):
    code, out, _ = check(capsys, "--format", "json", scenario("prod-force-destroy"))
    assert code == 1
    document = json.loads(out)
    assert {"plans", "summary", "findings"} <= set(document)
    assert document["summary"]["passed"] is False
    assert document["summary"]["exit_code"] == 1
    (finding,) = [f for f in document["findings"] if f["policy"] == "PG-GCS-001"]
    assert {
        "policy",
        "severity",
        "status",
        "address",
        "attribute",
        "expected",
        "actual",
        "message",
    } <= set(finding)
    assert finding["severity"] == "critical"
    assert finding["status"] == "fail"
    assert finding["address"] == DRIFT_LOGS
    assert finding["attribute"] == "force_destroy"
    assert finding["expected"] == "false"
    assert finding["actual"] is True
    assert "force_destroy" in finding["message"]
    assert document["plans"][0]["environment"] == "prod"


def block_line(path: Path, resource_type: str, name: str) -> int:
    header = re.compile(rf'^\s*resource\s+"{resource_type}"\s+"{name}"\s*\{{')
    lines = path.read_text("utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if header.match(line))


def test_sarif_results_point_at_the_tf_file_and_line_of_the_resource_block(capsys):
    code, out, _ = check(capsys, "--format", "sarif", scenario("prod-force-destroy"))
    assert code == 1
    sarif = json.loads(out)
    assert sarif["version"] == "2.1.0"
    (result,) = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "PG-GCS-001"]
    (location,) = result["locations"]
    physical = location["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == STORAGE_TF
    assert physical["region"]["startLine"] == block_line(
        REPO / STORAGE_TF, "google_storage_bucket", "drift_logs"
    )
    assert DRIFT_LOGS in json.dumps(location)


def test_sarif_locates_the_public_bucket_findings_too(capsys):
    _, out, _ = check(capsys, "--format", "sarif", scenario("prod-public-bucket"))
    results = json.loads(out)["runs"][0]["results"]
    (gcs3,) = [r for r in results if r["ruleId"] == "PG-GCS-003"]
    region = gcs3["locations"][0]["physicalLocation"]
    assert region["artifactLocation"]["uri"] == STORAGE_TF
    assert region["region"]["startLine"] == block_line(
        REPO / STORAGE_TF, "google_storage_bucket", "models"
    )


def test_markdown_report(capsys):
    code, out, _ = check(capsys, "--format", "markdown", scenario("prod-bucket-delete"))
    assert code == 1
    assert out.startswith("## ")
    assert "FAIL" in out
    assert f"`{DVC}`" in out
    assert "| critical | PG-CHG-002 |" in out


def test_output_writes_the_report_to_a_file_instead_of_stdout(capsys, tmp_path):
    target = tmp_path / "report.json"
    code, out, err = check(
        capsys, "--format", "json", "--output", str(target), scenario("prod-owner-granted")
    )
    assert code == 1
    assert (out, err) == ("", "")
    assert target.read_text("utf-8").endswith("\n")
    assert ("PG-IAM-001", OWNER) in failing(target.read_text("utf-8"))


# --- --fail-on and waivers --------------------------------------------------------------------


def test_fail_on_critical_lets_a_high_only_violation_pass(capsys, tmp_path):
    plan = scenario("prod-force-destroy")
    waivers = str(waivers_file(tmp_path, "PG-GCS-001", DRIFT_LOGS))
    # with the critical finding waived, only PG-CFG-001 (high) still fails
    code, out, _ = check(capsys, "--waivers", waivers, "--format", "json", plan)
    assert code == 1
    document = json.loads(out)
    severities = {f["severity"] for f in document["findings"] if f["status"] == "fail"}
    assert severities == {"high"}
    assert {f["status"] for f in document["findings"] if f["policy"] == "PG-GCS-001"} == {"waived"}
    assert check(capsys, "--waivers", waivers, "--fail-on", "high", plan)[0] == 1
    code, out, _ = check(capsys, "--waivers", waivers, "--fail-on", "critical", plan)
    assert code == 0, out


def test_fail_on_compares_by_rank(capsys):
    plan = scenario("prod-budget-threshold-removed")  # one medium finding
    assert check(capsys, "--fail-on", "medium", plan)[0] == 1
    assert check(capsys, "--fail-on", "high", plan)[0] == 0
    assert check(capsys, "--fail-on", "critical", plan)[0] == 0


def test_a_waived_finding_shows_its_waiver_and_verbose_its_justification(capsys, tmp_path):
    waivers = str(waivers_file(tmp_path, "PG-BUD-001", "module.budget.*"))
    plan = scenario("prod-budget-threshold-removed")
    code, out, _ = check(capsys, "--waivers", waivers, plan)
    assert code == 0
    assert (
        "  PG-BUD-001 for module.budget.*: approved by alice@example.com, expires 2999-12-31; "
        "waives 1 finding\n"
    ) in out
    assert "Accepted for this test run" not in out
    code, out, _ = check(capsys, "--waivers", waivers, "--verbose", plan)
    assert code == 0
    assert "Accepted for this test run" in out
    assert f"address:   {BUDGET}" in out


def test_an_unused_waiver_warns_but_passes(capsys, tmp_path):
    waivers = str(waivers_file(tmp_path, "PG-BUD-001", "module.nothing.*"))
    code, out, _ = check(capsys, "--waivers", waivers, "--format", "json")
    assert code == 0
    assert any("matched nothing" in warning for warning in json.loads(out)["warnings"])


def test_an_expired_waiver_fails_the_run(capsys, tmp_path):
    path = waivers_file(tmp_path, "PG-BUD-001", "module.budget.*", expires="2020-01-01")
    code, _, _ = check(capsys, "--waivers", str(path), scenario("prod-budget-threshold-removed"))
    assert code == 1
    code, _, _ = check(capsys, "--waivers", str(path))  # even where nothing fails
    assert code == 1


# --- bad input --------------------------------------------------------------------------------


def one_line_error(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def test_a_missing_plan_file_exits_2_with_one_line(capsys):
    code, out, err = check(capsys, "infrastructure/plans/nope.json")
    assert code == 2
    assert out == ""
    line = one_line_error(err)
    assert line.startswith("plangate: error: ")
    assert "nope.json" in line and "no such file" in line


def test_a_state_document_exits_2_with_one_line(capsys):
    code, _, err = check(capsys, "tests/fixtures/inputs/state.json")
    assert code == 2
    assert "state document, not a plan" in one_line_error(err)


def test_a_plan_glob_that_matches_nothing_exits_2(capsys):
    code, _, err = check(capsys, "infrastructure/plans/*.tfplan")
    assert code == 2
    assert "matches no file" in one_line_error(err)


def test_an_unknown_format_exits_2_with_one_line(capsys):
    with pytest.raises(SystemExit) as raised:
        main(["check", "--format", "xml"])
    assert raised.value.code == 2
    line = one_line_error(capsys.readouterr().err)
    assert "invalid choice: 'xml'" in line


def test_an_unknown_fail_on_exits_2(capsys):
    with pytest.raises(SystemExit) as raised:
        main(["check", "--fail-on", "severe"])
    assert raised.value.code == 2
    one_line_error(capsys.readouterr().err)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("waivers:\n  - policy: PG-GCS-001\n", "invalid waiver at /waivers/0"),
        ("waivers: [\n", "invalid YAML"),
        ("waivers:\n  - policy: PG-GCS-001\n    expires: 2027-02-30\n", "/waivers/0"),
    ],
)
def test_a_broken_waivers_file_exits_2_naming_it(capsys, tmp_path, text, says):
    path = tmp_path / "broken.yaml"
    path.write_text(text)
    code, out, err = check(capsys, "--waivers", str(path))
    assert code == 2
    assert out == ""
    line = one_line_error(err)
    assert str(path) in line and says in line


def test_a_broken_pyproject_exits_2(capsys, tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text("[tool.plangate\n")
    monkeypatch.chdir(tmp_path)
    code, _, err = check(capsys)
    assert code == 2
    assert "pyproject.toml: cannot read [tool.plangate]" in one_line_error(err)


def test_no_plans_configured_exits_2(capsys, tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text(
        f'[tool.plangate]\npolicies = ["{REPO / "policies"}"]\n'
    )
    monkeypatch.chdir(tmp_path)
    code, _, err = check(capsys)
    assert code == 2
    assert "no plans to check" in one_line_error(err)


# --- plangate policies ------------------------------------------------------------------------


def test_policies_text_lists_every_policy(capsys):
    assert main(["policies"]) == 0
    lines = capsys.readouterr().out.splitlines()
    ids = [line.split()[0] for line in lines[:-1]]
    assert "PG-GCS-001" in ids and "PG-CFG-001" in ids
    assert ids == sorted(ids)
    assert lines[-1].startswith(f"{len(ids)} policies; settings: ")
    assert "expect_no_changes" in lines[-1]


def test_policies_json(capsys):
    assert main(["policies", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    (gcs,) = [p for p in document["policies"] if p["id"] == "PG-GCS-001"]
    assert gcs["severity"] == "critical"
    assert gcs["resource_types"] == ["google_storage_bucket"]
    assert {
        "id",
        "title",
        "severity",
        "view",
        "resource_types",
        "judges_inventory",
        "rationale",
        "references",
        "requirements",
    } == set(gcs)
    assert gcs["requirements"] == ["REQ-005"]  # no bucket is deleted with its objects
    assert gcs["judges_inventory"] is False  # force_destroy is not in the inventory
    (public,) = [p for p in document["policies"] if p["id"] == "PG-GCS-005"]
    assert public["judges_inventory"] is True
    names = {s["name"]: s for s in document["settings"]}
    assert names["require_firestore_pitr"]["default"] is False


def test_policies_markdown_prints_the_catalogue_page(capsys):
    assert main(["policies", "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Policy catalogue\n")
    assert out == render_markdown(REGISTRY, SETTINGS)  # docs/policies.md is this output


# --- the installed console script -------------------------------------------------------------


def console_script() -> str:
    script = Path(sys.executable).with_name("plangate")
    assert script.exists(), "the README installs the plangate console script next to Python"
    return str(script)


def test_the_console_script_exits_1_on_an_unsafe_plan():
    unsafe = subprocess.run(
        [console_script(), "check", "--format", "json", scenario("prod-owner-granted")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert unsafe.returncode == 1, unsafe.stderr
    assert unsafe.stderr == ""
    assert ("PG-IAM-001", OWNER) in failing(unsafe.stdout)


def test_an_output_path_that_cannot_be_written_is_bad_input(capsys, tmp_path):
    code, out, err = check(capsys, "--output", str(tmp_path))
    assert code == 2 and out == ""
    assert err.strip() == f"plangate: error: {tmp_path}: cannot write the report (Is a directory)"
