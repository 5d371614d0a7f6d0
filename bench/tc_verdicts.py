"""terraform-compliance's own verdicts on the corpus, recorded, and plangate tc's beside them.

    .venv/bin/python bench/tc_verdicts.py record     (writes tests/tc/corpus/verdicts.json)
    .venv/bin/python bench/tc_verdicts.py compare    (plangate tc against the expected verdicts)

`record` runs the real terraform-compliance (its virtualenv in bench/out/venvs, installed on
first use as bench/compare_peers.py does) once per corpus feature file and plan, and reads
each scenario's verdict from its `--cucumber-json` report: a scenario with a failed step
failed; one with a skipped step and no failure was skipped (terraform-compliance skips the
rest of a scenario when a Given or When finds nothing, and reports `@warning` scenarios as
skipped); otherwise it passed. Outline rows are one scenario each, in order.

terraform-compliance reads only one-line plan JSON and rewrites the file it is given, so it
never sees a corpus plan: each run gets a compact copy in a temporary directory, and each
feature file its own directory (its `-f` takes a directory). `record` also notes, per plan,
whether terraform-compliance reads the file as it is (a pretty-printed plan is refused).

`compare` runs plangate's `run_features` on the same pairs and prints every scenario whose
outcome differs from the expected one: terraform-compliance's verdict, unless
tests/tc/corpus/differences.json lists a deliberate difference for it. The exit code is 1 when
anything differs. tests/tc/test_corpus.py makes the same comparison without
terraform-compliance installed.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.compare_peers import TERRAFORM_COMPLIANCE, ensure_installed  # noqa: E402

CORPUS = ROOT / "tests" / "tc" / "corpus"
FEATURES = CORPUS / "features"
PLANS = CORPUS / "plans"
VERDICTS = CORPUS / "verdicts.json"
DIFFERENCES = CORPUS / "differences.json"
TIMEOUT_SECONDS = 300.0
PROBE = """Feature: probe
  Scenario: the plan is read
    Given I have any resource defined
    Then it must contain name
"""


def feature_files() -> list[Path]:
    return sorted(FEATURES.glob("*.feature"))


def plan_files() -> list[Path]:
    return sorted(PLANS.glob("*.json"))


def compact_copy(plan: Path, directory: Path) -> Path:
    """The plan as one line of JSON, written into `directory` (the corpus file is untouched)."""
    copy = directory / plan.name
    document = json.loads(plan.read_text("utf-8"))
    copy.write_text(json.dumps(document, separators=(",", ":")), encoding="utf-8")
    return copy


def scenario_outcome(element: dict[str, Any]) -> str:
    statuses = [step.get("result", {}).get("status") for step in element.get("steps", [])]
    if "failed" in statuses:
        return "failed"
    if any(status != "passed" for status in statuses):
        return "skipped"
    return "passed"


def run_tc(command: Path, feature: Path, plan: Path, work: Path) -> tuple[int, list[dict]]:
    """One terraform-compliance run: (exit code, [{name, line, outcome}] in feature order)."""
    features = work / "features"
    shutil.rmtree(features, ignore_errors=True)
    features.mkdir()
    shutil.copy(feature, features / feature.name)
    report = work / "cucumber.json"
    report.unlink(missing_ok=True)
    completed = subprocess.run(
        [
            str(command),
            "-f",
            str(features),
            "-p",
            str(plan),
            "--no-ansi",
            f"--cucumber-json={report}",
        ],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )
    if not report.exists():
        tail = (completed.stdout + completed.stderr).strip().splitlines()[-5:]
        raise SystemExit(f"{feature.name} on {plan.name}: no report\n" + "\n".join(tail))
    scenarios = [
        {"name": element["name"], "line": element.get("line"), "outcome": scenario_outcome(element)}
        for document in json.loads(report.read_text("utf-8"))
        for element in document.get("elements", [])
        if element.get("type") == "scenario"
    ]
    return completed.returncode, scenarios


def reads_as_is(command: Path, plan: Path, work: Path) -> bool:
    """Whether terraform-compliance accepts the plan file exactly as written (on a copy)."""
    probe = work / "probe"
    probe.mkdir(exist_ok=True)
    (probe / "probe.feature").write_text(PROBE, encoding="utf-8")
    copy = work / f"as-is-{plan.name}"
    shutil.copy(plan, copy)
    completed = subprocess.run(
        [str(command), "-f", str(probe), "-p", str(copy), "--no-ansi"],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )
    return "is not a valid JSON file" not in completed.stdout + completed.stderr


def record() -> None:
    version = ensure_installed(TERRAFORM_COMPLIANCE)
    command = TERRAFORM_COMPLIANCE.command
    verdicts: dict[str, dict[str, Any]] = {}
    plans: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="tc-verdicts-") as temporary:
        work = Path(temporary)
        for plan in plan_files():
            document = json.loads(plan.read_text("utf-8"))
            plans[plan.name] = {
                "format_version": document["format_version"],
                "terraform_version": document["terraform_version"],
                "pretty_printed": len(plan.read_text("utf-8").strip().splitlines()) > 1,
                "terraform_compliance_reads_as_is": reads_as_is(command, plan, work),
            }
            compact = compact_copy(plan, work)
            for feature in feature_files():
                exit_code, scenarios = run_tc(command, feature, compact, work)
                verdicts.setdefault(feature.name, {})[plan.name] = {
                    "exit_code": exit_code,
                    "scenarios": scenarios,
                }
                counts = {
                    outcome: sum(s["outcome"] == outcome for s in scenarios)
                    for outcome in ("passed", "failed", "skipped")
                }
                print(f"{feature.name} x {plan.name}: exit {exit_code}, {counts}")
    document = {
        "terraform_compliance": version,
        "how": "bench/tc_verdicts.py record: one run per feature file and plan, "
        "on a one-line copy of the plan; outcomes from --cucumber-json",
        "plans": plans,
        "features": verdicts,
    }
    VERDICTS.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {VERDICTS.relative_to(ROOT)}")


# --------------------------------------------------------------------------- expected


def load_differences() -> dict[tuple[str, str, str], dict[str, str]]:
    """(feature, plan, scenario name) -> {"plangate": outcome, "reason": ...}."""
    document = json.loads(DIFFERENCES.read_text("utf-8"))
    return {
        (entry["feature"], entry["plan"], entry["scenario"]): entry
        for entry in document["scenarios"]
    }


def expected_verdicts() -> Iterator[tuple[str, str, list[dict[str, Any]]]]:
    """(feature, plan, [{name, line, outcome, tc}]): tc's verdicts with the differences applied."""
    recorded = json.loads(VERDICTS.read_text("utf-8"))
    differences = load_differences()
    for feature, by_plan in recorded["features"].items():
        for plan, run in by_plan.items():
            scenarios = []
            for scenario in run["scenarios"]:
                difference = differences.get((feature, plan, scenario["name"]))
                outcome = difference["plangate"] if difference else scenario["outcome"]
                scenarios.append({**scenario, "tc": scenario["outcome"], "outcome": outcome})
            yield feature, plan, scenarios


def compare(paths: Sequence[str]) -> int:
    from plangate.tc import run_features

    mismatches = 0
    for feature, plan, expected in expected_verdicts():
        if paths and feature not in paths:
            continue
        run = run_features([FEATURES / feature], PLANS / plan)
        got = list(run.scenarios)
        if len(got) != len(expected):
            print(f"{feature} x {plan}: {len(got)} scenarios, expected {len(expected)}")
            mismatches += 1
        for want, have in zip(expected, got, strict=False):
            if have.outcome != want["outcome"]:
                mismatches += 1
                print(
                    f"{feature} x {plan}: {want['name']!r} (line {want['line']}): "
                    f"expected {want['outcome']} (tc {want['tc']}), got {have.outcome}"
                    + (f" at {have.failed_step!r}" if have.failed_step else "")
                )
    print(f"{mismatches} mismatch(es)")
    return 1 if mismatches else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("record", help="run terraform-compliance and write verdicts.json")
    comparing = sub.add_parser("compare", help="compare plangate tc with the expected verdicts")
    comparing.add_argument("features", nargs="*", help="feature file names (default: all)")
    arguments = parser.parse_args(argv)
    if arguments.command == "record":
        record()
        return 0
    return compare(arguments.features)


if __name__ == "__main__":
    raise SystemExit(main())
