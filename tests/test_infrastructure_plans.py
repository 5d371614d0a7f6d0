"""The exported plans in infrastructure/plans/ and the generator that writes them.

The zero-change plans must load, count what docs/infrastructure.md says each environment has,
and match the HCL address for address. Each scenario plan must differ from prod.json only as
its name says. The committed files must be what the generator writes today.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from policies.consistency import plan_resources

from plangate.config import MismatchKind, check_consistency, load_configuration
from plangate.plan import SENSITIVE, Plan, format_path, load_plan

REPO = Path(__file__).resolve().parents[1]
SCRIPTS = REPO / "infrastructure" / "scripts"
PLANS = REPO / "infrastructure" / "plans"
ENVIRONMENTS = REPO / "infrastructure" / "terraform" / "environments"

sys.path.insert(0, str(SCRIPTS))

import generate_plans  # noqa: E402
from plangen_expr import EvalError  # noqa: E402
from plangen_spec import load_stack  # noqa: E402

COUNTS = {"prod": (48, 4), "dev": (47, 4), "staging": (52, 4)}
PLANNED_ALERTS = frozenset(
    f"module.monitoring.google_monitoring_alert_policy.{name}"
    for name in ("prediction_drift", "low_confidence_rate", "input_drift", "drift_monitor_stale")
)

FS = "module.firestore.google_firestore_database.main"
DVC = "module.storage.google_storage_bucket.dvc"
MODELS = "module.storage.google_storage_bucket.models"
PUBLIC_MEMBER = "module.storage.google_storage_bucket_iam_member.models_public_read"
OWNER = 'module.iam.google_project_iam_member.roles["ci_deployer_owner"]'
BUDGET = "module.budget.google_billing_budget.monthly"
FS_COMPUTED = ("create_time", "earliest_version_time", "etag", "id", "key_prefix")
FS_COMPUTED += ("uid", "update_time", "version_retention_period")

Difference = tuple[str, tuple[str, ...], tuple[str, ...]]


class Expected:
    """What a scenario changes: resource changes, configuration entries, variables, outputs."""

    def __init__(
        self,
        changes: set[Difference],
        config: set[str],
        variables: frozenset[str] = frozenset(),
        outputs: frozenset[str] = frozenset(),
    ) -> None:
        self.changes, self.config, self.variables, self.outputs = (
            changes,
            config,
            variables,
            outputs,
        )


SCENARIOS: Mapping[str, Expected] = {
    "prod-safe-label": Expected(
        {
            (
                DVC,
                ("update",),
                ("effective_labels.validated", "labels.validated", "terraform_labels.validated"),
            )
        },
        set(),  # the label is inside merge(...): the expression still only references var.labels
    ),
    "prod-force-destroy": Expected(
        {("module.storage.google_storage_bucket.drift_logs", ("update",), ("force_destroy",))},
        {"module.storage.google_storage_bucket.drift_logs"},
    ),
    "prod-firestore-delete-policy": Expected({(FS, ("update",), ("deletion_policy",))}, {FS}),
    "prod-firestore-replace": Expected(
        {(FS, ("delete", "create"), tuple(sorted((*FS_COMPUTED, "location_id"))))},
        set(),
        variables=frozenset({"firestore_location"}),
    ),
    "prod-bucket-delete": Expected(
        {(DVC, ("delete",), ())},
        {
            DVC,
            "module.storage.output.dvc_bucket_name",
            "module.storage.output.bucket_urls",
            "output.bucket_names",
        },
        outputs=frozenset({"bucket_names"}),
    ),
    "prod-budget-threshold-removed": Expected(
        {(BUDGET, ("update",), ("threshold_rules",))}, {BUDGET}
    ),
    "prod-owner-granted": Expected({(OWNER, ("create",), ())}, {"module.iam:project_roles"}),
    "prod-public-bucket": Expected(
        {
            (MODELS, ("update",), ("public_access_prevention",)),
            (PUBLIC_MEMBER, ("create",), ()),
        },
        {MODELS, PUBLIC_MEMBER},
    ),
}


@cache
def _raw(path: Path) -> dict[str, Any]:
    """The plan as JSON (shared between tests: read it, never change it)."""
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def _plan(path: Path) -> Plan:
    return load_plan(path).plan


def _all_plan_files() -> list[Path]:
    return [PLANS / f"{env}.json" for env in COUNTS] + [
        PLANS / "scenarios" / f"{name}.json" for name in SCENARIOS
    ]


# --------------------------------------------------------------------------- every plan


@pytest.mark.parametrize("path", _all_plan_files(), ids=lambda p: p.stem)
def test_every_generated_plan_loads_as_a_terraform_1_9_plan(path: Path) -> None:
    raw = _raw(path)
    plan = _plan(path)
    assert (plan.format_version, plan.terraform_version) == ("1.2", "1.9.8")
    assert (plan.errored, plan.complete) == (False, True)
    assert raw["prior_state"]["format_version"] == "1.0"
    assert plan.timestamp == generate_plans.TIMESTAMP
    assert {c.provider_name for c in plan.resource_changes} == {
        f"{'.'.join(('registry', 'terraform', 'io'))}/hashicorp/google"
    }


def test_the_scenario_directory_holds_exactly_the_scenario_table() -> None:
    assert {p.stem for p in (PLANS / "scenarios").glob("*.json")} == set(SCENARIOS)
    assert {s.name for s in generate_plans.SCENARIOS} == set(SCENARIOS)


# --------------------------------------------------------------------------- zero-change plans


@pytest.mark.parametrize("environment", sorted(COUNTS))
def test_zero_change_plan_counts_match_the_documented_inventory(environment: str) -> None:
    plan = _plan(PLANS / f"{environment}.json")
    managed, data = COUNTS[environment]
    assert len(plan.managed_changes) == managed
    assert {c.actions.values for c in plan.resource_changes} == {("no-op",)}
    assert all(c.mode == "managed" for c in plan.resource_changes)
    assert plan.prior_state is not None
    prior = plan.prior_state.values.resources
    assert sum(r.mode == "data" for r in prior) == data
    assert sum(r.mode == "managed" for r in prior) == managed
    assert plan.is_zero_change
    assert plan.applyable is False  # Terraform: nothing to apply


@pytest.mark.parametrize("environment", sorted(COUNTS))
def test_zero_change_plan_prior_state_equals_planned_values(environment: str) -> None:
    raw = _raw(PLANS / f"{environment}.json")

    def flat(module: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
        yield from module.get("resources", ())
        for child in module.get("child_modules", ()):
            yield from flat(child)

    planned = {r["address"]: r for r in flat(raw["planned_values"]["root_module"])}
    prior = {r["address"]: r for r in flat(raw["prior_state"]["values"]["root_module"])}
    for address, resource in planned.items():
        assert resource["values"] == prior[address]["values"], address
        assert resource["sensitive_values"] == prior[address]["sensitive_values"], address
    for change in raw["resource_changes"]:
        assert change["change"]["before"] == change["change"]["after"], change["address"]
        assert change["change"]["after"] == planned[change["address"]]["values"]
    assert raw["planned_values"]["outputs"] == raw["prior_state"]["values"]["outputs"]
    assert {o["actions"][0] for o in raw["output_changes"].values()} == {"no-op"}


@pytest.mark.parametrize("environment", sorted(COUNTS))
def test_plan_addresses_and_constants_match_the_hcl(environment: str) -> None:
    plan = _plan(PLANS / f"{environment}.json")
    constants = {
        address: block.constants() for address, block in plan.configuration.resources.items()
    }
    config = load_configuration(ENVIRONMENTS / environment)
    mismatches = check_consistency(plan_resources(plan), constants, config)
    hard = [m.describe() for m in mismatches if not m.is_soft]
    assert hard == []
    soft = {(m.kind, m.address) for m in mismatches if m.is_soft}
    # prod and dev leave the four planned alert policies at count = 0; staging declares them
    expected = set() if environment == "staging" else PLANNED_ALERTS
    assert soft == {(MismatchKind.MAYBE_ZERO_INSTANCES, a) for a in expected}


def test_staging_declares_the_planned_alerts_as_counted_instances() -> None:
    plan = _plan(PLANS / "staging.json")
    addresses = {c.address for c in plan.resource_changes}
    assert {f"{a}[0]" for a in PLANNED_ALERTS} <= addresses
    dev = {c.address for c in _plan(PLANS / "dev.json").resource_changes}
    prod = {c.address for c in _plan(PLANS / "prod.json").resource_changes}
    assert prod - dev == {'module.iam.google_project_iam_member.roles["training_aiplatform_user"]'}


def test_state_records_transitive_resource_dependencies() -> None:
    plan = _plan(PLANS / "prod.json")
    assert plan.prior_state is not None
    state = plan.prior_state.values.by_address
    index = state["module.firestore.google_firestore_index.predictions_by_class"]
    assert index.depends_on == (FS,)
    wif = state["module.workload_identity.google_service_account_iam_member.ci_deployer_wif"]
    assert "module.iam.google_service_account.ci_deployer" in wif.depends_on
    assert "module.workload_identity.data.google_project.this" in wif.depends_on
    # module "monitoring" has depends_on = [module.cloud_run]
    policy = state["module.monitoring.google_monitoring_alert_policy.api_error_rate"]
    assert "module.cloud_run.google_cloud_run_v2_service_iam_member.invoker" in policy.depends_on


# --------------------------------------------------------------------------- scenarios


def _config_entries(configuration: Mapping[str, Any]) -> dict[str, Any]:
    """The configuration flattened to comparable entries keyed by where they live."""
    found: dict[str, Any] = {"provider_config": configuration["provider_config"]}

    def walk(module: Mapping[str, Any], prefix: str) -> None:
        for name, output in module.get("outputs", {}).items():
            found[f"{prefix}output.{name}"] = output
        for resource in module.get("resources", ()):
            found[prefix + resource["address"]] = resource
        for name, variable in module.get("variables", {}).items():
            found[f"{prefix}var.{name}"] = variable
        for name, call in module.get("module_calls", {}).items():
            for argument, expression in call.get("expressions", {}).items():
                found[f"{prefix}module.{name}:{argument}"] = expression
            found[f"{prefix}module.{name}"] = {
                k: v for k, v in call.items() if k not in ("expressions", "module")
            }
            walk(call["module"], f"{prefix}module.{name}.")

    walk(configuration["root_module"], "")
    return found


def _differences(
    base: Plan, base_raw: dict[str, Any], plan: Plan, raw: dict[str, Any]
) -> set[Difference]:
    old = {c["address"]: c for c in base_raw["resource_changes"]}
    new = {c["address"]: c for c in raw["resource_changes"]}
    found: set[Difference] = set()
    for address in old.keys() | new.keys():
        if old.get(address) == new.get(address):
            continue
        change = plan.resource_change(address)
        if change is None:
            found.add((address, ("(absent)",), ()))
            continue
        paths = tuple(format_path(p) for p in change.change.changed_paths)
        found.add((address, change.actions.values, paths))
    return found


def _changed_keys(old: Mapping[str, Any], new: Mapping[str, Any]) -> set[str]:
    return {key for key in old.keys() | new.keys() if old.get(key) != new.get(key)}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_scenario_differs_from_prod_only_as_its_name_says(name: str) -> None:
    expected = SCENARIOS[name]
    base_raw, raw = _raw(PLANS / "prod.json"), _raw(PLANS / "scenarios" / f"{name}.json")
    base, plan = _plan(PLANS / "prod.json"), _plan(PLANS / "scenarios" / f"{name}.json")

    assert _differences(base, base_raw, plan, raw) == expected.changes
    assert raw["prior_state"] == base_raw["prior_state"]
    assert _changed_keys(base_raw["variables"], raw["variables"]) == expected.variables
    changing_outputs = {n for n, o in raw["output_changes"].items() if o["actions"] != ["no-op"]}
    assert changing_outputs == expected.outputs
    assert (
        _changed_keys(
            _config_entries(base_raw["configuration"]), _config_entries(raw["configuration"])
        )
        == expected.config
    )
    assert not plan.is_zero_change
    assert raw["applyable"] is True

    touched = {address for address, _, _ in expected.changes}
    old = {r.address: r.values for r in base.planned_values.resources}
    new = {r.address: r.values for r in plan.planned_values.resources}
    for address in old.keys() | new.keys():
        if address not in touched:
            assert old.get(address) == new.get(address), address


def _change(name: str, address: str) -> dict[str, Any]:
    raw = _raw(PLANS / "scenarios" / f"{name}.json")
    return next(c for c in raw["resource_changes"] if c["address"] == address)


def test_firestore_replacement_is_forced_by_the_location() -> None:
    change = _change("prod-firestore-replace", FS)
    assert change["action_reason"] == "replace_because_cannot_update"
    assert change["change"]["replace_paths"] == [["location_id"]]
    assert change["change"]["before"]["location_id"] == "eur3"
    assert change["change"]["after"]["location_id"] == "europe-west1"
    assert change["change"]["after_unknown"] == dict.fromkeys(FS_COMPUTED, True)
    assert not set(FS_COMPUTED) & set(change["change"]["after"])


def test_deleted_bucket_is_gone_from_planned_values_and_configuration() -> None:
    change = _change("prod-bucket-delete", DVC)
    assert change["action_reason"] == "delete_because_no_resource_config"
    assert change["change"]["after"] is None
    plan = _plan(PLANS / "scenarios" / "prod-bucket-delete.json")
    assert DVC not in plan.planned_values.by_address
    assert DVC not in plan.configuration.resources
    assert plan.prior_state is not None and DVC in plan.prior_state.values.by_address


@pytest.mark.parametrize(
    ("name", "address", "attributes"),
    [
        ("prod-owner-granted", OWNER, {"role": "roles/owner"}),
        ("prod-public-bucket", PUBLIC_MEMBER, {"member": "allUsers"}),
    ],
)
def test_created_grants_leave_the_server_assigned_attributes_unknown(
    name: str, address: str, attributes: dict[str, str]
) -> None:
    change = _change(name, address)["change"]
    assert change["before"] is None
    assert change["after_unknown"] == {"condition": [], "etag": True, "id": True}
    assert attributes.items() <= change["after"].items()


def test_safe_label_updates_the_provider_label_mirrors_too() -> None:
    after = _change("prod-safe-label", DVC)["change"]["after"]
    for key in ("labels", "terraform_labels", "effective_labels"):
        assert after[key]["validated"] == "phase-3"


# --------------------------------------------------------------------------- the generator


def test_committed_plans_are_what_the_generator_writes() -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPTS / "generate_plans.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stderr


def test_check_reports_a_stale_plan() -> None:
    problems = generate_plans.check({PLANS / "prod.json": "{}\n"})
    assert "infrastructure/plans/prod.json: differs from the generated plan" in problems


def test_no_script_writes_the_registry_host_literally() -> None:
    host = ".".join(("registry", "terraform", "io"))
    for path in SCRIPTS.glob("*.py"):
        assert host not in path.read_text(encoding="utf-8"), path


def _module(tmp_path: Path, body: str) -> Path:
    (tmp_path / "main.tf").write_text(body, encoding="utf-8")
    return tmp_path


def test_an_unsupported_expression_stops_the_generator_with_file_and_line(
    tmp_path: Path,
) -> None:
    root = _module(
        tmp_path,
        'variable "name" {\n  type    = string\n  default = "topic"\n}\n\n'
        'resource "google_pubsub_topic" "t" {\n  project = "p-123456"\n'
        "  name    = upper(var.name)\n}\n",
    )
    with pytest.raises(EvalError, match=r"main\.tf:8: function upper\(\) is not supported"):
        generate_plans.build_plan(load_stack(root), {})


def test_a_sensitive_variable_is_masked_wherever_it_flows(tmp_path: Path) -> None:
    root = _module(
        tmp_path,
        'variable "token" {\n  type      = string\n  sensitive = true\n}\n\n'
        'resource "google_pubsub_topic" "t" {\n  project = "p-123456"\n  name    = "t"\n'
        '  labels  = { plain = "x", secret = "v-${var.token}" }\n}\n',
    )
    document = generate_plans.build_plan(load_stack(root), {"token": "s3cr3t"})
    change = document["resource_changes"][0]["change"]
    assert change["after_sensitive"]["labels"] == {"secret": True}
    assert change["after"]["labels"]["secret"] == "v-s3cr3t"  # plain text, as Terraform writes
    assert document["configuration"]["root_module"]["variables"]["token"]["sensitive"] is True
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    plan = load_plan(path).plan
    assert plan.variables["token"] is SENSITIVE
    assert plan.resource_changes[0].after["labels"]["secret"] is SENSITIVE
