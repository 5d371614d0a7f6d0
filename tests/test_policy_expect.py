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
from plangate.policy.expect import expect_equal, expect_that
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
