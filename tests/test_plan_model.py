"""The plan model: actions, addresses, modules, configuration, checks, outputs, features."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from plangate.plan import (
    ABSENT,
    SENSITIVE,
    UNKNOWN,
    Actions,
    ChangeKind,
    Expression,
    Plan,
    get_path,
    load_plan,
    parse_plan,
)
from tests.fixtures.builder import PlanBuilder, Secret

PLANS = Path(__file__).parent / "fixtures" / "plans"


def sample(name: str) -> Plan:
    return load_plan(PLANS / name).plan


# --------------------------------------------------------------------------- actions

PREDICATES = (
    "is_no_op",
    "is_create",
    "is_read",
    "is_update",
    "is_replace",
    "is_delete",
    "is_forget",
    "creates_before_destroying",
    "destroys",
    "changes_infrastructure",
)

# actions list -> (kind, the predicates that must be True; every other one must be False)
ACTION_TABLE: list[tuple[tuple[str, ...], ChangeKind, set[str]]] = [
    (("no-op",), ChangeKind.NO_OP, {"is_no_op"}),
    (("create",), ChangeKind.CREATE, {"is_create", "changes_infrastructure"}),
    (("read",), ChangeKind.READ, {"is_read"}),
    (("update",), ChangeKind.UPDATE, {"is_update", "changes_infrastructure"}),
    (
        ("delete", "create"),
        ChangeKind.REPLACE,
        {"is_replace", "destroys", "changes_infrastructure"},
    ),
    (
        ("create", "delete"),
        ChangeKind.REPLACE,
        {"is_replace", "destroys", "creates_before_destroying", "changes_infrastructure"},
    ),
    (("delete",), ChangeKind.DELETE, {"is_delete", "destroys", "changes_infrastructure"}),
    (("forget",), ChangeKind.FORGET, {"is_forget", "changes_infrastructure"}),
    (("create", "forget"), ChangeKind.FORGET_REPLACE, {"changes_infrastructure"}),
    (("forget", "create"), ChangeKind.FORGET_REPLACE, {"changes_infrastructure"}),
    (("open",), ChangeKind.OPEN, set()),
    (("explode",), ChangeKind.UNRECOGNISED, {"changes_infrastructure"}),
    (("read", "delete"), ChangeKind.UNRECOGNISED, {"destroys", "changes_infrastructure"}),
    (("update", "update"), ChangeKind.UNRECOGNISED, {"changes_infrastructure"}),
]


@pytest.mark.parametrize(
    ("values", "kind", "true"), ACTION_TABLE, ids=[",".join(row[0]) for row in ACTION_TABLE]
)
def test_actions_kind_and_every_predicate(
    values: tuple[str, ...], kind: ChangeKind, true: set[str]
) -> None:
    actions = Actions(values)
    assert actions.kind is kind
    assert {name for name in PREDICATES if getattr(actions, name)} == true


def test_actions_render_as_terraform_lists_them() -> None:
    assert str(Actions(("delete", "create"))) == "delete, create"


@pytest.mark.parametrize(
    ("action", "kind"),
    [
        ("no-op", ChangeKind.NO_OP),
        ("create", ChangeKind.CREATE),
        ("update", ChangeKind.UPDATE),
        ("delete", ChangeKind.DELETE),
        ("replace", ChangeKind.REPLACE),
        ("create-before-destroy", ChangeKind.REPLACE),
        ("read", ChangeKind.READ),
        ("forget", ChangeKind.FORGET),
        ("create-then-forget", ChangeKind.FORGET_REPLACE),
        ("forget-then-create", ChangeKind.FORGET_REPLACE),
        (["no-such-action"], ChangeKind.UNRECOGNISED),
    ],
)
def test_builder_actions_reach_the_model(action: Any, kind: ChangeKind) -> None:
    change = (
        PlanBuilder().resource("google_x.y", action=action, before={"a": 1}, after={"a": 2}).plan()
    )
    assert change.resource_changes[0].kind is kind


def test_plan_changes_counts_imports_and_moves_but_not_no_ops_or_reads() -> None:
    plan = (
        PlanBuilder()
        .resource("google_x.same", after={"a": 1})
        .resource("data.google_project.p", action="read", after={"id": UNKNOWN})
        .resource("google_x.imported", importing="id-1", after={"a": 1})
        .resource("google_x.moved", previous_address="google_x.old", after={"a": 1})
        .resource("google_x.gone", action="delete", before={"a": 1})
        .resource("google_x.odd", action=["explode"], after={"a": 1})
        .plan()
    )
    assert [c.address for c in plan.changes] == [
        "google_x.imported",
        "google_x.moved",
        "google_x.gone",
        "google_x.odd",
    ]
    assert not plan.is_zero_change


def test_zero_change_plan() -> None:
    plan = sample("no-changes.json")
    assert plan.is_zero_change
    assert plan.changes == ()
    assert plan.changing_outputs == ()


def test_drift_alone_is_not_zero_change() -> None:
    plan = (
        PlanBuilder()
        .resource("google_x.y", after={"a": 1})
        .drift("google_x.y", before={"a": 0}, after={"a": 1})
        .plan()
    )
    assert plan.changes == ()
    assert not plan.is_zero_change
    assert plan.resource_drift[0].kind is ChangeKind.UPDATE


# --------------------------------------------------------------------------- addresses

DEEP = 'module.a[0].module.b["x"].google_compute_instance.vm[1]'


def _module_plan() -> Plan:
    return (
        PlanBuilder()
        .resource(
            DEEP,
            action="update",
            before={"name": "vm", "zone": "b"},
            after={"name": "vm", "zone": "c"},
        )
        .resource('module.a[1].module.b["x"].google_compute_instance.vm[0]', after={"name": "vm0"})
        .resource(
            'module.iam.google_project_iam_member.roles["ci-deployer"]',
            action="create",
            after={"role": "r"},
        )
        .resource(
            "module.storage.google_storage_bucket.models", action="delete", before={"name": "m"}
        )
        .resource("google_project_service.run", after={"service": "run.googleapis.com"})
        .resource(
            "module.storage.data.google_project.this", action="read", after={"number": UNKNOWN}
        )
        .plan()
    )


def test_resource_change_fields_follow_the_address() -> None:
    change = _module_plan().resource_change(DEEP)
    assert change is not None
    assert change.module_address == 'module.a[0].module.b["x"]'
    assert (change.mode, change.type, change.name, change.index) == (
        "managed",
        "google_compute_instance",
        "vm",
        1,
    )
    iam = _module_plan().resource_changes[2]
    assert iam.index == "ci-deployer"
    data = _module_plan().resource_changes[5]
    assert (data.mode, data.type, data.is_managed) == ("data", "google_project", False)
    root = _module_plan().resource_changes[4]
    assert root.module_address is None and root.index is None


def test_planned_values_flatten_modules_with_full_addresses() -> None:
    planned = _module_plan().planned_values
    assert set(planned.by_address) == {
        DEEP,
        'module.a[1].module.b["x"].google_compute_instance.vm[0]',
        'module.iam.google_project_iam_member.roles["ci-deployer"]',
        "google_project_service.run",
        "module.storage.data.google_project.this",
    }
    vm = planned.by_address[DEEP]
    assert vm.module_address == 'module.a[0].module.b["x"]'
    assert vm.index == 1
    assert get_path(vm.values, "zone") == "c"
    assert planned.by_address["module.storage.data.google_project.this"].mode == "data"


def test_prior_state_flattens_modules_and_excludes_creates() -> None:
    prior = _module_plan().prior_state
    assert prior is not None
    assert prior.format_version == "1.0"
    assert set(prior.values.by_address) == {
        DEEP,
        'module.a[1].module.b["x"].google_compute_instance.vm[0]',
        "module.storage.google_storage_bucket.models",
        "google_project_service.run",
    }
    assert get_path(prior.values.by_address[DEEP].values, "zone") == "b"


def test_a_first_plan_has_no_prior_state() -> None:
    plan = PlanBuilder().resource("google_x.y", action="create", after={"a": 1}).plan()
    assert plan.prior_state is None


def test_deposed_objects_are_kept_apart_from_current_ones() -> None:
    plan = sample("format-1.2-terraform-1.8.json")
    address = "google_service_account_key.ci"
    current = plan.resource_change(address)
    assert current is not None and current.deposed is None and current.kind is ChangeKind.REPLACE
    deposed = [c for c in plan.resource_changes if c.deposed]
    assert [(c.address, c.deposed, c.kind) for c in deposed] == [
        (address, "2f1c9a7e", ChangeKind.DELETE)
    ]
    assert deposed[0].display_address == f"{address} (deposed 2f1c9a7e)"
    prior = plan.prior_state
    assert prior is not None
    assert [r.deposed_key for r in prior.values.resources if r.address == address] == [
        None,
        "2f1c9a7e",
    ]
    assert prior.values.by_address[address].deposed_key is None


# --------------------------------------------------------------------------- configuration


def test_configuration_flattens_module_calls_and_resources() -> None:
    config = _module_plan().configuration
    assert set(config.module_calls) == {
        "module.a",
        "module.a.module.b",
        "module.iam",
        "module.storage",
    }
    a = config.module_calls["module.a"]
    assert a.name == "a" and a.source == "./modules/a"
    assert a.count_expression is not None and a.count_expression.constant_value == 2
    b = config.module_calls["module.a.module.b"]
    assert b.for_each_expression is not None and b.for_each_expression.references == ("local.b",)
    assert dict(b.expressions) == {}  # a call without arguments still has a mapping
    vm = config.resources["module.a.module.b.google_compute_instance.vm"]
    assert vm.module_path == "module.a.module.b"
    assert vm.count_expression is not None and vm.count_expression.constant_value == 2
    assert "module.storage.google_storage_bucket.models" not in config.resources  # deleted block
    assert config.resources["module.storage.data.google_project.this"].mode == "data"


def test_configuration_constants_and_references() -> None:
    plan = (
        PlanBuilder()
        .resource(
            "google_storage_bucket.b",
            action="create",
            after={
                "name": "b",
                "labels": {"team": "ml"},
                "versioning": [{"enabled": True}],
                "hmac": Secret("k"),
                "self_link": UNKNOWN,
            },
        )
        .resource(
            "google_storage_bucket.c",
            action="create",
            config={
                "name": {"references": ["var.prefix", "local.x"]},
                "location": {"constant_value": "EU"},
                "logging": [
                    {
                        "log_bucket": {
                            "references": [
                                "google_storage_bucket.b.name",
                                "google_storage_bucket.b",
                            ]
                        }
                    }
                ],
                "force_destroy": {},
            },
        )
        .plan()
    )
    b = plan.configuration.resources["google_storage_bucket.b"]
    assert dict(b.constants()) == {"name": "b", "labels": {"team": "ml"}}
    assert isinstance(b.expressions["hmac"], Expression)
    assert b.expressions["hmac"].references == ("var.hmac",)
    assert not b.expressions["hmac"].is_constant
    assert "self_link" not in b.expressions
    assert b.expressions["versioning"][0]["enabled"].constant_value is True
    c = plan.configuration.resources["google_storage_bucket.c"]
    assert dict(c.constants()) == {"location": "EU"}
    assert c.expressions["name"].references == ("var.prefix", "local.x")
    assert c.expressions["name"].constant_value is ABSENT
    assert c.expressions["logging"][0]["log_bucket"].references[0] == "google_storage_bucket.b.name"
    assert c.expressions["force_destroy"].is_constant is False  # a function call: neither


def test_a_resource_without_arguments_has_empty_expressions() -> None:
    plan = PlanBuilder().resource("google_x.y", action="create", after={"id": UNKNOWN}).plan()
    resource = plan.configuration.resources["google_x.y"]
    assert dict(resource.expressions) == {}
    assert dict(resource.constants()) == {}


def test_provider_configs() -> None:
    plan = sample("format-1.1-terraform-1.3.json")
    google = plan.configuration.provider_configs["google"]
    assert google.name == "google"
    assert google.full_name is not None and google.full_name.endswith("/hashicorp/google")
    legacy = sample("format-0.1-terraform-0.12.json").configuration.provider_configs
    assert set(legacy) == {"google", "google-beta"}
    assert legacy["google"].full_name is None


def test_provider_blocks_keep_their_arguments() -> None:
    """terraform-compliance's `it must contain project` on a provider reads these."""
    plan = load_plan(Path(__file__).parents[1] / "infrastructure/plans/prod.json").plan
    google = plan.configuration.provider_configs["google"].expressions
    assert google["project"].references == ("var.project_id",)
    assert not google["project"].is_constant
    assert google["user_project_override"].constant_value is True


# --------------------------------------------------------------------------- outputs, variables


def test_output_changes() -> None:
    plan = (
        PlanBuilder()
        .output("url", action="create", after=UNKNOWN)
        .output("name", action="update", before="a", after="b")
        .output("token", action="update", before="t1", after="t2", sensitive=True)
        .output("same", after="x")
        .output("gone", action="delete", before="y")
        .plan()
    )
    outputs = plan.output_changes
    assert outputs["url"].after is UNKNOWN and outputs["url"].actions.is_create
    assert (outputs["name"].before, outputs["name"].after) == ("a", "b")
    assert outputs["token"].before is SENSITIVE and outputs["token"].after is SENSITIVE
    assert outputs["gone"].after is None and outputs["gone"].actions.is_delete
    assert [o.name for o in plan.changing_outputs] == ["url", "name", "token", "gone"]
    planned = plan.planned_values.outputs
    assert planned["url"].value is UNKNOWN
    assert planned["token"].value is SENSITIVE and planned["token"].sensitive
    assert planned["same"].value == "x" and planned["same"].type == "string"
    assert "gone" not in planned
    assert plan.configuration.root_outputs_sensitive == {
        "url": False,
        "name": False,
        "token": True,
        "same": False,
    }


def test_variables_redacted_when_configuration_marks_them_sensitive() -> None:
    plan = (
        PlanBuilder()
        .variable("region", "europe-west1")
        .variable("db_password", "hunter2", sensitive=True)
        .variable("labels", {"team": "ml"})
        .plan()
    )
    assert plan.variables["region"] == "europe-west1"
    assert plan.variables["db_password"] is SENSITIVE
    assert get_path(plan.variables["labels"], "team") == "ml"
    assert plan.configuration.root_variables["db_password"].sensitive


def test_variables_not_declared_in_configuration_are_kept() -> None:
    document = PlanBuilder().variable("region", "eu").build()
    document["configuration"]["root_module"].pop("variables", None)
    plan = Plan.from_dict(document)
    assert plan.variables["region"] == "eu"


# --------------------------------------------------------------------------- checks


def test_checks() -> None:
    plan = sample("format-1.1-terraform-1.3.json")
    by_address = {check.address: check for check in plan.checks}
    failing = by_address["google_artifact_registry_repository.images"]
    assert (failing.kind, failing.status) == ("resource", "fail")
    assert failing.instances[0].problems == (
        "Repositories must be in an EU region with immutable tags.",
    )
    assert by_address["google_cloud_run_v2_service.api"].status == "pass"
    unknown = by_address["output.api_url"]
    assert (unknown.kind, unknown.status, unknown.instances) == ("output_value", "unknown", ())


def test_check_instances_carry_instance_addresses() -> None:
    plan = (
        PlanBuilder()
        .check('module.a[0].google_x.y["k"]', status="fail", problems=["p1", "p2"])
        .plan()
    )
    check = plan.checks[0]
    assert check.address == "module.a.google_x.y"
    assert check.instances[0].address == 'module.a[0].google_x.y["k"]'
    assert check.instances[0].problems == ("p1", "p2")


# --------------------------------------------------------------------------- changes


def test_changed_paths_for_updates() -> None:
    plan = sample("format-1.1-terraform-1.3.json")
    run = plan.resource_change("google_cloud_run_v2_service.api")
    assert run is not None
    assert run.change.changed_paths == (("template", 0, "containers", 0, "image"),)
    created = plan.resource_change("google_artifact_registry_repository.images")
    assert created is not None and created.change.changed_paths == ()


def test_changed_paths_of_a_replace_include_unknowns() -> None:
    plan = sample("format-1.0-terraform-1.1.json")
    replaced = plan.resource_change("google_storage_bucket.drift_logs")
    assert replaced is not None
    assert {("location",), ("id",), ("self_link",), ("url",)} <= set(replaced.change.changed_paths)
    assert replaced.change.replace_paths == (("location",),)
    assert replaced.action_reason == "replace_because_cannot_update"


def test_moves() -> None:
    plan = sample("format-1.0-terraform-1.1.json")
    moved = plan.resource_change("module.storage.google_storage_bucket.models")
    assert moved is not None
    assert moved.previous_address == "google_storage_bucket.models"
    assert moved.is_move and moved.kind is ChangeKind.NO_OP
    assert moved in plan.changes
    gone = plan.resource_change("google_storage_bucket.scratch")
    assert gone is not None and gone.action_reason == "delete_because_no_resource_config"


def test_imports() -> None:
    plan = sample("format-1.2-terraform-1.5-import.json")
    firestore = plan.resource_change("google_firestore_database.default")
    assert firestore is not None and firestore.is_import
    assert firestore.change.importing is not None
    assert firestore.change.importing.id == "projects/ct-scan-mlops/databases/(default)"
    assert firestore.change.generated_config is not None
    assert firestore.change.generated_config.startswith('resource "google_firestore_database"')
    assert plan.timestamp == "2026-01-15T09:30:00Z"
    by_identity = sample("format-1.2-terraform-1.15.json").resource_change(
        "google_storage_bucket.models"
    )
    assert by_identity is not None and by_identity.change.importing is not None
    assert by_identity.change.importing.id is None
    assert by_identity.change.importing.identity == {
        "name": "ct-scan-mlops-models",
        "project": "ct-scan-mlops",
    }
    deferred = PlanBuilder().resource("google_x.y", importing={"unknown": True}, after={}).plan()
    importing = deferred.resource_changes[0].change.importing
    assert importing is not None and importing.unknown and importing.id is None


def test_unknowns_in_nested_blocks_and_lists_from_a_sample() -> None:
    plan = sample("format-0.1-terraform-0.12.json")
    runner = plan.resource_change("google_compute_instance.runner")
    assert runner is not None
    after = runner.after
    assert get_path(after, "network_interface[0].access_config[0].nat_ip") is UNKNOWN
    assert get_path(after, "network_interface[0].access_config[0].network_tier") == "PREMIUM"
    assert get_path(after, "tags") == ("training", UNKNOWN)
    assert get_path(after, "shielded_instance_config") is UNKNOWN
    assert get_path(after, "boot_disk[0].initialize_params[0].size") == 100


def test_relevant_attributes_and_deferred_changes() -> None:
    entry = (
        PlanBuilder()
        .resource("google_x.y", action="create", after={})
        .build()["resource_changes"][0]
    )
    plan = (
        PlanBuilder()
        .extra(
            relevant_attributes=[{"resource": "google_x.y", "attribute": ["tags", 0]}],
            deferred_changes=[{"reason": "provider_config_unknown", "resource_change": entry}],
        )
        .plan()
    )
    assert plan.relevant_attributes == (("google_x.y", ("tags", 0)),)
    assert plan.deferred_changes[0].reason == "provider_config_unknown"
    assert plan.deferred_changes[0].resource_change.address == "google_x.y"


# --------------------------------------------------------------------------- features by key presence


def test_a_0_1_plan_has_no_masks_and_no_switches() -> None:
    plan = sample("format-0.1-terraform-0.12.json")
    assert plan.format_version == "0.1"
    for change in plan.resource_changes:
        assert change.change.before_sensitive is False
        assert change.change.after_sensitive is False
    for resource in plan.planned_values.resources:
        assert resource.sensitive_values is False
    assert (plan.errored, plan.complete, plan.applyable, plan.timestamp) == (None, None, None, None)
    assert {c.provider_name for c in plan.resource_changes} == {"google", "google-beta"}
    assert plan.checks == ()


def test_errored_absent_before_1_6_and_present_after() -> None:
    assert sample("format-1.2-terraform-1.5-import.json").errored is None
    plan = sample("format-1.2-terraform-1.8.json")
    assert (plan.errored, plan.complete, plan.applyable) == (False, True, True)


def test_errored_and_incomplete_plans() -> None:
    errored = sample("errored.json")
    assert (errored.errored, errored.applyable, errored.complete) == (True, False, False)
    target = sample("incomplete-target.json")
    assert (target.errored, target.applyable, target.complete) == (False, True, False)


def test_opentofu_detected_by_provider_host() -> None:
    tofu = sample("format-1.2-opentofu-1.8.json")
    assert tofu.is_opentofu
    assert tofu.terraform_version == "1.8.3"
    assert (tofu.applyable, tofu.complete, tofu.errored) == (None, None, False)
    assert not sample("format-1.2-terraform-1.8.json").is_opentofu


def test_opentofu_detected_from_resource_changes_alone() -> None:
    plan = (
        PlanBuilder(opentofu=True, configuration=False)
        .resource("google_x.y", after={"a": 1})
        .plan()
    )
    assert plan.is_opentofu


def test_opentofu_detected_from_configuration_alone() -> None:
    plan = PlanBuilder(opentofu=True).resource("google_x.y", after={"a": 1}).build()
    plan["resource_changes"][0]["provider_name"] = "google"
    assert Plan.from_dict(plan).is_opentofu


def test_sensitive_values_masks_of_a_0_2_plan() -> None:
    plan = sample("format-0.2-terraform-1.0.json")
    secret = plan.planned_values.by_address[
        "module.secrets.google_secret_manager_secret_version.db_password"
    ]
    assert get_path(secret.values, "secret_data") is SENSITIVE
    assert secret.sensitive_values == {"secret_data": True}
    assert get_path(secret.values, "enabled") is True
    assert plan.output_changes["db_password"].after is SENSITIVE
    assert plan.resource_drift[0].address == "module.storage.google_storage_bucket.models"


def test_plan_is_immutable() -> None:
    plan = sample("no-changes.json")
    with pytest.raises(AttributeError):
        plan.errored = True  # type: ignore[misc]
    with pytest.raises(TypeError):
        plan.variables["x"] = 1  # type: ignore[index]


def test_changed_paths_stop_at_a_sensitive_value() -> None:
    """A sensitive map's keys are part of the secret: the path ends at the map."""
    plan = (
        PlanBuilder()
        .resource(
            "google_cloud_run_v2_service.api",
            action="update",
            before={"labels": Secret({"token-abc": "1"}), "name": "api"},
            after={"labels": Secret({"token-xyz": "2"}), "name": "api-2"},
        )
        .plan()
    )
    (change,) = plan.resource_changes
    assert change.change.changed_paths == (("labels",), ("name",))
    assert "token-" not in repr(plan)


def test_sensitive_output_of_an_old_plan_is_hidden_through_prior_state() -> None:
    """Format 0.1 output changes carry no sensitive flags; prior state still marks them."""
    document = PlanBuilder("0.12.31").output("db_pw", action="delete", before="pw-12345").build()
    document["prior_state"] = {
        "format_version": "0.1",
        "values": {
            "outputs": {"db_pw": {"sensitive": True, "value": "pw-12345"}},
            "root_module": {},
        },
    }
    plan = parse_plan(json.dumps(document).encode(), "old.json").plan
    assert plan.output_changes["db_pw"].before is SENSITIVE
    assert "pw-12345" not in repr(plan)


# --------------------------------------------------------------------------- found by mutation


def test_unrecognised_actions_are_labelled_and_kept_as_written() -> None:
    actions = Actions(("explode", "now"))
    assert actions.kind is ChangeKind.UNRECOGNISED
    assert actions.kind.value == "unrecognised"
    assert str(actions) == "explode, now"
    assert actions.changes_infrastructure and not actions.destroys
    assert not actions.creates_before_destroying
    assert Actions(("create", "delete")).creates_before_destroying
    assert not Actions(("delete", "create")).creates_before_destroying


def test_actions_are_frozen_and_compare_by_their_list() -> None:
    import dataclasses

    actions = Actions(("create",))
    with pytest.raises(dataclasses.FrozenInstanceError):
        actions.values = ("delete",)  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        actions.kind = ChangeKind.DELETE  # type: ignore[misc]
    assert actions == Actions(("create",)) and actions != Actions(("update",))
    assert repr(actions) == "Actions(values=('create',))"


def test_a_loaded_resource_change_is_frozen() -> None:
    import dataclasses

    plan = parse_plan(
        PlanBuilder()
        .resource("google_storage_bucket.a", action="create", after={})
        .dumps()
        .encode(),
        "p.json",
    ).plan
    change = plan.resource_changes[0]
    with pytest.raises((dataclasses.FrozenInstanceError, AttributeError, TypeError)):
        change.address = "google_storage_bucket.b"  # type: ignore[misc]


def test_actions_carry_no_instance_dictionary() -> None:
    # one Actions per resource change: plans of 10,000 resources keep them slotted
    assert not hasattr(Actions(("create",)), "__dict__")
