"""The inventory steps and features/inventory.feature, run as auditors' controls.

The repository's feature runs on the bundled export of prod (seven planted drifts), on the same
export without them, on an export without IAM policies, and with no inventory at all. Edge
cases of the vocabulary run in a throwaway project whose feature uses the repository's
catalogue and prod plan.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator

import pytest

from tests.conformance_runs import (
    EXPORT,
    NO_INVENTORY,
    PLAN,
    REPO,
    InnerRun,
    Session,
    clean_export,
    run,
    without_iam,
)

FEATURE = REPO / "features" / "inventory.feature"
PROJECT = "//cloudresourcemanager.googleapis.com/projects/ct-scan-mlops-prod"
ADHOC = "//storage.googleapis.com/ct-scan-mlops-prod-adhoc-exports"
NOTEBOOK = "//iam.googleapis.com/projects/ct-scan-mlops-prod/serviceAccounts/108355720917463258014"
SECRET = "module.secret_manager.google_secret_manager_secret.alert_webhook"

# scenario -> (failing step, the start of every offender line it lists, in order)
PLANTED: dict[str, tuple[str, tuple[str, ...]]] = {
    "Every resource in Terraform's state exists in the project": (
        "Then every resource in Terraform's state exists in the project",
        (f"{SECRET}: expected the secretmanager.googleapis.com/Secret asset",),
    ),
    "No managed resource has been changed outside Terraform": (
        "Then no managed resource has drifted",
        (
            "module.budget.google_pubsub_topic.budget_alerts: effective_labels: expected",
            "module.monitoring.google_monitoring_alert_policy.api_error_rate: enabled: expected "
            "true (as Terraform recorded), actual false",
            "module.storage.google_storage_bucket.dvc: versioning[0].enabled: expected true (as "
            "Terraform recorded), actual false",
        ),
    ),
    "Every bucket in the project is managed by Terraform": (
        'Then every live resource of type "google_storage_bucket" is managed by Terraform',
        (f"{ADHOC}: expected a google_storage_bucket in Terraform's state",),
    ),
    "Nothing of the stack's kinds runs outside Terraform": (
        "Then every live resource is managed by Terraform",
        (
            f"{NOTEBOOK} (ct-scan-notebook@ct-scan-mlops-prod.iam.gserviceaccount.com): expected "
            "a google_service_account",
            f"{ADHOC}: expected a google_storage_bucket",
        ),
    ),
    "Terraform describes the whole project": (
        "Then the inventory covers at least 95% of the resources",
        (f"{NOTEBOOK}: unmanaged", f"{ADHOC}: unmanaged", f"{SECRET}: missing"),
    ),
    "No IAM grant in force gives a basic role": (
        "Then no live binding grants a basic role",
        (f"{PROJECT}: roles/editor to user:data-scientist@example.com (not declared",),
    ),
    "Nothing in the project is open to the public": (
        "Then no live binding grants a public principal",
        (f"{ADHOC}: roles/storage.objectViewer to allUsers (not declared",),
    ),
    "Every IAM grant in force is declared in Terraform": (
        "Then no IAM grant is in force that Terraform does not declare",
        (
            f"{PROJECT}: roles/editor to user:data-scientist@example.com: granted outside",
            f"{ADHOC}: roles/storage.objectViewer to allUsers: granted outside",
        ),
    ),
    "Every IAM grant Terraform declares is in force": (
        "Then every IAM grant Terraform declares is in force",
        (
            "module.secret_manager.google_secret_manager_secret_iam_member.alert_webhook_drift_"
            "monitor: expected roles/secretmanager.secretAccessor to serviceAccount:ct-scan-drift-"
            "monitor@",
        ),
    ),
}


def scenario_test(scenario: str) -> str:
    """The test plangate makes of a scenario of an inventory feature."""
    return "test_" + re.sub(r"\W+", "_", scenario).strip("_").lower() + "[inventory]"


def step_line(scenario: str, step: str) -> int:
    lines = FEATURE.read_text().splitlines()
    start = lines.index(f"  Scenario: {scenario}")
    return next(n + 1 for n in range(start, len(lines)) if lines[n].strip() == step)


def offenders(text: str) -> list[str]:
    return [line[4:] for line in text.splitlines() if line.startswith("    ")]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, InnerRun]]:
    folder = tmp_path_factory.mktemp("inventory-feature")
    started = {
        "planted": InnerRun(folder / "planted", str(FEATURE), f"--cai-export={EXPORT}"),
        "clean": InnerRun(folder / "clean", str(FEATURE), f"--cai-export={clean_export(folder)}"),
        "no-iam": InnerRun(folder / "no-iam", str(FEATURE), f"--cai-export={without_iam(folder)}"),
        "none": InnerRun(folder / "none", str(FEATURE)),
    }
    yield started
    for inner in started.values():
        inner.stop()


def test_every_scenario_runs_once_on_the_inventory(runs: dict[str, InnerRun]) -> None:
    run = runs["planted"].result()
    assert {case.name for case in run.cases} == {scenario_test(s) for s in PLANTED}, run.output


@pytest.mark.parametrize("scenario", sorted(PLANTED))
def test_the_planted_drift_fails_the_scenario_naming_each_asset(
    runs: dict[str, InnerRun], scenario: str
) -> None:
    run = runs["planted"].result()
    case = run.named()[scenario_test(scenario)]
    assert case.outcome == "failed", run.output
    step, expected = PLANTED[scenario]
    assert case.text.startswith(f"features/inventory.feature:{step_line(scenario, step)}: {step}")
    judged = (
        f"inventory: Cloud Asset Inventory export {EXPORT}, against infrastructure/plans/prod.json"
    )
    assert f"\n  {judged}\n" in case.text, case.text
    listed = offenders(case.text)
    assert len(listed) == len(expected), case.text
    for line, start in zip(listed, expected, strict=True):
        assert line.startswith(start), f"{line!r} does not start with {start!r}"


def test_the_coverage_failure_gives_the_share(runs: dict[str, InnerRun]) -> None:
    coverage = scenario_test("Terraform describes the whole project")
    text = runs["planted"].result().named()[coverage].text
    assert "expected at least 95.0%, actual 88.5%: 23 of 26 resources match Terraform" in text


def test_the_clean_export_passes_every_scenario(runs: dict[str, InnerRun]) -> None:
    clean = runs["clean"].result()
    assert set(clean.outcomes().values()) == {"passed"}, clean.output
    assert len(clean.cases) == len(PLANTED) and clean.returncode == 0
    # what the inventory cannot list is reported beside the pass, never as found
    assert "module.budget.google_billing_budget.monthly: budgets belong to a billing" in (
        clean.output
    )


def test_without_an_inventory_every_scenario_is_skipped_with_the_reason(
    runs: dict[str, InnerRun],
) -> None:
    none = runs["none"].result()
    assert len(none.cases) == len(PLANTED), none.output
    for case in none.cases:
        assert case.outcome == "skipped", case
        assert NO_INVENTORY in case.text, case
    assert "features/inventory.feature" in none.output and "Given the live inventory" in none.output


def test_an_inventory_without_iam_errors_every_scenario(runs: dict[str, InnerRun]) -> None:
    session = runs["no-iam"].result()
    assert len(session.cases) == len(PLANTED), session.output
    for case in session.cases:
        assert case.outcome == "error", case
        assert "the inventory has no IAM_POLICY records" in case.text
    assert session.returncode == 1


# ------------------------------------------------------------------- the vocabulary's edges

PYPROJECT = f"""\
[tool.pytest.ini_options]
addopts = "--strict-markers"

[tool.plangate]
plans = ["{PLAN}"]
policies = ["{REPO / "policies"}"]
waivers = "{REPO / "policies" / "waivers.yaml"}"
features = "features"
"""


@pytest.fixture(scope="module")
def edges(tmp_path_factory: pytest.TempPathFactory) -> Session:
    """One feature of edge cases on the planted export, in a project of its own."""
    project = tmp_path_factory.mktemp("edges")
    (project / "pyproject.toml").write_text(PYPROJECT)
    (project / "features").mkdir()
    (project / "features" / "edges.feature").write_text(
        textwrap.dedent(
            """\
            @conformance
            Feature: Edges of the inventory steps

              Scenario: Two types at once
                Given the live inventory
                Then every live resource of type "google_storage_bucket" or "google_service_account" is managed by Terraform

              Scenario: A type nothing lists
                Given the live inventory
                Then every live resource of type "google_nothing" is managed by Terraform

              Scenario: A lower bar of coverage
                Given the live inventory
                Then the inventory covers at least 85% of the resources

              Scenario: Secrets are all managed
                Given the live inventory
                Then every live resource of type "google_secret_manager_secret" is managed by Terraform

              Scenario: A catalogue policy that holds on the inventory
                Given the live inventory
                Then policy "PG-IAM-002" passes

              Scenario: A catalogue policy that fails on the inventory
                Given the live inventory
                Then policies "PG-IAM-002", "PG-GCS-002" pass

              Scenario: A type list that cannot be read
                Given the live inventory
                Then every live resource of type google_storage_bucket is managed by Terraform
            """
        )
    )
    return run(
        project / "out", f"--rootdir={project}", str(project / "features"), "-m", "conformance",
        f"--cai-export={EXPORT}",
    )  # fmt: skip


def _edge(edges: Session, scenario: str) -> tuple[str, str]:
    case = edges.named()[scenario_test(scenario)]
    return case.outcome, case.text


def test_several_types_are_checked_together(edges: Session) -> None:
    outcome, text = _edge(edges, "Two types at once")
    assert outcome == "failed", edges.output
    assert "2 of 10 live google_service_account or google_storage_bucket resources" in text
    assert [line.split(" ", 1)[0].rstrip(":") for line in offenders(text)] == [NOTEBOOK, ADHOC]


def test_a_type_the_inventory_never_lists_is_nothing_to_check_not_a_pass(edges: Session) -> None:
    outcome, text = _edge(edges, "A type nothing lists")
    assert outcome == "failed"
    assert "the inventory lists no live google_nothing resources, so there is nothing to check" in (
        text
    )


def test_coverage_above_the_bar_passes(edges: Session) -> None:
    assert _edge(edges, "A lower bar of coverage")[0] == "passed", edges.output
    assert _edge(edges, "Secrets are all managed")[0] == "passed", edges.output


def test_policy_steps_read_the_conformance_run(edges: Session) -> None:
    assert _edge(edges, "A catalogue policy that holds on the inventory")[0] == "passed"
    outcome, text = _edge(edges, "A catalogue policy that fails on the inventory")
    assert outcome == "failed"
    assert f"PG-GCS-002 {ADHOC}: uniform_bucket_level_access: expected true, got false" in text
    assert "inventory: Cloud Asset Inventory export" in text


def test_an_unreadable_step_fails_with_the_forms_it_accepts(edges: Session) -> None:
    outcome, text = _edge(edges, "A type list that cannot be read")
    assert outcome == "failed"
    assert "cannot read this step: expected one or more quoted names" in text
