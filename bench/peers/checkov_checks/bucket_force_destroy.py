"""checkov's equivalent of plangate PG-GCS-001 (buckets have force_destroy = false).

checkov has no built-in check for force_destroy, so bench/compare_peers.py loads this one
with `--external-checks-dir bench/peers/checkov_checks`. It runs inside checkov's own
virtualenv (bench/out/venvs/checkov), never in plangate's.
"""

from checkov.common.models.enums import CheckCategories
from checkov.terraform.checks.resource.base_resource_value_check import BaseResourceValueCheck

CHECK_ID = "CKV_PG_GCS_001"


class GoogleStorageBucketForceDestroyOff(BaseResourceValueCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure Cloud Storage buckets have force_destroy = false",
            id=CHECK_ID,
            categories=[CheckCategories.BACKUP_AND_RECOVERY],
            supported_resources=["google_storage_bucket"],
        )

    def get_inspected_key(self) -> str:
        return "force_destroy"

    def get_expected_value(self) -> bool:
        return False


check = GoogleStorageBucketForceDestroyOff()
