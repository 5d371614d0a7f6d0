"""The Cloud Asset Inventory export of prod in infrastructure/inventory/ and its generator.

The committed export must be what the generator writes today. Every line must be one ExportAssets
record: a RESOURCE or an IAM_POLICY record, never both. The planted drift must be in the file, and
the clean export (``--clean``) must differ from it only in the records that drift touches.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
SCRIPTS = REPO / "infrastructure" / "scripts"
SCRIPT = SCRIPTS / "generate_inventory.py"
EXPORT = REPO / "infrastructure" / "inventory" / "prod.ndjson"
README = REPO / "infrastructure" / "inventory" / "README.md"
PLAN = REPO / "infrastructure" / "plans" / "prod.json"

sys.path.insert(0, str(SCRIPTS))

import generate_inventory  # noqa: E402

NUMBER = "174193855226"
PROJECT = f"//cloudresourcemanager.googleapis.com/projects/{NUMBER}"
ADHOC = "//storage.googleapis.com/ct-scan-mlops-prod-adhoc-exports"
DVC = "//storage.googleapis.com/ct-scan-mlops-prod-dvc"
WEBHOOK = f"//secretmanager.googleapis.com/projects/{NUMBER}/secrets/drift-alert-webhook"
TOPIC = "//pubsub.googleapis.com/projects/ct-scan-mlops-prod/topics/budget-alerts"
NOTEBOOK = "ct-scan-notebook@ct-scan-mlops-prod.iam.gserviceaccount.com"
ENVELOPE = {"name", "asset_type", "ancestors", "update_time", "resource", "iam_policy"}

Key = tuple[str, str]  # (name, "resource" | "iam_policy")


def _parse(text: str) -> dict[Key, dict[str, Any]]:
    records: dict[Key, dict[str, Any]] = {}
    for number, line in enumerate(text.splitlines(), 1):
        record = json.loads(line)
        assert isinstance(record, dict), f"line {number}"
        content = "resource" if "resource" in record else "iam_policy"
        key = (record["name"], content)
        assert key not in records, f"line {number}: {key} twice"
        records[key] = record
    return records


@cache
def _committed() -> dict[Key, dict[str, Any]]:
    return _parse(EXPORT.read_text(encoding="utf-8"))


@cache
def _plan_state() -> dict[str, Mapping[str, Any]]:
    state = json.loads(PLAN.read_text(encoding="utf-8"))["prior_state"]["values"]["root_module"]
    found: dict[str, Mapping[str, Any]] = {}

    def walk(module: Mapping[str, Any]) -> None:
        for resource in module.get("resources", ()):
            found[resource["address"]] = resource
        for child in module.get("child_modules", ()):
            walk(child)

    walk(state)
    return found


def _data(name: str) -> Mapping[str, Any]:
    return _committed()[(name, "resource")]["resource"]["data"]


def _bindings(name: str) -> dict[str, list[str]]:
    policy = _committed()[(name, "iam_policy")]["iam_policy"]
    return {b["role"]: b["members"] for b in policy["bindings"]}


def _alert(address: str) -> str:
    return "//monitoring.googleapis.com/" + _plan_state()[address]["values"]["name"]


# --------------------------------------------------------------------------- the generator


def test_committed_export_is_what_the_generator_writes() -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stderr


def test_check_reports_a_stale_export_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stale = tmp_path / "prod.ndjson"
    stale.write_text("{}\n", encoding="utf-8")
    monkeypatch.setattr(generate_inventory, "OUTPUT", stale)
    assert generate_inventory.main(["--check"]) == 1
    message = capsys.readouterr().err
    assert message.count("\n") == 1
    assert "differs from the generated export" in message


def test_the_generator_imports_nothing_from_plangate() -> None:
    source = SCRIPT.read_text(encoding="utf-8")
    for forbidden in ("import plangate", "from plangate", "import plangen", "from plangen"):
        assert forbidden not in source


def test_every_inventoried_managed_resource_has_one_record() -> None:
    export = generate_inventory.faithful_export(generate_inventory.read_state())
    translated = {r.address for r in export.resources.values() if r.address}
    expected = {
        address
        for address, resource in _plan_state().items()
        if resource["mode"] == "managed"
        and resource["type"] not in generate_inventory.NOT_INVENTORIED
        and not resource["type"].endswith("_iam_member")
    }
    assert translated == expected


# --------------------------------------------------------------------------- the file


def test_every_line_is_one_export_record() -> None:
    lines = EXPORT.read_text(encoding="utf-8").splitlines()
    assert lines
    for number, line in enumerate(lines, 1):
        record = json.loads(line)
        where = f"prod.ndjson:{number}"
        assert set(record) <= ENVELOPE, where
        assert isinstance(record["name"], str) and record["name"].startswith("//"), where
        assert isinstance(record["asset_type"], str) and "/" in record["asset_type"], where
        assert ("resource" in record) != ("iam_policy" in record), where
        assert record["ancestors"][0] == f"projects/{NUMBER}", where
        if "resource" in record:
            resource = record["resource"]
            assert resource["parent"] == PROJECT, where
            assert isinstance(resource["data"], dict), where
            assert {"version", "discovery_document_uri", "discovery_name"} <= set(resource), where
        else:
            bindings = record["iam_policy"]["bindings"]
            assert bindings, where
            assert all(b["role"].startswith("roles/") and b["members"] for b in bindings), where


def test_record_counts() -> None:
    kinds = [content for _, content in _committed()]
    assert (kinds.count("resource"), kinds.count("iam_policy")) == (27, 11)


def test_planted_drift_is_in_the_file() -> None:
    # a. versioning suspended on the DVC bucket
    assert _data(DVC)["versioning"] == {"enabled": False}
    # b. the P0 5xx-ratio alert disabled; the other P0 is untouched
    error_rate = "module.monitoring.google_monitoring_alert_policy.api_error_rate"
    latency = "module.monitoring.google_monitoring_alert_policy.api_latency_critical"
    assert _plan_state()[error_rate]["values"]["display_name"].startswith("[P0]")
    assert _data(_alert(error_rate))["enabled"] is False
    assert _data(_alert(latency))["enabled"] is True
    # c. the webhook secret is gone, resource and policy
    assert not [key for key in _committed() if "drift-alert-webhook" in key[0]]
    assert "drift-alert-webhook" not in EXPORT.read_text(encoding="utf-8")
    # d. the hand-made bucket, world-readable
    adhoc = _data(ADHOC)
    assert adhoc["iamConfiguration"]["uniformBucketLevelAccess"]["enabled"] is False
    assert adhoc["iamConfiguration"]["publicAccessPrevention"] == "inherited"
    assert "labels" not in adhoc
    assert _bindings(ADHOC)["roles/storage.objectViewer"] == ["allUsers"]
    # e. the hand-made service account
    emails = [
        r["resource"]["data"]["email"]
        for (_, content), r in _committed().items()
        if content == "resource" and r["asset_type"] == "iam.googleapis.com/ServiceAccount"
    ]
    assert NOTEBOOK in emails
    # f. a person with Editor on the project
    assert "user:data-scientist@example.com" in _bindings(PROJECT)["roles/editor"]
    # g. the topic's managed_by label
    terraform_labels = _plan_state()["module.budget.google_pubsub_topic.budget_alerts"]["values"]
    assert terraform_labels["labels"]["managed_by"] == "terraform"
    assert _data(TOPIC)["labels"]["managed_by"] == "console"


def test_the_clean_export_differs_only_where_planted(tmp_path: Path) -> None:
    clean_path = tmp_path / "clean.ndjson"
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--clean", str(clean_path)],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stderr
    clean, planted = _parse(clean_path.read_text(encoding="utf-8")), _committed()
    changed = {key for key in clean.keys() | planted.keys() if clean.get(key) != planted.get(key)}
    notebook = next(
        name
        for (name, _), r in planted.items()
        if r.get("resource", {}).get("data", {}).get("email") == NOTEBOOK
    )
    error_rate = _alert("module.monitoring.google_monitoring_alert_policy.api_error_rate")
    assert changed == {
        (DVC, "resource"),
        (error_rate, "resource"),
        (WEBHOOK, "resource"),
        (WEBHOOK, "iam_policy"),
        (ADHOC, "resource"),
        (ADHOC, "iam_policy"),
        (notebook, "resource"),
        (PROJECT, "iam_policy"),
        (TOPIC, "resource"),
    }
    assert clean[(DVC, "resource")]["resource"]["data"]["versioning"] == {"enabled": True}
    assert "user:data-scientist@example.com" not in str(clean[(PROJECT, "iam_policy")])


def test_the_readme_lists_every_planted_drift() -> None:
    readme = README.read_text(encoding="utf-8")
    for change in generate_inventory.PLANTED:
        named = getattr(change, "address", None) or getattr(change, "name", None)
        named = named or getattr(change, "account_id", None) or getattr(change, "member", None)
        assert named and named in readme, change
