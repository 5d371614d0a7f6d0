"""What an auditor needs from one gate run, gathered once and rendered as HTML and Markdown."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PlanEvidence:
    """A plan that was checked, identified by content hash and the versions that made it."""

    name: str
    sha256: str
    format_version: str
    terraform_version: str | None
    timestamp: str | None
    environment: str | None


@dataclass(frozen=True, slots=True)
class ScenarioEvidence:
    """One Gherkin scenario on one plan and how it ended."""

    feature_file: str
    feature_name: str
    feature_description: str
    scenario_name: str
    line: int
    tags: tuple[str, ...]
    plan: str
    outcome: str
    detail: str


@dataclass(frozen=True, slots=True)
class PolicyEvidence:
    """One catalogue policy on one plan, with what it found."""

    policy_id: str
    title: str
    severity: str
    plan: str
    status: str
    messages: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class WaiverEvidence:
    """A waiver in force during the run, and whether anything used it."""

    policy: str
    address: str
    justification: str
    approver: str
    expires: str
    environments: tuple[str, ...]
    uses: int
    expired: bool


@dataclass(frozen=True, slots=True)
class Evidence:
    """The whole record of a run: enough for an auditor to tell what was proven, on what."""

    plangate_version: str
    generated_at: str
    plans: tuple[PlanEvidence, ...]
    scenarios: tuple[ScenarioEvidence, ...]
    policies: tuple[PolicyEvidence, ...]
    waivers: tuple[WaiverEvidence, ...]

    @property
    def passed(self) -> bool:
        return (
            all(s.outcome in ("passed", "skipped") for s in self.scenarios)
            and all(p.status not in ("fail", "error") for p in self.policies)
            and not any(w.expired for w in self.waivers)
        )

    def scenario_counts(self) -> dict[str, int]:
        return dict(sorted(Counter(s.outcome for s in self.scenarios).items()))

    def policy_counts(self) -> dict[str, int]:
        return dict(sorted(Counter(p.status for p in self.policies).items()))
