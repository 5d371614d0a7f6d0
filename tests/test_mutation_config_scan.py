"""What the .tf lexer behind the line numbers must get right, found unpinned by mutation testing.

The scanner gives every block and attribute its line in findings, so a slip in it moves or drops
a location without any error. These tests pin the exact headers and member lines it reports for
the spots where a lexer slips: comment ends, escaped and nested templates, multi-line
interpolations, operators next to quoted braces, bracketed expressions, single-letter names, and
text that ends in the middle of a comment, string, interpolation or heredoc.
"""

from __future__ import annotations

from itertools import islice

from plangate.config._scan import _tokenize, scan_blocks


def _outline(text: str) -> list[tuple[str, tuple[str, ...], int, dict[str, int]]]:
    return [(h.type, h.labels, h.line, dict(h.members)) for h in scan_blocks(text)]


def _members(text: str) -> dict[str, int]:
    (header,) = scan_blocks(text)
    return dict(header.members)


def test_a_block_comment_does_not_close_on_its_own_opening_star() -> None:
    text = '/*/ data "fake" "x" {\n} */\nlocals {\n}\n'
    assert _outline(text) == [("locals", (), 3, {})]


def test_each_block_comment_ends_at_its_own_closing_marker() -> None:
    """``/**/`` is a whole comment, and a later comment does not swallow the code between."""
    text = '/**/locals {\n}\n/* a */\nvariable "v" {\n}\n/* b */\n'
    texts = [t.text for t in islice(_tokenize(text), 20)]
    assert texts == [
        "locals",
        "{",
        "\n",
        "}",
        "\n",
        "\n",
        "variable",
        "v",
        "{",
        "\n",
        "}",
        "\n",
        "\n",
    ]


def test_code_right_after_a_block_comment_keeps_its_first_character() -> None:
    assert _outline("/* note */locals {\n  a = 1\n}\n") == [("locals", (), 1, {"a": 2})]


def test_an_unterminated_block_comment_hides_the_rest_of_the_file() -> None:
    assert _outline('/*\nlocals {\n}\nresource "a" "b" {\n}\n') == []


def test_a_comment_on_the_last_line_without_a_newline_ends_the_tokens() -> None:
    """Guards against a restart from the top when a trailing comment has no newline."""
    texts = [t.text for t in islice(_tokenize("locals {\n}\n# end }"), 20)]
    assert texts == ["locals", "{", "\n", "}", "\n"]


def test_text_ending_mid_string_interpolation_or_heredoc_is_still_scanned() -> None:
    """The lexer is forgiving: a file cut short keeps the blocks before the cut."""
    for tail in ('x = "open', 'x = "${open', "x = <<EOT\nno end\n", "stray"):
        assert _outline("locals {\n  a = 1\n}\n" + tail) == [("locals", (), 1, {"a": 2})], tail


def test_stray_closing_braces_outside_any_block_are_ignored() -> None:
    text = "}\nlocals {\n  a = 1\n}\n}\nlocals {\n  b = 2\n}\n"
    assert _outline(text) == [("locals", (), 2, {"a": 3}), ("locals", (), 6, {"b": 7})]


def test_an_empty_label_is_an_empty_string() -> None:
    assert _outline('variable "" {\n}\n') == [("variable", ("",), 1, {})]


def test_a_multi_line_interpolation_counts_its_newlines() -> None:
    text = 'resource "a" "b" {\n  x = "${join(",",\n    var.list)}"\n  y = 1\n}\ndata "c" "d" {}\n'
    assert _outline(text) == [
        ("resource", ("a", "b"), 1, {"x": 2, "y": 4}),
        ("data", ("c", "d"), 6, {}),
    ]


def test_names_starting_with_x_and_single_letter_names_before_equals_are_members() -> None:
    text = 'resource "a" "b" {\n  Xray = 1\n  X=2\n  x=3\n}\n'
    assert _members(text) == {"Xray": 2, "X": 3, "x": 4}


def test_operators_next_to_quoted_braces_keep_the_block_balanced() -> None:
    """Each operator takes exactly its own characters, never the quote that follows it."""
    text = (
        'resource "a" "b" {\n'
        '  t ="{"\n'
        '  s = a =="{"\n'
        '  r = a !="}"\n'
        '  p =!"{"\n'
        '  q = !"=}"\n'
        '  o = a <"}"\n'
        "  last = 1\n"
        "}\n"
    )
    assert _members(text) == {"t": 2, "s": 3, "r": 4, "p": 5, "q": 6, "o": 7, "last": 8}


def test_a_stray_equals_at_the_top_does_not_change_how_operators_are_read() -> None:
    text = '=\nresource "a" "b" {\n  o = a <"}"\n  last = 1\n}\n'
    assert _outline(text) == [("resource", ("a", "b"), 2, {"o": 3, "last": 4})]


def test_a_line_comparing_names_is_not_an_attribute() -> None:
    text = 'resource "a" "b" {\n  same == other\n  arrow => other\n  keep = 1\n}\n'
    assert _members(text) == {"keep": 4}


def test_a_lone_word_or_a_labelled_equals_is_not_a_member() -> None:
    text = 'resource "a" "b" {\n  stray\n  odd "label" = 1\n  keep = 1\n}\n'
    assert _members(text) == {"keep": 4}


def test_assignments_inside_brackets_are_not_members() -> None:
    """Anything between ``[``/``(`` and its match belongs to an expression, however nested."""
    text = (
        'resource "a" "b" {\n'
        "  list = [\n"
        "    inside = 1\n"
        "  ]\n"
        "  nested = [[1],\n"
        "    deeper = 2\n"
        "  ]\n"
        "  empty = [[]]\n"
        "  after = 3\n"
        "}\n"
    )
    assert _members(text) == {"list": 2, "nested": 5, "empty": 8, "after": 9}


def test_escaped_template_openers_do_not_start_an_interpolation() -> None:
    text = (
        'resource "a" "b" {\n'
        '  m = { a = "$${" }\n'
        '  n = { b = "%%{" }\n'
        '  label "$${" {\n'
        "  }\n"
        "  after = 1\n"
        "}\n"
    )
    assert _members(text) == {"m": 2, "n": 3, "label": 4, "after": 6}


def test_directives_and_interpolations_skip_the_strings_and_braces_inside_them() -> None:
    text = (
        'resource "a" "b" {\n'
        '  d = "%{ if var.a == "}" }yes%{ endif }"\n'
        '  e = "${"}"}"\n'
        '  g = "${replace(var.x, "\\"", "\'")}"\n'
        '  h = "${lookup({}, "}", "d")}"\n'
        '  k = "${lookup({ a = {} }, "}", "d")}"\n'
        "  after = 1\n"
        "}\n"
    )
    assert _members(text) == {"d": 2, "e": 3, "g": 4, "h": 5, "k": 6, "after": 7}


def test_an_unterminated_string_stops_at_the_end_of_its_line() -> None:
    text = 'locals {\n  a = "unterminated\n  b = 1\n}\n'
    assert _outline(text) == [("locals", (), 1, {"a": 2, "b": 3})]


def test_a_brace_with_no_block_header_adds_nothing_to_the_block_before_it() -> None:
    text = "locals {\n  a = 1\n}\n{\n  b = 2\n  c {\n  }\n}\n"
    assert _outline(text) == [("locals", (), 1, {"a": 2})]
