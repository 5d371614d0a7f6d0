"""Scenario outlines over environments: run on the matching plan, skip visibly on the others."""

from __future__ import annotations

from tests.bdd.conftest import Project
from tests.fixtures.builder import PlanBuilder

pytest_plugins = ["pytester"]


def plan(environment: str | None, versioned: bool) -> PlanBuilder:
    builder = PlanBuilder()
    if environment is not None:
        builder.variable("environment", environment)
    return builder.resource(
        "google_storage_bucket.data",
        action="create",
        after={"name": "data", "versioning": [{"enabled": versioned}]},
    )


OUTLINE = """
    Feature: Environments
      Scenario Outline: Versioning in <environment>
        Given the <environment> plan
        And resources of type "google_storage_bucket"
        Then their "versioning[0].enabled" is <enabled>

        Examples:
          | environment | enabled |
          | prod        | true    |
          | dev         | false   |
"""


def test_each_row_runs_on_its_plan_and_skips_on_the_others(project: Project) -> None:
    project.plan("prod", plan("prod", versioned=True))
    project.plan("dev", plan("dev", versioned=False))
    project.feature(OUTLINE)
    result = project.run("-v", "-rs")
    result.assert_outcomes(passed=2, skipped=2)
    result.stdout.fnmatch_lines_random(
        [
            "*test_versioning_in_environment[[]dev-prod-true[]] SKIPPED*",
            "*test_versioning_in_environment[[]prod-prod-true[]] PASSED*",
            "*test_versioning_in_environment[[]dev-dev-false[]] PASSED*",
            "*test_versioning_in_environment[[]prod-dev-false[]] SKIPPED*",
            "SKIPPED*features/controls.feature:2: line 3, Given the prod plan: scenario is for the prod plan; "
            "this is the dev plan (plans/dev.json)",
            "SKIPPED*features/controls.feature:2: line 3, Given the dev plan: scenario is for the dev plan; "
            "this is the prod plan (plans/prod.json)",
        ]
    )


def test_the_matching_plan_is_judged(project: Project) -> None:
    project.plan("prod", plan("prod", versioned=False))
    project.plan("dev", plan("dev", versioned=False))
    project.feature(OUTLINE)
    result = project.run()
    result.assert_outcomes(passed=1, skipped=2, failed=1)
    result.stdout.fnmatch_lines(
        [
            'features/controls.feature:5: Then their "versioning[[]0[]].enabled" is true',
            "  plan: plans/prod.json",
        ]
    )


def test_an_environment_no_plan_has_skips_with_a_warning(project: Project) -> None:
    project.plan("dev", plan("dev", versioned=False))
    project.plan("scratch", plan(None, versioned=False))
    project.feature(
        """
        Feature: Environments
          Scenario: Prod only
            Given the "prod" plan
            Then the plan has no deletes
        """
    )
    result = project.run("-rs")
    result.assert_outcomes(skipped=2, warnings=2)
    result.stdout.fnmatch_lines_random(
        [
            '*PytestWarning: features/controls.feature:3: Given the "prod" plan: not checked on any '
            "plan: no plan of this session is prod (plans/dev.json (dev), plans/scratch.json "
            "(no environment variable))",
            'SKIPPED*line 3, Given the "prod" plan: scenario is for the prod plan; this is the '
            "unlabelled plan (plans/scratch.json); no plan of this session is prod*",
        ]
    )
    strict = project.run("-W", "error::pytest.PytestWarning")
    strict.assert_outcomes(failed=2)


def test_plan_env_judges_every_plan_as_that_environment(project: Project) -> None:
    project.plan("scratch", plan(None, versioned=True))
    project.feature(
        """
        Feature: Environments
          Scenario: Prod only
            Given the prod plan
            And resources of type "google_storage_bucket"
            Then their "versioning[0].enabled" is true
        """
    )
    project.run().assert_outcomes(skipped=1, warnings=1)
    project.run("--plan-env", "prod").assert_outcomes(passed=1)
