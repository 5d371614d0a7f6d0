Feature: Tags, Background, Scenario Outlines and forced failures

  Background: buckets are in the plan
    Given I have google_storage_bucket defined

  Scenario: destroyed buckets fail the scenario (it fails)
    When its actions metadata has delete
    Then it fails

  Scenario: replaced buckets fail the scenario (it should fail)
    When its actions metadata has create
    And its actions metadata has delete
    Then it should fail

  Scenario: updated buckets (the scenario fails)
    When its actions metadata has update
    Then the scenario fails

  Scenario: buckets in the US (the scenario should fail)
    When its location is US
    Then the scenario should fail

  Scenario: buckets with a tmp name (the scenario must fail)
    When its name is "tmp" regex
    Then the scenario must fail

  Scenario: dev buckets (it should fail again)
    When its labels env is dev
    Then it should fail

  Scenario: force-destroyable buckets (it must fail again)
    When its force_destroy is true
    Then it must fail

  @exclude_google_storage_bucket.scratch
  Scenario: force_destroy is false except on the excluded scratch bucket
    Then it must contain force_destroy
    And its value must be false

  @ignore_.*scratch.*
  Scenario: the ignore tag is the exclude tag
    Then it must contain labels
    And it must contain team

  @noskip
  Scenario: with noskip, a resource type that is absent fails
    Given I have google_compute_instance defined
    Then it must contain name

  @no-skip
  Scenario: with no-skip, a filter that keeps nothing fails
    When its storage_class is ARCHIVE
    Then it must contain name

  @warning
  Scenario: a warning never fails
    Then it must contain force_destroy
    And its value must be false

  @case-sensitive
  Scenario: matching is case-sensitive under the tag
    Then it must contain location
    And its value must be eu

  Scenario: matching is case-insensitive by default
    Then it must contain location
    And its value must be eu

  Scenario Outline: every bucket has <attribute> <value>
    Then it must contain <attribute>
    And its value must be <value>

    Examples:
      | attribute                   | value    |
      | uniform_bucket_level_access | true     |
      | public_access_prevention    | enforced |
      | force_destroy               | false    |
      | storage_class               | NEARLINE |
