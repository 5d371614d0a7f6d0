"""The evidence report says exactly what the run that produced it found.

One real pytest session over the repository's features and catalogue, on an unsafe scenario
plan, writes the evidence (HTML, Markdown, JSON) and JUnit XML side by side; every scenario
and policy outcome in the evidence must match pytest's own record of the same run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml
from markupsafe import escape

from plangate import __version__
from plangate.evidence.html import render_html
from plangate.evidence.markdown import render_markdown
from plangate.evidence.model import (
    ControlTrace,
    Evidence,
    FilePin,
    Pins,
    PlanEvidence,
    PolicyEvidence,
    RequirementTrace,
    ScenarioEvidence,
    Traceability,
    UnknownReference,
)

ROOT = Path(__file__).resolve().parents[1]
PLAN = ROOT / "infrastructure/plans/scenarios/prod-force-destroy.json"
PLAN_ID = PLAN.stem


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("evidence")
    started = dt.datetime.now(dt.UTC).replace(microsecond=0)
    completed = subprocess.run(
        [
            sys.executable, "-m", "pytest", "features", "policies",
            f"--plan={PLAN}", f"--evidence={out / 'report.html'}", f"--junitxml={out / 'junit.xml'}",
            "-q", "-p", "no:cacheprovider", "-p", "no:hypothesispytest",
        ],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )  # fmt: skip
    return {
        "returncode": completed.returncode,
        "started": started,
        "evidence": json.loads((out / "report.json").read_text()),
        "html": (out / "report.html").read_text(),
        "markdown": (out / "report.md").read_text(),
        "junit": _junit_outcomes(out / "junit.xml"),
    }


def _junit_outcomes(path: Path) -> dict[tuple[str, str], str]:
    outcomes = {}
    for case in ET.parse(path).getroot().iter("testcase"):
        kinds = {child.tag for child in case}
        outcome = (
            "failed"
            if kinds & {"failure", "error"}
            else "skipped"
            if "skipped" in kinds
            else "passed"
        )
        outcomes[(case.get("classname", ""), case.get("name", ""))] = outcome
    return outcomes


def _junit_key(nodeid: str) -> tuple[str, str]:
    """pytest's JUnit naming: the path with dots and no .py, then the item name."""
    *parents, name = nodeid.split("::")
    parents[0] = re.sub(r"\.py$", "", parents[0].replace("/", "."))
    return ".".join(parents), name


def test_the_gate_failed_and_the_evidence_says_so(run: dict[str, Any]) -> None:
    assert run["returncode"] == 1
    assert run["evidence"]["passed"] is False
    assert "FAILED" in run["html"]
    assert "**Result: FAILED**" in run["markdown"]


def test_the_plan_is_named_with_its_hash_and_versions(run: dict[str, Any]) -> None:
    (plan,) = run["evidence"]["plans"]
    document = json.loads(PLAN.read_text())
    assert plan["name"] == str(PLAN.relative_to(ROOT))
    assert plan["sha256"] == hashlib.sha256(PLAN.read_bytes()).hexdigest()
    assert plan["terraform_version"] == document["terraform_version"]
    assert plan["format_version"] == document["format_version"]
    assert plan["timestamp"] == document["timestamp"]
    assert plan["environment"] == "prod"
    assert plan["sha256"] in run["html"] and plan["sha256"] in run["markdown"]


def test_every_scenario_outcome_matches_the_run(run: dict[str, Any]) -> None:
    scenarios = run["evidence"]["scenarios"]
    feature_cases = {key: outcome for key, outcome in run["junit"].items() if ".feature" in key[0]}
    assert len(scenarios) == len(feature_cases) > 30
    for scenario in scenarios:
        assert scenario["outcome"] == feature_cases[_junit_key(scenario["test_id"])], scenario
        on_inventory = scenario["feature_file"] == "features/inventory.feature"
        assert scenario["plan"] == ("inventory" if on_inventory else PLAN_ID)
        assert escape(scenario["scenario_name"]) in run["html"]
    failed = [s for s in scenarios if s["outcome"] == "failed"]
    assert failed, "the force-destroy plan must fail a data-protection scenario"
    assert all("module.storage.google_storage_bucket.drift_logs" in s["detail"] for s in failed)
    assert {s["feature_file"] for s in failed} == {
        "features/change_safety.feature",  # the imported stack plans zero changes
        "features/data_protection.feature",  # force_destroy stays false
    }


def test_every_catalogue_policy_outcome_matches_the_run(run: dict[str, Any]) -> None:
    policies = run["evidence"]["policies"]
    status_to_outcome = {"pass": "passed", "waived": "passed", "fail": "failed", "error": "failed"}
    judged = 0
    for policy in policies:
        key = next(k for k in run["junit"] if k[1] == f"{policy['policy_id']}[{PLAN_ID}]")
        expected = status_to_outcome.get(policy["status"], "skipped")
        assert run["junit"][key] == expected, policy
        assert policy["policy_id"] in run["html"]
        judged += 1
    assert judged == len(
        {k for k in run["junit"] if re.fullmatch(rf"PG-[A-Z]+-\d{{3}}\[{PLAN_ID}\]", k[1])}
    )
    failing = {p["policy_id"] for p in policies if p["status"] == "fail"}
    assert "PG-GCS-001" in failing
    force_destroy = next(p for p in policies if p["policy_id"] == "PG-GCS-001")
    assert any(
        "drift_logs" in message and "force_destroy" in message
        for message in force_destroy["messages"]
    )


def test_every_waiver_is_listed_with_justification_approver_and_expiry(run: dict[str, Any]) -> None:
    configured = yaml.safe_load((ROOT / "policies/waivers.yaml").read_text())["waivers"]
    listed = run["evidence"]["waivers"]
    assert [(w["policy"], w["address"]) for w in listed] == [
        (w["policy"], w["address"]) for w in configured
    ]
    for waiver, source in zip(listed, configured, strict=True):
        assert waiver["justification"] == " ".join(source["justification"].split())
        assert waiver["approver"] == source["approver"]
        assert waiver["expires"] == str(source["expires"])
        assert waiver["uses"] >= 1 and waiver["expired"] is False
        assert waiver["approver"] in run["html"] and waiver["expires"] in run["markdown"]


def test_version_and_time_of_the_run_are_recorded(run: dict[str, Any]) -> None:
    evidence = run["evidence"]
    generated = dt.datetime.fromisoformat(evidence["generated_at"])
    assert run["started"] - dt.timedelta(seconds=5) <= generated <= dt.datetime.now(dt.UTC)
    assert evidence["plangate_version"] == __version__
    assert f"plangate {__version__}" in run["html"]


def test_the_html_page_is_self_contained(run: dict[str, Any]) -> None:
    page = run["html"]
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page and "http://" not in page
    assert not re.search(r'<(link|img)[^>]+(href|src)="https?:', page)


def _evidence(**overrides: Any) -> Evidence:
    plan = PlanEvidence("plans/prod.json", "ab" * 32, "1.2", "1.9.8", None, "prod")
    scenario = ScenarioEvidence(
        "features/x.feature", "X <controls>", "", "a <b> & c", 3, ("PG-GCS-001",), "prod",
        "failed", "module.a: expected `false` | got <true>", "features/x.feature::test_a[prod]",
    )  # fmt: skip
    values: dict[str, Any] = {
        "plangate_version": "0.1.0",
        "generated_at": "2026-01-01T00:00:00+00:00",
        "plans": (plan,),
        "scenarios": (scenario,),
        "policies": (),
        "waivers": (),
    }
    return Evidence(**{**values, **overrides})


def test_html_escapes_what_comes_from_features_and_findings() -> None:
    page = render_html(_evidence())
    assert "a &lt;b&gt; &amp; c" in page and "<b> &" not in page
    assert "got &lt;true&gt;" in page


def test_markdown_cells_cannot_break_the_table() -> None:
    markdown = render_markdown(_evidence())
    row = next(line for line in markdown.splitlines() if line.startswith("- features/x.feature:3"))
    assert "\\|" in row and "`" not in row


def test_an_unreadable_plan_fails_the_evidence() -> None:
    unreadable = PlanEvidence("plans/bad.json", "-", "-", None, None, None, error="not JSON")
    passing = _evidence(scenarios=())
    assert passing.passed is True
    assert _evidence(scenarios=(), plans=(unreadable,)).passed is False
    assert "unreadable: not JSON" in render_html(_evidence(plans=(unreadable,)))


def test_bad_input_writes_no_evidence_and_exits_2(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.bin"
    garbage.write_bytes(b"\x00\xe8not a plan")
    output = tmp_path / "out" / "report.html"
    completed = subprocess.run(
        [sys.executable, "-m", "plangate.cli", "evidence", str(garbage), f"--output={output}"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert completed.returncode == 2
    errors = [line for line in completed.stderr.splitlines() if line.strip()]
    assert len(errors) == 1 and "garbage.bin: not UTF-8 text" in errors[0]
    assert not output.exists() and not output.with_suffix(".json").exists()


HOSTILE = '<script>alert("x")</script> & co'
ESCAPED = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; co"


def test_a_script_and_an_ampersand_from_a_plan_are_escaped_in_every_section() -> None:
    finding = f"google_storage_bucket.a: labels.team: expected a team, got {HOSTILE}"
    policy = PolicyEvidence("PG-LBL-001", "Labels", "low", "prod", "fail", (finding,))
    plan = PlanEvidence(f"plans/{HOSTILE}.json", "ab" * 32, "1.2", HOSTILE, HOSTILE, HOSTILE)
    control = ControlTrace("policy", "PG-LBL-001", HOSTILE, {"prod": "failed"})
    requirement = RequirementTrace("REQ-001", HOSTILE, None, (control,), {"prod": "failed"})
    trace = Traceability(
        HOSTILE,
        ("prod",),
        (requirement, RequirementTrace("REQ-002", "t", HOSTILE, (), {"prod": "passed"})),
        (UnknownReference("REQ-999", "scenario", HOSTILE, HOSTILE),),
        (HOSTILE,),
    )
    pin = FilePin(HOSTILE, "cd" * 32)
    pins = Pins("0.1.0", None, None, HOSTILE, (pin,), (pin,), pin, pin, pin, "ef" * 32)
    page = render_html(
        _evidence(plans=(plan,), policies=(policy,), trace=trace, pins=pins, scenarios=())
    )
    assert "<script" not in page and " & co" not in page
    # the plan's name, terraform version, timestamp, environment; the finding; the matrix
    # (titles, verification, document, unknown control and its title, untraced); the five
    # pins; git's reason in the summary and in the pins
    assert page.count(ESCAPED) == 4 + 1 + 6 + 5 + 2


def test_the_repository_evidence_pins_every_control_and_traces_every_requirement(
    tmp_path: Path,
) -> None:
    completed = subprocess.run(
        [
            sys.executable, "-m", "plangate.cli", "evidence", "--output", str(tmp_path / "r.html"),
            "--attestation", str(tmp_path / "statement.json"),
        ],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stdout + completed.stderr
    report = json.loads((tmp_path / "r.json").read_text())
    pins = report["pins"]
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert pins["commit"] == head.stdout.strip()
    features = sorted(ROOT.glob("features/*.feature"))
    assert [(p["path"], p["sha256"]) for p in pins["features"]] == [
        (str(f.relative_to(ROOT)), hashlib.sha256(f.read_bytes()).hexdigest()) for f in features
    ]
    waivers = ROOT / "policies/waivers.yaml"
    assert pins["waivers"]["sha256"] == hashlib.sha256(waivers.read_bytes()).hexdigest()
    trace = report["trace"]
    defined = re.findall(r"^#{2,4} (REQ-\d{3}):", (ROOT / "docs/requirements.md").read_text(), re.M)
    assert [row["id"] for row in trace["requirements"]] == defined
    assert all(set(row["results"]) >= {"prod", "staging", "dev"} for row in trace["requirements"])
    assert trace["unknown"] == []
    assert not [c for c in trace["untraced"] if c.startswith("features/")], "untraced scenarios"
    statement = json.loads((tmp_path / "statement.json").read_text())
    assert {s["name"]: s["digest"]["sha256"] for s in statement["subject"]} == {
        p["name"]: p["sha256"] for p in report["plans"]
    }
