"""What an auditor needs from one gate run, gathered once and rendered as HTML and Markdown."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass


@dataclass(frozen=True, slots=True)
class PlanEvidence:
    """A plan that was checked, identified by content hash and the versions that made it."""

    name: str
    sha256: str
    format_version: str
    terraform_version: str | None
    timestamp: str | None
    environment: str | None
    error: str | None = None
    """Why the plan could not be read; such a plan fails the run."""


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
    test_id: str
    """The pytest node id, so a scenario can be re-run alone: `pytest 'TEST_ID'`."""


@dataclass(frozen=True, slots=True)
class ScenarioRow:
    """A scenario across plans: outline examples for other environments fold into one cell."""

    feature_file: str
    feature_name: str
    feature_description: str
    scenario_name: str
    line: int
    tags: tuple[str, ...]
    outcomes: dict[str, str]


_OUTCOME_WEIGHT = {"failed": 3, "error": 3, "not run": 2, "passed": 1, "skipped": 0}


def _combine(current: str | None, new: str) -> str:
    """A failure anywhere wins; a pass beats skips (those are the other environments' rows)."""
    if current is None:
        return new
    return max(current, new, key=lambda outcome: _OUTCOME_WEIGHT.get(outcome, 2))


@dataclass(frozen=True, slots=True)
class PolicyEvidence:
    """One catalogue policy on one plan, with what it found."""

    policy_id: str
    title: str
    severity: str
    plan: str
    status: str
    messages: tuple[str, ...]
    requirements: tuple[str, ...] = ()
    """The requirements (REQ-NNN) the policy declares it enforces."""


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
class SourceEvidence:
    """A file that was read, identified by the hash of the exact bytes judged."""

    name: str
    sha256: str


@dataclass(frozen=True, slots=True)
class FindingEvidence:
    """One finding of the conformance run: the control, the asset, expected against actual."""

    policy_id: str
    status: str
    address: str
    attribute: str
    expected: str
    actual: str
    message: str


@dataclass(frozen=True, slots=True)
class NotVerifiableEvidence:
    """A resource in Terraform's state that the inventory cannot confirm either way, and why."""

    address: str
    terraform_type: str
    reason: str


@dataclass(frozen=True, slots=True)
class ConformanceEvidence:
    """Terraform's state against Cloud Asset Inventory: what was read, how much of the project
    Terraform covers, and every difference. `error` says why the inventory could not be read
    whole; then nothing was judged and the run fails."""

    inventory: str
    kind: str | None
    scope: str | None
    read_time: str | None
    files: tuple[SourceEvidence, ...]
    records_read: int
    terraform: tuple[SourceEvidence, ...]
    coverage: float | None
    counts: dict[str, int]
    not_verifiable: tuple[NotVerifiableEvidence, ...]
    controls: tuple[PolicyEvidence, ...]
    findings: tuple[FindingEvidence, ...]
    error: str | None = None

    @property
    def passed(self) -> bool:
        return self.error is None and all(c.status not in ("fail", "error") for c in self.controls)


@dataclass(frozen=True, slots=True)
class FilePin:
    """A file that decided the run, by the hash of its bytes when the run ended. `base` says
    what `path` is relative to: the project root, or the installed plangate package (the
    built-in catalogue of a wheel lives outside every project)."""

    path: str
    sha256: str
    base: str = "project"


@dataclass(frozen=True, slots=True)
class Pins:
    """What was applied: the code's commit and every control file, so that a later reader can
    tell whether the report still describes the repository in front of them."""

    plangate_version: str
    commit: str | None
    dirty: bool | None
    """A tracked file differed from the commit (untracked files, such as CI's plan, do not count)."""
    git: str
    """`checkout`, or why there is no commit: not a git checkout, git not installed."""
    policies: tuple[FilePin, ...]
    features: tuple[FilePin, ...]
    waivers: FilePin | None
    requirements: FilePin | None
    pyproject: FilePin | None
    settings_sha256: str
    """sha256 of [tool.plangate] in canonical JSON (pins.SETTINGS_FORM), blind to comments."""


@dataclass(frozen=True, slots=True)
class ControlTrace:
    """One control behind a requirement: a policy, or a scenario (`file.feature:LINE`), with
    its outcome per plan in the matrix's vocabulary (trace.OUTCOMES)."""

    kind: str
    id: str
    title: str
    outcomes: dict[str, str]


@dataclass(frozen=True, slots=True)
class RequirementTrace:
    """A requirement of the document, the controls that name it, and its result per plan."""

    id: str
    title: str
    verified_by: str | None
    controls: tuple[ControlTrace, ...]
    results: dict[str, str]


@dataclass(frozen=True, slots=True)
class UnknownReference:
    """A control that names a requirement the document does not define: a traceability error."""

    requirement: str
    kind: str
    control: str
    title: str


@dataclass(frozen=True, slots=True)
class Traceability:
    """The traceability matrix: requirement -> controls -> outcome per plan."""

    document: str | None
    """The requirements document, relative to the project root; None when there is none."""
    plans: tuple[str, ...]
    requirements: tuple[RequirementTrace, ...]
    unknown: tuple[UnknownReference, ...]
    untraced: tuple[str, ...]
    """Controls that ran but name no requirement."""


@dataclass(frozen=True, slots=True)
class Evidence:
    """The whole record of a run: enough for an auditor to tell what was proven, on what."""

    plangate_version: str
    generated_at: str
    plans: tuple[PlanEvidence, ...]
    scenarios: tuple[ScenarioEvidence, ...]
    policies: tuple[PolicyEvidence, ...]
    waivers: tuple[WaiverEvidence, ...]
    conformance: ConformanceEvidence | None = None
    """Present when the session checked an inventory (`--cai-project` or `--cai-export`)."""
    pins: Pins | None = None
    trace: Traceability | None = None

    @property
    def passed(self) -> bool:
        return (
            all(p.error is None for p in self.plans)
            and all(s.outcome in ("passed", "skipped") for s in self.scenarios)
            and all(p.status not in ("fail", "error") for p in self.policies)
            and not any(w.expired for w in self.waivers)
            and (self.conformance is None or self.conformance.passed)
        )

    @property
    def plan_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.plan for s in self.scenarios))

    def scenario_rows(self) -> list[ScenarioRow]:
        """One row per scenario of a feature, one outcome per plan (outline examples combined)."""
        rows: dict[tuple[str, int, str], ScenarioRow] = {}
        for item in self.scenarios:
            key = (item.feature_file, item.line, item.scenario_name)
            row = rows.setdefault(
                key,
                ScenarioRow(
                    item.feature_file,
                    item.feature_name,
                    item.feature_description,
                    item.scenario_name,
                    item.line,
                    item.tags,
                    {},
                ),
            )
            row.outcomes[item.plan] = _combine(row.outcomes.get(item.plan), item.outcome)
        return sorted(rows.values(), key=lambda row: (row.feature_file, row.line))

    def scenario_counts(self) -> dict[str, int]:
        return dict(sorted(Counter(s.outcome for s in self.scenarios).items()))

    def policy_counts(self) -> dict[str, int]:
        return dict(sorted(Counter(p.status for p in self.policies).items()))


def render_json(evidence: Evidence) -> str:
    """The evidence as JSON, for tools that archive or compare runs."""
    document = asdict(evidence)
    document["passed"] = evidence.passed
    document["scenario_counts"] = evidence.scenario_counts()
    document["policy_counts"] = evidence.policy_counts()
    return json.dumps(document, indent=2) + "\n"
