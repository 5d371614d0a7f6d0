"""What config/_hcl.py tells a user about a broken file, and how it decodes HCL text exactly.

The mutation run of the HCL layer found these unpinned: the one-line syntax error (file, line,
column, what was found and what was expected, said the way a Terraform author says it), the
backslash escapes of quoted strings and labels (``\\u`` and ``\\U`` bounds, surrogates, unknown
escapes kept verbatim), empty and blank heredocs, and the source text given back for
meta-arguments. Syntax errors come from real files where python-hcl2 can produce them; the
positions lark never reports today (line 0, a line past the end, no column) use a stand-in
exception, because the message builder promises to cope with every shape lark raises.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from plangate.config import Expression, read_module
from plangate.config._hcl import (
    _describe_expected,
    _syntax_message,
    decode_quoted,
    is_block_list,
    normalise,
    parse_file,
    source_text,
    unescape,
    unquote_key,
    unquoted_text,
)
from plangate.errors import InputError
from tests.test_config_reader import _error


def _attrs(tmp_path: Path, body: str) -> Mapping[str, Any]:
    (tmp_path / "main.tf").write_text(f'resource "t" "n" {{\n{body}\n}}\n', encoding="utf-8")
    return read_module(tmp_path).resources[0].attributes


class _Raised(Exception):
    """Stands in for a parser exception carrying only the attributes given."""

    def __init__(self, message: str = "", **attributes: object) -> None:
        super().__init__(message)
        for name, value in attributes.items():
            setattr(self, name, value)


# -- syntax errors from real files -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "locals {\n  a = 1\n",
            ":3:1: HCL syntax error: unexpected end of file; expected '}'",
        ),
        ("@\n", ":1:1: HCL syntax error: unexpected '@'; expected a name, a new line"),
        ('a = "abc\n', ":1:6: HCL syntax error: unexpected end of file; expected a closing '\"'"),
        ("a = ", ":1:5: HCL syntax error: unexpected 'new line'; expected an expression"),
        (
            "a = 1 ^ " + "abcdefghij" * 5 + "\n",
            ":1:7: HCL syntax error: unexpected '^ abcdefghijabcdefghijabcdefgh'; "
            "expected an expression",
        ),
        ("a = [1, 2 }\n", ":1:11: HCL syntax error: unexpected '}'; expected ',', ']', a new line"),
        ("a = 1\n}\n", ":2:1: HCL syntax error: unexpected '}'; expected end of file"),
        (
            "a = 1 2",
            ":1:7: HCL syntax error: unexpected '2'; expected '}', ELSE, ENDFOR, ENDIF, FALSE, FOR, ...",
        ),
        ('a = "\\', ":1:6: HCL syntax error: unexpected character '\\\\'"),
        ('a = "%{ if x }"\n', ': HCL syntax error: Error trying to process rule "string":'),
    ],
    ids=[
        "unclosed-block",
        "first-column",
        "unclosed-string",
        "missing-value",
        "long-token-cut",
        "wrong-bracket",
        "extra-brace",
        "many-expected",
        "bad-character",
        "no-position",
    ],
)
def test_a_syntax_error_is_one_exact_line_naming_place_found_and_expected(
    tmp_path: Path, text: str, message: str
) -> None:
    """The message is all a user gets to find the mistake: every part of it is pinned."""
    assert _error(tmp_path, {"main.tf": text}) == f"{tmp_path / 'main.tf'}{message}"


def test_an_unreadable_file_is_refused_with_the_system_reason(tmp_path: Path) -> None:
    """A directory named like a file cannot be read; the reason is the short system text."""
    with pytest.raises(InputError) as caught:
        parse_file(tmp_path)
    assert str(caught.value) == f"{tmp_path}: cannot read: Is a directory"


# -- syntax message shapes lark may raise --------------------------------------------------------


@pytest.mark.parametrize(
    ("attributes", "where"),
    [
        ({"line": 0, "column": 3}, "main.tf"),
        ({"line": 3, "column": 1}, "main.tf:2"),
        ({"line": 1, "column": None}, "main.tf:1"),
        ({"line": 1, "column": 0}, "main.tf:1"),
        ({"line": 2, "column": 4}, "main.tf:2:4"),
    ],
    ids=["line-zero", "past-last-line", "no-column", "column-zero", "both"],
)
def test_only_a_known_position_inside_the_file_is_shown(
    attributes: dict[str, object], where: str
) -> None:
    """Line N+1 is the parser's own end-of-file newline: it is shown as the last line."""
    exc = _Raised("boom", **attributes)
    assert _syntax_message(Path("main.tf"), "a = 1\n", exc) == f"{where}: HCL syntax error: boom"


@pytest.mark.parametrize(
    ("count", "shown"),
    [(6, "A, B, C, D, E, F"), (7, "A, B, C, D, E, F, ...")],
)
def test_at_most_six_expected_tokens_are_listed(count: int, shown: str) -> None:
    """Names lark has no wording for are shown as they are, sorted, and cut after six."""
    exc = _Raised("x", expected=set("ABCDEFG"[:count]), token=";")
    message = _syntax_message(Path("main.tf"), "", exc)
    assert message == f"main.tf: HCL syntax error: unexpected ';'; expected {shown}"


def test_the_exception_text_is_cut_to_its_first_line_of_two_hundred_characters() -> None:
    long = _Raised("x" * 250 + "\nsecond line")
    assert _syntax_message(Path("m.tf"), "", long) == "m.tf: HCL syntax error: " + "x" * 200
    assert _syntax_message(Path("m.tf"), "", _Raised("")) == "m.tf: HCL syntax error: _Raised"


def test_expected_sets_are_said_as_a_terraform_author_would() -> None:
    assert _describe_expected({"DBLQUOTE", "STRING_CHARS"}) == ["a closing '\"'"]
    assert _describe_expected({"DBLQUOTE", "NAME", "INT_LITERAL"}) == ["an expression"]
    assert _describe_expected({"RBRACE", "MINUS", "INT_LITERAL"}) == ["'}'", "MINUS", "a number"]


# -- escapes ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("\\t", "\t"),
        ("a\\tb\\\\c", "a\tb\\c"),
        ('say \\"hi\\"', 'say "hi"'),
        ("a\\", "a\\"),
        ("\\u00e9\\u00E9", "éé"),
        ("\\U0001F600", "\U0001f600"),
        ("\\U0010FFFF", "\U0010ffff"),
        ("\\uD7FF\\uE000", "\ud7ff\ue000"),
        ("\\uD800", "\\uD800"),
        ("\\uDFFF", "\\uDFFF"),
        ("\\U00110000", "\\U00110000"),
        ("\\u12", "\\u12"),
        ("\\u00X1", "\\u00X1"),
        ("\\q", "\\q"),
        ("\\qxy", "\\qxy"),
    ],
)
def test_backslash_escapes_decode_and_unknown_ones_stay_verbatim(text: str, value: str) -> None:
    """Labels (unescape) and instance keys (decode_quoted) decode escapes the same way."""
    assert unescape(text) == value
    assert decode_quoted(text) == value


def test_quoted_object_keys_lose_quotes_and_escapes(tmp_path: Path) -> None:
    attrs = _attrs(tmp_path, '  o = { "" = 1, "x\\ty" = 2, "q\\u00e9" = 3 }\n')
    assert dict(attrs["o"]) == {"": 1, "x\ty": 2, "qé": 3}


def test_only_a_key_quoted_at_both_ends_is_unquoted() -> None:
    assert unquote_key('""') == ""
    assert unquote_key('"a\\tb"') == "a\tb"
    assert unquote_key('name"') == 'name"'
    assert unquote_key('"') == '"'


# -- heredocs --------------------------------------------------------------------------------


def test_empty_and_blank_heredocs_keep_exactly_their_lines(tmp_path: Path) -> None:
    """No line means the empty string; a blank line keeps its spaces; no escapes in heredocs."""
    attrs = _attrs(
        tmp_path,
        "  empty = <<EOT\nEOT\n"
        "  empty_trim = <<-EOT\nEOT\n"
        "  blank_trim = <<-EOT\n   \nEOT\n"
        '  path = <<EOT\nC:\\new \\"q\\"\nEOT\n',
    )
    assert attrs["empty"] == ""
    assert attrs["empty_trim"] == ""
    assert attrs["blank_trim"] == "   \n"
    assert attrs["path"] == 'C:\\new \\"q\\"\n'


# -- source text of meta-arguments ---------------------------------------------------------------


def test_source_text_gives_terraform_spelling_of_each_value_kind() -> None:
    assert source_text(None) == "null"
    assert source_text(False) == "false"
    assert source_text('"x"') == '"x"'
    assert source_text('""') == '""'
    assert source_text('"<<EOT\nline\nEOT"') == "<<EOT\nline\nEOT"
    assert source_text(['"a"', 1, "${var.x}"]) == '["a", 1, var.x]'
    assert source_text({"a": 1, "b": "${var.x}", "__is_block__": True}) == "{a = 1, b = var.x}"
    assert source_text(Decimal("1.5")) == "1.5"


def test_only_text_wrapped_in_dollar_braces_loses_the_wrapper() -> None:
    assert source_text("x}") == "x}"
    assert source_text("${x") == "${x"
    assert normalise("x}") == Expression("${x}}")
    assert normalise('x"') == Expression('${x"}')
    key = next(iter(normalise({"x}": 1})))
    assert key == "x}" and not isinstance(key, Expression)


def test_unquoted_text_gives_a_literal_content_and_anything_else_as_source() -> None:
    assert unquoted_text('"x"') == "x"
    assert unquoted_text('"a\\tb"') == "a\tb"
    assert unquoted_text('"${var.a}"') == '"${var.a}"'
    assert unquoted_text("${var.a}") == "var.a"
    assert unquoted_text(2) == "2"
    assert unquoted_text(Decimal("2.5")) == "2.5"


def test_a_value_python_hcl2_never_gives_is_refused_naming_it() -> None:
    with pytest.raises(TypeError) as caught:
        normalise(Decimal("1"))
    assert str(caught.value) == "unexpected python-hcl2 value Decimal('1')"


def test_blocks_with_two_labels_form_a_block_list() -> None:
    """A nested block such as ``x "a" "b" {}`` comes back as labels around a marked body."""
    assert is_block_list([{'"a"': {'"b"': {"__is_block__": True}}}])
    assert not is_block_list([{'"a"': {'"b"': {"k": 1}}}])


def test_an_expression_shows_its_type_in_repr() -> None:
    """Debug output must tell an expression from a literal string with the same text."""
    assert repr(Expression("${var.x}")) == "Expression('${var.x}')"
