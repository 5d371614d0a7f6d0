"""terraform-compliance feature files under pytest: collected by the tc engine, one item per
scenario (per outline row) and plan, with the verdicts `plangate tc` gives, and in the evidence.

Each test builds a throwaway project (tests.bdd.conftest.Project): two plans, a feature file
tagged `@terraform-compliance` in the features folder beside a native one, and a
`tc_features` folder whose file carries no tag.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from plangate.tc import run_features
from tests.bdd.conftest import Project
from tests.fixtures.builder import PlanBuilder
from tests.tc.conftest import sample_plan

pytest_plugins = ["pytester"]

TAGGED = """\
@terraform-compliance
Feature: Buckets, in terraform-compliance's words
  Data must survive a bad apply.

  @REQ-001
  Scenario: Buckets cannot be force-destroyed
    Given I have google_storage_bucket defined
    Then it must contain force_destroy
    And its value must be false

  Scenario: Firewalls have a name
    Given I have google_compute_firewall defined
    Then it must contain name

  @REQ-002
  Scenario Outline: Buckets carry a label
    Given I have google_storage_bucket defined
    Then it must contain labels
    And it must contain <label>

    Examples:
      | label |
      | team  |
      | owner |
"""

FOLDER = """\
Feature: Secrets
  Scenario: Secret versions name their secret
    Given I have google_secret_manager_secret_version defined
    Then it must contain secret
"""

NATIVE = """\
Feature: Storage
  Scenario: Buckets exist
    Given resources of type "google_storage_bucket"
    Then there are at least 1
"""

REQUIREMENTS = """\
# Requirements

### REQ-001: Buckets keep their objects

### REQ-002: Buckets have an owner
"""

SCENARIOS = {
    "features/buckets.feature": [
        "Buckets cannot be force-destroyed",
        "Firewalls have a name",
        "Buckets carry a label -- @1.1",
        "Buckets carry a label -- @1.2",
    ],
    "compliance/secrets.feature": ["Secret versions name their secret"],
}
PLANS = ("dev", "prod")
TC_ITEMS = sorted(
    f"{path}::{name}[{plan}]"
    for path, names in SCENARIOS.items()
    for name in names
    for plan in PLANS
)


def dev_plan() -> PlanBuilder:
    """One bucket that keeps its objects, labelled with an owner; no firewall, no secret."""
    return PlanBuilder(format_version="1.0").resource(
        "google_storage_bucket.logs",
        action="create",
        after={"name": "logs", "force_destroy": False, "labels": {"team": "ops", "owner": "o"}},
    )


@pytest.fixture
def project(pytester: pytest.Pytester) -> Project:
    made = Project(pytester)
    made.settings('tc_features = ["compliance"]')
    made.plan("prod", sample_plan("1.2"))
    made.plan("dev", dev_plan())
    made.feature(TAGGED, name="buckets")
    made.feature(NATIVE, name="native")
    made.feature(FOLDER, name="secrets", folder="compliance")
    return made


def reports(result: pytest.RunResult) -> dict[str, pytest.TestReport]:
    """nodeid -> the report that decided it (the call, or a setup that did not pass)."""
    found = {}
    for report in result.reprec.getreports("pytest_runtest_logreport"):  # type: ignore[attr-defined]
        if report.when == "call" or (report.when == "setup" and not report.passed):
            found[report.nodeid] = report
    return found


def collected(result: pytest.RunResult) -> list[str]:
    return sorted(line for line in result.outlines if "::" in line)


def test_tagged_files_and_tc_features_folders_become_one_item_per_scenario_and_plan(
    project: Project,
) -> None:
    result = project.run("--collect-only", "-q")
    assert result.ret == 0, result.stdout.str()
    items = collected(result)
    native = [item for item in items if item.startswith("features/native.feature::")]
    assert native == [
        "features/native.feature::test_buckets_exist[dev]",
        "features/native.feature::test_buckets_exist[prod]",
    ]
    # every tc scenario exactly once: pytest-bdd's collector did not take the files too
    assert sorted(set(items) - set(native)) == TC_ITEMS
    assert len(items) == len(TC_ITEMS) + len(native)


def test_the_step_library_collector_leaves_dialect_files_alone(project: Project) -> None:
    """Without the tag and outside tc_features, the same file is pytest-bdd's (and its steps
    are unknown there); with the tag, only the tc engine's items exist."""
    untagged = project.feature(TAGGED.replace("@terraform-compliance\n", ""), name="plain")
    items = collected(project.run("--collect-only", "-q", str(untagged)))
    assert items and all("::test_" in item for item in items)
    items = collected(project.run("--collect-only", "-q", "features/buckets.feature"))
    assert items == [item for item in TC_ITEMS if item.startswith("features/buckets.feature")]


def test_outcomes_are_those_of_plangate_tc_on_the_same_plan(project: Project) -> None:
    result = project.run("features/buckets.feature", "compliance")
    found = reports(result)
    assert sorted(found) == TC_ITEMS
    for plan in PLANS:
        run = run_features(
            [project.root / "features/buckets.feature", project.root / "compliance"],
            project.root / "plans" / f"{plan}.json",
        )
        expected = {
            f"{Path(s.feature).relative_to(project.root).as_posix()}::{s.name}[{plan}]": s.outcome
            for s in run.scenarios
        }
        assert {node: found[node].outcome for node in expected} == expected
    # the plans were chosen so that every outcome occurs
    outcomes = {node: report.outcome for node, report in found.items()}
    assert outcomes["features/buckets.feature::Buckets cannot be force-destroyed[prod]"] == "failed"
    assert outcomes["features/buckets.feature::Buckets cannot be force-destroyed[dev]"] == "passed"
    assert outcomes["features/buckets.feature::Firewalls have a name[dev]"] == "skipped"
    assert outcomes["features/buckets.feature::Buckets carry a label -- @1.2[dev]"] == "passed"
    assert outcomes["features/buckets.feature::Buckets carry a label -- @1.2[prod]"] == "failed"


def test_a_failure_names_the_step_and_the_address_without_a_traceback(project: Project) -> None:
    found = reports(project.run("features/buckets.feature"))
    text = found["features/buckets.feature::Buckets cannot be force-destroyed[prod]"].longreprtext
    assert text.splitlines()[0] == "Scenario: Buckets cannot be force-destroyed failed on prod"
    assert "\n    Then its value must be false\n" in text
    assert "google_storage_bucket.b" in text
    assert "google_storage_bucket.a" not in text  # the bucket that passes is not named
    assert "Traceback" not in text and "runtest" not in text and ".py:" not in text


def test_a_skip_gives_the_engine_reason_at_the_scenario(project: Project) -> None:
    found = reports(project.run("features/buckets.feature"))
    path, line, reason = found["features/buckets.feature::Firewalls have a name[dev]"].longrepr
    assert Path(path).name == "buckets.feature"
    assert line == 11  # the Scenario line, 0-based 10, reported 1-based
    assert "Given I have google_compute_firewall defined" in reason
    assert "Can not find google_compute_firewall" in reason


def test_node_ids_rerun_one_item(project: Project) -> None:
    result = project.run("features/buckets.feature::Buckets carry a label -- @1.1[prod]")
    assert sorted(reports(result)) == [
        "features/buckets.feature::Buckets carry a label -- @1.1[prod]"
    ]


def test_tags_are_marks(project: Project) -> None:
    found = reports(project.run("-m", "REQ-002"))
    assert sorted(found) == [item for item in TC_ITEMS if "label" in item]


def test_tc_features_outside_testpaths_still_run_when_the_project_is_gated(
    project: Project,
) -> None:
    pyproject = project.root / "pyproject.toml"
    text = pyproject.read_text().replace(
        "[tool.pytest.ini_options]\n", '[tool.pytest.ini_options]\ntestpaths = ["features"]\n'
    )
    pyproject.write_text(text)
    items = collected(project.run("--collect-only", "-q"))
    assert sorted(item for item in items if "::test_" not in item) == TC_ITEMS
    assert len(items) == len(set(items))
    # a chosen file or test is run alone: the folder is not added to it
    items = collected(project.run("--collect-only", "-q", "features/native.feature"))
    assert items == [
        "features/native.feature::test_buckets_exist[dev]",
        "features/native.feature::test_buckets_exist[prod]",
    ]


def test_a_tc_features_path_that_matches_nothing_is_a_usage_error(project: Project) -> None:
    project.settings('tc_features = ["compliance", "missing/*.feature"]')
    result = project.run("--collect-only")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "tc_features 'missing/*.feature' matches nothing" in result.stderr.str()


def test_a_wrongly_typed_tc_features_setting_is_a_usage_error(project: Project) -> None:
    project.settings("tc_features = 3")
    result = project.run("--collect-only")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "tc_features must be a list of paths or globs" in result.stderr.str()


def test_a_feature_that_is_not_gherkin_is_a_collection_error(project: Project) -> None:
    (project.root / "compliance" / "broken.feature").write_text("not gherkin\nFeature: x\n")
    result = project.run("compliance")
    assert result.ret == pytest.ExitCode.INTERRUPTED
    assert "broken.feature: not a valid feature file" in result.stdout.str()


def test_the_evidence_lists_tc_scenarios_with_their_requirements(project: Project) -> None:
    (project.root / "docs").mkdir()
    (project.root / "docs" / "requirements.md").write_text(textwrap.dedent(REQUIREMENTS))
    project.run("--evidence", "out/evidence.html")
    evidence = json.loads((project.root / "out" / "evidence.json").read_text())
    tc = {
        (s["scenario_name"], s["plan"]): s
        for s in evidence["scenarios"]
        if s["feature_file"] != "features/native.feature"
    }
    assert len(tc) == len(TC_ITEMS)
    failed = tc[("Buckets cannot be force-destroyed", "prod")]
    assert failed["feature_file"] == "features/buckets.feature"
    assert failed["feature_name"] == "Buckets, in terraform-compliance's words"
    assert failed["feature_description"] == "Data must survive a bad apply."
    assert failed["line"] == 6
    assert failed["tags"] == ["REQ-001", "terraform-compliance"]
    assert failed["outcome"] == "failed"
    assert "google_storage_bucket.b" in failed["detail"]
    assert not failed["detail"].startswith("plangate")  # the message, not an exception's name
    assert failed["test_id"] == "features/buckets.feature::Buckets cannot be force-destroyed[prod]"
    skipped = tc[("Firewalls have a name", "dev")]
    assert skipped["outcome"] == "skipped" and "Can not find" in skipped["detail"]
    row = tc[("Buckets carry a label -- @1.2", "dev")]
    assert (row["line"], row["outcome"], row["tags"]) == (
        24,
        "passed",
        ["REQ-002", "terraform-compliance"],
    )
    folder = tc[("Secret versions name their secret", "dev")]
    assert (folder["feature_file"], folder["outcome"]) == ("compliance/secrets.feature", "skipped")
    traced = {
        row["id"]: {control["id"]: control["outcomes"] for control in row["controls"]}
        for row in evidence["trace"]["requirements"]
    }
    assert traced["REQ-001"] == {"features/buckets.feature:6": {"dev": "passed", "prod": "failed"}}
    assert set(traced["REQ-002"]) == {"features/buckets.feature:23", "features/buckets.feature:24"}
