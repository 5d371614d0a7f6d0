"""policies/firestore.py: deletion policy, delete protection and point-in-time recovery."""

from __future__ import annotations

from typing import Any

import pytest

from plangate.policy import SETTINGS, Status
from tests.fixtures.builder import UNKNOWN, PlanBuilder
from tests.support import judge

ADDRESS = "module.firestore.google_firestore_database.main"
GOOD = {
    "name": "(default)",
    "location_id": "eur3",
    "type": "FIRESTORE_NATIVE",
    "deletion_policy": "ABANDON",
    "delete_protection_state": "DELETE_PROTECTION_ENABLED",
    "point_in_time_recovery_enablement": "POINT_IN_TIME_RECOVERY_ENABLED",
}
CASES = [
    ("PG-FS-001", "deletion_policy", "DELETE", None),
    (
        "PG-FS-002",
        "delete_protection_state",
        "DELETE_PROTECTION_DISABLED",
        "require_firestore_delete_protection",
    ),
    (
        "PG-FS-003",
        "point_in_time_recovery_enablement",
        "POINT_IN_TIME_RECOVERY_DISABLED",
        "require_firestore_pitr",
    ),
]


def _database(action: str = "create", **changes: Any) -> dict[str, Any]:
    return PlanBuilder().resource(ADDRESS, action=action, after={**GOOD, **changes}).build()


def _on(switch: str | None) -> dict[str, Any]:
    return {switch: True} if switch else {}


@pytest.mark.parametrize(("policy_id", "path", "bad", "switch"), CASES)
def test_database_passes_when_set(policy_id: str, path: str, bad: str, switch: str | None) -> None:
    assert judge(policy_id, _database(), settings=_on(switch)).status is Status.PASS


@pytest.mark.parametrize(("policy_id", "path", "bad", "switch"), CASES)
def test_database_fails_when_wrong(policy_id: str, path: str, bad: str, switch: str | None) -> None:
    result = judge(policy_id, _database("no-op", **{path: bad}), settings=_on(switch))
    assert result.status is Status.FAIL
    (finding,) = result.findings
    assert finding.address == ADDRESS
    assert finding.attribute == path
    assert finding.actual == bad
    assert finding.message.startswith(f'{path}: expected "{GOOD[path]}", got "{bad}" (')


@pytest.mark.parametrize(("policy_id", "path", "bad", "switch"), CASES)
def test_database_value_known_only_after_apply_fails(
    policy_id: str, path: str, bad: str, switch: str | None
) -> None:
    result = judge(policy_id, _database(**{path: UNKNOWN}), settings=_on(switch))
    assert result.status is Status.FAIL
    (finding,) = result.findings
    assert finding.actual is UNKNOWN
    assert finding.message.startswith(f'{path}: expected "{GOOD[path]}", got (known after apply)')


@pytest.mark.parametrize(("policy_id", "path", "bad", "switch"), CASES[1:])
def test_optional_controls_are_not_applicable_when_their_setting_is_off(
    policy_id: str, path: str, bad: str, switch: str | None
) -> None:
    assert judge(policy_id, _database(**{path: bad})).status is Status.NOT_APPLICABLE
    assert SETTINGS.resolve({}, None)[switch] is False  # off unless the project turns it on
