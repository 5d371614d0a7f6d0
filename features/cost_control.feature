@cost-control
Feature: Cost control - spending is capped by a watched budget and images are cleaned up
  Purpose: each environment has one monthly budget in euros. It warns at 25%, 50%, 90% and
  100% of the month's actual spend, and every alert is also published to a Pub/Sub topic so
  that automation can react. The container registry deletes untagged images after 30 days
  while always keeping the ten most recent versions for rollback.

  Risks: without the early 25% warning an unexpected cost is noticed late; a budget whose
  alerts go nowhere is silent; a registry without cleanup grows without limit; a cleanup
  age written in days instead of seconds is rejected by the API, and a policy that deletes
  every old image removes the images needed to roll back.

  Requirements: REQ-006, REQ-011, REQ-014, REQ-020, REQ-025, REQ-035, REQ-036
  (docs/requirements.md), among them:
    "Added 25% budget threshold for early warning" (REQ-011)
    "Added pubsub_topic_name default value" (REQ-006)
    "1 Budget + 1 PubSub topic" (REQ-020)
    "Artifact Registry `older_than` format - Fixed to seconds" (REQ-025)

  # ------------------------------------------------------------------------------- budget

  @PG-BUD-001 @REQ-011 @REQ-020
  Scenario: The budget warns at 25%, 50%, 90% and 100% of actual spend
    Requirement REQ-011: "Added 25% budget threshold for early warning".
    Requirement REQ-020: "1 Budget + 1 PubSub topic" - exactly one budget.
    Given resources of type "google_billing_budget"
    Then there is exactly one
    And the budget alerts at exactly these thresholds:
      | 25% | 50% | 90% | 100% |
    And their "threshold_rules.spend_basis" is "CURRENT_SPEND"
    And policy "PG-BUD-001" passes

  # docs/infrastructure.md, Environments: 300 EUR in prod, 100 in staging, 50 in dev.
  @PG-BUD-002 @PG-BUD-003 @REQ-006 @REQ-020
  Scenario Outline: Each environment has its monthly budget, reported to Pub/Sub
    Requirement REQ-020: "1 Budget + 1 PubSub topic".
    Requirement REQ-006: "Added pubsub_topic_name default value".
    Given the <environment> plan
    And resources of type "google_billing_budget"
    Then its "amount[0].specified_amount[0].units" is "<amount>"
    And its "amount[0].specified_amount[0].currency_code" is "EUR"
    And its "budget_filter[0].calendar_period" is "MONTH"
    And its "all_updates_rule[0].pubsub_topic" is "projects/ct-scan-mlops-<environment>/topics/budget-alerts"
    And policies "PG-BUD-002", "PG-BUD-003" pass

    Examples:
      | environment | amount |
      | prod        | 300    |
      | staging     | 100    |
      | dev         | 50     |

  @PG-BUD-002 @REQ-006 @REQ-020
  Scenario: The budget alert topic exists
    Requirement REQ-020: "1 Budget + 1 PubSub topic".
    Requirement REQ-006: "Added pubsub_topic_name default value" - the topic it names.
    Given resources of type "google_pubsub_topic"
    Then there is exactly one
    And its "name" is "budget-alerts"
    And policy "PG-BUD-002" passes

  @PG-BUD-002 @REQ-006
  Scenario: Budget alerts are published to the topic this stack manages
    Requirement REQ-006: "Added pubsub_topic_name default value" - the budget reports to the
    topic created beside it.
    Given resources of type "google_billing_budget"
    Then their "all_updates_rule.pubsub_topic" refers to "google_pubsub_topic.budget_alerts"
    And their "all_updates_rule.pubsub_topic" is one of the "id" values of resources of type "google_pubsub_topic"

  # docs/infrastructure.md, Rules every module follows: each labellable resource carries the
  # project, environment and managed_by labels, so costs can be split by environment.
  @PG-LBL-001 @REQ-035
  Scenario Outline: Every labelled resource names its project, its environment and Terraform
    Requirement REQ-035: "Test safe change (add/remove label)" - labels are part of the
    stack's contract.
    Given the <environment> plan
    And resources that support "terraform_labels"
    Then there are at least 5
    And their "terraform_labels.project" is "ct-scan-mlops"
    And their "terraform_labels.environment" is "<environment>"
    And their "terraform_labels.managed_by" is "terraform"
    And policy "PG-LBL-001" passes

    Examples:
      | environment |
      | prod        |
      | staging     |
      | dev         |

  # ------------------------------------------------------------------- Artifact Registry

  @PG-AR-001 @PG-AR-002 @PG-AR-003 @REQ-014 @REQ-025 @REQ-036
  Scenario: Old container images are cleaned up, rollback images are kept
    Requirement REQ-025: "Artifact Registry `older_than` format - Fixed to seconds" (30 days
    is "2592000s").
    Requirement REQ-036: "Validate rollback procedures" - the ten most recent images stay.
    Requirement REQ-014: "1 Artifact Registry + 3 IAM bindings" - exactly one repository.
    Given resources of type "google_artifact_registry_repository"
    Then there is exactly one
    And its "cleanup_policy_dry_run" is false
    And its "cleanup_policies" contains {"action": "DELETE", "condition": [{"tag_state": "UNTAGGED", "older_than": "2592000s"}]}
    And its "cleanup_policies" contains {"action": "KEEP", "most_recent_versions": [{"keep_count": 10}]}
    And policies "PG-AR-001", "PG-AR-002", "PG-AR-003" pass
