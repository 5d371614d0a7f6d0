"""The built-in catalogue becomes pytest items in a repository that only installed plangate.

Each test runs pytest in a subprocess on a project with no policies folder of its own, so the
built-in modules are found in the installed package (`plangate.catalogue/storage.py::...`),
never on the project's disk. In this repository, whose policies folder is the catalogue, the
items keep their on-disk ids.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from plangate.gate import builtin_catalogue
from plangate.policy import REGISTRY, load_catalogue

pytest_plugins = ["pytester"]

REPO = Path(__file__).resolve().parents[1]
PUBLIC_BUCKET = REPO / "infrastructure/plans/scenarios/prod-public-bucket.json"
PUBLIC_GRANT = "module.storage.google_storage_bucket_iam_member.models_public_read"
GCS_005 = "plangate.catalogue/storage.py::PG-GCS-005[plan]"

CLEAN = {
    "format_version": "1.2",
    "resource_changes": [
        {
            "address": "google_storage_bucket.data",
            "mode": "managed",
            "type": "google_storage_bucket",
            "name": "data",
            "provider_name": "hashicorp/google",
            "change": {
                "actions": ["create"],
                "before": None,
                "after": {
                    "name": "acme-data",
                    "location": "EU",
                    "storage_class": "STANDARD",
                    "force_destroy": False,
                    "uniform_bucket_level_access": True,
                    "public_access_prevention": "enforced",
                    "versioning": [{"enabled": True}],
                    "labels": {"project": "acme", "environment": "prod", "managed_by": "terraform"},
                },
            },
        },
        {
            "address": "google_storage_bucket_iam_member.reader",
            "mode": "managed",
            "type": "google_storage_bucket_iam_member",
            "name": "reader",
            "provider_name": "hashicorp/google",
            "change": {
                "actions": ["create"],
                "before": None,
                "after": {
                    "bucket": "acme-data",
                    "role": "roles/storage.objectViewer",
                    "member": "serviceAccount:reader@acme.iam.gserviceaccount.com",
                },
            },
        },
    ],
}

FEATURE = """\
Feature: Buckets stay private
  Scenario: Buckets enforce public access prevention
    Given resources of type "google_storage_bucket"
    Then their "public_access_prevention" is "enforced"

  Scenario: No bucket is granted to the public
    Then policy "PG-GCS-005" passes
"""


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    """A repository with a feature and two plans (a public bucket, a clean one), and no
    policies folder."""
    pytester.makefile(".toml", pyproject='[project]\nname = "infra"\n')
    (pytester.path / "features").mkdir()
    (pytester.path / "features" / "storage.feature").write_text(FEATURE)
    (pytester.path / "plan.json").write_bytes(PUBLIC_BUCKET.read_bytes())
    (pytester.path / "clean.json").write_text(json.dumps(CLEAN))
    return pytester


def outcomes(result: pytest.RunResult) -> dict[str, str]:
    """nodeid -> outcome from `-rA` summary lines (skips are listed by file, so left out)."""
    found = {}
    for line in result.outlines:
        word, _, rest = line.partition(" ")
        if word in ("PASSED", "FAILED", "ERROR"):
            found[rest.split(" - ")[0].strip()] = word
    return found


def collected(result: pytest.RunResult) -> list[str]:
    return [line for line in result.outlines if "::" in line]


def scenarios(plan_id: str) -> set[str]:
    """The ids of the feature's scenarios on one plan."""
    names = ("buckets_enforce_public_access_prevention", "no_bucket_is_granted_to_the_public")
    return {f"features/storage.feature::test_{name}[{plan_id}]" for name in names}


def builtin_items(plan_id: str) -> set[str]:
    """The id every built-in policy's item should have on one plan."""
    load_catalogue([builtin_catalogue()])
    return {
        f"plangate.catalogue/{Path(spec.source.rsplit(':', 1)[0]).name}::{spec.id}[{plan_id}]"
        for spec in REGISTRY
        if Path(spec.source.rsplit(":", 1)[0]).resolve().parent == builtin_catalogue()
    }


def test_every_built_in_policy_is_an_item_named_under_plangate_catalogue(project):
    result = project.runpytest_subprocess("--plan", "plan.json", "--collect-only", "-q")
    assert result.ret == 0, result.stdout.str()
    policies = {item for item in collected(result) if item.startswith("plangate.catalogue/")}
    assert policies == builtin_items("plan")
    assert GCS_005 in policies
    assert set(collected(result)) - policies == scenarios("plan")


def test_a_public_bucket_fails_its_built_in_item_and_the_features(project):
    result = project.runpytest_subprocess("--plan", "plan.json", "-rA")
    assert result.ret == 1
    found = outcomes(result)
    assert found[GCS_005] == "FAILED"
    assert all(found[scenario] == "FAILED" for scenario in scenarios("plan"))
    result.stdout.fnmatch_lines(
        [
            "*_ PG-GCS-005[[]plan[]] _*",
            "PG-GCS-005 Bucket IAM grants nothing to allUsers or allAuthenticatedUsers: "
            "1 violation(s) in plan.json",
            f"  {PUBLIC_GRANT}: member: expected no public principal*",
        ]
    )


def test_a_clean_plan_passes_every_built_in_item_and_the_features(project):
    result = project.runpytest_subprocess("--plan", "clean.json", "-rA")
    assert result.ret == 0, result.stdout.str()
    found = outcomes(result)
    assert set(found.values()) == {"PASSED"}
    assert {GCS_005.replace("[plan]", "[clean]"), *scenarios("clean")} <= set(found)


def test_a_disabled_policy_has_no_item(project):
    (project.path / "pyproject.toml").write_text(
        '[project]\nname = "infra"\n\n[tool.plangate]\ndisable = ["PG-GCS-005"]\n'
    )
    result = project.runpytest_subprocess("--plan", "plan.json", "--collect-only", "-q")
    assert result.ret == 0, result.stdout.str()
    policies = {item for item in collected(result) if item.startswith("plangate.catalogue/")}
    assert policies == builtin_items("plan") - {GCS_005}


def test_keyword_selection_picks_one_built_in_item_and_conftest_hooks_see_it(project):
    project.makeconftest(
        "def pytest_runtest_setup(item):\n    print('set up by conftest:', item.nodeid)\n"
    )
    result = project.runpytest_subprocess("--plan", "plan.json", "-rA", "-s", "-k", "PG-GCS-005")
    assert outcomes(result) == {GCS_005: "FAILED"}
    result.assert_outcomes(failed=1, deselected=len(builtin_items("plan")) + 1)
    result.stdout.fnmatch_lines(["*set up by conftest: plangate.catalogue/storage.py::PG-GCS-005*"])


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        pytest.param(["--plan", "plan.json", "."], True, id="the rootdir"),
        pytest.param(["--plan", "plan.json", "features"], True, id="the features folder"),
        pytest.param(["--plan", "plan.json", "test_other.py"], False, id="a chosen test file"),
        pytest.param(["--ignore", "features"], False, id="nothing to gate"),
        pytest.param(
            ["--plan", "plan.json", "-p", "no:plangate.pytest.builtin"], False, id="switched off"
        ),
    ],
)
def test_built_in_items_only_when_the_session_gates_the_project(project, args, expected):
    project.makepyfile(test_other="def test_other():\n    pass\n")
    result = project.runpytest_subprocess(*args, "--collect-only", "-q")
    assert result.ret == 0, result.stdout.str()
    assert (GCS_005 in collected(result)) is expected


def test_this_repository_keeps_its_policies_on_disk_ids() -> None:
    """Here the catalogue is the project's policies folder: collected once, from disk."""
    for args in (["policies"], ["features", "policies"], ["features"]):
        result = subprocess.run(
            [sys.executable, "-m", "pytest", *args, "--collect-only", "-q", "-p", "no:cacheprovider"],
            cwd=REPO, capture_output=True, text=True, check=False, timeout=300,
        )  # fmt: skip
        items = [line for line in result.stdout.splitlines() if "::" in line]
        assert result.returncode == 0, result.stdout + result.stderr
        assert not [item for item in items if item.startswith("plangate.catalogue")], args
        if "policies" in args:
            assert "policies/storage.py::PG-GCS-001[prod]" in items
            assert len([i for i in items if i.endswith("::PG-GCS-001[prod]")]) == 1
