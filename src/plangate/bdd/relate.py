"""Steps that relate a resource to others: membership in the values of another selection, and
the references its configuration makes.

Cross-resource checks are what keep a stack closed over itself: an alert notifies a channel
this stack manages, Cloud Run runs as a service account this stack manages, the budget
publishes to the topic created beside it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from plangate.bdd.compare import (
    Predicate,
    StepTextError,
    Verdict,
    all_of,
    equal,
    lookup,
    negate,
    read_path,
    show,
)
from plangate.bdd.select import Subject, selection
from plangate.plan import ABSENT, SENSITIVE, UNKNOWN, Expression, Marker, Plan, ResourceChange
from plangate.plan.configuration import ConfigResource, config_address
from plangate.plan.values import Path

_MEMBERSHIP_START = re.compile(
    r"(?P<negated>is not one of|are not among|is not among)?"
    r"(?(negated)|(?:is one of|are all among|are among|is among)) the \""
)
_MEMBERSHIP_REST = re.compile(
    r'(?P<path>(?:[^"\[]|\[\d+\]|\["[^"]*"\])+)" values? of '
    r"(?P<noun>(?:all )?(?:resources|data sources))(?P<clauses>.*)"
)
_SHOWN_VALUES = 5


class _HasMarker(Exception):
    """A value holds an unknown, sensitive or absent part, so it has no canonical key."""


def _canonical_key(value: Any) -> Any:
    """A hashable key under which equal values meet (1 equals 1.0; true is not 1; object keys
    unordered); None when some part of the value is a marker and must be compared instead."""
    try:
        return _key(value)
    except _HasMarker:
        return None


def _key(value: Any) -> Any:
    if isinstance(value, Marker):
        raise _HasMarker
    if isinstance(value, Mapping):
        return ("object", tuple(sorted((str(k), _key(item)) for k, item in value.items())))
    if isinstance(value, tuple):
        return ("list", tuple(_key(item) for item in value))
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, int | float):
        # not float(value): 2**53 + 1 would meet 2**53, which `equal` tells apart; 1 and 1.0
        # still meet, since equal numbers hash alike
        return ("number", value)
    return (type(value).__name__, value)


@dataclass(frozen=True, slots=True)
class ValuePool:
    """The values an attribute has across a selection, hashed by canonical key; the objects that
    hold an unknown or sensitive part are kept aside to be compared one by one."""

    keys: frozenset[Any]
    shown: tuple[Any, ...]
    marked: tuple[Any, ...]
    has_unknown: bool
    has_sensitive: bool

    @property
    def empty(self) -> bool:
        return not (self.shown or self.has_unknown or self.has_sensitive)

    def member(self, actual: Any) -> Verdict:
        """Whether a value is among the pool; a list must be non-empty with every element among it."""
        if actual is UNKNOWN:
            return Verdict.UNKNOWN
        if actual is SENSITIVE:
            return Verdict.HIDDEN
        if actual is None or isinstance(actual, Marker):
            return Verdict.FAIL  # null and absent are never a value of the pool
        if isinstance(actual, tuple):
            if not actual:
                return Verdict.FAIL
            return all_of(self.member(item) for item in actual)
        key = _canonical_key(actual)
        if key is not None and key in self.keys:
            return Verdict.PASS
        candidates = self.marked if key is not None else self.shown
        verdicts = {_compare(actual, item) for item in candidates}
        if Verdict.PASS in verdicts:
            return Verdict.PASS
        if Verdict.HIDDEN in verdicts:
            return Verdict.HIDDEN
        if self.has_unknown or Verdict.UNKNOWN in verdicts:
            return Verdict.UNKNOWN
        if self.has_sensitive:
            return Verdict.HIDDEN
        return Verdict.FAIL

    def outside(self, actual: Any) -> Verdict:
        """Whether a value is not among the pool; a list must be non-empty with no element among it."""
        if isinstance(actual, tuple):
            if not actual:
                return Verdict.FAIL
            return all_of(self.outside(item) for item in actual)
        if actual is None or actual is ABSENT:
            return Verdict.FAIL  # nothing to judge: the step asserts about a value
        return negate(self.member(actual))

    def describe(self) -> str:
        shown = ", ".join(show(value, limit=80) for value in self.shown[:_SHOWN_VALUES])
        more = len(self.shown) - _SHOWN_VALUES
        if more > 0:
            shown += f" and {more} more"
        extras = [
            note
            for flag, note in (
                (self.has_unknown, "some known after apply"),
                (self.has_sensitive, "some sensitive"),
            )
            if flag
        ]
        return f"{len(self.shown)} value(s): {shown or 'none'}" + (
            f"; {', '.join(extras)}" if extras else ""
        )


def value_pool(plan: Plan, noun: str, clauses: str, path: Path) -> ValuePool:
    """Every value `path` reaches on the selected resources that will exist after apply."""
    _, test = selection(noun, clauses)
    values: dict[Any, Any] = {}
    marked: list[Any] = []
    has_unknown = has_sensitive = False
    for change in plan.resource_changes:
        subject = Subject(change)
        if subject.gone or change.deposed or not test(change):
            continue
        for _, value in lookup(subject.values, path):
            for item in _flatten(value):
                if item is UNKNOWN:
                    has_unknown = True
                elif item is SENSITIVE:
                    has_sensitive = True
                elif item is None or isinstance(item, Marker):
                    continue
                elif (key := _canonical_key(item)) is not None:
                    values.setdefault(key, item)
                else:
                    marked.append(item)
    return ValuePool(
        keys=frozenset(values),
        shown=(*values.values(), *marked),
        marked=tuple(marked),
        has_unknown=has_unknown,
        has_sensitive=has_sensitive,
    )


def _flatten(value: Any) -> Iterator[Any]:
    if isinstance(value, tuple):
        for item in value:
            yield from _flatten(item)
    else:
        yield value


def _compare(actual: Any, item: Any) -> Verdict:
    """Equality seen from both sides, so a marker inside a pooled value is not a plain FAIL."""
    verdict = equal(actual, item)
    return equal(item, actual) if verdict is Verdict.FAIL else verdict


def membership_predicate(plan: Plan, text: str) -> Predicate | None:
    """`is one of the "email" values of resources of type "google_service_account"`, or None
    when the text is not a membership phrase."""
    text = " ".join(text.split())
    start = _MEMBERSHIP_START.match(text)
    if start is None:
        return None
    rest = _MEMBERSHIP_REST.fullmatch(text, start.end())
    if rest is None:
        phrase = start.group().removesuffix(' the "')
        raise StepTextError(
            f'cannot read {text!r}; write {phrase} the "ATTRIBUTE" values of resources of '
            'type "T" (any selection clauses may follow)'
        )
    attribute, noun, clauses = rest.group("path", "noun", "clauses")
    pool = value_pool(plan, noun, clauses, read_path(attribute))
    source = f'the "{attribute}" values of {noun}{clauses}'
    if pool.empty:
        return Predicate(
            text,
            f"{'none' if start.group('negated') else 'one'} of {source}, but that selection has "
            "no values after apply (check the type and attribute names)",
            lambda actual: Verdict.FAIL,
        )
    if start.group("negated"):
        return Predicate(text, f"none of {source} ({pool.describe()})", pool.outside)
    return Predicate(text, f"one of {source} ({pool.describe()})", pool.member)


@dataclass(frozen=True, slots=True)
class References:
    """What a resource's configuration refers to, or why that cannot be read."""

    addresses: tuple[str, ...]
    problem: str | None = None


def references_of(plan: Plan, change: ResourceChange, path: Path | None) -> References:
    """The references of the resource's configuration block: under one attribute, or anywhere
    in it (count, for_each and depends_on included)."""
    block = plan.configuration.resources.get(
        config_address(change.module_address, change.mode, change.type, change.name)
    )
    if block is None:
        return References(
            (), "no configuration block in the plan (removed from the configuration?)"
        )
    if path is None:
        return References(tuple(dict.fromkeys(_whole_block(block))))
    reached = list(_expressions_at(block.expressions, path))
    if not reached:
        return References((), "the attribute is not set in its configuration block")
    return References(tuple(dict.fromkeys(_references(reached))))


def _whole_block(block: ConfigResource) -> Iterator[str]:
    yield from _references(block.expressions)
    for meta in (block.count_expression, block.for_each_expression):
        if meta is not None:
            yield from meta.references
    yield from block.depends_on


def _expressions_at(expressions: Any, path: Path) -> Iterator[Any]:
    """What a path reaches in an expression tree; an expression met on the way (a map or list
    written as one expression) stands for everything below it."""
    if isinstance(expressions, Expression) or not path:
        yield expressions
        return
    step, rest = path[0], path[1:]
    if isinstance(expressions, Mapping):
        if str(step) in expressions:
            yield from _expressions_at(expressions[str(step)], rest)
    elif isinstance(expressions, tuple):
        if isinstance(step, int):
            if step < len(expressions):
                yield from _expressions_at(expressions[step], rest)
        else:
            for item in expressions:
                yield from _expressions_at(item, path)


def _references(expressions: Any) -> Iterator[str]:
    if isinstance(expressions, Expression):
        yield from expressions.references
    elif isinstance(expressions, Mapping):
        for item in expressions.values():
            yield from _references(item)
    elif isinstance(expressions, list | tuple):
        for item in expressions:
            yield from _references(item)


def refers_to(references: tuple[str, ...], target: str) -> bool:
    """`google_pubsub_topic.alerts` is referred to by `google_pubsub_topic.alerts.id` too."""
    return any(
        reference == target or reference.startswith((f"{target}.", f"{target}["))
        for reference in references
    )
