"""Behaviour of config/ that the mutation run (issue 14, bench/mutation.py) found unpinned.

Each test names what it protects: the exact wording of a mismatch or an address error (what a
reader acts on), the for_each keys a module call writes literally, and Terraform's equality.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from plangate.config import (
    Configuration,
    Mismatch,
    MismatchKind,
    check_consistency,
    load_configuration,
    same_value,
)
from plangate.config.addresses import (
    module_address,
    parse_resource_address,
    split_module_path,
    tokenize,
)
from plangate.config.model import Module, ResourceBlock, SourceLocation
from plangate.errors import InputError
from plangate.plan import SENSITIVE


def _write(root: Path, files: dict[str, str]) -> Configuration:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return load_configuration(root)


def _lines(mismatches: tuple[Mismatch, ...], root: Path) -> list[str]:
    return [m.describe().replace(f"{root}/", "") for m in mismatches]


# -- consistency: literal for_each keys passed by a module call ------------------------------

_LITERAL_MODULE = {
    "m/main.tf": 'variable "Names_x" {}\nresource "t" "r" {\n  for_each = var.Names_x\n}\n',
}


@pytest.mark.parametrize("argument", ['["a", "b"]', "{ a = 1, b = 2 }"], ids=["list", "map"])
def test_literal_for_each_keys_of_a_module_call_are_checked_both_ways(
    tmp_path: Path, argument: str
) -> None:
    config = _write(
        tmp_path,
        {
            **_LITERAL_MODULE,
            "main.tf": f'module "m" {{\n  source = "./m"\n  Names_x = {argument}\n}}\n',
        },
    )
    plan = {'module.m.t.r["a"]': "managed", 'module.m.t.r["c"]': "managed"}
    assert _lines(check_consistency(plan, {}, config), tmp_path) == [
        'main.tf:1: in_config_not_in_plan: module.m.t.r["b"]: module.m sets Names_x literally'
        " (main.tf:1) with this key, but the plan has no such instance",
        'm/main.tf:2: in_plan_not_in_config: module.m.t.r["c"]: in the plan, but module.m sets'
        ' Names_x literally (main.tf:1) without the key ["c"]',
    ]


def test_literal_keys_are_shown_with_quotes_and_backslashes_escaped(tmp_path: Path) -> None:
    config = _write(
        tmp_path,
        {
            **_LITERAL_MODULE,
            "main.tf": 'module "m" {\n  source = "./m"\n  Names_x = ["a\\"b\\\\c"]\n}\n',
        },
    )
    found = check_consistency({'module.m.t.r["z"]': "managed"}, {}, config)
    assert [m.address for m in found] == [
        'module.m.t.r["a\\"b\\\\c"]',
        'module.m.t.r["z"]',
    ]


@pytest.mark.parametrize(
    ("call", "plan_address"),
    [
        ('count = 1\n  Names_x = ["a"]', 'module.m[0].t.r["zz"]'),
        ('for_each = { k = 1 }\n  Names_x = ["a"]', 'module.m["k"].t.r["zz"]'),
        ('Names_x = ["a", local.b]', 'module.m.t.r["zz"]'),
        ("Names_x = [1, 2]", 'module.m.t.r["zz"]'),
        ("Names_x = var.outer", 'module.m.t.r["zz"]'),
        ('Names_x = "a"', 'module.m.t.r["zz"]'),
        ('other = ["a"]', 'module.m.t.r["zz"]'),
    ],
    ids=[
        "repeated-by-count",
        "repeated-by-for_each",
        "expression",
        "numbers",
        "variable",
        "string",
        "not-passed",
    ],
)
def test_for_each_keys_that_are_not_plain_literals_are_not_judged(
    tmp_path: Path, call: str, plan_address: str
) -> None:
    config = _write(
        tmp_path,
        {**_LITERAL_MODULE, "main.tf": f'module "m" {{\n  source = "./m"\n  {call}\n}}\n'},
    )
    assert check_consistency({plan_address: "managed"}, {}, config) == ()


def test_a_root_for_each_over_a_variable_has_no_call_to_read_keys_from(tmp_path: Path) -> None:
    config = _write(tmp_path, {"main.tf": 'resource "t" "r" {\n  for_each = var.names\n}\n'})
    assert check_consistency({'t.r["a"]': "managed"}, {}, config) == ()


# -- consistency: wording of every kind -----------------------------------------------------


def test_mismatch_without_location_describes_without_a_place() -> None:
    mismatch = Mismatch(MismatchKind.IN_PLAN_NOT_IN_CONFIG, "t.r", "why")
    assert mismatch.describe() == "in_plan_not_in_config: t.r: why"


_SHAPES = (
    'resource "t" "plain" {}\n'
    'resource "t" "counted" {\n  count = 2\n}\n'
    'resource "t" "each" {\n  for_each = var.x\n}\n'
    'module "mc" {\n  source = "./c"\n  count = 1\n}\n'
    'module "me" {\n  source = "./c"\n  for_each = var.y\n}\n'
    'module "reg" {\n  source = "acme/thing/google"\n}\n'
)


@pytest.fixture
def shapes(tmp_path: Path) -> Configuration:
    return _write(tmp_path, {"main.tf": _SHAPES, "c/main.tf": 'resource "t" "in" {}\n'})


def test_instance_key_problems_are_worded_per_repetition(
    shapes: Configuration, tmp_path: Path
) -> None:
    plan = {
        't.plain["a\\"b\\\\c"]': "managed",
        't.counted["a"]': "managed",
        "t.each[0]": "managed",
        'module.mc["k"].t.in': "managed",
        "module.me[0].t.in": "managed",
    }
    found = check_consistency(plan, {}, shapes)
    assert _lines(found, tmp_path) == [
        "c/main.tf:1: instance_keys_differ: module.mc.t.in: module.mc is declared with count but"
        ' not keyed by number in the plan (e.g. module.mc["k"].t.in)',
        "c/main.tf:1: instance_keys_differ: module.me.t.in: module.me is declared with for_each"
        " but not keyed by string in the plan (e.g. module.me[0].t.in)",
        "main.tf:2: instance_keys_differ: t.counted: the block is declared with count but not"
        ' keyed by number in the plan (e.g. t.counted["a"])',
        "main.tf:5: instance_keys_differ: t.each: the block is declared with for_each but not"
        " keyed by string in the plan (e.g. t.each[0])",
        "main.tf:1: instance_keys_differ: t.plain: the block is declared without count or"
        ' for_each but keyed in the plan (e.g. t.plain["a\\"b\\\\c"])',
    ]


def test_keys_that_match_their_repetition_are_consistent(
    shapes: Configuration, tmp_path: Path
) -> None:
    plan = {
        "t.plain": "managed",
        "t.counted[1]": "managed",
        't.each["x"]': "managed",
        "module.mc[0].t.in": "managed",
        'module.me["k"].t.in': "managed",
        "module.reg.t.one": "managed",
        "module.reg.t.two": "managed",
    }
    found = check_consistency(plan, {}, shapes)
    assert _lines(found, tmp_path) == [  # once, for both of its resources
        "main.tf:16: module_not_followed: module.reg: source 'acme/thing/google' is not a local"
        " path; its resources were not compared",
    ]


def test_a_block_the_hcl_lacks_counts_its_instances(shapes: Configuration, tmp_path: Path) -> None:
    plan = {
        "t.plain": "managed",
        "t.counted[0]": "managed",
        't.each["x"]': "managed",
        "module.mc[0].t.in": "managed",
        'module.me["k"].t.in': "managed",
        "t.gone": "managed",
        "t.twice[0]": "managed",
        "t.twice[1]": "managed",
    }
    found = [m for m in check_consistency(plan, {}, shapes) if not m.is_soft]
    assert _lines(tuple(found), tmp_path) == [
        "in_plan_not_in_config: t.gone: 1 instance in the plan, no such block in the configuration",
        "in_plan_not_in_config: t.twice: 2 instances in the plan, no such block in the"
        " configuration",
    ]


def test_absent_blocks_are_worded_by_what_may_make_them_empty(
    shapes: Configuration, tmp_path: Path
) -> None:
    assert sorted(_lines(check_consistency({}, {}, shapes), tmp_path)) == [
        "c/main.tf:1: in_config_not_in_plan: module.mc.t.in: declared in the configuration but"
        " never planned",
        "c/main.tf:1: maybe_zero_instances: module.me.t.in: not in the plan; module.me has"
        " for_each = var.y, which may expand to nothing",
        "main.tf:1: in_config_not_in_plan: t.plain: declared in the configuration but never"
        " planned",
        "main.tf:2: in_config_not_in_plan: t.counted: declared in the configuration but never"
        " planned",
        "main.tf:5: maybe_zero_instances: t.each: not in the plan; the block has for_each ="
        " var.x, which may expand to nothing",
    ]


def test_two_unknown_repetitions_are_both_named(tmp_path: Path) -> None:
    config = _write(
        tmp_path,
        {
            "main.tf": 'module "m" {\n  source = "./c"\n  count = var.n\n}\n',
            "c/main.tf": 'resource "t" "in" {\n  for_each = var.k\n}\n',
        },
    )
    (found,) = check_consistency({}, {}, config)
    assert found.detail == (
        "not in the plan; module.m has count = var.n; the block has for_each = var.k,"
        " which may expand to nothing"
    )


@pytest.mark.parametrize("written", ["{ }", "[ ]", " {}"])
def test_an_empty_literal_for_each_with_spaces_expands_to_nothing(written: str) -> None:
    block = ResourceBlock(
        mode="managed",
        type="t",
        name="r",
        address_in_module="t.r",
        location=SourceLocation(Path("main.tf"), 1),
        for_each=written,
    )
    config = Configuration(Module(Path(), resources=(block,)))
    assert check_consistency({}, {}, config) == ()


# -- consistency: attributes ----------------------------------------------------------------


def test_every_differing_attribute_is_reported_past_skipped_ones(tmp_path: Path) -> None:
    config = _write(
        tmp_path,
        {
            "main.tf": (
                'resource "t" "r" {\n'
                '  a_same = "x"\n'
                "  b_block {\n    x = 1\n  }\n"
                '  c_secret = "s"\n'
                "  d_expr = var.v\n"
                "  e_null = 1\n"
                '  f_list = ["q\\"\\\\", 2]\n'
                "  g_map = { k = true, l = 1 }\n"
                "}\n"
            )
        },
    )
    constants = {
        "a.missing": {"x": 1},
        "t.r": {
            "a_same": "x",
            "b_block": [{"x": 2}],
            "c_secret": SENSITIVE,
            "d_expr": "anything",
            "e_null": None,
            "f_list": ["q", 2],
            "g_map": {"k": False, "l": 1},
            "e0_unset": 3,
            "h_unset": {"a": [None]},
        },
    }
    found = check_consistency({"t.r": "managed"}, constants, config)
    assert _lines(found, tmp_path) == [
        "main.tf:1: attribute_differs: t.r: e0_unset: plan has 3, the HCL does not set it",
        "main.tf:8: attribute_differs: t.r: e_null: plan has null, HCL has 1",
        'main.tf:9: attribute_differs: t.r: f_list: plan has ["q", 2], HCL has ["q\\"\\\\", 2]',
        "main.tf:10: attribute_differs: t.r: g_map: plan has {k = false, l = 1}, HCL has"
        " {k = true, l = 1}",
        "main.tf:1: attribute_differs: t.r: h_unset: plan has {a = [null]}, the HCL does not"
        " set it",
    ]


def test_same_value_never_equates_a_string_with_a_number_or_a_list() -> None:
    assert not same_value("1", 1)
    assert not same_value(["a"], "a")
    assert not same_value({}, None)
    assert not same_value(None, {})
    assert same_value({"a": [1]}, {"a": (1.0,)})


# -- addresses ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "message"),
    [
        (".a", "expected a name at 0"),
        ("a.b(", "expected '.' or '[' at 3"),
        ('a["x', "expected a closing '\"' at 2"),
        ("a[x]", "expected a number or a quoted string at 2"),
        ("a[0", "expected ']' at 3"),
        ('a["x"', "expected ']' at 5"),
    ],
)
def test_a_malformed_address_is_named_with_what_was_expected_and_where(
    address: str, message: str
) -> None:
    with pytest.raises(InputError) as caught:
        tokenize(address)
    assert str(caught.value) == f"not a Terraform address: {address!r}: {message}"


@pytest.mark.parametrize("address", ["module", "data[0].t.n", "t"])
def test_what_names_no_resource_is_rejected_with_its_text(address: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_resource_address(address)
    assert str(caught.value) == f"not a Terraform resource address: {address!r}"


def test_a_trailing_module_word_is_not_a_module_path() -> None:
    steps = tokenize("a.module")
    assert split_module_path(steps) == ((), steps)
    assert split_module_path(tokenize("module")) == ((), tokenize("module"))


def test_module_address_joins_the_names() -> None:
    assert module_address(("a", "b")) == "module.a.module.b"
    assert module_address(()) == ""


def test_invented_keys_of_a_data_source_are_shown_as_data_addresses(tmp_path: Path) -> None:
    config = _write(
        tmp_path,
        {
            "m/main.tf": 'variable "n" {}\ndata "t" "r" {\n  for_each = var.n\n}\n',
            "main.tf": 'module "m" {\n  source = "./m"\n  n = ["a"]\n}\n',
        },
    )
    found = check_consistency({'module.m.data.t.r["b"]': "data"}, {}, config)
    assert [m.address for m in found] == [
        'module.m.data.t.r["a"]',
        'module.m.data.t.r["b"]',
    ]
