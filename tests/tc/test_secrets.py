"""Sensitive values never leave plangate tc: not in a failure, a skip reason, a count or a
verbose line, on any step that could echo a value (terraform-compliance prints them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from plangate.cli import main
from tests.fixtures.builder import PlanBuilder, Secret

PLAINTEXT = ("hunter2-db-password", "hunter3-api-token", "hunter4-output")

# Every step form here reads a sensitive value or a structure holding one, and most fail,
# so the engine has every reason to describe what it found.
FEATURE = """Feature: secrets
  Scenario: compare the secret itself
    Given I have google_secret_manager_secret_version defined
    Then its secret_data must be wrong

  Scenario: regex on the secret
    Given I have google_secret_manager_secret_version defined
    When it has secret_data
    Then its value must match the "^nothing$" regex

  Scenario: the secret must not contain
    Given I have google_secret_manager_secret_version defined
    Then it must not contain secret_data

  Scenario: a nested secret
    Given I have google_cloud_run_v2_service defined
    Then it must contain template
    And it must contain env
    And its value must be public

  Scenario: filter on the secret
    Given I have google_secret_manager_secret_version defined
    When its secret_data is hunter
    Then it must fail

  Scenario: every resource fails
    Given I have google_secret_manager_secret_version defined
    Then it must fail

  Scenario: a sensitive output
    Given I have outputs defined
    Then its value must be wrong

  Scenario: a sensitive variable
    Given I have a variable defined
    Then its value must be wrong

  Scenario: sets built from the secret
    Given I have google_secret_manager_secret_version defined
    Then it must be in {google_secret_manager_secret_version.values.secret_data}
"""


def _plan(path: Path) -> Path:
    return (
        PlanBuilder()
        .resource(
            "google_secret_manager_secret_version.db",
            action="create",
            after={"secret": "db", "secret_data": Secret(PLAINTEXT[0])},
        )
        .resource(
            "google_cloud_run_v2_service.api",
            action="update",
            before={"name": "api"},
            after={
                "name": "api",
                "template": [
                    {"env": [{"name": "TOKEN", "value": Secret(PLAINTEXT[1])}]},
                ],
            },
        )
        .output("password", after=Secret(PLAINTEXT[2]), sensitive=True)
        .variable("db_password", PLAINTEXT[0], sensitive=True)
        .write(path)
    )


@pytest.mark.parametrize("flags", [[], ["-q"], ["--no-ansi"]])
def test_no_sensitive_plaintext_in_any_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], flags: list[str]
) -> None:
    features = tmp_path / "features"
    features.mkdir()
    (features / "secrets.feature").write_text(FEATURE)
    plan = _plan(tmp_path / "plan.json")
    assert all(secret in plan.read_text() for secret in PLAINTEXT)  # the plan does hold them
    code = main(["tc", "-f", str(features), "-p", str(plan), *flags])
    out, err = capsys.readouterr()
    assert code == 1  # the scenarios fail: the output has every reason to show values
    assert "FAILED" in out or "failed" in out
    for secret in PLAINTEXT:
        assert secret not in out + err, secret
        assert secret[:8] not in out + err, secret  # not even a prefix
