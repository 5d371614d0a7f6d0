"""The pytest front end: catalogue policies become one item per (policy, plan).

Each test builds a small project (pyproject.toml, two policy modules, a waivers file and two
plans) and runs pytest on it in a subprocess, so the policies it registers never leak into
this session's registry.
"""

from __future__ import annotations

import json
import re
import textwrap
import xml.etree.ElementTree as ET
from typing import Any

import pytest

pytest_plugins = ["pytester"]

PYPROJECT = """\
[project]
name = "gate-under-test"

[tool.pytest.ini_options]
# only this project's own items: tests/test_pytest_builtin.py covers the built-in ones
addopts = "-p no:cacheprovider -p no:plangate.pytest.builtin"

[tool.plangate]
plans = ["plans/prod.json", "plans/dev.json"]
policies = ["policies"]
waivers = "policies/waivers.yaml"
"""

STORAGE = '''\
"""Storage policies of the test project."""

from plangate.policy import expect_equal, expect_present, policy


@policy(
    id="PG-TST-001",
    title="Buckets are not public",
    severity="critical",
    rationale="A public bucket serves its objects to anyone.",
    resource_types=["google_storage_bucket"],
)
def not_public(resource, context):
    yield from expect_equal(resource, "public", False, why="public buckets leak data")


@policy(
    id="PG-TST-002",
    title="Buckets have an owner label",
    severity="low",
    rationale="Someone must answer for every bucket.",
    resource_types=["google_storage_bucket"],
)
def owner_label(resource, context):
    yield from expect_present(resource, "labels.owner")
'''

CHANGES = '''\
"""Identity and change policies of the test project."""

from plangate.policy import NotApplicable, policy, setting, violation

EXPECT_NO_CHANGES = setting("expect_no_changes", False, "Zero-change mode.")


@policy(
    id="PG-TST-003",
    title="Nobody is granted the owner role",
    severity="high",
    rationale="Owner can do anything.",
    resource_types=["google_project_iam_member"],
)
def no_owner(resource, context):
    if resource.get("role") == "roles/owner":
        yield violation("role", "not roles/owner", "roles/owner")


@policy(
    id="PG-TST-004",
    title="Zero-change mode: the plan changes nothing",
    severity="medium",
    rationale="After an import the plan must be empty.",
    view="plan",
)
def no_changes(plan, context):
    if context.setting(EXPECT_NO_CHANGES) is not True:
        raise NotApplicable
    for change in plan.changes:
        yield violation("actions", "no change", str(change.actions), address=change.address)
'''

JUSTIFICATION = "CI needs the owner role in the sandbox project until the migration ends."

WAIVERS = f"""\
waivers:
  - policy: PG-TST-003
    address: google_project_iam_member.*
    environments: [dev]
    justification: {JUSTIFICATION}
    approver: alice@example.com
    expires: 2999-12-31
  - policy: PG-TST-002
    address: google_storage_bucket.nothing
    justification: Kept to prove that an unused waiver is reported.
    approver: bob@example.com
    expires: 2999-12-31
"""


def resource(address: str, after: dict[str, Any]) -> dict[str, Any]:
    resource_type, name = address.split(".")
    return {
        "address": address,
        "mode": "managed",
        "type": resource_type,
        "name": name,
        "provider_name": "google",
        "change": {
            "actions": ["create"],
            "before": None,
            "after": after,
            "after_unknown": {},
            "before_sensitive": {},
            "after_sensitive": {},
        },
    }


def plan(environment: str, *changes: dict[str, Any]) -> str:
    return json.dumps(
        {
            "format_version": "1.2",
            "terraform_version": "1.9.8",
            "variables": {"environment": {"value": environment}},
            "resource_changes": list(changes),
        }
    )


PROD = plan(
    "prod",
    resource("google_storage_bucket.public_a", {"public": True, "labels": {"owner": "a"}}),
    resource("google_storage_bucket.public_b", {"public": True, "labels": {"owner": "b"}}),
    resource("google_storage_bucket.private", {"public": False, "labels": {"owner": "c"}}),
)
DEV = plan(
    "dev",
    resource("google_storage_bucket.scratch", {"public": False, "labels": {"owner": "d"}}),
    resource("google_project_iam_member.ci", {"role": "roles/owner", "member": "sa:ci"}),
)

ITEMS = [
    f"policies/{module}.py::{policy_id}[{plan}]"
    for module, ids in (
        ("changes", ("PG-TST-003", "PG-TST-004")),
        ("storage", ("PG-TST-001", "PG-TST-002")),
    )
    for policy_id in ids
    for plan in ("prod", "dev")
]
WAIVER_ITEMS = [
    "policies/waivers.yaml::PG-TST-003[google_project_iam_member.*]",
    "policies/waivers.yaml::PG-TST-002[google_storage_bucket.nothing]",
]


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makefile(".toml", pyproject=PYPROJECT)
    policies = pytester.mkdir("policies")
    (policies / "storage.py").write_text(STORAGE)
    (policies / "changes.py").write_text(CHANGES)
    (policies / "waivers.yaml").write_text(WAIVERS)
    plans = pytester.mkdir("plans")
    (plans / "prod.json").write_text(PROD)
    (plans / "dev.json").write_text(DEV)
    return pytester


def run(project: pytest.Pytester, *args: str) -> pytest.RunResult:
    return project.runpytest_subprocess(*args)


def outcomes(result: pytest.RunResult) -> dict[str, str]:
    """nodeid -> outcome from `-rA` short summary lines (PASSED/FAILED/SKIPPED nodeid ...)."""
    found = {}
    for line in result.outlines:
        for word in ("PASSED", "FAILED", "SKIPPED", "ERROR"):
            if line.startswith(word + " "):
                rest = line[len(word) + 1 :]
                if word == "SKIPPED":  # SKIPPED [1] path:line: reason
                    continue
                found[rest.split(" - ")[0].strip()] = word
    return found


# --- collection -------------------------------------------------------------------------------


def test_one_item_per_policy_and_plan_named_by_policy_id_and_plan(project):
    result = run(project, "--collect-only", "-q")
    assert result.ret == 0, result.stdout.str()
    collected = [line for line in result.outlines if "::" in line]
    assert sorted(collected) == sorted(ITEMS + WAIVER_ITEMS)


# --- one full run, read several ways ----------------------------------------------------------


_FULL_RUN: dict[str, tuple[pytest.RunResult, str]] = {}


@pytest.fixture
def full_run(request: pytest.FixtureRequest) -> pytest.RunResult:
    """Every item on both plans, with every report section and a JUnit XML file.

    The run is made once and read by several tests (a subprocess run takes seconds).
    """
    if "run" not in _FULL_RUN:
        project: pytest.Pytester = request.getfixturevalue("project")
        result = run(project, "-rA", "--junitxml=report.xml")
        _FULL_RUN["run"] = (result, (project.path / "report.xml").read_text("utf-8"))
    return _FULL_RUN["run"][0]


@pytest.fixture
def junit_xml(full_run: pytest.RunResult) -> ET.Element:
    return ET.fromstring(_FULL_RUN["run"][1])


def test_policy_items_are_judged_and_reported_per_plan(full_run):
    assert full_run.ret == 1
    assert outcomes(full_run) == {
        "policies/storage.py::PG-TST-001[prod]": "FAILED",
        "policies/storage.py::PG-TST-001[dev]": "PASSED",
        "policies/storage.py::PG-TST-002[prod]": "PASSED",
        "policies/storage.py::PG-TST-002[dev]": "PASSED",
        "policies/changes.py::PG-TST-003[dev]": "PASSED",
        **{item: "PASSED" for item in WAIVER_ITEMS},
    }
    # PG-TST-003 has nothing to judge in prod; PG-TST-004 is off without --expect-no-changes
    full_run.assert_outcomes(passed=6, failed=1, skipped=3, warnings=1)
    full_run.stdout.fnmatch_lines(
        ["SKIPPED * not applicable to *prod.json: the plan has no google_project_iam_member"]
    )


def test_a_failure_lists_every_violating_resource_with_expected_and_actual(full_run):
    full_run.stdout.fnmatch_lines(
        [
            "*_ PG-TST-001[[]prod[]] _*",
            "PG-TST-001 Buckets are not public: 2 violation(s) in *prod.json",
            "  google_storage_bucket.public_a: public: expected false, got true"
            " (public buckets leak data)",
            "  google_storage_bucket.public_b: public: expected false, got true"
            " (public buckets leak data)",
        ]
    )
    output = full_run.stdout.str()
    assert "google_storage_bucket.private:" not in output
    assert "Traceback" not in output


def test_a_waived_finding_passes_and_shows_the_justification(full_run):
    full_run.stdout.fnmatch_lines(
        [
            "*_ PG-TST-003[[]dev[]] _*",
            "*Captured waived call*",
            'google_project_iam_member.ci: role: expected not roles/owner, got "roles/owner"',
            f"  waived: {JUSTIFICATION} (approved by alice@example.com, expires 2999-12-31)",
        ]
    )


def test_an_unused_waiver_warns(full_run):
    full_run.stdout.fnmatch_lines(
        [
            "*warnings summary*",
            "policies/waivers.yaml::PG-TST-002[[]google_storage_bucket.nothing[]]",
            "*PytestWarning: unused waiver: PG-TST-002 for google_storage_bucket.nothing*",
        ]
    )


def test_junit_xml_has_the_testcases_and_the_failure_message(junit_xml):
    cases = {case.get("name"): case for case in junit_xml.iter("testcase")}
    assert {item.split("::")[1] for item in ITEMS + WAIVER_ITEMS} == set(cases)
    failure = cases["PG-TST-001[prod]"].find("failure")
    assert failure is not None
    for text in (failure.get("message") or "", failure.text or ""):
        assert "google_storage_bucket.public_a: public: expected false, got true" in text
        assert "google_storage_bucket.public_b: public: expected false, got true" in text
    assert cases["PG-TST-001[dev]"].find("failure") is None
    assert cases["PG-TST-003[prod]"].find("skipped") is not None
    properties = {
        prop.get("name"): prop.get("value") for prop in cases["PG-TST-001[prod]"].iter("property")
    }
    assert properties == {"policy": "PG-TST-001", "severity": "critical", "status": "fail"}


# --- options ----------------------------------------------------------------------------------


def test_severity_markers_select_items(project):
    result = run(project, "-m", "critical", "-rA")
    assert outcomes(result) == {
        "policies/storage.py::PG-TST-001[prod]": "FAILED",
        "policies/storage.py::PG-TST-001[dev]": "PASSED",
    }
    result.assert_outcomes(passed=1, failed=1, deselected=8)


def test_plan_option_overrides_the_configured_plans(project):
    project.makepyfile(
        test_plans=textwrap.dedent(
            """
            def test_the_plan(plan, loaded_plan):
                assert loaded_plan.plan is plan
                assert plan.variables["environment"] == "dev"
            """
        )
    )
    result = run(project, "--plan", "plans/dev.json", "-rA")
    assert result.ret == 0
    assert outcomes(result) == {
        "policies/storage.py::PG-TST-001[dev]": "PASSED",
        "policies/storage.py::PG-TST-002[dev]": "PASSED",
        "policies/changes.py::PG-TST-003[dev]": "PASSED",
        "test_plans.py::test_the_plan[dev]": "PASSED",
        **{item: "PASSED" for item in WAIVER_ITEMS},
    }
    assert "[prod]" not in result.stdout.str()


def test_expect_no_changes_option(project):
    result = run(project, "--expect-no-changes", "-k", "PG-TST-004")
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(
        [
            "PG-TST-004 Zero-change mode: the plan changes nothing: 3 violation(s) in *prod.json",
            "  google_storage_bucket.public_a: actions: expected no change, got *create*",
            "  google_storage_bucket.public_b: actions: expected no change, got *create*",
            "  google_storage_bucket.private: actions: expected no change, got *create*",
            "PG-TST-004 Zero-change mode: the plan changes nothing: 2 violation(s) in *dev.json",
        ]
    )


def test_an_expired_waiver_fails_its_item(project):
    waivers = project.path / "policies" / "waivers.yaml"
    waivers.write_text(WAIVERS.replace("2999-12-31", "2001-01-01", 1))
    result = run(project, "-rA", "-k", "waivers.yaml or PG-TST-003")
    failed = {item for item, outcome in outcomes(result).items() if outcome == "FAILED"}
    # the expired waiver no longer waives, and its own item fails
    assert failed == {
        "policies/waivers.yaml::PG-TST-003[google_project_iam_member.*]",
        "policies/changes.py::PG-TST-003[dev]",
    }
    result.stdout.fnmatch_lines(
        ["waiver expired: PG-TST-003 for google_project_iam_member.* (approved by *2001-01-01)*"]
    )
    assert result.ret == 1


# --- bad input --------------------------------------------------------------------------------


def test_an_unreadable_plan_stops_the_run_with_one_line(project):
    """Bad input is a usage error before any item runs: one line, no traceback, nothing passes."""
    (project.path / "plans" / "broken.json").write_text('{"format_version": "1.2", ')
    result = run(project, "--plan", "plans/broken.json", "policies/storage.py")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.assert_outcomes()  # nothing ran, so nothing passed
    errors = [line for line in result.errlines if line.strip()]
    assert errors == [
        "ERROR: plans/broken.json: the JSON ends early at line 1 column 27 (truncated?); "
        "expected a complete plan document"
    ]
    assert "Traceback" not in result.stdout.str() + result.stderr.str()


def test_xdist_workers_give_the_same_outcomes_as_one_process(project, full_run):
    """`pytest -n 2`: every item judged as in a serial run (each worker loads what it needs)."""
    result = run(project, "-rA", "-n", "2")
    assert result.ret == full_run.ret
    assert outcomes(result) == outcomes(full_run)


def test_xdist_sends_every_item_of_a_plan_to_one_worker(project):
    """A plan judged on two workers would be loaded and judged twice: plangate's scheduler
    keeps each plan's items together, under plain `-n` (xdist's `load`) as under loadgroup."""
    for dist in ("load", "loadgroup"):
        result = run(project, "-v", "-n", "2", "--dist", dist)
        workers: dict[str, set[str]] = {}
        for line in result.outlines:
            found = re.match(r"\[(gw\d+)\] \[ *\d+%\] \w+ \S+\[(prod|dev)\]", line)
            if found:
                workers.setdefault(found.group(2), set()).add(found.group(1))
        assert set(workers) == {"prod", "dev"}, result.stdout.str()
        assert all(len(used) == 1 for used in workers.values()), (dist, workers)
        assert workers["prod"] != workers["dev"], (dist, workers)  # both workers had work


def test_an_unreadable_plan_stops_an_xdist_run_with_one_line(project):
    (project.path / "plans" / "broken.json").write_text('{"format_version": "1.2", ')
    result = run(project, "-n", "2", "--plan", "plans/broken.json", "policies/storage.py")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    output = result.stdout.str() + result.stderr.str()
    assert "plans/broken.json: the JSON ends early at line 1 column 27 (truncated?)" in output
    assert "Traceback" not in output


def test_a_broken_waivers_file_is_a_collection_error_naming_it(project):
    (project.path / "policies" / "waivers.yaml").write_text("waivers:\n  - policy: nope\n")
    result = run(project)
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(["*waivers.yaml: invalid waiver at /waivers/0*"])


def test_no_plans_and_a_test_that_needs_a_plan_is_a_usage_error(pytester):
    pytester.makefile(".toml", pyproject='[tool.plangate]\npolicies = ["policies"]\n')
    pytester.mkdir("policies")
    pytester.makepyfile(test_uses_plan="def test_something(plan):\n    assert plan\n")
    result = pytester.runpytest_subprocess()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert result.stderr.lines[0] == (
        "ERROR: test_uses_plan.py::test_something needs a plan: "
        "pass --plan PATH or set plans in [tool.plangate]"
    )
    assert "Traceback" not in result.stdout.str() + result.stderr.str()


def test_a_plan_pattern_matching_nothing_is_a_usage_error(project):
    pyproject = project.path / "pyproject.toml"
    pyproject.write_text(PYPROJECT.replace("plans/dev.json", "plans/qa-*.json"))
    result = run(project)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert result.stderr.lines[0].startswith(
        "ERROR: plan pattern 'plans/qa-*.json' matches no file"
    )
