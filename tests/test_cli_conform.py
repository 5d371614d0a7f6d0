"""`plangate conform` end to end: exit codes, report formats, and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from plangate.cli import main

REPO = Path(__file__).resolve().parents[1]
PLAN = "infrastructure/plans/prod.json"
DEMO = "infrastructure/inventory/prod.ndjson"


@pytest.fixture(autouse=True)
def _at_repository_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


def _one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


def test_no_arguments_runs_the_bundled_demo_and_reports_its_drift(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["conform"]) == 1
    out = capsys.readouterr().out
    assert "coverage 88.5%: 20 in sync, 3 drifted, 1 missing, 2 unmanaged" in out
    assert f"export {DEMO} sha256" in out and f"terraform {PLAN} sha256" in out
    assert "not verifiable: module.budget.google_billing_budget.monthly" in out


def test_verbose_adds_the_passing_policies_to_the_text_report(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["conform", "--plan", PLAN, "--inventory", DEMO]) == 1
    short = capsys.readouterr().out
    assert main(["conform", "--plan", PLAN, "--inventory", DEMO, "--verbose"]) == 1
    verbose = capsys.readouterr().out
    assert "(prod): FAIL; 10 fail, 0 error, 1 waived, 2 pass, 0 not applicable" in short
    assert "    pass: " not in short and "    pass: " in verbose
    for line in short.splitlines()[1:]:  # verbose adds lines, drops none (the first has times)
        assert line in verbose, line


def test_json_report_carries_the_conformance_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["conform", "--plan", PLAN, "--inventory", DEMO, "--format", "json"]) == 1
    document = json.loads(capsys.readouterr().out)
    [summary] = document["conformance"]
    assert summary["counts"]["missing"] == 1 and summary["counts"]["unmanaged"] == 2
    assert summary["inventory"]["files"][0]["path"] == DEMO
    assert {f["policy"] for f in document["findings"]} >= {"PG-CAI-001", "PG-CAI-004"}


def test_sarif_report_is_valid_and_lists_conformance_rules(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["conform", "--plan", PLAN, "--inventory", DEMO, "--format", "sarif"]) == 1
    document = json.loads(capsys.readouterr().out)
    rules = {rule["id"] for rule in document["runs"][0]["tool"]["driver"]["rules"]}
    assert {"PG-CAI-001", "PG-CAI-002", "PG-CAI-003", "PG-CAI-004", "PG-CAI-005"} <= rules
    results = document["runs"][0]["results"]
    assert any(r["ruleId"] == "PG-CAI-002" for r in results)


def test_markdown_report_has_a_conformance_section(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    output = tmp_path / "conformance.md"
    code = main(
        [
            "conform",
            "--plan",
            PLAN,
            "--inventory",
            DEMO,
            "--format",
            "markdown",
            "--output",
            str(output),
        ]
    )
    assert code == 1
    text = output.read_text()
    assert "### Conformance with Cloud Asset Inventory" in text and "88.5%" in text


def test_a_missing_inventory_file_is_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["conform", "--plan", PLAN, "--inventory", "nowhere.ndjson"]) == 2
    assert "nowhere.ndjson" in _one_line_error(capsys)


def test_a_plan_passed_as_the_inventory_is_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["conform", "--plan", PLAN, "--inventory", PLAN]) == 2
    assert "Terraform plan" in _one_line_error(capsys)


def test_a_state_passed_as_a_plan_is_bad_input(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    state = tmp_path / "state.json"
    state.write_text(json.dumps({"format_version": "1.0", "values": {"root_module": {}}}))
    assert main(["conform", "--plan", str(state), "--inventory", DEMO]) == 2
    assert "state document" in _one_line_error(capsys)


def test_an_export_without_iam_policies_is_exit_3_never_drift(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    resources_only = tmp_path / "resources.ndjson"
    lines = (REPO / DEMO).read_text().splitlines()
    resources_only.write_text(
        "\n".join(line for line in lines if '"iam_policy"' not in line) + "\n"
    )
    assert main(["conform", "--plan", PLAN, "--inventory", str(resources_only)]) == 3
    assert "IAM_POLICY" in _one_line_error(capsys)
    assert capsys.readouterr().out == ""


def test_a_truncated_export_is_exit_3(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    truncated = tmp_path / "truncated.ndjson"
    text = (REPO / DEMO).read_text()
    truncated.write_text(text[: len(text) // 2])
    assert main(["conform", "--plan", PLAN, "--inventory", str(truncated)]) == 3
    _one_line_error(capsys)


def test_an_export_of_another_project_is_exit_3(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    other = tmp_path / "other.ndjson"
    lines = (REPO / DEMO).read_text().splitlines()
    other.write_text(
        "\n".join(
            line for line in lines if "cloudresourcemanager.googleapis.com/Project" not in line
        )
        + "\n"
    )
    assert main(["conform", "--plan", PLAN, "--inventory", str(other)]) == 3
    assert "ct-scan-mlops-prod" in _one_line_error(capsys)


def test_two_sources_at_once_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["conform", "--plan", PLAN, "--inventory", DEMO, "--project", "p"])
    assert exit_info.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


def test_the_settings_table_is_validated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.plangate.conformance]\ninventory = 3\n")
    monkeypatch.chdir(tmp_path)
    assert main(["conform"]) == 2
    assert "[tool.plangate] conformance must be" in _one_line_error(capsys)


def test_sarif_output_validates_against_the_sarif_schema_shape(
    capsys: pytest.CaptureFixture[str],
) -> None:
    main(["conform", "--plan", PLAN, "--inventory", DEMO, "--format", "sarif"])
    document = json.loads(capsys.readouterr().out)
    minimal = {
        "type": "object",
        "required": ["version", "runs"],
        "properties": {"version": {"const": "2.1.0"}, "runs": {"type": "array", "minItems": 1}},
    }
    Draft202012Validator(minimal).validate(document)


def test_an_empty_project_is_bad_input_not_the_configured_export(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["conform", "--plan", PLAN, "--project", ""]) == 2
    assert "inventory scope 'projects/'" in _one_line_error(capsys)
