"""policies/secrets.py: no secret versions or payload reads in Terraform, replication, safe removal."""

from __future__ import annotations

from typing import Any

import pytest

from plangate.plan import SENSITIVE
from plangate.policy import Status
from tests.fixtures.builder import UNKNOWN, PlanBuilder, Secret
from tests.support import judge

PLAINTEXT = "wandb-key-hunter2"
VERSION = "module.secrets.google_secret_manager_secret_version.wandb"
SECRET = "module.secrets.google_secret_manager_secret.wandb_api_key"
EXPECTED_NO_VERSION = "no secret version managed by Terraform"


def _version(action: str = "create", address: str = VERSION, **values: Any) -> dict[str, Any]:
    after = {"secret": "projects/p/secrets/wandb", "secret_data": Secret(PLAINTEXT), **values}
    before = None if action == "create" else {**after, "secret_data": Secret(PLAINTEXT)}
    if action in ("delete", "forget"):
        return PlanBuilder().resource(address, action=action, before=before).build()
    return PlanBuilder().resource(address, action=action, before=before, after=after).build()


def _only(result: Any, address: str) -> Any:
    assert result.status is Status.FAIL, result
    (finding,) = result.findings
    assert finding.address == address
    assert PLAINTEXT not in finding.message
    return finding


# --------------------------------------------------------------------------- PG-SEC-001


def test_plan_without_secret_versions_is_not_applicable() -> None:
    doc = PlanBuilder().resource(SECRET, action="create", after={"secret_id": "wandb"}).build()
    assert judge("PG-SEC-001", doc).status is Status.NOT_APPLICABLE


@pytest.mark.parametrize("action", ["create", "no-op", "update", "replace"])
def test_managed_secret_version_fails(action: str) -> None:
    finding = _only(judge("PG-SEC-001", _version(action)), VERSION)
    assert finding.attribute == "secret_data"
    assert finding.expected == EXPECTED_NO_VERSION
    assert finding.actual is SENSITIVE
    assert finding.message.startswith(
        f"secret_data: expected {EXPECTED_NO_VERSION}, got (sensitive) ({action}: "
    )
    assert "payload is written to the state in plain text" in finding.message


def test_imported_secret_version_fails() -> None:
    after = {"secret": "projects/p/secrets/wandb", "secret_data": Secret(PLAINTEXT)}
    doc = (
        PlanBuilder()
        .resource(
            VERSION, action="no-op", after=after, importing="projects/p/secrets/wandb/versions/1"
        )
        .build()
    )
    assert "(import: its payload" in _only(judge("PG-SEC-001", doc), VERSION).message


def test_regional_secret_versions_count_too() -> None:
    address = "google_secret_manager_regional_secret_version.hook"
    assert _only(judge("PG-SEC-001", _version(address=address)), address).actual is SENSITIVE


def test_payload_known_only_after_apply_still_fails() -> None:
    finding = _only(judge("PG-SEC-001", _version(secret_data=UNKNOWN)), VERSION)
    assert finding.actual is UNKNOWN
    assert "got (known after apply)" in finding.message


def test_write_only_payload_is_named() -> None:
    finding = _only(
        judge("PG-SEC-001", _version(secret_data=None, secret_data_wo_version=1)), VERSION
    )
    assert "write-only secret_data_wo" in finding.message


@pytest.mark.parametrize("action", ["delete", "forget"])
def test_a_version_leaving_terraform_is_not_applicable(action: str) -> None:
    assert judge("PG-SEC-001", _version(action)).status is Status.NOT_APPLICABLE


# --------------------------------------------------------------------------- PG-SEC-002

DATA = "module.api.data.google_secret_manager_secret_version.wandb"


def test_plan_without_payload_data_sources_passes() -> None:
    doc = (
        PlanBuilder()
        .resource(
            "data.google_secret_manager_secret.meta", action="read", after={"secret_id": "wandb"}
        )
        .resource(SECRET, action="no-op", after={"secret_id": "wandb"})
        .build()
    )
    assert judge("PG-SEC-002", doc).status is Status.PASS


@pytest.mark.parametrize("section", ["prior_state", "planned_values"])
def test_payload_read_during_plan_is_found_in_state_sections(section: str) -> None:
    doc = (
        PlanBuilder()
        .resource(DATA, action="no-op", after={"secret_data": Secret(PLAINTEXT)})
        .build()
    )
    doc["resource_changes"] = []  # as Terraform writes it: the read happened during planning
    other = "planned_values" if section == "prior_state" else "prior_state"
    doc[other] = {"values": {"root_module": {}}} if other == "prior_state" else {"root_module": {}}
    finding = _only(judge("PG-SEC-002", doc), DATA)
    assert finding.attribute == "secret_data"
    assert finding.actual is SENSITIVE
    assert finding.message.startswith(
        "secret_data: expected no secret payload read into the plan or state, got (sensitive) "
        "(data source google_secret_manager_secret_version stores the value"
    )


def test_payload_read_deferred_to_apply_fails_once_per_address() -> None:
    doc = PlanBuilder().resource(DATA, action="read", after={"secret_data": UNKNOWN}).build()
    finding = _only(judge("PG-SEC-002", doc), DATA)
    assert finding.actual is UNKNOWN
    assert "got (known after apply)" in finding.message


def test_access_data_source_counts_too() -> None:
    address = "data.google_secret_manager_secret_version_access.hook"
    doc = (
        PlanBuilder()
        .resource(address, action="no-op", after={"secret_data": Secret(PLAINTEXT)})
        .build()
    )
    assert _only(judge("PG-SEC-002", doc), address).actual is SENSITIVE


# --------------------------------------------------------------------------- PG-SEC-003


def _secret(replication: Any) -> dict[str, Any]:
    return (
        PlanBuilder()
        .resource(SECRET, action="create", after={"secret_id": "wandb", "replication": replication})
        .build()
    )


@pytest.mark.parametrize(
    "replication",
    [
        [{"auto": [{"customer_managed_encryption": []}], "user_managed": []}],
        [{"auto": [], "user_managed": [{"replicas": [{"location": "europe-west1"}]}]}],
    ],
)
def test_declared_replication_passes(replication: Any) -> None:
    assert judge("PG-SEC-003", _secret(replication)).status is Status.PASS


@pytest.mark.parametrize(
    "replication",
    [[], [{"auto": [], "user_managed": []}], [{"auto": [], "user_managed": [{"replicas": []}]}]],
)
def test_missing_replication_fails(replication: Any) -> None:
    finding = _only(judge("PG-SEC-003", _secret(replication)), SECRET)
    assert finding.attribute == "replication"
    assert finding.message.startswith(
        "replication: expected replication.auto, or replication.user_managed with at least one replica, got ["
    )


@pytest.mark.parametrize(
    "replication", [UNKNOWN, [UNKNOWN], [{"auto": UNKNOWN, "user_managed": []}]]
)
def test_replication_known_only_after_apply_fails(replication: Any) -> None:
    finding = _only(judge("PG-SEC-003", _secret(replication)), SECRET)
    assert finding.actual is UNKNOWN
    assert "got (known after apply)" in finding.message


# --------------------------------------------------------------------------- PG-SEC-004


@pytest.mark.parametrize(
    ("policy_value", "shown", "verb"),
    [("DELETE", '"DELETE"', "destroys"), ("DISABLE", '"DISABLE"', "disables")],
)
def test_deleting_a_version_that_destroys_the_value_fails(
    policy_value: str, shown: str, verb: str
) -> None:
    finding = _only(judge("PG-SEC-004", _version("delete", deletion_policy=policy_value)), VERSION)
    assert finding.attribute == "deletion_policy"
    assert finding.message == (
        f'deletion_policy: expected "ABANDON" (or a removed block with destroy = false), got {shown} '
        f"(the delete {verb} the live value in Secret Manager)"
    )


def test_deleting_a_version_with_the_default_policy_fails() -> None:
    finding = _only(judge("PG-SEC-004", _version("delete")), VERSION)
    assert "got (absent) (the delete destroys the live value" in finding.message


def test_deleting_an_abandoned_version_passes() -> None:
    assert judge("PG-SEC-004", _version("delete", deletion_policy="ABANDON")).status is Status.PASS


@pytest.mark.parametrize("action", ["forget", "create", "no-op"])
def test_other_changes_are_not_applicable(action: str) -> None:
    assert judge("PG-SEC-004", _version(action)).status is Status.NOT_APPLICABLE
