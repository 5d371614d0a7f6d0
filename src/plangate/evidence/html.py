"""The evidence report as one self-contained HTML page (no scripts, no external assets),
rendered from the Jinja2 templates in templates/ with autoescaping on for every value: the
page quotes plan values, feature text and inventory names, and escaping them must never
depend on a template author remembering to."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from plangate.evidence.model import Evidence, PolicyEvidence, ScenarioRow
from plangate.report.conformance import coverage_text

if TYPE_CHECKING:  # jinja2 is imported when a page is rendered, not when pytest starts
    from jinja2 import Environment

CONFORMANCE_COUNTS = (
    ("in_sync", "In sync"),
    ("drifted", "Drifted"),
    ("missing", "Missing"),
    ("unmanaged", "Unmanaged"),
    ("undeclared_grants", "Undeclared grants"),
    ("missing_grants", "Missing grants"),
    ("not_verifiable", "Not verifiable"),
)
BAD_WHEN_NONZERO = frozenset(
    {"drifted", "missing", "unmanaged", "undeclared_grants", "missing_grants"}
)


@dataclass(frozen=True, slots=True)
class FeatureTable:
    """One feature's table: its own plan columns (the plans it ran on, or the inventory)."""

    path: str
    name: str
    description: str
    plans: tuple[str, ...]
    rows: tuple[ScenarioRow, ...]


@dataclass(frozen=True, slots=True)
class PolicyRow:
    policy_id: str
    title: str
    severity: str
    statuses: dict[str, str]


@cache
def environment() -> Environment:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("plangate.evidence", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["css"] = lambda outcome: str(outcome).replace(" ", "_")
    env.filters["coverage"] = coverage_text
    return env


def render_html(evidence: Evidence) -> str:
    return environment().get_template("report.html").render(_context(evidence))


def _context(evidence: Evidence) -> dict[str, Any]:
    return {
        "evidence": evidence,
        "scenario_counts": _counted(evidence.scenario_counts()),
        "policy_counts": _counted(evidence.policy_counts()),
        "expired": sum(w.expired for w in evidence.waivers),
        "features": _features(evidence),
        "scenario_failures": [
            s for s in evidence.scenarios if s.outcome not in ("passed", "skipped")
        ],
        "policy_plans": sorted({p.plan for p in evidence.policies}),
        "policy_rows": _policy_rows(evidence.policies),
        "findings": [
            (p, message)
            for p in evidence.policies
            if p.status in ("fail", "waived", "error")
            for message in p.messages
        ],
        "conformance_counts": CONFORMANCE_COUNTS,
        "bad_when_nonzero": BAD_WHEN_NONZERO,
    }


def _counted(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {k}" for k, n in counts.items()) or "none run"


def _features(evidence: Evidence) -> list[FeatureTable]:
    by_feature: dict[tuple[str, str, str], list[ScenarioRow]] = defaultdict(list)
    for row in evidence.scenario_rows():
        by_feature[(row.feature_file, row.feature_name, row.feature_description)].append(row)
    return [
        FeatureTable(
            path,
            name,
            description,
            tuple(p for p in evidence.plan_ids if any(p in row.outcomes for row in rows)),
            tuple(rows),
        )
        for (path, name, description), rows in by_feature.items()
    ]


def _policy_rows(policies: tuple[PolicyEvidence, ...]) -> list[PolicyRow]:
    rows: dict[tuple[str, str, str], dict[str, str]] = defaultdict(dict)
    for result in policies:
        rows[(result.policy_id, result.title, result.severity)][result.plan] = result.status
    return [PolicyRow(*key, statuses) for key, statuses in sorted(rows.items())]
