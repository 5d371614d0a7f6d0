"""Outcomes of a gate run. The result model owns the pass/fail decision and the exit code."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from plangate.plan import LoadedPlan
from plangate.policy.registry import PolicySpec, Severity
from plangate.policy.waivers import Waiver


class Status(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    ERROR = "error"
    WAIVED = "waived"
    NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True, slots=True)
class Finding:
    """One violation on one resource of one plan, possibly waived."""

    policy_id: str
    severity: Severity
    status: Status
    plan: str
    address: str
    attribute: str
    expected: str
    actual: Any
    message: str
    waiver: Waiver | None = None


@dataclass(frozen=True, slots=True)
class PolicyResult:
    """One policy on one plan: how many subjects it judged and what it found."""

    spec: PolicySpec
    plan: str
    status: Status
    findings: tuple[Finding, ...]
    checked: int
    error: str | None = None
    reason: str | None = None
    """Why the policy did not apply, when its status is not_applicable."""

    @property
    def failures(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.status is Status.FAIL)


@dataclass(frozen=True, slots=True)
class PlanRun:
    """Every policy's result on one plan, with the environment it was judged as."""

    loaded: LoadedPlan
    environment: str | None
    results: tuple[PolicyResult, ...]
    configuration: Any = None
    """The HCL the plan was judged against (a plangate.config.Configuration), when known."""
    inventory: Any = None
    """The reconciliation with Cloud Asset Inventory, when the run judged live resources."""

    @property
    def name(self) -> str:
        return self.loaded.name


@dataclass(frozen=True, slots=True)
class WaiverUse:
    """A waiver and what became of it in this run."""

    waiver: Waiver
    uses: int
    expired: bool
    note: str | None = None
    """Why a waiver that matched something is still unused (a checkov finding that another
    policy reports), for its warning."""


@dataclass(frozen=True, slots=True)
class GateReport:
    """The whole run: what was checked, every result, every waiver, and when."""

    runs: tuple[PlanRun, ...]
    waivers: tuple[WaiverUse, ...]
    plangate_version: str
    started_at: str
    duration_seconds: float
    fail_on: Severity = Severity.INFO
    root: Path | None = None
    """The project root: reports name files relative to it, so they read the same in any
    checkout (SARIF fingerprints above all)."""
    catalogue: tuple[str, ...] = ()
    """Which catalogues ran (built-in with its version, the project's own), for reports."""

    @property
    def results(self) -> tuple[PolicyResult, ...]:
        return tuple(result for run in self.runs for result in run.results)

    @property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(finding for result in self.results for finding in result.findings)

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(
            f"waiver {use.waiver.describe()} waives nothing: {use.note}"
            if use.note
            else f"waiver {use.waiver.describe()} matched nothing; remove it or fix its address"
            for use in self.waivers
            if use.uses == 0 and not use.expired
        )

    @property
    def expired_waivers(self) -> tuple[Waiver, ...]:
        return tuple(use.waiver for use in self.waivers if use.expired)

    def blocking(self, result: PolicyResult) -> bool:
        """Errors always block; failures block at or above the --fail-on severity."""
        if result.status is Status.ERROR:
            return True
        return result.status is Status.FAIL and result.spec.severity.rank >= self.fail_on.rank

    @property
    def passed(self) -> bool:
        return not self.expired_waivers and not any(self.blocking(r) for r in self.results)

    @property
    def exit_code(self) -> int:
        return 0 if self.passed else 1

    def counts(self) -> dict[str, int]:
        counts = {status.value: 0 for status in Status}
        for result in self.results:
            counts[result.status.value] += 1
        return counts
