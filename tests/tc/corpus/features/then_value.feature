Feature: Then steps on values: be, null, contain, regexes, numbers, keys and sets

  Scenario: bucket names follow the naming scheme (its value must match)
    Given I have google_storage_bucket defined
    Then it must contain name
    And its value must match the "^acme-(prod|dev|stage)-[a-z]+$" regex

  Scenario: no bucket name mentions tmp (its value must not match)
    Given I have google_storage_bucket defined
    Then it must contain name
    And its value must not match the "tmp" regex

  Scenario: every label value is lower case (all of its values must match)
    Given I have google_storage_bucket defined
    Then it must contain labels
    And all of its values must match the "^[a-z0-9-]+$" regex

  Scenario: no label value is dev (all of its values must not match)
    Given I have google_storage_bucket defined
    Then it must contain labels
    And all of its values must not match the "^dev$" regex

  Scenario: the location is one value (its singular value must match)
    Given I have google_storage_bucket defined
    Then it must contain location
    And its singular value must match the "^(EU|EUROPE-WEST4)$" regex

  Scenario: the storage class is not archive (its singular value must not match)
    Given I have google_storage_bucket defined
    Then it must contain storage_class
    And its singular value must not match the "ARCHIVE" regex

  Scenario: some label names a team (any of its values must match)
    Given I have google_storage_bucket defined
    Then it must contain labels
    And any of its values must match the "^(data|ml)$" regex

  Scenario: no label is left empty (any of its values must not match)
    Given I have google_storage_bucket defined
    Then it must contain labels
    And any of its values must not match the "^$" regex

  Scenario: force_destroy is false (its value must be)
    Given I have google_storage_bucket defined
    Then it must contain force_destroy
    And its value must be false

  Scenario: storage class is not nearline (its value must not be)
    Given I have google_storage_bucket defined
    Then it must contain storage_class
    And its value must not be NEARLINE

  Scenario: lifecycle rules are set (its value must not be null)
    Given I have google_storage_bucket defined
    Then it must contain lifecycle_rule
    And its value must not be null

  Scenario: lifecycle rules are empty (its value must be null)
    Given I have google_storage_bucket defined
    Then it must contain lifecycle_rule
    And its value must be null

  Scenario: labels mention the environment (its value must contain)
    Given I have google_storage_bucket defined
    Then it must contain labels
    And its value must contain env

  Scenario: labels do not name an owner (its value must not contain)
    Given I have google_storage_bucket defined
    Then it must contain labels
    And its value must not contain owner

  Scenario: concurrency is at most 100 (less and equal to)
    Given I have google_cloud_run_v2_service defined
    Then it must contain max_instance_request_concurrency
    And its value must be less and equal to 100

  Scenario: at least two instances (greater and equal than)
    Given I have google_cloud_run_v2_service defined
    Then it must contain min_instance_count
    And its value must be greater and equal than 2

  Scenario: scaling to exactly five (equal to)
    Given I have google_cloud_run_v2_service defined
    Then it must contain max_instance_count
    And its value must be equal to 5

  Scenario: three buckets at most (I count them, less and equal to)
    Given I have google_storage_bucket defined
    When I count them
    Then I expect the result is less and equal to 3

  Scenario: more than one grant (I count it, bigger than)
    Given I have google_storage_bucket_iam_member defined
    When I count it
    Then I expect the result is bigger than 1

  Scenario: exactly one service (I count the value, equal to)
    Given I have google_cloud_run_v2_service defined
    When I count the value
    Then I expect the result is equal to 1

  Scenario: fewer than two buckets (smaller than)
    Given I have google_storage_bucket defined
    When I count them
    Then I expect the result is smaller than 2

  Scenario: a number on a string (lesser and equal than)
    Given I have google_storage_bucket defined
    When I count them
    Then I expect the result is lesser and equal than 10

  Scenario: the storage class without drilling down (its KEY must be)
    Given I have google_storage_bucket defined
    Then its storage_class must be STANDARD

  Scenario: the location property (its KEY property must not be)
    Given I have google_storage_bucket defined
    Then its location property must not be US

  Scenario: the public access key (its KEY key must be)
    Given I have google_storage_bucket defined
    Then its public_access_prevention key must be enforced

  Scenario: IAM buckets exist in the plan (it must be in)
    Given I have google_storage_bucket defined
    Given I have google_storage_bucket_iam_member defined
    Then it must contain bucket
    And it must be in {google_storage_bucket.values.name}

  Scenario: IAM buckets are a subset (it must be a subset of)
    Given I have google_storage_bucket defined
    Given I have google_storage_bucket_iam_member defined
    Then it must contain bucket
    And it must be a subset of {google_storage_bucket.values.name}

  Scenario: IAM grants cover every bucket (it must cover)
    Given I have google_storage_bucket defined
    Given I have google_storage_bucket_iam_member defined
    Then it must contain bucket
    And it must cover {google_storage_bucket.values.name}

  Scenario: IAM grants are a superset (it must be a superset of)
    Given I have google_storage_bucket defined
    Given I have google_storage_bucket_iam_member defined
    Then it must contain bucket
    And it must be a superset of {google_storage_bucket.values.name}

  Scenario: grants are not to buckets (it must not be in)
    Given I have google_storage_bucket defined
    Given I have google_storage_bucket_iam_member defined
    Then it must contain bucket
    And it must not be in {google_storage_bucket.values.name}

  Scenario: grants not a subset (it must not be a subset of)
    Given I have google_storage_bucket defined
    Given I have google_storage_bucket_iam_member defined
    Then it must contain bucket
    And it must not be a subset of {google_storage_bucket.values.name}

  Scenario: grants do not cover (it must not cover)
    Given I have google_storage_bucket defined
    Given I have google_storage_bucket_iam_member defined
    Then it must contain bucket
    And it must not cover {google_storage_bucket.values.name}

  Scenario: grants not a superset (it must not be a superset of)
    Given I have google_storage_bucket defined
    Given I have google_storage_bucket_iam_member defined
    Then it must contain bucket
    And it must not be a superset of {google_storage_bucket.values.name}

  Scenario: flattened label values are lower case
    Given I have google_storage_bucket defined
    Then it must contain labels
    Then I flatten all values found
    And its value must match the "^[a-z]+$" regex

  Scenario: grants reference their bucket
    Given I have google_storage_bucket_iam_member defined
    Then it must have "google_storage_bucket.assets" referenced
