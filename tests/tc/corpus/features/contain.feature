Feature: Presence: it has, it contains, it must contain, it must not contain, drilling into blocks

  Scenario: buckets with a lifecycle rule delete old objects (it has)
    Given I have google_storage_bucket defined
    When it has lifecycle_rule
    Then it must contain action
    And it must contain type
    And its value must be Delete

  Scenario: buckets with labels (they have)
    Given I have google_storage_bucket defined
    When they have labels
    Then they must contain env

  Scenario: buckets without retention (it does not contain)
    Given I have google_storage_bucket defined
    When it does not contain retention_policy
    Then it must contain force_destroy
    And its value must be false

  Scenario: buckets without retention (it doesnt contain)
    Given I have google_storage_bucket defined
    When it doesnt contain retention_policy
    Then it must contain uniform_bucket_level_access

  Scenario: buckets without encryption (they do not have)
    Given I have google_storage_bucket defined
    When they do not have encryption
    Then it must fail

  Scenario: buckets without logging (they dont have)
    Given I have google_storage_bucket defined
    When they dont have logging
    Then it must contain labels

  Scenario: buckets without an autoclass block (it does not have)
    Given I have google_storage_bucket defined
    When it does not have autoclass
    Then it must contain storage_class
    And its value must be STANDARD

  Scenario: buckets without website (it doesnt have)
    Given I have google_storage_bucket defined
    When it doesnt have website
    Then it must contain url

  Scenario: legacy drill-down (it contains)
    Given I have google_storage_bucket defined
    When it contains versioning
    Then it must contain enabled
    And its value must be true

  Scenario: legacy drill-down (it contain)
    Given I have google_storage_bucket defined
    When it contain labels
    Then it must contain env
    And its value must match the "^(prod|dev|stage)$" regex

  Scenario: every bucket says whether it can be force-destroyed (it must have)
    Given I have google_storage_bucket defined
    Then it must have force_destroy
    And its value must be false

  Scenario: buckets have a url (they must contain)
    Given I have google_storage_bucket defined
    Then they must contain url

  Scenario: buckets have versioning (they must have)
    Given I have google_storage_bucket defined
    Then they must have versioning

  Scenario: nested blocks are searched at any depth
    Given I have google_cloud_run_v2_service defined
    Then it must contain containers
    And it must contain image
    And its value must match the "^europe-docker\.pkg\.dev/" regex

  Scenario: a property written as two words
    Given I have google_storage_bucket defined
    Then it must contain storage class

  Scenario: no bucket defines a retention policy (it must not contain)
    Given I have google_storage_bucket defined
    Then it must not contain retention_policy

  Scenario: no bucket sets force_destroy at all (it must not have)
    Given I have google_storage_bucket defined
    Then it must not have force_destroy

  Scenario: no bucket has website settings (they must not contain)
    Given I have google_storage_bucket defined
    Then they must not contain website

  Scenario: IAM grants carry no condition (they must not have)
    Given I have google_storage_bucket_iam_member defined
    Then they must not have condition

  Scenario: uniform access is enabled (is enabled)
    Given I have google_storage_bucket defined
    Then uniform_bucket_level_access is enabled

  Scenario: force_destroy is enabled (must be enabled)
    Given I have google_storage_bucket defined
    Then force_destroy must be enabled

  Scenario: versioning is enabled (is be enabled)
    Given I have google_storage_bucket defined
    Then versioning is be enabled

  Scenario: the url attribute is known (an attribute known only after apply)
    Given I have google_storage_bucket defined
    When its actions metadata has create
    Then it must contain url

  Scenario: every bucket carries labels (labels known only after apply)
    Given I have google_storage_bucket defined
    Then it must contain labels
