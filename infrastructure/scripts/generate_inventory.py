#!/usr/bin/env python3
"""Inventory fixture generator: a Cloud Asset Inventory export of prod, from its Terraform state.

This repository cannot reach Google Cloud, so no ``gcloud asset export`` can run here. This script
writes the export ``plangate conform`` demonstrates on, from the ``prior_state`` of
``infrastructure/plans/prod.json`` (the 48 managed resources of ``ct-scan-mlops-prod``):

    python infrastructure/scripts/generate_inventory.py                  # regenerate the export
    python infrastructure/scripts/generate_inventory.py --check          # exit 1 if it differs
    python infrastructure/scripts/generate_inventory.py --clean OUT      # OUT: no planted drift

Output: ``infrastructure/inventory/prod.ndjson``, newline-delimited JSON as ExportAssets writes it
to Cloud Storage (proto field names, so a snake_case envelope), the ``--content-type=resource``
records first and the ``--content-type=iam-policy`` records after them, each part sorted by asset
type and name. ``resource.data`` is each service's REST representation (camelCase).

What it models
--------------
* Translation, by hand and per Terraform type, from provider attributes to the representation the
  live API returns: full resource names (the project NUMBER where the service returns it: Secret
  Manager, workload identity pools, the Project, Cloud Run's namespace; the project ID elsewhere),
  Terraform's one-element blocks as objects, enum and duration spellings, int64 fields as JSON
  strings, booleans the API leaves out when false, and Cloud Run as the Knative ``serving/v1``
  object Cloud Asset Inventory serves (not the v2 shape Terraform manages).
* Deliberately independent of plangate: nothing is imported from ``src/`` (nor from the plan
  generator, which uses plangate), so this file can check plangate's own mapping table.
* What Google adds on its own and a reconciliation must NOT report: upper-case bucket locations
  (``resource.location`` lower-case), numbers as Struct floats in some records (``365.0``),
  ``goog-terraform-provisioned`` and Cloud Run's ``cloud.googleapis.com/location`` labels, the
  service agents' project roles, the buckets' legacy convenience bindings, Cloud Billing's
  publisher grant on the budget topic, the Compute Engine default service account.
* The planted drifts of ``PLANTED`` (below), applied on top of a faithful export; ``--clean``
  writes the export without them.

What it does not model
----------------------
* Types Cloud Asset Inventory does not export (``NOT_INVENTORIED``), other projects, folders and
  the organisation, org policies, access policies, relationships, ``resource_url``.
* Every output-only field of every API: the records carry the fields a reconciliation compares
  and the ones that make them recognisable, not the full response.
* IAM conditions (none in the stack): a conditional ``*_iam_member`` stops the generator.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
PLAN = REPO / "infrastructure" / "plans" / "prod.json"
OUTPUT = REPO / "infrastructure" / "inventory" / "prod.ndjson"

PROJECT_ID = "ct-scan-mlops-prod"
PROJECT_NUMBER = "174193855226"  # checked against the state's data.google_project
REGION = "europe-west1"
FOLDER_ID = "284619203517"  # the "ct-scan" folder the project sits in
ORGANIZATION_ID = "731094526881"
ANCESTORS = [
    f"projects/{PROJECT_NUMBER}",
    f"folders/{FOLDER_ID}",
    f"organizations/{ORGANIZATION_ID}",
]
PROJECT_ASSET = f"//cloudresourcemanager.googleapis.com/projects/{PROJECT_NUMBER}"
DEPLOYER = f"ct-scan-ci-deployer@{PROJECT_ID}.iam.gserviceaccount.com"  # deploys Cloud Run

PROJECT_CREATED = "2026-01-12T08:41:27.315Z"  # the project and its default service account
APPLIED = "2026-02-03T10:00:00Z"  # Phase 2's apply/import: when the managed objects last changed


# -------------------------------------------------------------------------- the planted drift


@dataclass(frozen=True)
class Drift:
    """A managed object whose live ``resource.data`` differs from Terraform at one field."""

    key: str
    address: str
    path: str  # dotted path in resource.data
    live: Any
    when: str
    by: str


@dataclass(frozen=True)
class Missing:
    """A managed object deleted outside Terraform: no resource record, no IAM record."""

    key: str
    address: str


@dataclass(frozen=True)
class UnmanagedBucket:
    """A bucket made by hand (console or gcloud), with its own IAM policy."""

    key: str
    name: str
    created: str
    uniform_access: bool
    public_access_prevention: str
    grants: Mapping[str, tuple[str, ...]]  # role -> members, beside the legacy bindings


@dataclass(frozen=True)
class UnmanagedServiceAccount:
    """A service account made by hand."""

    key: str
    account_id: str
    display_name: str
    unique_id: str
    created: str


@dataclass(frozen=True)
class ExtraGrant:
    """A member added outside Terraform to a role in an object's IAM policy."""

    key: str
    asset: str  # full resource name of the object whose policy changed
    role: str
    member: str
    when: str


Planted = Drift | Missing | UnmanagedBucket | UnmanagedServiceAccount | ExtraGrant

PLANTED: tuple[Planted, ...] = (
    # a. versioning suspended on the DVC bucket (Terraform: versioning { enabled = true })
    Drift(
        "a",
        "module.storage.google_storage_bucket.dvc",
        "versioning.enabled",
        False,
        when="2026-02-04T15:12:09.482Z",
        by="data-scientist@example.com",
    ),
    # b. the P0 5xx-ratio alert switched off in the console (Terraform: enabled = true)
    Drift(
        "b",
        "module.monitoring.google_monitoring_alert_policy.api_error_rate",
        "enabled",
        False,
        when="2026-02-04T22:47:31.006Z",
        by="ct-scan-oncall-prod@example.com",
    ),
    # c. the drift-monitor webhook secret deleted (its accessor grant went with it)
    Missing("c", "module.secret_manager.google_secret_manager_secret.alert_webhook"),
    # d. a bucket made by hand, world-readable
    UnmanagedBucket(
        "d",
        "ct-scan-mlops-prod-adhoc-exports",
        created="2026-02-04T13:05:44.917Z",
        uniform_access=False,
        public_access_prevention="inherited",
        grants={"roles/storage.objectViewer": ("allUsers",)},
    ),
    # e. a service account made by hand for notebooks
    UnmanagedServiceAccount(
        "e",
        "ct-scan-notebook",
        display_name="Notebook experiments",
        unique_id="108355720917463258014",
        created="2026-02-04T12:58:02.771Z",
    ),
    # f. a person granted Editor on the project
    ExtraGrant(
        "f",
        PROJECT_ASSET,
        "roles/editor",
        "user:data-scientist@example.com",
        when="2026-02-04T13:01:18.250Z",
    ),
    # g. a label of the budget topic edited in the console (Terraform: managed_by = "terraform")
    Drift(
        "g",
        "module.budget.google_pubsub_topic.budget_alerts",
        "labels.managed_by",
        "console",
        when="2026-02-04T16:30:52.113Z",
        by="data-scientist@example.com",
    ),
)

# Managed objects that carry the provider's attribution label live (objects the google provider
# created itself; the imported ones do not have it). Never drift: Terraform does not manage it.
ATTRIBUTED = frozenset(
    {
        "module.artifact_registry.google_artifact_registry_repository.docker",
        "module.cloud_run.google_cloud_run_v2_service.api",
        "module.secret_manager.google_secret_manager_secret.wandb_api_key",
        "module.storage.google_storage_bucket.dvc",
        "module.storage.google_storage_bucket.models",
        "module.storage.google_storage_bucket.tfstate",
    }
)
ATTRIBUTION_LABEL = {"goog-terraform-provisioned": "true"}

# Terraform types with no Cloud Asset Inventory asset: left out of the export.
NOT_INVENTORIED = frozenset(
    {"google_billing_budget", "google_firestore_index", "google_firestore_field"}
)

# Project roles Google grants its own service agents when an API is enabled (not Terraform's).
SERVICE_AGENT_ROLES: tuple[tuple[str, str], ...] = (
    ("roles/aiplatform.serviceAgent", "service-{n}@gcp-sa-aiplatform.iam.gserviceaccount.com"),
    (
        "roles/artifactregistry.serviceAgent",
        "service-{n}@gcp-sa-artifactregistry.iam.gserviceaccount.com",
    ),
    ("roles/compute.serviceAgent", "service-{n}@compute-system.iam.gserviceaccount.com"),
    (
        "roles/containerregistry.ServiceAgent",
        "service-{n}@containerregistry.iam.gserviceaccount.com",
    ),
    ("roles/editor", "{n}@cloudservices.gserviceaccount.com"),
    ("roles/firestore.serviceAgent", "service-{n}@gcp-sa-firestore.iam.gserviceaccount.com"),
    (
        "roles/monitoring.notificationServiceAgent",
        "service-{n}@gcp-sa-monitoring-notification.iam.gserviceaccount.com",
    ),
    ("roles/pubsub.serviceAgent", "service-{n}@gcp-sa-pubsub.iam.gserviceaccount.com"),
    ("roles/run.serviceAgent", "service-{n}@serverless-robot-prod.iam.gserviceaccount.com"),
)

# Cloud Billing grants itself publisher on a topic a budget notifies (it needs setIamPolicy).
BUDGET_PUBLISHER = "serviceAccount:billing-budget-alert@system.gserviceaccount.com"

# The Compute Engine default service account, created with the project.
DEFAULT_COMPUTE_SA = {
    "email": f"{PROJECT_NUMBER}-compute@developer.gserviceaccount.com",
    "displayName": "Compute Engine default service account",
    "uniqueId": "104926381570284719365",
}


class GenerationError(Exception):
    """The generator cannot produce a faithful export; the message says where and why."""


# --------------------------------------------------------------------------- reading the state


@dataclass(frozen=True)
class StateResource:
    address: str
    type: str
    values: Mapping[str, Any]


def read_state(path: Path = PLAN) -> list[StateResource]:
    """The managed resources of the plan's prior_state, in state order."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        root = document["prior_state"]["values"]["root_module"]
    except (OSError, json.JSONDecodeError, KeyError, TypeError) as error:
        raise GenerationError(f"{path}: cannot read prior_state: {error}") from None
    found: list[StateResource] = []
    numbers = set()

    def walk(module: Mapping[str, Any]) -> None:
        for resource in module.get("resources", ()):
            if resource.get("mode") == "managed":
                found.append(
                    StateResource(resource["address"], resource["type"], resource["values"])
                )
            elif resource.get("type") == "google_project":
                numbers.add(resource["values"].get("number"))
        for child in module.get("child_modules", ()):
            walk(child)

    walk(root)
    if numbers != {PROJECT_NUMBER}:
        raise GenerationError(
            f"{path}: the state's project number is {numbers}, not {PROJECT_NUMBER}"
        )
    return found


# --------------------------------------------------------------------------- helpers


def one(block: Any) -> dict[str, Any]:
    """A Terraform nested block of at most one element, as an object ({} when absent)."""
    if not block:
        return {}
    if not isinstance(block, list) or len(block) != 1:
        raise GenerationError(f"expected a single nested block, got {block!r}")
    return block[0]


def digits(key: str, count: int) -> str:
    """A deterministic server-assigned-looking number (first digit non-zero)."""
    return str(int(hashlib.sha256(key.encode()).hexdigest(), 16))[:count]


def token(key: str, count: int = 9) -> str:
    """A deterministic hexadecimal token (etags, revision suffixes)."""
    return hashlib.sha256(key.encode()).hexdigest()[:count]


def uuid_like(key: str) -> str:
    text = token(key, 32)
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def later(timestamp: str, days: int) -> str:
    moment = datetime.strptime(timestamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    return (moment + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def seconds(duration: str) -> int:
    """A Terraform duration such as "300s" as whole seconds."""
    if not duration.endswith("s"):
        raise GenerationError(f"unsupported duration {duration!r}")
    return int(duration[:-1])


def labels(resource: StateResource) -> dict[str, str]:
    """The live labels: Terraform's effective labels, plus the attribution label where it is."""
    found = dict(resource.values.get("effective_labels") or {})
    if resource.address in ATTRIBUTED:
        found.update(ATTRIBUTION_LABEL)
    return found


def compact(mapping: Mapping[str, Any]) -> dict[str, Any]:
    """Drop absent, empty and false values, as the REST APIs leave them out."""
    return {k: v for k, v in mapping.items() if not (v is None or v is False or v in ("", [], {}))}


@dataclass
class Record:
    """One line of the export (a RESOURCE or an IAM_POLICY record)."""

    name: str
    asset_type: str
    update_time: str
    resource: dict[str, Any] | None = None
    policy: dict[str, set[str]] | None = None  # role -> members
    address: str | None = None  # the Terraform address it came from, if any

    def to_json(self) -> dict[str, Any]:
        record: dict[str, Any] = {
            "name": self.name,
            "asset_type": self.asset_type,
            "ancestors": ANCESTORS,
            "update_time": self.update_time,
        }
        if self.resource is not None:
            record["resource"] = self.resource
        if self.policy is not None:
            bindings = [
                {"role": role, "members": sorted(members)}
                for role, members in sorted(self.policy.items())
                if members
            ]
            record["iam_policy"] = {
                "version": 1,
                "bindings": bindings,
                "etag": "BwY" + token(self.name + json.dumps(bindings, sort_keys=True)),
            }
        return record


@dataclass(frozen=True)
class Service:
    """What the envelope of one asset type says about its API."""

    asset_type: str
    version: str
    discovery_name: str
    discovery_document_uri: str

    def record(
        self,
        name: str,
        data: dict[str, Any],
        location: str | None,
        address: str | None = None,
        update_time: str = APPLIED,
    ) -> Record:
        """The RESOURCE record of one asset of this type."""
        resource = {
            "version": self.version,
            "discovery_document_uri": self.discovery_document_uri,
            "discovery_name": self.discovery_name,
            "parent": f"//cloudresourcemanager.googleapis.com/projects/{PROJECT_NUMBER}",
            "data": data,
        }
        if location is not None:
            resource["location"] = location
        return Record(name, self.asset_type, update_time, resource, None, address)


def _discovery(host: str) -> str:
    return f"https://{host}/$discovery/rest"


BUCKET = Service(
    "storage.googleapis.com/Bucket",
    "v1",
    "Bucket",
    "https://www.googleapis.com/discovery/v1/apis/storage/v1/rest",
)
PROJECT = Service(
    "cloudresourcemanager.googleapis.com/Project",
    "v1",
    "Project",
    _discovery("cloudresourcemanager.googleapis.com"),
)
REPOSITORY = Service(
    "artifactregistry.googleapis.com/Repository",
    "v1",
    "Repository",
    _discovery("artifactregistry.googleapis.com"),
)
RUN_SERVICE = Service(
    "run.googleapis.com/Service", "v1", "Service", _discovery("run.googleapis.com")
)
SECRET = Service(
    "secretmanager.googleapis.com/Secret",
    "v1",
    "Secret",
    _discovery("secretmanager.googleapis.com"),
)
SERVICE_ACCOUNT = Service(
    "iam.googleapis.com/ServiceAccount", "v1", "ServiceAccount", _discovery("iam.googleapis.com")
)
POOL = Service(
    "iam.googleapis.com/WorkloadIdentityPool",
    "v1",
    "WorkloadIdentityPool",
    _discovery("iam.googleapis.com"),
)
POOL_PROVIDER = Service(
    "iam.googleapis.com/WorkloadIdentityPoolProvider",
    "v1",
    "WorkloadIdentityPoolProvider",
    _discovery("iam.googleapis.com"),
)
DATABASE = Service(
    "firestore.googleapis.com/Database",
    "v1",
    "GoogleFirestoreAdminV1Database",
    _discovery("firestore.googleapis.com"),
)
TOPIC = Service("pubsub.googleapis.com/Topic", "v1", "Topic", _discovery("pubsub.googleapis.com"))
ALERT_POLICY = Service(
    "monitoring.googleapis.com/AlertPolicy",
    "v3",
    "AlertPolicy",
    _discovery("monitoring.googleapis.com"),
)
CHANNEL = Service(
    "monitoring.googleapis.com/NotificationChannel",
    "v3",
    "NotificationChannel",
    _discovery("monitoring.googleapis.com"),
)


# --------------------------------------------------------------------------- per-type translation


def bucket_name(name: str) -> str:
    return f"//storage.googleapis.com/{name}"


def bucket_data(
    *,
    name: str,
    location: str,
    storage_class: str,
    uniform_access: bool,
    public_access_prevention: str | None,
    created: str,
    bucket_labels: Mapping[str, str],
    versioning: bool,
    rules: list[dict[str, Any]],
) -> dict[str, Any]:
    """A Cloud Storage JSON API bucket (storage#bucket), without the ACLs (noAcl projection)."""
    location = location.upper()
    multi_region = location in {"EU", "US", "ASIA"}
    dual_region = location in {"EUR4", "EUR5", "EUR7", "EUR8", "NAM4", "ASIA1"}
    uniform: dict[str, Any] = {"enabled": uniform_access}
    if uniform_access:
        uniform["lockedTime"] = later(created, 90)  # last day it can still be switched off
    data: dict[str, Any] = {
        "kind": "storage#bucket",
        "id": name,
        "name": name,
        "selfLink": f"https://www.googleapis.com/storage/v1/b/{name}",
        "projectNumber": PROJECT_NUMBER,  # uint64: a JSON string
        "metageneration": "1",
        "location": location,
        "locationType": (
            "multi-region" if multi_region else "dual-region" if dual_region else "region"
        ),
        "storageClass": storage_class,
        "etag": "CAE=",
        "timeCreated": created,
        "updated": created,
        "iamConfiguration": {
            "bucketPolicyOnly": dict(uniform),
            "uniformBucketLevelAccess": dict(uniform),
            "publicAccessPrevention": public_access_prevention or "inherited",
        },
        "softDeletePolicy": {"retentionDurationSeconds": "604800", "effectiveTime": created},
    }
    if multi_region or dual_region:
        data["rpo"] = "DEFAULT"
    if versioning:
        data["versioning"] = {"enabled": True}
    if rules:
        data["lifecycle"] = {"rule": rules}
    if bucket_labels:
        data["labels"] = dict(bucket_labels)
    return data


# Terraform's lifecycle condition attributes and their JSON API names.
_CONDITIONS = {
    "age": "age",
    "created_before": "createdBefore",
    "custom_time_before": "customTimeBefore",
    "days_since_custom_time": "daysSinceCustomTime",
    "days_since_noncurrent_time": "daysSinceNoncurrentTime",
    "matches_prefix": "matchesPrefix",
    "matches_storage_class": "matchesStorageClass",
    "matches_suffix": "matchesSuffix",
    "noncurrent_time_before": "noncurrentTimeBefore",
    "num_newer_versions": "numNewerVersions",
}
_COUNTS = {"age", "daysSinceCustomTime", "daysSinceNoncurrentTime", "numNewerVersions"}


def lifecycle_rule(rule: Mapping[str, Any]) -> dict[str, Any]:
    action = one(rule.get("action"))
    condition = one(rule.get("condition"))
    live: dict[str, Any] = {}
    for attribute, value in sorted(condition.items()):
        if attribute == "with_state":
            if value in ("LIVE", "ARCHIVED"):
                live["isLive"] = value == "LIVE"
            continue
        if attribute not in _CONDITIONS:
            raise GenerationError(f"lifecycle condition {attribute} is not modelled")
        key = _CONDITIONS[attribute]
        if value in (None, "", []):
            continue
        # These counts are Struct numbers once in resource.data: written as floats (365.0).
        live[key] = float(value) if key in _COUNTS else value
    return {
        "action": compact({"type": action["type"], "storageClass": action.get("storage_class")}),
        "condition": live,
    }


def storage_bucket(resource: StateResource) -> Record:
    v = resource.values
    versioning = one(v.get("versioning")).get("enabled") is True
    data = bucket_data(
        name=v["name"],
        location=v["location"],
        storage_class=v.get("storage_class") or "STANDARD",
        uniform_access=v.get("uniform_bucket_level_access") is True,
        public_access_prevention=v.get("public_access_prevention"),
        created="2026-02-03T10:00:00.000Z",
        bucket_labels=labels(resource),
        versioning=versioning,
        rules=[lifecycle_rule(rule) for rule in v.get("lifecycle_rule") or ()],
    )
    name = bucket_name(v["name"])
    return BUCKET.record(name, data, v["location"].lower(), resource.address)


def bucket_policy(name: str, *, uniform_access: bool) -> dict[str, set[str]]:
    """The convenience bindings every new bucket gets (project owners/editors/viewers)."""
    owners = {f"projectEditor:{PROJECT_ID}", f"projectOwner:{PROJECT_ID}"}
    readers = {f"projectViewer:{PROJECT_ID}"}
    policy = {
        "roles/storage.legacyBucketOwner": set(owners),
        "roles/storage.legacyBucketReader": set(readers),
    }
    if uniform_access:  # with fine-grained access, object access is in the ACLs instead
        policy["roles/storage.legacyObjectOwner"] = set(owners)
        policy["roles/storage.legacyObjectReader"] = set(readers)
    return policy


def artifact_registry_repository(resource: StateResource) -> Record:
    v = resource.values
    path = f"projects/{v['project']}/locations/{v['location']}/repositories/{v['repository_id']}"
    policies: dict[str, Any] = {}
    for policy in v.get("cleanup_policies") or ():
        condition = one(policy.get("condition"))
        keep = one(policy.get("most_recent_versions"))
        live: dict[str, Any] = {"id": policy["id"], "action": policy["action"]}
        if condition:
            live["condition"] = compact(
                {
                    "tagState": condition.get("tag_state"),
                    "tagPrefixes": condition.get("tag_prefixes"),
                    "versionNamePrefixes": condition.get("version_name_prefixes"),
                    "packageNamePrefixes": condition.get("package_name_prefixes"),
                    "olderThan": condition.get("older_than"),
                    "newerThan": condition.get("newer_than"),
                }
            )
        if keep:
            live["mostRecentVersions"] = compact(
                {
                    "keepCount": keep.get("keep_count"),
                    "packageNamePrefixes": keep.get("package_name_prefixes"),
                }
            )
        policies[policy["id"]] = live  # the REST API keys cleanup policies by id
    data = compact(
        {
            "name": path,
            "format": v["format"],
            "description": v.get("description"),
            "labels": labels(resource),
            "createTime": v["create_time"],
            "updateTime": v["update_time"],
            "mode": v.get("mode") or "STANDARD_REPOSITORY",
            "cleanupPolicies": policies,
            "cleanupPolicyDryRun": v.get("cleanup_policy_dry_run"),
            "sizeBytes": "1843275113",  # int64: a JSON string
            "registryUri": f"{v['location']}-docker.pkg.dev/{v['project']}/{v['repository_id']}",
            "satisfiesPzi": True,
        }
    )
    name = f"//artifactregistry.googleapis.com/{path}"
    return REPOSITORY.record(name, data, v["location"], resource.address)


_INGRESS = {
    "INGRESS_TRAFFIC_ALL": "all",
    "INGRESS_TRAFFIC_INTERNAL_ONLY": "internal",
    "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER": "internal-and-cloud-load-balancing",
}


def _probe(probe: Mapping[str, Any], port: int) -> dict[str, Any]:
    http = one(probe.get("http_get"))
    live: dict[str, Any] = compact(
        {
            "initialDelaySeconds": probe.get("initial_delay_seconds"),
            "timeoutSeconds": probe.get("timeout_seconds"),
            "periodSeconds": probe.get("period_seconds"),
            "failureThreshold": probe.get("failure_threshold"),
        }
    )
    if http:
        live["httpGet"] = {"path": http.get("path") or "/", "port": port}
    return live


def _container(container: Mapping[str, Any]) -> dict[str, Any]:
    ports = [
        {"name": "http1", "containerPort": p["container_port"]}
        for p in container.get("ports") or ()
    ]
    port = ports[0]["containerPort"] if ports else 8080
    env = []
    for variable in container.get("env") or ():
        reference = one(one(variable.get("value_source")).get("secret_key_ref"))
        if reference:
            env.append(
                {
                    "name": variable["name"],
                    "valueFrom": {
                        "secretKeyRef": {"key": reference["version"], "name": reference["secret"]}
                    },
                }
            )
        else:
            env.append({"name": variable["name"], "value": variable.get("value", "")})
    resources = one(container.get("resources"))
    live: dict[str, Any] = {"image": container["image"], "ports": ports}
    if env:
        live["env"] = env
    if resources.get("limits"):
        live["resources"] = {"limits": dict(resources["limits"])}
    for attribute, key in (("startup_probe", "startupProbe"), ("liveness_probe", "livenessProbe")):
        if container.get(attribute):
            live[key] = _probe(one(container[attribute]), port)
    return live


def cloud_run_v2_service(resource: StateResource) -> Record:
    """The service as Cloud Run's Admin API v1 (Knative serving/v1) returns it."""
    v = resource.values
    template = one(v["template"])
    scaling = one(template.get("scaling"))
    containers = template.get("containers") or ()
    resources = one(containers[0].get("resources")) if containers else {}
    name = v["name"]
    revision = f"{name}-00001-{token(v['uid'], 3)}"
    ingress = _INGRESS[v.get("ingress") or "INGRESS_TRAFFIC_ALL"]
    annotations = {
        "run.googleapis.com/ingress": ingress,
        "run.googleapis.com/ingress-status": ingress,
        "run.googleapis.com/operation-id": uuid_like(f"{v['uid']}/operation"),
        "run.googleapis.com/urls": json.dumps([v["uri"]]),
        "serving.knative.dev/creator": DEPLOYER,
        "serving.knative.dev/lastModifier": DEPLOYER,
    }
    if v.get("description"):
        annotations["run.googleapis.com/description"] = v["description"]
    template_annotations = compact(
        {
            "autoscaling.knative.dev/minScale": str(scaling.get("min_instance_count", "")),
            "autoscaling.knative.dev/maxScale": str(scaling.get("max_instance_count", "")),
            "run.googleapis.com/cpu-throttling": "true" if resources.get("cpu_idle") else "false",
            "run.googleapis.com/startup-cpu-boost": "true"
            if resources.get("startup_cpu_boost")
            else "",
        }
    )
    service_labels = labels(resource)
    service_labels["cloud.googleapis.com/location"] = v["location"]
    traffic = []
    for target in v.get("traffic") or ():
        if target.get("type") != "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST":
            raise GenerationError(
                f"{resource.address}: only traffic to the latest revision is modelled"
            )
        traffic.append({"percent": target["percent"], "latestRevision": True})
    created = v["create_time"]
    data = {
        "apiVersion": "serving.knative.dev/v1",
        "kind": "Service",
        "metadata": {
            "name": name,
            "namespace": PROJECT_NUMBER,
            "selfLink": f"/apis/serving.knative.dev/v1/namespaces/{PROJECT_NUMBER}/services/{name}",
            "uid": v["uid"],
            "resourceVersion": "AAY" + token(v["etag"], 10),
            "generation": 1,
            "creationTimestamp": created,
            "labels": service_labels,
            "annotations": annotations,
        },
        "spec": {
            "template": {
                "metadata": {
                    "labels": {"run.googleapis.com/startupProbeType": "Custom"},
                    "annotations": template_annotations,
                },
                "spec": {
                    "containerConcurrency": template.get("max_instance_request_concurrency", 80),
                    "timeoutSeconds": seconds(template.get("timeout") or "300s"),
                    "serviceAccountName": template["service_account"],
                    "containers": [_container(c) for c in containers],
                },
            },
            "traffic": traffic,
        },
        "status": {
            "observedGeneration": 1,
            "conditions": [
                {"type": kind, "status": "True", "lastTransitionTime": created}
                for kind in ("Ready", "ConfigurationsReady", "RoutesReady")
            ],
            "latestReadyRevisionName": revision,
            "latestCreatedRevisionName": revision,
            "traffic": [{"revisionName": revision, "percent": 100, "latestRevision": True}],
            "url": v["uri"],
            "address": {"url": v["uri"]},
        },
    }
    asset = (
        f"//run.googleapis.com/projects/{v['project']}/locations/{v['location']}/services/{name}"
    )
    return RUN_SERVICE.record(asset, data, v["location"], resource.address)


def secret_path(secret_id: str) -> str:
    """Secret Manager names secrets with the project number, whatever the caller used."""
    return f"projects/{PROJECT_NUMBER}/secrets/{secret_id.rsplit('/', 1)[-1]}"


def secret_manager_secret(resource: StateResource) -> Record:
    v = resource.values
    replication = one(v.get("replication"))
    if replication.get("auto") is not None and replication.get("auto") != []:
        live_replication: dict[str, Any] = {"automatic": {}}
    else:
        replicas = one(replication.get("user_managed")).get("replicas") or ()
        live_replication = {
            "userManaged": {"replicas": [{"location": r["location"]} for r in replicas]}
        }
    path = secret_path(v["secret_id"])
    data = compact(
        {
            "name": path,
            "replication": live_replication,
            "createTime": v["create_time"],
            "labels": labels(resource),
            "etag": f'"{token(path, 14)}"',
        }
    )
    return SECRET.record(f"//secretmanager.googleapis.com/{path}", data, "global", resource.address)


def service_account_record(
    *,
    email: str,
    unique_id: str,
    display_name: str,
    description: str | None,
    disabled: bool,
    update_time: str,
    address: str | None,
) -> Record:
    data = compact(
        {
            "name": f"projects/{PROJECT_ID}/serviceAccounts/{email}",
            "projectId": PROJECT_ID,
            "uniqueId": unique_id,
            "email": email,
            "displayName": display_name,
            "description": description,
            "etag": "MDEwMjE5MjA=",
            "oauth2ClientId": unique_id,
            "disabled": disabled,  # left out when false
        }
    )
    name = f"//iam.googleapis.com/projects/{PROJECT_ID}/serviceAccounts/{unique_id}"
    return SERVICE_ACCOUNT.record(name, data, "global", address, update_time=update_time)


def service_account(resource: StateResource) -> Record:
    v = resource.values
    return service_account_record(
        email=v["email"],
        unique_id=v["unique_id"],
        display_name=v.get("display_name") or "",
        description=v.get("description"),
        disabled=v.get("disabled") is True,
        update_time=APPLIED,
        address=resource.address,
    )


def workload_identity_pool(resource: StateResource) -> Record:
    v = resource.values
    data = compact(
        {
            "name": v["name"],
            "displayName": v.get("display_name"),
            "description": v.get("description"),
            "state": v.get("state") or "ACTIVE",
            "disabled": v.get("disabled"),
        }
    )
    return POOL.record(f"//iam.googleapis.com/{v['name']}", data, "global", resource.address)


def workload_identity_pool_provider(resource: StateResource) -> Record:
    v = resource.values
    oidc = one(v.get("oidc"))
    data = compact(
        {
            "name": v["name"],
            "displayName": v.get("display_name"),
            "description": v.get("description"),
            "state": v.get("state") or "ACTIVE",
            "disabled": v.get("disabled"),
            "attributeMapping": dict(v.get("attribute_mapping") or {}),
            "attributeCondition": v.get("attribute_condition"),
            "oidc": compact(
                {
                    "issuerUri": oidc.get("issuer_uri"),
                    "allowedAudiences": oidc.get("allowed_audiences"),
                }
            ),
        }
    )
    return POOL_PROVIDER.record(
        f"//iam.googleapis.com/{v['name']}", data, "global", resource.address
    )


def firestore_database(resource: StateResource) -> Record:
    v = resource.values
    path = f"projects/{v['project']}/databases/{v['name']}"
    data = compact(
        {
            "name": path,
            "uid": v["uid"],
            "createTime": v["create_time"],
            "updateTime": v["update_time"],
            "locationId": v["location_id"],
            "type": v["type"],
            "concurrencyMode": v.get("concurrency_mode"),
            "versionRetentionPeriod": v.get("version_retention_period"),
            "earliestVersionTime": v.get("earliest_version_time"),
            "pointInTimeRecoveryEnablement": v.get("point_in_time_recovery_enablement"),
            "appEngineIntegrationMode": v.get("app_engine_integration_mode"),
            "keyPrefix": v.get("key_prefix"),
            "deleteProtectionState": v.get("delete_protection_state"),
            "databaseEdition": v.get("database_edition") or "STANDARD",
            "etag": v.get("etag"),
        }
    )
    return DATABASE.record(
        f"//firestore.googleapis.com/{path}", data, v["location_id"], resource.address
    )


def pubsub_topic(resource: StateResource) -> Record:
    v = resource.values
    path = f"projects/{v['project']}/topics/{v['name']}"
    storage = one(v.get("message_storage_policy"))
    data = compact(
        {
            "name": path,
            "labels": labels(resource),
            "messageRetentionDuration": v.get("message_retention_duration"),
            "kmsKeyName": v.get("kms_key_name"),
            "messageStoragePolicy": compact(
                {"allowedPersistenceRegions": storage.get("allowed_persistence_regions")}
            ),
        }
    )
    return TOPIC.record(f"//pubsub.googleapis.com/{path}", data, "global", resource.address)


def _aggregation(aggregation: Mapping[str, Any]) -> dict[str, Any]:
    return compact(
        {
            "alignmentPeriod": aggregation.get("alignment_period"),
            "perSeriesAligner": aggregation.get("per_series_aligner"),
            "crossSeriesReducer": aggregation.get("cross_series_reducer"),
            "groupByFields": aggregation.get("group_by_fields"),
        }
    )


def _condition(policy: str, index: int, condition: Mapping[str, Any]) -> dict[str, Any]:
    unmodelled = [
        k
        for k, value in condition.items()
        if k.startswith("condition_") and k != "condition_threshold" and value
    ]
    if unmodelled:
        raise GenerationError(f"{policy}: alert condition {unmodelled[0]} is not modelled")
    threshold = one(condition.get("condition_threshold"))
    trigger = one(threshold.get("trigger"))
    live_threshold = compact(
        {
            "filter": threshold.get("filter"),
            "aggregations": [_aggregation(a) for a in threshold.get("aggregations") or ()],
            "denominatorFilter": threshold.get("denominator_filter"),
            "denominatorAggregations": [
                _aggregation(a) for a in threshold.get("denominator_aggregations") or ()
            ],
            "comparison": threshold.get("comparison"),
            "duration": threshold.get("duration"),
            "trigger": compact({"count": trigger.get("count"), "percent": trigger.get("percent")}),
        }
    )
    # A double, and a Struct number: written as a float even when whole (10000.0).
    live_threshold["thresholdValue"] = float(threshold.get("threshold_value") or 0)
    return {
        "name": f"{policy}/conditions/{digits(f'{policy}/{index}', 19)}",
        "displayName": condition["display_name"],
        "conditionThreshold": live_threshold,
    }


def monitoring_alert_policy(resource: StateResource) -> Record:
    v = resource.values
    record = one(v.get("creation_record"))
    mutation = {"mutateTime": record.get("mutate_time"), "mutatedBy": record.get("mutated_by")}
    documentation = one(v.get("documentation"))
    strategy = one(v.get("alert_strategy"))
    data = compact(
        {
            "name": v["name"],
            "displayName": v["display_name"],
            "documentation": compact(
                {
                    "content": documentation.get("content"),
                    "mimeType": documentation.get("mime_type"),
                    "subject": documentation.get("subject"),
                }
            ),
            "userLabels": dict(v.get("user_labels") or {}),
            "conditions": [
                _condition(v["name"], i, c) for i, c in enumerate(v.get("conditions") or ())
            ],
            "combiner": v["combiner"],
            "notificationChannels": list(v.get("notification_channels") or ()),
            "creationRecord": mutation,
            "mutationRecord": dict(mutation),
            "alertStrategy": compact({"autoClose": strategy.get("auto_close")}),
            "severity": v.get("severity"),
        }
    )
    data["enabled"] = v.get("enabled") is not False  # a BoolValue: written even when false
    return ALERT_POLICY.record(
        f"//monitoring.googleapis.com/{v['name']}", data, "global", resource.address
    )


def monitoring_notification_channel(resource: StateResource) -> Record:
    v = resource.values
    data = compact(
        {
            "name": v["name"],
            "type": v["type"],
            "displayName": v.get("display_name"),
            "description": v.get("description"),
            "labels": dict(v.get("labels") or {}),
            "userLabels": dict(v.get("user_labels") or {}),
            "verificationStatus": v.get("verification_status"),
            "creationRecords": [{"mutateTime": "2026-02-03T10:00:00.000000Z"}],
            "mutationRecords": [
                {"mutateTime": "2026-02-03T10:00:00.000000Z", "mutatedBy": "terraform"}
            ],
        }
    )
    data["enabled"] = v.get("enabled") is not False  # a BoolValue: written even when false
    return CHANNEL.record(
        f"//monitoring.googleapis.com/{v['name']}", data, "global", resource.address
    )


TRANSLATIONS: dict[str, Callable[[StateResource], Record]] = {
    "google_artifact_registry_repository": artifact_registry_repository,
    "google_cloud_run_v2_service": cloud_run_v2_service,
    "google_firestore_database": firestore_database,
    "google_iam_workload_identity_pool": workload_identity_pool,
    "google_iam_workload_identity_pool_provider": workload_identity_pool_provider,
    "google_monitoring_alert_policy": monitoring_alert_policy,
    "google_monitoring_notification_channel": monitoring_notification_channel,
    "google_pubsub_topic": pubsub_topic,
    "google_secret_manager_secret": secret_manager_secret,
    "google_service_account": service_account,
    "google_storage_bucket": storage_bucket,
}


# --------------------------------------------------------------------------- IAM members


def iam_target(resource: StateResource, accounts: Mapping[str, str]) -> tuple[str, str]:
    """The asset (full name, asset type) whose IAM policy an ``*_iam_member`` grant is part of."""
    v = resource.values
    kind = resource.type
    if kind == "google_project_iam_member":
        if v["project"] != PROJECT_ID:
            raise GenerationError(f"{resource.address}: a grant on another project")
        return PROJECT_ASSET, PROJECT.asset_type
    if kind == "google_storage_bucket_iam_member":
        return bucket_name(v["bucket"].removeprefix("b/")), BUCKET.asset_type
    if kind == "google_artifact_registry_repository_iam_member":
        repository = v["repository"].rsplit("/", 1)[-1]
        path = f"projects/{v['project']}/locations/{v['location']}/repositories/{repository}"
        return f"//artifactregistry.googleapis.com/{path}", REPOSITORY.asset_type
    if kind == "google_secret_manager_secret_iam_member":
        return f"//secretmanager.googleapis.com/{secret_path(v['secret_id'])}", SECRET.asset_type
    if kind == "google_cloud_run_v2_service_iam_member":
        service = v["name"].rsplit("/", 1)[-1]
        path = f"projects/{v['project']}/locations/{v['location']}/services/{service}"
        return f"//run.googleapis.com/{path}", RUN_SERVICE.asset_type
    if kind == "google_service_account_iam_member":
        email = v["service_account_id"].rsplit("/", 1)[-1]
        if email not in accounts:
            raise GenerationError(f"{resource.address}: {email} is not a managed service account")
        name = f"//iam.googleapis.com/projects/{PROJECT_ID}/serviceAccounts/{accounts[email]}"
        return name, SERVICE_ACCOUNT.asset_type
    raise GenerationError(f"{resource.address}: no translation for {kind}")


def project_record() -> Record:
    data = {
        "projectNumber": PROJECT_NUMBER,  # int64: a JSON string
        "projectId": PROJECT_ID,
        "lifecycleState": "ACTIVE",
        "name": PROJECT_ID,
        "createTime": PROJECT_CREATED,
        "parent": {"type": "folder", "id": FOLDER_ID},
    }
    return PROJECT.record(PROJECT_ASSET, data, None, update_time=PROJECT_CREATED)


# --------------------------------------------------------------------------- the export


@dataclass
class Export:
    resources: dict[str, Record] = field(default_factory=dict)  # by full name
    policies: dict[str, Record] = field(default_factory=dict)  # by full name

    def add(self, record: Record) -> None:
        if record.name in self.resources:
            raise GenerationError(f"two resources translate to {record.name}")
        self.resources[record.name] = record

    def policy(self, name: str, asset_type: str, update_time: str = APPLIED) -> dict[str, set[str]]:
        if name not in self.policies:
            self.policies[name] = Record(name, asset_type, update_time, policy={})
        policy = self.policies[name].policy
        assert policy is not None
        return policy

    def grant(self, name: str, asset_type: str, role: str, member: str) -> None:
        self.policy(name, asset_type).setdefault(role, set()).add(member)

    def by_address(self, address: str) -> Record:
        for record in self.resources.values():
            if record.address == address:
                return record
        raise GenerationError(f"{address}: no such managed resource in the export")

    def lines(self) -> str:
        records = sorted(self.resources.values(), key=lambda r: (r.asset_type, r.name))
        records += sorted(self.policies.values(), key=lambda r: (r.asset_type, r.name))
        return "".join(
            json.dumps(r.to_json(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
            + "\n"
            for r in records
        )


def faithful_export(state: Sequence[StateResource]) -> Export:
    """The export of a project whose live objects match the state (Google's additions included)."""
    export = Export()
    export.add(project_record())
    for role, member in SERVICE_AGENT_ROLES:
        export.grant(
            PROJECT_ASSET,
            PROJECT.asset_type,
            role,
            "serviceAccount:" + member.format(n=PROJECT_NUMBER),
        )
    export.add(
        service_account_record(
            email=DEFAULT_COMPUTE_SA["email"],
            unique_id=DEFAULT_COMPUTE_SA["uniqueId"],
            display_name=DEFAULT_COMPUTE_SA["displayName"],
            description=None,
            disabled=False,
            update_time=PROJECT_CREATED,
            address=None,
        )
    )
    members = []
    for resource in state:
        if resource.type in NOT_INVENTORIED:
            continue
        if resource.type.endswith("_iam_member"):
            members.append(resource)
            continue
        translate = TRANSLATIONS.get(resource.type)
        if translate is None:
            raise GenerationError(f"{resource.address}: no translation for {resource.type}")
        record = translate(resource)
        export.add(record)
        if resource.type == "google_storage_bucket":
            uniform = resource.values.get("uniform_bucket_level_access") is True
            export.policy(record.name, BUCKET.asset_type).update(
                bucket_policy(record.name, uniform_access=uniform)
            )
    accounts = {
        r.values["email"]: r.values["unique_id"]
        for r in state
        if r.type == "google_service_account"
    }
    for resource in members:
        if condition := resource.values.get("condition"):
            raise GenerationError(
                f"{resource.address}: IAM conditions are not modelled ({condition})"
            )
        name, asset_type = iam_target(resource, accounts)
        export.grant(name, asset_type, resource.values["role"], resource.values["member"])
    for resource in state:
        if resource.type == "google_billing_budget":
            for rule in resource.values.get("all_updates_rule") or ():
                if rule.get("pubsub_topic"):
                    topic = f"//pubsub.googleapis.com/{rule['pubsub_topic']}"
                    export.grant(
                        topic, TOPIC.asset_type, "roles/pubsub.publisher", BUDGET_PUBLISHER
                    )
    return export


# -------------------------------------------------------------------------- planting the drift


def _path_get(data: Mapping[str, Any], path: str) -> Any:
    value: Any = data
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def _path_set(data: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for part in parents:
        data = data.setdefault(part, {})
    data[last] = value


def _touch(record: Record, when: str, by: str) -> None:
    """What a change made outside Terraform also moves: update times, generations."""
    record.update_time = when
    assert record.resource is not None
    data = record.resource["data"]
    if record.asset_type == BUCKET.asset_type:
        data["metageneration"] = str(int(data["metageneration"]) + 1)
        data["etag"] = "CAI="
        data["updated"] = when
    elif record.asset_type == ALERT_POLICY.asset_type:
        data["mutationRecord"] = {"mutateTime": when, "mutatedBy": by}


def plant(export: Export, change: Planted) -> None:
    """Make one planted change to the faithful export, refusing one that would not be drift."""
    if isinstance(change, Drift):
        record = export.by_address(change.address)
        assert record.resource is not None
        data = record.resource["data"]
        before = _path_get(data, change.path)
        if before is None or before == change.live:
            raise GenerationError(
                f"planted drift {change.key}: {change.address} {change.path} is {before!r} in "
                f"Terraform; the planted live value {change.live!r} would not be drift"
            )
        _path_set(data, change.path, change.live)
        _touch(record, change.when, change.by)
    elif isinstance(change, Missing):
        record = export.by_address(change.address)
        del export.resources[record.name]
        export.policies.pop(record.name, None)
    elif isinstance(change, UnmanagedBucket):
        data = bucket_data(
            name=change.name,
            location=REGION,
            storage_class="STANDARD",
            uniform_access=change.uniform_access,
            public_access_prevention=change.public_access_prevention,
            created=change.created,
            bucket_labels={},
            versioning=False,
            rules=[],
        )
        name = bucket_name(change.name)
        export.add(BUCKET.record(name, data, REGION, update_time=change.created))
        policy = export.policy(name, BUCKET.asset_type, change.created)
        policy.update(bucket_policy(name, uniform_access=change.uniform_access))
        for role, members in change.grants.items():
            policy.setdefault(role, set()).update(members)
    elif isinstance(change, UnmanagedServiceAccount):
        export.add(
            service_account_record(
                email=f"{change.account_id}@{PROJECT_ID}.iam.gserviceaccount.com",
                unique_id=change.unique_id,
                display_name=change.display_name,
                description=None,
                disabled=False,
                update_time=change.created,
                address=None,
            )
        )
    elif isinstance(change, ExtraGrant):
        if change.asset not in export.policies:
            raise GenerationError(
                f"planted drift {change.key}: {change.asset} has no IAM policy to add to"
            )
        record = export.policies[change.asset]
        assert record.policy is not None
        if change.member in record.policy.get(change.role, set()):
            raise GenerationError(
                f"planted drift {change.key}: {change.member} already has {change.role}"
            )
        record.policy.setdefault(change.role, set()).add(change.member)
        record.update_time = change.when
    else:
        raise GenerationError(f"planted drift {change!r}: unknown kind of change")


def render(*, planted: bool = True, plan: Path = PLAN) -> str:
    """The export's text: the state's faithful export, with the planted drift by default."""
    export = faithful_export(read_state(plan))
    if planted:
        for change in PLANTED:
            plant(export, change)
    return export.lines()


def _relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(REPO))
    except ValueError:
        return str(path)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--check", action="store_true", help="exit 1 if the committed export is not current"
    )
    mode.add_argument(
        "--clean",
        metavar="OUTPUT",
        type=Path,
        help="write the export without the planted drift to OUTPUT (for tests)",
    )
    args = parser.parse_args(argv)
    try:
        text = render(planted=args.clean is None)
    except GenerationError as error:
        print(f"generate_inventory: {error}", file=sys.stderr)
        return 2
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else None
        if current != text:
            state = "missing" if current is None else "differs from the generated export"
            print(
                f"generate_inventory --check: {_relative(OUTPUT)} {state}; "
                "run: python infrastructure/scripts/generate_inventory.py",
                file=sys.stderr,
            )
            return 1
        return 0
    target = args.clean if args.clean is not None else OUTPUT
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"wrote {text.count(chr(10))} records to {_relative(target)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
