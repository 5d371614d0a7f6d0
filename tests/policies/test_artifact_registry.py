"""policies/artifact_registry.py: cleanup enforced, durations in seconds, rollback images kept."""

from __future__ import annotations

from typing import Any

import pytest

from plangate.policy import Status
from tests.fixtures.builder import UNKNOWN
from tests.policies.helpers import assert_unknown, one_finding, plan, says
from tests.support import judge

REPO = "module.artifact_registry.google_artifact_registry_repository.docker"


def _delete_untagged(older_than: Any = "2592000s") -> dict[str, Any]:
    return {
        "id": "delete-untagged",
        "action": "DELETE",
        "condition": [
            {
                "tag_state": "UNTAGGED",
                "older_than": older_than,
                "newer_than": None,
                "tag_prefixes": [],
            }
        ],
        "most_recent_versions": [],
    }


def _keep_recent(count: Any = 10) -> dict[str, Any]:
    return {
        "id": "keep-most-recent",
        "action": "KEEP",
        "condition": [],
        "most_recent_versions": [{"keep_count": count, "package_name_prefixes": []}],
    }


def _repository(
    *policies: dict[str, Any], dry_run: Any = False, mode: str = "STANDARD_REPOSITORY"
) -> dict[str, Any]:
    chosen = list(policies) if policies else [_delete_untagged(), _keep_recent()]
    return {
        "repository_id": "ct-scan",
        "location": "europe-west1",
        "format": "DOCKER",
        "mode": mode,
        "cleanup_policy_dry_run": dry_run,
        "cleanup_policies": chosen,
    }


# --------------------------------------------------------------------------- PG-AR-001


def test_enforced_cleanup_passes() -> None:
    assert judge("PG-AR-001", plan(REPO, _repository())).status is Status.PASS


def test_repository_without_cleanup_policies_fails() -> None:
    after = _repository()
    after["cleanup_policies"] = []
    finding = one_finding(judge("PG-AR-001", plan(REPO, after)))
    assert finding.attribute == "cleanup_policies"
    says(finding, REPO, "cleanup_policies: expected at least one cleanup policy", "got []")


def test_dry_run_cleanup_fails() -> None:
    finding = one_finding(judge("PG-AR-001", plan(REPO, _repository(dry_run=True))))
    assert finding.attribute == "cleanup_policy_dry_run"
    says(finding, REPO, "cleanup_policy_dry_run: expected false", "got true", "delete nothing")


def test_virtual_repository_is_not_judged() -> None:
    after = _repository(mode="VIRTUAL_REPOSITORY")
    after["cleanup_policies"] = []
    assert judge("PG-AR-001", plan(REPO, after)).status is Status.NOT_APPLICABLE


def test_unknown_cleanup_policies_fail() -> None:
    after = _repository()
    after["cleanup_policies"] = UNKNOWN
    assert_unknown(one_finding(judge("PG-AR-001", plan(REPO, after))), REPO, "cleanup_policies")


# --------------------------------------------------------------------------- PG-AR-002


@pytest.mark.parametrize("older_than", ["2592000s", "0s", "86400s"])
def test_durations_in_seconds_pass(older_than: str) -> None:
    assert (
        judge(
            "PG-AR-002", plan(REPO, _repository(_delete_untagged(older_than), _keep_recent()))
        ).status
        is Status.PASS
    )


@pytest.mark.parametrize("older_than", ["30d", "720h", "2592000", "1.5s", "P30D"])
def test_durations_not_in_seconds_fail(older_than: str) -> None:
    finding = one_finding(
        judge("PG-AR-002", plan(REPO, _repository(_delete_untagged(older_than), _keep_recent())))
    )
    assert finding.attribute == "cleanup_policies[0].condition[0].older_than"
    assert finding.actual == older_than
    says(
        finding,
        REPO,
        "cleanup_policies[0].condition[0].older_than: expected a duration in seconds matching ^[0-9]+s$",
        f'got "{older_than}"',
    )


def test_newer_than_is_checked_too() -> None:
    keep_new = {
        "id": "keep-new",
        "action": "KEEP",
        "condition": [{"tag_state": "ANY", "newer_than": "7d"}],
        "most_recent_versions": [],
    }
    finding = one_finding(judge("PG-AR-002", plan(REPO, _repository(_delete_untagged(), keep_new))))
    says(finding, "cleanup_policies[1].condition[0].newer_than:", 'got "7d"')


def test_unknown_duration_fails() -> None:
    finding = one_finding(
        judge("PG-AR-002", plan(REPO, _repository(_delete_untagged(UNKNOWN), _keep_recent())))
    )
    assert_unknown(finding, REPO, "cleanup_policies[0].condition[0].older_than")


# --------------------------------------------------------------------------- PG-AR-003


def test_delete_with_keep_most_recent_passes() -> None:
    assert judge("PG-AR-003", plan(REPO, _repository())).status is Status.PASS


def test_delete_with_keep_every_tagged_image_passes() -> None:
    keep_tagged = {
        "id": "keep-tagged",
        "action": "KEEP",
        "condition": [{"tag_state": "TAGGED", "tag_prefixes": []}],
        "most_recent_versions": [],
    }
    assert (
        judge("PG-AR-003", plan(REPO, _repository(_delete_untagged(), keep_tagged))).status
        is Status.PASS
    )


def test_keep_only_policies_pass() -> None:
    assert judge("PG-AR-003", plan(REPO, _repository(_keep_recent()))).status is Status.PASS


def test_delete_without_keep_fails() -> None:
    finding = one_finding(judge("PG-AR-003", plan(REPO, _repository(_delete_untagged()))))
    assert finding.attribute == "cleanup_policies"
    assert finding.actual == ("delete-untagged (DELETE)",)
    says(
        finding,
        REPO,
        "cleanup_policies: expected a KEEP policy with most_recent_versions.keep_count >= 1",
        '["delete-untagged (DELETE)"]',
        "rollback",
    )


@pytest.mark.parametrize(
    "keep",
    [
        _keep_recent(0),
        {
            "id": "keep-release",
            "action": "KEEP",
            "condition": [{"tag_state": "TAGGED", "tag_prefixes": ["release-"]}],
            "most_recent_versions": [],
        },
    ],
)
def test_delete_with_a_keep_that_does_not_protect_rollbacks_fails(keep: dict[str, Any]) -> None:
    one_finding(judge("PG-AR-003", plan(REPO, _repository(_delete_untagged(), keep))))


def test_unknown_keep_count_fails() -> None:
    finding = one_finding(
        judge("PG-AR-003", plan(REPO, _repository(_delete_untagged(), _keep_recent(UNKNOWN))))
    )
    assert_unknown(finding, REPO, "cleanup_policies")
