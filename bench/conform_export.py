"""Write a Terraform state of about N resources and the matching Cloud Asset Inventory export.

    .venv/bin/python bench/conform_export.py --assets 100000 --out bench/out/conform-100000

for bench/bench_conform.py. bench/generate.py's plans do carry a prior_state, but half of their
types have no CAI mapping (compute, BigQuery, KMS, project services) and nothing could say what
the inventory should hold, so conformance gets its own data: one project (id and number), mostly
`google_storage_bucket`, plus `google_service_account`, `google_pubsub_topic`,
`google_project_iam_member` and `google_storage_bucket_iam_member`. The export has the record
shapes of infrastructure/scripts/generate_inventory.py (ExportAssets NDJSON, snake_case
envelope, upper-case bucket locations with lower-case `resource.location`, Struct floats,
int64 as strings, `goog-terraform-provisioned` labels, service agents on the project policy,
legacy bucket bindings, the Compute Engine default service account), so every normalisation of
docs/conformance.md is exercised at scale, and these drifts are planted:

* 5 buckets with versioning off live (PG-CAI-002),
* 2 buckets in the state and not in the export (PG-CAI-001; they carry no grants),
* 3 buckets made by hand (PG-CAI-003),
* 2 grants outside Terraform: one on the project, one on a bucket (PG-CAI-004).

Nothing else should be reported: no PG-CAI-005, and the live resources pass the catalogue's
live policies (labels, uniform access, public access prevention, IAM roles). `expected.json`
lists the findings per policy; the export has exactly N records (resource + IAM).

Written as a stream: neither file is held in memory, so generating 100,000 assets takes
seconds and little RAM.
"""

from __future__ import annotations

import argparse
import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

VERSION = 2
"""Bump when the output changes, so bench_conform.py regenerates stale files."""

PROJECT_ID = "acme-conform-bench"
PROJECT_NUMBER = "402938475610"
FOLDER_ID = "571920384756"
ORGANIZATION_ID = "918273645501"
ANCESTORS = [
    f"projects/{PROJECT_NUMBER}",
    f"folders/{FOLDER_ID}",
    f"organizations/{ORGANIZATION_ID}",
]
PROJECT_ASSET = f"//cloudresourcemanager.googleapis.com/projects/{PROJECT_NUMBER}"
PROVIDER = "registry.terraform.io/hashicorp/google"
CREATED = "2026-02-03T10:00:00.000Z"
LOCKED = "2026-05-04T10:00:00.000Z"  # uniform access can be switched off for 90 days
APPLIED = "2026-02-03T10:00:00Z"
CHANGED = "2026-02-04T15:12:09.482Z"

BUCKET_TYPE = "storage.googleapis.com/Bucket"
PROJECT_TYPE = "cloudresourcemanager.googleapis.com/Project"
ACCOUNT_TYPE = "iam.googleapis.com/ServiceAccount"
TOPIC_TYPE = "pubsub.googleapis.com/Topic"

LOCATIONS = ("EUROPE-WEST1", "EU", "US-CENTRAL1")
PROJECT_ROLES = (  # none a basic role or a storage/secret/registry data role (PG-IAM-001/5/6)
    "roles/logging.logWriter",
    "roles/monitoring.metricWriter",
    "roles/cloudtrace.agent",
    "roles/pubsub.subscriber",
    "roles/datastore.user",
    "roles/aiplatform.user",
)
SERVICE_AGENTS = (  # Google's own grants on the project: never IAM drift
    ("roles/editor", f"serviceAccount:{PROJECT_NUMBER}@cloudservices.gserviceaccount.com"),
    (
        "roles/pubsub.serviceAgent",
        f"serviceAccount:service-{PROJECT_NUMBER}@gcp-sa-pubsub.iam.gserviceaccount.com",
    ),
    (
        "roles/storage.serviceAgent",
        f"serviceAccount:service-{PROJECT_NUMBER}@gs-project-accounts.iam.gserviceaccount.com",
    ),
)
OWNERS = [f"projectEditor:{PROJECT_ID}", f"projectOwner:{PROJECT_ID}"]
READERS = [f"projectViewer:{PROJECT_ID}"]

UNDECLARED_PROJECT_GRANT = ("roles/logging.viewer", "user:contractor@example.com")
UNDECLARED_BUCKET_GRANT = ("roles/storage.objectViewer", "user:analyst@example.com")
UNMANAGED_BUCKETS = 3
GRANT_EVERY = 5
"""Every fifth bucket has a grant (and so an IAM record)."""


@dataclass(frozen=True, slots=True)
class Counts:
    """How many of each kind, so that the export has exactly `assets` records."""

    assets: int
    buckets: int
    """Terraform's buckets (the missing ones included, the unmanaged ones not)."""
    accounts: int
    topics: int
    project_grants: int

    @property
    def bucket_grants(self) -> int:
        return len(range(0, self.buckets, GRANT_EVERY))

    @property
    def resources(self) -> int:
        """Managed resources in the state."""
        return self.buckets + self.bucket_grants + self.accounts + self.topics + self.project_grants

    def drifted(self) -> tuple[int, ...]:
        """Bucket indexes with versioning off live."""
        return tuple(self.buckets * k // 6 + 1 for k in range(1, 6))

    def missing(self) -> tuple[int, ...]:
        """Bucket indexes deleted live: never a granted bucket, never a drifted one."""
        found = []
        for index in (self.buckets // 7, self.buckets * 6 // 7):
            while index % GRANT_EVERY == 0 or index in self.drifted():
                index += 1
            found.append(index)
        return tuple(found)


def counts(assets: int) -> Counts:
    """Split `assets` records: about 5 % accounts, 5 % topics, the rest buckets and their IAM."""
    if assets < 200:
        raise ValueError("--assets must be at least 200")
    accounts = topics = assets // 20
    project_grants = min(1000, max(10, assets // 100))  # a policy holds at most 1,500 members
    # records: Project + its IAM + the default compute account + accounts + topics
    #          + (buckets - missing + unmanaged) + one IAM record per granted bucket
    fixed = 3 + accounts + topics - 2 + UNMANAGED_BUCKETS
    buckets = (assets - fixed) * GRANT_EVERY // (GRANT_EVERY + 1)
    while buckets + len(range(0, buckets, GRANT_EVERY)) + fixed < assets:
        buckets += 1
    while buckets + len(range(0, buckets, GRANT_EVERY)) + fixed > assets:
        buckets -= 1
    found = Counts(assets, buckets, accounts, topics, project_grants)
    if len({*found.drifted(), *found.missing()}) != 7:
        raise AssertionError("planted buckets collide; pick other indexes")
    return found


# --------------------------------------------------------------------------- names


def bucket(index: int) -> str:
    return f"{PROJECT_ID}-data-{index:06d}"


def handmade(index: int) -> str:
    return f"{PROJECT_ID}-handmade-{index}"


def account_email(index: int) -> str:
    return f"sa-{index:06d}@{PROJECT_ID}.iam.gserviceaccount.com"


def unique_id(index: int) -> str:
    return f"1{index:020d}"


def topic(index: int) -> str:
    return f"topic-{index:06d}"


def bucket_labels(index: int) -> dict[str, str]:
    return {
        "component": f"data-{index % 50}",
        "environment": "prod",
        "managed_by": "terraform",
        "project": "conform-bench",
    }


# --------------------------------------------------------------------------- Terraform's state


def _resource(
    address: str, type_: str, name: str, index: str, values: dict[str, Any], sensitive: Any
) -> dict[str, Any]:
    return {
        "address": address,
        "mode": "managed",
        "type": type_,
        "name": name,
        "index": index,
        "provider_name": PROVIDER,
        "schema_version": 0,
        "values": values,
        "sensitive_values": sensitive,
    }


def state_buckets(c: Counts) -> Iterator[dict[str, Any]]:
    for i in range(c.buckets):
        name, labels = bucket(i), bucket_labels(i)
        values = {
            "effective_labels": labels,
            "force_destroy": False,
            "id": name,
            "labels": labels,
            "lifecycle_rule": [{"action": [{"type": "Delete"}], "condition": [{"age": 365}]}],
            "location": LOCATIONS[i % len(LOCATIONS)],
            "name": name,
            "project": PROJECT_ID,
            "public_access_prevention": "enforced",
            "self_link": f"https://www.googleapis.com/storage/v1/b/{name}",
            "storage_class": "STANDARD",
            "terraform_labels": labels,
            "uniform_bucket_level_access": True,
            "url": f"gs://{name}",
            "versioning": [{"enabled": True}],
        }
        sensitive = {
            "effective_labels": {},
            "labels": {},
            "lifecycle_rule": [{"action": [{}], "condition": [{}]}],
            "terraform_labels": {},
            "versioning": [{}],
        }
        key = f"d{i:06d}"
        address = f'module.storage.google_storage_bucket.data["{key}"]'
        yield _resource(address, "google_storage_bucket", "data", key, values, sensitive)


def state_bucket_grants(c: Counts) -> Iterator[dict[str, Any]]:
    for i in range(0, c.buckets, GRANT_EVERY):
        role, member = bucket_grant(c, i)
        values = {
            "bucket": f"b/{bucket(i)}",
            "condition": [],
            "etag": "CAE=",
            "id": f"b/{bucket(i)}/{role}/{member}",
            "member": member,
            "role": role,
        }
        key = f"d{i:06d}"
        address = f'module.storage.google_storage_bucket_iam_member.readers["{key}"]'
        yield _resource(
            address, "google_storage_bucket_iam_member", "readers", key, values, {"condition": []}
        )


def bucket_grant(c: Counts, index: int) -> tuple[str, str]:
    account = (index // GRANT_EVERY) % c.accounts
    return "roles/storage.objectViewer", f"serviceAccount:{account_email(account)}"


def project_grant(index: int) -> tuple[str, str]:
    return PROJECT_ROLES[index % len(PROJECT_ROLES)], (
        f"serviceAccount:{account_email(index // len(PROJECT_ROLES))}"
    )


def state_project_grants(c: Counts) -> Iterator[dict[str, Any]]:
    for i in range(c.project_grants):
        role, member = project_grant(i)
        values = {
            "condition": [],
            "etag": "BwY0596815e0",
            "id": f"{PROJECT_ID}/{role}/{member}",
            "member": member,
            "project": PROJECT_ID,
            "role": role,
        }
        key = f"g{i:05d}"
        address = f'module.iam.google_project_iam_member.roles["{key}"]'
        yield _resource(
            address, "google_project_iam_member", "roles", key, values, {"condition": []}
        )


def state_accounts(c: Counts) -> Iterator[dict[str, Any]]:
    for i in range(c.accounts):
        email = account_email(i)
        path = f"projects/{PROJECT_ID}/serviceAccounts/{email}"
        values = {
            "account_id": email.split("@", 1)[0],
            "description": f"Workload identity {i}",
            "disabled": False,
            "display_name": f"Service account {i}",
            "email": email,
            "id": path,
            "member": f"serviceAccount:{email}",
            "name": path,
            "project": PROJECT_ID,
            "unique_id": unique_id(i),
        }
        key = f"a{i:06d}"
        address = f'module.iam.google_service_account.accounts["{key}"]'
        yield _resource(address, "google_service_account", "accounts", key, values, {})


def state_topics(c: Counts) -> Iterator[dict[str, Any]]:
    for i in range(c.topics):
        labels = {**bucket_labels(i), "component": f"events-{i % 20}"}
        values = {
            "effective_labels": labels,
            "id": f"projects/{PROJECT_ID}/topics/{topic(i)}",
            "labels": labels,
            "message_retention_duration": "604800s",
            "name": topic(i),
            "project": PROJECT_ID,
            "terraform_labels": labels,
        }
        sensitive = {"effective_labels": {}, "labels": {}, "terraform_labels": {}}
        key = f"t{i:06d}"
        address = f'module.pubsub.google_pubsub_topic.topics["{key}"]'
        yield _resource(address, "google_pubsub_topic", "topics", key, values, sensitive)


def project_data_source() -> dict[str, Any]:
    return {
        "address": "data.google_project.this",
        "mode": "data",
        "type": "google_project",
        "name": "this",
        "provider_name": PROVIDER,
        "schema_version": 0,
        "values": {
            "id": f"projects/{PROJECT_ID}",
            "name": PROJECT_ID,
            "number": PROJECT_NUMBER,
            "project_id": PROJECT_ID,
        },
        "sensitive_values": {},
    }


def _write_array(out: IO[str], items: Iterator[dict[str, Any]]) -> None:
    out.write("[")
    for n, item in enumerate(items):
        out.write("," if n else "")
        out.write(json.dumps(item, separators=(",", ":")))
    out.write("]")


def write_state(c: Counts, out: IO[str]) -> None:
    """`terraform show -json` of a state, written piece by piece (one line, like Terraform)."""
    out.write('{"format_version":"1.0","terraform_version":"1.9.8","values":{"root_module":')
    out.write('{"resources":')
    _write_array(out, iter([project_data_source()]))
    out.write(',"child_modules":[')
    modules = (
        ("module.storage", lambda: _chain(state_buckets(c), state_bucket_grants(c))),
        ("module.iam", lambda: _chain(state_accounts(c), state_project_grants(c))),
        ("module.pubsub", lambda: state_topics(c)),
    )
    for n, (address, resources) in enumerate(modules):
        out.write(f'{"," if n else ""}{{"address":"{address}","resources":')
        _write_array(out, resources())
        out.write("}")
    out.write("]}}}\n")


def _chain(*parts: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for part in parts:
        yield from part


# --------------------------------------------------------------------------- the export


def _record(
    name: str,
    asset_type: str,
    discovery: tuple[str, str],
    data: dict[str, Any],
    location: str | None,
    update_time: str = APPLIED,
) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "version": "v1",
        "discovery_document_uri": discovery[0],
        "discovery_name": discovery[1],
        "parent": PROJECT_ASSET,
        "data": data,
    }
    if location is not None:
        resource["location"] = location
    return {
        "name": name,
        "asset_type": asset_type,
        "ancestors": ANCESTORS,
        "update_time": update_time,
        "resource": resource,
    }


def _policy(
    name: str, asset_type: str, bindings: dict[str, list[str]], when: str = APPLIED
) -> dict[str, Any]:
    return {
        "name": name,
        "asset_type": asset_type,
        "ancestors": ANCESTORS,
        "update_time": when,
        "iam_policy": {
            "version": 1,
            "bindings": [
                {"role": role, "members": sorted(members)}
                for role, members in sorted(bindings.items())
            ],
            "etag": f"BwY{zlib.crc32(name.encode()):08x}",
        },
    }


_STORAGE = ("https://www.googleapis.com/discovery/v1/apis/storage/v1/rest", "Bucket")
_CRM = ("https://cloudresourcemanager.googleapis.com/$discovery/rest", "Project")
_IAM = ("https://iam.googleapis.com/$discovery/rest", "ServiceAccount")
_PUBSUB = ("https://pubsub.googleapis.com/$discovery/rest", "Topic")


def bucket_record(
    name: str, location: str, labels: dict[str, str], *, versioning: bool, attributed: bool
) -> dict[str, Any]:
    """A storage#bucket as CAI shows it (noAcl projection), as generate_inventory.py writes."""
    uniform = {"enabled": True, "lockedTime": LOCKED}
    data: dict[str, Any] = {
        "kind": "storage#bucket",
        "id": name,
        "name": name,
        "selfLink": f"https://www.googleapis.com/storage/v1/b/{name}",
        "projectNumber": PROJECT_NUMBER,
        "metageneration": "1" if versioning else "2",
        "location": location,
        "locationType": "multi-region" if location == "EU" else "region",
        "storageClass": "STANDARD",
        "etag": "CAE=" if versioning else "CAI=",
        "timeCreated": CREATED,
        "updated": CREATED if versioning else CHANGED,
        "iamConfiguration": {
            "bucketPolicyOnly": dict(uniform),
            "uniformBucketLevelAccess": dict(uniform),
            "publicAccessPrevention": "enforced",
        },
        "softDeletePolicy": {"retentionDurationSeconds": "604800", "effectiveTime": CREATED},
        "lifecycle": {"rule": [{"action": {"type": "Delete"}, "condition": {"age": 365.0}}]},
        "labels": {**labels, **({"goog-terraform-provisioned": "true"} if attributed else {})},
    }
    if location == "EU":
        data["rpo"] = "DEFAULT"
    if versioning:
        data["versioning"] = {"enabled": True}
    when = APPLIED if versioning else CHANGED
    return _record(
        f"//storage.googleapis.com/{name}", BUCKET_TYPE, _STORAGE, data, location.lower(), when
    )


def export_records(c: Counts) -> Iterator[dict[str, Any]]:
    """RESOURCE records by asset type, then IAM_POLICY records (as generate_inventory.py)."""
    project = {
        "projectNumber": PROJECT_NUMBER,
        "projectId": PROJECT_ID,
        "lifecycleState": "ACTIVE",
        "name": PROJECT_ID,
        "createTime": "2026-01-12T08:41:27.315Z",
        "parent": {"type": "folder", "id": FOLDER_ID},
    }
    yield _record(PROJECT_ASSET, PROJECT_TYPE, _CRM, project, None, "2026-01-12T08:41:27.315Z")
    default = {
        "email": f"{PROJECT_NUMBER}-compute@developer.gserviceaccount.com",
        "displayName": "Compute Engine default service account",
        "uniqueId": "104926381570284719365",
    }
    for email, display, uid, description in (
        (default["email"], default["displayName"], default["uniqueId"], None),
        *(
            (account_email(i), f"Service account {i}", unique_id(i), f"Workload identity {i}")
            for i in range(c.accounts)
        ),
    ):
        data = {
            "name": f"projects/{PROJECT_ID}/serviceAccounts/{email}",
            "projectId": PROJECT_ID,
            "uniqueId": uid,
            "email": email,
            "displayName": display,
            "etag": "MDEwMjE5MjA=",
            "oauth2ClientId": uid,
        }
        if description:
            data["description"] = description
        name = f"//iam.googleapis.com/projects/{PROJECT_ID}/serviceAccounts/{uid}"
        yield _record(name, ACCOUNT_TYPE, _IAM, data, "global")
    for i in range(c.topics):
        path = f"projects/{PROJECT_ID}/topics/{topic(i)}"
        data = {
            "name": path,
            "labels": {**bucket_labels(i), "component": f"events-{i % 20}"},
            "messageRetentionDuration": "604800s",
        }
        yield _record(f"//pubsub.googleapis.com/{path}", TOPIC_TYPE, _PUBSUB, data, "global")
    drifted, missing = set(c.drifted()), set(c.missing())
    for i in range(c.buckets):
        if i in missing:
            continue
        location = LOCATIONS[i % len(LOCATIONS)]
        yield bucket_record(
            bucket(i),
            location,
            bucket_labels(i),
            versioning=i not in drifted,
            attributed=i % 3 == 0,
        )
    for k in range(UNMANAGED_BUCKETS):
        labels = {**bucket_labels(k), "managed_by": "console"}
        yield bucket_record(handmade(k), "EUROPE-WEST1", labels, versioning=True, attributed=False)

    grants: dict[str, list[str]] = {}
    for role, member in (
        *SERVICE_AGENTS,
        *(project_grant(i) for i in range(c.project_grants)),
        UNDECLARED_PROJECT_GRANT,
    ):
        grants.setdefault(role, []).append(member)
    yield _policy(PROJECT_ASSET, PROJECT_TYPE, grants, CHANGED)
    legacy = {
        "roles/storage.legacyBucketOwner": OWNERS,
        "roles/storage.legacyBucketReader": READERS,
        "roles/storage.legacyObjectOwner": OWNERS,
        "roles/storage.legacyObjectReader": READERS,
    }
    for i in range(0, c.buckets, GRANT_EVERY):
        role, member = bucket_grant(c, i)
        bindings = {**legacy, role: [member]}
        when = APPLIED
        if i == 0:
            extra_role, extra_member = UNDECLARED_BUCKET_GRANT
            bindings[extra_role] = [*bindings.get(extra_role, []), extra_member]
            when = CHANGED
        yield _policy(f"//storage.googleapis.com/{bucket(i)}", BUCKET_TYPE, bindings, when)


def expected(c: Counts) -> dict[str, Any]:
    """What `plangate conform --format json` must report: finding addresses per policy."""
    address = 'module.storage.google_storage_bucket.data["d{:06d}"]'.format
    project = f"//cloudresourcemanager.googleapis.com/projects/{PROJECT_ID}"
    return {
        "version": VERSION,
        "assets": c.assets,
        "resources": c.resources,
        "project_id": PROJECT_ID,
        "project_number": PROJECT_NUMBER,
        "findings": {
            "PG-CAI-001": sorted(address(i) for i in c.missing()),
            "PG-CAI-002": sorted(address(i) for i in c.drifted()),
            "PG-CAI-003": sorted(
                f"//storage.googleapis.com/{handmade(k)}" for k in range(UNMANAGED_BUCKETS)
            ),
            "PG-CAI-004": sorted(  # each grant is addressed ASSET ROLE MEMBER
                [
                    f"{project} {' '.join(UNDECLARED_PROJECT_GRANT)}",
                    f"//storage.googleapis.com/{bucket(0)} {' '.join(UNDECLARED_BUCKET_GRANT)}",
                ]
            ),
            "PG-CAI-005": [],
        },
    }


def write(assets: int, folder: Path) -> dict[str, Any]:
    """Write state.json, export.ndjson and expected.json into `folder`; return expected."""
    c = counts(assets)
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "state.json").open("w", encoding="utf-8") as out:
        write_state(c, out)
    records = policies = 0
    with (folder / "export.ndjson").open("w", encoding="utf-8") as out:
        for record in export_records(c):
            out.write(json.dumps(record, separators=(",", ":")) + "\n")
            records += 1
            policies += "iam_policy" in record
    if records != assets:
        raise AssertionError(f"wrote {records} records, meant {assets}")
    result = {**expected(c), "resource_records": records - policies, "iam_records": policies}
    (folder / "expected.json").write_text(json.dumps(result, indent=2) + "\n", "utf-8")
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--assets", type=int, default=100_000)
    parser.add_argument("--out", type=Path, required=True, help="folder for the three files")
    args = parser.parse_args(argv)
    result = write(args.assets, args.out)
    print(
        f"wrote {args.out}: {result['assets']:,} export records, "
        f"{result['resources']:,} managed resources"
    )


if __name__ == "__main__":
    main()
