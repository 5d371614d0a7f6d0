"""policies/labels.py: required labels on every labelable resource."""

from __future__ import annotations

from typing import Any

import pytest

from plangate.plan import ABSENT as PLAN_ABSENT
from plangate.plan import UNKNOWN as PLAN_UNKNOWN
from plangate.policy import Status
from tests.fixtures.builder import UNKNOWN, PlanBuilder
from tests.policies.helpers import failed, plan, says
from tests.support import judge

BUCKET = "module.storage.google_storage_bucket.models"
ALERT = "module.monitoring.google_monitoring_alert_policy.api_error_rate"
CHANNEL = "module.monitoring.google_monitoring_notification_channel.email"
LABELS = {"project": "ct-scan-mlops", "environment": "prod", "managed_by": "terraform"}


def _bucket(labels: Any, terraform_labels: Any = None) -> dict[str, Any]:
    after: dict[str, Any] = {"name": "acme-prod-models", "location": "EU", "labels": labels}
    if terraform_labels is not None:
        after["terraform_labels"] = terraform_labels
        after["effective_labels"] = terraform_labels
    return after


def test_all_required_labels_pass() -> None:
    labels = {**LABELS, "component": "models"}
    assert judge("PG-LBL-001", plan(BUCKET, _bucket(labels, labels))).status is Status.PASS


def test_provider_default_labels_count() -> None:
    written = {"component": "models"}
    merged = {**LABELS, **written}  # project/environment/managed_by come from default_labels
    assert judge("PG-LBL-001", plan(BUCKET, _bucket(written, merged))).status is Status.PASS


def test_each_missing_label_is_named() -> None:
    labels = {"project": "ct-scan-mlops", "component": "models"}
    findings = failed(judge("PG-LBL-001", plan(BUCKET, _bucket(labels, labels))), 2)
    assert [f.attribute for f in findings] == [
        "terraform_labels.environment",
        "terraform_labels.managed_by",
    ]
    assert all(f.actual is PLAN_ABSENT for f in findings)
    says(
        findings[0],
        BUCKET,
        'terraform_labels.environment: expected a non-empty "environment" label',
        "got (absent)",
    )
    says(findings[1], BUCKET, 'expected a non-empty "managed_by" label')


def test_plan_without_terraform_labels_reads_labels() -> None:
    findings = failed(
        judge("PG-LBL-001", plan(BUCKET, _bucket({"project": "p", "environment": "prod"}))), 1
    )
    says(findings[0], BUCKET, "labels.managed_by:", "got (absent)")


def test_empty_label_value_fails() -> None:
    labels = {**LABELS, "environment": ""}
    (finding,) = failed(judge("PG-LBL-001", plan(BUCKET, _bucket(labels, labels))), 1)
    says(
        finding, 'terraform_labels.environment: expected a non-empty "environment" label', 'got ""'
    )


def test_no_labels_at_all_names_every_key() -> None:
    findings = failed(judge("PG-LBL-001", plan(BUCKET, _bucket(None))), 3)
    assert [f.attribute for f in findings] == [
        "labels.project",
        "labels.environment",
        "labels.managed_by",
    ]


def test_unknown_terraform_labels_fall_back_on_written_labels() -> None:
    assert judge("PG-LBL-001", plan(BUCKET, _bucket(LABELS, UNKNOWN))).status is Status.PASS
    written = {"project": "ct-scan-mlops"}
    findings = failed(judge("PG-LBL-001", plan(BUCKET, _bucket(written, UNKNOWN))), 2)
    for finding, key in zip(findings, ("environment", "managed_by"), strict=True):
        assert finding.actual is PLAN_UNKNOWN
        assert finding.attribute == f"terraform_labels.{key}"
        says(finding, BUCKET, f"terraform_labels.{key}", "known after apply")


def test_unknown_labels_fail() -> None:
    findings = failed(judge("PG-LBL-001", plan(BUCKET, _bucket(UNKNOWN))), 3)
    assert all(f.actual is PLAN_UNKNOWN for f in findings)
    says(findings[0], BUCKET, "labels.project:", "known after apply")


def test_unknown_label_value_fails() -> None:
    labels = {**LABELS, "environment": UNKNOWN}
    (finding,) = failed(judge("PG-LBL-001", plan(BUCKET, _bucket(labels, labels))), 1)
    assert finding.actual is PLAN_UNKNOWN
    says(finding, "terraform_labels.environment:", "known after apply")


def test_alert_policies_read_user_labels() -> None:
    after = {"display_name": "[P0] x", "user_labels": {**LABELS, "severity": "p0"}, "enabled": True}
    assert judge("PG-LBL-001", plan(ALERT, after)).status is Status.PASS
    after["user_labels"] = {"severity": "p0"}
    findings = failed(judge("PG-LBL-001", plan(ALERT, after)), 3)
    says(findings[0], ALERT, "user_labels.project:")


def test_notification_channel_settings_are_not_labels() -> None:
    after = {
        "type": "email",
        "labels": {"email_address": "oncall@acme.example"},
        "user_labels": {"project": "x"},
    }
    findings = failed(judge("PG-LBL-001", plan(CHANNEL, after)), 2)
    assert [f.attribute for f in findings] == ["user_labels.environment", "user_labels.managed_by"]


@pytest.mark.parametrize(
    "address",
    [
        "google_artifact_registry_repository.docker",
        "google_cloud_run_v2_service.api",
        "google_secret_manager_secret.wandb_api_key",
        "google_pubsub_topic.budget_alerts",
    ],
)
def test_every_labelable_type_is_judged(address: str) -> None:
    findings = failed(judge("PG-LBL-001", plan(address, {"labels": {}, "terraform_labels": {}})), 3)
    assert findings[0].address == address


def test_types_without_labels_are_not_judged() -> None:
    doc = (
        PlanBuilder()
        .resource("google_firestore_database.main", action="create", after={"name": "(default)"})
        .resource("google_service_account.api_runtime", action="create", after={"account_id": "a"})
        .build()
    )
    assert judge("PG-LBL-001", doc).status is Status.NOT_APPLICABLE


def test_required_labels_setting_is_honoured() -> None:
    settings = {"required_labels": ["cost_center"]}
    (finding,) = failed(
        judge("PG-LBL-001", plan(BUCKET, _bucket(LABELS, LABELS)), settings=settings), 1
    )
    says(finding, "terraform_labels.cost_center")


def test_deleted_resources_are_not_judged() -> None:
    doc = PlanBuilder().resource(BUCKET, action="delete", before=_bucket({})).build()
    assert judge("PG-LBL-001", doc).status is Status.NOT_APPLICABLE
