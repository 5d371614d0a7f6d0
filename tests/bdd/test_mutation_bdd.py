"""The step library's value logic, pinned where mutation testing of plangate.bdd found gaps.

Each test names the behaviour a feature relies on: a comparison that must not pass on a
value of the wrong shape, an undecided value that must stay undecided, and step text that
must be refused with a message saying what was wrong.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from plangate.bdd.compare import (
    StepTextError,
    Verdict,
    _part_of,
    contains,
    equal,
    lookup,
    parse_fraction,
    parse_literal,
    parse_literals,
    parse_number,
    parse_predicate,
    parse_quoted,
    read_path,
    show,
)
from plangate.bdd.relate import (
    References,
    ValuePool,
    _canonical_key,
    _compare,
    _expressions_at,
    _flatten,
    references_of,
    value_pool,
)
from plangate.bdd.select import (
    action_words,
    describe_actions,
    glob_pattern,
    in_module,
    selection,
)
from plangate.bdd.steps import _change_lines, _percentages
from plangate.plan import ABSENT, SENSITIVE, UNKNOWN, load_plan
from plangate.plan.configuration import config_address
from plangate.plan.values import parse_path
from tests.fixtures.builder import PlanBuilder

PASS, FAIL = Verdict.PASS, Verdict.FAIL


# --- equality and containment ------------------------------------------------------------


def test_a_list_equals_only_a_list_of_the_same_length_and_elements():
    assert equal(("a", "b"), ("a", "b")) is PASS
    assert equal(("a", "b"), ("a", "c")) is FAIL
    assert equal(("a",), ("a", "b")) is FAIL
    assert equal("ab", ("a", "b")) is FAIL  # a string is not the list of its characters
    assert equal((None,), (None,)) is PASS
    assert equal(("x",), ("x",)) is PASS


def test_contains_on_a_string_or_an_object_needs_a_string():
    assert contains("abc", 1) is FAIL
    assert contains("abc", "b") is PASS
    assert contains({"a": 1}, 1) is FAIL


def test_an_object_part_matches_on_the_keys_it_names_only():
    assert _part_of({"a": 1}, {"a": 1}) is PASS
    assert _part_of({"a": 1, "b": 2}, {"a": 1}) is PASS
    assert _part_of(("a",), {"a": 1}) is FAIL  # a list holding the key is not an object
    assert _part_of("a", {"a": 1}) is FAIL


@pytest.mark.parametrize("expected", [{"a": 1}, ("a",)], ids=["object", "list"])
def test_an_undecided_value_keeps_a_part_match_undecided(expected):
    assert _part_of(UNKNOWN, expected) is Verdict.UNKNOWN
    assert _part_of(SENSITIVE, expected) is Verdict.HIDDEN
    assert contains(UNKNOWN, expected) is Verdict.UNKNOWN
    assert contains(SENSITIVE, expected) is Verdict.HIDDEN


# --- step text that is read, and step text that is refused --------------------------------


def test_several_bare_values_are_read_whatever_letter_they_start_with():
    assert parse_literals("X, Y or Z") == ("X", "Y", "Z")


def test_a_trailing_separator_is_a_missing_value():
    with pytest.raises(StepTextError, match=r"a value is missing in 'a,'"):
        parse_literals("a,")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('"a", [1', "cannot read the values '\"a\", \\[1'"),
        ("a b", r"cannot read the values 'a b' after 'a'"),
        (", a", r"cannot read the values ', a'"),
    ],
)
def test_unreadable_values_are_refused_with_the_text(text, message):
    with pytest.raises(StepTextError, match=message):
        parse_literals(text)


@pytest.mark.parametrize("text", ['"abc"', "true", "[1]"])
def test_a_number_is_required_where_a_number_is_written(text):
    with pytest.raises(StepTextError, match=re.escape(f"expected a number, got {text!r}")):
        parse_number(f" {text} ")


def test_a_quoted_string_needs_both_quotes_and_may_be_empty():
    assert parse_quoted('""') == ""
    assert parse_quoted(' "a\\d" ') == "a\\d"
    for text in ('"abc', 'abc"', '"', "abc"):
        with pytest.raises(StepTextError, match="expected a double-quoted string, got"):
            parse_quoted(text)


def test_a_threshold_that_is_not_a_number_says_what_it_expects():
    with pytest.raises(StepTextError, match=r"expected a percentage \(25%\) or a fraction"):
        parse_fraction("lots")


def test_null_equals_only_null():
    assert equal(None, None) is PASS
    assert equal("x", None) is FAIL
    assert equal(0, None) is FAIL


def test_an_empty_literal_is_a_missing_value():
    with pytest.raises(StepTextError, match=r"^a value is missing$"):
        parse_literal("  ")


def test_an_unreadable_literal_says_how_to_write_values():
    with pytest.raises(StepTextError) as raised:
        parse_literal("a b")
    assert str(raised.value) == (
        "cannot read the value 'a b': write strings in double quotes "
        '("EU"), and numbers, true, false, null, [lists] or {objects} as JSON'
    )


# --- paths and messages -------------------------------------------------------------------


def test_an_index_past_the_end_of_a_list_is_absent():
    assert list(lookup(("a",), (1,))) == [((1,), ABSENT)]
    assert list(lookup({"l": ("a",)}, ("l", 1, "x"))) == [(("l", 1, "x"), ABSENT)]


def test_a_name_below_a_scalar_is_absent():
    assert list(lookup({"a": 5}, ("a", "b"))) == [(("a", "b"), ABSENT)]


def test_a_value_exactly_at_the_limit_is_shown_whole():
    assert show("abc", limit=5) == '"abc"'
    assert show("abcd", limit=5) == '"abc…'


# --- predicates: the phrase kept, what is expected, and the verdicts ----------------------

UNSET = "a value (not absent, null or empty)"
ABSENT_TEXT = "absent, null or empty"


@pytest.mark.parametrize(
    ("phrase", "text", "expected", "on_change", "verdicts"),
    [
        ("is  present", "is present", UNSET, False, [("x", PASS), (None, FAIL)]),
        ("is set", "is set", UNSET, False, [("x", PASS), (None, FAIL), (UNKNOWN, Verdict.UNKNOWN)]),
        ("is absent", "is absent", ABSENT_TEXT, False, [("x", FAIL), (None, PASS)]),
        ("is not  set", "is not set", ABSENT_TEXT, False, [("x", FAIL), ((), PASS)]),
        ("changes", "changes", "a change", True, [("x", FAIL)]),
        ("does not change", "does not change", "no change", True, [("x", FAIL)]),
        ("is greater than 3", "is greater than 3", "a number greater than 3", False, [(4, PASS)]),
        ("is one of a, b", "is one of a, b", 'one of "a", "b"', False, [("a", PASS), ("c", FAIL)]),
        (
            "is not one of a, b",
            "is not one of a, b",
            'none of "a", "b"',
            False,
            [("a", FAIL), ("c", PASS)],
        ),
        ('matches "a.*"', 'matches "a.*"', 'a string matching "a.*"', False, [("ab", PASS)]),
        (
            'does not match "a.*"',
            'does not match "a.*"',
            'a value not matching "a.*"',
            False,
            [("ab", FAIL), ("b", PASS)],
        ),
        ('contains "x"', 'contains "x"', 'containing "x"', False, [("axb", PASS), ("b", FAIL)]),
        (
            'does not contain "x"',
            'does not contain "x"',
            'not containing "x"',
            False,
            [("axb", FAIL), ("b", PASS)],
        ),
        ("is not 3", "is not 3", "not 3", False, [(3, FAIL), (4, PASS)]),
        ('is "EU"', 'is "EU"', '"EU"', False, [("EU", PASS), ("US", FAIL)]),
    ],
)
def test_a_predicate_keeps_its_phrase_and_says_what_it_expects(
    phrase, text, expected, on_change, verdicts
):
    predicate = parse_predicate(phrase)
    assert (predicate.text, predicate.expected, predicate.on_change) == (text, expected, on_change)
    for value, verdict in verdicts:
        assert predicate.test(value) is verdict, value


def test_an_unknown_predicate_lists_every_form_it_could_be():
    with pytest.raises(StepTextError) as raised:
        parse_predicate("frobs")
    assert str(raised.value) == (
        "cannot read 'frobs'; write one of: is VALUE, is not VALUE, is one of A, B, "
        "is not one of A, B, is greater than N, is less than N, is at least N, is at most N, "
        'matches "REGEX", does not match "REGEX", contains VALUE, does not contain VALUE, '
        "is present, is absent, changes, does not change, "
        'is one of the "ATTRIBUTE" values of resources of type "T", '
        'are among the "ATTRIBUTE" values of ...'
    )


# --- selection ----------------------------------------------------------------------------

ACTION_LIST = (
    "created, updated, replaced, deleted, destroyed, forgotten, imported, moved, read, changed, "
    "unchanged (several joined by `or`)"
)


def test_unknown_actions_are_named_and_the_known_ones_listed():
    with pytest.raises(StepTextError) as raised:
        action_words("created, frob or blah")
    assert str(raised.value) == f"unknown action 'frob, blah'; use {ACTION_LIST}"
    with pytest.raises(StepTextError) as raised:
        action_words(" ")
    assert str(raised.value) == f"unknown action ' '; use {ACTION_LIST}"


def test_a_change_reads_as_its_kind_plus_import_and_move():
    change = SimpleNamespace(
        kind=SimpleNamespace(value="update"),
        is_import=True,
        is_move=True,
        previous_address="a.old",
    )
    assert describe_actions(change) == "update, import, moved from a.old"
    plain = SimpleNamespace(kind=SimpleNamespace(value="create"), is_import=False, is_move=False)
    assert describe_actions(plain) == "create"


def test_an_address_glob_matches_keys_that_hold_a_newline():
    assert glob_pattern("x.*").fullmatch('x.y["a\nb"]') is not None


def test_one_module_instance_does_not_take_in_other_keys_below_it():
    one = in_module('storage["a"]')
    assert one(SimpleNamespace(module_address='module.storage["a"]'))
    assert one(SimpleNamespace(module_address='module.storage["a"].module.x'))
    assert not one(SimpleNamespace(module_address='module.storage["a"]["b"]'))
    every = in_module("storage")
    assert every(SimpleNamespace(module_address='module.storage["a"]'))
    assert not every(SimpleNamespace(module_address="module.storage2"))


def test_a_selection_is_described_without_its_leading_all():
    assert selection("all resources", ' of type "x"')[0] == 'resources of type "x"'
    assert selection("all data sources", "")[0] == "data sources"


# --- relations: membership comparisons and configuration references -----------------------


def test_a_marker_inside_either_value_makes_a_membership_comparison_undecided():
    assert _compare({"a": 1}, {"a": UNKNOWN}) is Verdict.UNKNOWN
    assert _compare({"a": UNKNOWN}, {"a": 1}) is Verdict.UNKNOWN
    assert _compare({"a": 1}, {"a": 1}) is PASS
    assert _compare({"a": 1}, {"a": 2}) is FAIL


def test_an_attribute_path_reaches_configuration_expressions_step_by_step():
    tree = {"a": {"b": "x"}, "l": ({"b": "y"}, {"b": "z"})}
    assert list(_expressions_at(tree, ("a", "b"))) == ["x"]
    assert list(_expressions_at(tree, ("l", 1, "b"))) == ["z"]
    assert list(_expressions_at(tree, ("l", 2, "b"))) == []
    assert list(_expressions_at(tree, ("l", "b"))) == ["y", "z"]
    assert list(_expressions_at(tree, ("a", "c"))) == []


def test_no_references_are_read_where_there_is_no_block_or_no_attribute():
    change = SimpleNamespace(module_address=None, mode="managed", type="t", name="n")
    address = config_address(None, "managed", "t", "n")
    missing = SimpleNamespace(configuration=SimpleNamespace(resources={}))
    assert references_of(missing, change, None) == References(
        (), "no configuration block in the plan (removed from the configuration?)"
    )
    empty = SimpleNamespace(resources={address: SimpleNamespace(expressions={})})
    assert references_of(SimpleNamespace(configuration=empty), change, ("a",)) == References(
        (), "the attribute is not set in its configuration block"
    )


def test_null_and_absent_are_never_outside_a_pool_there_is_nothing_to_judge():
    pool = ValuePool(keys=frozenset(), shown=(), marked=(), has_unknown=False, has_sensitive=False)
    assert pool.outside(None) is FAIL
    assert pool.outside(ABSENT) is FAIL
    assert pool.outside(()) is FAIL
    assert pool.outside("x") is PASS


def test_canonical_keys_meet_on_equal_values_only():
    key = _canonical_key
    assert key({"a": (1, True)}) == key({"a": (1.0, True)})
    assert key({"a": (1,)}) != key({"a": (2,)})
    assert key({"a": 1}) != key({"b": 1})
    assert key((1,)) != key((True,))
    assert key({"a": ("x", UNKNOWN)}) is None


def test_a_pool_flattens_nested_lists_into_their_elements():
    assert list(_flatten((1, (2, (3,)), "x"))) == [1, 2, 3, "x"]


# --- the plain helpers of the step definitions (the steps themselves are decorated) --------


def _changed(paths: int) -> SimpleNamespace:
    return SimpleNamespace(
        display_address="a.b",
        kind=SimpleNamespace(value="update"),
        is_import=False,
        is_move=False,
        change=SimpleNamespace(changed_paths=[(f"p{n}",) for n in range(paths)]),
    )


def test_a_changed_resource_names_its_first_ten_changed_paths_and_counts_the_rest():
    ten = ", ".join(f"p{n}" for n in range(10))
    [line] = _change_lines([_changed(10)])
    assert line == f"a.b: update ({ten})"
    [line] = _change_lines([_changed(11)])
    assert line == f"a.b: update ({ten} and 1 more)"
    [line] = _change_lines([_changed(12)])
    assert line == f"a.b: update ({ten} and 2 more)"
    [line] = _change_lines([_changed(0)])
    assert line == "a.b: update"


def test_budget_thresholds_read_as_percentages_or_none():
    assert _percentages([0.25, 1.0]) == "25%, 100%"
    assert _percentages([]) == "none"


def test_an_unreadable_or_empty_attribute_path_says_so():
    with pytest.raises(StepTextError) as raised:
        read_path("a[")
    assert str(raised.value) == (
        "'a[' is not an attribute path (write versioning[0].enabled or labels.env)"
    )
    with pytest.raises(StepTextError) as raised:
        read_path("")
    assert str(raised.value) == "the attribute path is empty"


def test_a_pool_is_described_by_its_first_five_values_cut_at_80_characters():
    pool = ValuePool(
        keys=frozenset(),
        shown=("a" * 100, 1, 2, 3, 4, 5),
        marked=(),
        has_unknown=True,
        has_sensitive=True,
    )
    assert pool.describe() == (
        f'6 value(s): "{"a" * 78}…, 1, 2, 3, 4 and 1 more; some known after apply, some sensitive'
    )
    five = ValuePool(
        keys=frozenset(), shown=(1, 2, 3, 4, 5), marked=(), has_unknown=False, has_sensitive=False
    )
    assert five.describe() == "5 value(s): 1, 2, 3, 4, 5"


def test_a_value_with_an_unknown_part_is_compared_with_every_pooled_value():
    pool = ValuePool(
        keys=frozenset({_canonical_key({"a": 1})}),
        shown=({"a": 1},),
        marked=(),
        has_unknown=False,
        has_sensitive=False,
    )
    assert pool.member({"a": UNKNOWN}) is Verdict.UNKNOWN
    assert pool.member({"a": 1}) is PASS


def test_a_null_in_a_pooled_list_does_not_hide_the_values_after_it(tmp_path) -> None:
    """`is one of the "members" values of ...`: a null member is skipped, and every member
    after it still counts (a `break` there would let a grant outside the pool pass)."""

    path = (
        PlanBuilder()
        .resource(
            "google_project_iam_binding.viewers",
            action="create",
            after={"role": "roles/viewer", "members": [None, "user:a@example.com", "user:b@x.io"]},
        )
        .write(tmp_path / "plan.json")
    )
    plan = load_plan(path).plan
    pool = value_pool(
        plan, "resources", ' of type "google_project_iam_binding"', parse_path("members")
    )
    assert set(pool.shown) == {"user:a@example.com", "user:b@x.io"}
