"""Every step form of terraform-compliance 1.16, passing and failing, on plans of three formats."""

from __future__ import annotations

import pytest

from plangate.tc.registry import FORMS
from tests.tc.conftest import Scenario

BUCKETS = "Given I have google_storage_bucket defined"
CASES: list[tuple[str, str, str]] = [
    # Given: what `defined` selects
    ("defined", f"{BUCKETS}\nThen it must contain name", "passed"),
    ("defined-missing", "Given I have aws_s3_bucket defined\nThen it must contain name", "skipped"),
    ("noskip", "@noskip\nGiven I have aws_s3_bucket defined\nThen it must contain name", "failed"),
    (
        "noskip-at-line",
        "@noskip_at_line_4\nGiven I have aws_s3_bucket defined\nThen it must fail",
        "failed",
    ),
    (
        "configured",
        "Given I have google_storage_bucket resource configured\nThen it must fail",
        "failed",
    ),
    (
        "any-resource",
        "Given I have any resource defined\nWhen I count them\nThen I expect the result is equal to 5",
        "passed",
    ),
    (
        "resources-count",
        "Given I have resources defined\nWhen I count them\nThen its value must be more than 9",
        "failed",
    ),
    (
        "supports-labels",
        "Given I have resource that supports labels defined\nThen it must contain labels",
        "passed",
    ),
    (
        "supports-missing",
        "Given I have resource that supports tags defined\nThen it must fail",
        "skipped",
    ),
    ("variable", "Given I have region variable configured\nThen it must contain value", "passed"),
    ("variables", "Given I have a variable defined\nThen it must fail", "failed"),
    (
        "variable-value",
        'Given I have region variable configured\nThen its value must match the "^europe-" regex',
        "passed",
    ),
    (
        "variable-value-mismatch",
        "Given I have region variable configured\nThen its value must be us-east1",
        "failed",
    ),
    # tc's `it must (not) contain` judges resources, data sources and providers, never these
    ("variable-contain-noop", "Given I have a variable defined\nThen it must contain x", "passed"),
    ("outputs-missing", "Given I have nothing output configured\nThen it must fail", "skipped"),
    ("provider", "Given I have google provider configured\nThen it must contain name", "passed"),
    ("provider-missing", "Given I have aws provider configured\nThen it must fail", "skipped"),
    ("data-missing", "Given I have google_project data configured\nThen it must fail", "skipped"),
    ("bad-section", "Given I have x module configured\nThen it must fail", "failed"),
    (
        "exclude",
        "@exclude_google_storage_bucket.b\n"
        + BUCKETS
        + "\nThen it must contain location\nAnd its value must be EU",
        "passed",
    ),
    (
        "exclude-all",
        "@exclude_google_storage_bucket.*\n" + BUCKETS + "\nThen it must fail",
        "skipped",
    ),
    (
        "pure-delete-visible",
        "Given I have google_compute_instance defined\nWhen its actions metadata has delete\nThen it must fail",
        "failed",
    ),
    # When: metadata
    (
        "metadata-has",
        f"{BUCKETS}\nWhen its actions metadata has create\nThen it must contain location\nAnd its value must be EU",
        "passed",
    ),
    (
        "metadata-is",
        f"{BUCKETS}\nWhen its address metadata is google_storage_bucket.b\nThen its value must fail",
        "failed",
    ),
    (
        "metadata-contains",
        f"{BUCKETS}\nWhen its actions metadata contains update\nThen it must fail",
        "failed",
    ),
    (
        "metadata-includes-none",
        f"{BUCKETS}\nWhen its actions metadata includes delete\nThen it must fail",
        "skipped",
    ),
    (
        "metadata-regex",
        f'{BUCKETS}\nWhen its address metadata has "bucket\\.a$" regex\nThen it must fail',
        "skipped",
    ),
    (
        "metadata-regex-hit",
        f'{BUCKETS}\nWhen its address metadata is "google_storage_bucket\\.a" regex\nThen it must fail',
        "failed",
    ),
    (
        "metadata-has-not",
        f"{BUCKETS}\nWhen its actions metadata has not update\nThen it must contain location\nAnd its value must be EU",
        "passed",
    ),
    (
        "metadata-does-not-include",
        f"{BUCKETS}\nWhen its actions metadata does not include update\nThen it must fail",
        "failed",
    ),
    (
        "metadata-not-regex",
        f'{BUCKETS}\nWhen its address metadata does not contain "google.*" regex\nThen it must fail',
        "skipped",
    ),
    (
        "metadata-values-refused",
        f"{BUCKETS}\nWhen its values metadata has x\nThen it must fail",
        "failed",
    ),
    # When: its KEY is VALUE
    (
        "key-is",
        f"{BUCKETS}\nWhen its location is EU\nThen it must contain force_destroy\nAnd its value must be false",
        "passed",
    ),
    ("key-is-none", f"{BUCKETS}\nWhen its location is ASIA\nThen it must fail", "skipped"),
    (
        "key-has-list",
        "Given I have google_compute_firewall defined\nWhen its source_ranges has 0.0.0.0/0\nThen it must fail",
        "failed",
    ),
    (
        "key-contains-dict",
        f"{BUCKETS}\nWhen its labels contains env\nThen it must contain location\nAnd its value must be EU",
        "passed",
    ),
    (
        "key-includes-bool",
        f"{BUCKETS}\nWhen its force_destroy includes true\nThen it must contain name\nAnd its value must be b",
        "passed",
    ),
    (
        "key-address-form",
        f"{BUCKETS}\nWhen its team labels is platform\nThen it must contain name\nAnd its value must be a",
        "passed",
    ),
    (
        "entry-where",
        f"{BUCKETS}\nWhen its labels includes an entry where team is data\nThen it must contain name\nAnd its value must be b",
        "passed",
    ),
    (
        "entry-where-regex",
        f'{BUCKETS}\nWhen its labels includes an entry where team is "plat.*" regex\nThen it must contain name\nAnd its value must be a',
        "passed",
    ),
    (
        "not-entry-where",
        f"{BUCKETS}\nWhen its labels does not include an entry where team is data\nThen it must contain name\nAnd its value must be a",
        "passed",
    ),
    (
        "not-entry-where-regex",
        f'{BUCKETS}\nWhen its labels does not include an entry where team is "d.*" regex\nThen it must contain name\nAnd its value must be a',
        "passed",
    ),
    (
        "key-regex",
        f'{BUCKETS}\nWhen its location is "E.*" regex\nThen it must contain name\nAnd its value must be a',
        "passed",
    ),
    (
        "key-has-regex-address",
        f'{BUCKETS}\nWhen its team labels has "da.*" regex\nThen it must contain name\nAnd its value must be b',
        "passed",
    ),
    (
        "key-is-not",
        f"{BUCKETS}\nWhen its location is not EU\nThen it must contain name\nAnd its value must be b",
        "passed",
    ),
    (
        "key-has-not-all",
        f"{BUCKETS}\nWhen its name has not a\nAnd its name has not b\nThen it must fail",
        "skipped",
    ),
    (
        "key-does-not-contain-list",
        "Given I have google_compute_firewall defined\nWhen its source_ranges does not contain 10.0.0.0/8\nThen it must fail",
        "failed",
    ),
    (
        "key-is-not-regex",
        f'{BUCKETS}\nWhen its location is not "E.*" regex\nThen it must contain name\nAnd its value must be b',
        "passed",
    ),
    (
        "key-not-address-form",
        f"{BUCKETS}\nWhen its team labels is not data\nThen it must contain name\nAnd its value must be a",
        "passed",
    ),
    (
        "key-unknown-undecidable",
        f"{BUCKETS}\nWhen its self_link is https://b\nThen it must fail",
        "failed",
    ),
    ("key-missing", f"{BUCKETS}\nWhen its nothing is x\nThen it must fail", "skipped"),
    # When: presence
    (
        "it-has",
        f"{BUCKETS}\nWhen it has lifecycle_rule\nThen it must contain name\nAnd its value must be a",
        "passed",
    ),
    ("they-have", f"{BUCKETS}\nWhen they have nothing_here\nThen it must fail", "skipped"),
    (
        "it-contains",
        f'{BUCKETS}\nWhen it contains location\nThen its value must match the "^(EU|US)$" regex',
        "passed",
    ),
    ("it-contain", f"{BUCKETS}\nWhen it contain location\nThen its value must be EU", "failed"),
    (
        "it-does-not-have",
        f"{BUCKETS}\nWhen it does not have lifecycle_rule\nThen it must contain name\nAnd its value must be b",
        "passed",
    ),
    ("it-doesnt-have", f"{BUCKETS}\nWhen it doesnt have name\nThen it must fail", "skipped"),
    (
        "they-do-not-have",
        f"{BUCKETS}\nWhen they do not have lifecycle_rule\nThen it must fail",
        "failed",
    ),
    ("they-dont-have", f"{BUCKETS}\nWhen they dont have nothing\nThen it must fail", "failed"),
    (
        "it-does-not-contain",
        f"{BUCKETS}\nWhen it does not contain nothing\nThen it must fail",
        "failed",
    ),
    (
        "it-doesnt-contain",
        f"{BUCKETS}\nWhen it doesnt contain location\nThen it must fail",
        "skipped",
    ),
    (
        "count-them",
        f"{BUCKETS}\nWhen I count them\nThen I expect the result is less than 3",
        "passed",
    ),
    ("count-it", f"{BUCKETS}\nWhen I count it\nThen its value must be equal to 3", "failed"),
    (
        "count-value",
        f"{BUCKETS}\nWhen I count the value\nThen its value must be greater and equal to 2",
        "passed",
    ),
    # Then: contain
    (
        "must-contain-nested",
        f"{BUCKETS}\nThen it must contain versioning\nAnd it must contain enabled\nAnd its value must be true",
        "failed",
    ),
    ("must-contain-deep", f"{BUCKETS}\nThen it must contain enabled", "passed"),
    ("must-have-missing", f"{BUCKETS}\nThen it must have website", "failed"),
    ("they-must-contain", f"{BUCKETS}\nThen they must contain location", "passed"),
    ("they-must-have", f"{BUCKETS}\nThen they must have nothing", "failed"),
    ("must-not-contain", f"{BUCKETS}\nThen it must not contain website", "passed"),
    ("must-not-have", f"{BUCKETS}\nThen it must not have location", "failed"),
    ("they-must-not-contain", f"{BUCKETS}\nThen they must not contain nothing", "passed"),
    ("they-must-not-have", f"{BUCKETS}\nThen they must not have labels", "failed"),
    ("must-contain-unknown-present", f"{BUCKETS}\nThen it must contain self_link", "passed"),
    # Then: value checks
    (
        "value-regex",
        f'{BUCKETS}\nThen it must contain location\nAnd its value must match the "^(EU|US)$" regex',
        "passed",
    ),
    (
        "value-regex-fail",
        f'{BUCKETS}\nThen it must contain location\nAnd its value must match the "^EU$" regex',
        "failed",
    ),
    (
        "value-not-regex",
        f'{BUCKETS}\nThen it must contain location\nAnd its value must not match the "^ASIA$" regex',
        "passed",
    ),
    (
        "all-values-regex",
        f'{BUCKETS}\nThen it must contain labels\nAnd all of its values must match the "^[a-z]+$" regex',
        "passed",
    ),
    (
        "any-values-regex",
        f'{BUCKETS}\nThen it must contain labels\nAnd any of its values must match the "^prod$" regex',
        "passed",
    ),
    (
        "any-values-regex-none",
        f'{BUCKETS}\nThen it must contain labels\nAnd any of its values must match the "^ops$" regex',
        "failed",
    ),
    (
        "singular-value",
        f'{BUCKETS}\nThen it must contain labels\nAnd its singular value must match the "^x$" regex',
        "failed",
    ),
    (
        "value-regex-unknown",
        f'{BUCKETS}\nThen it must contain self_link\nAnd its value must match the "^https" regex',
        "failed",
    ),
    (
        "value-be",
        f"{BUCKETS}\nThen it must contain location\nAnd its value must not be ASIA",
        "passed",
    ),
    (
        "value-be-fail",
        f"{BUCKETS}\nThen it must contain force_destroy\nAnd its value must be false",
        "failed",
    ),
    (
        "value-null",
        f"{BUCKETS}\nThen it must contain location\nAnd its value must not be null",
        "passed",
    ),
    (
        "value-null-fail",
        f"{BUCKETS}\nThen it must contain location\nAnd its value must be null",
        "failed",
    ),
    (
        "value-null-unknown",
        f"{BUCKETS}\nThen it must contain self_link\nAnd its value must not be null",
        "failed",
    ),
    (
        "value-contain",
        f"{BUCKETS}\nThen it must contain labels\nAnd its value must contain platform",
        "failed",
    ),
    (
        "value-not-contain",
        f"{BUCKETS}\nThen it must contain labels\nAnd its value must not contain finance",
        "passed",
    ),
    ("key-must-be", f"{BUCKETS}\nThen its location must be (EU|US)", "passed"),
    ("key-must-be-fail", f"{BUCKETS}\nThen its location must be EU", "failed"),
    ("key-must-not-be", f"{BUCKETS}\nThen its location must not be ASIA", "passed"),
    (
        "key-property-must-be",
        f"{BUCKETS}\nThen its team property must be (platform|data)",
        "passed",
    ),
    ("key-key-must-not-be", f"{BUCKETS}\nThen its team key must not be data", "failed"),
    (
        "sensitive-undecidable",
        "Given I have google_secret_manager_secret_version defined\nThen its secret_data must be hunter2",
        "failed",
    ),
    ("value-more", f"{BUCKETS}\nWhen I count them\nThen its value must be more than 1", "passed"),
    (
        "value-smaller-equal",
        f"{BUCKETS}\nWhen I count them\nThen its value must be smaller and equal than 1",
        "failed",
    ),
    (
        "value-equal-to",
        f"{BUCKETS}\nWhen I count them\nThen its value must be equal to 2",
        "passed",
    ),
    (
        "bad-operator",
        f"{BUCKETS}\nWhen I count them\nThen its value must be sideways than 1",
        "failed",
    ),
    (
        "flatten",
        f"{BUCKETS}\nThen it must contain location\nAnd I flatten all values found\nAnd its value must contain EU",
        "passed",
    ),
    (
        "must-be-in",
        f"{BUCKETS}\nThen it must contain location\nAnd it must be in {{google_storage_bucket.values.location}}",
        "passed",
    ),
    (
        "must-be-subset",
        f"{BUCKETS}\nThen it must contain location\nAnd it must be a subset of {{google_storage_bucket.values.name}}",
        "failed",
    ),
    (
        "must-cover",
        f"{BUCKETS}\nThen it must contain location\nAnd it must cover {{google_storage_bucket.values.location}}",
        "passed",
    ),
    (
        "must-be-superset",
        f"{BUCKETS}\nThen it must contain location\nAnd it must be a superset of {{google_storage_bucket.values.name}}",
        "failed",
    ),
    (
        "must-not-be-in",
        f"{BUCKETS}\nThen it must contain location\nAnd it must not be in {{google_storage_bucket.values.name}}",
        "passed",
    ),
    (
        "must-not-be-subset",
        f"{BUCKETS}\nThen it must contain location\nAnd it must not be a subset of {{google_storage_bucket.values.location}}",
        "failed",
    ),
    (
        "must-not-cover",
        f"{BUCKETS}\nThen it must contain location\nAnd it must not cover {{google_storage_bucket.values.name}}",
        "passed",
    ),
    (
        "must-not-be-superset",
        f"{BUCKETS}\nThen it must contain location\nAnd it must not be a superset of {{google_storage_bucket.values.location}}",
        "failed",
    ),
    (
        "haystack-without-values",
        f"{BUCKETS}\nThen it must contain location\nAnd it must be in {{google_storage_bucket.location}}",
        "failed",
    ),
    (
        "haystack-unresolved",
        f"{BUCKETS}\nThen it must contain location\nAnd it must be in EU",
        "failed",
    ),
    ("is-enabled", f"{BUCKETS}\nWhen its location is US\nThen force_destroy is enabled", "passed"),
    ("must-be-enabled", f"{BUCKETS}\nThen force_destroy must be enabled", "failed"),
    (
        "is-be-enabled",
        f"{BUCKETS}\nWhen its location is EU\nThen versioning is be enabled",
        "passed",
    ),
    (
        "referenced",
        f'{BUCKETS}\nThen it must have "google_storage_bucket_iam_member" referenced',
        "failed",
    ),
    (
        "security-group",
        "Given I have google_compute_firewall defined\nThen it must not have tcp protocol and port 22 for 0.0.0.0/0",
        "passed",
    ),
    (
        "security-group-bad-condition",
        "Given I have google_compute_firewall defined\nThen it may have tcp protocol and port 22 for 0.0.0.0/0",
        "failed",
    ),
    # Then: forced failures and tags
    ("scenario-fails", f"{BUCKETS}\nThen the scenario fails", "failed"),
    ("scenario-should-fail", f"{BUCKETS}\nThen the scenario should fail", "failed"),
    ("scenario-must-fail", f"{BUCKETS}\nThen the scenario must fail", "failed"),
    ("it-fails", f"{BUCKETS}\nThen it fails", "failed"),
    ("it-should-fail", f"{BUCKETS}\nThen it should fail", "failed"),
    ("warning-tag", f"@warning\n{BUCKETS}\nThen it must fail", "skipped"),
    (
        "case-sensitive",
        f"@case-sensitive\n{BUCKETS}\nWhen its location is eu\nThen it must fail",
        "skipped",
    ),
    ("case-insensitive", f"{BUCKETS}\nWhen its location is eu\nThen it must fail", "failed"),
    ("unknown-step", f"{BUCKETS}\nThen frobnicate the thing", "failed"),
]


@pytest.mark.parametrize(("steps", "outcome"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_step_form(scenario: Scenario, steps: str, outcome: str) -> None:
    result = scenario(steps)
    assert result.outcome == outcome, (result.failed_step, result.messages)
    if outcome != "passed":
        assert result.failed_step and result.messages


def test_every_form_of_steps_py_is_registered() -> None:
    assert len(FORMS) == 111
