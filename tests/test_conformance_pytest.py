"""Conformance in pytest: `--cai-export` / `--cai-project` add one item per conformance result.

Every test reads inner pytest sessions over this repository's catalogue (`policies`) against
the bundled export of prod, which has seven drifts planted on purpose, against the same export
without them, and against inventories that cannot be read whole.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest

from tests.conformance_runs import (
    EXPORT,
    PLAN,
    REPO,
    InnerRun,
    Session,
    clean_export,
    run,
    truncated,
    without_iam,
)
from tests.inventory.fake_asset_service import FakeAssetService, load_export, serve

PROJECT_ID, PROJECT_NUMBER = "ct-scan-mlops-prod", "174193855226"
PROJECT = f"//cloudresourcemanager.googleapis.com/projects/{PROJECT_ID}"
ADHOC = "//storage.googleapis.com/ct-scan-mlops-prod-adhoc-exports"
NOTEBOOK = f"//iam.googleapis.com/projects/{PROJECT_ID}/serviceAccounts/108355720917463258014"
DVC = "module.storage.google_storage_bucket.dvc"
ALERT = "module.monitoring.google_monitoring_alert_policy.api_error_rate"
TOPIC = "module.budget.google_pubsub_topic.budget_alerts"
SECRET = "module.secret_manager.google_secret_manager_secret.alert_webhook"
SECRET_GRANT = (
    "module.secret_manager.google_secret_manager_secret_iam_member.alert_webhook_drift_monitor"
)
EDITOR = "roles/editor user:data-scientist@example.com"

# The policies that judge live resources: each must have exactly one [inventory] item.
JUDGES_INVENTORY = {
    *(f"PG-CAI-00{n}" for n in range(1, 6)),
    "PG-GCS-002", "PG-GCS-003", "PG-GCS-005",
    "PG-IAM-001", "PG-IAM-002", "PG-IAM-005", "PG-IAM-006",
    "PG-LBL-001",
}  # fmt: skip

# What each failing item must list (the addresses of its violation lines), and nothing else.
PLANTED: dict[str, list[str]] = {
    "PG-CAI-001": [SECRET],  # the drift-alert webhook secret, deleted
    "PG-CAI-002": [TOPIC, ALERT, DVC],  # label edited, alert disabled, versioning suspended
    "PG-CAI-003": [NOTEBOOK, ADHOC],  # the notebook service account and the ad-hoc bucket
    # Editor for a person; allUsers on the ad-hoc bucket (each grant addressed on its own)
    "PG-CAI-004": [f"{PROJECT} {EDITOR}", f"{ADHOC} roles/storage.objectViewer allUsers"],
    "PG-CAI-005": [SECRET_GRANT],  # the accessor grant went with the secret
    "PG-GCS-002": [ADHOC],
    "PG-GCS-003": [ADHOC],
    "PG-GCS-005": [f"{ADHOC} roles/storage.objectViewer allUsers"],
    "PG-IAM-001": [f"{PROJECT} {EDITOR}"],
    "PG-LBL-001": [ADHOC, ADHOC, ADHOC],  # project, environment and managed_by labels
}


def _items(policy_ids: set[str] | dict[str, list[str]]) -> set[str]:
    return {f"{policy_id}[inventory]" for policy_id in policy_ids}


def _violations(text: str) -> list[str]:
    """The addresses of an item's violation lines (`  ADDRESS: message`)."""
    return sorted(
        line.strip().split(": ", 1)[0] for line in text.splitlines() if line.startswith("  ")
    )


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("conformance")


@pytest.fixture(scope="module")
def runs(folder: Path) -> Iterator[dict[str, InnerRun]]:
    """The export runs, started together so they overlap."""
    only = ("policies", "-m", "conformance")
    started = {
        "planted": InnerRun(folder / "planted", *only, f"--cai-export={EXPORT}"),
        "clean": InnerRun(folder / "clean", *only, f"--cai-export={clean_export(folder)}"),
        "no-iam": InnerRun(folder / "no-iam", *only, f"--cai-export={without_iam(folder)}"),
        "truncated": InnerRun(folder / "truncated", *only, f"--cai-export={truncated(folder)}"),
    }
    yield started
    for inner in started.values():
        inner.stop()


@pytest.fixture(scope="module")
def planted(runs: dict[str, InnerRun]) -> Session:
    return runs["planted"].result()


def test_one_conformance_item_per_policy_that_judges_live_resources(planted: Session) -> None:
    # -m conformance selected these, and only these: the marker is on every [inventory] item
    assert {case.name for case in planted.cases} == _items(JUDGES_INVENTORY), planted.output
    assert "conformance: Cloud Asset Inventory export" in planted.output


def test_the_planted_drift_fails_exactly_its_controls(planted: Session) -> None:
    outcomes = planted.outcomes()
    failed = {name for name, outcome in outcomes.items() if outcome == "failed"}
    assert failed == _items(PLANTED), planted.output
    assert {outcomes[name] for name in _items(JUDGES_INVENTORY) - failed} == {"passed"}
    assert planted.returncode == 1


@pytest.mark.parametrize("policy_id", sorted(PLANTED))
def test_each_failure_lists_its_planted_findings_and_nothing_else(
    planted: Session, policy_id: str
) -> None:
    text = planted.named()[f"{policy_id}[inventory]"].text
    assert _violations(text) == sorted(PLANTED[policy_id]), text
    assert f"{len(PLANTED[policy_id])} violation(s) in inventory: Cloud Asset Inventory" in text


def test_failures_say_what_is_wrong_expected_against_actual(planted: Session) -> None:
    items = planted.named()
    drift = items["PG-CAI-002[inventory]"].text
    assert f"{DVC}: versioning[0].enabled: expected true, as Terraform recorded, got false" in drift
    assert f"{ALERT}: enabled: expected true, as Terraform recorded, got false" in drift
    assert 'managed_by = "terraform"' in drift and 'managed_by = "console"' in drift
    unmanaged = items["PG-CAI-003[inventory]"].text
    assert "ct-scan-notebook@ct-scan-mlops-prod.iam.gserviceaccount.com" in unmanaged
    assert "secrets/drift-alert-webhook" in items["PG-CAI-001[inventory]"].text
    assert 'got "user:data-scientist@example.com"' in items["PG-CAI-004[inventory]"].text


def test_waivers_apply_to_the_inventory(planted: Session) -> None:
    """The four project-wide object grants are waived for prod: PG-IAM-006 passes on the
    inventory as on the plan, and the waived grants are shown with their approval."""
    assert planted.outcomes()["PG-IAM-006[inventory]"] == "passed"
    shown = planted.output.count("Captured waived call")
    assert shown == 4, planted.output
    assert "approved by platform-lead@example.com" in planted.output


def test_the_clean_export_passes_every_control(runs: dict[str, InnerRun]) -> None:
    clean = runs["clean"].result()
    outcomes = clean.outcomes()
    assert set(outcomes) == _items(JUDGES_INVENTORY), clean.output
    # no bucket grants anything to anyone live, so the public-bucket policy has nothing to judge
    skipped = {name for name, outcome in outcomes.items() if outcome == "skipped"}
    assert skipped == {"PG-GCS-005[inventory]"}
    assert "not applicable to inventory" in clean.named()["PG-GCS-005[inventory]"].text
    assert set(outcomes.values()) == {"passed", "skipped"}, clean.output
    assert clean.returncode == 0


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("no-iam", "the inventory has no IAM_POLICY records"),
        ("truncated", "truncated: the file ends in the middle of a record"),
    ],
)
def test_an_unreadable_inventory_errors_every_item(
    runs: dict[str, InnerRun], kind: str, reason: str
) -> None:
    session = runs[kind].result()
    cases = session.named()
    assert set(cases) == _items(JUDGES_INVENTORY), session.output
    for case in cases.values():
        assert case.outcome == "error", case
        assert reason in case.text, case
        assert "Traceback" not in case.text and "raise " not in case.text, case.text
    assert session.returncode == 1


def test_without_an_inventory_no_conformance_item_is_collected(folder: Path) -> None:
    session = run(folder / "none", "policies", "--collect-only")
    assert "conformance: not run (pass --cai-project or --cai-export)" in session.output
    assert "PG-CAI-001[prod]" in session.output and "[inventory]" not in session.output


def test_cai_plan_chooses_the_terraform_side(folder: Path) -> None:
    """The staging plan's state against prod's inventory: the inventory does not cover the
    project Terraform manages there, so nothing is judged."""
    staging = REPO / "infrastructure" / "plans" / "staging.json"
    session = run(
        folder / "staging", "policies", "-m", "conformance", f"--cai-export={EXPORT}",
        f"--cai-plan={staging}",
    )  # fmt: skip
    outcomes = session.outcomes()
    assert set(outcomes.values()) == {"error"}, session.output
    assert "no cloudresourcemanager.googleapis.com/Project asset for ct-scan-mlops-staging" in (
        session.named()["PG-CAI-001[inventory]"].text
    )


def test_the_gated_plans_are_the_default_without_a_conformance_table(tmp_path: Path) -> None:
    """A project without [tool.plangate.conformance] compares the plans it gates."""
    project = tmp_path / "project"
    (project / "plans").mkdir(parents=True)
    (project / "policies").mkdir()
    shutil.copy(REPO / "policies" / "waivers.yaml", project / "policies" / "waivers.yaml")
    shutil.copy(PLAN, project / "plans" / "prod.json")
    (project / "pyproject.toml").write_text(
        '[tool.pytest.ini_options]\naddopts = "--strict-markers"\n\n'
        '[tool.plangate]\nplans = ["plans/prod.json"]\nwaivers = "policies/waivers.yaml"\n'
    )  # the built-in catalogue judges the inventory; the project adds only its waivers
    session = run(
        tmp_path / "out", f"--rootdir={project}", str(project), "-m", "conformance",
        f"--cai-export={EXPORT}",
    )  # fmt: skip
    outcomes = session.outcomes()
    assert outcomes["PG-CAI-002[inventory]"] == "failed", session.output
    assert DVC in session.named()["PG-CAI-002[inventory]"].text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--cai-project=p", f"--cai-export={EXPORT}"],
            "--cai-project and --cai-export are alternatives",
        ),
        ([f"--cai-plan={PLAN}"], "--cai-plan and --cai-state need an inventory"),
    ],
)
def test_contradictory_options_are_usage_errors(
    folder: Path, args: list[str], message: str
) -> None:
    session = run(folder / "usage", "policies", *args)
    assert session.returncode == 4
    assert message in session.output


@pytest.fixture
def live(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeAssetService]:
    """The planted export served by a local AssetService (ListAssets over gRPC)."""
    fake = FakeAssetService(load_export([EXPORT]), projects={PROJECT_ID: PROJECT_NUMBER})
    with serve(fake) as address:
        monkeypatch.setenv("CLOUD_ASSET_EMULATOR_HOST", address)
        yield fake


def test_cai_project_lists_the_project_live(live: FakeAssetService, tmp_path: Path) -> None:
    session = run(tmp_path, "policies", "-m", "conformance", f"--cai-project={PROJECT_ID}")
    assert "conformance: Cloud Asset Inventory ListAssets, projects/ct-scan-mlops-prod" in (
        session.output
    )
    failed = {name for name, outcome in session.outcomes().items() if outcome == "failed"}
    assert failed == _items(PLANTED), session.output
    assert _violations(session.named()["PG-CAI-002[inventory]"].text) == sorted(
        PLANTED["PG-CAI-002"]
    )
    assert {call.parent for call in live.calls} == {f"projects/{PROJECT_ID}"}


def test_a_refused_listing_errors_every_item(live: FakeAssetService, tmp_path: Path) -> None:
    live.fail(grpc.StatusCode.PERMISSION_DENIED, times=None)
    session = run(tmp_path, "policies", "-m", "conformance", f"--cai-project={PROJECT_ID}")
    cases = session.named()
    assert set(cases) == _items(JUDGES_INVENTORY), session.output
    assert {case.outcome for case in cases.values()} == {"error"}
    assert "cloudasset.assets.listResource" in cases["PG-CAI-001[inventory]"].text
