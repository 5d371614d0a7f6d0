"""Write the corpus plans: small Google Cloud plans in three plan format versions.

    .venv/bin/python tests/tc/corpus/plans/make_plans.py

The JSON files are checked in; this script is how they were written, so that a change to one
is a change to the script. Each plan has what terraform-compliance's step forms need to say
something (labels, nested blocks, references, variables, outputs, a provider configuration, a
data source) and what it reads differently (a pure delete, values known only after apply, a
sensitive value). `gcs-1.2.json` is pretty-printed as `terraform show -json | jq` writes it;
the others are one line, as `terraform show -json` writes them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PROVIDER = "registry.terraform.io/hashicorp/google"


def bucket_values(name: str, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": name,
        "location": "EU",
        "project": "acme-prod",
        "storage_class": "STANDARD",
        "force_destroy": False,
        "uniform_bucket_level_access": True,
        "public_access_prevention": "enforced",
        "labels": {"env": "prod", "team": "data"},
        "versioning": [{"enabled": True}],
        "lifecycle_rule": [],
        "id": name,
        "url": f"gs://{name}",
        "self_link": f"https://www.googleapis.com/storage/v1/b/{name}",
    }
    values.update(overrides)
    return values


def sensitive_mask(values: Any) -> Any:
    """The `*_sensitive` shape of values with nothing sensitive (nested blocks kept)."""
    if isinstance(values, dict):
        return {k: sensitive_mask(v) for k, v in values.items() if isinstance(v, dict | list)}
    if isinstance(values, list):
        return [sensitive_mask(v) for v in values]
    return False


class Plan:
    def __init__(self, format_version: str, terraform_version: str, provider_name: str) -> None:
        self.format_version = format_version
        self.terraform_version = terraform_version
        self.provider_name = provider_name
        self.planned: dict[str, list[dict[str, Any]]] = {}
        self.prior: dict[str, list[dict[str, Any]]] = {}
        self.changes: list[dict[str, Any]] = []
        self.config: dict[str, list[dict[str, Any]]] = {}
        self.module_calls: dict[str, str] = {}
        self.variables: dict[str, Any] = {}
        self.variable_config: dict[str, Any] = {}
        self.outputs: dict[str, dict[str, Any]] = {}
        self.output_config: dict[str, Any] = {}

    def resource(
        self,
        address: str,
        actions: list[str],
        *,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
        unknown: dict[str, Any] | None = None,
        after_sensitive: dict[str, Any] | None = None,
        expressions: dict[str, Any] | None = None,
        module: str = "",
        index: Any = None,
        mode: str = "managed",
    ) -> None:
        local = address.removeprefix(f"{module}.") if module else address
        rtype, name = local.removeprefix("data.").split(".")[:2]
        name = name.split("[")[0]
        common: dict[str, Any] = {"address": address, "mode": mode, "type": rtype, "name": name}
        if index is not None:
            common["index"] = index
        if module:
            common["module_address"] = module
        if after is not None:
            self.planned.setdefault(module, []).append(
                {
                    **common,
                    "provider_name": self.provider_name,
                    "schema_version": 0,
                    "values": after,
                    **(
                        {"sensitive_values": after_sensitive or sensitive_mask(after)}
                        if self.format_version != "0.1"
                        else {}
                    ),
                }
            )
        if before is not None:
            self.prior.setdefault(module, []).append(
                {
                    **common,
                    "provider_name": self.provider_name,
                    "schema_version": 0,
                    "values": before,
                    "sensitive_values": sensitive_mask(before),
                }
            )
        change: dict[str, Any] = {
            "actions": actions,
            "before": before,
            "after": after,
            "after_unknown": unknown or {},
        }
        if self.format_version != "0.1":
            change["before_sensitive"] = False if before is None else sensitive_mask(before)
            change["after_sensitive"] = (
                False if after is None else after_sensitive or sensitive_mask(after)
            )
        entry = {**common, "provider_name": self.provider_name, "change": change}
        if actions == ["delete", "create"]:
            entry["action_reason"] = "replace_because_cannot_update"
        self.changes.append(entry)
        if expressions is not None:
            block = {
                "address": f"{'data.' if mode == 'data' else ''}{rtype}.{name}",
                "mode": mode,
                "type": rtype,
                "name": name,
                "provider_config_key": "google" if not module else f"{module[7:]}:google",
                "expressions": expressions,
                "schema_version": 0,
            }
            if index is not None and isinstance(index, int):
                block["count_expression"] = {"constant_value": 2}
            if block not in self.config.setdefault(module, []):
                self.config[module].append(block)

    def variable(self, name: str, value: Any, description: str) -> None:
        self.variables[name] = {"value": value}
        self.variable_config[name] = {"description": description}

    def output(
        self, name: str, value: Any, expression: dict[str, Any], *, sensitive: bool = False
    ) -> None:
        known = value is not None
        entry: dict[str, Any] = {"sensitive": sensitive}
        if known:
            entry["value"] = value
        self.outputs[name] = entry
        self.output_config[name] = {"expression": expression}
        if sensitive:
            self.output_config[name]["sensitive"] = True

    def document(self) -> dict[str, Any]:
        def module_tree(tree: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
            root: dict[str, Any] = {"resources": tree.get("", [])}
            children = [
                {"resources": resources, "address": module}
                for module, resources in tree.items()
                if module
            ]
            if children:
                root["child_modules"] = children
            return root

        config_root: dict[str, Any] = {
            "resources": self.config.get("", []),
            "variables": self.variable_config,
            "outputs": self.output_config,
        }
        if self.module_calls:
            config_root["module_calls"] = {
                module[7:]: {
                    "source": source,
                    "module": {"resources": self.config.get(module, [])},
                }
                for module, source in self.module_calls.items()
            }
        document: dict[str, Any] = {
            "format_version": self.format_version,
            "terraform_version": self.terraform_version,
            "variables": self.variables,
            "planned_values": {"outputs": self.outputs, "root_module": module_tree(self.planned)},
            "resource_changes": self.changes,
            "output_changes": {
                name: {
                    "actions": ["create"],
                    "before": None,
                    "after": output.get("value"),
                    "after_unknown": "value" not in output,
                    "before_sensitive": False,
                    "after_sensitive": output["sensitive"],
                }
                for name, output in self.outputs.items()
            },
            "prior_state": {
                "format_version": self.format_version,
                "terraform_version": self.terraform_version,
                "values": {"root_module": module_tree(self.prior)},
            },
            "configuration": {
                "provider_config": {
                    "google": {
                        "name": "google",
                        "full_name": PROVIDER,
                        "version_constraint": "~> 5.40",
                        "expressions": {
                            "project": {"references": ["var.project"]},
                            "region": {"references": ["var.region"]},
                        },
                    }
                },
                "root_module": config_root,
            },
        }
        if self.format_version == "0.1":
            del document["output_changes"]
            del document["configuration"]["provider_config"]["google"]["full_name"]
        else:
            document["timestamp"] = "2025-03-04T10:00:00Z"
            document["applyable"] = True
            document["complete"] = True
            document["errored"] = False
        return document


def const(value: Any) -> dict[str, Any]:
    return {"constant_value": value}


def refs(*references: str) -> dict[str, Any]:
    return {"references": list(references)}


def gcs_12() -> Plan:
    """Root-module buckets: a no-op, an update, a replacement, a pure delete, IAM, Cloud Run."""
    plan = Plan("1.2", "1.9.8", PROVIDER)
    plan.variable("project", "acme-prod", "Project that holds the stack")
    plan.variable("region", "europe-west1", "Default region")
    plan.variable("environment", "prod", "Environment name")
    bucket_expr = {
        "name": const("acme-prod-x"),
        "location": const("EU"),
        "project": refs("var.project"),
        "force_destroy": const(False),
        "labels": refs("var.environment"),
    }
    logs = bucket_values(
        "acme-prod-logs",
        lifecycle_rule=[
            {
                "action": [{"type": "Delete", "storage_class": ""}],
                "condition": [{"age": 30, "with_state": "ANY"}],
            }
        ],
    )
    plan.resource(
        "google_storage_bucket.logs", ["no-op"], before=logs, after=logs, expressions=bucket_expr
    )
    assets_before = bucket_values("acme-prod-assets", labels={"env": "prod"})
    assets_after = bucket_values(
        "acme-prod-assets", labels={"env": "prod"}, versioning=[{"enabled": False}]
    )
    plan.resource(
        "google_storage_bucket.assets",
        ["update"],
        before=assets_before,
        after=assets_after,
        expressions=bucket_expr,
    )
    scratch_before = bucket_values(
        "scratch-tmp", location="US", force_destroy=True, labels={"env": "dev"}
    )
    scratch_after = bucket_values(
        "scratch-tmp", location="EU", force_destroy=True, labels={"env": "dev"}
    )
    for key in ("id", "url", "self_link"):
        del scratch_after[key]
    plan.resource(
        "google_storage_bucket.scratch",
        ["delete", "create"],
        before=scratch_before,
        after=scratch_after,
        unknown={"id": True, "url": True, "self_link": True, "versioning": [{}]},
        expressions=bucket_expr,
    )
    old = bucket_values("acme-prod-old", force_destroy=True, labels={"env": "prod"})
    plan.resource("google_storage_bucket.old", ["delete"], before=old)
    plan.resource(
        "google_storage_bucket_iam_member.public",
        ["create"],
        after={
            "bucket": "acme-prod-assets",
            "role": "roles/storage.objectViewer",
            "member": "allUsers",
            "condition": [],
        },
        unknown={"id": True, "etag": True, "condition": []},
        expressions={
            "bucket": refs("google_storage_bucket.assets.name", "google_storage_bucket.assets"),
            "role": const("roles/storage.objectViewer"),
            "member": const("allUsers"),
        },
    )
    plan.resource(
        "google_storage_bucket_iam_member.reader",
        ["create"],
        after={
            "bucket": "acme-prod-logs",
            "role": "roles/storage.objectViewer",
            "member": "serviceAccount:reader@acme-prod.iam.gserviceaccount.com",
            "condition": [],
        },
        unknown={"id": True, "etag": True, "condition": []},
        expressions={
            "bucket": refs("google_storage_bucket.logs.name", "google_storage_bucket.logs"),
            "role": const("roles/storage.objectViewer"),
            "member": const("serviceAccount:reader@acme-prod.iam.gserviceaccount.com"),
        },
    )
    run_after = {
        "name": "api",
        "location": "europe-west1",
        "project": "acme-prod",
        "ingress": "INGRESS_TRAFFIC_ALL",
        "labels": {"env": "prod", "team": "api"},
        "template": [
            {
                "max_instance_request_concurrency": 80,
                "containers": [
                    {
                        "image": "europe-docker.pkg.dev/acme-prod/api/api:1.4.2",
                        "env": [
                            {"name": "LOG_LEVEL", "value": "info", "value_source": []},
                            {"name": "DB_PASSWORD", "value": "hunter2", "value_source": []},
                        ],
                        "ports": [{"container_port": 8080, "name": "http1"}],
                    }
                ],
                "scaling": [{"min_instance_count": 1, "max_instance_count": 5}],
            }
        ],
    }
    run_sensitive = sensitive_mask(run_after)
    run_sensitive["template"][0]["containers"][0]["env"][1]["value"] = True
    plan.resource(
        "google_cloud_run_v2_service.api",
        ["create"],
        after=run_after,
        after_sensitive=run_sensitive,
        unknown={"uri": True, "id": True, "template": [{"service_account": True}]},
        expressions={
            "name": const("api"),
            "location": refs("var.region"),
            "project": refs("var.project"),
            "ingress": const("INGRESS_TRAFFIC_ALL"),
        },
    )
    project = {"project_id": "acme-prod", "number": "123456789012", "name": "acme-prod"}
    plan.resource(
        "data.google_project.this",
        ["read"],
        after=project,
        mode="data",
        expressions={"project_id": refs("var.project")},
    )
    plan.output("logs_bucket", "gs://acme-prod-logs", refs("google_storage_bucket.logs.url"))
    plan.output("api_uri", None, refs("google_cloud_run_v2_service.api.uri"))
    plan.output("db_password", "hunter2", const("hunter2"), sensitive=True)
    return plan


def gcs_01() -> Plan:
    """Terraform 0.12: buckets in a module with count, an IAM grant to all authenticated users."""
    plan = Plan("0.1", "0.12.31", "google")
    plan.variable("project", "acme-dev", "Project that holds the stack")
    plan.variable("region", "europe-west4", "Default region")
    plan.module_calls["module.storage"] = "./modules/storage"
    expressions = {
        "name": refs("var.names"),
        "location": const("EUROPE-WEST4"),
        "force_destroy": const(False),
        "labels": refs("var.labels"),
    }
    for index, name in enumerate(("acme-dev-data", "acme-dev-models")):
        values = bucket_values(
            name,
            location="EUROPE-WEST4",
            project="acme-dev",
            labels={"env": "dev", "team": "ml"},
            storage_class="NEARLINE" if index else "STANDARD",
        )
        plan.resource(
            f"module.storage.google_storage_bucket.buckets[{index}]",
            ["no-op"],
            before=values,
            after=values,
            module="module.storage",
            index=index,
            expressions=expressions,
        )
    plan.resource(
        "google_storage_bucket_iam_member.everyone",
        ["create"],
        after={
            "bucket": "acme-dev-data",
            "role": "roles/storage.objectViewer",
            "member": "allAuthenticatedUsers",
            "condition": [],
        },
        unknown={"id": True, "etag": True, "condition": []},
        expressions={
            "bucket": const("acme-dev-data"),
            "role": const("roles/storage.objectViewer"),
            "member": const("allAuthenticatedUsers"),
        },
    )
    plan.output("bucket_names", ["acme-dev-data", "acme-dev-models"], refs("module.storage"))
    return plan


def deletes_10() -> Plan:
    """Terraform 1.1: only a pure delete is destructive; labels and a bucket known after apply."""
    plan = Plan("1.0", "1.1.9", PROVIDER)
    plan.variable("project", "acme-stage", "Project that holds the stack")
    expressions = {
        "name": const("acme-stage"),
        "location": const("EU"),
        "force_destroy": const(False),
        "labels": refs("var.labels"),
    }
    kept = bucket_values("acme-stage-kept", project="acme-stage", labels={"env": "stage"})
    plan.resource(
        "google_storage_bucket.kept", ["no-op"], before=kept, after=kept, expressions=expressions
    )
    plan.resource(
        "google_storage_bucket.legacy",
        ["delete"],
        before=bucket_values(
            "acme-stage-legacy", project="acme-stage", force_destroy=True, labels={"env": "stage"}
        ),
    )
    fresh = bucket_values("acme-stage-fresh", project="acme-stage")
    for key in ("labels", "id", "url", "self_link", "versioning"):
        del fresh[key]
    plan.resource(
        "google_storage_bucket.fresh",
        ["create"],
        after=fresh,
        unknown={"labels": True, "id": True, "url": True, "self_link": True, "versioning": True},
        expressions=expressions,
    )
    return plan


def main() -> None:
    plans = {
        "gcs-1.2.json": (gcs_12(), 2),
        "gcs-0.1.json": (gcs_01(), None),
        "deletes-1.0.json": (deletes_10(), None),
    }
    for name, (plan, indent) in plans.items():
        text = json.dumps(plan.document(), indent=indent, separators=None if indent else (",", ":"))
        (HERE / name).write_text(text + "\n", encoding="utf-8")
        sys.stdout.write(f"{name}: {len(text)} bytes\n")


if __name__ == "__main__":
    main()
