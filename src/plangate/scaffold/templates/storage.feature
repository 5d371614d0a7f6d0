Feature: Storage buckets keep data private and safe from deletion
  Purpose: every bucket is governed by IAM alone, refuses public grants, and cannot be
  deleted together with its objects by a plan. Written on plangate's built-in steps
  (docs: steps.md); each scenario runs once per plan.

  @PG-GCS-002 @PG-GCS-003
  Scenario: Buckets use uniform access and enforce public access prevention
    Given resources of type "google_storage_bucket" (if any)
    Then their "uniform_bucket_level_access" is true
    And their "public_access_prevention" is "enforced"

  @PG-GCS-001
  Scenario: No bucket is deleted with its objects
    Given resources of type "google_storage_bucket" (if any)
    Then their "force_destroy" is false
