"""docs/reliability.md claims nothing that no test checks.

Each row of its failure tables names a test (`tests/file.py::test_name`). The test must exist,
and its source must assert the row's exit code (an `== CODE` comparison) and contain every
fixed part of the row's message (the text between `<...>` placeholders). A test's source is
its function with its decorators, and the module-level helpers and tables it names directly.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "reliability.md"
HEADER = ["failure", "exit", "message", "test"]
PLACEHOLDER = re.compile(r"<[a-z][a-z ]*>")
CODE_SPAN = re.compile(r"^(`+)(.*?)\1$")
NO_MESSAGE = "(none)"


@dataclass(frozen=True)
class Row:
    failure: str
    exit_code: int
    message: str
    test: str


def rows(text: str) -> list[Row]:
    """Every row of every table whose header is | failure | exit | message | test |."""
    found: list[Row] = []
    in_table = False
    for line in text.splitlines():
        if not line.startswith("|"):
            in_table = False
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if cells == HEADER:
            in_table = True
        elif in_table and not set("".join(cells)) <= set("-: "):
            failure, exit_code, message, test = cells
            found.append(Row(failure, int(exit_code), _unquoted(message), _unquoted(test)))
    return found


def _unquoted(cell: str) -> str:
    """The text of a Markdown code span (`x` or `` x ``), or the cell as it is."""
    match = CODE_SPAN.match(cell)
    if match is None:
        return cell
    inner = match.group(2)
    return inner[1:-1] if inner.startswith(" ") and inner.endswith(" ") else inner


def fixed_parts(message: str) -> list[str]:
    """The parts of a message that do not depend on the input, without edge punctuation."""
    if message == NO_MESSAGE:
        return []
    parts = (part.strip(" ;:,.()'\"") for part in PLACEHOLDER.split(message))
    return [part for part in parts if part]


@cache
def _module(path: Path) -> ast.Module:
    return ast.parse(path.read_text("utf-8"))


def source_of(reference: str) -> list[ast.AST]:
    """The test function (decorators included) and the module-level definitions it names."""
    file, _, name = reference.partition("::")
    path = REPO / file
    assert path.is_file(), f"{reference}: {file} does not exist"
    module = _module(path)
    definitions: dict[str, ast.AST] = {}
    for node in module.body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            definitions[node.name] = node
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            definitions.update((t.id, node) for t in targets if isinstance(t, ast.Name))
    function = definitions.get(name)
    assert isinstance(function, ast.FunctionDef), f"{reference}: no test function {name}"
    named = {n.id for n in ast.walk(function) if isinstance(n, ast.Name)}
    return [function, *(definitions[n] for n in sorted(named) if n in definitions)]


def strings(nodes: list[ast.AST]) -> list[str]:
    """Every string constant, implicit concatenations joined, f-string parts included."""
    return [
        node.value
        for tree in nodes
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]


def compares_to(nodes: list[ast.AST], code: int) -> bool:
    """Whether some `==` comparison has the integer `code` on one side."""
    for tree in nodes:
        for node in ast.walk(tree):
            if isinstance(node, ast.Compare) and any(isinstance(op, ast.Eq) for op in node.ops):
                sides = [node.left, *node.comparators]
                if any(_is_int(side, code) for side in sides):
                    return True
    return False


def _is_int(node: ast.AST, code: int) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) is int and node.value == code


DOCUMENTED = rows(DOC.read_text("utf-8"))


def test_the_document_has_the_failure_tables():
    assert len(DOCUMENTED) >= 40
    assert {row.exit_code for row in DOCUMENTED} >= {1, 2, 3}
    assert all(re.fullmatch(r"tests/[\w/]+\.py::test_\w+", row.test) for row in DOCUMENTED)


@pytest.mark.parametrize("row", DOCUMENTED, ids=[row.failure for row in DOCUMENTED])
def test_each_row_is_backed_by_its_test(row: Row):
    source = source_of(row.test)
    assert compares_to(source, row.exit_code), f"{row.test} never asserts == {row.exit_code}"
    texts = strings(source)
    for part in fixed_parts(row.message):
        assert any(part in text for text in texts), f"{row.test} does not check {part!r}"


# --- the checker itself ------------------------------------------------------------------------

SAMPLE = """
| exit | meaning |
| --- | --- |
| 9 | not a failure row |

| failure | exit | message | test |
| --- | --- | --- | --- |
| a | 2 | `` <plan>: not `x`; expected y `` | `tests/test_reliability_doc.py::test_{name}` |
"""


def test_a_row_naming_a_missing_test_fails():
    (row,) = rows(SAMPLE.format(name="nothing_of_that_name"))
    with pytest.raises(AssertionError, match="no test function test_nothing_of_that_name"):
        source_of(row.test)
    (row,) = rows(SAMPLE.format(name="x").replace("test_reliability_doc.py", "test_absent.py"))
    with pytest.raises(AssertionError, match="does not exist"):
        source_of(row.test)


def test_a_row_is_parsed_into_its_fixed_parts():
    (row,) = rows(SAMPLE.format(name="x"))
    assert (row.exit_code, row.message) == (2, "<plan>: not `x`; expected y")
    assert fixed_parts(row.message) == ["not `x`; expected y"]
    assert fixed_parts("<a> cannot write the report (<reason>)") == ["cannot write the report"]
    assert fixed_parts(NO_MESSAGE) == []


def _example_that_checks_little():
    assert 1 + 1 == 3 - 1
    assert "cannot write" in "plangate: error: x: cannot write the report (full)"


def test_a_row_whose_test_does_not_check_it_fails():
    source = source_of("tests/test_reliability_doc.py::_example_that_checks_little")
    assert not compares_to(source, 2)  # `3 - 1` is no exit code
    assert compares_to(source_of("tests/test_reliability.py::test_an_empty_scope_exits_2"), 2)
    texts = strings(source)
    assert any("cannot write" in text for text in texts)
    assert not any("cannot read the report" in text for text in texts)
