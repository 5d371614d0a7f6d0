"""Small plans and configurations that make checkov and plangate fire on purpose."""

from __future__ import annotations

from pathlib import Path

from tests.fixtures.builder import PlanBuilder

GITHUB = "https://token.actions.githubusercontent.com"

# Each plangate policy of the overlap table, with the addresses in OVERLAP_PLAN it must flag.
OVERLAP_ADDRESSES = {
    "PG-GCS-002": {"google_storage_bucket.tfstate"},
    "PG-GCS-003": {"google_storage_bucket.tfstate"},
    "PG-GCS-004": {"google_storage_bucket.tfstate"},
    "PG-GCS-005": {"google_storage_bucket_iam_member.public"},
    "PG-IAM-001": {
        "google_organization_iam_member.owner",
        "google_folder_iam_member.editor",
        "google_project_iam_member.viewer",
    },
    "PG-IAM-002": {
        "google_pubsub_topic_iam_member.public",
        "google_artifact_registry_repository_iam_member.public",
        "google_kms_crypto_key_iam_member.public",
    },
    "PG-RUN-003": {"google_cloud_run_service_iam_member.public"},
    "PG-WIF-001": {"google_iam_workload_identity_pool_provider.github"},
}


def _member(address: str, role: str, member: str, **target: str) -> tuple[str, dict[str, str]]:
    return address, {**target, "role": role, "member": member}


def overlap_plan(path: Path) -> Path:
    """One violation of every property the overlap table names, each on its own resource."""
    builder = PlanBuilder()
    builder.resource(
        "google_storage_bucket.tfstate",
        action="create",
        after={
            "name": "acme-prod-tfstate",
            "location": "EU",
            "project": "acme-prod",
            "force_destroy": False,
            "uniform_bucket_level_access": False,
            "public_access_prevention": "inherited",
            "versioning": [{"enabled": False}],
            "labels": {"project": "acme", "environment": "prod", "managed_by": "terraform"},
        },
    )
    grants = [
        _member(
            "google_storage_bucket_iam_member.public",
            "roles/storage.objectViewer",
            "allUsers",
            bucket="acme-prod-tfstate",
        ),
        _member(
            "google_organization_iam_member.owner", "roles/owner", "user:a@example.com", org_id="1"
        ),
        _member(
            "google_folder_iam_member.editor",
            "roles/editor",
            "user:a@example.com",
            folder="folders/1",
        ),
        _member(
            "google_project_iam_member.viewer",
            "roles/viewer",
            "user:a@example.com",
            project="acme-prod",
        ),
        _member(
            "google_pubsub_topic_iam_member.public",
            "roles/pubsub.publisher",
            "allUsers",
            topic="alerts",
        ),
        _member(
            "google_artifact_registry_repository_iam_member.public",
            "roles/artifactregistry.reader",
            "allUsers",
            repository="docker",
            location="europe-west1",
        ),
        _member(
            "google_kms_crypto_key_iam_member.public",
            "roles/cloudkms.cryptoKeyEncrypter",
            "allAuthenticatedUsers",
            crypto_key_id="projects/acme-prod/locations/eu/keyRings/r/cryptoKeys/k",
        ),
        _member(
            "google_cloud_run_service_iam_member.public",
            "roles/run.invoker",
            "allUsers",
            service="api",
            location="europe-west1",
        ),
    ]
    for address, after in grants:
        builder.resource(address, action="create", after=after)
    builder.resource(
        "google_iam_workload_identity_pool_provider.github",
        action="create",
        after={
            "workload_identity_pool_id": "github",
            "workload_identity_pool_provider_id": "github",
            "attribute_mapping": {"google.subject": "assertion.sub"},
            "oidc": [{"issuer_uri": GITHUB, "allowed_audiences": []}],
        },
    )
    return builder.write(path)


KMS_AND_SKIP_TF = """\
resource "google_kms_key_ring" "main" {
  name     = "main"
  location = "europe-west1"
}

resource "google_kms_crypto_key" "data" {
  name            = "data"
  key_ring        = google_kms_key_ring.main.id
  rotation_period = "7776000s"
}

resource "google_storage_bucket" "logs" {
  # checkov:skip=CKV_GCP_62: access logs of the log bucket would log themselves
  name                        = "acme-prod-logs"
  location                    = "EU"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"

  versioning {
    enabled = true
  }
}
"""


def kms_and_skip(directory: Path) -> Path:
    """A configuration with a KMS key without prevent_destroy (a check checkov runs only on
    HCL) and a bucket whose failing check a `checkov:skip` comment hides; returns its plan."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "main.tf").write_text(KMS_AND_SKIP_TF, "utf-8")
    builder = PlanBuilder()
    builder.resource(
        "google_kms_key_ring.main",
        action="create",
        after={"name": "main", "location": "europe-west1", "project": "acme-prod"},
    )
    builder.resource(
        "google_kms_crypto_key.data",
        action="create",
        after={
            "name": "data",
            "key_ring": "projects/acme-prod/locations/europe-west1/keyRings/main",
            "rotation_period": "7776000s",
        },
    )
    builder.resource(
        "google_storage_bucket.logs",
        action="create",
        after={
            "name": "acme-prod-logs",
            "location": "EU",
            "force_destroy": False,
            "uniform_bucket_level_access": True,
            "public_access_prevention": "enforced",
            "versioning": [{"enabled": True}],
            "logging": [],
        },
    )
    return builder.write(directory / "plan.json")
