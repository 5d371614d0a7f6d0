"""`Then policy "PG-..." passes`: the catalogue policy, run by the engine on the current plan.

These runs use a subprocess: a policy registers in the process-wide registry, and a test
catalogue must not leak into the rest of the suite.
"""

from __future__ import annotations

import textwrap

import pytest

from tests.bdd.conftest import Project, buckets
from tests.fixtures.builder import PlanBuilder

pytest_plugins = ["pytester"]

CATALOGUE = """
from plangate.policy import expect_equal, policy


@policy(
    id="PG-BDDT-001",
    title="Buckets are not force-destroyable",
    severity="high",
    rationale="force_destroy deletes every object with the bucket.",
    resource_types=["google_storage_bucket"],
)
def no_force_destroy(resource, context):
    yield from expect_equal(resource, "force_destroy", False)


@policy(
    id="PG-BDDT-002",
    title="Instances use secure boot",
    severity="medium",
    rationale="Secure boot keeps unsigned kernels out.",
    resource_types=["google_compute_instance"],
)
def secure_boot(resource, context):
    yield from expect_equal(resource, "shielded_instance_config[0].enable_secure_boot", True)
"""

FEATURE = """
    Feature: Catalogue
      Scenario: Force destroy
        Then policy "PG-BDDT-001" passes

      Scenario: Secure boot
        Then policy "PG-BDDT-002" passes

      Scenario: Typo
        Then policy "PG-BDDT-999" passes
"""


@pytest.fixture
def catalogue(project: Project) -> Project:
    (project.root / "policies").mkdir()
    (project.root / "policies" / "bddt_catalogue.py").write_text(CATALOGUE)
    project.feature(FEATURE)
    return project


def test_policy_by_id_fails_with_its_findings(catalogue: Project) -> None:
    catalogue.plan("prod", buckets())
    result = catalogue.run_subprocess("features", "-rs")
    result.assert_outcomes(failed=2, skipped=1)
    result.stdout.fnmatch_lines_random(
        [
            'features/controls.feature:3: Then policy "PG-BDDT-001" passes',
            "  1 violation(s) of PG-BDDT-001:",
            "    PG-BDDT-001 google_storage_bucket.scratch: force_destroy: expected false, got true",
            "  no policy PG-BDDT-999 in the catalogue (known: *PG-BDDT-001, PG-BDDT-002*)*",
            'SKIPPED*features/controls.feature:5: line 6, Then policy "PG-BDDT-002" passes: not applicable to '
            "this plan: PG-BDDT-002 (nothing of google_compute_instance)",
        ]
    )


def test_policy_by_id_passes_and_shows_waivers(catalogue: Project) -> None:
    catalogue.plan("prod", buckets())
    (catalogue.root / "policies" / "waivers.yaml").write_text(
        textwrap.dedent(
            """
            waivers:
              - policy: PG-BDDT-001
                address: google_storage_bucket.scratch
                justification: scratch data is rebuilt nightly from the source
                approver: data-platform-lead
                expires: "2999-01-01"
            """
        )
    )
    result = catalogue.run_subprocess("features", "-k", "force_destroy", "-rP")
    result.assert_outcomes(passed=1, deselected=2)
    result.stdout.fnmatch_lines(
        [
            "*PG-BDDT-001 google_storage_bucket.scratch: force_destroy*waived: scratch data is rebuilt*"
        ]
    )


def test_a_missing_catalogue_fails_the_step_clearly(project: Project) -> None:
    project.settings('policies = ["policies"]')  # configured, but the folder is not there
    project.plan("prod", PlanBuilder())
    project.feature(FEATURE)
    result = project.run("features")  # fails before importing anything: safe in-process
    result.assert_outcomes(failed=3)
    result.stdout.fnmatch_lines(
        ["  the policy engine could not run: *policies: policy directory not found*"]
    )
