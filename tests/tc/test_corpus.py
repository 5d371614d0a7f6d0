"""The corpus: terraform-compliance's own verdicts, and plangate tc's, on the same files.

tests/tc/corpus/features/ holds feature files in terraform-compliance's dialect that use every
step form of its steps.py; tests/tc/corpus/plans/ small Google Cloud plans of format versions
0.1, 1.0 and 1.2 (one pretty-printed). verdicts.json is what terraform-compliance 1.16 said on
each pair (bench/tc_verdicts.py record); differences.json the scenarios where plangate decides
otherwise on purpose, with the reason. Every scenario must end as expected, so this test needs
no terraform-compliance.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from plangate.tc import run_features

CORPUS = Path(__file__).parent / "corpus"
FEATURES = CORPUS / "features"
PLANS = CORPUS / "plans"
VERDICTS = json.loads((CORPUS / "verdicts.json").read_text("utf-8"))
DIFFERENCES = json.loads((CORPUS / "differences.json").read_text("utf-8"))
OUTCOMES = ("passed", "failed", "skipped")


def _differences() -> dict[tuple[str, str, str], dict[str, str]]:
    return {(d["feature"], d["plan"], d["scenario"]): d for d in DIFFERENCES["scenarios"]}


PAIRS = [
    (feature, plan)
    for feature, by_plan in sorted(VERDICTS["features"].items())
    for plan in sorted(by_plan)
]


def _same_scenario(tc_name: str, name: str) -> bool:
    """tc names outline rows `<outline> - row N`; plangate `<outline, filled in> -- @T.R`."""
    template = re.sub(r" - row \d+$", "", tc_name)
    pattern = re.escape(template)
    pattern = re.sub(r"<[^>]+>", ".*", pattern.replace(r"\<", "<").replace(r"\>", ">"))
    return re.fullmatch(pattern, re.sub(r" -- @\d+\.\d+$", "", name)) is not None


def test_the_corpus_is_complete() -> None:
    features = {path.name for path in FEATURES.glob("*.feature")}
    plans = {path.name for path in PLANS.glob("*.json")}
    assert set(VERDICTS["features"]) == features
    assert all(set(by_plan) == plans for by_plan in VERDICTS["features"].values())
    assert {entry["plan"] for entry in DIFFERENCES["plans"]} <= plans


def test_every_difference_names_a_recorded_scenario_and_a_reason() -> None:
    for (feature, plan, name), entry in _differences().items():
        recorded = {
            s["name"]: s["outcome"] for s in VERDICTS["features"][feature][plan]["scenarios"]
        }
        assert recorded.get(name) == entry["terraform_compliance"], (feature, plan, name)
        assert entry["plangate"] in OUTCOMES
        assert entry["plangate"] != entry["terraform_compliance"]
        assert entry["reason"].strip()


def test_the_verdicts_are_meaningful() -> None:
    """Each feature file passes, fails and skips somewhere: no file is vacuous."""
    for feature, by_plan in VERDICTS["features"].items():
        outcomes = {s["outcome"] for run in by_plan.values() for s in run["scenarios"]}
        assert {"passed", "failed"} <= outcomes, feature


@pytest.mark.parametrize(("feature", "plan"), PAIRS, ids=[f"{f}-{p}" for f, p in PAIRS])
def test_plangate_tc_gives_the_expected_verdicts(feature: str, plan: str) -> None:
    differences = _differences()
    recorded = VERDICTS["features"][feature][plan]["scenarios"]
    run = run_features([FEATURES / feature], PLANS / plan)
    got = list(run.scenarios)
    assert [s.name for s in got] and len(got) == len(recorded), [s.name for s in got]
    wrong = []
    for want, have in zip(recorded, got, strict=True):
        assert _same_scenario(want["name"], have.name), (want["name"], have.name)
        difference = differences.get((feature, plan, want["name"]))
        expected = difference["plangate"] if difference else want["outcome"]
        if have.outcome != expected:
            wrong.append(
                f"{want['name']!r}: expected {expected} (terraform-compliance "
                f"{want['outcome']}), got {have.outcome} at {have.failed_step!r} {have.messages}"
            )
    assert not wrong, "\n".join(wrong)
    assert run.exit_code == (1 if any(s.outcome == "failed" for s in got) else 0)
