@identity-and-access
Feature: Identity and access - only named identities get the roles they need
  Purpose: access to the service is granted to four dedicated service accounts (API runtime,
  CI deployer, training, drift monitor), each with explicitly listed roles; GitHub Actions
  reaches Google Cloud only through Workload Identity Federation pinned to one repository;
  the classification API runs as its own identity and can be called only by one group.

  Risks: a basic role (owner, editor, viewer) gives a workload control of the whole project;
  a grant to allUsers or allAuthenticatedUsers opens data or the API to anyone; a workload
  identity provider that accepts any repository lets any GitHub workflow deploy; the Compute
  Engine default service account carries broad, unreviewed permissions.

  Requirements: REQ-004, REQ-015, REQ-016, REQ-019, REQ-038, REQ-048, REQ-049
  (docs/requirements.md), among them:
    "Explicitly configured IAM roles in prod" (REQ-004)
    "4 Service Accounts + 12 IAM role bindings" (REQ-015)
    "1 Workload Identity Pool + 1 Provider + 1 SA binding" (REQ-019)
    "1 Cloud Run service + 1 IAM binding" (REQ-016)

  # ------------------------------------------------------------------------- project roles

  @PG-IAM-001 @REQ-004
  Scenario: No basic role is granted on anything
    Requirement REQ-004: "Explicitly configured IAM roles in prod" - named roles, never
    owner, editor or viewer.
    Given all resources
    When they have "role"
    Then their "role" is not one of "roles/owner", "roles/editor" or "roles/viewer"
    And policy "PG-IAM-001" passes

  # docs/infrastructure.md, Environments: 12 grants in staging and prod; dev omits only
  # roles/aiplatform.user for the training account (11).
  @PG-IAM-001 @PG-IAM-004 @REQ-004 @REQ-015
  Scenario Outline: Project roles are exactly the explicit grants to the four service accounts
    Requirement REQ-004: "Explicitly configured IAM roles in prod".
    Requirement REQ-015: "4 Service Accounts + 12 IAM role bindings".
    Given the <environment> plan
    And resources of type "google_project_iam_member"
    Then there are exactly <grants>
    And their "project" is "ct-scan-mlops-<environment>"
    And their "member" matches "serviceAccount:ct-scan-(api-runtime|ci-deployer|training|drift-monitor)@ct-scan-mlops-<environment>\.iam\.gserviceaccount\.com"
    And policies "PG-IAM-001", "PG-IAM-004" pass

    Examples:
      | environment | grants |
      | prod        | 12     |
      | staging     | 12     |
      | dev         | 11     |

  # Authoritative project IAM (bindings and policies) would silently remove grants made
  # outside Terraform. The count is the control here: the catalogue policy PG-IAM-004 has
  # nothing to judge while no such resource exists, and its step would only skip (it is
  # asserted in the outline above, which always has something to judge).
  @PG-IAM-004 @REQ-004
  Scenario: Project IAM is only ever added to, never overwritten
    Requirement REQ-004: "Explicitly configured IAM roles in prod" - as individual members,
    not as a policy.
    Given resources of type "google_project_iam_binding", "google_project_iam_policy" or "google_project_iam_audit_config"
    Then there are no resources

  @no-catalogue-policy @REQ-015
  Scenario: The workloads are exactly the four dedicated service accounts
    Requirement REQ-015: "4 Service Accounts + 12 IAM role bindings".
    Given resources of type "google_service_account"
    Then there are exactly 4
    And their "account_id" is one of "ct-scan-api-runtime", "ct-scan-ci-deployer", "ct-scan-training" or "ct-scan-drift-monitor"
    And their "disabled" is false

  # The catalogue policy PG-IAM-003 has nothing to judge when no key exists, so the count is
  # the control.
  @PG-IAM-003 @REQ-038
  Scenario: No service account key or HMAC key exists
    Requirement REQ-038: "Create GitHub Actions workflow" - CI authenticates with short-lived
    OIDC tokens through the workload identity pool, so no long-lived key is ever created.
    Given resources of type "google_service_account_key" or "google_storage_hmac_key"
    Then there are no resources

  # ------------------------------------------------------------------- public principals

  # Bucket grants are judged by PG-GCS-005, every other grant by PG-IAM-002; the Cloud Run
  # invoker has its own scenario below.
  @PG-IAM-002 @PG-GCS-005 @REQ-048
  Scenario: No IAM grant names the public
    Requirement REQ-048: "Security Posture: 9/10" - every grant names one identity, never
    allUsers or allAuthenticatedUsers.
    Given all resources
    When their "member" is one of "allUsers" or "allAuthenticatedUsers"
    Then there are no resources
    And policies "PG-IAM-002", "PG-GCS-005" pass

  @PG-IAM-002 @PG-GCS-005 @REQ-048
  Scenario Outline: No IAM binding lists <principal>
    Requirement REQ-048: "Security Posture: 9/10" - bindings, like members, name identities.
    Given all resources
    When their "members" contains "<principal>"
    Then there are no resources

    Examples:
      | principal              |
      | allUsers               |
      | allAuthenticatedUsers  |

  # -------------------------------------------------------------------- the classification API

  @PG-RUN-001 @REQ-015 @REQ-049
  Scenario: The API runs as its own service account, not the default compute account
    Requirement REQ-015: "4 Service Accounts + 12 IAM role bindings" - the API runtime account
    is one of them.
    Requirement REQ-049: never the default compute account and its project-wide Editor role.
    Given resources of type "google_cloud_run_v2_service"
    Then there is exactly one
    And its "template.service_account" matches "ct-scan-api-runtime@ct-scan-mlops-[a-z]+\.iam\.gserviceaccount\.com"
    And its "template.service_account" does not match "[0-9]+-compute@developer\.gserviceaccount\.com"
    And policy "PG-RUN-001" passes

  @PG-RUN-001 @REQ-015 @REQ-049
  Scenario: The API's service account is one this stack manages
    Requirement REQ-015: "4 Service Accounts + 12 IAM role bindings" - its roles are reviewed
    with the stack.
    Requirement REQ-049: the API holds only the roles granted to its own account.
    Given resources of type "google_cloud_run_v2_service"
    Then their "template.service_account" is one of the "email" values of resources of type "google_service_account" in module "iam"

  # docs/infrastructure.md, Security decisions: exactly one roles/run.invoker member, a group.
  @PG-RUN-003 @REQ-016 @REQ-048
  Scenario: Only the API clients group may call the API
    Requirement REQ-016: "1 Cloud Run service + 1 IAM binding" - the single invoker binding.
    Requirement REQ-048: the API is never public.
    Given resources of type "google_cloud_run_v2_service_iam_member", "google_cloud_run_v2_service_iam_binding" or "google_cloud_run_v2_service_iam_policy"
    Then there is exactly one
    And its "role" is "roles/run.invoker"
    And its "member" matches "group:.+"
    And its "member" is not one of "allUsers" or "allAuthenticatedUsers"
    And policy "PG-RUN-003" passes

  # ---------------------------------------------------------- GitHub Actions (workload identity)

  @PG-WIF-001 @REQ-019 @REQ-038
  Scenario: GitHub Actions tokens are accepted only from GitHub, for one repository
    Requirement REQ-019: "1 Workload Identity Pool + 1 Provider + 1 SA binding".
    Requirement REQ-038: "Create GitHub Actions workflow" - only the team's workflows.
    Given resources of type "google_iam_workload_identity_pool_provider"
    Then there is exactly one
    And its "oidc[0].issuer_uri" is "https://token.actions.githubusercontent.com"
    And its "attribute_condition" matches "assertion\.repository == \"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+\""
    And its "attribute_mapping" contains "attribute.repository"
    And policy "PG-WIF-001" passes

  @PG-WIF-002 @REQ-019 @REQ-038
  Scenario: Only that repository's workflows may act as the CI deployer
    Requirement REQ-019: "1 Workload Identity Pool + 1 Provider + 1 SA binding" - the one
    binding.
    Requirement REQ-038: "Create GitHub Actions workflow" - it deploys as the CI deployer.
    Given resources of type "google_service_account_iam_member"
    Then there is exactly one
    And its "role" is "roles/iam.workloadIdentityUser"
    And its "service_account_id" matches ".*/serviceAccounts/ct-scan-ci-deployer@.*"
    And its "member" matches "principalSet://iam\.googleapis\.com/projects/[0-9]+/locations/global/workloadIdentityPools/github-actions/attribute\.repository/[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+"
    And policy "PG-WIF-002" passes
