"""Helpers for policy tests: judge one catalogue policy on an in-memory plan document."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from plangate.plan import parse_plan
from plangate.policy import REGISTRY, SETTINGS, PolicyResult, load_catalogue
from plangate.policy.engine import GateInput, evaluate

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "policies"


def judge(
    policy_id: str,
    document: Mapping[str, Any],
    *,
    environment: str | None = None,
    settings: Mapping[str, Any] | None = None,
    configuration: Any = None,
) -> PolicyResult:
    """Run one policy of the repository's catalogue on a plan dict and return its result."""
    load_catalogue([CATALOGUE])
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
