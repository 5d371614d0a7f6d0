"""What the generator assumes about the google provider (6.x): the part a plan shows that HCL does not.

For each resource type the stack uses: the attributes the provider computes (with plausible,
deterministic values derived from the object's own arguments, so a regenerated plan is identical),
the arguments that force replacement, the handful of optional arguments whose schema default
appears in state, and the labels model (``terraform_labels``/``effective_labels``). Data sources
return what the stack reads from them.

Deterministic "live" values: the project number is derived from the project ID (12 digits, from
SHA-256), other server-assigned IDs from the resource address. They are plausible in shape only.
This is knowledge written down by hand, not the provider's schema: a type not listed here raises
:class:`ProviderModelError`, and an argument change not known to force replacement is an update.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from plangen_expr import UNKNOWN, Sensitive

PROVIDER_SOURCE_HOST = ".".join(("registry", "terraform", "io"))  # a host name as data, not a link
PROVIDER_FQN = f"{PROVIDER_SOURCE_HOST}/hashicorp/google"
SCHEMA_VERSION = 0  # per type schema versions are not modelled (see generate_plans.py)
IMPORTED_AT = "2026-02-03T10:00:00.000000Z"  # Phase 2 import; stands in for every create_time


class ProviderModelError(Exception):
    """A resource type or attribute the provider model does not know."""


def _digits(key: str, count: int) -> str:
    value = int(hashlib.sha256(key.encode()).hexdigest(), 16)
    low = 10 ** (count - 1)
    return str(low + value % (9 * low))


def _token(key: str, length: int = 12) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:length]


def _uuid(key: str) -> str:
    h = hashlib.sha256(key.encode()).hexdigest()
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}"


def project_number(project_id: str) -> str:
    """The (made-up, stable) project number of a project ID, as the API writes it: a string."""
    return _digits(f"project-number:{project_id}", 12)


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Sensitive) else value


def _arg(values: Mapping[str, Any], name: str) -> Any:
    value = _plain(values.get(name))
    return "" if value is None or value is UNKNOWN else value


# --------------------------------------------------------------------------- computed values


def _iam_member_id(prefix: str, values: Mapping[str, Any]) -> str:
    return f"{prefix}/{_arg(values, 'role')}/{_arg(values, 'member')}"


def _etag(address: str) -> str:
    return "BwY" + _token(f"etag:{address}", 9)


def _computed(type_: str, v: Mapping[str, Any], address: str) -> dict[str, Any]:
    """Attributes the provider fills in, for an object that exists."""
    project = _arg(v, "project")
    number = project_number(project) if project else ""
    if type_ == "google_storage_bucket":
        name = _arg(v, "name")
        return {
            "id": name,
            "self_link": f"https://www.googleapis.com/storage/v1/b/{name}",
            "url": f"gs://{name}",
        }
    if type_ == "google_storage_bucket_iam_member":
        return {"etag": _etag(address), "id": _iam_member_id(f"b/{_arg(v, 'bucket')}", v)}
    if type_ == "google_service_account":
        email = f"{_arg(v, 'account_id')}@{project}.iam.gserviceaccount.com"
        return {
            "email": email,
            "id": f"projects/{project}/serviceAccounts/{email}",
            "member": f"serviceAccount:{email}",
            "name": f"projects/{project}/serviceAccounts/{email}",
            "unique_id": _digits(f"sa:{address}", 21),
        }
    if type_ == "google_project_iam_member":
        return {"etag": _etag(address), "id": _iam_member_id(project, v)}
    if type_ == "google_artifact_registry_repository":
        repo = _arg(v, "repository_id")
        return {
            "create_time": IMPORTED_AT,
            "id": f"projects/{project}/locations/{_arg(v, 'location')}/repositories/{repo}",
            "name": repo,
            "update_time": IMPORTED_AT,
        }
    if type_ == "google_artifact_registry_repository_iam_member":
        prefix = (
            f"projects/{project}/locations/{_arg(v, 'location')}/repositories/"
            f"{_arg(v, 'repository')}"
        )
        return {"etag": _etag(address), "id": _iam_member_id(prefix, v)}
    if type_ == "google_secret_manager_secret":
        secret = _arg(v, "secret_id")
        return {
            "create_time": IMPORTED_AT,
            "id": f"projects/{project}/secrets/{secret}",
            "name": f"projects/{number}/secrets/{secret}",
        }
    if type_ == "google_secret_manager_secret_iam_member":
        prefix = f"projects/{project}/secrets/{_arg(v, 'secret_id')}"
        return {"etag": _etag(address), "id": _iam_member_id(prefix, v)}
    if type_ == "google_cloud_run_v2_service":
        name, region = _arg(v, "name"), _arg(v, "location")
        return {
            "create_time": IMPORTED_AT,
            "etag": '"' + _token(f"run-etag:{address}", 16) + '"',
            "id": f"projects/{project}/locations/{region}/services/{name}",
            "uid": _uuid(f"run:{address}"),
            "uri": f"https://{name}-{number}.{region}.run.app",
        }
    if type_ == "google_cloud_run_v2_service_iam_member":
        prefix = f"projects/{project}/locations/{_arg(v, 'location')}/services/{_arg(v, 'name')}"
        return {"etag": _etag(address), "id": _iam_member_id(prefix, v)}
    if type_ == "google_iam_workload_identity_pool":
        pool = _arg(v, "workload_identity_pool_id")
        return {
            "id": f"projects/{project}/locations/global/workloadIdentityPools/{pool}",
            "name": f"projects/{number}/locations/global/workloadIdentityPools/{pool}",
            "state": "ACTIVE",
        }
    if type_ == "google_iam_workload_identity_pool_provider":
        path = (
            f"locations/global/workloadIdentityPools/{_arg(v, 'workload_identity_pool_id')}"
            f"/providers/{_arg(v, 'workload_identity_pool_provider_id')}"
        )
        return {
            "id": f"projects/{project}/{path}",
            "name": f"projects/{number}/{path}",
            "state": "ACTIVE",
        }
    if type_ == "google_service_account_iam_member":
        return {"etag": _etag(address), "id": _iam_member_id(_arg(v, "service_account_id"), v)}
    if type_ == "google_firestore_database":
        name = _arg(v, "name")
        pitr = _arg(v, "point_in_time_recovery_enablement") == "POINT_IN_TIME_RECOVERY_ENABLED"
        return {
            "create_time": IMPORTED_AT,
            "earliest_version_time": IMPORTED_AT,
            "etag": _token(f"fs-etag:{address}", 24),
            "id": f"projects/{project}/databases/{name}",
            "key_prefix": "",
            "uid": _uuid(f"firestore:{address}"),
            "update_time": IMPORTED_AT,
            "version_retention_period": "604800s" if pitr else "3600s",
        }
    if type_ == "google_firestore_index":
        name = (
            f"projects/{project}/databases/{_arg(v, 'database')}/collectionGroups/"
            f"{_arg(v, 'collection')}/indexes/CICAg{_token(f'index:{address}', 10)}"
        )
        return {"id": name, "name": name}
    if type_ == "google_firestore_field":
        name = (
            f"projects/{project}/databases/{_arg(v, 'database')}/collectionGroups/"
            f"{_arg(v, 'collection')}/fields/{_arg(v, 'field')}"
        )
        return {"id": name, "name": name}
    if type_ == "google_pubsub_topic":
        return {"id": f"projects/{project}/topics/{_arg(v, 'name')}"}
    if type_ == "google_billing_budget":
        name = f"billingAccounts/{_arg(v, 'billing_account')}/budgets/{_uuid(f'budget:{address}')}"
        return {"id": name, "name": name}
    if type_ == "google_monitoring_notification_channel":
        name = f"projects/{project}/notificationChannels/{_digits(f'channel:{address}', 19)}"
        return {"id": name, "name": name, "verification_status": ""}
    if type_ == "google_monitoring_alert_policy":
        name = f"projects/{project}/alertPolicies/{_digits(f'policy:{address}', 19)}"
        return {
            "creation_record": [{"mutate_time": IMPORTED_AT, "mutated_by": "terraform"}],
            "id": name,
            "name": name,
        }
    raise ProviderModelError(
        f"{address}: resource type {type_} is not in the generator's provider model "
        "(infrastructure/scripts/plangen_google.py)"
    )


# Nested computed values inside blocks that the configuration writes.
def _computed_in_blocks(type_: str, values: dict[str, Any]) -> None:
    if type_ == "google_firestore_field":
        for block in values.get("ttl_config") or ():
            block.setdefault("state", "ACTIVE")
        for block in values.get("index_config") or ():
            block.setdefault("indexes", [])


LABELLED_TYPES = frozenset(
    {
        "google_storage_bucket",
        "google_artifact_registry_repository",
        "google_secret_manager_secret",
        "google_cloud_run_v2_service",
        "google_pubsub_topic",
    }
)
"""Types whose ``labels`` the provider (5.0+) mirrors into terraform_labels/effective_labels."""

OPTIONAL_DEFAULTS: Mapping[str, Mapping[str, Any]] = {
    "google_service_account": {"disabled": False},
    "google_project_iam_member": {"condition": []},
    "google_artifact_registry_repository_iam_member": {"condition": []},
    "google_secret_manager_secret_iam_member": {"condition": []},
    "google_cloud_run_v2_service_iam_member": {"condition": []},
    "google_service_account_iam_member": {"condition": []},
    "google_storage_bucket_iam_member": {"condition": []},
    "google_monitoring_notification_channel": {"force_delete": False, "sensitive_labels": []},
}
"""Optional arguments whose schema default (or empty block list) the state shows when unset."""

FORCE_NEW: Mapping[str, frozenset[str]] = {
    "google_storage_bucket": frozenset({"name", "location", "project"}),
    "google_firestore_database": frozenset({"name", "location_id", "project"}),
    "google_project_iam_member": frozenset({"project", "role", "member", "condition"}),
    "google_storage_bucket_iam_member": frozenset({"bucket", "role", "member", "condition"}),
    "google_service_account": frozenset({"account_id", "project"}),
    "google_secret_manager_secret": frozenset({"secret_id", "project", "replication"}),
    "google_artifact_registry_repository": frozenset(
        {"repository_id", "location", "format", "project"}
    ),
}
"""Arguments known to force replacement; a change to any other argument plans an update."""


# --------------------------------------------------------------------------- objects


@dataclass(frozen=True, slots=True)
class Planned:
    """A managed instance as planned: its object and the action Terraform would take."""

    values: dict[str, Any]
    actions: tuple[str, ...]
    replace_paths: tuple[tuple[str, ...], ...] = ()
    action_reason: str | None = None


def _declared(type_: str, config: Mapping[str, Any]) -> dict[str, Any]:
    """Arguments as configured, plus schema defaults and the provider's label mirrors."""
    values = {key: _copy(value) for key, value in config.items()}
    for key, default in OPTIONAL_DEFAULTS.get(type_, {}).items():
        values.setdefault(key, _copy(default))
    if type_ in LABELLED_TYPES:
        labels = values.get("labels")
        mirrored = {} if labels is None else labels
        values["terraform_labels"] = _copy(mirrored)
        values["effective_labels"] = _copy(mirrored)
    _computed_in_blocks(type_, values)
    return values


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value


def existing_object(type_: str, config: Mapping[str, Any], address: str) -> dict[str, Any]:
    """The object in state for an instance that exists and matches its configuration."""
    values = _declared(type_, config)
    values.update(_computed(type_, values, address))
    return values


def plan_object(
    type_: str, config: Mapping[str, Any], prior: Mapping[str, Any] | None, address: str
) -> Planned:
    """Plan one managed instance against its prior object (None: it does not exist yet)."""
    declared = _declared(type_, config)
    computed_keys = set(_computed(type_, declared, address))
    if prior is None:
        return Planned({**declared, **dict.fromkeys(computed_keys, UNKNOWN)}, ("create",))
    desired = {**declared, **{key: prior[key] for key in computed_keys if key in prior}}
    if desired == dict(prior):
        return Planned(dict(prior), ("no-op",))
    changed = {key for key in desired.keys() | prior.keys() if desired.get(key) != prior.get(key)}
    forcing = sorted(changed & FORCE_NEW.get(type_, frozenset()))
    if forcing:
        return Planned(
            {**declared, **dict.fromkeys(computed_keys, UNKNOWN)},
            ("delete", "create"),
            tuple((key,) for key in forcing),
            "replace_because_cannot_update",
        )
    return Planned(desired, ("update",))


def read_data(type_: str, config: Mapping[str, Any], address: str) -> dict[str, Any]:
    """What a data source read returns, for the data sources the stack declares."""
    if type_ == "google_project":
        project = _arg(config, "project_id")
        return {
            "effective_labels": {},
            "id": f"projects/{project}",
            "labels": {},
            "name": project,
            "number": project_number(project),
            "project_id": project,
            "terraform_labels": {},
        }
    if type_ == "google_billing_account":
        account = _arg(config, "billing_account")
        return {
            "billing_account": account,
            "display_name": "CT-scan MLOps billing",
            "id": account,
            "name": f"billingAccounts/{account}",
            "open": config.get("open", True),
        }
    raise ProviderModelError(
        f"{address}: data source {type_} is not in the generator's provider model "
        "(infrastructure/scripts/plangen_google.py)"
    )
