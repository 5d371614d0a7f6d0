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

  Requirements: REQ-018, REQ-024, REQ-049, REQ-050 (docs/requirements.md), among them:
    "2 Secret Manager secrets + 3 IAM bindings" (REQ-018, REQ-050)
    "Cloud Run config drift - Updated to match actual service" (REQ-024)

  # The count is the control while no version exists; PG-SEC-002 (secret payloads read by
  # data sources) always has the plan to judge, and PG-SEC-001 / PG-SEC-004 join in as soon
  # as a secret version appears in a plan.
  @PG-SEC-001 @PG-SEC-002 @PG-SEC-004 @REQ-018 @REQ-050
  Scenario: Terraform manages no secret value
    Requirement REQ-018: "2 Secret Manager secrets + 3 IAM bindings" - secrets, not secret
    versions.
    Requirement REQ-050: secret values never pass through Terraform.
    Given resources of type "google_secret_manager_secret_version"
    Then there are no resources
    And policies "PG-SEC-001", "PG-SEC-002", "PG-SEC-004" pass

  @PG-SEC-002 @REQ-050
  Scenario: No data source reads a secret value into the plan
    Requirement REQ-050: "2 Secret Manager secrets + 3 IAM bindings" - values stay in Secret
    Manager.
    Given data sources of type "google_secret_manager_secret_version" or "google_secret_manager_secret_version_access"
    Then there are no resources
    And policy "PG-SEC-002" passes

  @PG-SEC-003 @REQ-018
  Scenario: The two secrets exist and declare their replication
    Requirement REQ-018: "2 Secret Manager secrets + 3 IAM bindings".
    Given resources of type "google_secret_manager_secret"
    Then there are exactly 2
    And their "secret_id" is one of "wandb-api-key" or "drift-alert-webhook"
    And their "replication" is present
    And policy "PG-SEC-003" passes

  @PG-IAM-005 @REQ-018 @REQ-049
  Scenario: Each secret can be read only by the identities that use it
    Requirement REQ-018: "2 Secret Manager secrets + 3 IAM bindings" - access granted per
    secret.
    Requirement REQ-049: each identity reads only the secret it uses.
    Given resources of type "google_secret_manager_secret_iam_member"
    Then there are exactly 3
    And their "role" is "roles/secretmanager.secretAccessor"
    And their "member" matches "serviceAccount:ct-scan-(api-runtime|training|drift-monitor)@.+"
    And policy "PG-IAM-005" passes

  @PG-IAM-005 @REQ-049
  Scenario: No project-wide role reads or manages secrets
    Requirement REQ-049: "2 Secret Manager secrets + 3 IAM bindings" - the three bindings are
    on the secrets, none on the project.
    Given resources of type "google_project_iam_member"
    When their "role" matches "roles/secretmanager\..+"
    Then there are no resources
    And policy "PG-IAM-005" passes

  @PG-RUN-002 @REQ-024 @REQ-050
  Scenario: The API receives its key only as a Secret Manager reference
    Requirement REQ-024: "Cloud Run config drift - Updated to match actual service" - the
    service reads WANDB_API_KEY from Secret Manager.
    Requirement REQ-050: never as a plain environment value.
    Given resources of type "google_cloud_run_v2_service"
    Then its "template.containers.env" contains {"name": "WANDB_API_KEY", "value_source": [{"secret_key_ref": [{"secret": "wandb-api-key"}]}]}
    And policy "PG-RUN-002" passes

  @PG-RUN-002 @REQ-018 @REQ-050
  Scenario: The API reads its secrets only from secrets this stack manages
    Requirement REQ-018: "2 Secret Manager secrets + 3 IAM bindings" - the API's key is one of
    them.
    Requirement REQ-050: a secret this stack does not manage escapes its controls.
    Given resources of type "google_cloud_run_v2_service"
    Then any of their "template.containers.env.value_source.secret_key_ref.secret" is one of the "secret_id" values of resources of type "google_secret_manager_secret"
