"""The pieces under the steps: literals, paths, predicates and their four outcomes."""

from __future__ import annotations

from types import MappingProxyType

import pytest

from plangate.bdd.compare import (
    StepTextError,
    Verdict,
    contains,
    equal,
    lookup,
    parse_fraction,
    parse_literal,
    parse_literals,
    parse_predicate,
    path_changes,
    read_path,
    show,
)
from plangate.bdd.select import action_words, glob_pattern, quoted_values
from plangate.plan import ABSENT, SENSITIVE, UNKNOWN

PASS, FAIL, UNKNOWN_, HIDDEN = Verdict.PASS, Verdict.FAIL, Verdict.UNKNOWN, Verdict.HIDDEN


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ('"ABANDON"', "ABANDON"),
        ("ABANDON", "ABANDON"),
        ("true", True),
        ("False", False),
        ("null", None),
        ("0.85", 0.85),
        ("-3", -3),
        ('["a", 1]', ("a", 1)),
        ('{"a": [1]}', {"a": (1,)}),
        ("europe-west1", "europe-west1"),
    ],
)
def test_literals(text: str, value: object) -> None:
    assert parse_literal(text) == value


@pytest.mark.parametrize("text", ['kinda "EU"', "", '"unterminated', "two words"])
def test_unreadable_literals(text: str) -> None:
    with pytest.raises(StepTextError):
        parse_literal(text)


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ('"EU", "US"', ("EU", "US")),
        ('"EU" or "US"', ("EU", "US")),
        ('"EU", "US", or "ASIA"', ("EU", "US", "ASIA")),
        ('["EU", "US"]', ("EU", "US")),
        ("1, 2 or 3", (1, 2, 3)),
        ("EU or US", ("EU", "US")),
    ],
)
def test_literal_lists(text: str, values: tuple[object, ...]) -> None:
    assert parse_literals(text) == values


def test_fractions() -> None:
    assert parse_fraction("25%") == 0.25
    assert parse_fraction(" 0.9 ") == 0.9
    with pytest.raises(StepTextError):
        parse_fraction("a quarter")


def test_paths_fan_out_over_lists_and_keep_markers() -> None:
    values = MappingProxyType(
        {
            "versioning": ({"enabled": True},),
            "rules": ({"action": ({"type": "Delete"},)}, {"action": UNKNOWN}),
            "labels": MappingProxyType({"0": "zero"}),
            "empty": (),
        }
    )
    assert list(lookup(values, read_path("versioning[0].enabled"))) == [
        (("versioning", 0, "enabled"), True)
    ]
    assert list(lookup(values, read_path("versioning.0.enabled"))) == [
        (("versioning", 0, "enabled"), True)
    ]
    assert list(lookup(values, read_path("rules.action.type"))) == [
        (("rules", 0, "action", 0, "type"), "Delete"),
        (("rules", 1, "action", "type"), UNKNOWN),
    ]
    assert list(lookup(values, read_path("labels.0"))) == [(("labels", "0"), "zero")]
    assert list(lookup(values, read_path("empty.enabled"))) == [(("empty", "enabled"), ABSENT)]
    assert list(lookup(values, read_path("missing.deeper"))) == [(("missing", "deeper"), ABSENT)]
    with pytest.raises(StepTextError):
        read_path("a..b[")


def test_equality_has_four_outcomes() -> None:
    assert equal("EU", "EU") is PASS
    assert equal("eu", "EU") is FAIL
    assert equal(1, True) is FAIL
    assert equal(1.0, 1) is PASS
    assert equal(UNKNOWN, "x") is UNKNOWN_
    assert equal(SENSITIVE, "x") is HIDDEN
    assert equal(ABSENT, None) is FAIL
    assert equal(MappingProxyType({"a": UNKNOWN, "b": 1}), {"a": 1, "b": 2}) is FAIL
    assert equal(MappingProxyType({"a": UNKNOWN, "b": 2}), {"a": 1, "b": 2}) is UNKNOWN_


def test_contains_matches_on_what_the_expected_value_names() -> None:
    rules = (
        MappingProxyType(
            {"action": (MappingProxyType({"type": "Delete", "storage_class": ""}),), "age": 3}
        ),
    )
    assert contains(rules, {"action": ({"type": "Delete"},)}) is PASS
    assert contains(rules, {"action": ({"type": "SetStorageClass"},)}) is FAIL
    assert contains(("a", UNKNOWN), "b") is UNKNOWN_
    assert contains(("a", UNKNOWN), "a") is PASS
    assert contains("acme-prod", "prod") is PASS
    assert contains(MappingProxyType({"env": "x"}), "env") is PASS


@pytest.mark.parametrize(
    ("predicate", "value", "verdict"),
    [
        ('is "EU"', "EU", PASS),
        ('is not "EU"', ABSENT, PASS),
        ('is one of "EU", "US"', "US", PASS),
        ('is not one of "EU", "US"', "ASIA", PASS),
        ("is greater than 3", 4, PASS),
        ("is greater than 3", "4", FAIL),
        ("is greater than 3", True, FAIL),
        ("is at least 3", 3, PASS),
        ("is at most 3", 3.5, FAIL),
        ("is less than 3", UNKNOWN, UNKNOWN_),
        ('matches "acme-[a-z]+"', "acme-logs", PASS),
        ('matches "acme"', "acme-logs", FAIL),
        ('matches "\\d+"', "123", PASS),
        ('does not match "^tmp-.*"', "acme", PASS),
        ("is present", SENSITIVE, PASS),
        ("is present", (), FAIL),
        ("is absent", None, PASS),
        ("is absent", UNKNOWN, UNKNOWN_),
        ('contains "a"', ("a", "b"), PASS),
        ('does not contain "a"', ("b",), PASS),
        ("is true", True, PASS),
        ("is false", SENSITIVE, HIDDEN),
    ],
)
def test_predicates(predicate: str, value: object, verdict: Verdict) -> None:
    assert parse_predicate(predicate).test(value) is verdict


def test_unreadable_predicates_list_the_forms() -> None:
    with pytest.raises(StepTextError, match="is one of A, B"):
        parse_predicate("resembles 3")
    with pytest.raises(StepTextError, match="invalid regular expression"):
        parse_predicate('matches "("')


def test_changed_paths_cover_parents_and_children() -> None:
    changed = [("labels", "env"), ("versioning",)]
    assert path_changes(("labels",), changed)
    assert path_changes(("versioning", 0, "enabled"), changed)
    assert not path_changes(("location",), changed)


def test_selection_helpers() -> None:
    assert glob_pattern("module.iam.*").fullmatch('module.iam.google_x.y["a"]')
    assert glob_pattern("*.m[0]").fullmatch("module.a.m[0]")
    assert not glob_pattern("*.m[0]").fullmatch("module.a.m0")
    assert glob_pattern("a?c").fullmatch("abc")
    assert quoted_values('"a" or \'b["x"]\', "c"') == ("a", 'b["x"]', "c")
    with pytest.raises(StepTextError):
        quoted_values('"a" and "b"')
    assert action_words("created, updated or replaced") == ("created", "updated", "replaced")
    with pytest.raises(StepTextError, match="unknown action"):
        action_words("obliterated")


def test_long_values_are_cut_in_messages() -> None:
    assert len(show("x" * 1000)) == 160
    assert show(SENSITIVE) == "(sensitive)"
