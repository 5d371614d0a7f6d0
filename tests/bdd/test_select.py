"""Selecting resources: type, module, address glob, planned action, filters, empty selections."""

from __future__ import annotations

from tests.bdd.conftest import Project, buckets
from tests.fixtures.builder import UNKNOWN, PlanBuilder

pytest_plugins = ["pytester"]


def every_action() -> PlanBuilder:
    bucket = {"name": "b", "location": "EU"}
    return (
        PlanBuilder()
        .resource("google_storage_bucket.created", action="create", after=bucket)
        .resource(
            "google_storage_bucket.updated",
            action="update",
            before=bucket,
            after={**bucket, "location": "US"},
        )
        .resource("google_storage_bucket.replaced", action="replace", before=bucket, after=bucket)
        .resource(
            "google_storage_bucket.cbd", action="create-before-destroy", before=bucket, after=bucket
        )
        .resource("google_storage_bucket.deleted", action="delete", before=bucket)
        .resource("google_storage_bucket.forgotten", action="forget", before=bucket)
        .resource("google_storage_bucket.imported", action="no-op", after=bucket, importing="b")
        .resource(
            "google_storage_bucket.moved",
            action="no-op",
            after=bucket,
            previous_address="google_storage_bucket.before_move",
        )
        .resource("google_storage_bucket.same", action="no-op", after=bucket)
        .resource("data.google_project.current", action="read", after={"project_id": "p"})
    )


def test_every_planned_action_is_selectable(project: Project) -> None:
    project.plan("prod", every_action())
    project.feature(
        """
        Feature: Actions
          Scenario Outline: Resources that will be <action>
            Given resources that will be <action>
            Then there are exactly <count>

            Examples:
              | action                | count |
              | created               | 1     |
              | updated               | 1     |
              | replaced              | 2     |
              | deleted               | 1     |
              | destroyed             | 3     |
              | forgotten             | 1     |
              | imported              | 1     |
              | moved                 | 1     |
              | changed               | 8     |
              | unchanged             | 1     |
              | created or updated    | 2     |
        """
    )
    project.run().assert_outcomes(passed=11)


def test_pure_deletes_are_selected_from_an_indented_plan(project: Project) -> None:
    """terraform-compliance reads planned_values and cannot see a pure delete; plangate can."""
    project.plan("prod", buckets(), indent=2)
    project.feature(
        """
        Feature: Deletes
          Scenario: No bucket is deleted
            Given resources of type "google_storage_bucket"
            And they will be deleted
            Then there are no resources

          Scenario: Same in one step
            Given resources of type "google_storage_bucket" that will be deleted
            Then there are no resources
        """
    )
    result = project.run()
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(
        [
            "features/controls.feature:5: Then there are no resources",
            "  plan: plans/prod.json",
            '  expected no resources, found 1 (selection: resources of type "google_storage_bucket" that will be deleted):',
            "    google_storage_bucket.old (delete)",
            "features/controls.feature:9: Then there are no resources",
        ]
    )


def test_data_sources_and_managed_resources_are_apart(project: Project) -> None:
    project.plan("prod", every_action())
    project.feature(
        """
        Feature: Kinds
          Scenario: Data sources
            Given data sources of type "google_project"
            Then there is exactly one

          Scenario: Managed only
            Given all resources
            Then there are exactly 9

          Scenario: Several types
            Given resources of type "google_storage_bucket" or "google_project"
            Then there are exactly 9
        """
    )
    project.run().assert_outcomes(passed=3)


def modules() -> PlanBuilder:
    after = {"name": "x"}
    return (
        PlanBuilder()
        .resource("google_storage_bucket.root", action="create", after=after)
        .resource("module.storage.google_storage_bucket.a", action="create", after=after)
        .resource('module.storage["eu"].google_storage_bucket.b', action="create", after=after)
        .resource(
            "module.storage.module.inner.google_storage_bucket.c", action="create", after=after
        )
        .resource("module.storage_extra.google_storage_bucket.d", action="create", after=after)
        .resource("module.iam.google_project_iam_member.m[0]", action="create", after=after)
        .resource('module.iam.google_project_iam_member.n["x"]', action="create", after=after)
    )


def test_modules_and_address_globs(project: Project) -> None:
    project.plan("prod", modules())
    project.feature(
        """
        Feature: Where
          Scenario Outline: Selection <selection>
            Given resources <selection>
            Then there are exactly <count>

            Examples:
              | selection                                        | count |
              | in module "storage"                              | 3     |
              | in module "module.storage"                       | 3     |
              | in module "module.storage.module.inner"          | 1     |
              | in module "storage_extra" or "iam"               | 3     |
              | in the root module                               | 1     |
              | matching address "module.iam.*"                  | 2     |
              | matching address "*.m[0]"                        | 1     |
              | matching address "*.m[?]"                        | 1     |
              | matching address "*[*]*"                         | 3     |
              | matching address "google_storage_bucket.roo?"    | 1     |
              | in module "storage" matching address "*.b"       | 1     |
        """
    )
    project.run().assert_outcomes(passed=11)


def test_one_module_instance(project: Project) -> None:
    project.plan("prod", modules())
    project.feature(
        """
        Feature: Where
          Scenario: One instance
            Given resources in module 'module.storage["eu"]'
            Then there is exactly one
        """
    )
    project.run().assert_outcomes(passed=1)


def test_filters_narrow_the_selection(project: Project) -> None:
    project.plan("prod", buckets())
    project.feature(
        """
        Feature: Filters
          Scenario: By value
            Given resources of type "google_storage_bucket"
            When their "storage_class" is "STANDARD"
            Then there is exactly one

          Scenario: By presence
            Given resources of type "google_storage_bucket"
            When they have "labels.team"
            Then there is exactly one

          Scenario: By absence
            Given resources of type "google_storage_bucket"
            When they do not have "labels"
            Then there is exactly one

          Scenario: By action, negated
            Given resources of type "google_storage_bucket"
            When they will not be deleted
            Then there are exactly 2
        """
    )
    project.run().assert_outcomes(passed=4)


def test_a_filter_on_an_unknown_value_fails_unless_accepted(project: Project) -> None:
    project.plan("prod", buckets())
    project.feature(
        """
        Feature: Filters
          Scenario: Undecidable
            Given resources of type "google_storage_bucket" that will not be deleted
            When their "url" is "gs://acme-logs"
            Then there are at most 1

          Scenario: Accepted
            Given resources of type "google_storage_bucket" that will not be deleted
            When their "url" matches "gs://.*" or known after apply
            Then there is exactly one
        """
    )
    result = project.run()
    result.assert_outcomes(failed=1, passed=1)
    result.stdout.fnmatch_lines(
        [
            'features/controls.feature:4: When their "url" is "gs://acme-logs"',
            "  cannot tell for 1 resource(s) whether they belong to the selection:",
            '    google_storage_bucket.scratch: url: expected "gs://acme-logs", actual (known after apply)*',
        ]
    )


def test_an_empty_selection_fails_an_assertion(project: Project) -> None:
    project.plan("prod", buckets())
    project.feature(
        """
        Feature: Empty
          Scenario: Nothing selected
            Given resources of type "google_compute_instance"
            Then their "shielded_instance_config[0].enable_secure_boot" is true
        """
    )
    result = project.run()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "features/controls.feature:4: Then their*",
            '  no resources selected (resources of type "google_compute_instance"), so there is nothing to check;*',
        ]
    )


def test_if_any_turns_an_empty_selection_into_a_visible_skip(project: Project) -> None:
    project.plan("prod", buckets())
    project.feature(
        """
        Feature: Empty
          Scenario: Nothing selected, and that is fine
            Given resources of type "google_compute_instance" (if any)
            Then their "name" is "x"

          Scenario: Emptied by a filter
            Given resources of type "google_storage_bucket"
            When their "location" is "ASIA" (if any)
            Then their "name" is "x"

          Scenario: Not empty, so it is judged
            Given resources of type "google_storage_bucket" that will be replaced (if any)
            Then their "force_destroy" is false
        """
    )
    result = project.run("-rs")
    result.assert_outcomes(skipped=2, failed=1)
    result.stdout.fnmatch_lines(
        [
            "SKIPPED [[]1[]] features/controls.feature:2: line 4, "
            'Then their "name" is "x": no resources selected (resources of type '
            '"google_compute_instance"); the scenario allows that with (if any)',
        ]
    )


def test_an_assertion_without_a_selection_says_how_to_start(project: Project) -> None:
    project.plan("prod", buckets())
    project.feature(
        """
        Feature: No selection
          Scenario: Forgot the Given
            Then their "name" is "x"
        """
    )
    result = project.run()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["  no resources are selected: start the scenario with a selection*"]
    )


def test_an_unreadable_selection_is_explained(project: Project) -> None:
    project.plan("prod", buckets())
    project.feature(
        """
        Feature: Typos
          Scenario: Unknown clause
            Given resources of kind "google_storage_bucket"
            Then there are exactly 3

          Scenario: Unknown action
            Given resources that will be obliterated
            Then there are exactly 3
        """
    )
    result = project.run()
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(
        [
            "*cannot read 'of kind \"google_storage_bucket\"' in this selection; write clauses like*",
            "*unknown action 'obliterated'; use created, updated, replaced, deleted, destroyed*",
        ]
    )


def test_unknown_attributes_do_not_hide_selected_resources(project: Project) -> None:
    """A resource whose whole `labels` are unknown is still selected by type and reported."""
    builder = PlanBuilder().resource(
        "google_storage_bucket.b", action="create", after={"name": "b", "labels": UNKNOWN}
    )
    project.plan("prod", builder)
    project.feature(
        """
        Feature: Unknown
          Scenario: Labels
            Given resources of type "google_storage_bucket"
            Then their "labels.environment" is "prod"
        """
    )
    result = project.run()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            '    google_storage_bucket.b: labels.environment: expected "prod", actual (known after apply)*'
        ]
    )
