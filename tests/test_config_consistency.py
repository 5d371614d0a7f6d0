"""Does a plan come from this HCL? Addresses both ways, instance keys, and literal arguments."""

from __future__ import annotations

from pathlib import Path

import pytest

from plangate.config import (
    Configuration,
    Mismatch,
    MismatchKind,
    check_consistency,
    load_configuration,
    same_value,
)
from plangate.errors import InputError
from plangate.plan import SENSITIVE

PROJECT = Path(__file__).parent / "fixtures" / "hcl" / "project"

# what a plan of the fixture project lists: instances, keys and all
MATCHING_PLAN: dict[str, str] = {
    "data.google_project.this": "data",
    "google_kms_key_ring.main": "managed",
    "google_storage_bucket.logs": "managed",
    "google_monitoring_alert_policy.disk": "managed",
    'google_project_service.apis["run.googleapis.com"]': "managed",
    'google_project_service.apis["storage.googleapis.com"]': "managed",
    "module.storage.google_storage_bucket.models[0]": "managed",
    'module.storage.google_storage_bucket_iam_member.readers["user:a@example.com"]': "managed",
    "module.iam[0].data.google_project.this": "data",
    'module.iam[0].google_project_iam_member.roles["runtime-logging"]': "managed",
    'module.iam[0].google_project_iam_member.roles["run.invoker[x]"]': "managed",
    "module.iam[0].google_service_account.runtime": "managed",
    "module.network.google_compute_network.network": "managed",
    'module.network.module.subnets.google_compute_subnetwork.subnetwork["a"]': "managed",
}


@pytest.fixture(scope="module")
def config() -> Configuration:
    return load_configuration(PROJECT)


def _kinds(mismatches: tuple[Mismatch, ...]) -> set[tuple[MismatchKind, str]]:
    return {(m.kind, m.address) for m in mismatches}


def test_matching_plan_only_notes_the_unfollowed_registry_module(config: Configuration) -> None:
    mismatches = check_consistency(MATCHING_PLAN, {}, config)
    assert _kinds(mismatches) == {(MismatchKind.MODULE_NOT_FOLLOWED, "module.network")}
    assert all(m.is_soft for m in mismatches)
    assert mismatches[0].location is not None
    assert mismatches[0].location.path.name == "main.tf"


def test_stale_plan_both_ways(config: Configuration) -> None:
    plan = dict(MATCHING_PLAN)
    del plan["google_kms_key_ring.main"]  # in HCL, never planned, cannot have zero instances
    del plan["module.storage.google_storage_bucket.models[0]"]  # count may be 0
    for address in [a for a in plan if a.startswith("module.iam[0].")]:
        del plan[address]  # module.iam has count: everything in it may be absent
    plan['google_storage_bucket.removed_since["x"]'] = "managed"
    plan["data.google_iam_policy.gone"] = "data"
    plan["module.storage.google_storage_bucket.old[0]"] = "managed"
    plan["module.missing.google_x.y"] = "managed"

    mismatches = check_consistency(plan, {}, config)
    hard = {(m.kind, m.address) for m in mismatches if not m.is_soft}
    soft = {(m.kind, m.address) for m in mismatches if m.is_soft}
    assert hard == {
        (MismatchKind.IN_CONFIG_NOT_IN_PLAN, "google_kms_key_ring.main"),
        (MismatchKind.IN_PLAN_NOT_IN_CONFIG, "google_storage_bucket.removed_since"),
        (MismatchKind.IN_PLAN_NOT_IN_CONFIG, "data.google_iam_policy.gone"),
        (MismatchKind.IN_PLAN_NOT_IN_CONFIG, "module.storage.google_storage_bucket.old"),
        (MismatchKind.IN_PLAN_NOT_IN_CONFIG, "module.missing.google_x.y"),
    }
    assert soft == {
        (MismatchKind.MODULE_NOT_FOLLOWED, "module.network"),
        (MismatchKind.MAYBE_ZERO_INSTANCES, "module.storage.google_storage_bucket.models"),
        (MismatchKind.MAYBE_ZERO_INSTANCES, "module.iam.data.google_project.this"),
        (MismatchKind.MAYBE_ZERO_INSTANCES, "module.iam.google_project_iam_member.roles"),
        (MismatchKind.MAYBE_ZERO_INSTANCES, "module.iam.google_service_account.runtime"),
    }
    by_address = {m.address: m for m in mismatches}
    ring = by_address["google_kms_key_ring.main"]
    assert ring.location is not None and ring.location.line == 48
    roles = by_address["module.iam.google_project_iam_member.roles"]
    assert "module.iam has count = var.enable_iam ? 1 : 0" in roles.detail
    assert "for_each = var.roles" in roles.detail
    line = ring.describe()
    assert "\n" not in line
    assert line.startswith(f"{PROJECT / 'main.tf'}:48: in_config_not_in_plan: ")


def test_instance_keys_that_the_hcl_cannot_produce(config: Configuration) -> None:
    plan = dict(MATCHING_PLAN)
    del plan["google_storage_bucket.logs"]
    plan["google_storage_bucket.logs[0]"] = "managed"  # no count in HCL
    del plan["module.storage.google_storage_bucket.models[0]"]
    plan['module.storage.google_storage_bucket.models["a"]'] = "managed"  # count wants numbers
    plan["module.iam[0].google_service_account.runtime"] = "managed"
    plan['module.iam["x"].google_service_account.runtime'] = "managed"  # module has count
    mismatches = check_consistency(plan, {}, config)
    keyed = {m.address: m.detail for m in mismatches if m.kind is MismatchKind.INSTANCE_KEYS_DIFFER}
    assert set(keyed) == {
        "google_storage_bucket.logs",
        "module.storage.google_storage_bucket.models",
        "module.iam.google_service_account.runtime",
    }
    assert "without count or for_each" in keyed["google_storage_bucket.logs"]
    assert "module.iam" in keyed["module.iam.google_service_account.runtime"]


def test_literal_count_decides_whether_absence_is_expected(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'resource "t" "never" {\n  count = 0\n}\n'
        'resource "t" "twice" {\n  count = 2\n}\n'
        'resource "t" "empty" {\n  for_each = {}\n}\n'
        'resource "t" "maybe" {\n  for_each = var.things\n}\n'
    )
    mismatches = check_consistency({}, {}, load_configuration(tmp_path))
    assert _kinds(mismatches) == {
        (MismatchKind.IN_CONFIG_NOT_IN_PLAN, "t.twice"),
        (MismatchKind.MAYBE_ZERO_INSTANCES, "t.maybe"),
    }


def test_attribute_differs_on_literals_only(config: Configuration) -> None:
    constants = {
        "google_storage_bucket.logs": {
            "force_destroy": True,  # HCL says false
            "location": "EU",  # same
            "storage_class": "STANDARD",  # same
            "versioning": [{"enabled": True}],  # nested block: not compared
            "retention_days": 7,  # the HCL does not set it
        },
        "google_kms_key_ring.main": {"name": "ring-prod"},  # HCL has a template: not compared
        "google_monitoring_alert_policy.disk": {
            "enabled": 1,  # true is not 1
            "notification_channels": [],
            "user_labels": {"team.name": "platform"},
        },
        "google_x.unknown": {"a": 1},
    }
    mismatches = check_consistency(MATCHING_PLAN, constants, config)
    differs = [m for m in mismatches if m.kind is MismatchKind.ATTRIBUTE_DIFFERS]
    assert [(m.address, m.detail) for m in differs] == [
        ("google_monitoring_alert_policy.disk", "enabled: plan has 1, HCL has true"),
        ("google_storage_bucket.logs", "force_destroy: plan has true, HCL has false"),
        ("google_storage_bucket.logs", "retention_days: plan has 7, the HCL does not set it"),
    ]
    force = differs[1]
    assert force.location is not None
    assert force.location.line == 63  # the force_destroy line, not the block header
    assert not force.is_soft
    assert force.describe().endswith(
        "attribute_differs: google_storage_bucket.logs: force_destroy: plan has true, HCL has false"
    )


def test_same_value_follows_terraform_equality() -> None:
    assert same_value(1, 1.0)
    assert not same_value(True, 1)
    assert not same_value(0, False)
    assert same_value([1, "a"], (1, "a"))
    assert not same_value([1], (1, 2))
    assert same_value({"a": [None]}, {"a": (None,)})
    assert not same_value({"a": 1}, {"b": 1})
    assert not same_value(None, "")


def test_bad_plan_addresses_raise_input_error(config: Configuration) -> None:
    with pytest.raises(InputError, match="mode 'managed'"):
        check_consistency({"data.google_project.this": "managed"}, {}, config)
    with pytest.raises(InputError, match="not a Terraform"):
        check_consistency({"google_x.y[oops]": "managed"}, {}, config)


def test_a_sensitive_constant_is_never_compared_or_printed(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'resource "google_sql_user" "app" {\n  name     = "app"\n  password = "hunter2-in-hcl"\n}\n'
    )
    config = load_configuration(tmp_path)
    found = check_consistency(
        {"google_sql_user.app": "managed"},
        {"google_sql_user.app": {"name": "other", "password": SENSITIVE}},
        config,
    )
    assert [m.detail for m in found] == ['name: plan has "other", HCL has "app"']
    assert all("hunter2" not in m.describe() for m in found)
