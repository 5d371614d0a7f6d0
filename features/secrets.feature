@secrets
Feature: Secrets - secret values never pass through Terraform
  Purpose: the service has two secrets, the Weights & Biases API key and the drift-alert
  webhook. Terraform creates only the empty secret containers and decides who may read
  each one; the values are added outside Terraform. The classification API receives its
  key as a reference to Secret Manager, never as a plain environment variable.

  Risks: a secret version managed by Terraform puts the secret value in the plan and in the
  state file, which many people and systems can read; a secret in a plain environment
  variable is visible to anyone who can view the service; a project-wide accessor role lets
  every workload read every secret.

  Seed requirements (Phase 2 import):
    "2 Secret Manager secrets + 3 IAM bindings"
    "Cloud Run config drift - Updated to match actual service"

  # The count is the control while no version exists; PG-SEC-002 (secret payloads read by
  # data sources) always has the plan to judge, and PG-SEC-001 / PG-SEC-004 join in as soon
  # as a secret version appears in a plan.
  @PG-SEC-001 @PG-SEC-002 @PG-SEC-004
  Scenario: Terraform manages no secret value
    Seed: "2 Secret Manager secrets + 3 IAM bindings" - secrets, not secret versions.
    Given resources of type "google_secret_manager_secret_version"
    Then there are no resources
    And policies "PG-SEC-001", "PG-SEC-002", "PG-SEC-004" pass

  @PG-SEC-002
  Scenario: No data source reads a secret value into the plan
    Seed: "2 Secret Manager secrets + 3 IAM bindings" - values stay in Secret Manager.
    Given data sources of type "google_secret_manager_secret_version" or "google_secret_manager_secret_version_access"
    Then there are no resources
    And policy "PG-SEC-002" passes

  @PG-SEC-003
  Scenario: The two secrets exist and declare their replication
    Seed: "2 Secret Manager secrets + 3 IAM bindings".
    Given resources of type "google_secret_manager_secret"
    Then there are exactly 2
    And their "secret_id" is one of "wandb-api-key" or "drift-alert-webhook"
    And their "replication" is present
    And policy "PG-SEC-003" passes

  @PG-IAM-005
  Scenario: Each secret can be read only by the identities that use it
    Seed: "2 Secret Manager secrets + 3 IAM bindings" - access granted per secret.
    Given resources of type "google_secret_manager_secret_iam_member"
    Then there are exactly 3
    And their "role" is "roles/secretmanager.secretAccessor"
    And their "member" matches "serviceAccount:ct-scan-(api-runtime|training|drift-monitor)@.+"
    And policy "PG-IAM-005" passes

  @PG-IAM-005
  Scenario: No project-wide role reads or manages secrets
    Seed: "2 Secret Manager secrets + 3 IAM bindings" - the three bindings are on the secrets.
    Given resources of type "google_project_iam_member"
    When their "role" matches "roles/secretmanager\..+"
    Then there are no resources
    And policy "PG-IAM-005" passes

  @PG-RUN-002
  Scenario: The API receives its key only as a Secret Manager reference
    Seed: "Cloud Run config drift - Updated to match actual service" - the service reads
    WANDB_API_KEY from Secret Manager.
    Given resources of type "google_cloud_run_v2_service"
    Then its "template.containers.env" contains {"name": "WANDB_API_KEY", "value_source": [{"secret_key_ref": [{"secret": "wandb-api-key"}]}]}
    And policy "PG-RUN-002" passes

  @PG-RUN-002
  Scenario: The API reads its secrets only from secrets this stack manages
    Seed: "2 Secret Manager secrets + 3 IAM bindings" - the API's key is one of them.
    Given resources of type "google_cloud_run_v2_service"
    Then any of their "template.containers.env.value_source.secret_key_ref.secret" is one of the "secret_id" values of resources of type "google_secret_manager_secret"
