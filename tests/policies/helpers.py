"""Helpers shared by the policy tests: build a one-resource plan, read what a policy found."""

from __future__ import annotations

from typing import Any

from plangate.plan import UNKNOWN
from plangate.policy import Status
from tests.fixtures.builder import PlanBuilder


def plan(address: str, after: dict[str, Any], action: str = "create") -> dict[str, Any]:
    """A plan document with one resource change."""
    return PlanBuilder().resource(address, action=action, after=after).build()


def failed(result: Any, count: int | None = None) -> tuple[Any, ...]:
    """The findings of a failed result, `count` of them when given."""
    assert result.status is Status.FAIL, result
    if count is not None:
        assert len(result.findings) == count, [f.message for f in result.findings]
    return result.findings


def one_finding(result: Any) -> Any:
    """The only finding of a failed result."""
    (finding,) = failed(result, 1)
    return finding


def says(finding: Any, *parts: str) -> None:
    """The report line (address + message) names every part."""
    line = f"{finding.address}: {finding.message}"
    for part in parts:
        assert part in line, line


def assert_unknown(finding: Any, address: str, path: str) -> None:
    """The finding is about a value at `path` of `address` known only after apply."""
    assert finding.actual is UNKNOWN
    assert finding.attribute == path
    says(finding, address, path, "known after apply")
