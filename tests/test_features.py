"""The auditors' feature files in features/, run as the gate runs them, on real plans.

Each run is a pytest subprocess over features/ with a JUnit report, so every scenario's
outcome and failure text can be read back. Three runs serve every test here:

- the repository's own zero-change plans (the configured plans): everything passes, and
  the only skips are scenario-outline rows written for another environment;
- all unsafe and safe scenario plans of infrastructure/plans/scenarios/ at once: each makes
  exactly the scenarios that guard against it fail, each failure starting at the feature
  file and line of the failing step and naming the offending resource address;
- pretty-printed (indent=4) and compact copies of two plans, which must behave exactly as
  the originals (terraform-compliance rejects multi-line plan JSON).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
from pytest_bdd.gherkin_parser import get_gherkin_document

from plangate.requirements import load_requirements
from tests.conformance_runs import NO_INVENTORY

REPO = Path(__file__).resolve().parents[1]
FEATURES = REPO / "features"
PLANS = REPO / "infrastructure" / "plans"
SCENARIO_PLANS = PLANS / "scenarios"
REQUIREMENTS = REPO / "docs" / "requirements.md"

FAMILIES = (
    "change_safety",
    "data_protection",
    "identity_and_access",
    "cost_control",
    "observability",
    "secrets",
    "inventory",
)

DVC = "module.storage.google_storage_bucket.dvc"
DRIFT_LOGS = "module.storage.google_storage_bucket.drift_logs"
MODELS = "module.storage.google_storage_bucket.models"
PUBLIC_READ = "module.storage.google_storage_bucket_iam_member.models_public_read"
FIRESTORE = "module.firestore.google_firestore_database.main"
BUDGET = "module.budget.google_billing_budget.monthly"
OWNER = 'module.iam.google_project_iam_member.roles["ci_deployer_owner"]'


@dataclass(frozen=True)
class Expected:
    """A scenario that must fail: its feature, its name, the step that fails, what it names."""

    feature: str
    scenario: str
    step: str
    addresses: tuple[str, ...]


def zero_change(*addresses: str) -> Expected:
    return Expected(
        "change_safety",
        "The imported stack plans zero changes",
        "Then the plan has no changes",
        addresses,
    )


NO_STATEFUL_DESTROY = ("change_safety", "No resource that holds data is deleted or replaced")
FIRESTORE_BY_ENV = (
    "data_protection",
    "The prediction log is protected as its environment requires",
)

# What each scenario plan must make fail, and nothing else.
UNSAFE: Mapping[str, tuple[Expected, ...]] = {
    "prod-safe-label": (zero_change(DVC),),
    "prod-bucket-delete": (
        zero_change(DVC),
        Expected(*NO_STATEFUL_DESTROY, "And they will not be destroyed", (DVC,)),
    ),
    "prod-firestore-replace": (
        zero_change(FIRESTORE),
        Expected(*NO_STATEFUL_DESTROY, "And they will not be destroyed", (FIRESTORE,)),
        Expected(*FIRESTORE_BY_ENV, 'And its "location_id" is "<location>"', (FIRESTORE,)),
    ),
    "prod-firestore-delete-policy": (
        zero_change(FIRESTORE),
        Expected(
            "data_protection",
            "Removing the database from Terraform leaves its data in place",
            'And its "deletion_policy" is "ABANDON"',
            (FIRESTORE,),
        ),
        Expected(
            *FIRESTORE_BY_ENV,
            'And policies "PG-FS-001", "PG-FS-002", "PG-FS-003" pass',
            (FIRESTORE,),
        ),
    ),
    "prod-force-destroy": (
        zero_change(DRIFT_LOGS),
        Expected(
            "data_protection",
            "No bucket can be deleted while it still holds objects",
            'And their "force_destroy" is false',
            (DRIFT_LOGS,),
        ),
    ),
    "prod-budget-threshold-removed": (
        zero_change(BUDGET),
        Expected(
            "cost_control",
            "The budget warns at 25%, 50%, 90% and 100% of actual spend",
            "And the budget alerts at exactly these thresholds:",
            (BUDGET,),
        ),
    ),
    "prod-owner-granted": (
        zero_change(OWNER),
        Expected(
            "identity_and_access",
            "No basic role is granted on anything",
            'Then their "role" is not one of "roles/owner", "roles/editor" or "roles/viewer"',
            (OWNER,),
        ),
        Expected(
            "identity_and_access",
            "Project roles are exactly the explicit grants to the four service accounts",
            "Then there are exactly <grants>",
            (OWNER,),
        ),
    ),
    "prod-public-bucket": (
        zero_change(MODELS, PUBLIC_READ),
        Expected(
            "data_protection",
            "Every bucket is private and controlled by IAM alone",
            'And their "public_access_prevention" is "enforced"',
            (MODELS,),
        ),
        Expected(
            "identity_and_access",
            "No IAM grant names the public",
            "Then there are no resources",
            (PUBLIC_READ,),
        ),
    ),
}


# ----------------------------------------------------------------------------- running


@dataclass(frozen=True)
class Case:
    """One test of the feature run: a scenario (or outline row) on one plan."""

    feature: str
    test: str
    plan: str
    outcome: str
    text: str


@dataclass(frozen=True, repr=False)
class Run:
    returncode: int
    output: str
    cases: tuple[Case, ...]

    def __repr__(self) -> str:  # assertion messages show the output they need, not all of it
        return f"<feature run: exit {self.returncode}, {len(self.cases)} tests>"

    def failed(self, plan: str) -> dict[tuple[str, str], Case]:
        """The failing tests on one plan, by (feature, test function name)."""
        return {
            (case.feature, case.test): case
            for case in self.cases
            if case.plan == plan and case.outcome == "failed"
        }

    def on(self, plan: str) -> list[Case]:
        return [case for case in self.cases if case.plan == plan]


class FeatureRun:
    """pytest over features/ on these plans (none: the configured ones), as CI would run it.

    The run starts at once in the background; `result()` waits for it and reads its report.
    """

    def __init__(self, folder: Path, plans: list[Path], *extra: str) -> None:
        self.folder, self.plans = folder, plans
        self.report = folder / "features-junit.xml"
        command = [sys.executable, "-m", "pytest", "features", "-q", "-p", "no:cacheprovider"]
        # Steps fail through pytest.fail with their own text, so plain asserts lose nothing
        # and save re-rewriting every module when bytecode is not cached.
        command += ["--assert=plain", "-p", "no:hypothesispytest"]
        command += ["--rootdir", str(REPO), f"--junitxml={self.report}", *extra]
        for plan in plans:
            command += ["--plan", str(plan)]
        env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST_")}
        self.log = folder / "output.txt"
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, text=True
            )
        self._result: Run | None = None

    def result(self) -> Run:
        if self._result is None:
            returncode = self.process.wait(timeout=600)
            output = self.log.read_text()
            assert self.report.is_file(), output
            ids = [plan.stem for plan in self.plans] or [p.stem for p in configured_plans()]
            ids.append("inventory")  # the @conformance feature runs once, on the inventory
            self._result = Run(returncode, output, tuple(_cases(self.report, ids)))
        return self._result

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def _cases(report: Path, plan_ids: list[str]) -> list[Case]:
    cases = []
    for element in ET.parse(report).iter("testcase"):
        classname, name = element.get("classname", ""), element.get("name", "")
        feature = classname.removeprefix("features.").removesuffix(".feature")
        test, _, params = name.partition("[")
        params = params.removesuffix("]")
        plans = [p for p in plan_ids if params == p or params.startswith(p + "-")]
        assert len(plans) == 1, f"cannot tell the plan of {name} among {plan_ids}"
        outcome, text = "passed", ""
        for kind in ("failure", "error", "skipped"):
            found = element.find(kind)
            if found is not None:
                outcome = {"failure": "failed", "error": "error", "skipped": "skipped"}[kind]
                text = (found.get("message") or "") + "\n" + (found.text or "")
                break
        cases.append(Case(feature, test, plans[0], outcome, text))
    return cases


def configured_plans() -> list[Path]:
    return [PLANS / f"{name}.json" for name in ("prod", "staging", "dev")]


def scenario_test_name(scenario: str) -> str:
    """The test function name plangate gives a scenario (see plangate.bdd.collect)."""
    return "test_" + (re.sub(r"\W+", "_", scenario).strip("_").lower() or "scenario")


def step_line(feature: str, scenario: str, step: str) -> int:
    """The line of `step` in the named scenario of features/<feature>.feature."""
    lines = (FEATURES / f"{feature}.feature").read_text().splitlines()
    heading = re.compile(r"\s*Scenario(?: Outline| Template)?:\s*" + re.escape(scenario) + r"\s*$")
    starts = [number for number, line in enumerate(lines) if heading.fullmatch(line)]
    assert len(starts) == 1, f"scenario {scenario!r} not found once in {feature}.feature"
    for number in range(starts[0] + 1, len(lines)):
        text = lines[number].strip()
        if re.match(r"(Scenario|Rule|Feature)\b", text):
            break
        if text == step:
            return number + 1
    raise AssertionError(f"step {step!r} not found in scenario {scenario!r} of {feature}.feature")


def formatted_copies(folder: Path) -> list[Path]:
    """Pretty-printed (indent=4) and compact copies of prod.json and of a pure-delete plan."""
    copies = []
    for source in (PLANS / "prod.json", SCENARIO_PLANS / "prod-bucket-delete.json"):
        document = json.loads(source.read_text())
        pretty = folder / f"{source.stem}-pretty.json"
        pretty.write_text(json.dumps(document, indent=4))
        compact = folder / f"{source.stem}-compact.json"
        compact.write_text(json.dumps(document, separators=(",", ":")))
        assert "\n    " in pretty.read_text() and "\n" not in compact.read_text()
        copies += [pretty, compact]
    return copies


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, FeatureRun]]:
    """The three feature runs, started together so that they overlap."""
    scenario_plans = sorted(SCENARIO_PLANS.glob("*.json"))
    assert {plan.stem for plan in scenario_plans} == set(UNSAFE), "a plan has no expectation"
    formatting = tmp_path_factory.mktemp("formatting")
    started = {
        # -W error: an outline row for an environment no configured plan has would fail.
        "repository": FeatureRun(
            tmp_path_factory.mktemp("repository"), [], "-W", "error::pytest.PytestWarning"
        ),
        "scenarios": FeatureRun(tmp_path_factory.mktemp("scenarios"), scenario_plans),
        "formatting": FeatureRun(formatting, formatted_copies(formatting)),
    }
    yield started
    for run in started.values():
        run.stop()


@pytest.fixture(scope="module")
def repository_run(runs: dict[str, FeatureRun]) -> Run:
    return runs["repository"].result()


@pytest.fixture(scope="module")
def scenario_run(runs: dict[str, FeatureRun]) -> Run:
    return runs["scenarios"].result()


@pytest.fixture(scope="module")
def formatting_run(runs: dict[str, FeatureRun]) -> Run:
    return runs["formatting"].result()


def feature_problems(path: Path, defined: frozenset[str]) -> list[str]:
    """What keeps a feature file from telling an auditor its purpose and risks, which policies
    each scenario exercises and which requirements (of `defined`) it stands for."""
    feature = get_gherkin_document(str(path)).feature
    problems: list[str] = []
    if "Purpose" not in feature.description or "Risk" not in feature.description:
        problems.append(f"{path.name}: no Purpose or Risk in the description")
    traced: set[str] = set()
    scenarios = [child.scenario for child in feature.children if child.scenario is not None]
    if not scenarios:
        problems.append(f"{path.name}: no scenario")
    for scenario in scenarios:
        where = f"{path.name}: {scenario.name}"
        tags = {tag.name.lstrip("@") for tag in scenario.tags}
        policies = {tag for tag in tags if re.fullmatch(r"PG-[A-Z]+-\d{3}", tag)}
        requirements = {tag for tag in tags if re.fullmatch(r"REQ-\d{3}", tag)}
        traced |= requirements
        if not policies and "no-catalogue-policy" not in tags:
            problems.append(f"{where}: no policy tag")
        if not requirements:
            problems.append(f"{where}: no @REQ-NNN tag")
        problems.extend(
            f"{where}: @{requirement} is not defined in docs/requirements.md"
            for requirement in sorted(requirements - defined)
        )
        cited = set(re.findall(r"\bRequirement (REQ-\d{3})\b", scenario.description))
        if cited != requirements:
            problems.append(
                f"{where}: its description cites {sorted(cited)}, its tags {sorted(requirements)}"
            )
        called = {
            policy_id
            for step in scenario.steps
            for policy_id in re.findall(r'"(PG-[A-Z]+-\d{3})"', step.text)
        }
        if not called <= policies:
            problems.append(f"{where}: policy steps {sorted(called - policies)} not tagged")
    paragraph = re.search(
        r"^\s*Requirements:(.*?)(?:\n\s*\n|\Z)", feature.description, re.MULTILINE | re.DOTALL
    )
    if paragraph is None:
        problems.append(f"{path.name}: no 'Requirements:' paragraph in the description")
    elif (listed := set(re.findall(r"REQ-\d{3}", paragraph.group(1)))) != traced:
        problems.append(
            f"{path.name}: 'Requirements:' lists {sorted(listed)}, "
            f"its scenarios are tagged {sorted(traced)}"
        )
    return problems


# ------------------------------------------------------------------------------- tests


def test_one_feature_file_per_control_family() -> None:
    assert sorted(path.stem for path in FEATURES.glob("*.feature")) == sorted(FAMILIES)


def test_every_scenario_is_tagged_and_cites_its_requirements() -> None:
    """Auditors read the features: each states its purpose, risk and requirements; each
    scenario names its policies (or says it has none) and the requirements it stands for."""
    defined = frozenset(requirement.id for requirement in load_requirements(REQUIREMENTS))
    problems = [
        problem
        for family in FAMILIES
        for problem in feature_problems(FEATURES / f"{family}.feature", defined)
    ]
    assert not problems, "\n".join(problems)


SAMPLE_FEATURE = """Feature: Sample
  Purpose: show the rules.
  Risk: none.

  Requirements: REQ-001

  @PG-GCS-001 @REQ-001
  Scenario: Buckets are checked
    Requirement REQ-001: "a quote".
    Given resources of type "google_storage_bucket"
    Then policy "PG-GCS-001" passes
"""


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("  Purpose: show the rules.\n", "", "no Purpose or Risk"),
        ("@PG-GCS-001 @REQ-001", "@REQ-001", "no policy tag"),
        ("@PG-GCS-001 @REQ-001", "@PG-GCS-001", "no @REQ-NNN tag"),
        ("@REQ-001", "@REQ-999", "@REQ-999 is not defined in docs/requirements.md"),
        ("Requirement REQ-001:", "Cited:", "its description cites [], its tags ['REQ-001']"),
        ("Requirements: REQ-001", "Requirements: REQ-001, REQ-002", "lists ['REQ-001', 'REQ-002']"),
        ("  Requirements: REQ-001\n", "", "no 'Requirements:' paragraph"),
        ('"PG-GCS-001" passes', '"PG-GCS-002" passes', "policy steps ['PG-GCS-002'] not tagged"),
    ],
)
def test_each_feature_rule_catches_its_breach(
    tmp_path: Path, old: str, new: str, problem: str
) -> None:
    path = tmp_path / "sample.feature"
    defined = frozenset({"REQ-001", "REQ-002"})
    path.write_text(SAMPLE_FEATURE)
    assert feature_problems(path, defined) == []
    assert old in SAMPLE_FEATURE
    path.write_text(SAMPLE_FEATURE.replace(old, new))
    found = feature_problems(path, defined)
    assert any(problem in line for line in found), found


def test_repository_plans_pass_every_feature(repository_run: Run) -> None:
    run = repository_run
    assert run.returncode == 0, run.output
    assert not [case for case in run.cases if case.outcome in ("failed", "error")], run.output
    features = {case.feature for case in run.cases}
    assert features == set(FAMILIES), features
    for plan in ("prod", "staging", "dev"):
        passed = [case for case in run.on(plan) if case.outcome == "passed"]
        assert len(passed) >= 20, f"{plan}: only {len(passed)} scenarios passed"
    skipped = [case for case in run.cases if case.outcome == "skipped"]
    for case in skipped:  # only outline rows for another environment may skip, and the
        # inventory's scenarios: these runs give no inventory (tests/bdd/test_inventory_steps.py)
        reason = NO_INVENTORY if case.plan == "inventory" else "scenario is for the"
        assert reason in case.text, case


@pytest.mark.parametrize("plan", sorted(UNSAFE))
def test_scenario_plan_fails_exactly_its_controls(scenario_run: Run, plan: str) -> None:
    failed = scenario_run.failed(plan)
    expected = {(e.feature, scenario_test_name(e.scenario)): e for e in UNSAFE[plan]}
    assert set(failed) == set(expected), (
        f"{plan}: failing scenarios {sorted(failed)}, expected {sorted(expected)}"
    )
    for key, wanted in expected.items():
        text = failed[key].text
        line = step_line(wanted.feature, wanted.scenario, wanted.step)
        assert f"features/{wanted.feature}.feature:{line}: " in text, text
        assert f"plan: infrastructure/plans/scenarios/{plan}.json" in text, text
        for address in wanted.addresses:
            assert address in text, f"{address} not named:\n{text}"
    errors = [case for case in scenario_run.on(plan) if case.outcome == "error"]
    assert not errors, errors


def test_pure_delete_is_caught(scenario_run: Run) -> None:
    """A removed block deletes the bucket; the planned end state no longer shows it at all."""
    document = json.loads((SCENARIO_PLANS / "prod-bucket-delete.json").read_text())
    planned = json.dumps(document["planned_values"])
    assert f'"{DVC}"' not in planned  # invisible to checks of the planned end state
    case = scenario_run.failed("prod-bucket-delete")[
        ("change_safety", scenario_test_name(NO_STATEFUL_DESTROY[1]))
    ]
    assert f"{DVC}: expected not destroyed, actual delete" in case.text, case.text


def test_pretty_printed_and_compact_plans_behave_alike(formatting_run: Run) -> None:
    run = formatting_run
    for style in ("pretty", "compact"):
        prod = run.on(f"prod-{style}")
        assert prod, run.output
        assert all(case.outcome in ("passed", "skipped") for case in prod), run.output
        assert sum(case.outcome == "passed" for case in prod) >= 20
        failed = run.failed(f"prod-bucket-delete-{style}")
        assert set(failed) == {
            ("change_safety", scenario_test_name("The imported stack plans zero changes")),
            ("change_safety", scenario_test_name(NO_STATEFUL_DESTROY[1])),
        }, run.output
        for case in failed.values():
            assert DVC in case.text, case.text
    assert not any(case.outcome == "error" for case in run.cases), run.output
