"""Value assertions for the step library: literals from step text, paths, predicates, verdicts.

A comparison has four outcomes, not two. PASS and FAIL are decided on known values; UNKNOWN
means the plan holds "(known after apply)" where the answer depends on it, and HIDDEN means
the value is sensitive, so plangate never held it and cannot compare it. Steps turn UNKNOWN
into a failure unless the feature explicitly accepts it (`... or known after apply`).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from plangate.plan.values import (
    ABSENT,
    SENSITIVE,
    UNKNOWN,
    Marker,
    Path,
    format_path,
    parse_path,
    render,
)


class Verdict(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    UNKNOWN = "unknown"
    HIDDEN = "hidden"


def all_of(verdicts: Iterable[Verdict]) -> Verdict:
    """Every part must pass: one failure decides; otherwise unknown, then hidden, taint a pass."""
    seen = set(verdicts)
    for verdict in (Verdict.FAIL, Verdict.UNKNOWN, Verdict.HIDDEN):
        if verdict in seen:
            return verdict
    return Verdict.PASS


def any_of(verdicts: Iterable[Verdict]) -> Verdict:
    """One part must pass: one pass decides; otherwise an undecided part keeps it undecided."""
    seen = set(verdicts)
    for verdict in (Verdict.PASS, Verdict.UNKNOWN, Verdict.HIDDEN):
        if verdict in seen:
            return verdict
    return Verdict.FAIL


def negate(verdict: Verdict) -> Verdict:
    if verdict is Verdict.PASS:
        return Verdict.FAIL
    if verdict is Verdict.FAIL:
        return Verdict.PASS
    return verdict


# ---------------------------------------------------------------------------------- literals

_DECODER = json.JSONDecoder()
_BARE = re.compile(r"[A-Za-z0-9_./:@+-]+")
_TOKEN = re.compile(r"[^,\s]+")
_SEPARATOR = re.compile(r"\s*(?:,\s*or\b|,|\bor\b)\s*")
_WORDS = {"true": True, "false": False, "null": None, "none": None}


class StepTextError(ValueError):
    """The step text cannot be read: a bad literal, path, regex or phrase."""


def freeze(value: Any) -> Any:
    """JSON values in the shape of plan values: lists become tuples, objects read-only dicts."""
    if isinstance(value, dict):
        return {key: freeze(item) for key, item in value.items()}
    if isinstance(value, list):
        return tuple(freeze(item) for item in value)
    return value


def parse_literal(text: str) -> Any:
    """A value written in a step: JSON (`"EU"`, `true`, `0.85`, `[1, 2]`, `{"a": 1}`) or one bare word."""
    text = text.strip()
    if not text:
        raise StepTextError("a value is missing")
    try:
        value, end = _DECODER.raw_decode(text)
    except json.JSONDecodeError:
        pass
    else:
        if not text[end:].strip():
            return freeze(value)
    lowered = text.lower()
    if lowered in _WORDS:
        return _WORDS[lowered]
    if _BARE.fullmatch(text):
        return text
    raise StepTextError(
        f"cannot read the value {text!r}: write strings in double quotes "
        '("EU"), and numbers, true, false, null, [lists] or {objects} as JSON'
    )


def parse_literals(text: str) -> tuple[Any, ...]:
    """Several values: a JSON array, or values separated by commas and/or `or`."""
    text = text.strip()
    if text.startswith("["):
        value = parse_literal(text)
        if not isinstance(value, tuple):
            raise StepTextError(f"cannot read the list {text!r}")
        return value
    values: list[Any] = []
    position = 0
    while True:
        position = _skip_space(text, position)
        if position >= len(text):
            raise StepTextError(f"a value is missing in {text!r}")
        if text[position] in '"{[':
            try:
                value, position = _DECODER.raw_decode(text, position)
            except json.JSONDecodeError:
                raise StepTextError(f"cannot read the values {text!r}") from None
            values.append(freeze(value))
        else:
            match = _TOKEN.match(text, position)
            if match is None:
                raise StepTextError(f"cannot read the values {text!r}")
            values.append(parse_literal(match.group()))
            position = match.end()
        separator = _SEPARATOR.match(text, position)
        if separator is None or separator.end() == position:
            if text[position:].strip():
                raise StepTextError(f"cannot read the values {text!r} after {text[:position]!r}")
            return tuple(values)
        position = separator.end()


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position].isspace():
        position += 1
    return position


def parse_quoted(text: str) -> str:
    """A quoted string taken literally (regexes keep their backslashes): `"^a\\d+$"`."""
    text = text.strip()
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        raise StepTextError(f"expected a double-quoted string, got {text!r}")
    return text[1:-1]


def parse_number(text: str) -> float | int:
    value = parse_literal(text)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise StepTextError(f"expected a number, got {text.strip()!r}")
    return value


def parse_fraction(text: str) -> float:
    """A threshold cell: `25%` is 0.25; a bare number is a fraction as Terraform stores it."""
    cell = text.strip()
    try:
        if cell.endswith("%"):
            return float(cell[:-1].strip()) / 100
        return float(cell)
    except ValueError:
        raise StepTextError(
            f"expected a percentage (25%) or a fraction (0.25), got {cell!r}"
        ) from None


# ---------------------------------------------------------------------------------- paths


def read_path(text: str) -> Path:
    try:
        path = parse_path(text)
    except ValueError:
        raise StepTextError(
            f"{text!r} is not an attribute path (write versioning[0].enabled or labels.env)"
        ) from None
    if not path:
        raise StepTextError("the attribute path is empty")
    return path


def lookup(values: Any, path: Path) -> Iterator[tuple[Path, Any]]:
    """Every value a path reaches, with its concrete path.

    A name applied to a list applies to each element, so `lifecycle_rule.action.type` reaches
    every rule's action type (`lifecycle_rule[0].action[0].type`, ...); an index picks one.
    A missing key answers ABSENT; an unknown or sensitive value answers for everything below it.
    """
    yield from _walk(values, path, ())


def _walk(value: Any, rest: Path, done: Path) -> Iterator[tuple[Path, Any]]:
    if not rest:
        yield done, value
        return
    if isinstance(value, Marker):
        yield done + rest, value
        return
    step = rest[0]
    if isinstance(value, Mapping):
        if str(step) in value:
            yield from _walk(value[str(step)], rest[1:], (*done, str(step)))
        else:
            yield done + rest, ABSENT
    elif isinstance(value, tuple):
        if isinstance(step, int):
            if step < len(value):
                yield from _walk(value[step], rest[1:], (*done, step))
            else:
                yield done + rest, ABSENT
        elif not value:
            yield done + rest, ABSENT
        else:
            for index, item in enumerate(value):
                yield from _walk(item, rest, (*done, index))
    else:
        yield done + rest, ABSENT


def show_path(path: Path) -> str:
    return format_path(path)


def show(value: Any, limit: int = 160) -> str:
    """A value for a message, keys sorted so messages are stable; long values are cut.

    Sensitive values are markers in the model, so no plaintext can reach a message.
    """
    text = render(_sorted(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _sorted(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {key: _sorted(value[key]) for key in sorted(value)}
    if isinstance(value, tuple):
        return tuple(_sorted(item) for item in value)
    return value


# ---------------------------------------------------------------------------------- predicates


def equal(actual: Any, expected: Any) -> Verdict:
    """Deep equality with the four outcomes; booleans are not numbers, 1 equals 1.0."""
    if actual is UNKNOWN:
        return Verdict.UNKNOWN
    if actual is SENSITIVE:
        return Verdict.HIDDEN
    if isinstance(actual, Marker):
        return Verdict.FAIL
    if isinstance(expected, Mapping):
        if not isinstance(actual, Mapping) or set(actual) != set(expected):
            return Verdict.FAIL
        return all_of(equal(actual[key], expected[key]) for key in expected)
    if isinstance(expected, tuple):
        if not isinstance(actual, tuple) or len(actual) != len(expected):
            return Verdict.FAIL
        return all_of(equal(a, e) for a, e in zip(actual, expected, strict=True))
    if isinstance(expected, bool) or isinstance(actual, bool):
        return _verdict(type(actual) is type(expected) and actual == expected)
    if isinstance(expected, int | float) and isinstance(actual, int | float):
        return _verdict(actual == expected)
    if expected is None:
        return _verdict(actual is None)
    return _verdict(type(actual) is type(expected) and actual == expected)


def _verdict(ok: bool) -> Verdict:
    return Verdict.PASS if ok else Verdict.FAIL


def _undecided(actual: Any) -> Verdict | None:
    if actual is UNKNOWN:
        return Verdict.UNKNOWN
    if actual is SENSITIVE:
        return Verdict.HIDDEN
    return None


def is_set(actual: Any) -> Verdict:
    """Present: anything but absent, null, [] or {}; a sensitive value is present."""
    if actual is UNKNOWN:
        return Verdict.UNKNOWN
    if actual is SENSITIVE:
        return Verdict.PASS
    if actual is ABSENT or actual is None:
        return Verdict.FAIL
    if isinstance(actual, tuple | Mapping) and not actual:
        return Verdict.FAIL
    return Verdict.PASS


def contains(actual: Any, expected: Any) -> Verdict:
    """A list holds a matching element, a string a substring, an object a key.

    An object or list in the expected value matches on what it names: `{"action": [{"type":
    "Delete"}]}` matches a lifecycle rule whose actions include one of type "Delete", whatever
    else the rule holds.
    """
    found = _undecided(actual)
    if found is not None:
        return found
    if isinstance(actual, tuple):
        return any_of(_part_of(item, expected) for item in actual)
    if isinstance(actual, str):
        return _verdict(isinstance(expected, str) and expected in actual)
    if isinstance(actual, Mapping):
        if isinstance(expected, Mapping):
            return _part_of(actual, expected)
        return _verdict(isinstance(expected, str) and expected in actual)
    return Verdict.FAIL


def _part_of(actual: Any, expected: Any) -> Verdict:
    """`expected` is found in `actual`: objects by the keys they name, lists element by element."""
    if isinstance(expected, Mapping):
        found = _undecided(actual)
        if found is not None:
            return found
        if not isinstance(actual, Mapping) or not set(expected) <= set(actual):
            return Verdict.FAIL
        return all_of(_part_of(actual[key], value) for key, value in expected.items())
    if isinstance(expected, tuple):
        found = _undecided(actual)
        if found is not None:
            return found
        if not isinstance(actual, tuple):
            return Verdict.FAIL
        return all_of(any_of(_part_of(item, wanted) for item in actual) for wanted in expected)
    return equal(actual, expected)


def compare_number(actual: Any, op: str, limit: float) -> Verdict:
    found = _undecided(actual)
    if found is not None:
        return found
    if isinstance(actual, bool) or not isinstance(actual, int | float) or math.isnan(actual):
        return Verdict.FAIL
    return _verdict(_OPERATORS[op](actual, limit))


_OPERATORS: dict[str, Callable[[float, float], bool]] = {
    ">": lambda a, b: a > b,
    "<": lambda a, b: a < b,
    ">=": lambda a, b: a >= b,
    "<=": lambda a, b: a <= b,
}


def matches(actual: Any, pattern: re.Pattern[str]) -> Verdict:
    found = _undecided(actual)
    if found is not None:
        return found
    return _verdict(isinstance(actual, str) and pattern.fullmatch(actual) is not None)


@dataclass(frozen=True, slots=True)
class Predicate:
    """One readable test on a value: `is "EU"`, `is greater than 3`, `matches "^a"`, ...

    `expected` is the text shown as "expected ..." in failures. A predicate that needs the
    value before the change (`changes`) sets `on_change` and is judged by the step with the
    resource change instead of `test`.
    """

    text: str
    expected: str
    test: Callable[[Any], Verdict]
    on_change: bool = False


_NUMBER_OPS = (
    ("is greater than or equal to ", ">=", "at least"),
    ("is less than or equal to ", "<=", "at most"),
    ("is greater than ", ">", "greater than"),
    ("is less than ", "<", "less than"),
    ("is more than ", ">", "greater than"),
    ("is at least ", ">=", "at least"),
    ("is at most ", "<=", "at most"),
)


def parse_predicate(text: str) -> Predicate:
    """Read the predicate part of `their "PATH" <predicate>`; the most specific phrase wins."""
    text = " ".join(text.split())
    fixed = {
        "is present": Predicate(text, "a value (not absent, null or empty)", is_set),
        "is set": Predicate(text, "a value (not absent, null or empty)", is_set),
        "is absent": Predicate(text, "absent, null or empty", lambda a: negate(is_set(a))),
        "is not set": Predicate(text, "absent, null or empty", lambda a: negate(is_set(a))),
        "changes": Predicate(text, "a change", lambda a: Verdict.FAIL, on_change=True),
        "does not change": Predicate(text, "no change", lambda a: Verdict.FAIL, on_change=True),
    }
    if text in fixed:
        return fixed[text]
    for prefix, op, wording in _NUMBER_OPS:
        if text.startswith(prefix):
            limit = parse_number(text[len(prefix) :])
            return Predicate(
                text,
                f"a number {wording} {render(limit)}",
                lambda a, op=op, limit=limit: compare_number(a, op, limit),
            )
    for prefix, negated in (("is not one of ", True), ("is one of ", False)):
        if text.startswith(prefix):
            allowed = parse_literals(text[len(prefix) :])
            shown = ", ".join(render(item) for item in allowed)

            def one_of(a: Any, allowed: tuple[Any, ...] = allowed) -> Verdict:
                return any_of(equal(a, item) for item in allowed)

            if negated:
                return Predicate(text, f"none of {shown}", lambda a, f=one_of: negate(f(a)))
            return Predicate(text, f"one of {shown}", one_of)
    for prefix, negated in (("does not match ", True), ("matches ", False)):
        if text.startswith(prefix):
            source = parse_quoted(text[len(prefix) :])
            try:
                pattern = re.compile(source)
            except re.error as error:
                raise StepTextError(f"invalid regular expression {source!r}: {error}") from None
            if negated:
                return Predicate(
                    text,
                    f'a value not matching "{source}"',
                    lambda a, p=pattern: negate(matches(a, p)),
                )
            return Predicate(
                text, f'a string matching "{source}"', lambda a, p=pattern: matches(a, p)
            )
    for prefix, negated in (("does not contain ", True), ("contains ", False)):
        if text.startswith(prefix):
            item = parse_literal(text[len(prefix) :])
            if negated:
                return Predicate(
                    text, f"not containing {render(item)}", lambda a, i=item: negate(contains(a, i))
                )
            return Predicate(text, f"containing {render(item)}", lambda a, i=item: contains(a, i))
    if text.startswith("is not "):
        value = parse_literal(text[len("is not ") :])
        return Predicate(text, f"not {render(value)}", lambda a, v=value: negate(equal(a, v)))
    if text.startswith("is "):
        value = parse_literal(text[len("is ") :])
        return Predicate(text, render(value), lambda a, v=value: equal(a, v))
    raise StepTextError(
        f"cannot read {text!r}; write one of: is VALUE, is not VALUE, is one of A, B, "
        "is not one of A, B, is greater than N, is less than N, is at least N, is at most N, "
        'matches "REGEX", does not match "REGEX", contains VALUE, does not contain VALUE, '
        "is present, is absent, changes, does not change, "
        'is one of the "ATTRIBUTE" values of resources of type "T", '
        'are among the "ATTRIBUTE" values of ...'
    )


def path_changes(path: Path, changed: Iterable[Path]) -> bool:
    """Whether an attribute at `path` is among (or inside, or around) the changed leaf paths."""
    for other in changed:
        common = min(len(path), len(other))
        if tuple(path[:common]) == tuple(other[:common]):
            return True
    return False
