"""Small assertion helpers for policy authors; each yields Violations, never raises.

Unknown ("known after apply") is never treated as a pass: a gate that cannot prove a
control holds must say so.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from typing import Any

from plangate.plan import ABSENT, SENSITIVE, UNKNOWN, render
from plangate.plan.values import Marker
from plangate.policy.subject import Resource, Violation


def expect_equal(
    resource: Resource, path: str, expected: Any, *, why: str = ""
) -> Iterator[Violation]:
    actual = resource.get(path)
    if isinstance(actual, Marker) or type(actual) is not type(expected) or actual != expected:
        yield violation(path, render(expected), actual, why)


def expect_one_of(
    resource: Resource, path: str, allowed: Collection[Any], *, why: str = ""
) -> Iterator[Violation]:
    actual = resource.get(path)
    if isinstance(actual, Marker) or actual not in allowed:
        yield violation(path, "one of " + ", ".join(render(item) for item in allowed), actual, why)


def expect_present(resource: Resource, path: str, *, why: str = "") -> Iterator[Violation]:
    actual = resource.get(path)
    if actual is ABSENT or actual is None or actual in ((), "") or actual is UNKNOWN:
        yield violation(path, "a value", actual, why)


def expect_that(
    resource: Resource,
    path: str,
    predicate: Callable[[Any], bool],
    expected: str,
    *,
    why: str = "",
) -> Iterator[Violation]:
    """The general form: `predicate` sees only known, non-sensitive values."""
    actual = resource.get(path)
    if isinstance(actual, Marker) or not predicate(actual):
        yield violation(path, expected, actual, why)


def violation(
    path: str, expected: str, actual: Any, why: str = "", address: str | None = None
) -> Violation:
    """A violation whose message reads as a sentence: path, expected, actual, and why."""
    shown = render(actual)
    if actual is UNKNOWN:
        shown += "; the gate cannot prove the control before apply"
    elif actual is SENSITIVE:
        shown += "; the value is hidden"
    message = f"{path or 'resource'}: expected {expected}, got {shown}"
    if why:
        message += f" ({why})"
    return Violation(
        attribute=path, expected=expected, actual=actual, message=message, address=address
    )
