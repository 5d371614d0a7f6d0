"""Normalisation of python-hcl2 8.x values: quotes, escapes, heredocs, expressions, blocks."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest

from plangate.config import Expression, read_module
from plangate.config._hcl import contains_expression, normalise, source_text


def _attrs(tmp_path: Path, body: str) -> Mapping[str, object]:
    (tmp_path / "main.tf").write_text(f'resource "t" "n" {{\n{body}\n}}\n', encoding="utf-8")
    return read_module(tmp_path).resources[0].attributes


def test_literal_strings_lose_quotes_and_escapes(tmp_path: Path) -> None:
    attrs = _attrs(
        tmp_path,
        '  a = "plain"\n'
        '  b = "say \\"hi\\"\\tnow\\u00e9"\n'
        '  c = "$${not_a_reference} %%{ not_a_directive }"\n'
        '  d = ""\n',
    )
    assert attrs["a"] == "plain"
    assert attrs["b"] == 'say "hi"\tnowé'
    assert attrs["c"] == "${not_a_reference} %{ not_a_directive }"
    assert attrs["d"] == ""
    assert not any(isinstance(value, Expression) for value in attrs.values())


def test_expressions_are_kept_as_source_text_and_typed(tmp_path: Path) -> None:
    attrs = _attrs(
        tmp_path,
        "  ref      = var.x\n"
        '  template = "${var.name}-models"\n'
        '  single   = "${var.a}"\n'
        '  cond     = var.on ? "a" : "b"\n'
        "  bare     = each\n"
        '  directive = "%{ if var.x }yes%{ endif }"\n',
    )
    assert attrs["ref"] == "${var.x}"
    assert attrs["template"] == "${var.name}-models"
    assert attrs["single"] == "${var.a}"
    assert attrs["cond"] == '${var.on ? "a" : "b"}'
    assert attrs["bare"] == "${each}"
    assert attrs["directive"] == "%{ if var.x }yes%{ endif }"
    assert all(isinstance(value, Expression) for value in attrs.values())


def test_numbers_bools_null_and_containers(tmp_path: Path) -> None:
    attrs = _attrs(
        tmp_path,
        "  i = 42\n  f = 0.5\n  e = 1e3\n  n = -7\n  t = true\n  z = null\n"
        '  l = ["a", 1, false, var.x]\n'
        '  o = { "a.b" = "c", plain = 1, nested = { deep = [] } }\n',
    )
    assert attrs["i"] == 42 and type(attrs["i"]) is int
    assert attrs["f"] == 0.5
    assert attrs["e"] == 1000.0  # not the string "${1e3}" python-hcl2 gives by default
    assert attrs["n"] == -7
    assert attrs["t"] is True
    assert attrs["z"] is None
    assert attrs["l"] == ("a", 1, False, "${var.x}")
    assert dict(attrs["o"]) == {"a.b": "c", "plain": 1, "nested": {"deep": ()}}
    with pytest.raises(TypeError):
        attrs["o"]["x"] = 1  # type: ignore[index]


def test_heredocs_keep_final_newline_and_trim_indented_form(tmp_path: Path) -> None:
    attrs = _attrs(
        tmp_path,
        "  plain = <<EOT\n"
        "line one\n"
        '  "quoted" {\n'
        "EOT\n"
        "  trimmed = <<-EOT\n"
        "      first\n"
        "        second\n"
        "    EOT\n"
        "  templ = <<EOT\n"
        "hello ${var.who}\n"
        "EOT\n",
    )
    assert attrs["plain"] == 'line one\n  "quoted" {\n'
    assert attrs["trimmed"] == "first\n  second\n"
    assert attrs["templ"] == "hello ${var.who}\n"
    assert isinstance(attrs["templ"], Expression)
    assert not isinstance(attrs["plain"], Expression)


def test_nested_blocks_become_tuples_of_mappings(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'resource "t" "n" {\n'
        '  rule {\n    action { type = "Delete" }\n  }\n'
        '  rule {\n    action { type = "Keep" }\n  }\n'
        "  objects = [{ a = 1 }]\n"
        '  dynamic "port" {\n    for_each = var.ports\n    content { number = port.value }\n  }\n'
        "}\n",
        encoding="utf-8",
    )
    block = read_module(tmp_path).resources[0]
    rules = block.attributes["rule"]
    assert [rule["action"][0]["type"] for rule in rules] == ["Delete", "Keep"]
    assert block.attributes["dynamic"][0]["port"]["for_each"] == "${var.ports}"
    assert block.block_types == {"rule", "dynamic"}  # objects is an argument, not a block
    assert block.attributes["objects"] == ({"a": 1},)


def test_raw_python_hcl2_shapes_directly() -> None:
    # the exact shapes python-hcl2 8.x produces, in case a version changes them
    assert normalise('"abc"') == "abc"
    assert normalise("${var.x}") == Expression("${var.x}")
    assert normalise("string") == Expression("${string}")
    assert normalise({'"k"': '"v"', "${(var.k)}": 1}) == {"k": "v", "${(var.k)}": 1}
    assert isinstance(next(iter(normalise({"${(var.k)}": 1}))), Expression)
    block = {"a": 1, "__is_block__": True}
    assert normalise([block]) == ({"a": 1},)


def test_source_text_for_meta_arguments() -> None:
    assert source_text("${var.n}") == "var.n"
    assert source_text('${toset(["a"])}') == 'toset(["a"])'
    assert source_text("labels") == "labels"
    assert source_text(2) == "2"
    assert source_text(True) == "true"


def test_contains_expression_looks_inside_containers() -> None:
    assert not contains_expression(("a", 1, {"k": (None, True)}))
    assert contains_expression(("a", {"k": (Expression("${x}"),)}))
    assert contains_expression({Expression("${k}"): 1})
