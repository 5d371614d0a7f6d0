"""The helpers policies are written with: violation messages and setting declarations.

Written to kill the survivors of a mutation run of plangate.policy.expect and
plangate.policy.settings (issue 14): each test names what a mutant changed unnoticed.
"""

from __future__ import annotations

import pytest

from plangate.errors import InputError
from plangate.plan import ABSENT, SENSITIVE, UNKNOWN, parse_plan
from plangate.policy import settings as settings_module
from plangate.policy import violation
from plangate.policy.expect import expect_equal, expect_one_of, expect_present, expect_that
from plangate.policy.settings import SettingsRegistry
from plangate.policy.subject import Resource
from tests.fixtures.builder import PlanBuilder


def test_a_violation_message_reads_as_a_sentence():
    found = violation("versioning.enabled", "true", False)
    assert found.message == "versioning.enabled: expected true, got false"
    assert (found.attribute, found.expected, found.actual, found.address) == (
        "versioning.enabled",
        "true",
        False,
        None,
    )


def test_a_violation_with_a_reason_says_it_in_brackets():
    found = violation("a", "set", None, "audit needs it", address="x.y")
    assert found.message == "a: expected set, got null (audit needs it)"
    assert found.address == "x.y"


def test_a_violation_without_a_path_is_about_the_resource():
    assert violation("", "no public access", "allUsers").message == (
        'resource: expected no public access, got "allUsers"'
    )


def test_an_unknown_value_says_the_gate_cannot_prove_the_control():
    assert violation("kms_key_name", "a key", UNKNOWN).message == (
        "kms_key_name: expected a key, got (known after apply); "
        "the gate cannot prove the control before apply"
    )


def test_a_sensitive_value_says_it_is_hidden_and_never_shows_it():
    assert violation("password", "rotated", SENSITIVE).message == (
        "password: expected rotated, got (sensitive); the value is hidden"
    )


def test_setting_declares_in_the_default_registry_and_returns_the_name(monkeypatch):
    fresh = SettingsRegistry()
    monkeypatch.setattr(settings_module, "SETTINGS", fresh)
    assert settings_module.setting("retention_days", 30, " kept\n   this long ") == "retention_days"
    (spec,) = fresh.specs()
    assert (spec.name, spec.default, spec.description) == ("retention_days", 30, "kept this long")


def test_environments_that_are_not_a_table_are_named():
    registry = SettingsRegistry()
    with pytest.raises(InputError) as refused:
        registry.resolve({"environments": ["prod"]}, None)
    assert str(refused.value) == (
        "[tool.plangate.environments] must be a table of environment tables"
    )


def _bucket(after: dict) -> Resource:
    document = PlanBuilder().resource("google_storage_bucket.b", action="create", after=after)
    change = parse_plan(document.dumps().encode(), "p.json").plan.resource_changes[0]
    return Resource(change=change, values=change.after)


def test_expect_equal_tells_true_from_one_and_says_why_only_when_asked():
    (found,) = expect_equal(_bucket({"enabled": 1}), "enabled", True)
    assert found.message == "enabled: expected true, got 1"
    assert list(expect_equal(_bucket({"enabled": True}), "enabled", True)) == []
    (unknown,) = expect_equal(_bucket({}), "enabled", True)
    assert unknown.actual is ABSENT


def test_expect_that_passes_the_reason_on_and_adds_none_by_default():
    (plain,) = expect_that(_bucket({"n": 1}), "n", lambda n: n > 5, "more than 5")
    assert plain.message == "n: expected more than 5, got 1"
    (why,) = expect_that(_bucket({"n": 1}), "n", lambda n: n > 5, "more than 5", why="quota")
    assert why.message == "n: expected more than 5, got 1 (quota)"


def test_expect_one_of_lists_what_is_allowed_and_never_passes_a_marker():
    (found,) = expect_one_of(_bucket({"location": "US"}), "location", ("EU", "EUROPE-WEST1"))
    assert found.message == 'location: expected one of "EU", "EUROPE-WEST1", got "US"'
    assert list(expect_one_of(_bucket({"location": "EU"}), "location", ("EU",))) == []
    (why,) = expect_one_of(_bucket({"location": "US"}), "location", ("EU",), why="residency")
    assert why.message.endswith(" (residency)")
    (unknown,) = expect_one_of(_bucket({}), "location", (ABSENT,))
    assert unknown.actual is ABSENT  # a marker never passes, even when listed


@pytest.mark.parametrize(
    ("after", "present"),
    [
        ({"owner": "team"}, True),
        ({"owner": 0}, True),
        ({"owner": False}, True),
        ({"owner": ["a"]}, True),
        ({}, False),
        ({"owner": None}, False),
        ({"owner": ""}, False),
        ({"owner": []}, False),
    ],
)
def test_expect_present_wants_a_value(after, present):
    found = list(expect_present(_bucket(after), "owner"))
    assert (found == []) is present
    if not present:
        assert found[0].message.startswith("owner: expected a value, got ")


def test_expect_present_refuses_an_unknown_and_says_why_when_asked():
    document = PlanBuilder().resource(
        "google_storage_bucket.b", action="create", after={}, after_unknown={"owner": True}
    )
    change = parse_plan(document.dumps().encode(), "p.json").plan.resource_changes[0]
    (found,) = expect_present(Resource(change=change, values=change.after), "owner", why="audit")
    assert found.actual is UNKNOWN
    assert found.message.endswith("; the gate cannot prove the control before apply (audit)")


def test_expect_present_adds_no_reason_by_default():
    (found,) = expect_present(_bucket({}), "owner")
    assert found.message == "owner: expected a value, got (absent)"
