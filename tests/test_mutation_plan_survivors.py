"""Behaviour of plan/ left unpinned by the second mutation run over the plan loader.

These pin what a surviving mutant changed and a user would notice: a secret shown because
a malformed mask beside it was misread, a plan recovered (or not) from CI wrapper output,
the line number of a JSON error, and a refusal that must name its reason even when the
plan also holds deeply nested free-form values. Survivors no input can tell apart are
listed with their reasons in docs/mutation-equivalents.md.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from plangate.errors import InputError
from plangate.plan import parse_plan
from plangate.plan.decode import DecodedBytes, strip_wrapper, utf8_body
from plangate.plan.schema import schema_problem
from plangate.plan.values import SENSITIVE, resolve

_SHOW = "`terraform show -json PLANFILE`"
_NOTE = "recovered the plan from setup-terraform wrapper output; set terraform_wrapper: false"


def _resource_change(**change: Any) -> dict[str, Any]:
    return {
        "address": "a.b",
        "mode": "managed",
        "type": "a",
        "name": "b",
        "change": {"actions": ["create"], **change},
    }


def _nested_objects(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = {"a": value}
    return value


def _nested_arrays(depth: int) -> Any:
    value: Any = []
    for _ in range(depth):
        value = [value]
    return value


# --------------------------------------------------------------------------- values.py


def test_a_malformed_unknown_mask_does_not_reveal_what_the_sensitive_mask_hides() -> None:
    """A mask that does not fit its value hides it, whatever the unknown mask looks like."""
    document = {
        "format_version": "1.2",
        "resource_changes": [
            _resource_change(
                before=None,
                after={"password": "hunter2"},
                after_unknown=[],
                after_sensitive={"password": {}},
            )
        ],
    }
    plan = parse_plan(json.dumps(document).encode(), "p.json").plan
    assert plan.resource_changes[0].change.after is SENSITIVE


def test_an_object_beside_a_malformed_unknown_mask_stays_visible_when_nothing_hides_it() -> None:
    """All-false sensitive leaves hide nothing, so the value is shown as written."""
    assert resolve({"a": 1}, [], {"a": False}) == {"a": 1}


def test_a_list_beside_a_malformed_unknown_mask_stays_visible_when_nothing_hides_it() -> None:
    """The list form of the same rule: `[false]` over `["x"]` hides nothing."""
    assert resolve(["x"], {}, [False]) == ("x",)


def test_a_null_value_with_an_all_false_unknown_object_stays_null() -> None:
    """An unknown mask with no true leaf marks nothing: null must not become an empty object."""
    assert resolve(None, {"a": False}) is None


# --------------------------------------------------------------------------- schema.py


def test_a_refused_plan_with_deeply_nested_resource_values_still_names_its_fault() -> None:
    """Free-form values are not walked by the schema check, so their depth cannot hide the reason."""
    document = {
        "format_version": "1.2",
        "resource_changes": [_resource_change(after=_nested_objects(1500))],
        "applyable": "yes",
    }
    assert schema_problem(document) == "/applyable: expected boolean, got string"


def test_a_refused_plan_with_deeply_nested_masks_still_names_its_fault() -> None:
    """Mask arrays carry no item rules, so a deep mask is not walked either."""
    document = {
        "format_version": "1.2",
        "resource_changes": [_resource_change(after_unknown=_nested_arrays(1500))],
        "applyable": "yes",
    }
    assert schema_problem(document) == "/applyable: expected boolean, got string"


# --------------------------------------------------------------------------- decode.py


def test_wrapper_output_whose_json_starts_indented_is_recovered() -> None:
    """The document line is found after its indentation, as the wrapper may print it."""
    text = '[command]terraform show -json tfplan\n  {"format_version": "1.2"}\n::debug::done\n'
    decoded = strip_wrapper(text)
    assert decoded.text == '{"format_version": "1.2"}'
    assert decoded.notes == (_NOTE,)


@pytest.mark.parametrize(
    "text",
    [
        "[command]terraform show -json tfplan\nno document here\n",
        '[command]terraform show -json tfplan\n{"format_version": \n',
        '[command]terraform show -json tfplan\n{"format_version": "1.2"}\ntrailing words\n',
    ],
    ids=["no-document", "broken-json", "foreign-trailer"],
)
def test_output_that_is_not_intact_wrapper_output_carries_no_notes(text: str) -> None:
    """Only an intact wrapper earns the recovery note; anything else has an empty tuple."""
    assert strip_wrapper(text).notes == ()


def test_the_head_of_a_document_is_twenty_thousand_characters() -> None:
    """Messages and recognisers look at a bounded head, not the whole document."""
    decoded = DecodedBytes(b"x" * 30000, 0, ())
    assert decoded.head() == "x" * 20000


def test_input_of_only_whitespace_has_no_first_character() -> None:
    """Start -1 is the documented 'nothing there', so the first character is empty."""
    decoded = utf8_body(b"  \n\t ", "p.json")
    assert decoded.start == -1
    assert decoded.first == b""


# --------------------------------------------------------------------------- load.py


def test_a_json_error_after_leading_blank_lines_is_located_from_the_first_content() -> None:
    """Leading blank lines are skipped before parsing, so lines count from the document."""
    with pytest.raises(InputError) as caught:
        parse_plan(b'\n\n\n{"format_version": "1.2",, }', "p.json")
    assert str(caught.value) == (
        "p.json: invalid JSON at line 1 column 26: Expecting property name enclosed in "
        f"double quotes; expected the output of {_SHOW}"
    )


def test_a_plan_behind_wrapper_output_with_an_indented_document_loads_with_the_note() -> None:
    """The user gets the plan and the hint to turn the wrapper off, not a JSON error."""
    data = b'[command]terraform show -json tfplan\n  {"format_version": "1.2", "resource_changes": []}\n'
    loaded = parse_plan(data, "p.json")
    assert loaded.notes == (_NOTE,)
    assert loaded.plan.resource_changes == ()
