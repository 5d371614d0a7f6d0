"""`plangate summary` on plans shaped like every format version, and on OpenTofu's."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from plangate import __version__
from plangate.cli import main
from tests.fixtures.builder import UNKNOWN, PlanBuilder, Secret

SAMPLES = Path(__file__).parent / "fixtures" / "plans"

#: counts (create, update, replace, delete, forget, read, no-op, import, move), drift rows,
#: changing outputs, OpenTofu, and the changing resources with their displayed action.
EXPECTED = {
    "format-0.1-terraform-0.12": (
        (2, 2, 0, 0, 0, 0, 2, 0, 0), 0, ["bucket_names"], False,
        [
            ("module.storage.google_storage_bucket.buckets[0]", "update"),
            ("module.storage.google_storage_bucket.buckets[1]", "update"),
            ("google_compute_instance.runner", "create"),
            ("google_project_iam_member.ci", "create"),
        ],
    ),
    "format-0.2-terraform-1.0": (
        (1, 0, 0, 0, 0, 0, 1, 0, 0), 1, ["db_password"], False,
        [("module.secrets.google_secret_manager_secret_version.db_password", "create")],
    ),
    "format-1.0-terraform-1.1": (
        (1, 0, 1, 1, 0, 0, 3, 0, 1), 0, [], False,
        [
            ("module.storage.google_storage_bucket.models", "no-op (moved from google_storage_bucket.models)"),
            ('module.iam.google_project_iam_member.roles["ci-deployer"]', "create"),
            ("google_storage_bucket.scratch", "delete"),
            ("google_storage_bucket.drift_logs", "replace"),
        ],
    ),
    "format-1.1-terraform-1.3": (
        (1, 1, 0, 0, 0, 0, 0, 0, 0), 0, ["repository"], False,
        [("google_cloud_run_v2_service.api", "update"), ("google_artifact_registry_repository.images", "create")],
    ),
    "format-1.2-terraform-1.5-import": (
        (1, 1, 0, 0, 0, 0, 1, 2, 0), 0, [], False,
        [
            ("google_firestore_database.default", "no-op (import)"),
            ("module.storage.google_storage_bucket.models", "update (import)"),
            ("google_pubsub_topic.budget_alerts", "create"),
        ],
    ),
    "format-1.2-terraform-1.8": (
        (0, 0, 1, 1, 1, 1, 0, 0, 0), 0, [], False,
        [
            ("google_monitoring_notification_channel.email", "forget"),
            ("google_service_account_key.ci", "replace"),
            ("google_service_account_key.ci (deposed 2f1c9a7e)", "delete"),
        ],
    ),
    "format-1.2-terraform-1.15": (
        (0, 1, 0, 0, 1, 0, 1, 1, 0), 0, ["budget_units"], False,
        [
            ("google_storage_bucket.models", "no-op (import)"),
            ("google_iam_workload_identity_pool.github", "forget-replace"),
            ("google_billing_budget.monthly", "update"),
        ],
    ),
    "format-1.2-opentofu-1.8": (
        (0, 1, 0, 0, 1, 0, 0, 0, 0), 0, [], True,
        [("module.storage.google_storage_bucket.models", "update"), ("google_pubsub_topic.budget_alerts", "forget")],
    ),
    "no-changes": ((0, 0, 0, 0, 0, 0, 2, 0, 0), 0, [], False, []),
}  # fmt: skip
COUNTED = ("create", "update", "replace", "delete", "forget", "read", "no-op", "import", "move")


def _summary_json(capsys: pytest.CaptureFixture[str], path: Path) -> dict:
    assert main(["summary", "--format", "json", str(path)]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("sample", sorted(EXPECTED))
def test_summary_counts_and_rows_per_format_version(
    capsys: pytest.CaptureFixture[str], sample: str
) -> None:
    counts, drift, outputs, opentofu, rows = EXPECTED[sample]
    document = _summary_json(capsys, SAMPLES / f"{sample}.json")
    assert document["counts"] == dict(zip(COUNTED, counts, strict=True))
    assert len(document["drift"]) == drift
    assert [o["name"] for o in document["output_changes"]] == outputs
    assert document["opentofu"] is opentofu
    assert [(row["address"], row["action"]) for row in document["changes"]] == rows


def test_text_summary_lists_changed_paths_with_before_and_after(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["summary", str(SAMPLES / "format-1.1-terraform-1.3.json")]) == 0
    text = capsys.readouterr().out
    assert "Resources: 1 create, 1 update, 0 replace, 0 delete" in text
    assert "  update     google_cloud_run_v2_service.api" in text
    assert '      template[0].containers[0].image: "app:1.4.0" -> "app:1.5.0"' in text
    assert "Terraform 1.3.10" in text and "format 1.1" in text


def test_sensitive_and_unknown_values_print_as_markers(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summary", str(SAMPLES / "format-1.2-terraform-1.8.json")]) == 0
    text = capsys.readouterr().out
    assert "private_key: (sensitive) -> (known after apply)" in text
    raw = (SAMPLES / "format-1.2-terraform-1.8.json").read_text()
    assert "LS0tLS1" in raw and "LS0tLS1" not in text


def test_secrets_never_reach_either_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = (
        PlanBuilder()
        .resource("google_sql_user.app", action="update", before={"password": Secret("old-hunter2")},
                  after={"password": Secret("new-hunter2"), "host": UNKNOWN})
        .output("dsn", action="update", before="old-hunter2", after="new-hunter2", sensitive=True)
        .write(tmp_path / "plan.json")
    )  # fmt: skip
    for fmt in ("text", "json"):
        assert main(["summary", "--format", fmt, str(plan)]) == 0
        out = capsys.readouterr().out
        assert "hunter2" not in out
        assert "(sensitive)" in out and "(known after apply)" in out
        assert "password" in out and "host" in out


def test_errored_and_incomplete_plans_say_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summary", str(SAMPLES / "errored.json")]) == 0
    assert "Status: ERRORED" in capsys.readouterr().out
    assert main(["summary", str(SAMPLES / "incomplete-target.json")]) == 0
    text = capsys.readouterr().out
    assert "Status: INCOMPLETE" in text and "ERRORED" not in text
    document = _summary_json(capsys, SAMPLES / "incomplete-target.json")
    assert document["complete"] is False and document["errored"] is False


def test_zero_change_plan_says_no_changes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summary", str(SAMPLES / "no-changes.json")]) == 0
    assert capsys.readouterr().out.rstrip().endswith("No changes.")


def test_summary_reads_standard_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = (SAMPLES / "no-changes.json").read_bytes()

    class Stdin:
        buffer = io.BytesIO(data)

    monkeypatch.setattr("sys.stdin", Stdin())
    assert main(["summary", "-"]) == 0
    assert "Plan: <stdin>" in capsys.readouterr().out


@pytest.mark.parametrize("command", [[], ["summary"], ["check"], ["policies"], ["evidence"]])
def test_help_on_every_command(capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main([*command, "--help"])
    assert exited.value.code == 0
    assert "usage: plangate" in capsys.readouterr().out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.strip() == f"plangate {__version__}"


def test_usage_errors_are_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["summary", "--format", "yaml", "plan.json"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "invalid choice: 'yaml'" in err
