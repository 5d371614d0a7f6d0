"""Steps that relate resources: provider and attribute selection, `any of their`, membership
among another selection's values, configuration references, root variables and provider
version constraints."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.bdd.conftest import Project
from tests.fixtures.builder import UNKNOWN, PlanBuilder, Secret, provider_source

pytest_plugins = ["pytester"]

UNKNOWN_HINT = (
    '(cannot be decided before apply; end the step with "or known after apply" to accept it)'
)
HIDDEN_HINT = "(the value is sensitive, so plangate never reads it and cannot compare it)"


def literal(line: str) -> str:
    """An output line for `fnmatch_lines`, matched exactly (brackets, `*` and `?` escaped) but
    for a final `*`, which stands for the rest of the line."""
    rest = line.endswith("*")
    escaped = re.sub(r"([][*?])", r"[\1]", line[:-1] if rest else line)
    return escaped + ("*" if rest else "")


def expect(result: pytest.RunResult, *lines: str) -> None:
    """These lines appear in the output, in this order, each exactly as written."""
    result.stdout.fnmatch_lines([literal(line) for line in lines])


def write_raw(project: Project, name: str, document: dict[str, Any]) -> None:
    """A plan document the builder cannot shape by itself, edited from `build()`."""
    (project.root / "plans" / f"{name}.json").write_text(json.dumps(document))


# ------------------------------------------------------------------------ selection clauses


def providers_and_attributes() -> PlanBuilder:
    return (
        PlanBuilder()
        .resource(
            "google_storage_bucket.plain",
            action="create",
            after={"name": "a", "labels": {"env": "prod"}},
        )
        .resource(
            "google_compute_instance.beta",
            action="create",
            provider="google-beta",
            after={"name": "vm", "labels": None},
        )
        .resource(
            "google_compute_disk.computed",
            action="create",
            provider="google-beta",
            after={"name": "d", "labels": UNKNOWN},
        )
        .resource(
            "google_pubsub_topic.gone",
            action="delete",
            before={"name": "t", "labels": {"env": "old"}},
        )
        .resource(
            "google_project_iam_member.binding",
            action="create",
            after={"role": "roles/viewer", "member": "user:a@example.com"},
        )
        .resource("random_id.suffix", action="create", provider="random", after={"hex": "ab"})
    )


def test_from_provider_matches_the_name_its_source_or_the_full_address(project: Project) -> None:
    project.plan("prod", providers_and_attributes())
    full_beta = provider_source("google-beta")
    project.feature(
        f"""
        Feature: Providers
          Scenario Outline: Resources from provider <provider>
            Given resources from provider <provider>
            Then there are exactly <count>

            Examples:
              | provider                          | count |
              | "google-beta"                     | 2     |
              | "hashicorp/google-beta"           | 2     |
              | "{full_beta}"                     | 2     |
              | "google"                          | 3     |
              | "hashicorp/google"                | 3     |
              | "google-beta" or "random"         | 3     |
              | "beta"                            | 0     |
              | "goog"                            | 0     |

          Scenario: The plural form and a type clause together
            Given resources from providers "google-beta", "aws" of type "google_compute_disk"
            Then there is exactly one
        """
    )
    project.run().assert_outcomes(passed=9)


def test_from_provider_google_does_not_select_google_beta(project: Project) -> None:
    project.plan("prod", providers_and_attributes())
    project.feature(
        """
        Feature: Providers
          Scenario: Google only
            Given resources from provider "google"
            Then there are no resources

          Scenario: Beta only
            Given resources from provider "google-beta"
            Then there are no resources
        """
    )
    result = project.run()
    result.assert_outcomes(failed=2)
    expect(
        result,
        "features/controls.feature:4: Then there are no resources",
        '  expected no resources, found 3 (selection: resources from provider "google"):',
        "    google_storage_bucket.plain (create)",
        "    google_pubsub_topic.gone (delete)",
        "    google_project_iam_member.binding (create)",
        "features/controls.feature:8: Then there are no resources",
        '  expected no resources, found 2 (selection: resources from provider "google-beta"):',
        "    google_compute_instance.beta (create)",
        "    google_compute_disk.computed (create)",
    )


def test_that_support_selects_by_attribute_even_null_unknown_or_deleted(project: Project) -> None:
    project.plan("prod", providers_and_attributes())
    project.feature(
        """
        Feature: Attributes
          Scenario: Labelable resources
            Given resources that support "labels"
            Then there are no resources

          Scenario: Either of two attributes
            Given resources that support "role" or "hex"
            Then there are exactly 2

          Scenario: A pure delete is judged on its values before the delete
            Given resources that support "labels" that will be deleted
            Then their "labels.env" is "prod"

          Scenario: Combined with a provider
            Given resources from provider "google-beta" that supports "labels"
            Then there are exactly 2

          Scenario: An attribute no type has
            Given resources that support "no_such_attribute" (if any)
            Then there are no resources
        """
    )
    result = project.run()
    result.assert_outcomes(failed=2, passed=3)
    expect(
        result,
        "features/controls.feature:4: Then there are no resources",
        '  expected no resources, found 4 (selection: resources that support "labels"):',
        "    google_storage_bucket.plain (create)",
        "    google_compute_instance.beta (create)",
        "    google_compute_disk.computed (create)",
        "    google_pubsub_topic.gone (delete)",
        'features/controls.feature:12: Then their "labels.env" is "prod"',
        "    google_pubsub_topic.gone (delete; values before it): labels.env: "
        'expected "prod", actual "old"',
    )


def test_an_unreadable_selection_clause_lists_the_clauses(project: Project) -> None:
    project.plan("prod", providers_and_attributes())
    project.feature(
        """
        Feature: Typos
          Scenario: Vendor
            Given resources from vendor "google"
            Then there are no resources

          Scenario: Unquoted attribute
            Given resources that support labels
            Then there are no resources
        """
    )
    result = project.run()
    result.assert_outcomes(failed=2)
    clauses = (
        'write clauses like of type "T", in module "m", in the root module, matching address '
        '"glob", from provider "google-beta", that support "labels", that will be deleted, '
        "(if any)"
    )
    expect(
        result,
        'features/controls.feature:3: Given resources from vendor "google"',
        "  cannot read this step: cannot read 'from vendor \"google\"' in this selection; "
        + clauses,
        "features/controls.feature:7: Given resources that support labels",
        "  cannot read this step: cannot read 'that support labels' in this selection; " + clauses,
    )


# ------------------------------------------------------------------------ any of their


def rules(*types: Any) -> list[dict[str, Any]]:
    return [{"action": [{"type": kind}], "condition": [{"age": 30}]} for kind in types]


def lifecycles() -> PlanBuilder:
    def bucket(*types: Any) -> dict[str, Any]:
        return {"name": "b", "lifecycle_rule": rules(*types)}

    return (
        PlanBuilder()
        .resource(
            "google_storage_bucket.good",
            action="create",
            after=bucket("SetStorageClass", "Delete"),
        )
        .resource(
            "google_storage_bucket.bad",
            action="create",
            after=bucket("SetStorageClass", "AbortIncompleteMultipartUpload"),
        )
        .resource("google_storage_bucket.none", action="create", after=bucket())
        .resource(
            "google_storage_bucket.later",
            action="create",
            after=bucket(UNKNOWN, "SetStorageClass"),
        )
        .resource(
            "google_storage_bucket.decided",
            action="create",
            after=bucket(UNKNOWN, "Delete"),
        )
    )


def test_any_of_their_needs_one_value_to_pass(project: Project) -> None:
    project.plan("prod", lifecycles())
    project.feature(
        """
        Feature: Lifecycle
          Scenario: A delete rule on every bucket
            Given resources of type "google_storage_bucket"
            Then any of their "lifecycle_rule.action.type" is "Delete"

          Scenario: Compliant ones, the other wording
            Given resources matching addresses "*.good" or "*.decided"
            Then at least one of their "lifecycle_rule.action.type" is "Delete"
            And any of its "lifecycle_rule.condition.age" is at least 30

          Scenario: Without "any of", every value must pass
            Given resources matching address "*.good"
            Then their "lifecycle_rule.action.type" is "Delete"
        """
    )
    result = project.run()
    result.assert_outcomes(failed=2, passed=1)
    expect(
        result,
        'features/controls.feature:4: Then any of their "lifecycle_rule.action.type" is "Delete"',
        "  plan: plans/prod.json",
        '  3 of 5 selected resource(s) fail (selection: resources of type "google_storage_bucket" '
        "(5 selected)):",
        '    google_storage_bucket.bad: lifecycle_rule.action.type: expected "Delete" (for at least one value), '
        'actual lifecycle_rule[0].action[0].type = "SetStorageClass"; '
        'lifecycle_rule[1].action[0].type = "AbortIncompleteMultipartUpload"',
        '    google_storage_bucket.none: lifecycle_rule.action.type: expected "Delete" (for at least one value), '
        "actual lifecycle_rule.action.type = (absent)",
        '    google_storage_bucket.later: lifecycle_rule.action.type: expected "Delete" (for at least one value), '
        "actual lifecycle_rule[0].action[0].type = (known after apply); "
        'lifecycle_rule[1].action[0].type = "SetStorageClass" ' + UNKNOWN_HINT,
        'features/controls.feature:13: Then their "lifecycle_rule.action.type" is "Delete"',
        '    google_storage_bucket.good: lifecycle_rule[0].action[0].type: expected "Delete", '
        'actual "SetStorageClass"',
    )
    failures = result.stdout.str().partition("short test summary info")[0]
    assert "google_storage_bucket.decided:" not in failures


def test_any_of_their_unknown_is_accepted_only_when_asked(project: Project) -> None:
    project.plan("prod", lifecycles())
    project.feature(
        """
        Feature: Lifecycle
          Scenario: Unknown accepted
            Given resources matching addresses "*.later" or "*.bad"
            Then any of their "lifecycle_rule.action.type" is "Delete" or known after apply
        """
    )
    result = project.run()
    result.assert_outcomes(failed=1)
    expect(
        result,
        "  1 of 2 selected resource(s) fail*",
        '    google_storage_bucket.bad: lifecycle_rule.action.type: expected "Delete" (for at least one value), '
        'actual lifecycle_rule[0].action[0].type = "SetStorageClass"; '
        'lifecycle_rule[1].action[0].type = "AbortIncompleteMultipartUpload"',
    )
    assert "google_storage_bucket.later:" not in result.stdout.str()


def test_when_any_of_their_narrows_the_selection(project: Project) -> None:
    project.plan("prod", lifecycles())
    project.feature(
        """
        Feature: Lifecycle
          Scenario: Known buckets with a delete rule
            Given resources matching addresses "*.good", "*.bad", "*.none" or "*.decided"
            When any of their "lifecycle_rule.action.type" is "Delete"
            Then there are no resources

          Scenario: Unknown kept when accepted
            Given resources of type "google_storage_bucket"
            When at least one of their "lifecycle_rule.action.type" is "Delete" or known after apply
            Then there are exactly 3

          Scenario: Unknown cannot be decided
            Given resources of type "google_storage_bucket"
            When any of their "lifecycle_rule.action.type" is "Delete"
            Then there are exactly 2

          Scenario: Nothing left, allowed
            Given resources matching address "*.bad"
            When any of their "lifecycle_rule.action.type" is "Delete" (if any)
            Then their "name" is "never checked"
        """
    )
    result = project.run()
    result.assert_outcomes(failed=2, passed=1, skipped=1)
    expect(
        result,
        "features/controls.feature:5: Then there are no resources",
        '  expected no resources, found 2 (selection: resources matching addresses "*.good", '
        '"*.bad", "*.none" or "*.decided" any of whose "lifecycle_rule.action.type" is '
        '"Delete"):',
        "    google_storage_bucket.good (create)",
        "    google_storage_bucket.decided (create)",
        'features/controls.feature:14: When any of their "lifecycle_rule.action.type" is "Delete"',
        "  cannot tell for 1 resource(s) whether they belong to the selection:",
        '    google_storage_bucket.later: lifecycle_rule.action.type: expected "Delete" (for at least one value), '
        "actual lifecycle_rule[0].action[0].type = (known after apply); "
        'lifecycle_rule[1].action[0].type = "SetStorageClass" ' + UNKNOWN_HINT,
    )


# ------------------------------------------------------------------------ membership

TOPIC = "projects/p/topics/"
CHANNEL = "projects/p/notificationChannels/"


def budget(topic: Any) -> dict[str, Any]:
    return {"display_name": "b", "all_updates_rule": [{"pubsub_topic": topic}]}


def stack() -> PlanBuilder:
    """Topics, channels and the budgets and alerts that point at them."""
    return (
        PlanBuilder()
        .resource("google_pubsub_topic.alerts", action="create", after={"id": TOPIC + "alerts"})
        .resource("google_pubsub_topic.spare", action="no-op", after={"id": TOPIC + "spare"})
        .resource("google_pubsub_topic.retired", action="delete", before={"id": TOPIC + "retired"})
        .resource(
            "google_pubsub_topic.rebuilt",
            action="replace",
            before={"id": TOPIC + "rebuilt-old"},
            after={"id": TOPIC + "rebuilt"},
        )
        .resource("google_billing_budget.ok", action="create", after=budget(TOPIC + "alerts"))
        .resource("google_billing_budget.rebuilt", action="create", after=budget(TOPIC + "rebuilt"))
        .resource("google_billing_budget.stale", action="create", after=budget(TOPIC + "retired"))
        .resource(
            "google_billing_budget.foreign",
            action="create",
            after=budget("projects/other/topics/x"),
        )
        .resource(
            "google_billing_budget.old_id",
            action="create",
            after=budget(TOPIC + "rebuilt-old"),
        )
        .resource(
            "google_monitoring_notification_channel.email",
            action="create",
            after={"name": CHANNEL + "1"},
        )
        .resource(
            "google_monitoring_notification_channel.pager",
            action="no-op",
            after={"name": CHANNEL + "2"},
        )
        .resource(
            "google_monitoring_alert_policy.both",
            action="create",
            after={"notification_channels": [CHANNEL + "1", CHANNEL + "2"]},
        )
        .resource(
            "google_monitoring_alert_policy.partly",
            action="create",
            after={"notification_channels": [CHANNEL + "1", CHANNEL + "99"]},
        )
        .resource(
            "google_monitoring_alert_policy.elsewhere",
            action="create",
            after={"notification_channels": [CHANNEL + "98"]},
        )
        .resource(
            "data.google_service_account.runner",
            action="read",
            after={"email": "runner@p.iam.gserviceaccount.com"},
        )
        .resource(
            "google_cloud_run_v2_service.api",
            action="create",
            after={"template": [{"service_account": "runner@p.iam.gserviceaccount.com"}]},
        )
    )


TOPICS = (
    f'the "id" values of resources of type "google_pubsub_topic" (3 value(s): "{TOPIC}alerts", '
    f'"{TOPIC}spare", "{TOPIC}rebuilt")'
)
CHANNELS = (
    'the "name" values of resources of type "google_monitoring_notification_channel" '
    f'(2 value(s): "{CHANNEL}1", "{CHANNEL}2")'
)


def test_membership_passes_on_values_the_stack_will_have(project: Project) -> None:
    project.plan("prod", stack())
    project.feature(
        """
        Feature: Closed stack
          Scenario: Budgets publish to topics of the stack
            Given resources of type "google_billing_budget" matching address "*.ok" or "*.rebuilt"
            Then their "all_updates_rule.pubsub_topic" is one of the "id" values of resources of type "google_pubsub_topic"
            And their "all_updates_rule.pubsub_topic" is among the "id" values of resources of type "google_pubsub_topic"
            And its "all_updates_rule[0].pubsub_topic" is one of the "id" value of resources of type "google_pubsub_topic" that will be created or replaced

          Scenario: Alerts notify channels of the stack
            Given resources of type "google_monitoring_alert_policy" matching address "*.both"
            Then their "notification_channels" are among the "name" values of resources of type "google_monitoring_notification_channel"
            And their "notification_channels" are all among the "name" values of all resources of type "google_monitoring_notification_channel"

          Scenario: Negations
            Given resources of type "google_monitoring_alert_policy" matching address "*.elsewhere"
            Then their "notification_channels" are not among the "name" values of resources of type "google_monitoring_notification_channel"
            And their "notification_channels[0]" is not one of the "name" values of resources of type "google_monitoring_notification_channel"
            And their "notification_channels[0]" is not among the "name" values of resources of type "google_monitoring_notification_channel"

          Scenario: Among data sources
            Given resources of type "google_cloud_run_v2_service"
            Then their "template.service_account" is one of the "email" values of data sources of type "google_service_account"
        """
    )
    result = project.run()
    result.assert_outcomes(passed=4)


def test_membership_failures_name_resource_attribute_values_and_actual(project: Project) -> None:
    project.plan("prod", stack())
    project.feature(
        """
        Feature: Closed stack
          Scenario: Budgets publish to topics of the stack
            Given resources of type "google_billing_budget"
            Then their "all_updates_rule.pubsub_topic" is one of the "id" values of resources of type "google_pubsub_topic"

          Scenario: Alerts notify channels of the stack
            Given resources of type "google_monitoring_alert_policy"
            Then their "notification_channels" are among the "name" values of resources of type "google_monitoring_notification_channel"

          Scenario: Negated
            Given resources of type "google_billing_budget" matching address "*.ok"
            Then their "all_updates_rule.pubsub_topic" is not one of the "id" values of resources of type "google_pubsub_topic"
        """
    )
    result = project.run()
    result.assert_outcomes(failed=3)
    expect(
        result,
        "features/controls.feature:4: Then their "
        '"all_updates_rule.pubsub_topic" is one of the "id" values of resources of type '
        '"google_pubsub_topic"',
        '  3 of 5 selected resource(s) fail (selection: resources of type "google_billing_budget" '
        "(5 selected)):",
        f"    google_billing_budget.stale: all_updates_rule[0].pubsub_topic: expected one of "
        f'{TOPICS}, actual "{TOPIC}retired"',
        f"    google_billing_budget.foreign: all_updates_rule[0].pubsub_topic: expected one of "
        f'{TOPICS}, actual "projects/other/topics/x"',
        f"    google_billing_budget.old_id: all_updates_rule[0].pubsub_topic: expected one of "
        f'{TOPICS}, actual "{TOPIC}rebuilt-old"',
        "  2 of 3 selected resource(s) fail*",
        f"    google_monitoring_alert_policy.partly: notification_channels: expected one of "
        f'{CHANNELS}, actual ["{CHANNEL}1", "{CHANNEL}99"]',
        f"    google_monitoring_alert_policy.elsewhere: notification_channels: expected one of "
        f'{CHANNELS}, actual ["{CHANNEL}98"]',
        "  1 of 1 selected resource(s) fail*",
        f"    google_billing_budget.ok: all_updates_rule[0].pubsub_topic: expected none of "
        f'{TOPICS}, actual "{TOPIC}alerts"',
    )
    assert "google_monitoring_alert_policy.both:" not in result.stdout.str()


def test_are_not_among_fails_when_any_element_is_among(project: Project) -> None:
    """`are not among` on a list: no element may be among the values ("expected none of"),
    and an unknown element leaves that undecided. (Negating "every element is among" instead
    would pass both lists.)"""
    builder = stack().resource(
        "google_monitoring_alert_policy.pending",
        action="create",
        after={"notification_channels": [UNKNOWN, CHANNEL + "98"]},
    )
    project.plan("prod", builder)
    project.feature(
        """
        Feature: Closed stack
          Scenario: No alert notifies a channel of the stack
            Given resources of type "google_monitoring_alert_policy" matching address "*.partly" or "*.pending" or "*.elsewhere"
            Then their "notification_channels" are not among the "name" values of resources of type "google_monitoring_notification_channel"
        """
    )
    result = project.run()
    result.assert_outcomes(failed=1)
    expect(
        result,
        "  2 of 3 selected resource(s) fail*",
        f"    google_monitoring_alert_policy.partly: notification_channels: expected none of "
        f'{CHANNELS}, actual ["{CHANNEL}1", "{CHANNEL}99"]',
        f"    google_monitoring_alert_policy.pending: notification_channels: expected none of "
        f'{CHANNELS}, actual [(known after apply), "{CHANNEL}98"] {UNKNOWN_HINT}',
    )
    assert "google_monitoring_alert_policy.elsewhere:" not in result.stdout.str()


def test_membership_narrows_a_when_step(project: Project) -> None:
    project.plan("prod", stack())
    project.feature(
        """
        Feature: Closed stack
          Scenario: Budgets outside the stack
            Given resources of type "google_billing_budget"
            When their "all_updates_rule.pubsub_topic" is not one of the "id" values of resources of type "google_pubsub_topic"
            Then there are no resources

          Scenario: Budgets inside the stack
            Given resources of type "google_billing_budget"
            When their "all_updates_rule.pubsub_topic" is one of the "id" values of resources of type "google_pubsub_topic"
            Then there are exactly 2
        """
    )
    result = project.run()
    result.assert_outcomes(failed=1, passed=1)
    expect(
        result,
        "  expected no resources, found 3 (selection: *",
        "    google_billing_budget.stale (create)",
        "    google_billing_budget.foreign (create)",
        "    google_billing_budget.old_id (create)",
    )


def test_a_value_only_a_deleted_resource_has_does_not_count(project: Project) -> None:
    project.plan("prod", stack())
    project.feature(
        """
        Feature: Closed stack
          Scenario: The retired topic
            Given resources of type "google_billing_budget" matching address "*.stale"
            Then their "all_updates_rule.pubsub_topic" is one of the "id" values of resources of type "google_pubsub_topic" that will be deleted
        """
    )
    result = project.run()
    result.assert_outcomes(failed=1)
    expect(
        result,
        "    google_billing_budget.stale: all_updates_rule[0].pubsub_topic: expected one of the "
        '"id" values of resources of type "google_pubsub_topic" that will be deleted, but that '
        "selection has no values after apply (check the type and attribute names), actual "
        f'"{TOPIC}retired"',
    )


def test_membership_with_unknown_values(project: Project) -> None:
    builder = (
        stack()
        .resource("google_pubsub_topic.fresh", action="create", after={"id": UNKNOWN})
        .resource("google_billing_budget.pending", action="create", after=budget(UNKNOWN))
    )
    project.plan("prod", builder)
    topics = (
        'the "id" values of resources of type "google_pubsub_topic" (3 value(s): '
        f'"{TOPIC}alerts", "{TOPIC}spare", "{TOPIC}rebuilt"; some known after apply)'
    )
    project.feature(
        """
        Feature: Unknown
          Scenario: Strict
            Given resources of type "google_billing_budget" matching address "*.foreign" or "*.pending" or "*.ok"
            Then their "all_updates_rule.pubsub_topic" is one of the "id" values of resources of type "google_pubsub_topic"

          Scenario: Accepted
            Given resources of type "google_billing_budget" matching address "*.foreign" or "*.pending" or "*.ok"
            Then their "all_updates_rule.pubsub_topic" is one of the "id" values of resources of type "google_pubsub_topic" or known after apply

          Scenario: Negation is no escape
            Given resources of type "google_billing_budget" matching address "*.foreign"
            Then their "all_updates_rule.pubsub_topic" is not one of the "id" values of resources of type "google_pubsub_topic"

          Scenario: A known match still decides
            Given resources of type "google_billing_budget" matching address "*.ok"
            Then their "all_updates_rule.pubsub_topic" is one of the "id" values of resources of type "google_pubsub_topic"
        """
    )
    result = project.run()
    result.assert_outcomes(failed=2, passed=2)
    expect(
        result,
        "features/controls.feature:4: Then their*",
        "  2 of 3 selected resource(s) fail*",
        "    google_billing_budget.foreign: all_updates_rule[0].pubsub_topic: expected one of "
        f'{topics}, actual "projects/other/topics/x" {UNKNOWN_HINT}',
        "    google_billing_budget.pending: all_updates_rule[0].pubsub_topic: expected one of "
        f"{topics}, actual (known after apply) {UNKNOWN_HINT}",
        "features/controls.feature:12: Then their*",
        "    google_billing_budget.foreign: all_updates_rule[0].pubsub_topic: expected none of "
        f'{topics}, actual "projects/other/topics/x" {UNKNOWN_HINT}',
    )


def test_membership_never_prints_sensitive_values(project: Project) -> None:
    builder = (
        PlanBuilder()
        .resource(
            "google_secret_manager_secret.key",
            action="create",
            after={"secret_id": "api-key"},
        )
        .resource(
            "google_secret_manager_secret.hidden",
            action="create",
            after={"secret_id": Secret("hidden-target-plaintext")},
        )
        .resource(
            "google_cloud_run_v2_service.api",
            action="create",
            after={"template": [{"env": [{"value": Secret("s3cr3t-actual-plaintext")}]}]},
        )
        .resource(
            "google_cloud_run_v2_service.worker",
            action="create",
            after={"template": [{"env": [{"value": "other-secret"}]}]},
        )
    )
    project.plan("prod", builder)
    project.feature(
        """
        Feature: Secrets
          Scenario: Sensitive actual, sensitive values among the targets
            Given resources of type "google_cloud_run_v2_service"
            Then their "template.env.value" is one of the "secret_id" values of resources of type "google_secret_manager_secret"

          Scenario: Sensitive actual, known targets
            Given resources of type "google_cloud_run_v2_service" matching address "*.api"
            Then their "template.env.value" is one of the "secret_id" values of resources of type "google_secret_manager_secret" matching address "*.key"
        """
    )
    result = project.run("--junitxml=junit.xml")
    result.assert_outcomes(failed=2)
    secrets = (
        'the "secret_id" values of resources of type "google_secret_manager_secret" '
        '(1 value(s): "api-key"; some sensitive)'
    )
    known = (
        'the "secret_id" values of resources of type "google_secret_manager_secret" matching '
        'address "*.key" (1 value(s): "api-key")'
    )
    expect(
        result,
        "  2 of 2 selected resource(s) fail*",
        "    google_cloud_run_v2_service.api: template[0].env[0].value: expected one of "
        f"{secrets}, actual (sensitive) {HIDDEN_HINT}",
        "    google_cloud_run_v2_service.worker: template[0].env[0].value: expected one of "
        f'{secrets}, actual "other-secret" {HIDDEN_HINT}',
        "  1 of 1 selected resource(s) fail*",
        "    google_cloud_run_v2_service.api: template[0].env[0].value: expected one of "
        f"{known}, actual (sensitive) {HIDDEN_HINT}",
    )
    for text in (result.stdout.str(), (project.root / "junit.xml").read_text()):
        assert "s3cr3t" not in text
        assert "hidden-target" not in text


def test_membership_shows_five_values_then_how_many_more(project: Project) -> None:
    builder = PlanBuilder()
    for number in range(1, 8):
        builder.resource(
            f"google_service_account.sa{number}",
            action="create",
            after={"email": f"sa{number}@p.iam"},
        )
    builder.resource(  # no email: an absent value is no value
        "google_service_account.blank", action="create", after={"display_name": "blank"}
    )
    builder.resource(
        "google_cloud_run_v2_service.api",
        action="create",
        after={"template": [{"service_account": "stranger@p.iam"}]},
    )
    project.plan("prod", builder)
    project.feature(
        """
        Feature: Identity
          Scenario: Runs as a stack account
            Given resources of type "google_cloud_run_v2_service"
            Then their "template.service_account" is one of the "email" values of resources of type "google_service_account"
        """
    )
    result = project.run()
    result.assert_outcomes(failed=1)
    expect(
        result,
        "    google_cloud_run_v2_service.api: template[0].service_account: expected one of the "
        '"email" values of resources of type "google_service_account" (7 value(s): '
        '"sa1@p.iam", "sa2@p.iam", "sa3@p.iam", "sa4@p.iam", "sa5@p.iam" and 2 more), '
        'actual "stranger@p.iam"',
    )
    assert "sa6@p.iam" not in result.stdout.str()


def test_any_of_their_with_membership(project: Project) -> None:
    def service(*secrets: Any) -> dict[str, Any]:
        env = [{"value_source": [{"secret_key_ref": [{"secret": s}]}]} for s in secrets]
        return {"template": [{"containers": [{"env": env}]}]}

    builder = (
        PlanBuilder()
        .resource("google_secret_manager_secret.key", action="create", after={"secret_id": "key"})
        .resource("google_cloud_run_v2_service.api", action="create", after=service("x", "key"))
        .resource("google_cloud_run_v2_service.rogue", action="create", after=service("x", "y"))
    )
    project.plan("prod", builder)
    project.feature(
        """
        Feature: Secrets
          Scenario: Reads a secret of the stack
            Given resources of type "google_cloud_run_v2_service"
            Then any of their "template.containers.env.value_source.secret_key_ref.secret" is one of the "secret_id" values of resources of type "google_secret_manager_secret"
        """
    )
    result = project.run()
    result.assert_outcomes(failed=1)
    expect(
        result,
        "  1 of 2 selected resource(s) fail*",
        "    google_cloud_run_v2_service.rogue: "
        "template.containers.env.value_source.secret_key_ref.secret: expected one of "
        'the "secret_id" values of resources of type "google_secret_manager_secret" '
        '(1 value(s): "key") (for at least one value), actual '
        'template[0].containers[0].env[0].value_source[0].secret_key_ref[0].secret = "x"; '
        'template[0].containers[0].env[1].value_source[0].secret_key_ref[0].secret = "y"',
    )
    assert "google_cloud_run_v2_service.api:" not in result.stdout.str()


def test_an_unreadable_membership_selection_is_explained(project: Project) -> None:
    project.plan("prod", stack())
    project.feature(
        """
        Feature: Typos
          Scenario: Kind
            Given resources of type "google_billing_budget"
            Then their "all_updates_rule.pubsub_topic" is one of the "id" values of resources of kind "google_pubsub_topic"
        """
    )
    result = project.run()
    result.assert_outcomes(failed=1)
    expect(
        result,
        "  cannot read this step: cannot read 'of kind \"google_pubsub_topic\"' in this "
        'selection; write clauses like of type "T"*',
    )


# ------------------------------------------------------------------------ references


def refs(*references: str) -> dict[str, Any]:
    return {"references": list(references)}


def topic_rule(expression: dict[str, Any]) -> dict[str, Any]:
    return {
        "billing_account": refs("var.billing_account"),
        "all_updates_rule": [
            {"pubsub_topic": expression, "schema_version": {"constant_value": "1"}}
        ],
    }


def wired() -> PlanBuilder:
    """Budgets whose configuration refers (or not) to the topic beside them."""
    later = budget(UNKNOWN)
    return (
        PlanBuilder()
        .resource("google_pubsub_topic.alerts", action="create", after={"id": UNKNOWN})
        .resource("google_pubsub_topic.alerts_eu", action="create", after={"id": UNKNOWN})
        .resource("google_pubsub_topic.old", action="delete", before={"id": TOPIC + "old"})
        .resource(
            "google_billing_budget.monthly",
            action="create",
            after=later,
            config=topic_rule(refs("google_pubsub_topic.alerts.id", "google_pubsub_topic.alerts")),
        )
        .resource(
            "google_billing_budget.only_id",
            action="create",
            after=later,
            config=topic_rule(refs("google_pubsub_topic.alerts.id")),
        )
        .resource(
            "google_billing_budget.elsewhere",
            action="create",
            after=later,
            config=topic_rule(
                refs("google_pubsub_topic.alerts_eu.id", "google_pubsub_topic.alerts_eu")
            ),
        )
        .resource(
            "google_billing_budget.hardcoded",
            action="create",
            after=budget(TOPIC + "alerts"),
            config=topic_rule({"constant_value": TOPIC + "alerts"}),
        )
        .resource(
            "google_billing_budget.orphan",
            action="no-op",
            after=budget(TOPIC + "alerts"),
            config=False,
        )
        .resource(
            "module.budget.google_billing_budget.monthly",
            action="create",
            after=later,
            config=topic_rule(refs("google_pubsub_topic.alerts.id")),
        )
        .resource(
            'module.m["a"].google_billing_budget.each',
            action="create",
            after=later,
            config=topic_rule(refs("var.topic")),
        )
        .resource('module.m["b"].google_billing_budget.each', action="create", after=later)
        .resource(
            "data.google_project.current",
            action="read",
            after={"project_id": "p"},
            config={"project_id": refs("var.project_id")},
        )
    )


def test_refers_to_reads_the_configuration_even_for_unknown_values(project: Project) -> None:
    project.plan("prod", wired())
    project.feature(
        """
        Feature: Wiring
          Scenario: Budgets publish to the topic beside them
            Given resources matching addresses "*.monthly" or "*.only_id"
            Then there are exactly 3
            And their "all_updates_rule.pubsub_topic" refers to "google_pubsub_topic.alerts"
            And their "all_updates_rule[0].pubsub_topic" refers to "google_pubsub_topic.alerts.id"
            And they refer to "google_pubsub_topic.alerts"
            And their "all_updates_rule.pubsub_topic" does not refer to "google_pubsub_topic.alerts_eu"
            And its "billing_account" doesn't refer to "google_pubsub_topic.alerts"

          Scenario: One of several targets
            Given resources of type "google_billing_budget" matching address "*.monthly" or "*.elsewhere"
            Then their "all_updates_rule.pubsub_topic" refers to "google_pubsub_topic.alerts" or "google_pubsub_topic.alerts_eu"
            And they do not refer to "google_pubsub_topic.old" or "var.topic"

          Scenario: A longer name is another resource
            Given resources matching address "google_billing_budget.elsewhere"
            Then it does not refer to "google_pubsub_topic.alerts"

          Scenario: Every instance of a for_each module finds its block
            Given resources in module "m"
            Then there are exactly 2
            And they refer to "var.topic"

          Scenario: Data sources
            Given data sources of type "google_project"
            Then its "project_id" refers to "var.project_id"
        """
    )
    result = project.run()
    result.assert_outcomes(passed=5)


def test_refers_to_failures_list_the_references_found(project: Project) -> None:
    project.plan("prod", wired())
    project.feature(
        """
        Feature: Wiring
          Scenario: Budgets publish to the topic beside them
            Given resources of type "google_billing_budget" in the root module
            Then their "all_updates_rule.pubsub_topic" refers to "google_pubsub_topic.alerts"

          Scenario: Negated
            Given resources of type "google_billing_budget" matching address "*.monthly"
            Then they do not refer to "google_pubsub_topic.alerts" or "var.nothing"

          Scenario: Module instances are read from their block
            Given resources in module "m"
            Then they refer to "google_pubsub_topic.alerts"

          Scenario: An attribute with no expression
            Given resources matching address "google_billing_budget.monthly"
            Then its "display_name" refers to "var.name"
        """
    )
    result = project.run()
    result.assert_outcomes(failed=4)
    expect(
        result,
        'features/controls.feature:4: Then their "all_updates_rule.pubsub_topic" refers to '
        '"google_pubsub_topic.alerts"',
        "  plan: plans/prod.json",
        "  3 of 5 selected resource(s) fail (selection: resources of type "
        '"google_billing_budget" in the root module (5 selected)):',
        '    google_billing_budget.elsewhere: "all_updates_rule.pubsub_topic": expected a reference '
        "to google_pubsub_topic.alerts, actual references google_pubsub_topic.alerts_eu.id, "
        "google_pubsub_topic.alerts_eu",
        '    google_billing_budget.hardcoded: "all_updates_rule.pubsub_topic": expected a reference '
        "to google_pubsub_topic.alerts, actual no references",
        '    google_billing_budget.orphan: "all_updates_rule.pubsub_topic": expected a reference to '
        "google_pubsub_topic.alerts, actual no configuration block in the plan "
        "(removed from the configuration?)",
        'features/controls.feature:8: Then they do not refer to "google_pubsub_topic.alerts" or '
        '"var.nothing"',
        "  2 of 2 selected resource(s) fail*",
        "    google_billing_budget.monthly: the configuration: expected no reference to "
        "google_pubsub_topic.alerts or var.nothing, actual references var.billing_account, "
        "google_pubsub_topic.alerts.id, google_pubsub_topic.alerts",
        "    module.budget.google_billing_budget.monthly: the configuration: expected no reference "
        "to google_pubsub_topic.alerts or var.nothing, actual references var.billing_account, "
        "google_pubsub_topic.alerts.id",
        'features/controls.feature:12: Then they refer to "google_pubsub_topic.alerts"',
        "  2 of 2 selected resource(s) fail*",
        '    module.m["a"].google_billing_budget.each: the configuration: expected a reference to '
        "google_pubsub_topic.alerts, actual references var.billing_account, var.topic",
        '    module.m["b"].google_billing_budget.each: the configuration: expected a reference to '
        "google_pubsub_topic.alerts, actual references var.billing_account, var.topic",
        'features/controls.feature:16: Then its "display_name" refers to "var.name"',
        '    google_billing_budget.monthly: "display_name": expected a reference to var.name, '
        "actual the attribute is not set in its configuration block",
    )
    assert "cannot read" not in result.stdout.str()


def test_refers_to_on_a_pure_delete_has_no_configuration_block(project: Project) -> None:
    project.plan("prod", wired())
    project.feature(
        """
        Feature: Wiring
          Scenario: Deleted topics
            Given resources of type "google_pubsub_topic" that will be deleted
            Then they refer to "var.project"
        """
    )
    result = project.run()
    result.assert_outcomes(failed=1)
    expect(
        result,
        "    google_pubsub_topic.old (delete; values before it): the configuration: expected a "
        "reference to var.project, actual no configuration block in the plan "
        "(removed from the configuration?)",
    )


def test_refers_to_is_not_read_as_a_value_predicate(project: Project) -> None:
    """`their "x" refers to ...` once fell to the generic `their "x" <predicate>` step, which
    cannot read `refers to` and failed every such scenario."""
    project.plan("prod", wired())
    project.feature(
        """
        Feature: Wiring
          Scenario Outline: <phrase>
            Given resources matching address "google_billing_budget.monthly"
            Then <phrase>

            Examples:
              | phrase                                                                          |
              | their "all_updates_rule.pubsub_topic" refers to "google_pubsub_topic.alerts"    |
              | its "all_updates_rule.pubsub_topic" refers to "google_pubsub_topic.alerts"      |
              | their "billing_account" does not refer to "google_pubsub_topic.alerts"          |
              | their "billing_account" do not refer to "google_pubsub_topic.alerts"            |
              | its "billing_account" doesn't refer to "google_pubsub_topic.alerts"             |
              | their "billing_account" don't refer to "google_pubsub_topic.alerts"             |
        """
    )
    result = project.run()
    result.assert_outcomes(passed=6)


def test_unreadable_reference_targets_are_explained(project: Project) -> None:
    project.plan("prod", wired())
    project.feature(
        """
        Feature: Typos
          Scenario: Empty
            Given resources matching address "google_billing_budget.monthly"
            Then they refer to ""

          Scenario: Unquoted
            Given resources matching address "google_billing_budget.monthly"
            Then their "all_updates_rule.pubsub_topic" refers to google_pubsub_topic.alerts
        """
    )
    result = project.run()
    result.assert_outcomes(failed=2)
    expect(
        result,
        'features/controls.feature:4: Then they refer to ""',
        '  cannot read this step: a referenced address is empty ("")',
        "  cannot read this step: expected one or more quoted names "
        '("a" or "b"), got \'google_pubsub_topic.alerts\'',
    )


# ------------------------------------------------------------------------ variables


def variables() -> PlanBuilder:
    return (
        PlanBuilder()
        .variable("environment", "prod")
        .variable("region", "europe-west1")
        .variable("db_password", "hunter2-db-plaintext", sensitive=True)
        .resource("google_storage_bucket.logs", action="create", after={"name": "logs"})
    )


def test_variables_pass_and_fail_with_expected_and_actual(project: Project) -> None:
    project.plan("prod", variables())
    project.feature(
        """
        Feature: Variables
          Scenario: Passing forms
            Then variable "environment" is "prod"
            And variable "environment" is one of "dev", "staging", "prod"
            And variable "region" matches "europe-[a-z]+[0-9]"
            And variable "region" is not "us-central1"
            And variable "db_password" is present

          Scenario: Wrong environment
            Then variable "environment" is "dev"

          Scenario: Not one of
            Then variable "region" is one of "us-central1", "us-east1"

          Scenario: Missing
            Then variable "project_id" is "p"
        """
    )
    result = project.run()
    result.assert_outcomes(passed=1, failed=3)
    expect(
        result,
        'features/controls.feature:10: Then variable "environment" is "dev"',
        "  plan: plans/prod.json",
        "  the variable does not have the expected value:",
        '    var.environment: expected "dev", actual "prod"',
        '    var.region: expected one of "us-central1", "us-east1", actual "europe-west1"',
        'features/controls.feature:16: Then variable "project_id" is "p"',
        "  the plan has no variable 'project_id' (variables: db_password, environment, region)",
    )


def test_a_sensitive_variable_is_never_compared_or_printed(project: Project) -> None:
    project.plan("prod", variables())
    project.feature(
        """
        Feature: Variables
          Scenario: Compared
            Then variable "db_password" matches "[a-z0-9-]+"

          Scenario: Negation is no escape
            Then variable "db_password" is not "changeme"
        """
    )
    result = project.run("-vv", "--junitxml=junit.xml")
    result.assert_outcomes(failed=2)
    expect(
        result,
        'features/controls.feature:3: Then variable "db_password" matches "[a-z0-9-]+"',
        "  the variable does not have the expected value:",
        '    var.db_password: expected a string matching "[a-z0-9-]+", actual (sensitive) '
        + HIDDEN_HINT,
        '    var.db_password: expected not "changeme", actual (sensitive) ' + HIDDEN_HINT,
    )
    for text in (result.stdout.str(), (project.root / "junit.xml").read_text()):
        assert "hunter2" not in text


def test_variables_do_not_change(project: Project) -> None:
    project.plan("prod", variables())
    project.feature(
        """
        Feature: Variables
          Scenario: Changes
            Then variable "environment" changes

          Scenario: Does not change
            Then variable "environment" does not change

          Scenario: Unreadable
            Then variable "environment" resembles "prod"
        """
    )
    result = project.run()
    result.assert_outcomes(failed=3)
    expect(
        result,
        "  variables do not change within a plan; 'changes' cannot apply to one",
        "  variables do not change within a plan; 'does not change' cannot apply to one",
        "  cannot read this step: cannot read 'resembles \"prod\"'; write one of: is VALUE*",
    )


# ------------------------------------------------------------------------ provider versions


def pinned() -> dict[str, Any]:
    """google pinned in the root, an alias and a module; google-beta and random beside it."""
    document = (
        PlanBuilder()
        .resource("google_storage_bucket.logs", action="create", after={"name": "logs"})
        .resource(
            "google_storage_bucket.eu", action="create", provider="google.eu", after={"name": "e"}
        )
        .resource(
            "google_compute_instance.vm",
            action="create",
            provider="google-beta",
            after={"name": "vm"},
        )
        .resource("random_id.suffix", action="create", provider="random", after={"hex": "ab"})
        .build()
    )
    providers = document["configuration"]["provider_config"]
    providers["google"]["version_constraint"] = "~> 5.0"
    providers["google.eu"]["version_constraint"] = "~> 4.80"
    providers["google-beta"]["version_constraint"] = "~> 6.0"
    providers["budget:google"] = {
        "name": "google",
        "full_name": provider_source("google"),
        "module_address": "module.budget",
        "version_constraint": ">= 5.0",
    }
    return document


def test_provider_version_constraints(project: Project) -> None:
    write_raw(project, "prod", pinned())
    project.feature(
        """
        Feature: Providers
          Scenario: Beta is pinned (google's own pins are not beta's)
            Then the version constraint of provider "google-beta" is "~> 6.0"
            And the version constraint of provider "hashicorp/google-beta" matches "~> 6[.]0"

          Scenario: Google is pinned to 5
            Then the version constraint of provider "google" matches "~> 5[.]0"

          Scenario: Every configuration, by source address
            Then the version constraint of provider "hashicorp/google" is one of "~> 5.0", ">= 5.0"

          Scenario: Unpinned
            Then the version constraint of provider "random" is present

          Scenario: No such provider
            Then the version constraint of provider "aws" matches "~> 5[.]0"

          Scenario: A name is matched whole, not as a suffix
            Then the version constraint of provider "gle-beta" is present

          Scenario: Not a change
            Then the version constraint of provider "google" does not change
        """
    )
    result = project.run()
    result.assert_outcomes(passed=1, failed=6)
    expect(
        result,
        'features/controls.feature:7: Then the version constraint of provider "google" matches '
        '"~> 5[.]0"',
        "  plan: plans/prod.json",
        "  2 of 3 configuration(s) of provider google fail:",
        '    provider google.eu: version constraint: expected a string matching "~> 5[.]0", '
        'actual "~> 4.80"',
        '    provider budget:google: version constraint: expected a string matching "~> 5[.]0", '
        'actual ">= 5.0"',
        "  1 of 3 configuration(s) of provider hashicorp/google fail:",
        '    provider google.eu: version constraint: expected one of "~> 5.0", ">= 5.0", '
        'actual "~> 4.80"',
        "  1 of 1 configuration(s) of provider random fail:",
        "    provider random: version constraint: expected a value (not absent, null or empty), "
        "actual null",
        "  the plan's configuration has no provider 'aws' "
        "(providers: budget:google, google, google-beta, google.eu, random)",
        "  the plan's configuration has no provider 'gle-beta' "
        "(providers: budget:google, google, google-beta, google.eu, random)",
        "  'does not change' cannot apply to a version constraint",
    )
    assert "provider google:" not in result.stdout.str()


def test_a_variable_is_checked_against_the_values_the_stack_manages(project: Project) -> None:
    project.plan(
        "prod",
        variables()
        .resource("google_compute_region.eu", action="no-op", after={"name": "europe-west1"})
        .resource("google_compute_region.us", action="delete", before={"name": "us-central1"}),
    )
    project.feature(
        """
        Feature: Variables
          Scenario: Among the managed regions
            Then variable "region" is one of the "name" values of resources of type "google_compute_region"

          Scenario: Not among them
            Then variable "environment" is one of the "name" values of resources of type "google_compute_region"
        """
    )
    result = project.run()
    result.assert_outcomes(passed=1, failed=1)
    expect(
        result,
        'features/controls.feature:6: Then variable "environment" is one of the "name" values*',
        '    var.environment: expected one of the "name" values of resources of type '
        '"google_compute_region" (1 value(s): "europe-west1"), actual "prod"',
    )


def test_membership_among_object_values_compares_whole_objects(project: Project) -> None:
    """Objects are pooled too (they cannot be hashed); an unknown inside one leaves a
    near-match undecided instead of failing it."""
    project.plan(
        "prod",
        PlanBuilder()
        .resource("google_pubsub_topic.a", action="no-op", after={"labels": {"env": "prod"}})
        .resource("google_pubsub_topic.b", action="create", after={"labels": {"env": UNKNOWN}})
        .resource("google_storage_bucket.same", action="no-op", after={"labels": {"env": "prod"}})
        .resource("google_storage_bucket.near", action="no-op", after={"labels": {"env": "qa"}})
        .resource("google_storage_bucket.off", action="no-op", after={"labels": {"team": "x"}}),
    )
    project.feature(
        """
        Feature: Labels
          Scenario: Buckets are labelled like the topics
            Given resources of type "google_storage_bucket"
            Then their "labels" is one of the "labels" values of resources of type "google_pubsub_topic"
        """
    )
    result = project.run()
    result.assert_outcomes(failed=1)
    expect(
        result,
        "  2 of 3 selected resource(s) fail*",
        '    google_storage_bucket.near: labels: expected one of the "labels" values of resources '
        'of type "google_pubsub_topic" (2 value(s): {env = "prod"}, {env = (known after apply)}),'
        ' actual {env = "qa"} ' + UNKNOWN_HINT,
        '    google_storage_bucket.off: labels: expected one of the "labels" values of resources '
        'of type "google_pubsub_topic" (2 value(s): {env = "prod"}, {env = (known after apply)}),'
        ' actual {team = "x"}',
    )
    assert "google_storage_bucket.same:" not in result.stdout.str()


# ------------------------------------------------------------------------ edge cases


def test_membership_never_passes_without_a_value_to_judge(project: Project) -> None:
    """Null, an empty list and an empty pool fail in both directions; an unknown pool value
    does not excuse a null."""
    channels = 'the "name" values of resources of type "google_monitoring_notification_channel"'
    project.plan(
        "prod",
        PlanBuilder()
        .resource("google_service_account.new", action="create", after={"email": UNKNOWN})
        .resource(
            "google_cloud_run_v2_service.null_sa",
            action="create",
            after={"template": [{"service_account": None}]},
        )
        .resource(
            "google_monitoring_notification_channel.mail",
            action="no-op",
            after={"name": CHANNEL + "1"},
        )
        .resource(
            "google_monitoring_alert_policy.empty",
            action="no-op",
            after={"notification_channels": []},
        ),
    )
    project.feature(
        f"""
        Feature: Nothing to judge
          Scenario: Null with an unknown pool value
            Given resources of type "google_cloud_run_v2_service"
            Then their "template.service_account" is one of the "email" values of resources of type "google_service_account" or known after apply

          Scenario: Empty list, positive
            Given resources of type "google_monitoring_alert_policy"
            Then their "notification_channels" are among {channels}

          Scenario: Empty list, negated
            Given resources of type "google_monitoring_alert_policy"
            Then their "notification_channels" are not among {channels}

          Scenario: Misspelt pool type, negated
            Given resources of type "google_monitoring_alert_policy"
            Then their "notification_channels" are not among the "name" values of resources of type "google_monitoring_notification_chanel"

          Scenario: Misspelt membership phrase
            Given resources of type "google_monitoring_alert_policy"
            Then their "notification_channels" are among the "name" values of resource of type "x"
        """
    )
    result = project.run()
    result.assert_outcomes(failed=5)
    expect(
        result,
        "    google_cloud_run_v2_service.null_sa: template[0].service_account: expected one of the "
        '"email" values of resources of type "google_service_account" (0 value(s): none; some '
        "known after apply), actual null",
        "    google_monitoring_alert_policy.empty: notification_channels: expected one of the "
        '"name" values of resources of type "google_monitoring_notification_channel" '
        f'(1 value(s): "{CHANNEL}1"), actual []',
        "    google_monitoring_alert_policy.empty: notification_channels: expected none of the "
        '"name" values of resources of type "google_monitoring_notification_channel" '
        f'(1 value(s): "{CHANNEL}1"), actual []',
        "    google_monitoring_alert_policy.empty: notification_channels: expected none of the "
        '"name" values of resources of type "google_monitoring_notification_chanel", but that '
        "selection has no values after apply (check the type and attribute names), actual []",
        '  cannot read this step: cannot read \'are among the "name" values of resource of type '
        '"x"\'; write are among the "ATTRIBUTE" values of resources of type "T"*',
    )


def test_any_of_their_reads_the_elements_of_a_list(project: Project) -> None:
    project.plan(
        "prod",
        PlanBuilder()
        .resource("google_storage_bucket.mixed", action="create", after={"tags": ["ok", "bad"]})
        .resource("google_storage_bucket.bad", action="create", after={"tags": ["bad"]}),
    )
    project.feature(
        """
        Feature: Lists
          Scenario: Some element
            Given resources matching address "*.mixed"
            Then any of their "tags" is "bad"

          Scenario: Some element that is not bad
            Given resources of type "google_storage_bucket"
            Then any of their "tags" does not match "bad"

          Scenario: A change is judged whole
            Given resources of type "google_storage_bucket"
            Then any of their "tags" changes
        """
    )
    result = project.run()
    result.assert_outcomes(passed=1, failed=2)
    expect(
        result,
        '    google_storage_bucket.bad: tags: expected a value not matching "bad" (for at least '
        'one value), actual tags[0] = "bad"',
        "  cannot read this step: 'changes' judges a whole change; drop 'any of'",
    )
    assert "google_storage_bucket.mixed:" not in result.stdout.str()


def test_refers_to_sees_map_expressions_count_for_each_and_depends_on(project: Project) -> None:
    document = (
        PlanBuilder()
        .resource(
            "google_secret_manager_secret.s",
            action="create",
            after={"labels": {"owner": "x"}},
            config={"labels": refs("var.secret_owner")},
        )
        .build()
    )
    (block,) = document["configuration"]["root_module"]["resources"]
    block["count_expression"] = refs("var.enabled")
    block["depends_on"] = ["google_pubsub_topic.t"]
    write_raw(project, "prod", document)
    project.feature(
        """
        Feature: References
          Scenario: Inside a map written as one expression, and the meta-arguments
            Given resources of type "google_secret_manager_secret"
            Then its "labels.owner" refers to "var.secret_owner"
            And they refer to "var.enabled"
            And they refer to "google_pubsub_topic.t"

          Scenario: Negated inside the map
            Given resources of type "google_secret_manager_secret"
            Then its "labels.owner" does not refer to "var.secret_owner"
        """
    )
    result = project.run()
    result.assert_outcomes(passed=1, failed=1)
    expect(
        result,
        '    google_secret_manager_secret.s: "labels.owner": expected no reference to '
        "var.secret_owner, actual references var.secret_owner",
    )


def test_legacy_provider_names_with_an_alias_are_their_provider(project: Project) -> None:
    document = (
        PlanBuilder()
        .resource("google_storage_bucket.us", action="create", after={"location": "US"})
        .resource("google_storage_bucket.beta", action="create", after={"location": "US"})
        .build()
    )
    document["resource_changes"][0]["provider_name"] = "google.eu"
    document["resource_changes"][1]["provider_name"] = "google-beta.eu"
    write_raw(project, "prod", document)
    project.feature(
        """
        Feature: Terraform 0.12 provider names
          Scenario: The aliased resource is a google resource
            Given resources from provider "google"
            Then their "location" is "EU"
        """
    )
    result = project.run()
    result.assert_outcomes(failed=1)
    expect(
        result,
        '  1 of 1 selected resource(s) fail (selection: resources from provider "google" '
        "(1 selected)):",
        '    google_storage_bucket.us: location: expected "EU", actual "US"',
    )
