"""Feature files in terraform-compliance's dialect, read with the Gherkin parser pytest-bdd uses.

Outlines are expanded into one scenario per Examples row and Background steps are
prepended, by Gherkin's own pickle compiler, so the dialect sees exactly what Cucumber would.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gherkin.errors import CompositeParserException, ParserError
from gherkin.parser import Parser
from gherkin.pickles.compiler import Compiler

from plangate.errors import InputError

_KEYWORDS = {"Context": "Given", "Action": "When", "Outcome": "Then"}


@dataclass(frozen=True, slots=True)
class Step:
    """A step as the dialect runs it: its Given/When/Then role and its text."""

    kind: str
    text: str
    line: int

    @property
    def display(self) -> str:
        return f"{self.kind} {self.text}"


@dataclass(frozen=True, slots=True)
class ScenarioSpec:
    """A scenario to run: outline rows already substituted, tags of feature and scenario merged."""

    feature: str
    name: str
    tags: tuple[str, ...]
    steps: tuple[Step, ...]


def feature_files(paths: Sequence[Path]) -> list[Path]:
    """Directories are searched recursively for `*.feature`, in sorted order; files are taken as given."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(path.rglob("*.feature")))
        elif path.is_file():
            found.append(path)
        else:
            raise InputError(f"{path}: no such feature file or directory")
    return found


def feature_tags(path: Path) -> tuple[str, ...]:
    """The tags on the Feature line, for collectors deciding whether a file is in this dialect."""
    document = _parse(path)
    feature = document.get("feature") or {}
    return tuple(tag["name"].lstrip("@") for tag in feature.get("tags", ()))


def read_feature(path: Path, label: str | None = None) -> list[ScenarioSpec]:
    """Every runnable scenario of one file, outline rows named ` -- @table.row`."""
    document = _parse(path)
    document["uri"] = label or str(path)
    rows = _outline_rows(document)
    specs = []
    for pickle in Compiler().compile(document):
        name = pickle["name"]
        row = rows.get(pickle["astNodeIds"][-1]) if len(pickle["astNodeIds"]) > 1 else None
        if row is not None:
            name = f"{name} -- @{row[0]}.{row[1]}"
        specs.append(
            ScenarioSpec(
                feature=label or str(path),
                name=name,
                tags=tuple(tag["name"].lstrip("@") for tag in pickle.get("tags", ())),
                steps=tuple(_steps(pickle, document)),
            )
        )
    return specs


def _parse(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot read the feature file ({error})") from None
    try:
        return dict(Parser().parse(text))
    except (CompositeParserException, ParserError) as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else "syntax error"
        raise InputError(f"{path}: not a valid feature file: {first}") from None


def _outline_rows(document: dict[str, Any]) -> dict[str, tuple[int, int]]:
    """Examples row id → (table number, row number), both from 1."""
    rows: dict[str, tuple[int, int]] = {}
    for scenario in _scenarios(document.get("feature") or {}):
        for table, examples in enumerate(scenario.get("examples", ()), start=1):
            for number, row in enumerate(examples.get("tableBody", ()), start=1):
                rows[row["id"]] = (table, number)
    return rows


def _scenarios(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for child in node.get("children", ()):
        if "scenario" in child:
            yield child["scenario"]
        elif "rule" in child:
            yield from _scenarios(child["rule"])


def _steps(pickle: dict[str, Any], document: dict[str, Any]) -> Iterator[Step]:
    lines = _step_lines(document)
    kind = "Given"
    for step in pickle["steps"]:
        kind = _KEYWORDS.get(step.get("type", ""), kind)
        yield Step(kind=kind, text=step["text"], line=lines.get(step["astNodeIds"][0], 0))


def _step_lines(document: dict[str, Any]) -> dict[str, int]:
    lines: dict[str, int] = {}

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            if "keyword" in node and "text" in node and "id" in node and "location" in node:
                lines[node["id"]] = node["location"]["line"]
            for item in node.values():
                visit(item)
        elif isinstance(node, list):
            for item in node:
                visit(item)

    visit(document.get("feature") or {})
    return lines
