"""Write a synthetic, realistic Google Cloud plan of N resource instances.

    /work/venv/bin/python bench/generate.py --resources 10000 --out bench/out/plan-10000.json

Teams (`module.team["t001"]`) each instantiate child modules with count and for_each:
buckets with lifecycle rules and IAM, project IAM members, a network with subnets and
firewalls, VMs with nested blocks, Cloud Run services, secrets, Pub/Sub, BigQuery, KMS and
alert policies. About 5% of the instances change (updates, creates, deletes, replaces, a
few with unknowns and sensitive values); the rest are no-ops, as Terraform lists them.
The plan is built with the test suite's PlanBuilder, so it is schema-valid by construction.

    /work/venv/bin/python bench/generate.py --resources 1000 --force-destroy 5 --pure-delete

injects known violations for the side-by-side benchmark (bench/compare_peers.py): that many
buckets spread over the teams updated to force_destroy = true, and one bucket deleted
outright (a pure delete, as when a count shrinks). `injected()` names their addresses; the
rest of the plan is the same as without them.

    /work/venv/bin/python bench/generate.py --shape modules --resources 10000 \\
        --force-destroy 5 --pure-delete --out /tmp/plan-10000-modules-inject.json

`--shape modules` writes another plan shape, the one of a reported 10,000-resource plan
(32 MB) on which terraform-compliance took 198 s: many distinct module calls
(`module.app_0001`, `module.app_0002`, ...), each with its own copy of the module's
configuration, as Terraform writes it. Each holds 13 instances of five for_each blocks:
buckets, reader and writer IAM members whose `bucket` references those buckets, topics
whose labels reference `local.labels`, and publisher IAM members referencing the topics
(3.2 MB at 1,000 instances, 32 MB at 10,000). terraform-compliance mounts references in
O(instances x referencing configuration blocks); the default "teams" shape has one block
per type (one for_each module call holds every instance), so it barely pays for that. The
injected buckets are `data["curated"]` (force_destroy) and `data["archive"]` (deleted, its
for_each key gone).
"""

from __future__ import annotations

import argparse
import functools
import random
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.fixtures.builder import UNKNOWN, PlanBuilder, Secret  # noqa: E402

PROJECT = "acme-ml-prod"
REGIONS = ("europe-west1", "europe-west4", "us-central1")
ROLES = (
    "roles/storage.objectViewer",
    "roles/bigquery.dataViewer",
    "roles/run.invoker",
    "roles/logging.logWriter",
    "roles/monitoring.metricWriter",
    "roles/secretmanager.secretAccessor",
)

Resource = tuple[str, dict[str, Any]]  # (address without the team prefix, after value)
Instance = tuple[str, dict[str, Any], Mapping[str, Any] | bool]
"""(address inside the module, after value, the builder's `config=`)."""


def _bucket(team: str, index: int | str) -> dict[str, Any]:
    return {
        "name": f"{PROJECT}-{team}-data-{index}",
        "location": "EU",
        "project": PROJECT,
        "storage_class": "STANDARD",
        "force_destroy": False,
        "uniform_bucket_level_access": True,
        "public_access_prevention": "enforced",
        "labels": {"team": team, "env": "prod", "data-class": "internal"},
        "versioning": [{"enabled": True}],
        "lifecycle_rule": [
            {
                "action": [{"type": "SetStorageClass", "storage_class": "NEARLINE"}],
                "condition": [{"age": 30, "with_state": "ANY", "matches_prefix": []}],
            },
            {"action": [{"type": "Delete", "storage_class": ""}], "condition": [{"age": 365}]},
        ],
        "encryption": [],
        "id": f"{PROJECT}-{team}-data-{index}",
        "self_link": f"https://www.googleapis.com/storage/v1/b/{PROJECT}-{team}-data-{index}",
        "url": f"gs://{PROJECT}-{team}-data-{index}",
    }


def _instance(team: str, index: int) -> dict[str, Any]:
    return {
        "name": f"{team}-worker-{index}",
        "zone": "europe-west1-b",
        "machine_type": "e2-standard-4",
        "project": PROJECT,
        "tags": ["worker", team],
        "labels": {"team": team},
        "metadata": {"enable-oslogin": "TRUE"},
        "boot_disk": [
            {
                "auto_delete": True,
                "initialize_params": [
                    {"image": "debian-cloud/debian-12", "size": 50, "type": "pd-balanced"}
                ],
            }
        ],
        "network_interface": [
            {
                "network": "vpc",
                "subnetwork": f"{team}-subnet-0",
                "network_ip": f"10.{index % 250}.0.{index % 200 + 2}",
                "access_config": [],
            }
        ],
        "service_account": [
            {
                "email": f"{team}-worker@{PROJECT}.iam.gserviceaccount.com",
                "scopes": ["cloud-platform"],
            }
        ],
        "shielded_instance_config": [
            {"enable_secure_boot": True, "enable_vtpm": True, "enable_integrity_monitoring": True}
        ],
        "scheduling": [
            {"automatic_restart": True, "on_host_maintenance": "MIGRATE", "preemptible": False}
        ],
        "id": f"projects/{PROJECT}/zones/europe-west1-b/instances/{team}-worker-{index}",
    }


def _team_resources(team: str) -> Iterator[Resource]:
    """Every instance one team module owns: 50 instances, like a mid-sized real module tree."""
    for service in ("run", "storage", "bigquery", "secretmanager", "pubsub"):
        yield (
            f'module.services.google_project_service.this["{service}.googleapis.com"]',
            {
                "project": PROJECT,
                "service": f"{service}.googleapis.com",
                "disable_on_destroy": False,
            },
        )
    for index in range(4):
        yield f"module.storage.google_storage_bucket.data[{index}]", _bucket(team, index)
        yield (
            f'module.storage.google_storage_bucket_iam_member.readers["data-{index}"]',
            {
                "bucket": f"{PROJECT}-{team}-data-{index}",
                "role": "roles/storage.objectViewer",
                "member": f"group:{team}@example.com",
                "condition": [],
            },
        )
    for role in ROLES:
        yield (
            f'module.iam.google_project_iam_member.roles["{role}"]',
            {
                "project": PROJECT,
                "role": role,
                "member": f"serviceAccount:{team}@x",
                "condition": [],
            },
        )
    yield (
        "module.network.google_compute_network.vpc",
        {"name": f"{team}-vpc", "auto_create_subnetworks": False, "routing_mode": "REGIONAL"},
    )
    for index, region in enumerate(REGIONS):
        yield (
            f"module.network.google_compute_subnetwork.subnet[{index}]",
            {
                "name": f"{team}-subnet-{index}",
                "region": region,
                "ip_cidr_range": f"10.{index}.0.0/20",
                "private_ip_google_access": True,
                "log_config": [{"aggregation_interval": "INTERVAL_5_SEC", "flow_sampling": 0.5}],
                "secondary_ip_range": [],
            },
        )
    for rule in ("allow-iap-ssh", "allow-health-checks", "deny-all-egress"):
        yield (
            f'module.network.google_compute_firewall.rules["{rule}"]',
            {
                "name": f"{team}-{rule}",
                "network": f"{team}-vpc",
                "direction": "EGRESS" if rule.startswith("deny") else "INGRESS",
                "source_ranges": ["35.235.240.0/20"] if "iap" in rule else ["130.211.0.0/22"],
                "allow": [{"protocol": "tcp", "ports": ["22"]}] if "ssh" in rule else [],
                "deny": [{"protocol": "all", "ports": []}] if rule.startswith("deny") else [],
                "log_config": [{"metadata": "INCLUDE_ALL_METADATA"}],
            },
        )
    for index in range(3):
        yield f"module.compute.google_compute_instance.worker[{index}]", _instance(team, index)
    for service in ("api", "batch"):
        yield (
            f'module.run["{service}"].google_cloud_run_v2_service.this',
            {
                "name": f"{team}-{service}",
                "location": "europe-west1",
                "ingress": "INGRESS_TRAFFIC_INTERNAL_ONLY",
                "deletion_protection": True,
                "template": [
                    {
                        "service_account": f"{team}-{service}@{PROJECT}.iam.gserviceaccount.com",
                        "containers": [
                            {
                                "image": f"europe-docker.pkg.dev/{PROJECT}/images/{service}:1.0.0",
                                "env": [{"name": "TEAM", "value": team, "value_source": []}],
                                "resources": [{"limits": {"cpu": "1", "memory": "512Mi"}}],
                            }
                        ],
                        "scaling": [{"min_instance_count": 0, "max_instance_count": 10}],
                    }
                ],
                "uri": f"https://{team}-{service}-abc123-ew.a.run.app",
            },
        )
    for name in ("db-password", "api-key"):
        yield (
            f'module.secrets.google_secret_manager_secret.this["{name}"]',
            {"secret_id": f"{team}-{name}", "replication": [{"auto": [{}], "user_managed": []}]},
        )
        yield (
            f'module.secrets.google_secret_manager_secret_version.this["{name}"]',
            {
                "secret": f"{team}-{name}",
                "enabled": True,
                "secret_data": Secret(f"{team}-{name}-value"),
            },
        )
    yield (
        "module.pubsub.google_pubsub_topic.events",
        {"name": f"{team}-events", "labels": {"team": team}},
    )
    yield (
        "module.pubsub.google_pubsub_subscription.events",
        {"name": f"{team}-events-sub", "topic": f"{team}-events", "ack_deadline_seconds": 20},
    )
    yield (
        "module.bigquery.google_bigquery_dataset.this",
        {
            "dataset_id": team.replace("-", "_"),
            "location": "EU",
            "access": [{"role": "OWNER", "special_group": "projectOwners"}],
        },
    )
    for index in range(2):
        yield (
            f"module.bigquery.google_bigquery_table.tables[{index}]",
            {
                "table_id": f"events_{index}",
                "deletion_protection": True,
                "schema": '[{"name":"id","type":"STRING"}]',
            },
        )
    yield "module.kms.google_kms_key_ring.this", {"name": f"{team}-ring", "location": "europe"}
    yield (
        "module.kms.google_kms_crypto_key.this",
        {"name": f"{team}-key", "rotation_period": "7776000s", "purpose": "ENCRYPT_DECRYPT"},
    )
    for index in range(3):
        yield (
            f"module.monitoring.google_monitoring_alert_policy.alerts[{index}]",
            {
                "display_name": f"{team} alert {index}",
                "combiner": "OR",
                "enabled": True,
                "conditions": [
                    {
                        "display_name": "error rate",
                        "condition_threshold": [
                            {
                                "filter": 'metric.type="run.googleapis.com/request_count"',
                                "comparison": "COMPARISON_GT",
                                "threshold_value": 5,
                                "duration": "60s",
                                "aggregations": [
                                    {"alignment_period": "60s", "per_series_aligner": "ALIGN_RATE"}
                                ],
                            }
                        ],
                    }
                ],
            },
        )


PER_TEAM = sum(1 for _ in _team_resources("t000"))

# --------------------------------------------------------------------------- modules shape

BUCKET_KEYS = ("raw", "curated", "archive")
TOPIC_KEYS = ("ingest", "alerts")
BUCKET_ROLES = {"readers": "roles/storage.objectViewer", "writers": "roles/storage.objectCreator"}
PUBLISHER_ROLE = "roles/pubsub.publisher"
COMPUTED = frozenset({"id", "self_link", "url", "etag"})
"""Attributes the provider computes: never in the configuration."""


def _member(target: str, resource: str, role: str, member: str) -> dict[str, Any]:
    """An IAM member of one bucket or topic (`target` is the attribute naming it)."""
    return {
        target: resource,
        "role": role,
        "member": member,
        "condition": [],
        "etag": "BwYlN2ht9xQ=",
        "id": f"{resource}/{role}/{member}",
    }


def _bucket_member(app: str, key: str, group: str) -> dict[str, Any]:
    bucket = f"{PROJECT}-{app}-data-{key}"
    return _member("bucket", bucket, BUCKET_ROLES[group], f"group:{app}-{group}@example.com")


def _topic(app: str, key: str) -> dict[str, Any]:
    return {
        "name": f"{app}-{key}",
        "project": PROJECT,
        "labels": {"team": app, "env": "prod", "data-class": "internal"},
        "kms_key_name": "",
        "message_retention_duration": "604800s",
        "message_storage_policy": [
            {"allowed_persistence_regions": ["europe-west1", "europe-west4"]}
        ],
        "schema_settings": [],
        "id": f"projects/{PROJECT}/topics/{app}-{key}",
    }


def _publisher(app: str, key: str) -> dict[str, Any]:
    topic = f"projects/{PROJECT}/topics/{app}-{key}"
    member = f"serviceAccount:{app}@{PROJECT}.iam.gserviceaccount.com"
    return _member("topic", topic, PUBLISHER_ROLE, member)


def _expressions(value: Mapping[str, Any], references: Mapping[str, list[str]]) -> dict[str, Any]:
    """A block's `expressions` as Terraform writes them: the given references, constants for
    the rest, nested blocks as lists of expression objects; computed and unset attributes
    (empty, null, "") are not in the configuration."""
    out: dict[str, Any] = {}
    for key, item in value.items():
        if key in references:
            out[key] = {"references": references[key]}
        elif key in COMPUTED or item in ("", [], None):
            continue
        elif isinstance(item, list) and all(isinstance(block, dict) for block in item):
            out[key] = [_expressions(block, {}) for block in item]
        else:
            out[key] = {"constant_value": item}
    return out


def _each(block: str) -> list[str]:
    """What Terraform writes for `<block>[each.key].name`: every prefix of the traversal."""
    return [f"{block}[each.key].name", f"{block}[each.key]", block, "each.key"]


# One module source, so every call's copy of its configuration is the same.
BUCKET_CONFIG = _expressions(
    _bucket("app", "key"),
    {
        "name": ["local.prefix", "each.key"],
        "project": ["var.project"],
        "labels": ["local.labels"],
    },
)
BUCKET_MEMBER_CONFIG = {
    group: _expressions(
        _bucket_member("app", "key", group),
        {"bucket": _each("google_storage_bucket.data"), "member": [f"var.{group}_group"]},
    )
    for group in BUCKET_ROLES
}
TOPIC_CONFIG = _expressions(
    _topic("app", "key"),
    {"name": ["var.app", "each.key"], "project": ["var.project"], "labels": ["local.labels"]},
)
PUBLISHER_CONFIG = _expressions(
    _publisher("app", "key"),
    {"topic": _each("google_pubsub_topic.events"), "member": ["var.service_account"]},
)


def _app_resources(app: str) -> Iterator[Instance]:
    """Every instance one `module.app_NNNN` call owns: 13 instances of five for_each blocks."""
    for key in BUCKET_KEYS:
        yield f'google_storage_bucket.data["{key}"]', _bucket(app, key), BUCKET_CONFIG
    for group, config in BUCKET_MEMBER_CONFIG.items():
        for key in BUCKET_KEYS:
            local = f'google_storage_bucket_iam_member.{group}["{key}"]'
            yield local, _bucket_member(app, key, group), config
    for key in TOPIC_KEYS:
        yield f'google_pubsub_topic.events["{key}"]', _topic(app, key), TOPIC_CONFIG
    for key in TOPIC_KEYS:
        local = f'google_pubsub_topic_iam_member.publishers["{key}"]'
        yield local, _publisher(app, key), PUBLISHER_CONFIG


# --------------------------------------------------------------------------- shapes


@dataclass(frozen=True)
class Shape:
    """How a plan is laid out in modules, and where the injected violations go."""

    module: Callable[[int], str]
    """The address of the n-th module (from 0)."""
    resources: Callable[[int], Iterator[Instance]]
    """The instances of the n-th module."""
    per_module: int
    force_destroy: str
    """The bucket (address inside a module) injected with force_destroy = true."""
    deleted: str
    """The bucket deleted outright when a pure delete is injected."""
    delete_reason: str
    count_output: str


def _team(number: int) -> str:
    return f"t{number:03d}"


def _app(number: int) -> str:
    return f"app_{number + 1:04d}"


def _team_instances(number: int) -> Iterator[Instance]:
    for local, after in _team_resources(_team(number)):
        yield local, after, True


SHAPES: Mapping[str, Shape] = {
    "teams": Shape(
        module=lambda number: f'module.team["{_team(number)}"]',
        resources=_team_instances,
        per_module=PER_TEAM,
        force_destroy="module.storage.google_storage_bucket.data[1]",
        deleted="module.storage.google_storage_bucket.data[3]",
        delete_reason="delete_because_count_index",
        count_output="team_count",
    ),
    "modules": Shape(
        module=lambda number: f"module.{_app(number)}",
        resources=lambda number: _app_resources(_app(number).replace("_", "-")),
        per_module=sum(1 for _ in _app_resources("app")),
        force_destroy='google_storage_bucket.data["curated"]',
        deleted='google_storage_bucket.data["archive"]',
        delete_reason="delete_because_each_key",
        count_output="app_count",
    ),
}


def _changed(after: dict[str, Any]) -> dict[str, Any]:
    changed = dict(after)
    labels = dict(changed.get("labels") or {})
    labels["cost-center"] = "ml-platform"
    changed["labels"] = labels
    return changed


def _with_unknown_id(after: dict[str, Any]) -> dict[str, Any]:
    return {**after, "id": UNKNOWN}


def injected(
    resources: int, force_destroy: int = 0, pure_delete: bool = False, shape: str = "teams"
) -> tuple[tuple[str, ...], str | None]:
    """(buckets injected with force_destroy = true, the bucket deleted outright or None).

    The force_destroy buckets are in modules spread evenly over the plan; the deleted one
    is in the middle module. Only complete modules are used.
    """
    layout = SHAPES[shape]
    modules = resources // layout.per_module
    if force_destroy > modules or ((force_destroy or pure_delete) and modules == 0):
        raise ValueError(f"{resources} resources hold only {modules} complete {shape}")
    buckets = tuple(
        f"{layout.module((2 * i + 1) * modules // (2 * force_destroy))}.{layout.force_destroy}"
        for i in range(force_destroy)
    )
    deleted = f"{layout.module(modules // 2)}.{layout.deleted}" if pure_delete else None
    return buckets, deleted


def _instances(layout: Shape, resources: int) -> Iterator[Instance]:
    """Exactly `resources` instances, module after module (the last one may be cut short)."""
    written = 0
    number = 0
    while written < resources:
        for local, after, config in layout.resources(number):
            if written >= resources:
                break
            written += 1
            yield f"{layout.module(number)}.{local}", after, config
        number += 1


def build(
    resources: int = 10_000,
    change_rate: float = 0.05,
    variant: int = 7,
    force_destroy: int = 0,
    pure_delete: bool = False,
    shape: str = "teams",
) -> PlanBuilder:
    """A PlanBuilder holding `resources` instances, about `change_rate` of them changing.

    `force_destroy` and `pure_delete` inject the violations `injected()` names; the random
    draws are the same either way, so the other instances do not change.
    """
    layout = SHAPES[shape]
    forced, deleted = injected(resources, force_destroy, pure_delete, shape)
    forced_set = frozenset(forced)
    rng = random.Random(variant)
    builder = PlanBuilder(terraform_version="1.9.8")
    kinds: list[tuple[str, float]] = [
        ("update", 0.6),
        ("create", 0.2),
        ("delete", 0.1),
        ("replace", 0.1),
    ]
    for address, after, config in _instances(layout, resources):
        changes = rng.random() < change_rate
        kind = (
            rng.choices([k for k, _ in kinds], weights=[w for _, w in kinds])[0]
            if changes
            else "no-op"
        )
        add = functools.partial(builder.resource, address, config=config)
        if address in forced_set:
            add(action="update", before=after, after={**after, "force_destroy": True})
        elif address == deleted or kind == "delete":
            add(action="delete", before=after, action_reason=layout.delete_reason)
        elif kind == "no-op":
            add(after=after)
        elif kind == "update":
            add(action="update", before=after, after=_changed(after))
        elif kind == "create":
            add(action="create", after=_with_unknown_id(after))
        else:
            add(action="replace", before=after, after=_with_unknown_id(_changed(after)))
    builder.output(layout.count_output, after=-(-resources // layout.per_module))
    builder.variable("project", PROJECT)
    return builder


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--resources", type=int, default=10_000)
    parser.add_argument("--change-rate", type=float, default=0.05)
    parser.add_argument(
        "--variant",
        type=int,
        default=7,
        help="which reproducible random draw (same N, other values)",
    )
    parser.add_argument(
        "--force-destroy",
        type=int,
        default=0,
        metavar="K",
        help="inject K buckets updated to force_destroy = true",
    )
    parser.add_argument(
        "--pure-delete", action="store_true", help="inject one bucket deleted outright"
    )
    parser.add_argument(
        "--shape",
        choices=SHAPES,
        default="teams",
        help="teams: one for_each module per team (default); modules: many distinct module calls",
    )
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    suffix = "" if args.shape == "teams" else f"-{args.shape}"
    out = args.out or ROOT / "bench" / "out" / f"plan-{args.resources}{suffix}.json"
    builder = build(
        args.resources,
        args.change_rate,
        args.variant,
        args.force_destroy,
        args.pure_delete,
        args.shape,
    )
    builder.write(out)
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB, {args.resources} resource instances)")
    forced, deleted = injected(args.resources, args.force_destroy, args.pure_delete, args.shape)
    for address in forced:
        print(f"  injected force_destroy = true: {address}")
    if deleted:
        print(f"  injected pure delete: {deleted}")
    return out


if __name__ == "__main__":
    main()
