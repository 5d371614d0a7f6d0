"""Secret Manager: secret values never pass through Terraform.

What this module protects: the values of the API key and webhook the stack keeps in its two
secrets (REQ-018, REQ-050). The team's rule is that Terraform manages the
secret containers only and values are added out of band with `gcloud secrets versions add`,
because whatever a resource or data source holds is written to the plan file and to the
state in plain text, and the state bucket keeps old state versions. This module enforces
the rule from both sides (no managed secret version, no data source that reads a payload),
makes removing a version that slipped in safe, and checks the secret containers' replication.
checkov has no Secret Manager checks (docs/peers.md).

Policies (ids are stable; reports and waivers refer to them):

- PG-SEC-001  No secret version is managed by Terraform.
- PG-SEC-002  No data source reads a secret payload into the plan or state.
- PG-SEC-003  Secrets declare their replication.
- PG-SEC-004  Removing a secret version from Terraform does not destroy it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from plangate.plan import ABSENT, UNKNOWN, ChangeKind, Plan, get_path, render
from plangate.policy import (
    NotApplicable,
    PolicyContext,
    Resource,
    Severity,
    View,
    Violation,
    policy,
    violation,
)

SECRET = ("google_secret_manager_secret",)
SECRET_VERSIONS = (
    "google_secret_manager_secret_version",
    "google_secret_manager_regional_secret_version",
)
PAYLOAD_DATA_SOURCES = (
    "google_secret_manager_secret_version",
    "google_secret_manager_secret_version_access",
    "google_secret_manager_regional_secret_version",
    "google_secret_manager_regional_secret_version_access",
)

_PROVIDER_DOCS = "https://github.com/hashicorp/terraform-provider-google/blob/main/website/docs"
_SENSITIVE_STATE = "https://developer.hashicorp.com/terraform/language/state/sensitive-data"


# --------------------------------------------------------------------------- PG-SEC-001


@policy(
    id="PG-SEC-001",
    title="No secret version is managed by Terraform",
    severity=Severity.CRITICAL,
    requirements=("REQ-050",),
    rationale="""A `google_secret_manager_secret_version` stores its payload (`secret_data`)
    in the Terraform state in plain text, and the plan file carries it too; the state bucket
    keeps superseded state files, so the value outlives the resource. The team's secret
    manager module creates containers only (REQ-050: the imported "2 Secret Manager secrets"
    hold no version managed by Terraform), and values are added out of band. Any plan that creates,
    updates, replaces, imports or keeps a secret version fails; forgetting one passes, and
    deleting one is judged by PG-SEC-004. A write-only `secret_data_wo` keeps the value out of
    state but still feeds it through Terraform's inputs, so it needs a waiver too.""",
    resource_types=SECRET_VERSIONS,
    view=View.CHANGE,
    references=(
        f"{_PROVIDER_DOCS}/r/secret_manager_secret_version.html.markdown",
        _SENSITIVE_STATE,
        "https://cloud.google.com/secret-manager/docs/best-practices",
    ),
)
def no_managed_secret_version(resource: Resource, ctx: PolicyContext) -> Iterator[Violation]:
    change = resource.change
    if change.deposed is not None or change.kind in (ChangeKind.DELETE, ChangeKind.FORGET):
        raise NotApplicable  # the version leaves Terraform with this plan
    payload = resource.get("secret_data")
    if payload is ABSENT or payload is None:
        fate = "its value is passed through Terraform's inputs (write-only secret_data_wo)"
    else:
        fate = "its payload is written to the state in plain text"
    kind = "import" if change.is_import and change.actions.is_no_op else change.kind.value
    expected = "no secret version managed by Terraform"
    message = (
        f"secret_data: expected {expected}, got {render(payload)} ({kind}: {fate}; "
        "add versions with `gcloud secrets versions add` instead)"
    )
    yield Violation(attribute="secret_data", expected=expected, actual=payload, message=message)


# --------------------------------------------------------------------------- PG-SEC-002


@policy(
    id="PG-SEC-002",
    title="No data source reads a secret payload into the plan or state",
    severity=Severity.CRITICAL,
    requirements=("REQ-050",),
    rationale="""The data sources `google_secret_manager_secret_version` and
    `..._version_access` (and their regional forms) read the secret's value during plan and
    store it in the plan file and the state in plain text, exactly what the secret manager
    module avoids (REQ-050). checkov does not look at data sources in plans at all. Read secrets
    at runtime (Cloud Run secret references) or, where Terraform needs the value, through the
    ephemeral resource of the same name, which is never stored. Found in resource_changes,
    planned values and the prior state.""",
    view=View.PLAN,
    references=(
        f"{_PROVIDER_DOCS}/d/secret_manager_secret_version.html.markdown",
        "https://developer.hashicorp.com/terraform/language/resources/ephemeral",
        _SENSITIVE_STATE,
    ),
)
def no_payload_data_source(plan: Plan, ctx: PolicyContext) -> Iterator[Violation]:
    found: dict[str, tuple[str, Any]] = {}
    for change in plan.resource_changes:
        if change.mode == "data" and change.type in PAYLOAD_DATA_SOURCES:
            values = change.after if change.after is not None else change.before
            found.setdefault(change.address, (change.type, _payload(values)))
    states = [plan.planned_values]
    if plan.prior_state is not None:
        states.append(plan.prior_state.values)
    for state in states:
        for item in state.resources:
            if item.mode == "data" and item.type in PAYLOAD_DATA_SOURCES:
                found.setdefault(item.address, (item.type, _payload(item.values)))
    expected = "no secret payload read into the plan or state"
    for address, (resource_type, payload) in found.items():
        message = (
            f"secret_data: expected {expected}, got {render(payload)} (data source "
            f"{resource_type} stores the value in the state in plain text; use the ephemeral "
            "resource or read the secret at runtime)"
        )
        yield Violation(
            attribute="secret_data",
            expected=expected,
            actual=payload,
            message=message,
            address=address,
        )


def _payload(values: Any) -> Any:
    return get_path(values, "secret_data")


# --------------------------------------------------------------------------- PG-SEC-003


@policy(
    id="PG-SEC-003",
    title="Secrets declare their replication",
    severity=Severity.LOW,
    requirements=("REQ-018",),
    rationale="""Replication decides where the secret's versions are stored and whether the
    secret survives a regional outage; it cannot be changed after creation (changing it
    replaces the secret, and PG-CHG-002 blocks that). The secret manager module declares
    automatic replication for both secrets (REQ-018). The secret must have
    `replication[0].auto` or `replication[0].user_managed` with at least one replica, so a
    module change cannot leave it to provider defaults unnoticed.""",
    resource_types=SECRET,
    view=View.AFTER,
    references=(
        "https://cloud.google.com/secret-manager/docs/choosing-replication",
        f"{_PROVIDER_DOCS}/r/secret_manager_secret.html.markdown",
    ),
)
def secret_replication(resource: Resource, ctx: PolicyContext) -> Iterator[Violation]:
    auto = resource.get("replication[0].auto")
    replicas = resource.get("replication[0].user_managed[0].replicas")
    if _non_empty(auto) or _non_empty(replicas):
        return
    expected = "replication.auto, or replication.user_managed with at least one replica"
    candidates = (resource.get("replication"), auto, replicas)
    actual = UNKNOWN if any(v is UNKNOWN for v in candidates) else resource.get("replication")
    yield violation("replication", expected, actual)


def _non_empty(value: Any) -> bool:
    return isinstance(value, tuple) and len(value) > 0


# --------------------------------------------------------------------------- PG-SEC-004


@policy(
    id="PG-SEC-004",
    title="Removing a secret version from Terraform does not destroy it",
    severity=Severity.HIGH,
    requirements=("REQ-032", "REQ-050"),
    rationale="""When a secret version that PG-SEC-001 found is taken out of the configuration,
    Terraform deletes it, and with the default `deletion_policy` ("DELETE") that destroys the
    value in Secret Manager; "DISABLE" disables it. The API reads its keys at start-up, so the
    next revision would fail (REQ-032: "Verify no service disruption"), and the value must never
    pass through Terraform again (REQ-050). Remove it from state instead (`removed` block with
    `destroy = false`, which PG-SEC-001 lets pass) or set deletion_policy to ABANDON first, then
    rotate the value: old state files still hold it.""",
    resource_types=SECRET_VERSIONS,
    view=View.CHANGE,
    references=(
        f"{_PROVIDER_DOCS}/r/secret_manager_secret_version.html.markdown",
        "https://developer.hashicorp.com/terraform/language/resources/syntax#removing-resources",
        "https://cloud.google.com/secret-manager/docs/destroy-secret-versions",
    ),
)
def secret_version_not_destroyed(resource: Resource, ctx: PolicyContext) -> Iterator[Violation]:
    change = resource.change
    if change.kind is not ChangeKind.DELETE or change.deposed is not None:
        raise NotApplicable("no secret version is being deleted")
    policy_value = resource.get("deletion_policy")
    if policy_value == "ABANDON":
        return
    shown = policy_value if isinstance(policy_value, str) else "DELETE (the default)"
    yield violation(
        "deletion_policy",
        '"ABANDON" (or a removed block with destroy = false)',
        policy_value,
        f"the delete {'destroys' if shown.startswith('DELETE') else 'disables'} the live value "
        "in Secret Manager",
    )
