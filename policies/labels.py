"""Labels: every labelable resource says which project and environment it belongs to, and who manages it.

What this module protects, for an auditor:

* Every resource of a labelable type carries each label named in the `required_labels`
  setting (default project, environment, managed_by) with a non-empty value (PG-LBL-001).
  Labels are how billing reports, budget filters and Cloud Asset Inventory queries attribute
  a resource to the CT-scan stack and its environment, and how a reader tells a
  Terraform-managed resource from one made by hand.

How labels are read. Since provider 5, `labels` holds only the labels written on the resource,
and `terraform_labels` adds the provider's `default_labels`; the policy reads
`terraform_labels` when the plan has it (a label set once in the provider block counts),
else `labels`. If `terraform_labels` is unknown at plan time, a label already present in
`labels` still counts (labels are a subset of terraform_labels); any other required label is
reported as known after apply. Alert policies and notification channels keep user labels in
`user_labels` (their `labels` are channel settings), which provider default labels do not reach.

Labelable types judged (those of the stack): google_storage_bucket,
google_artifact_registry_repository, google_cloud_run_v2_service, google_secret_manager_secret,
google_pubsub_topic (labels); google_monitoring_alert_policy,
google_monitoring_notification_channel (user_labels). Not judged, because they take no labels:
google_firestore_database (provider 6 offers only resource-manager `tags`, which are
immutable IAM-bearing tag bindings, not labels), google_firestore_index/field,
google_service_account, google_iam_workload_identity_pool(_provider), google_billing_budget
(its budget_filter.labels filter costs, they do not label the budget) and every IAM resource.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from plangate.plan import ABSENT, UNKNOWN
from plangate.plan.values import Marker, format_path
from plangate.policy import (
    PolicyContext,
    Resource,
    Severity,
    View,
    Violation,
    policy,
    setting,
    violation,
)

REQUIRED_LABELS = setting(
    "required_labels",
    ["project", "environment", "managed_by"],
    """Label keys every labelable resource must carry with a non-empty value (PG-LBL-001).""",
)

# Types whose user labels live in `labels` (+ `terraform_labels` since provider 5).
STANDARD_LABELS = (
    "google_storage_bucket",
    "google_artifact_registry_repository",
    "google_cloud_run_v2_service",
    "google_secret_manager_secret",
    "google_pubsub_topic",
)
# Types whose user labels live in `user_labels`.
USER_LABELS = (
    "google_monitoring_alert_policy",
    "google_monitoring_notification_channel",
)
LABELABLE_TYPES = STANDARD_LABELS + USER_LABELS


def _required(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list | tuple) or not all(
        isinstance(key, str) and key for key in value
    ):
        raise TypeError(f"setting {REQUIRED_LABELS} must be a list of label keys, got {value!r}")
    return tuple(value)


def _sources(resource: Resource) -> list[tuple[str, Any]]:
    """(attribute, labels) to consult, most complete first."""
    if resource.type in USER_LABELS:
        return [("user_labels", resource.get("user_labels"))]
    merged = resource.get("terraform_labels")
    if merged is ABSENT:
        return [("labels", resource.get("labels"))]
    return [("terraform_labels", merged), ("labels", resource.get("labels"))]


@policy(
    id="PG-LBL-001",
    title="Labelable resources carry the required labels",
    severity=Severity.LOW,
    requirements=("REQ-035",),
    rationale="""The stack spans three environments (dev, staging, prod) in Google Cloud, each
    watched by its budget with early-warning thresholds; cost reports and inventory queries
    can only be split by environment and project when every resource carries those labels,
    and managed_by = terraform tells the team which resources Terraform manages and which
    were made by hand. The first change rehearsed after the import adds and removes a label
    (REQ-035: "Test safe change (add/remove label)"), so labels are part of the stack's
    contract. checkov has no label check for this stack's types.""",
    resource_types=LABELABLE_TYPES,
    view=View.AFTER,
    judges_inventory=True,
    references=(
        "https://cloud.google.com/resource-manager/docs/creating-managing-labels",
        "https://github.com/hashicorp/terraform-provider-google/blob/main/website/docs/guides/provider_reference.html.markdown#default_labels",
    ),
)
def required_labels(resource: Resource, ctx: PolicyContext) -> Iterator[Violation]:
    required = _required(ctx.setting(REQUIRED_LABELS))
    sources = _sources(resource)
    primary_path, primary = sources[0]
    if primary is None or primary is ABSENT:
        primary = {}
    for key in required:
        path = format_path((primary_path, key))
        expected = f'a non-empty "{key}" label'
        if isinstance(primary, Mapping):
            value = primary.get(key, ABSENT)
        elif primary is UNKNOWN:
            # terraform_labels unknown: labels written on the resource still count.
            fallback = sources[1][1] if len(sources) > 1 else ABSENT
            found = fallback.get(key, ABSENT) if isinstance(fallback, Mapping) else ABSENT
            value = found if isinstance(found, str) and found else UNKNOWN
        else:
            value = primary
        if isinstance(value, Marker) or not isinstance(value, str) or not value.strip():
            why = "the labels are known only after apply" if value is UNKNOWN else ""
            yield violation(path, expected, value, why)
