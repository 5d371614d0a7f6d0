"""The traceability matrix: how controls' outcomes combine per requirement and plan, which
requirements a run traces, and the requirements document a project names."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from types import MappingProxyType

import pytest

from plangate.errors import InputError
from plangate.evidence.model import (
    ConformanceEvidence,
    Evidence,
    PlanEvidence,
    PolicyEvidence,
    ScenarioEvidence,
)
from plangate.evidence.trace import combine, requirements_document, trace_evidence
from plangate.requirements import Requirement
from plangate.settings import Settings


@pytest.mark.parametrize(
    ("outcomes", "result"),
    [
        (["passed", "waived", "not applicable"], "passed"),
        (["passed", "skipped"], "passed"),
        (["skipped", "skipped"], "not checked"),
        ([], "not checked"),
        (["passed", "failed", "error"], "failed"),
        (["passed", "error"], "error"),
        (["passed", "not run"], "error"),
    ],
)
def test_outcomes_combine_failures_first_and_skips_never_pass(
    outcomes: list[str], result: str
) -> None:
    assert combine(outcomes) == result


def _scenario(line: int, tags: tuple[str, ...], plan: str, outcome: str) -> ScenarioEvidence:
    return ScenarioEvidence(
        "features/a.feature", "A", "", f"scenario {line}", line, tags, plan, outcome, "", "id"
    )


def _plan(name: str) -> PlanEvidence:
    return PlanEvidence(name, "ab" * 32, "1.2", None, None, None)


def test_the_matrix_folds_outline_rows_and_adds_the_inventory_column() -> None:
    policy = PolicyEvidence("PG-A-001", "A", "high", "prod", "waived", (), ("REQ-001",))
    on_inventory = PolicyEvidence("PG-CAI-001", "C", "high", "inventory", "fail", (), ("REQ-002",))
    conformance = ConformanceEvidence(
        "export", "export", None, None, (), 1, (), 1.0, {}, (), (on_inventory,), ()
    )
    evidence = Evidence(
        "0",
        "2026-01-01T00:00:00+00:00",
        (_plan("plans/prod.json"), _plan("plans/dev.json")),
        (
            _scenario(3, ("REQ-001",), "prod", "passed"),  # an outline: one row per plan
            _scenario(3, ("REQ-001",), "prod", "skipped"),
            _scenario(3, ("REQ-001",), "dev", "skipped"),
            _scenario(9, ("REQ-002", "data"), "prod", "failed"),
        ),
        (policy,),
        (),
        conformance,
    )
    requirements = (Requirement("REQ-001", "one"), Requirement("REQ-002", "two"))
    trace = trace_evidence(evidence, requirements, "docs/r.md")
    assert trace.plans == ("prod", "dev", "inventory")
    first, second = trace.requirements
    assert first.results == {"prod": "passed", "dev": "not checked", "inventory": "not checked"}
    assert [c.id for c in first.controls] == ["PG-A-001", "features/a.feature:3"]
    assert first.controls[1].outcomes == {"prod": "passed", "dev": "skipped"}
    assert second.results == {"prod": "failed", "dev": "not checked", "inventory": "failed"}
    assert trace.unknown == () and trace.untraced == ()


def test_a_document_the_settings_name_must_exist(tmp_path: Path) -> None:
    named = Settings(tmp_path, raw=MappingProxyType({"requirements": "docs/missing.md"}))
    with pytest.raises(InputError, match=r"docs/missing.md: cannot read the requirements"):
        requirements_document(named)
    assert requirements_document(Settings(tmp_path)) == (None, ())
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs/requirements.md").write_text("### REQ-001: found by default\n")
    assert requirements_document(Settings(tmp_path)) == (
        tmp_path / "docs/requirements.md",
        (Requirement("REQ-001", "found by default"),),
    )


def test_a_missing_document_stops_the_evidence_run_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.plangate]\nrequirements = "docs/r.md"\n')
    (tmp_path / "plan.json").write_text('{"format_version": "1.2", "resource_changes": []}')
    done = subprocess.run(
        [sys.executable, "-m", "plangate.cli", "evidence", "plan.json", "--output", "out/r.html"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 2
    errors = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(errors) == 1 and "docs/r.md: cannot read the requirements document" in errors[0]
    assert not (tmp_path / "out/r.html").exists()


def test_no_inventory_column_when_every_inventory_scenario_was_skipped() -> None:
    """Without --cai-export/--cai-project the inventory scenarios are collected and skipped:
    a column of "not checked" for an inventory nobody asked about would only be noise."""
    evidence = Evidence(
        "0",
        "2026-01-01T00:00:00+00:00",
        (_plan("plans/prod.json"),),
        (
            _scenario(3, ("REQ-001",), "prod", "passed"),
            _scenario(7, ("REQ-001",), "inventory", "skipped"),
        ),
        (),
        (),
    )
    trace = trace_evidence(evidence, (Requirement("REQ-001", "one"),), "docs/r.md")
    assert trace.plans == ("prod",)
    assert trace.requirements[0].results == {"prod": "passed"}
