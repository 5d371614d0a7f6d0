"""Say a shared finding once: plangate's policy and the checkov check that test the same thing.

When a plangate policy and a checkov check of the overlap table (data/overlap.toml) flag the
same resource of the same plan, the report keeps plangate's finding, with the checkov id named
in its message, and drops checkov's. A waiver of the plangate policy therefore covers both.
The checkov result that lost every finding that way is not_applicable, its reason naming the
plangate policy and address that carry them: the failure counts once. What only checkov flags
stays a checkov finding.
"""

from __future__ import annotations

import tomllib
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources

from plangate.policy.results import PolicyResult, Status


@dataclass(frozen=True, slots=True)
class Overlap:
    policy_id: str
    checkov_ids: tuple[str, ...]
    property: str


@cache
def overlaps() -> tuple[Overlap, ...]:
    text = resources.files("plangate.checkov").joinpath("data", "overlap.toml").read_text("utf-8")
    return tuple(
        Overlap(policy_id, tuple(entry["checkov"]), entry["property"])
        for policy_id, entry in tomllib.loads(text).items()
    )


@cache
def _policies_of() -> Mapping[str, tuple[str, ...]]:
    """checkov id -> the plangate policies that test the same property."""
    found: dict[str, list[str]] = defaultdict(list)
    for entry in overlaps():
        for checkov_id in entry.checkov_ids:
            found[checkov_id].append(entry.policy_id)
    return {key: tuple(value) for key, value in found.items()}


@dataclass(frozen=True, slots=True)
class Absorbed:
    """What one plan's merge did: the results, and which checkov ids were said once."""

    plangate: tuple[PolicyResult, ...]
    checkov: tuple[PolicyResult, ...]
    pairs: frozenset[tuple[str, str]]
    """(plangate id, checkov id) pairs that flagged the same resource."""


def absorb(plangate: Sequence[PolicyResult], checkov: Sequence[PolicyResult]) -> Absorbed:
    """Merge one plan's results: shared findings are kept once, under plangate's id."""
    flagged: dict[tuple[str, str], Status] = {}
    for result in plangate:
        for finding in result.findings:
            key = (finding.policy_id, finding.address)
            flagged[key] = _worse(flagged.get(key), finding.status)
    shared: dict[tuple[str, str], list[str]] = defaultdict(list)
    dropped: dict[tuple[str, str], tuple[str, Status]] = {}
    for result in checkov:
        for finding in result.findings:
            for policy_id in _policies_of().get(finding.policy_id, ()):
                key = (policy_id, finding.address)
                if key in flagged:
                    shared[key].append(finding.policy_id)
                    dropped[(finding.policy_id, finding.address)] = (policy_id, flagged[key])
                    break
    return Absorbed(
        plangate=tuple(_named(result, shared) for result in plangate),
        checkov=tuple(_without(result, dropped) for result in checkov),
        pairs=frozenset((owner, checkov_id) for (checkov_id, _), (owner, _) in dropped.items()),
    )


def _worse(current: Status | None, new: Status) -> Status:
    return Status.FAIL if Status.FAIL in (current, new) else new


def _named(result: PolicyResult, shared: Mapping[tuple[str, str], list[str]]) -> PolicyResult:
    findings = tuple(
        replace(f, message=f"{f.message} (also {', '.join(shared[key])})")
        if (key := (f.policy_id, f.address)) in shared
        else f
        for f in result.findings
    )
    return result if findings == result.findings else replace(result, findings=findings)


def _without(
    result: PolicyResult, dropped: Mapping[tuple[str, str], tuple[str, Status]]
) -> PolicyResult:
    """The checkov result less the findings plangate reports, with a reason that says where
    each one was reported. A finding said once is counted once: under the plangate policy
    that carries it (failing there, or waived by its waiver), never again here. So a result
    left with no finding of its own is not_applicable, never a pass on a resource it failed
    and never a second failure; one that keeps findings is judged on those alone."""
    said = sorted(
        {
            f"{dropped[key][0]} for {f.address}"
            for f in result.findings
            if (key := (f.policy_id, f.address)) in dropped
        }
    )
    if not said:
        return result
    kept = tuple(f for f in result.findings if (f.policy_id, f.address) not in dropped)
    if not kept:
        status = Status.NOT_APPLICABLE
    elif any(f.status is Status.FAIL for f in kept):
        status = Status.FAIL
    else:
        status = Status.WAIVED
    return replace(
        result, findings=kept, status=status, reason=f"reported once, under {'; '.join(said)}"
    )
