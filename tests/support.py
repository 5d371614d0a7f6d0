"""Helpers for policy tests: judge one catalogue policy on an in-memory plan document."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from plangate import testing
from plangate.policy import PolicyResult

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
    return testing.judge(
        policy_id,
        document,
        catalogue=[CATALOGUE],
        environment=environment,
        settings=settings,
        configuration=configuration,
    )
