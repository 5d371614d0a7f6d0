"""Assertions on every selected resource: each form passes and fails with the full story."""

from __future__ import annotations

import json

from tests.bdd.conftest import Project, buckets
from tests.fixtures.builder import UNKNOWN, PlanBuilder, Secret

pytest_plugins = ["pytester"]

GOOD = {
    "name": "acme-prod-a",
    "location": "EU",
    "force_destroy": False,
    "storage_class": "STANDARD",
    "versioning": [{"enabled": True}],
    "labels": {"environment": "prod", "team": "ops"},
    "retention_policy": [],
    "lifecycle_rule": [
        {"action": [{"type": "Delete", "storage_class": ""}], "condition": [{"age": 30}]},
        {
            "action": [{"type": "SetStorageClass", "storage_class": "NEARLINE"}],
            "condition": [{"age": 90}],
        },
    ],
    "soft_delete_policy": [{"retention_duration_seconds": 604800}],
    "uniform_bucket_level_access": True,
}
BAD = {
    "name": "acme-b",
    "location": "US",
    "force_destroy": True,
    "storage_class": "COLDLINE",
    "versioning": [{"enabled": False}],
    "labels": {"environment": "dev"},
    "retention_policy": [{"retention_period": 86400, "is_locked": False}],
    "lifecycle_rule": [
        {"action": [{"type": "Delete", "storage_class": ""}], "condition": [{"age": 7}]}
    ],
    "soft_delete_policy": [{"retention_duration_seconds": 0}],
    "uniform_bucket_level_access": False,
}


def two_buckets() -> PlanBuilder:
    return (
        PlanBuilder()
        .resource("google_storage_bucket.good", action="create", after=GOOD)
        .resource("google_storage_bucket.bad", action="create", after=BAD)
    )


def test_every_offending_resource_is_named_with_attribute_expected_actual_and_line(
    project: Project,
) -> None:
    project.plan(
        "prod",
        two_buckets().resource(
            "google_storage_bucket.worse", action="create", after={**BAD, "location": "ASIA"}
        ),
    )
    project.feature(
        """
        Feature: Location
          Scenario: Buckets stay in the EU
            Given resources of type "google_storage_bucket"
            Then their "location" is "EU"
        """
    )
    result = project.run()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            'features/controls.feature:4: Then their "location" is "EU"',
            "  plan: plans/prod.json",
            '  2 of 3 selected resource(s) fail (selection: resources of type "google_storage_bucket" (3 selected)):',
            '    google_storage_bucket.bad: location: expected "EU", actual "US"',
            '    google_storage_bucket.worse: location: expected "EU", actual "ASIA"',
        ]
    )
    assert "google_storage_bucket.good:" not in result.stdout.str()


PASSING_ROWS = """
      | path                                                 | predicate                                          |
      | name                                                 | matches "acme-[a-z-]+"                             |
      | name                                                 | does not match "tmp-.*"                            |
      | location                                             | is one of "EU", "US"                               |
      | location                                             | is one of ["EU", "US"]                             |
      | storage_class                                        | is not "ARCHIVE"                                   |
      | storage_class                                        | is not one of "ARCHIVE" or "MULTI_REGIONAL"        |
      | versioning[0].enabled                                | is present                                         |
      | versioning.0.enabled                                 | is present                                         |
      | website                                              | is absent                                          |
      | soft_delete_policy[0].retention_duration_seconds     | is at least 0                                      |
      | soft_delete_policy.retention_duration_seconds        | is less than 700000                                |
      | lifecycle_rule.action.type                           | is one of "Delete", "SetStorageClass"              |
      | lifecycle_rule                                       | contains {"action": [{"type": "Delete"}]}          |
      | lifecycle_rule.condition.age                         | is greater than 1                                  |
      | labels                                               | contains "environment"                             |
      | labels.environment                                   | is present                                         |
      | name                                                 | contains "acme"                                    |
      | force_destroy                                        | is one of true, false                              |
"""

FAILING_ROWS = """
      | path                                                 | predicate                                          |
      | force_destroy                                        | is false                                           |
      | uniform_bucket_level_access                          | is true                                            |
      | name                                                 | matches "acme-prod-.*"                             |
      | location                                             | is not "US"                                        |
      | versioning[0].enabled                                | is true                                            |
      | versioning.enabled                                   | is true                                            |
      | retention_policy                                     | is absent                                          |
      | labels.team                                          | is present                                         |
      | labels                                               | contains {"environment": "prod"}                   |
      | labels.environment                                   | is one of "prod", "staging"                        |
      | soft_delete_policy.retention_duration_seconds        | is greater than 0                                  |
      | lifecycle_rule.condition.age                         | is at least 30                                     |
      | lifecycle_rule                                       | contains {"action": [{"type": "SetStorageClass"}]} |
      | storage_class                                        | is "STANDARD"                                      |
      | name                                                 | does not contain "-b"                              |
      | soft_delete_policy[0].retention_duration_seconds     | is at least 86400                                  |
"""


def outline(rows: str) -> str:
    return f"""
        Feature: Vocabulary
          Scenario Outline: <path> <predicate>
            Given resources of type "google_storage_bucket"
            Then their "<path>" <predicate>

            Examples:
        {rows}
    """


def test_every_assertion_form_passes_on_compliant_values(project: Project) -> None:
    project.plan("prod", two_buckets())
    project.feature(outline(PASSING_ROWS))
    result = project.run()
    result.assert_outcomes(passed=PASSING_ROWS.count("\n") - 2)


def test_every_assertion_form_fails_on_the_bad_bucket_only(project: Project) -> None:
    project.plan("prod", two_buckets())
    project.feature(outline(FAILING_ROWS))
    result = project.run()
    result.assert_outcomes(failed=FAILING_ROWS.count("\n") - 2)
    output = result.stdout.str()
    # Only the failure sections: under CI=true pytest repeats whole messages in its short summary.
    failure_sections = output.partition("short test summary info")[0]
    assert (
        failure_sections.count("  1 of 2 selected resource(s) fail") == FAILING_ROWS.count("\n") - 2
    )
    assert "google_storage_bucket.good:" not in output
    result.stdout.fnmatch_lines_random(
        [
            "    google_storage_bucket.bad: force_destroy: expected false, actual true",
            '    google_storage_bucket.bad: name: expected a string matching "acme-prod-.*", actual "acme-b"',
            "    google_storage_bucket.bad: versioning[0].enabled: expected true, actual false",
            "    google_storage_bucket.bad: retention_policy: expected absent, null or empty, actual "
            "[{is_locked = false, retention_period = 86400}]",
            "    google_storage_bucket.bad: labels.team: expected a value (not absent, null or empty), actual (absent)",
            "    google_storage_bucket.bad: soft_delete_policy[0].retention_duration_seconds: "
            "expected a number greater than 0, actual 0",
            "    google_storage_bucket.bad: lifecycle_rule[0].condition[0].age: expected a number at least 30, actual 7",
            '    google_storage_bucket.bad: labels: expected containing {environment = "prod"}, actual {environment = "dev"}',
            '    google_storage_bucket.bad: location: expected not "US", actual "US"',
        ]
    )


def test_unknown_is_its_own_outcome(project: Project) -> None:
    project.plan("prod", buckets())
    project.feature(
        """
        Feature: Unknown
          Scenario: Strict
            Given resources of type "google_storage_bucket" that will be replaced
            Then their "url" matches "gs://.*"

          Scenario: Accepted
            Given resources of type "google_storage_bucket" that will be replaced
            Then their "url" matches "gs://.*" or known after apply

          Scenario: Negation is no escape
            Given resources of type "google_storage_bucket" that will be replaced
            Then their "url" is not "gs://forbidden"
        """
    )
    result = project.run()
    result.assert_outcomes(failed=2, passed=1)
    result.stdout.fnmatch_lines(
        [
            '    google_storage_bucket.scratch: url: expected a string matching "gs://.*", actual '
            '(known after apply) (cannot be decided before apply; end the step with "or known after apply" to accept it)',
            '    google_storage_bucket.scratch: url: expected not "gs://forbidden", actual (known after apply)*',
        ]
    )


def test_sensitive_values_are_never_printed(project: Project) -> None:
    builder = PlanBuilder().resource(
        "google_secret_manager_secret_version.db",
        action="create",
        after={"secret": "db", "secret_data": Secret("hunter2-plaintext")},
    )
    project.plan("prod", builder)
    project.feature(
        """
        Feature: Secrets
          Scenario: Compared
            Given resources of type "google_secret_manager_secret_version"
            Then their "secret_data" matches "[a-z]+"

          Scenario: Present
            Given resources of type "google_secret_manager_secret_version"
            Then their "secret_data" is present

          Scenario: No secret versions in plans
            Given resources of type "google_secret_manager_secret_version"
            Then there are no resources
        """
    )
    report = project.root / "cucumber.json"
    result = project.run("-vv", f"--cucumberjson={report}", "--junitxml=junit.xml")
    result.assert_outcomes(failed=2, passed=1)
    result.stdout.fnmatch_lines(
        [
            '    google_secret_manager_secret_version.db: secret_data: expected a string matching "[[]a-z[]]+", '
            "actual (sensitive) (the value is sensitive, so plangate never reads it and cannot compare it)",
            "    google_secret_manager_secret_version.db (create)",
        ]
    )
    for text in (result.stdout.str(), report.read_text(), (project.root / "junit.xml").read_text()):
        assert "hunter2" not in text
    assert json.loads(report.read_text())


def test_attribute_tables(project: Project) -> None:
    project.plan("prod", two_buckets())
    project.feature(
        """
        Feature: Tables
          Scenario: Baseline
            Given resources of type "google_storage_bucket"
            Then their attributes are:
              | attribute                   | value     |
              | force_destroy               | false     |
              | uniform_bucket_level_access | true      |
              | versioning[0].enabled       | true      |
              | location                    | "EU"      |

          Scenario: Without header
            Given resources of type "google_storage_bucket"
            When their "name" is "acme-prod-a"
            Then its attributes are:
              | storage_class | "STANDARD" |
        """
    )
    result = project.run()
    result.assert_outcomes(failed=1, passed=1)
    result.stdout.fnmatch_lines(
        [
            "features/controls.feature:4: Then their attributes are:",
            "  1 of 2 selected resource(s) fail*",
            "    google_storage_bucket.bad: force_destroy: expected false, actual true",
            "    google_storage_bucket.bad: uniform_bucket_level_access: expected true, actual false",
            "    google_storage_bucket.bad: versioning[0].enabled: expected true, actual false",
            '    google_storage_bucket.bad: location: expected "EU", actual "US"',
        ]
    )


def budgets() -> PlanBuilder:
    def budget(*thresholds: float) -> dict[str, object]:
        return {
            "display_name": "b",
            "threshold_rules": [
                {"threshold_percent": t, "spend_basis": "CURRENT_SPEND"} for t in thresholds
            ],
        }

    return (
        PlanBuilder()
        .resource("google_billing_budget.full", action="create", after=budget(0.25, 0.5, 0.9, 1.0))
        .resource("google_billing_budget.thin", action="create", after=budget(0.5, 1.0, 1.2))
        .resource(
            "google_billing_budget.later",
            action="create",
            after={"display_name": "c", "threshold_rules": UNKNOWN},
        )
    )


def test_budget_thresholds(project: Project) -> None:
    project.plan("prod", budgets())
    project.feature(
        """
        Feature: Budgets
          Scenario: Alerts
            Then the budget alerts at these thresholds:
              | 25% | 50% | 90% | 100% |

          Scenario: Fractions, one budget
            Given resources of type "google_billing_budget" matching address "*.full"
            Then the budget alerts at exactly these thresholds:
              | threshold |
              | 0.25      |
              | 0.5       |
              | 0.9       |
              | 1         |

          Scenario: Exactly
            Given resources of type "google_billing_budget" matching address "*.thin"
            Then the budget alerts at exactly these thresholds:
              | 50% | 100% |
        """
    )
    result = project.run()
    result.assert_outcomes(failed=2, passed=1)
    result.stdout.fnmatch_lines(
        [
            "features/controls.feature:3: Then the budget alerts at these thresholds:",
            "  2 of 3 budget(s) do not alert at the thresholds*",
            "    google_billing_budget.thin: threshold_rules.threshold_percent: expected 25%, 50%, 90%, 100%, "
            "actual 50%, 100%, 120% (missing 25%, 90%)",
            "    google_billing_budget.later: threshold_rules.threshold_percent: expected 25%, 50%, 90%, 100%, "
            "actual (known after apply)*",
            "    google_billing_budget.thin: threshold_rules.threshold_percent: expected exactly 50%, 100%, "
            "actual 50%, 100%, 120% (unexpected 120%)",
        ]
    )


def changing() -> PlanBuilder:
    return (
        PlanBuilder()
        .resource(
            "google_storage_bucket.moving",
            action="update",
            before={"name": "m", "location": "EU", "labels": {"env": "prod"}},
            after={"name": "m", "location": "US", "labels": {"env": "prod"}},
        )
        .resource(
            "google_storage_bucket.same", action="no-op", after={"name": "s", "location": "EU"}
        )
        .resource(
            "google_storage_bucket.fresh", action="create", after={"name": "f", "location": "EU"}
        )
    )


def test_changes_and_does_not_change(project: Project) -> None:
    project.plan("prod", changing())
    project.feature(
        """
        Feature: Changes
          Scenario: Location is stable
            Given resources of type "google_storage_bucket" that will not be created
            Then their "location" does not change

          Scenario: Labels are stable
            Given resources of type "google_storage_bucket" that will not be created
            Then their "labels" does not change

          Scenario: Filter on change (a created attribute changes too)
            Given resources of type "google_storage_bucket"
            When their "location" changes
            Then there are exactly 2
        """
    )
    result = project.run()
    result.assert_outcomes(failed=1, passed=2)
    result.stdout.fnmatch_lines(
        ['    google_storage_bucket.moving: location: expected no change, actual "EU" -> "US"']
    )


def test_they_will_not_be_destroyed(project: Project) -> None:
    project.plan("prod", buckets())
    project.feature(
        """
        Feature: Keep data
          Scenario: Buckets survive
            Given resources of type "google_storage_bucket"
            Then they will not be destroyed
        """
    )
    result = project.run()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "  2 of 3 selected resource(s) will be destroyed*",
            "    google_storage_bucket.scratch: expected not destroyed, actual replace",
            "    google_storage_bucket.old: expected not destroyed, actual delete",
        ]
    )


def test_counts(project: Project) -> None:
    project.plan("prod", buckets())
    project.feature(
        """
        Feature: Counts
          Scenario Outline: There <count>
            Given resources of type "google_storage_bucket"
            Then there <count>

            Examples:
              | count                  |
              | is at least one        |
              | are exactly 3          |
              | are exactly three      |
              | are at least 2         |
              | are at most 3          |
              | are more than 2        |
              | are fewer than 4       |
              | are 3 resources        |

          Scenario: Too few
            Given resources of type "google_storage_bucket"
            Then there are at least 4
        """
    )
    result = project.run()
    result.assert_outcomes(passed=8, failed=1)
    result.stdout.fnmatch_lines(
        [
            "features/controls.feature:19: Then there are at least 4",
            '  expected at least 4, found 3 (selection: resources of type "google_storage_bucket"):',
            "    google_storage_bucket.logs (no-op)",
            "    google_storage_bucket.scratch (replace)",
            "    google_storage_bucket.old (delete)",
        ]
    )


def test_unreadable_assertions_are_explained(project: Project) -> None:
    project.plan("prod", buckets())
    project.feature(
        """
        Feature: Typos
          Scenario: Value
            Given resources of type "google_storage_bucket"
            Then their "location" is kinda "EU"

          Scenario: Predicate
            Given resources of type "google_storage_bucket"
            Then their "location" resembles "EU"

          Scenario: Count
            Given resources of type "google_storage_bucket"
            Then there are loads
        """
    )
    result = project.run()
    result.assert_outcomes(failed=3)
    result.stdout.fnmatch_lines_random(
        [
            "  cannot read this step: cannot read the value 'kinda \"EU\"': write strings in double quotes*",
            "  cannot read this step: cannot read 'resembles \"EU\"'; write one of: is VALUE*",
            "  cannot read the count 'loads'; write: there is at least one*",
        ]
    )


def test_deleted_resources_are_judged_on_their_values_before_the_delete(project: Project) -> None:
    project.plan("prod", buckets())
    project.feature(
        """
        Feature: Deletes
          Scenario: Old buckets
            Given resources of type "google_storage_bucket" that will be deleted
            Then their "force_destroy" is true
        """
    )
    result = project.run()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "    google_storage_bucket.old (delete; values before it): force_destroy: expected true, actual false"
        ]
    )


def test_they_have_and_its_forms(project: Project) -> None:
    project.plan("prod", two_buckets())
    project.feature(
        """
        Feature: Presence
          Scenario: Labelled
            Given resources of type "google_storage_bucket"
            Then they have "labels.environment"
            And they do not have "website"
            And they have "labels.team"

          Scenario: Singular
            Given resources matching address "*.good"
            Then it has "labels.team"
            And its "location" is "EU"
        """
    )
    result = project.run()
    result.assert_outcomes(failed=1, passed=1)
    result.stdout.fnmatch_lines(
        [
            'features/controls.feature:6: And they have "labels.team"',
            "    google_storage_bucket.bad: labels.team: expected a value (not absent, null or empty), actual (absent)",
        ]
    )
