@data-protection
Feature: Data protection - buckets and the prediction log keep their data and stay private
  Purpose: the service keeps its data in four Cloud Storage buckets (Terraform state, DVC
  training data, trained models, drift logs) and in one Firestore database, the prediction
  log. This feature checks that none of them can lose its contents through Terraform, that
  none can be opened to the internet, that earlier versions of state, data and models are
  kept, and that the prediction log is configured as imported.

  Risks: a bucket with force_destroy is deleted together with every object in it; a
  Firestore database with deletion_policy DELETE is deleted when its Terraform block goes;
  a bucket without public access prevention can be made public by a single grant; an
  unversioned state or model bucket cannot be rolled back after a bad write.

  Seed requirements (Phase 1 critical fixes and Phase 2 import fixes):
    "Changed drift_logs force_destroy to false"
    "Changed Firestore deletion_policy to ABANDON"
    "Models bucket location mismatch - Added location override"
    "State file properly versioned (GCS bucket)"
    "1 Firestore database + 2 indexes + 1 field"

  # ---------------------------------------------------------------- Cloud Storage buckets

  @PG-GCS-001
  Scenario: No bucket can be deleted while it still holds objects
    Seed: "Changed drift_logs force_destroy to false"; the stack has "4 GCS Buckets
    (terraform state, DVC, models, drift logs)".
    Given resources of type "google_storage_bucket"
    Then there are exactly 4
    And their "force_destroy" is false
    And policy "PG-GCS-001" passes

  # Seed: "Security Posture: 9/10" names no bucket rule; the rule is the module standard in
  # docs/infrastructure.md ("Rules every module follows": uniform access and public access
  # prevention on all four buckets).
  @PG-GCS-002 @PG-GCS-003
  Scenario: Every bucket is private and controlled by IAM alone
    Seed: "4 GCS Buckets (terraform state, DVC, models, drift logs)" - each one private.
    Given resources of type "google_storage_bucket"
    Then their "uniform_bucket_level_access" is true
    And their "public_access_prevention" is "enforced"
    And policies "PG-GCS-002", "PG-GCS-003" pass

  @PG-GCS-004
  Scenario: Terraform state, DVC data and models keep earlier versions
    Seed: "State file properly versioned (GCS bucket)" and risk "State corruption | Low |
    GCS versioning enabled".
    Given resources matching address "module.storage.google_storage_bucket.tfstate", "module.storage.google_storage_bucket.dvc" or "module.storage.google_storage_bucket.models"
    Then there are exactly 3
    And their "versioning[0].enabled" is true
    And policy "PG-GCS-004" passes

  # No catalogue policy knows where each bucket lives; the scenario is the control.
  @no-catalogue-policy
  Scenario Outline: The models bucket stays where it was created
    Seed: "Models bucket location mismatch - Added location override" (the bucket predates
    Terraform; moving it would mean replacing it).
    Given the <environment> plan
    And resources matching address "module.storage.google_storage_bucket.models"
    Then there is exactly one
    And its "location" is "<models_location>"

    Examples:
      | environment | models_location |
      | prod        | EU              |
      | staging     | EUROPE-WEST1    |
      | dev         | EUROPE-WEST1    |

  # -------------------------------------------------------------- Firestore prediction log

  @PG-FS-001
  Scenario: Removing the database from Terraform leaves its data in place
    Seed: "Changed Firestore deletion_policy to ABANDON".
    Given resources of type "google_firestore_database"
    Then there is exactly one
    And its "deletion_policy" is "ABANDON"
    And policy "PG-FS-001" passes

  # The catalogue requires delete protection and point-in-time recovery in prod only
  # (pyproject.toml, [tool.plangate.environments.prod]); PG-FS-001 applies everywhere, so
  # the policy step below judges every row and never skips.
  @PG-FS-001 @PG-FS-002 @PG-FS-003
  Scenario Outline: The prediction log is protected as its environment requires
    Seed: "Changed Firestore deletion_policy to ABANDON"; docs/infrastructure.md, Environments:
    "Firestore location / PITR" is on in prod only, because staging and dev data is disposable.
    Given the <environment> plan
    And resources of type "google_firestore_database"
    Then its "delete_protection_state" is "DELETE_PROTECTION_ENABLED"
    And its "point_in_time_recovery_enablement" is "<point_in_time_recovery>"
    And its "location_id" is "<location>"
    And policies "PG-FS-001", "PG-FS-002", "PG-FS-003" pass

    Examples:
      | environment | point_in_time_recovery          | location     |
      | prod        | POINT_IN_TIME_RECOVERY_ENABLED  | eur3         |
      | staging     | POINT_IN_TIME_RECOVERY_DISABLED | eur3         |
      | dev         | POINT_IN_TIME_RECOVERY_DISABLED | europe-west1 |

  # No catalogue policy counts indexes or checks TTL; the scenarios are the control.
  @no-catalogue-policy
  Scenario: The prediction log keeps its two query indexes
    Seed: "1 Firestore database + 2 indexes + 1 field".
    Given resources of type "google_firestore_index"
    Then there are exactly 2
    And their "collection" is "predictions"
    And their "query_scope" is "COLLECTION"

  @no-catalogue-policy
  Scenario: Predictions expire through the TTL field
    Seed: "1 Firestore database + 2 indexes + 1 field" (the field is the prediction log's TTL).
    Given resources of type "google_firestore_field"
    Then there is exactly one
    And its "collection" is "predictions"
    And its "field" is "expire_at"
    And its "ttl_config[0].state" is "ACTIVE"
