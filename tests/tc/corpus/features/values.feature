Feature: When steps on values: is, has, includes, contains, entries and regexes

  Scenario: EU buckets are versioned (is)
    Given I have google_storage_bucket defined
    When its location is EU
    Then it must contain versioning
    And it must contain enabled
    And its value must be true

  Scenario: buckets labelled for the data team (has)
    Given I have google_storage_bucket defined
    When its labels has team
    Then it must contain force_destroy
    And its value must be false

  Scenario: prod buckets have a team (includes)
    Given I have google_storage_bucket defined
    When its labels includes env
    Then it must contain labels
    And it must contain team

  Scenario: public grants (contains)
    Given I have google_storage_bucket_iam_member defined
    When its member contains allUsers
    Then it must fail

  Scenario: nested value by address (values location is)
    Given I have google_storage_bucket defined
    When its values location is EU
    Then it must contain storage_class
    And its value must be STANDARD

  Scenario: labels env has prod (address has)
    Given I have google_storage_bucket defined
    When its labels env has prod
    Then it must contain uniform_bucket_level_access
    And its value must be true

  Scenario: labels env includes prod (address includes)
    Given I have google_storage_bucket defined
    When its labels env includes prod
    Then it must contain force_destroy
    And its value must be false

  Scenario: labels team contains data (address contains)
    Given I have google_storage_bucket defined
    When its labels team contains data
    Then it must contain location
    And its value must be EU

  Scenario: buckets labelled for prod have a team (includes an entry where)
    Given I have google_storage_bucket defined
    When its labels includes an entry where env is prod
    Then it must contain labels
    And it must contain team

  Scenario: buckets named for prod (is regex)
    Given I have google_storage_bucket defined
    When its name is "^acme-prod-" regex
    Then it must contain force_destroy
    And its value must be false

  Scenario: buckets in a multi-region (has regex)
    Given I have google_storage_bucket defined
    When its location has "^(EU|US)$" regex
    Then it must contain public_access_prevention
    And its value must be enforced

  Scenario: standard buckets (includes regex)
    Given I have google_storage_bucket defined
    When its storage_class includes "^STAND" regex
    Then it must contain labels
    And it must contain team

  Scenario: role names (contains regex)
    Given I have google_storage_bucket_iam_member defined
    When its role contains "^roles/storage\." regex
    Then it must contain member
    And its value must match the "^serviceAccount:" regex

  Scenario: labels env by regex (address is regex)
    Given I have google_storage_bucket defined
    When its labels env is "^(prod|dev)$" regex
    Then it must contain force_destroy
    And its value must be false

  Scenario: labels team by regex (address has regex)
    Given I have google_storage_bucket defined
    When its labels team has "^d" regex
    Then it must contain storage_class
    And its value must be STANDARD

  Scenario: values name by regex (address includes regex)
    Given I have google_storage_bucket defined
    When its values name includes "-logs$" regex
    Then it must contain lifecycle_rule

  Scenario: values location by regex (address contains regex)
    Given I have google_storage_bucket defined
    When its values location contains "^US$" regex
    Then it must fail

  Scenario: prod and stage buckets by label regex (includes an entry where regex)
    Given I have google_storage_bucket defined
    When its labels includes an entry where env is "^(prod|stage)$" regex
    Then it must contain force_destroy
    And its value must be false

  Scenario: buckets outside the EU (is not)
    Given I have google_storage_bucket defined
    When its location is not EU
    Then it must fail

  Scenario: buckets without a team (has not)
    Given I have google_storage_bucket defined
    When its labels has not team
    Then it must fail

  Scenario: non-public grants (does not include)
    Given I have google_storage_bucket_iam_member defined
    When its member does not include allUsers
    Then it must contain role
    And its value must be roles/storage.objectViewer

  Scenario: buckets not archived (does not contain)
    Given I have google_storage_bucket defined
    When its storage_class does not contain ARCHIVE
    Then it must contain uniform_bucket_level_access
    And its value must be true

  Scenario: labels env is not prod (address is not)
    Given I have google_storage_bucket defined
    When its labels env is not prod
    Then it must contain force_destroy
    And its value must be false

  Scenario: values location has not EU (address has not)
    Given I have google_storage_bucket defined
    When its values location has not EU
    Then it must fail

  Scenario: labels team does not include data (address does not include)
    Given I have google_storage_bucket defined
    When its labels team does not include data
    Then it must fail

  Scenario: values name does not contain scratch (address does not contain)
    Given I have google_storage_bucket defined
    When its values name does not contain scratch-tmp
    Then it must contain force_destroy
    And its value must be false

  Scenario: buckets not labelled prod (does not include an entry where)
    Given I have google_storage_bucket defined
    When its labels does not include an entry where env is prod
    Then it must fail

  Scenario: names not for prod (is not regex)
    Given I have google_storage_bucket defined
    When its name is not "^acme-prod-" regex
    Then it must contain force_destroy
    And its value must be false

  Scenario: location not EU by regex (has not regex)
    Given I have google_storage_bucket defined
    When its location has not "^EU$" regex
    Then it must fail

  Scenario: storage class not cold (does not include regex)
    Given I have google_storage_bucket defined
    When its storage_class does not include "^(COLDLINE|ARCHIVE)$" regex
    Then it must contain versioning

  Scenario: members not public (does not contain regex)
    Given I have google_storage_bucket_iam_member defined
    When its member does not contain "^all" regex
    Then it must contain bucket
    And its value must match the "^acme-" regex

  Scenario: labels env not prod by regex (address is not regex)
    Given I have google_storage_bucket defined
    When its labels env is not "^prod$" regex
    Then it must fail

  Scenario: labels team not data by regex (address has not regex)
    Given I have google_storage_bucket defined
    When its labels team has not "^data$" regex
    Then it must fail

  Scenario: values name not logs by regex (address does not include regex)
    Given I have google_storage_bucket defined
    When its values name does not include "-logs$" regex
    Then it must contain versioning
    And it must contain enabled
    And its value must be true

  Scenario: values location not US by regex (address does not contain regex)
    Given I have google_storage_bucket defined
    When its values location does not contain "^US$" regex
    Then it must contain location
    And its value must be EU

  Scenario: buckets not of the data team by regex (does not include an entry where regex)
    Given I have google_storage_bucket defined
    When its labels does not include an entry where team is "^data$" regex
    Then it must contain location
    And its value must match the "^(EU|EUROPE-WEST4)$" regex