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

  Requirements: REQ-005, REQ-008, REQ-013, REQ-017, REQ-023, REQ-034, REQ-036, REQ-039,
  REQ-048, REQ-049 (docs/requirements.md), among them:
    "Changed drift_logs force_destroy to false" (REQ-005)
    "Changed Firestore deletion_policy to ABANDON" (REQ-008)
    "Models bucket location mismatch - Added location override" (REQ-023)
    "State file properly versioned (GCS bucket)" (REQ-034)
    "1 Firestore database + 2 indexes + 1 field" (REQ-017)

  # ---------------------------------------------------------------- Cloud Storage buckets

  @PG-GCS-001 @REQ-005 @REQ-013
  Scenario: No bucket can be deleted while it still holds objects
    Requirement REQ-005: "Changed drift_logs force_destroy to false".
    Requirement REQ-013: "4 GCS Buckets (terraform state, DVC, models, drift logs)".
    Given resources of type "google_storage_bucket"
    Then there are exactly 4
    And their "force_destroy" is false
    And policy "PG-GCS-001" passes

  # "Security Posture: 9/10" names no bucket rule; the rule is the module standard in
  # docs/infrastructure.md ("Rules every module follows": uniform access and public access
  # prevention on all four buckets).
  @PG-GCS-002 @PG-GCS-003 @REQ-048 @REQ-049
  Scenario: Every bucket is private and controlled by IAM alone
    Requirement REQ-048: "Security Posture: 9/10" - no bucket is public.
    Requirement REQ-049: access to objects is decided by IAM alone, never by object ACLs.
    Given resources of type "google_storage_bucket"
    Then their "uniform_bucket_level_access" is true
    And their "public_access_prevention" is "enforced"
    And policies "PG-GCS-002", "PG-GCS-003" pass

  @PG-GCS-004 @REQ-034 @REQ-036
  Scenario: Terraform state, DVC data and models keep earlier versions
    Requirement REQ-034: "State file properly versioned (GCS bucket)" and risk "State
    corruption | Low | GCS versioning enabled".
    Requirement REQ-036: "Validate rollback procedures" - a previous model can be restored.
    Given resources matching address "module.storage.google_storage_bucket.tfstate", "module.storage.google_storage_bucket.dvc" or "module.storage.google_storage_bucket.models"
    Then there are exactly 3
    And their "versioning[0].enabled" is true
    And policy "PG-GCS-004" passes

  # No catalogue policy knows where each bucket lives; the scenario is the control.
  @no-catalogue-policy @REQ-023
  Scenario Outline: The models bucket stays where it was created
    Requirement REQ-023: "Models bucket location mismatch - Added location override" (the
    bucket predates Terraform; moving it would mean replacing it).
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

  @PG-FS-001 @REQ-008 @REQ-017
  Scenario: Removing the database from Terraform leaves its data in place
    Requirement REQ-008: "Changed Firestore deletion_policy to ABANDON".
    Requirement REQ-017: "1 Firestore database + 2 indexes + 1 field" - exactly one database.
    Given resources of type "google_firestore_database"
    Then there is exactly one
    And its "deletion_policy" is "ABANDON"
    And policy "PG-FS-001" passes

  # The catalogue requires delete protection and point-in-time recovery in prod only
  # (pyproject.toml, [tool.plangate.environments.prod]); PG-FS-001 applies everywhere, so
  # the policy step below judges every row and never skips.
  @PG-FS-001 @PG-FS-002 @PG-FS-003 @REQ-008 @REQ-036 @REQ-039
  Scenario Outline: The prediction log is protected as its environment requires
    Requirement REQ-008: "Changed Firestore deletion_policy to ABANDON".
    Requirement REQ-039: after the move from SQLite, Firestore holds the only prediction log.
    Requirement REQ-036: "Validate rollback procedures" - point-in-time recovery in prod.
    docs/infrastructure.md, Environments: "Firestore location / PITR" is on in prod only,
    because staging and dev data is disposable.
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
  @no-catalogue-policy @REQ-017
  Scenario: The prediction log keeps its two query indexes
    Requirement REQ-017: "1 Firestore database + 2 indexes + 1 field".
    Given resources of type "google_firestore_index"
    Then there are exactly 2
    And their "collection" is "predictions"
    And their "query_scope" is "COLLECTION"

  @no-catalogue-policy @REQ-017
  Scenario: Predictions expire through the TTL field
    Requirement REQ-017: "1 Firestore database + 2 indexes + 1 field" (the field is the
    prediction log's TTL).
    Given resources of type "google_firestore_field"
    Then there is exactly one
    And its "collection" is "predictions"
    And its "field" is "expire_at"
    And its "ttl_config[0].state" is "ACTIVE"
