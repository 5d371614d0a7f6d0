Feature: When steps on metadata: actions, address, type, module, provider, index

  Scenario: nothing is destroyed or replaced
    Given I have google_storage_bucket defined
    When its actions metadata has delete
    Then it must fail

  Scenario: replaced buckets (metadata is)
    Given I have google_storage_bucket defined
    When its actions metadata is create
    Then it must contain force_destroy
    And its value must be false

  Scenario: created resources (metadata contains)
    Given I have any resource defined
    When its actions metadata contains create
    Then it must contain project

  Scenario: unchanged buckets (metadata includes)
    Given I have google_storage_bucket defined
    When its actions metadata includes no-op
    Then it must contain versioning
    And it must contain enabled
    And its value must be true

  Scenario: bucket addresses by regex (metadata has regex)
    Given I have google_storage_bucket defined
    When its address metadata has "^google_storage_bucket\.(logs|assets)$" regex
    Then it must contain uniform_bucket_level_access
    And its value must be true

  Scenario: module buckets by regex (metadata is regex)
    Given I have google_storage_bucket defined
    When its module_address metadata is "^module\.storage$" regex
    Then it must contain storage_class
    And its value must be STANDARD

  Scenario: type by regex (metadata contains regex)
    Given I have any resource defined
    When its type metadata contains "iam_member$" regex
    Then it must contain member
    And its value must not match the "^all(Users|AuthenticatedUsers)$" regex

  Scenario: provider by regex (metadata includes regex)
    Given I have google_storage_bucket defined
    When its provider_name metadata includes "google$" regex
    Then it must contain public_access_prevention
    And its value must be enforced

  Scenario: changed buckets (metadata has not)
    Given I have google_storage_bucket defined
    When its actions metadata has not no-op
    Then it must contain force_destroy
    And its value must be false

  Scenario: not the logs bucket (metadata is not)
    Given I have google_storage_bucket defined
    When its name metadata is not logs
    Then it must contain labels
    And it must contain team

  Scenario: not updated (metadata does not have)
    Given I have google_storage_bucket defined
    When its actions metadata does not have update
    Then it must contain location
    And its value must be EU

  Scenario: not replaced (metadata does not contain)
    Given I have google_storage_bucket defined
    When its actions metadata does not contain delete
    Then it must contain force_destroy
    And its value must be false

  Scenario: not created (metadata does not include)
    Given I have google_storage_bucket_iam_member defined
    When its actions metadata does not include create
    Then it must fail

  Scenario: not in a module (metadata has not regex)
    Given I have google_storage_bucket defined
    When its address metadata has not "^module\." regex
    Then it must contain labels
    And it must contain env
    And its value must be prod

  Scenario: index by regex (metadata is not regex)
    Given I have google_storage_bucket defined
    When its type metadata is not "^google_compute_" regex
    Then it must contain name

  Scenario: not the scratch bucket (metadata does not have regex)
    Given I have google_storage_bucket defined
    When its name metadata does not have "scratch|old|legacy" regex
    Then it must contain force_destroy
    And its value must be false

  Scenario: mode by regex (metadata does not contain regex)
    Given I have any resource defined
    When its mode metadata does not contain "^data$" regex
    Then it must contain project

  Scenario: not a bucket (metadata does not include regex)
    Given I have any resource defined
    When its type metadata does not include "^google_storage_bucket$" regex
    Then it must contain location
