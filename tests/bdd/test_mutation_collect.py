"""The feature-file collector, pinned where mutation testing of plangate.bdd.collect found gaps.

Feature files become pytest tests without a test module, so everything a user sees of them
comes from the collector: the test names made from scenario names, the tags accepted by
`--strict-markers` wherever Gherkin allows them (Rules included), the markers a project
already declares, the collection errors' wording, the module a hook or fixture finds behind
an item, and whether a feature runs per plan or once on the inventory. Every project here is
run in-process, so the collector under test is the one imported by this test run.
"""

from __future__ import annotations

import re

import pytest

from plangate.bdd.collect import register_tags
from tests.bdd.conftest import Project, buckets

pytest_plugins = ["pytester"]

STEPS = """
            Given resources of type "google_storage_bucket"
            Then there are at least 1
"""


def _collected(result: pytest.RunResult) -> list[str]:
    return [line for line in result.stdout.lines if "::" in line]


def test_scenario_names_that_read_alike_get_numbered_test_names(project: Project) -> None:
    """Names that slug alike must stay distinct tests, numbered 1, 2... in file order."""
    project.plan("prod", buckets())
    scenarios = "".join(
        f"  Scenario: {name}{STEPS}"
        for name in ("Buckets exist", "Buckets, exist!", "Buckets (exist)", "X-ray buckets", "???")
    )
    project.feature("Feature: Storage\n" + scenarios)
    result = project.run("--collect-only", "-q")
    assert _collected(result) == [
        "features/controls.feature::test_buckets_exist[prod]",
        "features/controls.feature::test_buckets_exist_1[prod]",
        "features/controls.feature::test_buckets_exist_2[prod]",
        "features/controls.feature::test_x_ray_buckets[prod]",
        "features/controls.feature::test_scenario[prod]",
    ]


def test_tags_on_a_feature_a_rule_a_scenario_and_examples_are_all_markers(
    project: Project,
) -> None:
    """Every tag a file can carry must be registered under its own name, or strict markers fail."""
    project.plan("prod", buckets())
    project.feature(
        """
        @XSOAR
        Feature: Storage
          @XDR
          Rule: Buckets are counted
            @X509
            Scenario: Tagged in a rule
              Given resources of type "google_storage_bucket"
              Then there are at least 1

            Scenario Outline: Tagged examples in a rule
              Given resources of type "google_storage_bucket"
              Then there are at least <n>

              @XL
              Examples:
                | n |
                | 2 |
        """
    )
    project.run("-m", "XSOAR").assert_outcomes(passed=2)
    project.run("-m", "XDR").assert_outcomes(passed=2)
    project.run("-m", "X509").assert_outcomes(passed=1, deselected=1)
    project.run("-m", "XL").assert_outcomes(passed=1, deselected=1)


def test_markers_the_project_declares_keep_their_own_description(
    pytester: pytest.Pytester,
) -> None:
    """A declared marker (with arguments or a colon in its text) is not declared a second time."""
    pytester.makeini(
        """
        [pytest]
        markers =
            slow: takes minutes: run it nightly
            critical(reason): blocks a release
            retry(times, when=flaky()): retried on a flaky backend
        """
    )
    config = pytester.parseconfig()
    declared = len(config.getini("markers"))
    register_tags(config, {"slow", "critical", "retry", "storage"})
    assert config.getini("markers")[declared:] == ["storage: tag from a feature file"]


def test_a_gherkin_syntax_error_names_the_file_and_the_parser_message(project: Project) -> None:
    """The collection error must say which file is broken and how, not only that it is."""
    project.plan("prod", buckets())
    path = project.feature("Scenario without a feature\n  Given nothing\n")
    result = project.run()
    result.stdout.fnmatch_lines(
        [f"{path}: Misplaced or incorrect 'Scenario' keyword.*", "Line number: 1"]
    )


def test_every_repeated_scenario_name_is_listed_apart(project: Project) -> None:
    """Several repeated names are listed one after the other, separated by a semicolon."""
    project.plan("prod", buckets())
    project.feature(
        "Feature: Storage\n"
        + "".join(f"  Scenario: {name}{STEPS}" for name in ("One", "Two", "One", "Two"))
    )
    result = project.run()
    result.stdout.fnmatch_lines(
        ["*keeps only the last one: 'One' at lines 2, 8; 'Two' at lines 5, 11"]
    )


def test_hooks_find_a_module_named_after_the_feature_file_and_its_path(
    project: Project,
) -> None:
    """`item.module` is what fixtures and hooks use to tell files apart and find files nearby."""
    project.plan("prod", buckets())
    storage = project.feature(f"Feature: Storage\n  Scenario: Kept{STEPS}", name="storage")
    network = project.feature(f"Feature: Network\n  Scenario: Kept{STEPS}", name="net-work")
    (project.root / "conftest.py").write_text(
        "def pytest_collection_finish(session):\n"
        "    for item in session.items:\n"
        "        print('MODULE', item.module.__name__, item.module.__file__)\n"
    )
    result = project.run("--collect-only", "-q", "-s")
    modules = sorted(line for line in result.stdout.lines if line.startswith("MODULE "))

    def slug(path: object) -> str:
        return re.sub(r"\W+", "_", str(path))

    assert modules == [
        f"MODULE plangate_features.{slug(network)} {network}",
        f"MODULE plangate_features.{slug(storage)} {storage}",
    ]


def test_scenarios_are_collected_where_imported_tests_are_not(project: Project) -> None:
    """With `collect_imported_tests = false` pytest keeps only a module's own functions."""
    (project.root / "pyproject.toml").write_text(
        "[tool.pytest.ini_options]\n"
        'addopts = "-p no:cacheprovider -p no:hypothesispytest -p no:plangate.pytest.builtin"\n'
        "collect_imported_tests = false\n\n"
        '[tool.plangate]\nplans = ["plans/*.json"]\n'
    )
    project.plan("prod", buckets())
    project.feature(f"Feature: Storage\n  Scenario: Kept{STEPS}")
    project.run("-v").assert_outcomes(passed=1)


def test_a_conformance_feature_runs_once_on_the_inventory_not_per_plan(
    project: Project,
) -> None:
    """`@conformance` judges the live inventory, so its tests are `[inventory]`, not `[prod]`."""
    project.plan("prod", buckets())
    project.plan("dev", buckets())
    project.feature(f"@conformance\nFeature: Drift\n  Scenario: Nothing drifted{STEPS}")
    result = project.run("--collect-only", "-q")
    assert _collected(result) == ["features/controls.feature::test_nothing_drifted[inventory]"]
