"""Real checkov on the repository's plans: what it flags in each unsafe scenario, and what it
cannot see (pure deletes; properties it has no check for)."""

from __future__ import annotations

import pytest

from plangate.checkov import RATED, Outcome, Scan
from tests.checkov.conftest import SCENARIOS

IAM = "module.iam.google_project_iam_member.roles"
DVC = "module.storage.google_storage_bucket.dvc"
MODELS = "module.storage.google_storage_bucket.models"
PUBLIC_READ = "module.storage.google_storage_bucket_iam_member.models_public_read"
OWNER = f'{IAM}["ci_deployer_owner"]'

# What checkov fails on prod.json, the zero-change plan every scenario starts from.
PROD_FAILURES = {
    ("CKV_GCP_41", f'{IAM}["ci_deployer_sa_user"]'),
    ("CKV_GCP_49", f'{IAM}["ci_deployer_sa_user"]'),
    ("CKV_GCP_42", f'{IAM}["training_object_admin"]'),
    *(
        ("CKV_GCP_62", f"module.storage.google_storage_bucket.{name}")
        for name in ("drift_logs", "dvc", "models", "tfstate")
    ),
    ("CKV_GCP_78", "module.storage.google_storage_bucket.drift_logs"),
    ("CKV_GCP_83", "module.budget.google_pubsub_topic.budget_alerts"),
    ("CKV_GCP_84", "module.artifact_registry.google_artifact_registry_repository.docker"),
    ("CKV_GCP_125", "module.workload_identity.google_iam_workload_identity_pool_provider.github"),
}

# scenario -> (failures checkov adds to prod's, failures it loses)
EXPECTED = {
    "prod-public-bucket": ({("CKV_GCP_28", PUBLIC_READ), ("CKV_GCP_114", MODELS)}, set()),
    "prod-owner-granted": (
        {("CKV_GCP_117", OWNER), ("CKV_GCP_42", OWNER), ("CKV_GCP_49", OWNER)},
        set(),
    ),
    # A pure delete leaves planned_values: checkov never sees the bucket again, so even its
    # logging finding goes away. plangate's PG-CHG-002 flags the delete.
    "prod-bucket-delete": (set(), {("CKV_GCP_62", DVC)}),
    # checkov has no check for force_destroy, Firestore or budgets: plangate's PG-GCS-001,
    # PG-FS-001, PG-CHG-002 and PG-BUD-001 are the only ones to flag these.
    "prod-force-destroy": (set(), set()),
    "prod-firestore-delete-policy": (set(), set()),
    "prod-firestore-replace": (set(), set()),
    "prod-budget-threshold-removed": (set(), set()),
    "prod-safe-label": (set(), set()),
}


def failures(scan: Scan) -> set[tuple[str, str]]:
    return {(r.check_id, r.address) for r in scan.records if r.outcome is not Outcome.PASSED}


def test_every_scenario_has_an_expectation():
    assert set(EXPECTED) == set(SCENARIOS)


def test_prod_failures(scans):
    assert failures(scans["prod"]) == PROD_FAILURES
    assert scans["prod"].checkov_version == "3.3.30"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_scenario_failures(scans, name):
    added, lost = EXPECTED[name]
    assert failures(scans[name]) == (PROD_FAILURES | added) - lost


def test_a_pure_delete_is_not_even_counted(scans):
    assert scans["prod-bucket-delete"].resource_count == scans["prod"].resource_count - 1
    assert not [r for r in scans["prod-bucket-delete"].records if r.address == DVC]


def test_only_rated_checks_run_by_default(scans):
    assert {r.check_id for scan in scans.values() for r in scan.records} <= set(RATED)
