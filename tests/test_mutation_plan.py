"""Behaviour of plan/ that the mutation run (bench/mutation.py, issue 14) found unpinned.

Each test names the behaviour it protects; the mutants it kills are in its docstring, and
the survivors that cannot be killed are listed in docs/mutation-equivalents.md.
"""

from __future__ import annotations

import codecs
import io
import json
from pathlib import Path
from typing import Any

import msgspec
import pytest

from plangate.errors import InputError
from plangate.plan import Plan, load_state, parse_plan
from plangate.plan.changes import Change, OutputChange, ResourceChange
from plangate.plan.configuration import Configuration, Expression, config_address
from plangate.plan.model import decode_document
from plangate.plan.schema import schema_problem
from plangate.plan.state import StateResource, StateValues
from plangate.plan.values import ABSENT, MAX_DEPTH, SENSITIVE
from plangate.plan.wire import ValueRefused, resolve_raw

# --------------------------------------------------------------------------- plan/wire.py


def test_a_number_with_too_many_digits_is_refused_in_these_exact_words() -> None:
    """The refusal is one sentence a user reads as is (wire `x_refusal__mutmut_5`, `_6`)."""
    with pytest.raises(ValueRefused) as caught:
        resolve_raw(msgspec.Raw(b"9" * 5000))
    assert str(caught.value) == "a JSON number has too many digits to be a plan value"


# --------------------------------------------------------------------------- helpers


def _plan(document: dict[str, Any]) -> Plan:
    return parse_plan(json.dumps(document).encode(), "plan.json").plan


def _state_resource(**fields: Any) -> dict[str, Any]:
    return {"address": "a.b", "mode": "managed", "type": "a", "name": "b", **fields}


def _with_planned(*resources: dict[str, Any], version: str = "1.2", **keys: Any) -> dict[str, Any]:
    return {
        "format_version": version,
        "planned_values": {"root_module": {"resources": list(resources)}},
        **keys,
    }


# --------------------------------------------------------------------------- plan/state.py


def test_a_state_resource_whose_sensitive_values_is_not_a_mask_is_refused() -> None:
    """A string where the mask belongs must not load as a plan (state `__post_init__` _7)."""
    with pytest.raises(InputError, match="sensitive_values: expected boolean or object"):
        _plan(_with_planned(_state_resource(values={}, sensitive_values="yes")))


def test_the_state_resource_decoder_says_which_field_is_wrong() -> None:
    """Decoding a StateResource names the field that is not what Terraform writes
    (state `__post_init__` _3 to _5, _10 to _12)."""
    with pytest.raises(msgspec.ValidationError) as caught:
        StateResource.of([], address="a.b", type="a", name="b")
    assert str(caught.value) == "values: expected object"
    bad_mask = json.dumps(_state_resource(sensitive_values="yes")).encode()
    with pytest.raises(msgspec.ValidationError) as caught:
        msgspec.json.decode(bad_mask, type=StateResource)
    assert str(caught.value) == "sensitive_values: expected boolean or object or array"


def test_a_0_1_planned_value_without_a_resource_change_hides_nothing() -> None:
    """Before format 0.2, an instance no change covers keeps "no mask", not None (`_masked` _4)."""
    plan = _plan(_with_planned(_state_resource(values={"k": 1}), version="0.1"))
    (resource,) = plan.planned_values.resources
    assert resource.hidden_attributes() == set()
    assert resource.values == {"k": 1}
    assert resource.sensitive_values is False


def test_an_output_value_is_named_after_its_key() -> None:
    """`planned_values.outputs["o"].name` is "o" (state `_output` _6, `from_wire` _22)."""
    plan = _plan({"format_version": "1.2", "planned_values": {"outputs": {"o": {"value": 1}}}})
    assert plan.planned_values.outputs["o"].name == "o"


def test_state_resources_differing_only_in_provider_or_taint_are_not_equal() -> None:
    """Equality compares every field, not the identity part alone (`__eq__` _2)."""
    base = {"address": "a.b", "type": "a", "name": "b"}
    one = StateResource.of({"k": 1}, **base, provider_name="p1")
    assert one == StateResource.of({"k": 1}, **base, provider_name="p1")
    assert one != StateResource.of({"k": 1}, **base, provider_name="p2")
    assert one != StateResource.of({"k": 1}, **base, provider_name="p1", tainted=True)


def test_a_state_built_in_code_keeps_secrets_as_a_mask() -> None:
    """`StateResource.of` turns SENSITIVE markers into the mask, in maps and lists
    (reaches `of` and `_split_sensitive`, which no plan test calls)."""
    resource = StateResource.of(
        {
            "plain": 1,
            "secret": SENSITIVE,
            "nested": {"key": SENSITIVE, "open": "x"},
            "items": ["a", SENSITIVE],
            "tuple": ("t",),
        },
        address="a.b",
        type="a",
        name="b",
    )
    assert resource.values == {
        "plain": 1,
        "secret": SENSITIVE,
        "nested": {"key": SENSITIVE, "open": "x"},
        "items": ("a", SENSITIVE),
        "tuple": ("t",),
    }
    assert resource.sensitive_values == {
        "secret": True,
        "nested": {"key": True},
        "items": (False, True),
    }
    assert resource.hidden_attributes() == {"secret", "nested", "items"}


def test_a_state_read_from_a_dict_flattens_modules_and_keeps_outputs() -> None:
    """`StateValues.from_dict` (the careful state reader's) builds what `from_wire` builds."""
    values = StateValues.from_dict(
        {
            "outputs": {"o": {"sensitive": True, "value": "pw"}},
            "root_module": {
                "resources": [_state_resource(values={"k": 1})],
                "child_modules": [
                    {
                        "address": "module.m",
                        "resources": [_state_resource(address="module.m.a.b", values={})],
                    }
                ],
            },
        }
    )
    assert [r.address for r in values.resources] == ["a.b", "module.m.a.b"]
    assert values.outputs["o"].value is SENSITIVE
    assert StateValues.from_dict(None).resources == ()


# --------------------------------------------------------------------------- plan/changes.py


def test_a_drift_entry_without_an_address_gets_a_data_address_for_a_data_source() -> None:
    """Terraform 1.0 drift entries carry no address: a data source's is `data.T.N[i]`
    (changes `instance_address` _2, _5, _6, `with_address` _4)."""
    change = ResourceChange.from_dict(
        {"mode": "data", "type": "t", "name": "n", "index": 0, "change": {"actions": ["read"]}}
    )
    assert change.address == "data.t.n[0]"
    managed = ResourceChange.from_dict(
        {"module_address": "module.m", "type": "t", "name": "n", "change": {"actions": ["read"]}}
    )
    assert managed.address == "module.m.t.n"


def test_the_change_decoder_says_what_is_wrong() -> None:
    """An empty action list and a mask that is no mask are refused in these words
    (changes `Change.__post_init__` _2 to _4, _7 to _9)."""
    with pytest.raises(msgspec.ValidationError) as caught:
        Change.from_dict({"actions": []})
    assert str(caught.value) == "actions: expected at least 1 item"
    with pytest.raises(msgspec.ValidationError) as caught:
        Change.from_dict({"actions": ["create"], "after_unknown": 3})
    assert str(caught.value) == "a mask: expected boolean or object or array"


def test_hidden_attributes_of_a_change_come_from_either_side() -> None:
    """A secret only before, or only after, is still hidden (`hidden_attributes` _3, _4)."""
    change = Change.from_dict(
        {
            "actions": ["update"],
            "before": {"old": "a", "new": None},
            "after": {"old": None, "new": "b"},
            "before_sensitive": {"old": True},
            "after_sensitive": {"new": True},
        }
    )
    assert change.hidden_attributes() == {"old", "new"}


def test_a_state_value_without_a_mask_takes_the_side_of_the_change_it_belongs_to() -> None:
    """Before 0.2: planned values take the after mask, prior state the before mask
    (`sensitive_mask` _1, _2)."""
    change = Change.from_dict(
        {
            "actions": ["update"],
            "before": {"a": 1},
            "after": {"a": 2},
            "before_sensitive": {"a": True},
            "after_sensitive": False,
        }
    )
    assert bytes(change.sensitive_mask(after=False)) == b'{"a": true}'
    assert bytes(change.sensitive_mask(after=True)) == b"false"


def test_an_output_change_hides_only_what_its_masks_hide_by_default() -> None:
    """`sensitive` defaults to False, and a before side with a partial mask hides only the
    masked keys (`OutputChange.from_change` _1, _11)."""
    shown = OutputChange.from_change("o", Change.from_dict({"actions": ["create"], "after": "x"}))
    assert shown.after == "x"
    partial = OutputChange.from_dict(
        "o",
        {
            "actions": ["update"],
            "before": {"a": 1, "b": 2},
            "after": {"a": 1},
            "before_sensitive": {"a": True},
        },
    )
    assert partial.before == {"a": SENSITIVE, "b": 2}
    hidden = OutputChange.from_dict("o", {"actions": ["create"], "after": "x"}, sensitive=True)
    assert hidden.name == "o"
    assert hidden.after is SENSITIVE
    assert hidden.before is SENSITIVE


# --------------------------------------------------------------------------- plan/load.py

_SHOW_STATE = "`terraform show -json` (run without a plan file)"
_PASS_PLANS = f"expected the state JSON of {_SHOW_STATE} (pass plans with --plan)"


def _refused_plan(data: bytes) -> str:
    with pytest.raises(InputError) as caught:
        parse_plan(data, "p.json")
    return str(caught.value)


def _state_file(tmp_path: Path, content: bytes | dict[str, Any] | list[Any]) -> Path:
    path = tmp_path / "state.json"
    path.write_bytes(content if isinstance(content, bytes) else json.dumps(content).encode())
    return path


def _refused_state(tmp_path: Path, content: bytes | dict[str, Any] | list[Any]) -> str:
    path = _state_file(tmp_path, content)
    with pytest.raises(InputError) as caught:
        load_state(path)
    return str(caught.value).replace(f"{path}: ", "")


def test_a_format_version_with_three_numbers_is_refused() -> None:
    """MAJOR.MINOR means two parts, even when every part is a number (`_check_format_version` _8)."""
    message = _refused_plan(b'{"format_version": "1.2.3", "resource_changes": []}')
    assert message == "p.json: invalid format_version '1.2.3'; expected MAJOR.MINOR such as 1.2"


def test_an_excerpt_is_marked_cut_only_when_something_was_cut() -> None:
    """24 characters are quoted whole; the 25th gets an ellipsis (`_excerpt` _8)."""
    assert "(it starts with 'abcdefghijklmnopqrstuvwx')" in _refused_plan(
        b"abcdefghijklmnopqrstuvwx"
    )
    assert "(it starts with 'abcdefghijklmnopqrstuvwx…')" in _refused_plan(
        b"abcdefghijklmnopqrstuvwxy"
    )


def test_modules_too_deep_for_the_schema_check_are_refused_in_one_line() -> None:
    """A plan refused by the typed pass whose modules the schema cannot follow says so
    (`_explained` _12)."""
    nested = '{"child_modules": [' * 200 + "{}" + "]}" * 200
    text = (
        '{"format_version": "1.2", "planned_values": {"root_module": '
        + nested
        + '}, "resource_changes": 3}'
    )
    assert _refused_plan(text.encode()) == (
        "p.json: modules nested too deeply to be a plan; "
        "expected the output of `terraform show -json PLANFILE`"
    )


def test_a_refusal_the_schema_does_not_explain_still_names_the_field() -> None:
    """A float where an integer belongs passes the schema (1.0 is an integer there) but not
    the typed pass: the message still says where (`_plan` _47)."""
    document = _with_planned(_state_resource(values={}, schema_version=1.0))
    message = _refused_plan(json.dumps(document).encode())
    assert "planned_values.root_module.resources[0].schema_version" in message


def test_a_plan_with_a_type_key_is_not_taken_for_a_log_line() -> None:
    """Only an object that is no plan and has `"type": "version"` is a log line
    (`_refuse_if_wrong` _16)."""
    message = _refused_plan(b'{"format_version": "1.2", "type": "version", "resource_changes": 3}')
    assert message == "p.json: not a valid plan at /resource_changes: expected array, got number"


def test_a_redacted_export_is_judged_by_its_plan_format_version() -> None:
    """An HCP Terraform export writes `plan_format_version`, not `format_version`
    (`_refuse_if_wrong` _28, _30 to _32)."""
    message = _refused_plan(b'{"plan_format_version": "9.0"}')
    assert (
        message == "p.json: plan format_version 9.0 is not supported; plangate reads >= 0.1, < 2.0"
    )


def test_a_state_loads_with_its_resources_and_terraform_version(tmp_path: Path) -> None:
    """The plain path of `load_state` (no test of the plan selection reaches it)."""
    content = {
        "format_version": "1.0",
        "terraform_version": "1.9.8",
        "values": {"root_module": {"resources": [_state_resource(values={"k": 1})]}},
    }
    path = _state_file(tmp_path, content)
    state = load_state(path)
    assert [r.address for r in state.values.resources] == ["a.b"]
    assert state.values.resources[0].values == {"k": 1}
    assert state.terraform_version == "1.9.8"
    assert state.name == str(path)
    assert state.source.size == path.stat().st_size
    assert len(state.source.sha256) == 64


def test_a_state_read_the_careful_way_keeps_a_string_terraform_version_only(
    tmp_path: Path,
) -> None:
    """A state the typed pass refuses (a number as terraform_version) is still read, without
    the version; one without values has no resources."""
    state = load_state(_state_file(tmp_path, {"format_version": "1.0", "terraform_version": 3}))
    assert state.terraform_version is None
    assert state.values.resources == ()
    assert state.source.size == len(b'{"format_version": "1.0", "terraform_version": 3}')
    # NaN is no JSON for the typed pass, but Python's json reads it: the careful way loads it.
    text = b'{"format_version": "1.0", "terraform_version": "1.9.8", "values": {"outputs": {"o": {"value": NaN}}}}'
    path = _state_file(tmp_path, text)
    state = load_state(path)
    assert state.terraform_version == "1.9.8"
    assert list(state.values.outputs) == ["o"]
    assert state.source.name == str(path)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"  \n", f"empty input; expected the JSON written by {_SHOW_STATE}"),
        ({"format_version": "1.2", "resource_changes": []}, f"a plan; {_PASS_PLANS}"),
        ({"format_version": "1.2", "resource_changes": 3, "values": {}}, f"a plan; {_PASS_PLANS}"),
        ([], f"not a state document; {_PASS_PLANS}"),
        ({"format_version": "1.0", "other": 1}, f"not a state document; {_PASS_PLANS}"),
        (
            {"format_version": "1.0", "values": [1]},
            f"values is not an object; expected {_SHOW_STATE} output",
        ),
        (
            {"format_version": "1.0", "values": {"root_module": {"resources": [{"type": "a"}]}}},
            f"a resource in values lacks address, type or name; expected {_SHOW_STATE} output",
        ),
        (
            {"format_version": "3.0", "values": {}},
            "plan format_version 3.0 is not supported; plangate reads >= 0.1, < 2.0",
        ),
        (
            {"values": {}},
            "no format_version; expected a plan document from `terraform show -json PLANFILE`",
        ),
        ({"format_version": 1, "resource_changes": []}, f"a plan; {_PASS_PLANS}"),
        (
            {"format_version": "3.0", "terraform_version": 5, "values": {}},
            "plan format_version 3.0 is not supported; plangate reads >= 0.1, < 2.0",
        ),
        (
            b"\xff{}",
            "not UTF-8 text (invalid byte 0xff at offset 0); expected the JSON written by `terraform show -json PLANFILE`",
        ),
    ],
)
def test_what_is_not_a_state_is_refused_saying_what_it_is(
    tmp_path: Path, content: bytes | dict[str, Any] | list[Any], expected: str
) -> None:
    """Each refusal of `load_state`, word for word (no test of the plan selection reaches them)."""
    assert _refused_state(tmp_path, content) == expected


@pytest.mark.parametrize("start", [b"X", b"\x0c", "\u00a0".encode()])
def test_a_state_that_starts_with_something_not_json_is_refused(
    tmp_path: Path, start: bytes
) -> None:
    """Only JSON whitespace and a byte order mark are skipped before the document
    (`_parse_json` _3, _5)."""
    message = _refused_state(tmp_path, start + b'{"format_version": "1.0", "values": {}}')
    assert message.startswith("invalid JSON at line 1 column 1: Expecting value")


def test_a_state_read_from_standard_input(monkeypatch: pytest.MonkeyPatch) -> None:
    """`-` reads standard input."""
    data = json.dumps({"format_version": "1.0", "values": {}}).encode()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert load_state("-").name == "-"


# --------------------------------------------------------------------------- plan/decode.py

_PLAN_TEXT = '{"format_version": "1.2", "resource_changes": []}'
_WRAPPED = "[command]/usr/bin/terraform show -json tfplan\n{plan}\n::debug::exitcode: 0\n"
_RECOVERED = "recovered the plan from setup-terraform wrapper output; set terraform_wrapper: false"


def test_wrapper_output_after_a_byte_order_mark_is_recovered_with_a_note() -> None:
    """A UTF-8 BOM before setup-terraform's output does not hide the wrapper
    (decode `decode_bytes` _2, _3, `utf8_body` _5, `strip_wrapper` _55)."""
    data = codecs.BOM_UTF8 + _WRAPPED.format(plan=_PLAN_TEXT).encode()
    loaded = parse_plan(data, "p.json")
    assert loaded.notes == (_RECOVERED,)
    assert loaded.plan.resource_changes == ()


@pytest.mark.parametrize(
    "text",
    [
        "[command]terraform show -json tfplan\nsomething else\n" + _PLAN_TEXT + "\n",
        "[command]terraform show -json tfplan\n" + _PLAN_TEXT + "\n::debug::x\nsomething else\n",
    ],
    ids=["before", "after"],
)
def test_wrapper_output_with_lines_not_of_the_wrapper_is_refused(text: str) -> None:
    """Anything around the JSON that the wrapper does not write is left to the parser to
    refuse (`strip_wrapper` _3, _24, _47, _49, _50)."""
    with pytest.raises(InputError):
        parse_plan(text.encode(), "p.json")


@pytest.mark.parametrize("before", ["  ", "X"])
def test_only_output_starting_with_the_wrapper_line_is_unwrapped(before: str) -> None:
    """A `[command]` line after anything but a BOM is not the wrapper's."""
    text = before + "[command]terraform show -json tfplan\n" + _PLAN_TEXT + "\n"
    with pytest.raises(InputError):
        parse_plan(codecs.BOM_UTF16_LE + text.encode("utf-16-le"), "p.json")


def test_a_plan_with_non_ascii_text_loads() -> None:
    """Valid UTF-8 is validated chunk by chunk, not byte by byte (`_check_utf8` _9, _10)."""
    document = {"format_version": "1.2", "variables": {"name": {"value": "café ☕"}}}
    plan = parse_plan(json.dumps(document, ensure_ascii=False).encode(), "p.json").plan
    assert plan.variables["name"] == "café ☕"


def test_an_invalid_first_byte_is_reported_at_offset_0() -> None:
    """UTF-8 validation starts at the first byte (`_check_utf8` _11)."""
    assert "not UTF-8 text (invalid byte 0xff at offset 0)" in _refused_plan(b"\xff{}")


_CHUNK = 1 << 23  # decode._CHUNK: UTF-8 is validated in chunks of 8 MiB


def test_a_character_cut_at_the_end_of_an_input_of_exactly_one_chunk_is_refused() -> None:
    """The last chunk is decoded as final even when it ends exactly at the input's end
    (`_check_utf8` _19)."""
    head = b'{"a": "'
    data = head + b"x" * (_CHUNK - len(head) - 1) + b"\xc3"
    assert f"invalid byte 0xc3 at offset {_CHUNK - 1})" in _refused_plan(data)


def test_an_invalid_character_across_two_chunks_is_reported_where_it_starts() -> None:
    """The offset counts the bytes held back from the previous chunk (`_check_utf8` _22)."""
    head = b'{"a": "'
    data = head + b"x" * (_CHUNK - len(head) - 1) + b'\xc3x"}'
    assert f"invalid byte 0xc3 at offset {_CHUNK - 1})" in _refused_plan(data)


def test_text_cut_inside_a_character_for_the_recognisers_does_not_fail() -> None:
    """The head read for messages may end inside a character (`DecodedBytes.head` _5, _9, _10)."""
    message = _refused_plan(("x" + "é" * 15000).encode())
    assert message.startswith("p.json: not JSON (it starts with 'xéééé")


# --------------------------------------------------------------------------- plan/model.py


def _module_chain(depth: int, *, calls: bool = False) -> dict[str, Any]:
    """A module tree `depth` levels below the root, as child modules or module calls."""
    module: dict[str, Any] = {} if calls else {"resources": []}
    for level in range(depth):
        module = (
            {"module_calls": {"m": {"source": "./m", "module": module}}}
            if calls
            else {"address": f"module.m{level}", "child_modules": [module]}
        )
    return module


@pytest.mark.parametrize(
    "where",
    ["planned_values", "prior_state", "configuration"],
)
def test_modules_are_refused_one_level_beyond_the_limit_and_not_at_it(where: str) -> None:
    """MAX_DEPTH levels of modules load, one more is refused, wherever the tree is
    (model `_check_module_depth` _2, _3, _5, _9, _11, _15, _18)."""

    def document(depth: int) -> dict[str, Any]:
        root = _module_chain(depth, calls=where == "configuration")
        section = {"root_module": root}
        if where == "prior_state":
            return {"format_version": "1.2", "prior_state": {"values": section}}
        return {"format_version": "1.2", where: section}

    parse_plan(json.dumps(document(MAX_DEPTH)).encode(), "p.json")
    assert _refused_plan(json.dumps(document(MAX_DEPTH + 1)).encode()) == (
        "p.json: modules nested too deeply to be a plan; "
        "expected the output of `terraform show -json PLANFILE`"
    )


def test_a_state_without_modules_does_not_stop_the_depth_check() -> None:
    """An empty prior state is skipped, not the end of the walk (`_check_module_depth` _8)."""
    document = {
        "format_version": "1.2",
        "planned_values": {"root_module": _module_chain(MAX_DEPTH + 1)},
        "prior_state": {"values": {}},
    }
    assert "modules nested too deeply" in _refused_plan(json.dumps(document).encode())


def test_configuration_literals_of_sensitive_attributes_are_hidden() -> None:
    """A literal in `configuration` is hidden when any instance marks its attribute sensitive:
    in a resource change (here a data source in a module instance), in planned values or in
    the prior state (`_sensitive_attributes` _2 to _7, _13, _17, _19 to _24, _30,
    `_configuration` _2, _11 to _16)."""

    def block(mode: str, type_: str, name: str, **literals: str) -> dict[str, Any]:
        return {
            "address": f"{'data.' if mode == 'data' else ''}{type_}.{name}",
            "mode": mode,
            "type": type_,
            "name": name,
            "expressions": {key: {"constant_value": value} for key, value in literals.items()},
        }

    def instance(address: str, mode: str, type_: str, name: str, hidden: str) -> dict[str, Any]:
        return {
            "address": address,
            "mode": mode,
            "type": type_,
            "name": name,
            "values": {hidden: "x", "open": "o"},
            "sensitive_values": {hidden: True},
        }

    document = {
        "format_version": "1.2",
        "resource_changes": [
            {
                "address": "module.m[0].data.t.d",
                "module_address": "module.m[0]",
                "mode": "data",
                "type": "t",
                "name": "d",
                "change": {
                    "actions": ["read"],
                    "after": {"password": "p", "open": "o"},
                    "after_sensitive": {"password": True},
                },
            }
        ],
        "planned_values": {
            "root_module": {
                "child_modules": [
                    {
                        "address": "module.k",
                        "resources": [
                            instance("module.k.data.s.e", "data", "s", "e", "secret_data")
                        ],
                    }
                ]
            }
        },
        "prior_state": {
            "values": {
                "root_module": {"resources": [instance("x.y", "managed", "x", "y", "token")]}
            }
        },
        "configuration": {
            "root_module": {
                "resources": [block("managed", "x", "y", token="t", open="o")],
                "module_calls": {
                    "m": {
                        "source": "./m",
                        "module": {"resources": [block("data", "t", "d", password="p", open="o")]},
                    },
                    "k": {
                        "source": "./k",
                        "module": {
                            "resources": [block("data", "s", "e", secret_data="s", open="o")]
                        },
                    },
                },
            }
        },
    }
    resources = _plan(document).configuration.resources
    for address, hidden in [
        ("module.m.data.t.d", "password"),
        ("module.k.data.s.e", "secret_data"),
        ("x.y", "token"),
    ]:
        expressions = resources[address].expressions
        assert expressions[hidden].constant_value is SENSITIVE, address
        assert expressions["open"].constant_value == "o", address


def test_before_0_2_state_values_take_the_mask_of_their_own_side() -> None:
    """Prior state takes the change's before mask, planned values its after mask
    (`_prior_state` _17, `_change_mask` _4, _5)."""
    change = {
        "address": "x.y",
        "mode": "managed",
        "type": "x",
        "name": "y",
        "change": {
            "actions": ["update"],
            "before": {"old": "a", "new": "b"},
            "after": {"old": "a", "new": "b"},
            "before_sensitive": {"old": True},
            "after_sensitive": {"new": True},
        },
    }
    state = {
        "root_module": {
            "resources": [
                _state_resource(address="x.y", type="x", name="y", values={"old": "a", "new": "b"})
            ]
        }
    }
    plan = _plan(
        {
            "format_version": "0.1",
            "resource_changes": [change],
            "planned_values": state,
            "prior_state": {"terraform_version": "1.9.0", "values": state},
        }
    )
    assert plan.planned_values.resources[0].values == {"old": "a", "new": SENSITIVE}
    prior = plan.prior_state
    assert prior is not None
    assert prior.values.resources[0].values == {"old": SENSITIVE, "new": "b"}
    assert prior.terraform_version == "1.9.0"


def test_check_results_default_to_empty_text_and_keep_instance_status() -> None:
    """Missing display addresses, kinds and messages are empty, never "None"
    (`CheckResult.from_wire` _11 to _48)."""
    plan = _plan(
        {
            "format_version": "1.2",
            "resource_changes": [],
            "checks": [{"status": "fail", "instances": [{"status": "error", "problems": [{}]}]}],
        }
    )
    (check,) = plan.checks
    assert (check.address, check.kind, check.status) == ("", "", "fail")
    (item,) = check.instances
    assert (item.address, item.status, item.problems) == ("", "error", ("",))


def test_a_plan_built_in_code_is_a_plain_plan_unless_told_otherwise() -> None:
    """`source_format` defaults to "plan" (`Plan.__init__` _1, _2, `from_dict` _1 to _6)."""
    document = {"format_version": "1.2", "resource_changes": []}
    assert Plan.from_dict(document).source_format == "plan"
    assert Plan(decode_document(json.dumps(document).encode())).source_format == "plan"
    assert Plan.from_dict(document, "redacted").source_format == "redacted"


def test_a_variable_without_a_value_is_absent() -> None:
    """A root variable the plan lists without `value` reads as ABSENT (`Plan.__init__` _43)."""
    plan = _plan({"format_version": "1.2", "resource_changes": [], "variables": {"v": {}}})
    assert plan.variables["v"] is ABSENT


def test_a_missing_state_file_is_named_as_a_state(tmp_path: Path) -> None:
    """The refusal says what was expected: a state, and the command that writes one
    (`load_state` _8, _9, _13, _14)."""
    missing = tmp_path / "absent.json"
    with pytest.raises(InputError) as caught:
        load_state(missing)
    assert str(caught.value) == (
        f"{missing}: no such file; expected a state exported with {_SHOW_STATE}"
    )


def test_a_plan_cannot_be_deleted_from() -> None:
    """A Plan is immutable: deleting an attribute is refused by name (`Plan.__delattr__` _1)."""
    plan = _plan({"format_version": "1.2", "resource_changes": []})
    with pytest.raises(AttributeError, match=r"^Plan is immutable; cannot delete timestamp$"):
        del plan.timestamp


# --------------------------------------------------------------------------- plan/schema.py


def _change_entry(**fields: Any) -> dict[str, Any]:
    return {"address": "a.b", "type": "a", "name": "b", "change": {"actions": ["create"]}, **fields}


def _module(address: str, *names: Any) -> dict[str, Any]:
    return {
        "address": address,
        "resources": [
            {"address": f"{address}.a.r{i}", "type": "a", "name": name, "values": {}}
            for i, name in enumerate(names)
        ],
    }


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        pytest.param(
            {
                "format_version": "1.2",
                "resource_changes": [_change_entry()] * 2 + [_change_entry(type="")],
            },
            "/resource_changes/2/type: expected at least 1 character(s)",
            id="index-after-identical-items",
        ),
        pytest.param(
            {
                "format_version": "1.2",
                "planned_values": {
                    "root_module": {
                        "child_modules": [_module("module.a", "b")] * 2
                        + [_module("module.c", "b", "c", 5)]
                    }
                },
            },
            "/planned_values/root_module/child_modules/2/resources/2/name: expected string, got number",
            id="nested-indices",
        ),
        pytest.param(
            {
                "format_version": "1.2",
                "resource_changes": [{"address": "a.b", "change": {"actions": ["create"]}}],
            },
            "/resource_changes/0: missing required key 'type', 'name'",
            id="two-missing-keys",
        ),
        pytest.param({}, "/: missing required key 'format_version'", id="root"),
        pytest.param(
            {"format_version": "abc"},
            "/format_version: expected a string matching ^[0-9]+\\.[0-9]+$",
            id="pattern",
        ),
        pytest.param(
            {"format_version": "1.2", "resource_changes": [_change_entry(change={"actions": []})]},
            "/resource_changes/0/change/actions: expected at least 1 item(s)",
            id="min-items",
        ),
    ],
)
def test_the_schema_names_the_failing_place_in_the_original_document(
    document: dict[str, Any], problem: str
) -> None:
    """Items of the same shape are validated once, but the pointer is the original's, and the
    message says what was expected (schema `schema_problem` _28, _33, `_Shape._array` _35,
    _36, `original_path` _2, _11, _13 to _15, `_describe` _22, _25, _28, _29, _34 to _36,
    _38, _45, _46)."""
    assert schema_problem(document) == problem


# --------------------------------------------------------------------------- plan/configuration.py


def _configuration_section() -> dict[str, Any]:
    return {
        "provider_config": {
            "google.west": {
                "name": "google",
                "full_name": "registry.terraform.io/hashicorp/google",
                "alias": "west",
                "version_constraint": "~> 5.0",
                "module_address": "module.n",
                "expressions": {"region": {"constant_value": "europe-west1"}},
            },
            "aws": {},
        },
        "root_module": {
            "resources": [
                {
                    "address": "google_sql_user.u",
                    "type": "google_sql_user",
                    "name": "u",
                    "provider_config_key": "google.west",
                    "expressions": {
                        "password": {"constant_value": "pw", "references": ["var.x"]},
                        "name": {"references": ["var.name"]},
                        "settings": [{"tier": {"constant_value": "small"}}],
                        "labels": {"env": {"constant_value": "prod"}},
                        "odd": 5,
                    },
                    "count_expression": {"constant_value": 2},
                    "for_each_expression": {"references": ["var.set"]},
                    "depends_on": ["google_project.p"],
                }
            ],
            "module_calls": {
                "n": {
                    "source": "./n",
                    "version_constraint": "1.0",
                    "expressions": {
                        "secret": {"constant_value": "s"},
                        "open": {"constant_value": "o"},
                    },
                    "count_expression": {"references": ["var.n"]},
                    "for_each_expression": "not an expression",
                    "depends_on": ["google_sql_user.u"],
                    "module": {
                        "variables": {"secret": {"sensitive": True}, "open": {}},
                        "resources": [
                            {"address": "data.d.e", "mode": "data", "type": "d", "name": "e"}
                        ],
                    },
                }
            },
            "variables": {
                "token": {"sensitive": True, "default": "t", "description": "a token"},
                "region": {"default": "eu"},
                "required": {},
            },
            "outputs": {"o": {"sensitive": True}, "p": {}},
        },
    }


def test_the_configuration_section_is_read_field_by_field() -> None:
    """Provider blocks, resource blocks at their module path, module calls with their
    sensitive arguments hidden, root variables (ABSENT when they have no default) and outputs
    (configuration `from_dict`, `_config_resource`, `_optional_expression`, `_expressions`,
    `_is_expression`)."""
    configuration = Configuration.from_dict(_configuration_section())
    west = configuration.provider_configs["google.west"]
    assert (west.key, west.name, west.full_name, west.alias) == (
        "google.west",
        "google",
        "registry.terraform.io/hashicorp/google",
        "west",
    )
    assert (west.version_constraint, west.module_address) == ("~> 5.0", "module.n")
    assert west.expressions["region"].constant_value == "europe-west1"
    implied = configuration.provider_configs["aws"]
    assert (implied.name, implied.full_name, implied.alias, dict(implied.expressions)) == (
        "aws",
        None,
        None,
        {},
    )

    user = configuration.resources["google_sql_user.u"]
    assert (user.address, user.module_path, user.mode, user.type, user.name) == (
        "google_sql_user.u",
        None,
        "managed",
        "google_sql_user",
        "u",
    )
    assert user.provider_config_key == "google.west"
    assert user.expressions["password"] == Expression("pw", ("var.x",))
    assert user.expressions["name"] == Expression(ABSENT, ("var.name",))
    assert user.expressions["settings"][0]["tier"] == Expression("small", ())
    assert user.expressions["odd"] == Expression(ABSENT, ())
    assert user.count_expression == Expression(2, ())
    assert user.for_each_expression == Expression(ABSENT, ("var.set",))
    assert user.depends_on == ("google_project.p",)
    assert dict(user.constants()) == {"password": "pw"}

    data = configuration.resources["module.n.data.d.e"]
    assert (data.address, data.module_path, data.mode, data.type, data.name) == (
        "module.n.data.d.e",
        "module.n",
        "data",
        "d",
        "e",
    )
    assert (data.count_expression, data.for_each_expression, data.depends_on) == (None, None, ())

    call = configuration.module_calls["module.n"]
    assert (call.name, call.module_path, call.source, call.version_constraint) == (
        "n",
        "module.n",
        "./n",
        "1.0",
    )
    assert call.expressions["secret"].constant_value is SENSITIVE
    assert call.expressions["open"].constant_value == "o"
    assert call.count_expression == Expression(ABSENT, ("var.n",))
    assert call.for_each_expression is None
    assert call.depends_on == ("google_sql_user.u",)

    token = configuration.root_variables["token"]
    assert (token.name, token.default, token.description, token.sensitive) == (
        "token",
        SENSITIVE,
        "a token",
        True,
    )
    region = configuration.root_variables["region"]
    assert (region.default, region.description, region.sensitive) == ("eu", None, False)
    assert configuration.root_variables["required"].default is ABSENT
    assert dict(configuration.root_outputs_sensitive) == {"o": True, "p": False}


def test_an_expression_with_both_keys_is_one_expression() -> None:
    """`{"constant_value", "references"}` is an expression, not a block of two attributes
    (`_is_expression` _3)."""
    configuration = Configuration.from_dict(
        {
            "root_module": {
                "resources": [
                    {
                        "address": "a.b",
                        "type": "a",
                        "name": "b",
                        "expressions": {"x": {"constant_value": 1, "references": []}},
                    }
                ]
            }
        }
    )
    assert configuration.resources["a.b"].expressions["x"] == Expression(1, ())


def test_hiding_replaces_every_constant_of_a_sensitive_attribute_and_keeps_references() -> None:
    """Nested blocks are hidden all the way down; references stay, they are not secrets
    (`_hidden` _3, _7, _9, `hiding`)."""
    configuration = Configuration.from_dict(_configuration_section())
    hidden = configuration.hiding({"google_sql_user.u": {"password", "settings", "labels"}})
    user = hidden.resources["google_sql_user.u"]
    assert user.expressions["password"] == Expression(SENSITIVE, ("var.x",))
    assert user.expressions["settings"][0]["tier"] == Expression(SENSITIVE, ())
    assert user.expressions["labels"]["env"] == Expression(SENSITIVE, ())
    assert user.expressions["name"] == Expression(ABSENT, ("var.name",))
    assert hidden.resources["module.n.data.d.e"] == configuration.resources["module.n.data.d.e"]
    assert configuration.hiding({}) is configuration


@pytest.mark.parametrize(
    ("module_address", "mode", "expected"),
    [
        (None, "managed", "t.n"),
        (None, "data", "data.t.n"),
        ('module.a[0].module.b["k"]', "data", "module.a.module.b.data.t.n"),
        ("module.a", "managed", "module.a.t.n"),
    ],
)
def test_the_configuration_address_of_an_instance_drops_its_keys(
    module_address: str | None, mode: str, expected: str
) -> None:
    """`config_address` (_2, _5, _6, _12)."""
    assert config_address(module_address, mode, "t", "n") == expected
