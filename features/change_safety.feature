@change-safety
Feature: Change safety - a plan may not destroy what Terraform cannot rebuild
  Purpose: every Terraform plan for the CT-scan service is checked before it is applied.
  The plan must be complete, must not have errored, and must not delete, replace or drop
  from Terraform's records any resource that holds data: the four storage buckets (Terraform
  state, DVC data, models, drift logs), the Firestore prediction log, the Secret Manager
  secrets and the Artifact Registry repository that keeps the images used for rollback.
  The classification API itself must not be torn down either.

  Risk: a plan that looks like a small edit can still destroy data: removing a block from the
  code deletes the bucket it described, and changing a fixed setting such as a database's
  location rebuilds the database empty. Such deletions are invisible to tools that only read
  the planned end state; this gate reads every planned change, pure deletions included.

  Requirements: REQ-002, REQ-016, REQ-022, REQ-024, REQ-026, REQ-030, REQ-031, REQ-032
  (docs/requirements.md), above all:
    "`terraform plan` shows 0 changes" (REQ-030)
    "No service disruptions during import" and "Verify no service disruption" (REQ-032)

  # REQ-030, the Phase 2 success criterion, also the final verification ("`terraform plan` =
  # **No changes**"). The catalogue's PG-CHG-001 is the same rule in zero-change mode
  # (`plangate check --expect-no-changes`); without that switch it does not apply, so this
  # scenario states the rule itself. The repository's plans are all
  # zero-change, so any change at all - even a harmless label - fails here, and only here.
  @PG-CHG-001 @REQ-030
  Scenario: The imported stack plans zero changes
    Requirement REQ-030: "`terraform plan` shows 0 changes" (Phase 2 success criteria).
    Then the plan has no changes
    And the plan has no drift

  # REQ-031: "Verify terraform plan (0 changes)" can only be trusted on a plan that finished.
  @PG-CHG-005 @PG-CHG-006 @REQ-031
  Scenario: The plan finished and covers the whole configuration
    Requirement REQ-031: "Step 7: Verify terraform plan (0 changes)" - a plan that errored or
    was cut short with -target proves nothing.
    Then the plan is complete and not errored
    And policies "PG-CHG-005", "PG-CHG-006" pass

  # docs/infrastructure.md, Layout: every root pins the Google provider to one major version,
  # so a provider upgrade is a reviewed change, never a side effect of `terraform init`.
  @no-catalogue-policy @REQ-002 @REQ-031
  Scenario Outline: The plan was made for its own project, with a pinned Google provider
    Requirement REQ-002: "Created dev and staging environment configurations" - each
    environment is its own project.
    Requirement REQ-031: "Verify terraform plan (0 changes)" - meaningful only for the right
    project and the provider version it was imported with.
    Given the <environment> plan
    Then variable "project_id" is "ct-scan-mlops-<environment>"
    And the version constraint of provider "google" matches "~> [56]\.[0-9]+"

    Examples:
      | environment |
      | prod        |
      | staging     |
      | dev         |

  # A pure delete (the block was removed) is caught here as well as a replacement.
  @PG-CHG-002 @REQ-026 @REQ-032
  Scenario: No resource that holds data is deleted or replaced
    Requirement REQ-032: "No service disruptions during import" and Phase 3 "Verify no
    service disruption".
    Requirement REQ-026: "Terraform state bucket conflict - Already imported" - the state
    bucket is one of them.
    Given resources of type "google_storage_bucket", "google_firestore_database", "google_secret_manager_secret" or "google_artifact_registry_repository"
    Then there are exactly 8
    And they will not be destroyed
    And policy "PG-CHG-002" passes

  # A `removed` block or `terraform state rm` would drop a data-holding resource from
  # Terraform's records.
  @PG-CHG-003 @REQ-022 @REQ-026
  Scenario: No resource that holds data is dropped from Terraform state
    Requirement REQ-022: "All existing resources in Terraform state (52 resources)".
    Requirement REQ-026: "Terraform state bucket conflict - Already imported" - and it stays
    in state.
    Given resources of type "google_storage_bucket", "google_firestore_database", "google_secret_manager_secret" or "google_artifact_registry_repository"
    Then they will not be forgotten
    And policy "PG-CHG-003" passes

  @PG-CHG-004 @REQ-016 @REQ-032
  Scenario: The classification API is neither destroyed nor rebuilt
    Requirement REQ-016: "1 Cloud Run service + 1 IAM binding" - exactly one, kept.
    Requirement REQ-032: "No service disruptions during import".
    Given resources of type "google_cloud_run_v2_service"
    Then there is exactly one
    And it will not be destroyed
    And policy "PG-CHG-004" passes

  # docs/infrastructure.md, Environments: Cloud Run deletion_protection is false in dev only.
  # No catalogue policy reads this setting; the scenario is the control.
  @PG-CHG-004 @no-catalogue-policy @REQ-024
  Scenario Outline: The API's deletion protection matches its environment
    Requirement REQ-024: "Cloud Run config drift - Updated to match actual service" (the
    live service is protected in staging and prod).
    Given the <environment> plan
    And resources of type "google_cloud_run_v2_service"
    Then its "deletion_protection" is <protected>

    Examples:
      | environment | protected |
      | prod        | true      |
      | staging     | true      |
      | dev         | false     |
