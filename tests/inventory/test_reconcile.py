"""Reconciliation of Terraform's state with Cloud Asset Inventory, on the bundled demo export
and on small inventories that exercise one rule each."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from plangate.conform import ConformOptions, run_conformance
from plangate.inventory import InventoryIncomplete
from plangate.inventory.decode import asset_from_dict
from plangate.inventory.mapping import mapping_table
from plangate.inventory.reconcile import reconcile
from plangate.inventory.terraform import TerraformSide, read_terraform
from plangate.plan import StateResource
from plangate.policy import Status
from plangate.settings import find_settings

ROOT = Path(__file__).resolve().parents[2]
PROD_PLAN = ROOT / "infrastructure/plans/prod.json"
DEMO = ROOT / "infrastructure/inventory/prod.ndjson"
GENERATOR = ROOT / "infrastructure/scripts/generate_inventory.py"

#: Every finding the demo's drifts must produce, and nothing else: (policy, address, attribute).
DEMO_FINDINGS = {
    ("PG-CAI-001", "module.secret_manager.google_secret_manager_secret.alert_webhook", ""),
    ("PG-CAI-002", "module.storage.google_storage_bucket.dvc", "versioning[0].enabled"),
    ("PG-CAI-002", "module.monitoring.google_monitoring_alert_policy.api_error_rate", "enabled"),
    ("PG-CAI-002", "module.budget.google_pubsub_topic.budget_alerts", "effective_labels"),
    ("PG-CAI-003", "//storage.googleapis.com/ct-scan-mlops-prod-adhoc-exports", ""),
    (
        "PG-CAI-003",
        "//iam.googleapis.com/projects/ct-scan-mlops-prod/serviceAccounts/108355720917463258014",
        "",
    ),
    (
        "PG-CAI-004",
        "//cloudresourcemanager.googleapis.com/projects/ct-scan-mlops-prod roles/editor "
        "user:data-scientist@example.com",
        "iam_policy[roles/editor]",
    ),
    (
        "PG-CAI-004",
        "//storage.googleapis.com/ct-scan-mlops-prod-adhoc-exports roles/storage.objectViewer "
        "allUsers",
        "iam_policy[roles/storage.objectViewer]",
    ),
    (
        "PG-CAI-005",
        "module.secret_manager.google_secret_manager_secret_iam_member.alert_webhook_drift_monitor",
        "member",
    ),
    (
        "PG-IAM-001",
        "//cloudresourcemanager.googleapis.com/projects/ct-scan-mlops-prod roles/editor "
        "user:data-scientist@example.com",
        "role",
    ),
    (
        "PG-GCS-005",
        "//storage.googleapis.com/ct-scan-mlops-prod-adhoc-exports roles/storage.objectViewer "
        "allUsers",
        "member",
    ),
    (
        "PG-GCS-002",
        "//storage.googleapis.com/ct-scan-mlops-prod-adhoc-exports",
        "uniform_bucket_level_access",
    ),
    (
        "PG-GCS-003",
        "//storage.googleapis.com/ct-scan-mlops-prod-adhoc-exports",
        "public_access_prevention",
    ),
    (
        "PG-LBL-001",
        "//storage.googleapis.com/ct-scan-mlops-prod-adhoc-exports",
        "labels.environment",
    ),
    (
        "PG-LBL-001",
        "//storage.googleapis.com/ct-scan-mlops-prod-adhoc-exports",
        "labels.managed_by",
    ),
    ("PG-LBL-001", "//storage.googleapis.com/ct-scan-mlops-prod-adhoc-exports", "labels.project"),
}


def _conform(**options: Any):
    return run_conformance(find_settings(ROOT), ConformOptions(**options))


def _failing(report) -> set[tuple[str, str, str]]:
    return {
        (f.policy_id, f.address, f.attribute) for f in report.findings if f.status is Status.FAIL
    }


@pytest.fixture(scope="module")
def clean_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo export without its drifts, made by the same generator."""
    out = tmp_path_factory.mktemp("inventory") / "clean.ndjson"
    subprocess.run([sys.executable, str(GENERATOR), "--clean", str(out)], check=True)
    return out


def test_the_demo_export_yields_every_drift_and_nothing_else() -> None:
    report = _conform(plans=(str(PROD_PLAN),), inventory=DEMO)
    assert _failing(report) == DEMO_FINDINGS
    assert report.exit_code == 1


def test_the_demo_drift_messages_show_terraform_and_live_values() -> None:
    report = _conform(plans=(str(PROD_PLAN),), inventory=DEMO)
    [versioning] = [f for f in report.findings if f.attribute == "versioning[0].enabled"]
    assert versioning.expected == "true, as Terraform recorded"
    assert versioning.actual is False
    [label] = [f for f in report.findings if f.attribute == "effective_labels"]
    assert '"terraform"' in label.expected and label.actual["managed_by"] == "console"


def test_the_imported_project_wide_grants_are_waived_live_as_in_plans() -> None:
    report = _conform(plans=(str(PROD_PLAN),), inventory=DEMO)
    waived = {f.address for f in report.findings if f.status is Status.WAIVED}
    assert waived == {
        'module.iam.google_project_iam_member.roles["api_runtime_object_viewer"]',
        'module.iam.google_project_iam_member.roles["ci_deployer_object_viewer"]',
        'module.iam.google_project_iam_member.roles["drift_monitor_object_user"]',
        'module.iam.google_project_iam_member.roles["training_object_admin"]',
    }


def test_a_clean_export_is_in_sync_with_full_coverage(clean_export: Path) -> None:
    report = _conform(plans=(str(PROD_PLAN),), inventory=clean_export)
    [run] = report.runs
    rec = run.inventory
    assert rec.in_sync and rec.coverage == 1.0
    assert not _failing(report)
    assert report.exit_code == 0
    assert {n.terraform_type for n in rec.not_verifiable} == {
        "google_billing_budget",
        "google_firestore_index",
        "google_firestore_field",
    }
    # 24 resources of inventoried types, all matched; 20 IAM grants, all in force.
    assert len(rec.managed) == 24
    assert {g.address for g in rec.live_grants if g.address} >= {
        'module.iam.google_project_iam_member.roles["training_log_writer"]',
        "module.workload_identity.google_service_account_iam_member.ci_deployer_wif",
    }


def test_a_state_gives_the_same_findings_as_the_plan_it_was_taken_from(tmp_path: Path) -> None:
    document = json.loads(PROD_PLAN.read_text())
    state = tmp_path / "state.json"
    state.write_text(
        json.dumps(
            {
                "format_version": "1.0",
                "terraform_version": document["terraform_version"],
                "values": document["prior_state"]["values"],
            }
        )
    )
    from_state = _conform(states=(str(state),), inventory=DEMO, environment="prod")
    assert _failing(from_state) == DEMO_FINDINGS


# ------------------------------------------------------------------- one rule at a time

PROJECT = {
    "name": "//cloudresourcemanager.googleapis.com/projects/111",
    "asset_type": "cloudresourcemanager.googleapis.com/Project",
    "ancestors": ["projects/111"],
    "resource": {"data": {"projectId": "p", "projectNumber": "111"}},
}
PROJECT_POLICY = {
    "name": "//cloudresourcemanager.googleapis.com/projects/111",
    "asset_type": "cloudresourcemanager.googleapis.com/Project",
    "iam_policy": {"bindings": []},
}


def _state(*resources: tuple[str, str, dict[str, Any]]) -> TerraformSide:
    return TerraformSide(
        sources=(),
        resources=tuple(
            StateResource.of(
                values,
                address=address,
                mode="managed",
                type=kind,
                name=address.rsplit(".", 1)[-1],
                provider_name="google",
            )
            for address, kind, values in resources
        ),
        data_sources=(),
        environment=None,
    )


def _bucket(data: dict[str, Any], name: str = "b1") -> dict[str, Any]:
    return {
        "name": f"//storage.googleapis.com/{name}",
        "asset_type": "storage.googleapis.com/Bucket",
        "ancestors": ["projects/111"],
        "resource": {"data": {"name": name, **data}},
    }


def _reconcile(terraform: TerraformSide, *records: dict[str, Any]):
    assets = [asset_from_dict(r, f"test:{i}") for i, r in enumerate(records)]
    return reconcile(terraform, iter(assets), mapping_table())


BUCKET_TF = {
    "name": "b1",
    "project": "p",
    "location": "EUROPE-WEST1",
    "storage_class": "STANDARD",
    "uniform_bucket_level_access": True,
    "public_access_prevention": "enforced",
    "versioning": [{"enabled": True}],
    "effective_labels": {"env": "prod"},
}
BUCKET_LIVE = {
    "location": "europe-west1",
    "storageClass": "STANDARD",
    "iamConfiguration": {
        "uniformBucketLevelAccess": {"enabled": True},
        "publicAccessPrevention": "enforced",
    },
    "versioning": {"enabled": True},
    "labels": {"env": "prod", "goog-terraform-provisioned": "true"},
}


def test_location_case_and_google_labels_are_not_drift() -> None:
    rec = _reconcile(
        _state(("b.b1", "google_storage_bucket", BUCKET_TF)),
        PROJECT,
        PROJECT_POLICY,
        _bucket(BUCKET_LIVE),
    )
    assert [m.drifts for m in rec.managed] == [()]
    assert rec.in_sync


def test_a_label_changed_live_is_drift_naming_both_values() -> None:
    live = {**BUCKET_LIVE, "labels": {"env": "dev"}}
    rec = _reconcile(
        _state(("b.b1", "google_storage_bucket", BUCKET_TF)), PROJECT, PROJECT_POLICY, _bucket(live)
    )
    [drift] = rec.managed[0].drifts
    assert (drift.attribute, drift.terraform["env"], drift.live["env"]) == (
        "effective_labels",
        "prod",
        "dev",
    )


def test_absent_live_settings_take_their_documented_default() -> None:
    # No versioning block live means versioning off: drift against Terraform's true.
    live = {k: v for k, v in BUCKET_LIVE.items() if k != "versioning"}
    rec = _reconcile(
        _state(("b.b1", "google_storage_bucket", BUCKET_TF)), PROJECT, PROJECT_POLICY, _bucket(live)
    )
    [drift] = rec.managed[0].drifts
    assert (drift.attribute, drift.terraform, drift.live) == ("versioning[0].enabled", True, False)


def test_project_numbers_in_live_names_match_terraform_project_ids() -> None:
    secret = {
        "name": "//secretmanager.googleapis.com/projects/111/secrets/s1",
        "asset_type": "secretmanager.googleapis.com/Secret",
        "ancestors": ["projects/111"],
        "resource": {"data": {"labels": {}}},
    }
    tf = {"project": "p", "secret_id": "s1", "effective_labels": {}}
    rec = _reconcile(
        _state(("s.s1", "google_secret_manager_secret", tf)), PROJECT, PROJECT_POLICY, secret
    )
    assert [m.asset_name for m in rec.managed] == [
        "//secretmanager.googleapis.com/projects/p/secrets/s1"
    ]
    assert not rec.missing and not rec.unmanaged


def test_struct_floats_and_int64_strings_equal_terraform_numbers() -> None:
    from plangate.inventory.normalise import equal

    assert equal(365, 365.0) and equal(365, "365") and equal("604800s", "604800s")
    assert not equal(True, 1) and not equal(1, 2.0) and not equal("1", "1.0")


def test_service_accounts_match_by_email_and_google_defaults_are_not_unmanaged() -> None:
    def account(email: str, unique: str) -> dict[str, Any]:
        return {
            "name": f"//iam.googleapis.com/projects/p/serviceAccounts/{unique}",
            "asset_type": "iam.googleapis.com/ServiceAccount",
            "ancestors": ["projects/111"],
            "resource": {"data": {"email": email, "displayName": "", "uniqueId": unique}},
        }

    tf = {"email": "app@p.iam.gserviceaccount.com", "project": "p", "display_name": ""}
    rec = _reconcile(
        _state(("sa.app", "google_service_account", tf)),
        PROJECT,
        PROJECT_POLICY,
        account("app@p.iam.gserviceaccount.com", "1"),
        account("111-compute@developer.gserviceaccount.com", "2"),
        account("hand@p.iam.gserviceaccount.com", "3"),
    )
    assert [m.address for m in rec.managed] == ["sa.app"]
    assert [(u.identity, u.asset_name) for u in rec.unmanaged] == [
        ("hand@p.iam.gserviceaccount.com", "//iam.googleapis.com/projects/p/serviceAccounts/3")
    ]


def test_service_agent_grants_are_not_iam_drift_but_a_colleagues_grant_is() -> None:
    policy = {
        **PROJECT_POLICY,
        "iam_policy": {
            "bindings": [
                {
                    "role": "roles/run.serviceAgent",
                    "members": [
                        "serviceAccount:service-111@serverless-robot-prod.iam.gserviceaccount.com"
                    ],
                },
                {
                    "role": "roles/editor",
                    "members": [
                        "serviceAccount:111@cloudservices.gserviceaccount.com",
                        "user:a@example.com",
                    ],
                },
                {"role": "roles/viewer", "members": ["user:b@example.com"]},
            ]
        },
    }
    tf = {"project": "p", "role": "roles/viewer", "member": "user:b@example.com", "condition": []}
    rec = _reconcile(_state(("iam.b", "google_project_iam_member", tf)), PROJECT, policy)
    assert [(g.role, g.member) for g in rec.undeclared_grants] == [
        ("roles/editor", "user:a@example.com")
    ]
    assert not rec.missing_grants
    assert {g.address for g in rec.live_grants} == {"iam.b", None}


def test_a_declared_grant_missing_live_is_reported_with_its_address() -> None:
    tf = {"project": "p", "role": "roles/viewer", "member": "user:b@example.com"}
    rec = _reconcile(_state(("iam.b", "google_project_iam_member", tf)), PROJECT, PROJECT_POLICY)
    assert [(g.address, g.member) for g in rec.missing_grants] == [("iam.b", "user:b@example.com")]


def test_a_sensitive_terraform_value_is_never_compared_or_shown() -> None:
    from plangate.plan import SENSITIVE

    tf = {**BUCKET_TF, "storage_class": SENSITIVE}
    live = {**BUCKET_LIVE, "storageClass": "NEARLINE"}
    rec = _reconcile(
        _state(("b.b1", "google_storage_bucket", tf)), PROJECT, PROJECT_POLICY, _bucket(live)
    )
    assert rec.managed[0].drifts == ()


def test_an_inventory_without_the_project_is_incomplete_not_missing_resources() -> None:
    with pytest.raises(
        InventoryIncomplete,
        match=re.escape("no cloudresourcemanager.googleapis.com/Project asset for p"),
    ):
        _reconcile(_state(("b.b1", "google_storage_bucket", BUCKET_TF)), _bucket(BUCKET_LIVE))


def test_an_inventory_without_iam_policies_is_incomplete() -> None:
    with pytest.raises(InventoryIncomplete, match="no IAM_POLICY records"):
        _reconcile(
            _state(("b.b1", "google_storage_bucket", BUCKET_TF)), PROJECT, _bucket(BUCKET_LIVE)
        )


def test_an_empty_inventory_is_incomplete() -> None:
    with pytest.raises(InventoryIncomplete, match="no assets"):
        _reconcile(_state(("b.b1", "google_storage_bucket", BUCKET_TF)))


def test_types_the_inventory_cannot_list_are_not_verifiable_never_passed() -> None:
    rec = _reconcile(
        _state(
            ("bud.b", "google_billing_budget", {"display_name": "x"}),
            ("x.y", "google_compute_network", {}),
        ),
        PROJECT,
        PROJECT_POLICY,
    )
    reasons = {n.address: n.reason for n in rec.not_verifiable}
    assert "billing account" in reasons["bud.b"]
    assert (
        reasons["x.y"] == "plangate has no Cloud Asset Inventory mapping for google_compute_network"
    )
    assert rec.coverage is None


def test_the_plan_sources_are_read_with_their_hashes() -> None:
    side = read_terraform([str(PROD_PLAN)], [])
    assert side.environment == "prod"
    assert len(side.resources) == 48 and len(side.sources) == 1
    assert len(side.sources[0].sha256) == 64


def test_resource_data_given_as_a_json_string_is_parsed() -> None:
    record = _bucket({})
    record["resource"]["data"] = json.dumps({"name": "b1", **BUCKET_LIVE})
    rec = _reconcile(
        _state(("b.b1", "google_storage_bucket", BUCKET_TF)), PROJECT, PROJECT_POLICY, record
    )
    assert [m.drifts for m in rec.managed] == [()]


def test_resource_data_that_is_a_string_but_not_json_is_bad_input() -> None:
    from plangate.errors import InputError

    record = _bucket({})
    record["resource"]["data"] = "{not json"
    with pytest.raises(InputError, match=r"^test:0: resource.data is a string that is not"):
        asset_from_dict(record, "test:0")


# ---------------------------------------------------- found by review: each once a wrong answer


def _project_policy(*bindings: dict[str, Any]) -> dict[str, Any]:
    return {**PROJECT_POLICY, "iam_policy": {"bindings": list(bindings)}}


def test_an_account_named_like_a_service_agent_in_another_project_is_not_exempt() -> None:
    owner = {
        "role": "roles/owner",
        "members": ["serviceAccount:service-1234567@evil-proj.iam.gserviceaccount.com"],
    }
    agent = {
        "role": "roles/run.serviceAgent",
        "members": ["serviceAccount:service-111@serverless-robot-prod.iam.gserviceaccount.com"],
    }
    rec = _reconcile(_state(), PROJECT, _project_policy(owner, agent))
    assert [g.member for g in rec.undeclared_grants] == [owner["members"][0]]


def test_another_projects_legacy_members_are_not_exempt() -> None:
    policy = {
        "name": "//storage.googleapis.com/b1",
        "asset_type": "storage.googleapis.com/Bucket",
        "ancestors": ["projects/111"],
        "iam_policy": {
            "bindings": [
                {"role": "roles/storage.legacyBucketOwner", "members": ["projectOwner:p"]},
                {"role": "roles/storage.objectAdmin", "members": ["projectEditor:attacker"]},
            ]
        },
    }
    rec = _reconcile(
        _state(("b.b1", "google_storage_bucket", BUCKET_TF)),
        PROJECT,
        PROJECT_POLICY,
        _bucket(BUCKET_LIVE),
        policy,
    )
    assert [g.member for g in rec.undeclared_grants] == ["projectEditor:attacker"]


def test_a_value_hidden_inside_an_attribute_is_never_compared_or_shown() -> None:
    from plangate.plan import SENSITIVE

    tf = {**BUCKET_TF, "effective_labels": {"env": "prod", "token": SENSITIVE}}
    live = {**BUCKET_LIVE, "labels": {"env": "prod", "token": "hunter2"}}
    rec = _reconcile(
        _state(("b.b1", "google_storage_bucket", tf)), PROJECT, PROJECT_POLICY, _bucket(live)
    )
    assert rec.managed[0].drifts == ()
    assert "hunter2" not in repr(rec.managed)


def test_a_waiver_names_one_undeclared_grant_not_every_grant_on_the_asset(
    tmp_path: Path,
) -> None:
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(
        "waivers:\n"
        "  - policy: PG-CAI-004\n"
        '    address: "//cloudresourcemanager.googleapis.com/projects/ct-scan-mlops-prod'
        ' roles/editor user:data-scientist@example.com"\n'
        "    justification: Analysis sprint, removed with MLOPS-200.\n"
        "    approver: platform-lead@example.com\n"
        "    expires: 2099-01-01\n"
    )
    report = _conform(plans=(str(PROD_PLAN),), inventory=DEMO, waivers_file=waivers)
    grants = {f.address: f.status for f in report.findings if f.policy_id == "PG-CAI-004"}
    assert sorted(grants.values()) == [Status.FAIL, Status.WAIVED]
    assert (
        grants[
            "//storage.googleapis.com/ct-scan-mlops-prod-adhoc-exports "
            "roles/storage.objectViewer allUsers"
        ]
        is Status.FAIL
    )


def _alert(name: str, enabled: bool) -> dict[str, Any]:
    return {
        "name": f"//monitoring.googleapis.com/projects/p/alertPolicies/{name}",
        "asset_type": "monitoring.googleapis.com/AlertPolicy",
        "ancestors": ["projects/111"],
        "resource": {"data": {"displayName": "High error rate", "enabled": enabled}},
    }


ALERT_TF = {"display_name": "High error rate", "project": "p", "enabled": False}


def test_a_second_live_asset_with_the_same_identity_is_unmanaged() -> None:
    rec = _reconcile(
        _state(("a.t", "google_monitoring_alert_policy", ALERT_TF)),
        PROJECT,
        PROJECT_POLICY,
        _alert("1", False),
        _alert("2", True),
    )
    assert [m.asset_name for m in rec.managed] == [
        "//monitoring.googleapis.com/projects/p/alertPolicies/1"
    ]
    assert [u.asset_name for u in rec.unmanaged] == [
        "//monitoring.googleapis.com/projects/p/alertPolicies/2"
    ]


def test_two_terraform_resources_never_share_one_live_asset() -> None:
    rec = _reconcile(
        _state(
            ("a.one", "google_monitoring_alert_policy", ALERT_TF),
            ("a.two", "google_monitoring_alert_policy", ALERT_TF),
        ),
        PROJECT,
        PROJECT_POLICY,
        _alert("1", False),
    )
    assert [m.address for m in rec.managed] == ["a.one"]
    assert [m.address for m in rec.missing] == ["a.two"]


def test_an_empty_terraform_map_equals_a_value_the_api_leaves_out() -> None:
    tf = {**BUCKET_TF, "effective_labels": {}}
    live = {k: v for k, v in BUCKET_LIVE.items() if k != "labels"}
    rec = _reconcile(
        _state(("b.b1", "google_storage_bucket", tf)), PROJECT, PROJECT_POLICY, _bucket(live)
    )
    assert rec.managed[0].drifts == ()


def test_a_record_without_resource_data_is_incomplete_not_defaults() -> None:
    bare = _bucket({})
    del bare["resource"]
    bare["update_time"] = "2026-01-01T00:00:00Z"
    with pytest.raises(InventoryIncomplete, match="has no resource data"):
        _reconcile(_state(("b.b1", "google_storage_bucket", BUCKET_TF)), PROJECT, bare)


def test_a_grant_on_an_asset_nobody_can_see_is_not_verifiable_not_missing() -> None:
    grant = {"bucket": "b/elsewhere", "role": "roles/viewer", "member": "user:a@example.com"}
    listed_bucket_policy = {
        "name": "//storage.googleapis.com/b1",
        "asset_type": "storage.googleapis.com/Bucket",
        "iam_policy": {"bindings": []},
    }
    rec = _reconcile(
        _state(("g.g", "google_storage_bucket_iam_member", grant)),
        PROJECT,
        PROJECT_POLICY,
        listed_bucket_policy,
    )
    assert not rec.missing_grants
    [unverifiable] = rec.not_verifiable
    assert unverifiable.address == "g.g" and "not in the inventory" in unverifiable.reason


def test_a_governed_type_missing_from_the_whole_inventory_is_incomplete() -> None:
    with pytest.raises(InventoryIncomplete, match=r"no storage\.googleapis\.com/Bucket record"):
        _reconcile(_state(("b.b1", "google_storage_bucket", BUCKET_TF)), PROJECT, PROJECT_POLICY)


def test_bucket_grants_without_any_bucket_iam_record_are_incomplete() -> None:
    grant = {"bucket": "b1", "role": "roles/viewer", "member": "user:a@example.com"}
    with pytest.raises(InventoryIncomplete, match="no IAM policy of any storage"):
        _reconcile(
            _state(
                ("b.b1", "google_storage_bucket", BUCKET_TF),
                ("g.g", "google_storage_bucket_iam_member", grant),
            ),
            PROJECT,
            PROJECT_POLICY,
            _bucket(BUCKET_LIVE),
        )


def test_e_mail_members_compare_without_case() -> None:
    tf = {"project": "p", "role": "roles/viewer", "member": "user:Alice@Example.com"}
    live = _project_policy({"role": "roles/viewer", "members": ["user:alice@example.com"]})
    rec = _reconcile(_state(("iam.a", "google_project_iam_member", tf)), PROJECT, live)
    assert not rec.undeclared_grants and not rec.missing_grants


def test_malformed_policy_data_is_not_verifiable_not_a_crash() -> None:
    bad = {"project": "p", "policy_data": json.dumps({"bindings": ["oops"]})}
    chars = {
        "project": "p",
        "policy_data": json.dumps({"bindings": [{"role": "r", "members": "user:a@x.com"}]}),
    }
    rec = _reconcile(
        _state(
            ("p.bad", "google_project_iam_policy", bad),
            ("p.chars", "google_project_iam_policy", chars),
        ),
        PROJECT,
        PROJECT_POLICY,
    )
    assert {n.address for n in rec.not_verifiable} == {"p.bad", "p.chars"}
    assert not rec.missing_grants
