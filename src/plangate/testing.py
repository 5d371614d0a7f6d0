"""Helpers for testing policies: judge one policy on a plan written in the test.

A repository's own policies are tested the way plangate tests its catalogue: build a small
plan document, judge one policy on it, and assert on the result and its findings.

    from plangate.testing import judge, plan_of

    def test_public_bucket_fails():
        result = judge("PG-LOCAL-001", plan_of("google_storage_bucket.b", {"location": "US"}))
        assert result.status.value == "fail"
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from plangate.gate import builtin_catalogue
from plangate.plan import parse_plan
from plangate.policy import REGISTRY, SETTINGS, PolicyResult, load_catalogue
from plangate.policy.engine import GateInput, evaluate


def judge(
    policy_id: str,
    document: Mapping[str, Any],
    *,
    catalogue: Iterable[Path] = (),
    environment: str | None = None,
    settings: Mapping[str, Any] | None = None,
    configuration: Any = None,
) -> PolicyResult:
    """One policy's result on a plan document. The built-in catalogue is always loaded, so
    `judge("PG-GCS-001", ...)` works in any repository; `catalogue` adds policy directories."""
    load_catalogue([builtin_catalogue(), *catalogue])
    loaded = parse_plan(json.dumps(document).encode(), "test-plan.json")
    resolved = SETTINGS.resolve({"policy": dict(settings or {})}, environment)
    report = evaluate(
        [
            GateInput(
                loaded=loaded,
                environment=environment,
                settings=resolved,
                configuration=configuration,
            )
        ],
        REGISTRY,
        only=[policy_id],
    )
    (result,) = report.results
    return result


def plan_of(address: str, after: Mapping[str, Any], action: str = "create") -> dict[str, Any]:
    """A plan document with one managed resource change (`type.name` or a module address)."""
    kind, name = address.split(".")[-2:]
    before = None if action == "create" else dict(after)
    return {
        "format_version": "1.2",
        "resource_changes": [
            {
                "address": address,
                "mode": "managed",
                "type": kind,
                "name": name,
                "provider_name": "hashicorp/google",
                "change": {"actions": [action], "before": before, "after": dict(after)},
            }
        ],
    }
