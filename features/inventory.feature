@conformance
Feature: Conformance - what runs in the project is what Terraform describes
  Purpose: after the import, Terraform is meant to be the only way the CT-scan project
  changes. This feature compares what actually runs in Google Cloud, as Cloud Asset Inventory
  lists it (resources and IAM policies), with Terraform's state: every resource Terraform
  records must exist and hold the values Terraform recorded, nothing of the stack's kinds may
  run outside Terraform, and every IAM grant in force must be one Terraform declares. It runs
  once on the inventory given to pytest (--cai-project ID, live, or --cai-export PATH, an
  export), not on each plan; without one, every scenario is skipped and says so.

  Risks: a plan only shows what Terraform manages, so a bucket made by hand, a setting
  switched off in the console, an Editor grant added for a colleague or a secret deleted by a
  script are all invisible to review; the next apply silently reverts or keeps them. A public
  grant made outside Terraform exposes data even though every plan passed.

  Requirements: REQ-004, REQ-013, REQ-015, REQ-022, REQ-030, REQ-048
  (docs/requirements.md), among them:
    "All existing resources in Terraform state (52 resources)" (REQ-022)
    "`terraform plan` shows 0 changes" (REQ-030)
    "Explicitly configured IAM roles in prod" (REQ-004)
    "4 GCS Buckets (terraform state, DVC, models, drift logs)" (REQ-013)
    "4 Service Accounts + 12 IAM role bindings" (REQ-015)

  # Budgets, Firestore indexes and Firestore field settings are not listed by Cloud Asset
  # Inventory: they are reported beside the result as "not verifiable", never as found.
  @PG-CAI-001 @REQ-022
  Scenario: Every resource in Terraform's state exists in the project
    Requirement REQ-022: "All existing resources in Terraform state (52 resources)" - and
    still in the project: a resource deleted behind Terraform's back breaks the service until
    an apply recreates it, empty.
    Given the live inventory
    Then every resource in Terraform's state exists in the project
    And policy "PG-CAI-001" passes

  @PG-CAI-002 @REQ-030
  Scenario: No managed resource has been changed outside Terraform
    Requirement REQ-030: "`terraform plan` shows 0 changes" - which proves nothing about a
    setting changed in the console since: switched-off versioning or a disabled alert stays
    unnoticed.
    Given the live inventory
    Then no managed resource has drifted
    And policy "PG-CAI-002" passes

  # The catalogue policy PG-CAI-003 covers every governed type; it is asserted in the
  # scenario below, so this one names only buckets.
  @PG-CAI-003 @REQ-013 @REQ-022
  Scenario: Every bucket in the project is managed by Terraform
    Requirement REQ-013: "4 GCS Buckets (terraform state, DVC, models, drift logs)" - and no
    fifth bucket made by hand, outside review and outside the bucket controls.
    Requirement REQ-022: "All existing resources in Terraform state (52 resources)".
    Given the live inventory
    Then every live resource of type "google_storage_bucket" is managed by Terraform

  @PG-CAI-003 @REQ-015 @REQ-022
  Scenario: Nothing of the stack's kinds runs outside Terraform
    Requirement REQ-015: "4 Service Accounts + 12 IAM role bindings" - a service account or
    any other resource made by hand escapes review; Google's own default service accounts
    excepted.
    Requirement REQ-022: "All existing resources in Terraform state (52 resources)".
    Given the live inventory
    Then every live resource is managed by Terraform
    And policy "PG-CAI-003" passes

  @PG-CAI-001 @PG-CAI-003 @REQ-022
  Scenario: Terraform describes the whole project
    Requirement REQ-022: "All existing resources in Terraform state (52 resources)" - the
    share of live resources that match Terraform's state one to one must stay above 95%.
    Given the live inventory
    Then the inventory covers at least 95% of the resources

  @PG-IAM-001 @REQ-004
  Scenario: No IAM grant in force gives a basic role
    Requirement REQ-004: "Explicitly configured IAM roles in prod" - also for grants made in
    the console: owner, editor and viewer give control of the whole project.
    Given the live inventory
    Then no live binding grants a basic role
    And policy "PG-IAM-001" passes

  @PG-IAM-002 @PG-GCS-005 @REQ-048
  Scenario: Nothing in the project is open to the public
    Requirement REQ-048: "Security Posture: 9/10" - no grant to allUsers or
    allAuthenticatedUsers anywhere, whoever made it.
    Given the live inventory
    Then no live binding grants a public principal
    And policies "PG-IAM-002", "PG-GCS-005" pass

  @PG-CAI-004 @REQ-004 @REQ-015
  Scenario: Every IAM grant in force is declared in Terraform
    Requirement REQ-015: "4 Service Accounts + 12 IAM role bindings" - and no others: a grant
    added by hand never shows in a plan, because Terraform adds members without owning the
    policy.
    Requirement REQ-004: "Explicitly configured IAM roles in prod" - in Terraform, not in the
    console.
    Given the live inventory
    Then no IAM grant is in force that Terraform does not declare
    And policy "PG-CAI-004" passes

  @PG-CAI-005 @REQ-015
  Scenario: Every IAM grant Terraform declares is in force
    Requirement REQ-015: "4 Service Accounts + 12 IAM role bindings" - a declared grant that
    is gone was removed outside Terraform, and a workload has lost access it needs.
    Given the live inventory
    Then every IAM grant Terraform declares is in force
    And policy "PG-CAI-005" passes
