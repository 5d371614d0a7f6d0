"""The pytest-bdd step library: controls written in Gherkin, judged on Terraform plans.

Running
    Every `*.feature` under the features directory (`[tool.plangate] features`, default
    "features"; it must be among the paths pytest collects, e.g. `testpaths`) runs with plain
    `pytest`, no test module and no `scenarios()` call. Each scenario runs once per configured
    plan (`--plan` or `[tool.plangate] plans`): `features/storage.feature::test_name[prod]`.
    Tags become marks (`-m PG-GCS-001`) and are registered, so `--strict-markers` accepts them.
    Two scenarios with one name in a file are a collection error (pytest-bdd would keep one).

Selection (Given, or When to narrow). The first selection step selects from the whole plan;
every later one narrows. Everything comes from `resource_changes`, so pure deletes are seen.
    Given resources of type "google_storage_bucket"            ("a" or "b" for several)
    Given data sources of type "google_project"
    Given all resources
    Given resources in module "storage"                        (every instance, and modules it calls)
    Given resources in module 'module.storage["eu"]'           (one instance; single quotes hold ")
    Given resources in the root module
    Given resources matching address "module.iam.*"            (* any run, ? one char, [ ] literal)
    Given resources that will be deleted                       (also: will not be)
        actions: created, updated, replaced, deleted (pure delete), destroyed (delete or
        replace), forgotten, imported, moved, read, changed, unchanged; join with "or"
    Clauses combine in one step: resources of type "T" in module "m" that will be replaced
    And they will be deleted / When they will not be replaced
    When their "location" is "EU"                              (any predicate below)
    When they have "labels.environment" / When they do not have "retention_policy"
    Given the <environment> plan                               (or: the "prod" plan)

Assertions (Then) on every selected resource; `its` works for `their`, `it has` for `they have`.
    Then their "PATH" is VALUE | is not VALUE | is one of A, B | is not one of A or B
        | is greater than N | is less than N | is at least N | is at most N
        | matches "REGEX" | does not match "REGEX"   (the whole string must match)
        | contains VALUE | does not contain VALUE   (list element, substring, object key, or
          an object/list that matches on the keys it names)
        | is present | is absent                    (absent = missing, null, [] or {})
        | changes | does not change                 (before vs after)
    Then they have "PATH" / Then they do not have "PATH"
    Then their attributes are:     | attribute | value |   (table of equalities)
    Then the budget alerts at these thresholds:   | 25% | 50% | 90% | 100% |
        (`exactly these thresholds`; cells are 25% or 0.25; all budgets if nothing is selected)
    Then they will not be destroyed                (any action list, as above)
    Then there is at least one / there are exactly N / at least N / at most N / more than N
        / fewer than N / there are no resources    (numbers as digits or one..ten)
    Values are JSON (`"ABANDON"`, `true`, `0.85`, `[1, 2]`, `{"a": 1}`) or one bare word.
    Paths: `versioning[0].enabled`, `versioning.0.enabled`; a name applied to a list applies to
    each element (`lifecycle_rule.action.type` checks every rule), and all must pass.

Plan level
    Then the plan has no changes | no deletes (deletes and replacements) | no drift
    Then the plan is complete and not errored
    Then output "NAME" does not change | changes | is VALUE
    Then policy "PG-GCS-001" passes   (also: policies "A", "B" pass) - the catalogue policy,
        judged by the engine once per plan per session; waived findings pass and are shown;
        a policy with nothing to judge skips; an unknown id fails and lists the known ones.

Inventory (features tagged @conformance; once per session on --cai-project or --cai-export)
    Given the live inventory                      (skips without one: "no inventory: ...")
    Then every resource in Terraform's state exists in the project
    Then no managed resource has drifted
    Then every live resource of type "T" is managed by Terraform     (or: every live resource)
    Then no live binding grants a basic role | a public principal
    Then no IAM grant is in force that Terraform does not declare
    Then every IAM grant Terraform declares is in force
    Then the inventory covers at least 95% of the resources
    Then policy "PG-CAI-001" passes               (the session's conformance run)

Outcomes
    * Unknown ("known after apply") is its own outcome: a check that depends on it fails and
      says "(known after apply)", unless the step ends with "or known after apply". A filter
      that cannot decide fails the same way (or keeps the resource with that ending).
    * Sensitive values are never read, so never printed: a comparison on one fails as
      "(sensitive)"; "is present" passes on it.
    * An empty selection fails every assertion on the selected resources ("nothing to
      check"); with "(if any)" at the end of a selection or filter step the scenario is
      skipped instead, with the reason. Count steps are explicit and never need it.
    * `Given the prod plan` on a plan of another environment skips, naming both plans. If no
      plan of the session is prod, it also warns that the control was checked nowhere
      (`-W error::pytest.PytestWarning` turns that into a failure).
    * A deleted or forgotten resource is judged on its values before the change, and its
      failure line says so.
    * Every failure starts with `file.feature:LINE: Keyword step text`, names the plan, and
      lists every offending resource with attribute, expected and actual value.
"""
