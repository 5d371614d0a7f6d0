"""`plangate tc`: terraform-compliance's flags and exit codes; bad input is one line and exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from plangate.cli import main
from tests.tc.conftest import sample_plan

FEATURE = """Feature: buckets
  Scenario: location
    Given I have google_storage_bucket defined
    Then it must contain location

  Scenario: forced
    Given I have google_storage_bucket defined
    Then it must fail

  @wip
  Scenario: missing
    Given I have aws_s3_bucket defined
    Then it must contain x
"""


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, Path]:
    features = tmp_path / "features"
    features.mkdir()
    (features / "a.feature").write_text(FEATURE)
    plan = sample_plan("1.2").write(tmp_path / "plan.json")
    return features, plan


def test_failure_exit_1_names_scenario_step_and_address(
    setup: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    features, plan = setup
    assert main(["tc", "-f", str(features), "-p", str(plan), "--no-ansi"]) == 1
    out = capsys.readouterr().out
    assert "Scenario: forced  FAILED" in out and "Then it must fail" in out
    assert "google_storage_bucket.a" in out and "Scenario: location  PASSED" in out
    assert "3 scenarios (1 passed, 1 failed, 1 skipped)" in out and "\033[" not in out


def test_quiet_shows_only_failures(
    setup: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    features, plan = setup
    main(["tc", "-f", str(features), "-p", str(plan), "-q"])
    out = capsys.readouterr().out
    assert "forced" in out and "location  PASSED" not in out and "missing" not in out


def test_wip_runs_only_wip_and_passes(
    setup: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    features, plan = setup
    assert main(["tc", "-f", str(features / "a.feature"), "-p", str(plan), "--wip"]) == 0
    assert "1 scenarios (0 passed, 0 failed, 1 skipped)" in capsys.readouterr().out


def test_pretty_printed_plan_is_accepted(setup: tuple[Path, Path], tmp_path: Path) -> None:
    features, plan = setup
    pretty = tmp_path / "pretty.json"
    pretty.write_text(json.dumps(json.loads(plan.read_text()), indent=2))
    assert main(["tc", "-f", str(features), "-p", str(pretty), "--wip"]) == 0


@pytest.mark.parametrize("bad", ["plan", "features", "feature-syntax"])
def test_bad_input_is_one_line_exit_2(
    setup: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], bad: str
) -> None:
    features, plan = setup
    if bad == "plan":
        plan = tmp_path / "broken.json"
        plan.write_text("{")
    elif bad == "features":
        features = tmp_path / "nowhere"
    else:
        (features / "b.feature").write_text("this is not gherkin\nFeature: x\n")
    assert main(["tc", "-f", str(features), "-p", str(plan)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("plangate: error: ") and err.count("\n") == 1 and "Traceback" not in err


def test_missing_flags_is_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["tc", "-f", "x"])
    assert exit_info.value.code == 2
