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
    Verdict,
    all_of,
    equal,
    lookup,
    negate,
    read_path,
    show,
)
from plangate.bdd.select import Subject, selection
from plangate.plan import SENSITIVE, UNKNOWN, Expression, Marker, Plan, ResourceChange, render
from plangate.plan.model import config_address

_MEMBERSHIP = re.compile(
    r"""(?P<negated>is\s+not\s+one\s+of|are\s+not\s+among|is\s+not\s+among)?
        (?(negated)|(?:is\s+one\s+of|are\s+(?:all\s+)?among|is\s+among))
        \s+the\s+"(?P<path>[^"]+)"\s+values?\s+of\s+
        (?P<noun>(?:all\s+)?(?:resources|data\s+sources))(?P<clauses>.*)""",
    re.VERBOSE,
)
_SHOWN_VALUES = 5


@dataclass(frozen=True, slots=True)
class ValuePool:
    """The values an attribute has across a selection: known ones, and whether any is hidden."""

    known: tuple[Any, ...]
    has_unknown: bool
    has_sensitive: bool
    strings: frozenset[str] = frozenset()

    def member(self, actual: Any) -> Verdict:
        """Whether one value is among the pool; a list must have every element among it."""
        if actual is UNKNOWN:
            return Verdict.UNKNOWN
        if actual is SENSITIVE:
            return Verdict.HIDDEN
        if isinstance(actual, tuple):
            return all_of(self.member(item) for item in actual)
        if isinstance(actual, str) and actual in self.strings:
            return Verdict.PASS
        verdicts = {_compare(actual, item) for item in self.known}
        if Verdict.PASS in verdicts:
            return Verdict.PASS
        if self.has_unknown or Verdict.UNKNOWN in verdicts:
            return Verdict.UNKNOWN
        if self.has_sensitive or Verdict.HIDDEN in verdicts:
            return Verdict.HIDDEN
        return Verdict.FAIL

    def outside(self, actual: Any) -> Verdict:
        """Whether a value is not among the pool; a list must have no element among it."""
        if isinstance(actual, tuple):
            return all_of(self.outside(item) for item in actual)
        return negate(self.member(actual))

    def describe(self) -> str:
        shown = ", ".join(show(value, limit=80) for value in self.known[:_SHOWN_VALUES])
        more = len(self.known) - _SHOWN_VALUES
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
        return f"{len(self.known)} value(s): {shown or 'none'}" + (
            f"; {', '.join(extras)}" if extras else ""
        )


def value_pool(plan: Plan, noun: str, clauses: str, path_text: str) -> ValuePool:
    """Every value `path_text` reaches on the resources that will exist after apply."""
    _, test = selection(" ".join(noun.split()), clauses)
    path = read_path(path_text)
    known: dict[str, Any] = {}
    has_unknown = has_sensitive = False
    for change in plan.resource_changes:
        subject = Subject(change)
        if subject.gone or not test(change):
            continue
        for _, value in lookup(subject.values, path):
            for item in _flatten(value):
                if item is UNKNOWN:
                    has_unknown = True
                elif item is SENSITIVE:
                    has_sensitive = True
                elif not isinstance(item, Marker) and item is not None:
                    known.setdefault(render(item), item)
    values = tuple(known.values())
    return ValuePool(
        values,
        has_unknown,
        has_sensitive,
        frozenset(value for value in values if isinstance(value, str)),
    )


def _compare(actual: Any, item: Any) -> Verdict:
    """Equality seen from both sides, so a marker inside a pooled value is not a plain FAIL."""
    verdict = equal(actual, item)
    return equal(item, actual) if verdict is Verdict.FAIL else verdict


def _flatten(value: Any) -> Iterator[Any]:
    if isinstance(value, tuple):
        for item in value:
            yield from _flatten(item)
    else:
        yield value


def membership_predicate(plan: Plan, text: str) -> Predicate | None:
    """`is one of the "email" values of resources of type "google_service_account"`, or None
    when the text is not a membership phrase."""
    text = " ".join(text.split())
    match = _MEMBERSHIP.fullmatch(text)
    if match is None:
        return None
    pool = value_pool(plan, match.group("noun"), match.group("clauses"), match.group("path"))
    source = f'the "{match.group("path")}" values of {match.group("noun")}{match.group("clauses")}'
    if match.group("negated"):
        return Predicate(text, f"none of {source} ({pool.describe()})", pool.outside)
    return Predicate(text, f"one of {source} ({pool.describe()})", pool.member)


def references_of(
    plan: Plan, change: ResourceChange, path_text: str | None
) -> tuple[str, ...] | None:
    """The references the resource's configuration block makes (under one attribute, if given);
    None when the plan has no block for it (a resource removed from the configuration)."""
    block = plan.configuration.resources.get(
        config_address(change.module_address, change.mode, change.type, change.name)
    )
    if block is None:
        return None
    expressions: Any = block.expressions
    if path_text is not None:
        expressions = tuple(value for _, value in lookup(expressions, read_path(path_text)))
    return tuple(dict.fromkeys(_references(expressions)))


def _references(expressions: Any) -> Iterator[str]:
    if isinstance(expressions, Expression):
        yield from expressions.references
    elif isinstance(expressions, Mapping):
        for item in expressions.values():
            yield from _references(item)
    elif isinstance(expressions, tuple):
        for item in expressions:
            yield from _references(item)


def refers_to(references: tuple[str, ...], target: str) -> bool:
    """`google_pubsub_topic.alerts` is referred to by `google_pubsub_topic.alerts.id` too."""
    return any(
        reference == target or reference.startswith((f"{target}.", f"{target}["))
        for reference in references
    )
