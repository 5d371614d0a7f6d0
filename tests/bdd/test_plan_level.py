"""Plan-level steps: no changes, no deletes, no drift, complete and clean, outputs."""

from __future__ import annotations

from tests.bdd.conftest import Project, buckets
from tests.fixtures.builder import UNKNOWN, PlanBuilder

pytest_plugins = ["pytester"]

PLAN_STEPS = """
    Feature: Plan
      Scenario: Quiet
        Then the plan has no changes

      Scenario: Nothing destroyed
        Then the plan has no deletes

      Scenario: No drift
        Then the plan has no drift

      Scenario: Clean
        Then the plan is complete and not errored
"""


def quiet() -> PlanBuilder:
    return (
        PlanBuilder()
        .resource("google_storage_bucket.logs", action="no-op", after={"name": "logs"})
        .output("bucket", action="no-op", after="logs")
    )


def test_a_quiet_plan_passes_every_plan_step(project: Project) -> None:
    project.plan("prod", quiet())
    project.feature(PLAN_STEPS)
    project.run().assert_outcomes(passed=4)


def test_plan_steps_list_every_offender(project: Project) -> None:
    builder = (
        buckets()
        .resource(
            "google_storage_bucket.tagged",
            action="update",
            before={"name": "t", "labels": {"env": "dev"}},
            after={"name": "t", "labels": {"env": "prod"}},
        )
        .output("bucket_url", action="update", before="gs://a", after=UNKNOWN)
        .drift(
            "google_storage_bucket.logs",
            action="update",
            before={"name": "acme-logs", "storage_class": "STANDARD"},
            after={"name": "acme-logs", "storage_class": "NEARLINE"},
        )
    )
    project.plan("prod", builder)
    project.feature(PLAN_STEPS)
    result = project.run()
    result.assert_outcomes(failed=3, passed=1)
    result.stdout.fnmatch_lines(
        [
            "features/controls.feature:3: Then the plan has no changes",
            "  expected no changes, found 4:",
            "    google_storage_bucket.scratch: replace (*)",
            "    google_storage_bucket.old: delete",
            "    google_storage_bucket.tagged: update (labels.env)",
            "    output.bucket_url: update",
            "features/controls.feature:6: Then the plan has no deletes",
            "  expected nothing deleted or replaced, found 2:",
            "    google_storage_bucket.scratch: replace*",
            "    google_storage_bucket.old: delete",
            "features/controls.feature:9: Then the plan has no drift",
            "  expected no drift, found 1 resource(s) changed outside Terraform:",
            "    google_storage_bucket.logs: update (storage_class)",
        ]
    )


def test_an_errored_or_incomplete_plan_fails(project: Project) -> None:
    project.plan("prod", PlanBuilder(errored=True, complete=False))
    project.feature(
        """
        Feature: Plan
          Scenario: Clean
            Then the plan is complete and not errored
        """
    )
    result = project.run()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "  the plan is not complete and clean:",
            "    errored: true (Terraform hit errors while planning)",
            "    complete: false (another plan and apply are needed)",
        ]
    )


def test_outputs(project: Project) -> None:
    builder = (
        PlanBuilder()
        .output("region", action="no-op", after="europe-west1")
        .output("bucket_url", action="update", before="gs://a", after=UNKNOWN)
    )
    project.plan("prod", builder)
    project.feature(
        """
        Feature: Outputs
          Scenario: Region is stable
            Then output "region" does not change
            And output "region" is "europe-west1"

          Scenario: URL is stable
            Then output "bucket_url" does not change

          Scenario: URL value
            Then output "bucket_url" is "gs://a"

          Scenario: URL value, unknown accepted
            Then output "bucket_url" is "gs://a" or known after apply

          Scenario: Missing output
            Then output "nope" does not change
        """
    )
    result = project.run()
    result.assert_outcomes(passed=2, failed=3)
    result.stdout.fnmatch_lines(
        [
            '  output.bucket_url: expected no change, actual update ("gs://a" -> (known after apply))',
            '    output.bucket_url: expected "gs://a", actual (known after apply) (cannot be decided before apply*',
            "  the plan has no output 'nope' (outputs: bucket_url, region)",
        ]
    )
