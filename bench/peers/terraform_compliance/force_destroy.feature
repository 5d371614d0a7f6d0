Feature: Buckets keep their objects when Terraform destroys them
  terraform-compliance's equivalent of plangate PG-GCS-001, for bench/compare_peers.py.

  Scenario: Buckets have force_destroy = false
    Given I have google_storage_bucket defined
    Then it must contain force_destroy
    And its value must be false
