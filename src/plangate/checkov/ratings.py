"""plangate's severity for checkov's checks (data/severities.toml).

checkov leaves `severity` null without a Prisma Cloud API key, so `--fail-on` could not rank
its findings. The table rates the checks that bear on Google Cloud stacks like this one; a
check outside it, reported when all checks are asked for, is medium until someone rates it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from plangate.policy.registry import Severity

UNRATED = Severity.MEDIUM


@dataclass(frozen=True, slots=True)
class Rating:
    severity: Severity
    reason: str


@cache
def ratings() -> dict[str, Rating]:
    text = (
        resources.files("plangate.checkov").joinpath("data", "severities.toml").read_text("utf-8")
    )
    return {
        check_id: Rating(Severity(entry["severity"]), " ".join(entry["reason"].split()))
        for check_id, entry in tomllib.loads(text).items()
    }


def rating(check_id: str) -> Rating:
    """The table's rating, or medium with a reason that says nobody rated the check."""
    return ratings().get(
        check_id,
        Rating(UNRATED, "plangate has not rated this checkov check; it counts as medium."),
    )


RATED: tuple[str, ...] = tuple(sorted(ratings()))
"""The check ids plangate runs by default: the rated ones."""
