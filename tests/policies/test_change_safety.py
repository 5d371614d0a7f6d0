"""policies/change_safety.py: zero-change mode, stateful deletes, forgets, Cloud Run, plan status."""

from __future__ import annotations

from typing import Any

import pytest

from plangate.policy import Status
from tests.fixtures.builder import UNKNOWN, PlanBuilder
from tests.policies.helpers import one_finding
from tests.support import judge

BUCKET = {"name": "acme-prod-tfstate", "location": "EU", "force_destroy": False}
NO_CHANGES = {"expect_no_changes": True}


def _addresses(result: Any) -> list[str]:
    return [finding.address for finding in result.findings]


def _deferred(address: str, reason: str = "resource_config_unknown") -> dict[str, Any]:
    resource_type, name = address.split(".")
    return {
        "reason": reason,
        "resource_change": {
            "address": address,
            "mode": "managed",
            "type": resource_type,
            "name": name,
            "provider_name": "google",
            "change": {"actions": ["create"], "before": None, "after": {}, "after_unknown": {}},
        },
    }


# --------------------------------------------------------------------------- PG-CHG-001


def test_zero_change_mode_off_is_not_applicable() -> None:
    doc = (
        PlanBuilder()
        .resource("google_storage_bucket.tfstate", action="create", after=BUCKET)
        .build()
    )
    assert judge("PG-CHG-001", doc).status is Status.NOT_APPLICABLE


def test_zero_change_mode_passes_a_plan_of_no_ops_and_data_reads() -> None:
    doc = (
        PlanBuilder()
        .resource("google_storage_bucket.tfstate", action="no-op", after=BUCKET)
        .resource("data.google_project.this", action="read", after={"number": UNKNOWN})
        .output("bucket", action="no-op", after="acme-prod-tfstate")
        .build()
    )
    assert judge("PG-CHG-001", doc, settings=NO_CHANGES).status is Status.PASS


def test_zero_change_mode_names_the_changed_attribute_paths_of_an_update() -> None:
    after = {**BUCKET, "labels": {"env": "prod", "team": "ml"}, "self_link": UNKNOWN}
    doc = (
        PlanBuilder()
        .resource(
            "module.storage.google_storage_bucket.tfstate",
            action="update",
            before={**BUCKET, "labels": {"env": "dev", "team": "ml"}, "self_link": "x"},
            after=after,
        )
        .build()
    )
    finding = one_finding(judge("PG-CHG-001", doc, settings=NO_CHANGES))
    assert finding.address == "module.storage.google_storage_bucket.tfstate"
    assert finding.attribute == "actions"
    assert finding.actual == ("update",)
    assert finding.message == (
        'actions: expected no change (zero-change mode), got ["update"] '
        "(update in place of labels.env, self_link)"
    )


@pytest.mark.parametrize(
    ("action", "extra", "attribute", "needle"),
    [
        ("create", {}, "actions", 'got ["create"] (create)'),
        ("delete", {}, "actions", 'got ["delete"] (delete)'),
        ("forget", {}, "actions", "forget (removed from state"),
        (
            "replace",
            {"replace_paths": [["location"]]},
            "actions",
            "replace (destroy then create), forced by location",
        ),
        ("create-before-destroy", {}, "actions", "replace (create then destroy)"),
        ("create-then-forget", {}, "actions", "forget the existing object and create a new one"),
        (
            "no-op",
            {"importing": "acme-prod-tfstate"},
            "importing",
            'got "acme-prod-tfstate" (import of id "acme-prod-tfstate")',
        ),
        (
            "no-op",
            {"previous_address": "google_storage_bucket.state"},
            "previous_address",
            "moved from google_storage_bucket.state",
        ),
        (["delete", "update"], {}, "actions", "unrecognised actions [delete, update]"),
    ],
)
def test_zero_change_mode_fails_every_kind_of_change(
    action: Any, extra: dict[str, Any], attribute: str, needle: str
) -> None:
    before = None if action == "create" else BUCKET
    after = None if action in ("delete", "forget") else {**BUCKET, "location": "US"}
    doc = (
        PlanBuilder()
        .resource(
            "google_storage_bucket.tfstate", action=action, before=before, after=after, **extra
        )
        .build()
    )
    finding = one_finding(judge("PG-CHG-001", doc, settings=NO_CHANGES))
    assert finding.address == "google_storage_bucket.tfstate"
    assert finding.attribute == attribute
    assert finding.message.startswith(f"{attribute}: expected no change (zero-change mode), got ")
    assert needle in finding.message


def test_zero_change_mode_names_the_reason_terraform_gives() -> None:
    doc = (
        PlanBuilder()
        .resource(
            "google_storage_bucket.dvc",
            action="delete",
            before=BUCKET,
            action_reason="delete_because_no_resource_config",
        )
        .build()
    )
    finding = one_finding(judge("PG-CHG-001", doc, settings=NO_CHANGES))
    assert "delete; because its block is no longer in the configuration" in finding.message


def test_zero_change_mode_fails_outputs_drift_and_deferred_changes_each_by_address() -> None:
    doc = (
        PlanBuilder()
        .resource("google_storage_bucket.tfstate", action="no-op", after=BUCKET)
        .output("bucket_url", action="create", after=UNKNOWN)
        .output("unchanged", action="no-op", after="x")
        .drift(
            "google_storage_bucket.models",
            before={**BUCKET, "labels": {"env": "prod"}},
            after={**BUCKET, "labels": {"env": "hand-edited"}},
        )
        .extra(deferred_changes=[_deferred("google_pubsub_topic.alerts")])
        .build()
    )
    result = judge("PG-CHG-001", doc, settings=NO_CHANGES)
    assert result.status is Status.FAIL
    assert _addresses(result) == [
        "output.bucket_url",
        "google_storage_bucket.models",
        "google_pubsub_topic.alerts",
    ]
    output, drift, deferred = result.findings
    assert output.message == (
        'output_changes: expected no change (zero-change mode), got ["create"] (output bucket_url: create)'
    )
    assert drift.attribute == "resource_drift"
    assert "changed outside Terraform: update in place of labels.env" in drift.message
    assert deferred.attribute == "deferred_changes"
    assert deferred.actual == "resource_config_unknown"
    assert "postponed this change (create)" in deferred.message


def test_zero_change_mode_lists_at_most_eight_paths() -> None:
    before = {f"a{i}": 0 for i in range(10)}
    after = {f"a{i}": 1 for i in range(10)}
    doc = (
        PlanBuilder()
        .resource("google_pubsub_topic.t", action="update", before=before, after=after)
        .build()
    )
    finding = one_finding(judge("PG-CHG-001", doc, settings=NO_CHANGES))
    assert "a0, a1, a2, a3, a4, a5, a6, a7 and 2 more" in finding.message


# --------------------------------------------------------------------------- PG-CHG-002


def test_stateful_update_in_place_passes() -> None:
    doc = (
        PlanBuilder()
        .resource(
            "google_storage_bucket.tfstate",
            action="update",
            before={**BUCKET, "labels": {}},
            after={**BUCKET, "labels": {"a": "b"}},
        )
        .resource("google_firestore_database.main", action="create", after={"name": "(default)"})
        .build()
    )
    assert judge("PG-CHG-002", doc).status is Status.PASS


def test_pure_delete_of_a_bucket_fails() -> None:
    doc = (
        PlanBuilder()
        .resource("module.storage.google_storage_bucket.dvc", action="delete", before=BUCKET)
        .build()
    )
    finding = one_finding(judge("PG-CHG-002", doc))
    assert finding.address == "module.storage.google_storage_bucket.dvc"
    assert finding.attribute == "actions"
    assert finding.actual == ("delete",)
    assert finding.message == (
        'actions: expected no delete or replace, got ["delete"] '
        "(delete; the bucket and every object in it are destroyed)"
    )


def test_replacement_names_the_paths_that_force_it() -> None:
    doc = (
        PlanBuilder()
        .resource(
            "google_storage_bucket.models",
            action="replace",
            before=BUCKET,
            after={**BUCKET, "location": "US"},
            replace_paths=[["location"]],
            action_reason="replace_because_cannot_update",
        )
        .build()
    )
    finding = one_finding(judge("PG-CHG-002", doc))
    assert finding.actual == ("delete", "create")
    assert "replace (destroy then create), forced by location" in finding.message
    assert "because a changed argument cannot be updated in place" in finding.message


@pytest.mark.parametrize(
    ("address", "loss"),
    [
        ("google_firestore_database.main", "every document in it are destroyed"),
        ("google_secret_manager_secret.wandb_api_key", "every version of its value are destroyed"),
        ("google_artifact_registry_repository.docker", "including those kept for rollback"),
    ],
)
def test_every_default_stateful_type_is_protected(address: str, loss: str) -> None:
    doc = PlanBuilder().resource(address, action="delete", before={"name": "x"}).build()
    finding = one_finding(judge("PG-CHG-002", doc))
    assert finding.address == address
    assert loss in finding.message


def test_abandoned_firestore_database_is_still_flagged_with_what_happens() -> None:
    doc = (
        PlanBuilder()
        .resource(
            "google_firestore_database.main",
            action="replace",
            before={"name": "(default)", "deletion_policy": "ABANDON"},
            after={"name": "(default)", "deletion_policy": "ABANDON", "location_id": "eur3"},
        )
        .build()
    )
    finding = one_finding(judge("PG-CHG-002", doc))
    assert "deletion_policy ABANDON leaves the database in place" in finding.message


def test_delete_of_a_deposed_bucket_fails() -> None:
    doc = (
        PlanBuilder()
        .resource("google_storage_bucket.models", action="no-op", after=BUCKET)
        .resource(
            "google_storage_bucket.models", action="delete", before=BUCKET, deposed="00000001"
        )
        .build()
    )
    finding = one_finding(judge("PG-CHG-002", doc))
    assert "delete of deposed object 00000001" in finding.message


def test_stateless_types_may_be_deleted() -> None:
    doc = (
        PlanBuilder()
        .resource("google_pubsub_topic.budget_alerts", action="delete", before={"name": "t"})
        .build()
    )
    assert judge("PG-CHG-002", doc).status is Status.PASS


def test_stateful_types_come_from_the_setting() -> None:
    doc = (
        PlanBuilder()
        .resource("google_pubsub_topic.budget_alerts", action="delete", before={"name": "t"})
        .resource("google_storage_bucket.dvc", action="delete", before=BUCKET)
        .build()
    )
    result = judge("PG-CHG-002", doc, settings={"stateful_types": ["google_pubsub_topic"]})
    assert _addresses(result) == ["google_pubsub_topic.budget_alerts"]


def test_a_malformed_stateful_types_setting_is_an_error() -> None:
    doc = (
        PlanBuilder().resource("google_storage_bucket.dvc", action="delete", before=BUCKET).build()
    )
    result = judge("PG-CHG-002", doc, settings={"stateful_types": "google_storage_bucket"})
    assert result.status is Status.ERROR


# --------------------------------------------------------------------------- PG-CHG-003


def test_forgetting_a_stateful_resource_fails() -> None:
    doc = (
        PlanBuilder()
        .resource("google_storage_bucket.models", action="forget", before=BUCKET)
        .resource(
            "google_secret_manager_secret.hook",
            action="forget-then-create",
            before={"a": 1},
            after={"a": 1},
        )
        .resource("google_pubsub_topic.budget_alerts", action="forget", before={"name": "t"})
        .build()
    )
    result = judge("PG-CHG-003", doc)
    assert result.status is Status.FAIL
    assert _addresses(result) == [
        "google_storage_bucket.models",
        "google_secret_manager_secret.hook",
    ]
    bucket, secret = result.findings
    assert bucket.message == (
        'actions: expected the object stays in Terraform state, got ["forget"] '
        "(forget (removed from state; the object is left unmanaged))"
    )
    assert secret.actual == ("forget", "create")


def test_deleting_is_not_forgetting() -> None:
    doc = (
        PlanBuilder()
        .resource("google_storage_bucket.models", action="delete", before=BUCKET)
        .build()
    )
    assert judge("PG-CHG-003", doc).status is Status.PASS


# --------------------------------------------------------------------------- PG-CHG-004

SERVICE = {
    "name": "ct-scan-api",
    "location": "europe-west1",
    "template": [{"containers": [{"image": "a"}]}],
}


def test_cloud_run_update_in_place_passes() -> None:
    after = {**SERVICE, "template": [{"containers": [{"image": "b"}]}]}
    doc = (
        PlanBuilder()
        .resource("google_cloud_run_v2_service.api", action="update", before=SERVICE, after=after)
        .build()
    )
    assert judge("PG-CHG-004", doc).status is Status.PASS


def test_cloud_run_replacement_fails() -> None:
    doc = (
        PlanBuilder()
        .resource(
            "module.cloud_run.google_cloud_run_v2_service.api",
            action="replace",
            before=SERVICE,
            after={**SERVICE, "location": "europe-west4"},
            replace_paths=[["location"]],
        )
        .build()
    )
    finding = one_finding(judge("PG-CHG-004", doc))
    assert finding.address == "module.cloud_run.google_cloud_run_v2_service.api"
    assert finding.message == (
        'actions: expected update in place or no change, got ["delete", "create"] '
        "(replace (destroy then create), forced by location; the service is down until a new one serves)"
    )


def test_cloud_run_delete_fails_and_v1_services_count_too() -> None:
    doc = (
        PlanBuilder()
        .resource("google_cloud_run_service.api", action="delete", before=SERVICE)
        .build()
    )
    assert one_finding(judge("PG-CHG-004", doc)).actual == ("delete",)


def test_cloud_run_deposed_cleanup_is_not_applicable() -> None:
    doc = (
        PlanBuilder()
        .resource(
            "google_cloud_run_v2_service.api", action="delete", before=SERVICE, deposed="0001"
        )
        .build()
    )
    assert judge("PG-CHG-004", doc).status is Status.NOT_APPLICABLE


# --------------------------------------------------------------------------- PG-CHG-005


def test_errored_plan_fails() -> None:
    doc = (
        PlanBuilder(errored=True)
        .resource("google_storage_bucket.dvc", action="no-op", after=BUCKET)
        .build()
    )
    finding = one_finding(judge("PG-CHG-005", doc))
    assert finding.address == "(plan)"
    assert finding.attribute == "errored"
    assert finding.actual is True
    assert finding.message.startswith(
        "errored: expected false, got true (Terraform reported errors"
    )


def test_plan_without_errors_passes() -> None:
    doc = PlanBuilder().resource("google_storage_bucket.dvc", action="no-op", after=BUCKET).build()
    assert judge("PG-CHG-005", doc).status is Status.PASS


def test_plan_from_before_terraform_1_6_is_not_applicable_for_errors() -> None:
    doc = (
        PlanBuilder("1.5.7")
        .resource("google_storage_bucket.dvc", action="no-op", after=BUCKET)
        .build()
    )
    assert "errored" not in doc
    assert judge("PG-CHG-005", doc).status is Status.NOT_APPLICABLE


# --------------------------------------------------------------------------- PG-CHG-006


def test_complete_plan_passes() -> None:
    doc = PlanBuilder().resource("google_storage_bucket.dvc", action="no-op", after=BUCKET).build()
    assert judge("PG-CHG-006", doc).status is Status.PASS


def test_targeted_plan_fails() -> None:
    doc = (
        PlanBuilder(complete=False)
        .resource("google_storage_bucket.dvc", action="create", after=BUCKET)
        .build()
    )
    finding = one_finding(judge("PG-CHG-006", doc))
    assert finding.address == "(plan)"
    assert finding.attribute == "complete"
    assert finding.message.startswith("complete: expected true, got false (planned with -target")


def test_each_deferred_change_is_named() -> None:
    doc = (
        PlanBuilder(complete=False)
        .extra(
            deferred_changes=[
                _deferred("google_pubsub_topic.a"),
                _deferred("google_pubsub_topic.b", "deferred_prereq"),
            ]
        )
        .build()
    )
    result = judge("PG-CHG-006", doc)
    assert _addresses(result) == ["(plan)", "google_pubsub_topic.a", "google_pubsub_topic.b"]
    assert result.findings[2].message == (
        'deferred_changes: expected no deferred change, got "deferred_prereq" '
        "(Terraform postponed create to a later plan)"
    )


def test_deferred_changes_fail_even_where_complete_is_not_written() -> None:
    doc = (
        PlanBuilder(opentofu=True)
        .extra(deferred_changes=[_deferred("google_pubsub_topic.a")])
        .build()
    )
    assert "complete" not in doc
    assert _addresses(judge("PG-CHG-006", doc)) == ["google_pubsub_topic.a"]


@pytest.mark.parametrize("builder", [PlanBuilder("1.7.5"), PlanBuilder(opentofu=True)])
def test_plans_that_do_not_say_whether_they_are_complete_are_not_applicable(
    builder: PlanBuilder,
) -> None:
    doc = builder.resource("google_storage_bucket.dvc", action="no-op", after=BUCKET).build()
    assert judge("PG-CHG-006", doc).status is Status.NOT_APPLICABLE
