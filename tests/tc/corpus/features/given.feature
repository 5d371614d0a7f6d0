Feature: Given steps select resources, providers, data sources, variables and outputs

  Scenario: buckets are defined and counted
    Given I have google_storage_bucket defined
    When I count them
    Then I expect the result is more than 2

  Scenario: a resource type that is not in the plan skips the scenario
    Given I have google_compute_instance defined
    Then it must contain name

  Scenario: any resource carries a name
    Given I have any resource defined
    Then it must contain name

  Scenario: a resource has a project
    Given I have a resource defined
    Then it must contain project

  Scenario: all resources counted
    Given I have resources defined
    When I count them
    Then I expect the result is greater and equal than 4

  Scenario: resources that support labels carry an env label
    Given I have resource that supports labels defined
    Then it must contain labels
    And it must contain env

  Scenario: resources that support labels carry a team label
    Given I have resource that supports labels defined
    Then it must contain labels
    And it must contain team

  Scenario: the google provider is configured
    Given I have google provider configured
    Then it must contain version_constraint

  Scenario: the google providers are configured with a project
    Given I have google providers configured
    Then it must contain project

  Scenario: the aws provider is not configured
    Given I have aws provider configured
    Then it must fail

  Scenario: the project data source is read
    Given I have google_project data configured
    Then it must contain project_id
    And its value must be acme-prod

  Scenario: data sources named in the plural form
    Given I have google_project datas configured
    Then it must contain number

  Scenario: the buckets resource section form
    Given I have google_storage_bucket resources configured
    Then it must contain location
    And its value must be EU

  Scenario: the region variable is set
    Given I have region variable configured
    Then its value must match the "^europe-" regex

  Scenario: the project variables form
    Given I have project variables configured
    Then its value must be acme-prod

  Scenario: every variable has a description
    Given I have a variable defined
    Then it must contain description

  Scenario: variables carry a validation block
    Given I have any variable defined
    Then it must contain validation

  Scenario: variables plural form
    Given I have variables defined
    Then it must contain description

  Scenario: outputs reference something
    Given I have an output defined
    Then it must contain expression

  Scenario: outputs are never sensitive
    Given I have any output defined
    Then it must not contain sensitive

  Scenario: outputs plural form
    Given I have outputs defined
    When I count them
    Then I expect the result is less than 3
