"""Release differences of `terraform show -json`: each plan shaped the way one release writes it."""

from __future__ import annotations

import json
from typing import Any

import pytest

from plangate.errors import InputError
from plangate.plan import (
    SENSITIVE,
    UNKNOWN,
    ChangeKind,
    Plan,
    parse_plan,
    render,
    to_plain,
)

NAME = "tf-1.0.0.json"
NULL_PROVIDER = "registry.terraform.io/hashicorp/null"
AWS_PROVIDER = "registry.terraform.io/hashicorp/aws"


def load(document: dict[str, Any]) -> Plan:
    return parse_plan(json.dumps(document).encode(), NAME).plan


def refusal(document: dict[str, Any]) -> str:
    with pytest.raises(InputError) as caught:
        load(document)
    message = str(caught.value)
    assert len(message.splitlines()) == 1, f"not one line: {message!r}"
    assert message.startswith(f"{NAME}: "), f"does not name the input: {message!r}"
    assert caught.value.exit_code == 2
    return message


def assert_hidden(secret: str, *things: Any) -> None:
    """The secret shows in no repr, plain copy or rendering of any of the things."""
    for thing in things:
        for text in (repr(thing), json.dumps(to_plain(thing), default=repr), render(thing)):
            assert secret not in text, f"{secret!r} leaks through {text!r}"


# --------------------------------------------------------------------------- resource_drift


def drift_plan(entry: dict[str, Any]) -> dict[str, Any]:
    """A Terraform 0.15/1.0 plan: one drifted instance, nothing to change."""
    return {
        "format_version": "0.1",
        "terraform_version": "1.0.0",
        "planned_values": {"root_module": {}},
        "resource_drift": [entry],
        "configuration": {"root_module": {}},
    }


def _drift(**keys: Any) -> dict[str, Any]:
    return {
        **keys,
        "mode": "managed",
        "type": "null_resource",
        "name": "x",
        "provider_name": NULL_PROVIDER,
        "change": {
            "actions": ["update"],
            "before": {"id": "1", "triggers": {"v": "a"}},
            "after": {"id": "1", "triggers": {"v": "b"}},
            "before_sensitive": {},
            "after_sensitive": {},
        },
    }


@pytest.mark.parametrize(
    ("entry", "address"),
    [
        (_drift(), "null_resource.x"),
        (_drift(index=0), "null_resource.x[0]"),
        (_drift(index="blue"), 'null_resource.x["blue"]'),
        (_drift(module_address="module.a"), "module.a.null_resource.x"),
        (_drift(module_address="module.a", index=0), "module.a.null_resource.x[0]"),
        (
            _drift(module_address='module.a["k"].module.b', index="key"),
            'module.a["k"].module.b.null_resource.x["key"]',
        ),
    ],
    ids=["root", "root-count", "root-for-each", "module", "module-count", "nested-for-each"],
)
def test_drift_without_address_gets_one_derived(entry: dict[str, Any], address: str) -> None:
    """Terraform 0.15-1.0.0: drift entries have no `address` (hashicorp/terraform#28975)."""
    plan = load(drift_plan(entry))
    (drift,) = plan.resource_drift
    assert drift.address == address
    assert drift.kind is ChangeKind.UPDATE
    assert drift.after["triggers"]["v"] == "b"
    assert plan.changes == ()
    assert not plan.is_zero_change


def test_drift_deleted_outside_terraform_without_address() -> None:
    """Terraform 0.15-1.0.0: an object deleted outside Terraform is a `delete` drift, no address."""
    entry = {
        "module_address": "module.a",
        "mode": "managed",
        "type": "null_resource",
        "name": "x",
        "provider_name": NULL_PROVIDER,
        "change": {
            "actions": ["delete"],
            "before": {"id": "1"},
            "after": None,
            "before_sensitive": {},
            "after_sensitive": False,
        },
    }
    plan = load(drift_plan(entry))
    assert [(d.address, d.kind) for d in plan.resource_drift] == [
        ("module.a.null_resource.x", ChangeKind.DELETE)
    ]
    assert plan.resource_drift[0].after is None
    assert not plan.is_zero_change


def test_drift_with_address_but_no_index_keeps_the_address() -> None:
    """Terraform 1.0.1-1.0.11: drift entries have an `address` but still no `index`."""
    plan = load(
        drift_plan(_drift(address="module.a.null_resource.x[1]", module_address="module.a"))
    )
    assert plan.resource_drift[0].address == "module.a.null_resource.x[1]"
    assert plan.resource_drift[0].index is None


@pytest.mark.parametrize("missing", ["type", "name"])
def test_drift_without_type_or_name_is_refused(missing: str) -> None:
    """Terraform 0.15-1.0.0: with no address, a drift entry lacking type or name names nothing."""
    entry = _drift(module_address="module.a")
    del entry[missing]
    message = refusal(drift_plan(entry))
    assert "resource_drift" in message
    assert missing in message


# --------------------------------------------------------------------------- format versions


@pytest.mark.parametrize(
    ("format_version", "terraform_version", "state_resource"),
    [
        (
            "0.1",
            "0.12.31",
            {
                "address": "aws_s3_bucket.b",
                "mode": "managed",
                "type": "aws_s3_bucket",
                "name": "b",
                "provider_name": "aws",
                "schema_version": 0,
                "values": {"bucket": "logs", "versioning": [{"enabled": True}], "tags": None},
            },
        ),
        (
            "0.2",
            "1.0.11",
            {
                "address": "aws_s3_bucket.b",
                "mode": "managed",
                "type": "aws_s3_bucket",
                "name": "b",
                "provider_name": AWS_PROVIDER,
                "schema_version": 0,
                "values": {"bucket": "logs", "versioning": [{"enabled": True}], "tags": None},
                "sensitive_values": {"versioning": [{}]},
            },
        ),
        *(
            (
                version,
                terraform,
                {
                    "address": "aws_s3_bucket.b",
                    "mode": "managed",
                    "type": "aws_s3_bucket",
                    "name": "b",
                    "provider_name": AWS_PROVIDER,
                    "schema_version": 0,
                    "values": {"bucket": "logs", "versioning": [{"enabled": True}], "tags": None},
                    "sensitive_values": {"versioning": [{}]},
                },
            )
            for version, terraform in (("1.0", "1.1.9"), ("1.1", "1.4.6"), ("1.2", "1.14.0"))
        ),
    ],
)
def test_every_format_version_loads_and_its_values_read(
    format_version: str, terraform_version: str, state_resource: dict[str, Any]
) -> None:
    """Terraform 0.12-1.14: format_version 0.1 (no sensitive_values), 0.2, 1.0, 1.1, 1.2 load."""
    plan = load(
        {
            "format_version": format_version,
            "terraform_version": terraform_version,
            "planned_values": {"root_module": {"resources": [state_resource]}},
            "resource_changes": [
                {
                    "address": "aws_s3_bucket.b",
                    "mode": "managed",
                    "type": "aws_s3_bucket",
                    "name": "b",
                    "provider_name": state_resource["provider_name"],
                    "change": {
                        "actions": ["no-op"],
                        "before": state_resource["values"],
                        "after": state_resource["values"],
                        "after_unknown": {},
                    },
                }
            ],
            "prior_state": {
                "format_version": format_version,
                "terraform_version": terraform_version,
                "values": {"root_module": {"resources": [state_resource]}},
            },
            "configuration": {"root_module": {}},
        }
    )
    assert plan.format_version == format_version
    assert plan.terraform_version == terraform_version
    for values in (plan.planned_values, plan.prior_state.values):
        resource = values.by_address["aws_s3_bucket.b"]
        assert resource.values["bucket"] == "logs"
        assert resource.values["versioning"][0]["enabled"] is True
        assert resource.values["tags"] is None
    assert plan.is_zero_change


def test_format_0_1_state_values_hide_what_the_changes_mark_sensitive() -> None:
    """Terraform 0.15.x: format 0.1 marks secrets in resource_changes only, not in planned/prior."""
    before = {"id": "db-1", "username": "admin", "password": "old-hunter2"}
    after = {"id": "db-1", "username": "admin", "password": "new-hunter2"}

    def instance(values: dict[str, Any]) -> dict[str, Any]:
        return {
            "address": "aws_db_instance.db",
            "mode": "managed",
            "type": "aws_db_instance",
            "name": "db",
            "provider_name": AWS_PROVIDER,
            "schema_version": 1,
            "values": values,
        }

    plan = load(
        {
            "format_version": "0.1",
            "terraform_version": "0.15.5",
            "planned_values": {"root_module": {"resources": [instance(after)]}},
            "resource_changes": [
                {
                    "address": "aws_db_instance.db",
                    "mode": "managed",
                    "type": "aws_db_instance",
                    "name": "db",
                    "provider_name": AWS_PROVIDER,
                    "change": {
                        "actions": ["update"],
                        "before": before,
                        "after": after,
                        "after_unknown": {},
                        "before_sensitive": {"password": True},
                        "after_sensitive": {"password": True},
                    },
                }
            ],
            "prior_state": {
                "format_version": "0.1",
                "terraform_version": "0.15.5",
                "values": {"root_module": {"resources": [instance(before)]}},
            },
            "configuration": {"root_module": {}},
        }
    )
    planned = plan.planned_values.by_address["aws_db_instance.db"].values
    prior = plan.prior_state.values.by_address["aws_db_instance.db"].values
    assert planned["username"] == prior["username"] == "admin"
    assert planned["password"] is SENSITIVE
    assert prior["password"] is SENSITIVE
    assert_hidden("hunter2", planned, prior)


# --------------------------------------------------------------------------- empty and first plans


@pytest.mark.parametrize(
    "document",
    [
        {
            "format_version": "0.1",
            "terraform_version": "0.12.31",
            "planned_values": {"root_module": {}},
            "configuration": {"root_module": {}},
        },
        {
            "format_version": "1.2",
            "terraform_version": "1.5.7",
            "planned_values": {"root_module": {}},
            "configuration": {
                "provider_config": {
                    "aws": {"name": "aws", "full_name": AWS_PROVIDER},
                },
                "root_module": {},
            },
            "timestamp": "2024-01-02T03:04:05Z",
            "errored": False,
        },
    ],
    ids=["0.12", "1.5"],
)
def test_empty_first_plan_leaves_sections_out(document: dict[str, Any]) -> None:
    """Terraform 0.12-1.14: an empty first plan omits changes, outputs, variables, prior_state."""
    plan = load(document)
    assert plan.resource_changes == ()
    assert plan.resource_drift == ()
    assert dict(plan.output_changes) == {}
    assert dict(plan.variables) == {}
    assert plan.prior_state is None
    assert plan.planned_values.resources == ()
    assert plan.is_zero_change


# --------------------------------------------------------------------------- outputs


@pytest.mark.parametrize(
    ("change", "after"),
    [
        (
            {
                "actions": ["create"],
                "after_unknown": True,
                "before_sensitive": False,
                "after_sensitive": False,
            },
            UNKNOWN,
        ),
        ({"actions": ["create"], "before": None, "after": None, "after_unknown": True}, UNKNOWN),
        (
            {
                "actions": ["create"],
                "before": None,
                "after": "10.0.0.1",
                "after_unknown": False,
                "before_sensitive": False,
                "after_sensitive": False,
            },
            "10.0.0.1",
        ),
        (
            {
                "actions": ["create"],
                "before": None,
                "after": {"a": 1},
                "after_unknown": {"b": True},
                "before_sensitive": False,
                "after_sensitive": False,
            },
            {"a": 1, "b": UNKNOWN},
        ),
    ],
    ids=["1.0-bool", "0.12-bool", "1.3-known-false", "1.3-structured"],
)
def test_output_after_unknown_boolean_or_structured(change: dict[str, Any], after: Any) -> None:
    """Terraform before 1.3: an unknown output's `after_unknown` is a boolean `true`, not a tree."""
    plan = load(
        {
            "format_version": "0.2",
            "terraform_version": "1.0.11",
            "planned_values": {"outputs": {"ip": {"sensitive": False}}, "root_module": {}},
            "output_changes": {"ip": change},
            "configuration": {"root_module": {"outputs": {"ip": {"expression": {}}}}},
        }
    )
    output = plan.output_changes["ip"]
    assert output.after == after
    assert output.before is None
    assert plan.changing_outputs == (output,)


def test_sensitive_output_flags_hide_both_sides_everywhere() -> None:
    """Terraform 0.15+: a sensitive output says `before_sensitive`/`after_sensitive: true`."""
    plan = load(
        {
            "format_version": "0.2",
            "terraform_version": "1.0.11",
            "planned_values": {
                "outputs": {"token": {"sensitive": True, "value": "new-s3cr3t"}},
                "root_module": {},
            },
            "output_changes": {
                "token": {
                    "actions": ["update"],
                    "before": "old-s3cr3t",
                    "after": "new-s3cr3t",
                    "after_unknown": False,
                    "before_sensitive": True,
                    "after_sensitive": True,
                }
            },
            "prior_state": {
                "format_version": "0.2",
                "terraform_version": "1.0.11",
                "values": {
                    "outputs": {"token": {"sensitive": True, "value": "old-s3cr3t"}},
                    "root_module": {},
                },
            },
            "configuration": {
                "root_module": {
                    "outputs": {
                        "token": {"sensitive": True, "expression": {"references": ["var.token"]}}
                    }
                }
            },
        }
    )
    output = plan.output_changes["token"]
    assert output.before is SENSITIVE
    assert output.after is SENSITIVE
    assert plan.planned_values.outputs["token"].value is SENSITIVE
    assert plan.prior_state.values.outputs["token"].value is SENSITIVE
    assert_hidden(
        "s3cr3t",
        plan,
        plan.output_changes,
        output,
        output.before,
        output.after,
        plan.changing_outputs,
        plan.planned_values,
        plan.planned_values.outputs,
        plan.prior_state,
        plan.configuration,
    )


@pytest.mark.parametrize(
    ("change", "planned_outputs", "prior_outputs", "declared"),
    [
        (
            {"actions": ["create"], "before": None, "after": "s3cr3t", "after_unknown": False},
            {"token": {"sensitive": True, "value": "s3cr3t"}},
            None,
            {"token": {"sensitive": True, "expression": {"references": ["var.token"]}}},
        ),
        (
            {"actions": ["delete"], "before": "s3cr3t", "after": None, "after_unknown": False},
            {},
            {"token": {"sensitive": True, "value": "s3cr3t"}},
            {},
        ),
        (
            {
                "actions": ["update"],
                "before": "s3cr3t",
                "after": "s3cr3t-2",
                "after_unknown": False,
            },
            {},
            None,
            {"token": {"sensitive": True, "expression": {"references": ["var.token"]}}},
        ),
    ],
    ids=["create-declared", "delete-from-prior-state", "declared-in-configuration-only"],
)
def test_output_without_sensitive_flags_is_hidden_when_declared_sensitive(
    change: dict[str, Any],
    planned_outputs: dict[str, Any],
    prior_outputs: dict[str, Any] | None,
    declared: dict[str, Any],
) -> None:
    """Terraform 0.12-0.14: output_changes have no sensitive flags; only the declaration tells."""
    document: dict[str, Any] = {
        "format_version": "0.1",
        "terraform_version": "0.14.11",
        "planned_values": {"outputs": planned_outputs, "root_module": {}},
        "output_changes": {"token": change},
        "configuration": {"root_module": {"outputs": declared}},
    }
    if prior_outputs is not None:
        document["prior_state"] = {
            "format_version": "0.1",
            "terraform_version": "0.14.11",
            "values": {"outputs": prior_outputs, "root_module": {}},
        }
    plan = load(document)
    output = plan.output_changes["token"]
    assert "s3cr3t" in (change["before"], change["after"])
    assert output.before is SENSITIVE
    assert output.after is SENSITIVE
    assert_hidden("s3cr3t", plan.output_changes, output.before, output.after, plan.planned_values)


@pytest.mark.parametrize(
    ("planned_output", "value", "type_"),
    [
        ({"sensitive": False}, UNKNOWN, None),
        ({"sensitive": False, "value": "10.0.0.1"}, "10.0.0.1", None),
        ({"sensitive": False, "type": "string"}, UNKNOWN, "string"),
        (
            {"sensitive": False, "type": ["list", "string"], "value": ["a"]},
            ("a",),
            ("list", "string"),
        ),
    ],
    ids=["1.1-unknown", "1.1-no-type", "1.2-unknown", "1.2-typed"],
)
def test_planned_output_without_value_or_type(
    planned_output: dict[str, Any], value: Any, type_: Any
) -> None:
    """Terraform before 1.2: planned outputs have no `type`; an unknown one never has `value`."""
    plan = load(
        {
            "format_version": "1.0",
            "terraform_version": "1.1.9",
            "planned_values": {"outputs": {"out": planned_output}, "root_module": {}},
            "configuration": {"root_module": {}},
        }
    )
    output = plan.planned_values.outputs["out"]
    assert output.value == value
    assert output.type == type_
    assert output.sensitive is False


# --------------------------------------------------------------------------- resource sensitivity


def _create(after: dict[str, Any], after_sensitive: Any) -> dict[str, Any]:
    return {
        "format_version": "0.1",
        "terraform_version": "0.15.0",
        "planned_values": {"root_module": {}},
        "resource_changes": [
            {
                "address": "aws_db_instance.db",
                "mode": "managed",
                "type": "aws_db_instance",
                "name": "db",
                "provider_name": AWS_PROVIDER,
                "change": {
                    "actions": ["create"],
                    "before": None,
                    "after": after,
                    "after_unknown": {"id": True},
                    "before_sensitive": False,
                    "after_sensitive": after_sensitive,
                },
            }
        ],
        "configuration": {"root_module": {}},
    }


def test_create_with_boolean_before_sensitive_and_empty_after_sensitive() -> None:
    """Terraform 0.15.0: a create says `before_sensitive: false` and `after_sensitive: {}`."""
    change = load(_create({"engine": "postgres"}, {})).resource_change("aws_db_instance.db")
    assert change.before is None
    assert change.after == {"engine": "postgres", "id": UNKNOWN}
    assert change.change.hidden_attributes() == set()


def test_after_sensitive_masks_an_attribute() -> None:
    """Terraform 0.15.2+: `after_sensitive: {"password": true}` marks a sensitive attribute."""
    plan = load(_create({"engine": "postgres", "password": "hunter2"}, {"password": True}))
    change = plan.resource_change("aws_db_instance.db")
    assert change.after["password"] is SENSITIVE
    assert change.after["engine"] == "postgres"
    assert_hidden("hunter2", change, change.after, plan.resource_changes)


# --------------------------------------------------------------------------- actions


def _with_actions(actions: list[str], before: Any, after: Any) -> dict[str, Any]:
    return {
        "format_version": "1.2",
        "terraform_version": "1.7.0",
        "planned_values": {"root_module": {}},
        "resource_changes": [
            {
                "address": "aws_instance.a",
                "mode": "managed",
                "type": "aws_instance",
                "name": "a",
                "provider_name": AWS_PROVIDER,
                "change": {
                    "actions": actions,
                    "before": before,
                    "after": after,
                    "after_unknown": {},
                    "before_sensitive": {} if before is not None else False,
                    "after_sensitive": {} if after is not None else False,
                },
            }
        ],
        "configuration": {"root_module": {}},
        "timestamp": "2024-01-02T03:04:05Z",
        "errored": False,
    }


@pytest.mark.parametrize(
    ("actions", "after", "kind", "destroys"),
    [
        (["forget"], None, ChangeKind.FORGET, False),
        (["create", "forget"], {"ami": "ami-2"}, ChangeKind.FORGET_REPLACE, False),
        (["delete", "create"], {"ami": "ami-2"}, ChangeKind.REPLACE, True),
        (["archive"], {"ami": "ami-2"}, ChangeKind.UNRECOGNISED, False),
    ],
    ids=["forget", "create-forget", "delete-create", "unrecognised"],
)
def test_actions_beyond_the_documented_list_count_as_changes(
    actions: list[str], after: Any, kind: ChangeKind, destroys: bool
) -> None:
    """Terraform 1.7+: `["forget"]` and `["create","forget"]` (and any future list) are changes."""
    plan = load(_with_actions(actions, {"ami": "ami-1"}, after))
    change = plan.resource_change("aws_instance.a")
    assert change.kind is kind
    assert change.actions.destroys is destroys
    assert plan.changes == (change,)
    assert not plan.is_zero_change


def test_import_only_no_op_is_a_change() -> None:
    """Terraform 1.5+: `["no-op"]` with `importing` means the object is imported, nothing else."""
    document = _with_actions(["no-op"], {"ami": "ami-1"}, {"ami": "ami-1"})
    document["resource_changes"][0]["change"]["importing"] = {"id": "i-0123"}
    plan = load(document)
    change = plan.resource_change("aws_instance.a")
    assert change.kind is ChangeKind.NO_OP
    assert change.is_import
    assert change.change.importing.id == "i-0123"
    assert plan.changes == (change,)
    assert not plan.is_zero_change


@pytest.mark.parametrize(
    ("terraform_version", "provider_name", "action_reason"),
    [
        ("0.12.31", "google", None),
        ("1.5.7", "registry.terraform.io/hashicorp/google", "read_because_config_unknown"),
    ],
)
def test_data_source_read(
    terraform_version: str, provider_name: str, action_reason: str | None
) -> None:
    """Terraform 0.12-1.14: data sources are resource_changes of mode "data" with `["read"]`."""
    entry: dict[str, Any] = {
        "address": "data.google_project.p",
        "mode": "data",
        "type": "google_project",
        "name": "p",
        "provider_name": provider_name,
        "change": {
            "actions": ["read"],
            "before": None,
            "after": {"project_id": "demo"},
            "after_unknown": {"number": True},
        },
    }
    if action_reason:
        entry["action_reason"] = action_reason
    plan = load(
        {
            "format_version": "0.1" if terraform_version.startswith("0.") else "1.2",
            "terraform_version": terraform_version,
            "planned_values": {"root_module": {}},
            "resource_changes": [entry],
            "configuration": {"root_module": {}},
        }
    )
    (read,) = plan.resource_changes
    assert read.address == "data.google_project.p"
    assert not read.is_managed
    assert read.kind is ChangeKind.READ
    assert read.after == {"project_id": "demo", "number": UNKNOWN}
    assert read.action_reason == action_reason
    assert plan.managed_changes == ()
    assert plan.changes == ()
    assert plan.is_zero_change


# --------------------------------------------------------------------------- providers, OpenTofu


def _provider_plan(terraform_version: str, provider_name: str, full_name: str) -> dict[str, Any]:
    return {
        "format_version": "0.1" if terraform_version.startswith("0.") else "1.2",
        "terraform_version": terraform_version,
        "planned_values": {"root_module": {}},
        "resource_changes": [
            {
                "address": "google_storage_bucket.b",
                "mode": "managed",
                "type": "google_storage_bucket",
                "name": "b",
                "provider_name": provider_name,
                "change": {
                    "actions": ["create"],
                    "before": None,
                    "after": {"name": "logs"},
                    "after_unknown": {"id": True},
                },
            }
        ],
        "configuration": {
            "provider_config": {"google": {"name": "google", "full_name": full_name}},
            "root_module": {},
        },
    }


@pytest.mark.parametrize(
    ("terraform_version", "provider_name", "opentofu"),
    [
        ("0.12.31", "google", False),
        ("1.6.0", "registry.terraform.io/hashicorp/google", False),
        ("1.6.0", "registry.opentofu.org/hashicorp/google", True),
    ],
    ids=["terraform-0.12-short", "terraform-1.6-fqn", "opentofu-1.6"],
)
def test_provider_names_and_opentofu(
    terraform_version: str, provider_name: str, opentofu: bool
) -> None:
    """Terraform 0.12 writes `"google"`, 0.13+ the registry name; OpenTofu its own registry host."""
    document = _provider_plan(terraform_version, provider_name, provider_name)
    if terraform_version.startswith("0.12"):
        del document["configuration"]["provider_config"]["google"]["full_name"]
    plan = load(document)
    change = plan.resource_change("google_storage_bucket.b")
    assert change.provider_name == provider_name
    assert change.type == "google_storage_bucket"
    assert plan.terraform_version == terraform_version
    assert plan.is_opentofu is opentofu


def test_opentofu_without_resource_changes_is_known_by_its_provider_config() -> None:
    """OpenTofu 1.6+: `terraform_version` is OpenTofu's own version; the provider host tells."""
    document = _provider_plan("1.6.0", "", "registry.opentofu.org/hashicorp/google")
    del document["resource_changes"]
    plan = load(document)
    assert plan.is_opentofu
    assert plan.terraform_version == "1.6.0"


# --------------------------------------------------------------------------- variables


def test_sensitive_root_variable_is_hidden() -> None:
    """Terraform 0.15+: `variables` has a sensitive value in plain text; configuration marks it."""
    plan = load(
        {
            "format_version": "1.1",
            "terraform_version": "1.3.9",
            "variables": {"db_password": {"value": "hunter2"}, "region": {"value": "eu-west-1"}},
            "planned_values": {"root_module": {}},
            "configuration": {
                "root_module": {
                    "variables": {
                        "db_password": {"sensitive": True},
                        "region": {"default": "eu-west-1"},
                    }
                }
            },
        }
    )
    assert plan.variables["db_password"] is SENSITIVE
    assert plan.variables["region"] == "eu-west-1"
    assert_hidden("hunter2", plan.variables, plan.configuration)


# --------------------------------------------------------------------------- checks, status flags


def test_checks_with_object_addresses_and_without_instances() -> None:
    """Terraform 1.3+: `checks` addresses are objects, and `instances` may be left out."""
    plan = load(
        {
            "format_version": "1.2",
            "terraform_version": "1.5.7",
            "planned_values": {"root_module": {}},
            "configuration": {"root_module": {}},
            "checks": [
                {
                    "address": {
                        "kind": "resource",
                        "to_display": "aws_instance.a",
                        "mode": "managed",
                        "type": "aws_instance",
                        "name": "a",
                    },
                    "status": "unknown",
                },
                {
                    "address": {"kind": "check", "to_display": "check.health", "name": "health"},
                    "status": "fail",
                    "instances": [
                        {
                            "address": {"to_display": "check.health"},
                            "status": "fail",
                            "problems": [{"message": "endpoint down"}],
                        }
                    ],
                },
            ],
            "timestamp": "2024-01-02T03:04:05Z",
            "errored": False,
        }
    )
    resource, check = plan.checks
    assert (resource.address, resource.kind, resource.status) == (
        "aws_instance.a",
        "resource",
        "unknown",
    )
    assert resource.instances == ()
    assert (check.address, check.kind, check.status) == ("check.health", "check", "fail")
    assert [(i.address, i.problems) for i in check.instances] == [
        ("check.health", ("endpoint down",))
    ]


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ({}, (None, None, None)),
        ({"errored": False}, (False, None, None)),
        ({"errored": True, "applyable": False, "complete": False}, (True, False, False)),
        ({"errored": False, "applyable": True, "complete": True}, (False, True, True)),
    ],
    ids=["before-1.5", "opentofu-or-1.5", "errored", "1.8-complete"],
)
def test_status_flags_absent_are_none_not_false(
    flags: dict[str, bool], expected: tuple[bool | None, ...]
) -> None:
    """Terraform 1.5+ add `errored`, later `applyable`/`complete`; older plans have none of them."""
    plan = load(
        {
            "format_version": "1.2" if flags else "1.1",
            "terraform_version": "1.8.0" if flags else "1.4.6",
            "planned_values": {"root_module": {}},
            "configuration": {"root_module": {}},
            **flags,
        }
    )
    assert (plan.errored, plan.applyable, plan.complete) == expected
    for value, wanted in zip((plan.errored, plan.applyable, plan.complete), expected, strict=True):
        assert value is wanted


# --------------------------------------------------------------------------- deferred changes


def _deferred(**keys: Any) -> dict[str, Any]:
    return {
        "reason": "unknown",
        "resource_change": {
            **keys,
            "mode": "managed",
            "type": "null_resource",
            "name": "x",
            "index_unknown": True,
            "provider_name": NULL_PROVIDER,
            "change": {
                "actions": ["create"],
                "before": None,
                "after": {"triggers": None},
                "after_unknown": {"id": True},
                "before_sensitive": False,
                "after_sensitive": {},
            },
        },
    }


@pytest.mark.parametrize(
    ("entry", "address"),
    [
        (_deferred(address="null_resource.x[*]"), "null_resource.x[*]"),
        (
            _deferred(address="module.a.null_resource.x[*]", module_address="module.a"),
            "module.a.null_resource.x[*]",
        ),
        (_deferred(), "null_resource.x[*]"),
        (_deferred(module_address="module.a"), "module.a.null_resource.x[*]"),
    ],
    ids=["root", "module", "root-no-address", "module-no-address"],
)
def test_deferred_change_with_unknown_index(entry: dict[str, Any], address: str) -> None:
    """Terraform 1.9+ (deferrals): a deferred instance has `index_unknown: true` and no `index`."""
    plan = load(
        {
            "format_version": "1.2",
            "terraform_version": "1.14.0",
            "planned_values": {"root_module": {}},
            "deferred_changes": [entry],
            "configuration": {"root_module": {}},
            "timestamp": "2025-01-02T03:04:05Z",
            "applyable": False,
            "complete": False,
            "errored": False,
        }
    )
    (deferred,) = plan.deferred_changes
    assert deferred.reason == "unknown"
    change = deferred.resource_change
    assert change.address == address
    assert change.index is None
    assert change.kind is ChangeKind.CREATE
    assert change.after["id"] is UNKNOWN
    assert plan.complete is False
