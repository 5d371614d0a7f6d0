"""The scenario plans: each one a small, declarative edit of the prod configuration.

A scenario edits a copy of prod's HCL model (and may override root variable values); the
generator then plans that configuration against prod's state. Nothing else differs from
``prod.json``, so each file shows exactly the change its name says and what Terraform derives
from it (label mirrors, unknown computed attributes, an output that loses a key).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from plangen_spec import ModuleSpec, OutputSpec, ResourceSpec, Where

from plangate.config import Expression

Mutation = Callable[[ModuleSpec], None]
Step = str | int


def hcl(source: str) -> Expression:
    """An HCL expression, written as it would be in a .tf file (without ``${ }``)."""
    return Expression("${" + source + "}")


def _resource(root: ModuleSpec, module: tuple[str, ...], address: str) -> ResourceSpec:
    try:
        return root.module(module).resources[address]
    except KeyError:
        raise KeyError(f"scenario: no resource {address} in module {module}") from None


def _parent(container: Any, path: tuple[Step, ...]) -> Any:
    for step in path[:-1]:
        container = container[step]
    return container


def set_argument(
    module: tuple[str, ...], address: str, path: tuple[Step, ...], value: Any
) -> Mutation:
    """Set (or add) an argument, or an item inside a nested block, of a resource block."""

    def apply(root: ModuleSpec) -> None:
        _parent(_resource(root, module, address).attributes, path)[path[-1]] = value

    return apply


def remove_item(module: tuple[str, ...], address: str, path: tuple[Step, ...]) -> Mutation:
    """Delete an argument, a nested block or a list item of a resource block."""

    def apply(root: ModuleSpec) -> None:
        container = _parent(_resource(root, module, address).attributes, path)
        del container[path[-1]]

    return apply


def remove_resource(module: tuple[str, ...], address: str) -> Mutation:
    def apply(root: ModuleSpec) -> None:
        _resource(root, module, address)
        del root.module(module).resources[address]

    return apply


def add_resource(
    module: tuple[str, ...], type_: str, name: str, attributes: Mapping[str, Any]
) -> Mutation:
    """Add a managed resource block (its location is the module's main.tf)."""

    def apply(root: ModuleSpec) -> None:
        target = root.module(module)
        where = Where(target.directory / "main.tf", 1)
        spec = ResourceSpec("managed", type_, name, dict(attributes), set(), where)
        if spec.address in target.resources:
            raise KeyError(f"scenario: {spec.address} already exists in module {module}")
        target.resources[spec.address] = spec

    return apply


def set_call_argument(
    module: tuple[str, ...], call: str, path: tuple[Step, ...], value: Any
) -> Mutation:
    """Set an argument of a module call, or a key inside an object argument."""

    def apply(root: ModuleSpec) -> None:
        _parent(root.module(module).calls[call].arguments, path)[path[-1]] = value

    return apply


def remove_output(module: tuple[str, ...], name: str) -> Mutation:
    def apply(root: ModuleSpec) -> None:
        del root.module(module).outputs[name]

    return apply


def remove_output_key(module: tuple[str, ...], name: str, key: str) -> Mutation:
    """Drop one attribute of an output whose value is an object constructor."""

    def apply(root: ModuleSpec) -> None:
        output: OutputSpec = root.module(module).outputs[name]
        del output.value[key]

    return apply


@dataclass(frozen=True)
class Scenario:
    name: str
    summary: str
    mutations: tuple[Mutation, ...]
    variables: Mapping[str, Any] = field(default_factory=dict)


STORAGE = ("storage",)
DVC = "google_storage_bucket.dvc"

SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "prod-safe-label",
        "Phase 3 safe change: one label added to the DVC bucket (in-place update)",
        (
            set_argument(
                STORAGE,
                DVC,
                ("labels",),
                hcl('merge(var.labels, {component = "dvc-data", validated = "phase-3"})'),
            ),
        ),
    ),
    Scenario(
        "prod-force-destroy",
        "force_destroy flipped to true on the drift-logs bucket (update)",
        (set_argument(STORAGE, "google_storage_bucket.drift_logs", ("force_destroy",), True),),
    ),
    Scenario(
        "prod-firestore-delete-policy",
        'Firestore deletion_policy set to "DELETE" (update)',
        (
            set_argument(
                ("firestore",), "google_firestore_database.main", ("deletion_policy",), "DELETE"
            ),
        ),
    ),
    Scenario(
        "prod-firestore-replace",
        "Firestore location changed in the variable values: the database is replaced",
        (),
        variables={"firestore_location": "europe-west1"},
    ),
    Scenario(
        "prod-bucket-delete",
        "The DVC bucket's block removed (with the outputs that name it): the bucket is deleted",
        (
            remove_resource(STORAGE, DVC),
            remove_output(STORAGE, "dvc_bucket_name"),
            remove_output_key(STORAGE, "bucket_urls", "dvc"),
            remove_output_key((), "bucket_names", "dvc"),
        ),
    ),
    Scenario(
        "prod-budget-threshold-removed",
        "The budget's 25 % early-warning threshold rule removed (update)",
        (remove_item(("budget",), "google_billing_budget.monthly", ("threshold_rules", 0)),),
    ),
    Scenario(
        "prod-owner-granted",
        "roles/owner granted to the CI deployer through the iam module's project_roles map",
        (
            set_call_argument(
                (),
                "iam",
                ("project_roles", "ci_deployer_owner"),
                {"account": "ci_deployer", "role": "roles/owner"},
            ),
        ),
    ),
    Scenario(
        "prod-public-bucket",
        "The models bucket made public: allUsers object reader, public access prevention inherited",
        (
            set_argument(
                STORAGE, "google_storage_bucket.models", ("public_access_prevention",), "inherited"
            ),
            add_resource(
                STORAGE,
                "google_storage_bucket_iam_member",
                "models_public_read",
                {
                    "bucket": hcl("google_storage_bucket.models.name"),
                    "role": "roles/storage.objectViewer",
                    "member": "allUsers",
                },
            ),
        ),
    ),
)
