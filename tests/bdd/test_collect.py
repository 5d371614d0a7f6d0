"""Feature files run with plain pytest: collection, plan parametrisation, tags, errors."""

from __future__ import annotations

import pytest

from tests.bdd.conftest import Project, buckets

pytest_plugins = ["pytester"]

COUNT = """
    Feature: Storage
      Scenario: Buckets exist
        Given resources of type "google_storage_bucket"
        Then there are at least 3
"""


def test_features_run_without_a_test_module_once_per_plan(project: Project) -> None:
    project.plan("prod", buckets())
    project.plan("dev", buckets())
    project.feature(COUNT)
    result = project.run("-v")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(
        [
            "features/controls.feature::test_buckets_exist[[]dev[]] PASSED*",
            "features/controls.feature::test_buckets_exist[[]prod[]] PASSED*",
        ]
    )
    assert not list(project.root.glob("**/test_*.py"))


def test_only_the_configured_features_directory_is_collected(project: Project) -> None:
    project.settings('features = "controls"')
    project.plan("prod", buckets())
    project.feature(COUNT, folder="controls/storage")
    project.feature(COUNT, name="ignored", folder="elsewhere")
    result = project.run("-v")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        ["controls/storage/controls.feature::test_buckets_exist[[]prod[]] PASSED*"]
    )
    assert "ignored.feature" not in result.stdout.str()


def test_pretty_printed_plan_json_is_read(project: Project) -> None:
    project.plan("prod", buckets(), indent=2)
    project.feature(COUNT)
    project.run().assert_outcomes(passed=1)


def test_tags_become_marks_accepted_by_strict_markers(project: Project) -> None:
    project.plan("prod", buckets())
    project.feature(
        """
        @storage
        Feature: Storage
          @PG-GCS-001 @critical-control
          Scenario: Tagged
            Given resources of type "google_storage_bucket"
            Then there are exactly 3

          Scenario: Untagged
            Given resources of type "google_storage_bucket"
            Then there is at least one

          Scenario Outline: Tagged examples
            Given resources of type "google_storage_bucket"
            Then there are at least <n>

            @slow
            Examples:
              | n |
              | 1 |
        """
    )
    result = project.run("-m", "PG-GCS-001", "-v")
    result.assert_outcomes(passed=1, deselected=2)
    result.stdout.fnmatch_lines(["*test_tagged[[]prod[]] PASSED*"])
    project.run("-m", "storage and not slow").assert_outcomes(passed=2, deselected=1)
    project.run("-m", "slow").assert_outcomes(passed=1, deselected=2)


def test_duplicate_scenario_names_are_a_collection_error(project: Project) -> None:
    project.plan("prod", buckets())
    project.feature(
        """
        Feature: Storage
          Scenario: Same name
            Given resources of type "google_storage_bucket"
            Then there are at least 1

          Scenario: Same name
            Given resources of type "google_storage_bucket"
            Then there are exactly 0
        """
    )
    result = project.run()
    assert result.ret != 0
    result.stdout.fnmatch_lines(["*scenario names must be unique*'Same name' at lines 2, 6*"])


def test_gherkin_syntax_error_is_a_collection_error(project: Project) -> None:
    project.plan("prod", buckets())
    project.feature("Scenario without a feature\n  Given nothing\n")
    result = project.run()
    assert result.ret != 0
    result.stdout.fnmatch_lines(["*ERROR collecting features/controls.feature*"])


def test_a_step_nobody_defines_names_its_line(project: Project) -> None:
    project.plan("prod", buckets())
    project.feature(
        """
        Feature: Storage
          Scenario: Typo
            Given resources of type "google_storage_bucket"
            Then the buckets are lovely
        """
    )
    result = project.run()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*Step definition is not found*Line 4*"])


def test_scenarios_are_located_in_the_feature_file(project: Project) -> None:
    project.plan("prod", buckets())
    project.feature(COUNT)
    (project.root / "conftest.py").write_text(
        "def pytest_collection_modifyitems(items):\n"
        "    for item in items:\n"
        "        print('LOCATION', item.location[0], item.location[1] + 1)\n"
    )
    result = project.run("-s")
    result.stdout.fnmatch_lines(["LOCATION features/controls.feature 2"])


def test_scenario_outline_rows_and_plans_make_the_ids(project: Project) -> None:
    project.plan("prod", buckets())
    project.feature(
        """
        Feature: Storage
          Scenario Outline: Bucket in <location>
            Given resources of type "google_storage_bucket"
            When their "location" is "<location>"
            Then there are exactly <count>

            Examples:
              | location | count |
              | EU       | 3     |
              | US       | 0     |
        """
    )
    result = project.run("-v")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["*test_bucket_in_location[[]*EU-3*[]] PASSED*"])


def test_a_project_without_plans_is_told_how_to_configure_them(project: Project) -> None:
    project.settings("")
    (project.root / "pyproject.toml").write_text(
        '[tool.pytest.ini_options]\naddopts = "-p no:cacheprovider -p no:hypothesispytest"\n'
    )
    project.feature(COUNT)
    result = project.run()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*test_buckets_exist needs a plan: pass --plan PATH*"])
