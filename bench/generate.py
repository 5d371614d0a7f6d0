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
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterator
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


def _bucket(team: str, index: int) -> dict[str, Any]:
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


def _changed(after: dict[str, Any]) -> dict[str, Any]:
    changed = dict(after)
    labels = dict(changed.get("labels") or {})
    labels["cost-center"] = "ml-platform"
    changed["labels"] = labels
    return changed


def _with_unknown_id(after: dict[str, Any]) -> dict[str, Any]:
    return {**after, "id": UNKNOWN}


BUCKET_FORCE_DESTROY = "module.storage.google_storage_bucket.data[1]"
BUCKET_DELETED = "module.storage.google_storage_bucket.data[3]"


def _team_address(team_number: int, local: str) -> str:
    return f'module.team["t{team_number:03d}"].{local}'


def injected(
    resources: int, force_destroy: int = 0, pure_delete: bool = False
) -> tuple[tuple[str, ...], str | None]:
    """(buckets injected with force_destroy = true, the bucket deleted outright or None).

    The force_destroy buckets are `data[1]` of teams spread evenly over the plan; the
    deleted one is `data[3]` of the middle team. Only complete teams are used.
    """
    teams = resources // PER_TEAM
    if force_destroy > teams or ((force_destroy or pure_delete) and teams == 0):
        raise ValueError(f"{resources} resources hold only {teams} complete teams")
    buckets = tuple(
        _team_address((2 * i + 1) * teams // (2 * force_destroy), BUCKET_FORCE_DESTROY)
        for i in range(force_destroy)
    )
    deleted = _team_address(teams // 2, BUCKET_DELETED) if pure_delete else None
    return buckets, deleted


def build(
    resources: int = 10_000,
    change_rate: float = 0.05,
    seed: int = 7,
    force_destroy: int = 0,
    pure_delete: bool = False,
) -> PlanBuilder:
    """A PlanBuilder holding `resources` instances, about `change_rate` of them changing.

    `force_destroy` and `pure_delete` inject the violations `injected()` names; the random
    draws are the same either way, so the other instances do not change.
    """
    forced, deleted = injected(resources, force_destroy, pure_delete)
    forced_set = frozenset(forced)
    rng = random.Random(seed)
    builder = PlanBuilder(terraform_version="1.9.8")
    kinds: list[tuple[str, float]] = [
        ("update", 0.6),
        ("create", 0.2),
        ("delete", 0.1),
        ("replace", 0.1),
    ]
    written = 0
    team_number = 0
    while written < resources:
        team = f"t{team_number:03d}"
        team_number += 1
        for local, after in _team_resources(team):
            if written >= resources:
                break
            address = f'module.team["{team}"].{local}'
            written += 1
            changes = rng.random() < change_rate
            kind = (
                rng.choices([k for k, _ in kinds], weights=[w for _, w in kinds])[0]
                if changes
                else "no-op"
            )
            add = builder.resource
            if address in forced_set:
                add(address, action="update", before=after, after={**after, "force_destroy": True})
            elif address == deleted:
                add(
                    address,
                    action="delete",
                    before=after,
                    action_reason="delete_because_count_index",
                )
            elif kind == "no-op":
                add(address, after=after)
            elif kind == "update":
                add(address, action="update", before=after, after=_changed(after))
            elif kind == "create":
                add(address, action="create", after=_with_unknown_id(after))
            elif kind == "delete":
                add(
                    address,
                    action="delete",
                    before=after,
                    action_reason="delete_because_count_index",
                )
            else:
                add(
                    address, action="replace", before=after, after=_with_unknown_id(_changed(after))
                )
    builder.output("team_count", after=team_number)
    builder.variable("project", PROJECT)
    return builder


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--resources", type=int, default=10_000)
    parser.add_argument("--change-rate", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=7)
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
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    out = args.out or ROOT / "bench" / "out" / f"plan-{args.resources}.json"
    builder = build(
        args.resources, args.change_rate, args.seed, args.force_destroy, args.pure_delete
    )
    builder.write(out)
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB, {args.resources} resource instances)")
    forced, deleted = injected(args.resources, args.force_destroy, args.pure_delete)
    for address in forced:
        print(f"  injected force_destroy = true: {address}")
    if deleted:
        print(f"  injected pure delete: {deleted}")
    return out


if __name__ == "__main__":
    main()
