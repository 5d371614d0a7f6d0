"""Change safety: what a plan may do to the running stack, whatever the stack looks like.

The other catalogue modules judge the end state (is the bucket private, is the budget wired).
This module judges the transition: a plan can be perfectly configured and still destroy the
Terraform state bucket, the DVC cache or the Firestore prediction log on the way. It also
refuses plans that cannot be judged at all (errored, or planned with -target or deferrals),
and gives the team's "`terraform plan` shows 0 changes" check (REQ-030) a machine-checked
form.

checkov does not cover any of this: it scans only planned values, so pure deletions never
reach its checks (docs/peers.md).

Policies (ids are stable; reports and waivers refer to them):

- PG-CHG-001  Zero-change mode: the plan changes nothing (only with `expect_no_changes`).
- PG-CHG-002  Stateful resources are not deleted or replaced.
- PG-CHG-003  Stateful resources are not removed from state (forget).
- PG-CHG-004  The Cloud Run service is not destroyed or replaced.
- PG-CHG-005  The plan did not error.
- PG-CHG-006  The plan is complete (no -target, no deferred changes).

Plan-wide findings (PG-CHG-005, the plan-level part of PG-CHG-006) carry the address
`(plan)`, so a waiver can name them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from plangate.plan import ChangeKind, Plan, ResourceChange, format_path
from plangate.plan.values import Path
from plangate.policy import (
    NotApplicable,
    PolicyContext,
    Resource,
    Severity,
    View,
    Violation,
    policy,
    setting,
    violation,
)
from plangate.policy.settings import EXPECT_NO_CHANGES

PLAN_ADDRESS = "(plan)"
"""The address of findings about the plan as a whole."""

DEFAULT_STATEFUL_TYPES = (
    "google_storage_bucket",
    "google_firestore_database",
    "google_secret_manager_secret",
    "google_artifact_registry_repository",
)

STATEFUL_TYPES = setting(
    "stateful_types",
    DEFAULT_STATEFUL_TYPES,
    """Resource types whose objects hold data that Terraform cannot recreate (PG-CHG-002,
    PG-CHG-003). Deleting, replacing or forgetting one needs a waiver. The default covers
    the buckets (Terraform state, DVC, models), the Firestore prediction log, Secret Manager
    secrets (their versions are added out of band, so Terraform cannot restore them) and the
    Artifact Registry repository (the images kept for rollback).""",
)

_CLOUD_RUN_TYPES = ("google_cloud_run_v2_service", "google_cloud_run_service")

_REASONS: Mapping[str, str] = {
    "replace_because_tainted": "the object is tainted",
    "replace_because_cannot_update": "a changed argument cannot be updated in place",
    "replace_by_request": "replacement was requested with -replace",
    "replace_by_triggers": "lifecycle.replace_triggered_by fired",
    "delete_because_no_resource_config": "its block is no longer in the configuration",
    "delete_because_wrong_repetition": "count/for_each on its block changed",
    "delete_because_count_index": "its count index no longer exists",
    "delete_because_each_key": "its for_each key no longer exists",
    "delete_because_no_module": "its module is no longer in the configuration",
    "delete_because_no_move_target": "its moved block points at an address with no configuration",
    "delete_because_enabled_false": "its `enabled` meta-argument is false",
}

_LOSS: Mapping[str, str] = {
    "google_storage_bucket": "the bucket and every object in it are destroyed",
    "google_firestore_database": "the database and every document in it are destroyed",
    "google_secret_manager_secret": "the secret and every version of its value are destroyed",
    "google_artifact_registry_repository": (
        "the repository and every image in it, including those kept for rollback, are destroyed"
    ),
}

_MAX_PATHS = 8


# --------------------------------------------------------------------------- helpers


def _paths(paths: Sequence[Path]) -> str:
    shown = [format_path(path) or "(whole object)" for path in paths[:_MAX_PATHS]]
    more = len(paths) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def _reason(change: ResourceChange) -> str | None:
    if change.action_reason is None:
        return None
    return _REASONS.get(change.action_reason, change.action_reason)


def describe_change(change: ResourceChange) -> str:
    """What a change does, in words: kind, changed or replacing paths, reason, import, move."""
    parts: list[str] = []
    kind = change.kind
    paths = change.change.changed_paths
    if kind is ChangeKind.UPDATE:
        parts.append("update in place" + (f" of {_paths(paths)}" if paths else ""))
    elif kind is ChangeKind.REPLACE:
        order = (
            "create then destroy"
            if change.actions.creates_before_destroying
            else "destroy then create"
        )
        text = f"replace ({order})"
        if change.change.replace_paths:
            text += f", forced by {_paths(change.change.replace_paths)}"
        parts.append(text)
    elif kind is ChangeKind.DELETE:
        parts.append("delete" + (f" of deposed object {change.deposed}" if change.deposed else ""))
    elif kind is ChangeKind.FORGET:
        parts.append("forget (removed from state; the object is left unmanaged)")
    elif kind is ChangeKind.FORGET_REPLACE:
        parts.append("forget the existing object and create a new one")
    elif kind is ChangeKind.CREATE:
        parts.append("create")
    elif kind is ChangeKind.UNRECOGNISED:
        parts.append(f"unrecognised actions [{change.actions}]")
    elif kind is not ChangeKind.NO_OP:
        parts.append(kind.value)
    reason = _reason(change)
    if reason:
        parts.append(f"because {reason}")
    if change.is_import:
        importing = change.change.importing
        if importing is not None and importing.id is not None:
            parts.append(f'import of id "{importing.id}"')
        else:
            parts.append("import (id known after apply)")
    if change.is_move:
        parts.append(f"moved from {change.previous_address}")
    return "; ".join(parts) or "no-op"


def _type_set(value: Any, name: str) -> frozenset[str]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise TypeError(f"setting {name} must be a list of resource types, got {value!r}")
    items = tuple(value)
    if not all(isinstance(item, str) for item in items):
        raise TypeError(f"setting {name} must be a list of resource types, got {value!r}")
    return frozenset(items)


# --------------------------------------------------------------------------- PG-CHG-001


@policy(
    id="PG-CHG-001",
    title="Zero-change mode: the plan changes nothing",
    severity=Severity.CRITICAL,
    requirements=("REQ-030",),
    rationale="""The team proves an import, and later a rollback, by showing that `terraform
    plan` has no changes (REQ-030: "`terraform plan` shows 0 changes"). A person
    reading plan text can miss one line among 52 resources; this policy names every create,
    update (with the attribute paths that change), replace, delete, forget, import, move,
    output change, drift and deferred change. It runs only when zero-change mode is asked
    for (`--expect-no-changes` or the `expect_no_changes` setting).""",
    view=View.PLAN,
    references=(
        "https://developer.hashicorp.com/terraform/internals/json-format",
        "https://developer.hashicorp.com/terraform/cli/commands/plan",
        "https://developer.hashicorp.com/terraform/tutorials/state/resource-drift",
    ),
)
def zero_change(plan: Plan, ctx: PolicyContext) -> Iterator[Violation]:
    if ctx.setting(EXPECT_NO_CHANGES) is not True:
        raise NotApplicable("zero-change mode is off (--expect-no-changes turns it on)")
    expected = "no change (zero-change mode)"
    for change in plan.changes:
        if change.actions.changes_infrastructure:
            attribute, actual = "actions", change.actions.values
        elif change.is_import:
            importing = change.change.importing
            attribute, actual = "importing", importing.id if importing and importing.id else None
        else:
            attribute, actual = "previous_address", change.previous_address
        yield violation(
            attribute, expected, actual, describe_change(change), address=change.address
        )
    for name, output in plan.output_changes.items():
        if output.actions.changes_infrastructure:
            yield violation(
                "output_changes",
                expected,
                output.actions.values,
                f"output {name}: {output.actions.kind.value}",
                address=f"output.{name}",
            )
    for drift in plan.resource_drift:
        yield violation(
            "resource_drift",
            "no drift (zero-change mode)",
            drift.actions.values,
            f"changed outside Terraform: {describe_change(drift)}",
            address=drift.address,
        )
    for deferred in plan.deferred_changes:
        rc = deferred.resource_change
        yield violation(
            "deferred_changes",
            expected,
            deferred.reason,
            f"Terraform postponed this change ({describe_change(rc)}) to a later plan",
            address=rc.address,
        )


# --------------------------------------------------------------------------- PG-CHG-002


@policy(
    id="PG-CHG-002",
    title="Stateful resources are not deleted or replaced",
    severity=Severity.CRITICAL,
    requirements=("REQ-023", "REQ-026", "REQ-032"),
    rationale="""The buckets hold the Terraform state, the DVC data and the served models,
    Firestore holds the prediction log, Secret Manager the API keys, and Artifact Registry
    the images kept for rollback. None of it can be recreated by Terraform, and the service
    depends on all of it (REQ-032: "Verify no service disruption"); the state bucket was
    imported once and must stay the one it is (REQ-026: "Terraform state bucket conflict -
    Already imported"). A delete or a replacement (destroy and create, which Terraform plans
    when an immutable argument such as a bucket location changes; REQ-023: "Models bucket
    location mismatch") destroys the data. `prevent_destroy` is not in plans
    and a removed block takes it with it, so the plan is checked here: pure deletes (which
    checkov never sees) and deposed objects included. Only a reviewed waiver lets one through.
    The types come from the `stateful_types` setting.""",
    view=View.PLAN,
    references=(
        "https://developer.hashicorp.com/terraform/language/meta-arguments/lifecycle",
        "https://developer.hashicorp.com/terraform/internals/json-format",
        "https://cloud.google.com/storage/docs/deleting-buckets",
        "https://cloud.google.com/firestore/docs/manage-databases",
    ),
)
def stateful_not_destroyed(plan: Plan, ctx: PolicyContext) -> Iterator[Violation]:
    types = _type_set(ctx.setting(STATEFUL_TYPES), STATEFUL_TYPES)
    for change in plan.managed_changes:
        if change.type not in types or not change.actions.destroys:
            continue
        loss = _LOSS.get(change.type, "the object and the data it holds are destroyed")
        abandoned = _get(change.before, "deletion_policy") == "ABANDON"
        if change.type == "google_firestore_database" and abandoned:
            loss = (
                "deletion_policy ABANDON leaves the database in place but Terraform stops "
                "managing it; a replacement then collides with it"
            )
        yield violation(
            "actions",
            "no delete or replace",
            change.actions.values,
            f"{describe_change(change)}; {loss}",
            address=change.address,
        )


def _get(values: Any, key: str) -> Any:
    return values.get(key) if isinstance(values, Mapping) else None


# --------------------------------------------------------------------------- PG-CHG-003


@policy(
    id="PG-CHG-003",
    title="Stateful resources are not removed from state (forget)",
    severity=Severity.MEDIUM,
    requirements=("REQ-022", "REQ-026"),
    rationale="""A `removed` block with `destroy = false` (Terraform 1.7+) makes Terraform
    forget an object: it survives, but no plan, policy or drift check sees it again. The team
    brought every live resource under Terraform (REQ-022: "All existing resources in
    Terraform state (52 resources)"); letting a bucket, database, secret or repository drop
    out of state undoes that silently, and a forgotten state bucket would be imported a
    second time (REQ-026). Forgetting one of the `stateful_types` needs a waiver.""",
    view=View.PLAN,
    references=(
        "https://developer.hashicorp.com/terraform/language/resources/syntax#removing-resources",
        "https://developer.hashicorp.com/terraform/internals/json-format",
    ),
)
def stateful_not_forgotten(plan: Plan, ctx: PolicyContext) -> Iterator[Violation]:
    types = _type_set(ctx.setting(STATEFUL_TYPES), STATEFUL_TYPES)
    for change in plan.managed_changes:
        if change.type in types and change.kind in (ChangeKind.FORGET, ChangeKind.FORGET_REPLACE):
            yield violation(
                "actions",
                "the object stays in Terraform state",
                change.actions.values,
                describe_change(change),
                address=change.address,
            )


# --------------------------------------------------------------------------- PG-CHG-004


@policy(
    id="PG-CHG-004",
    title="The Cloud Run service is not destroyed or replaced",
    severity=Severity.MEDIUM,
    requirements=("REQ-016", "REQ-032"),
    rationale="""The API is served by one Cloud Run service (REQ-016: "1 Cloud Run service + 1
    IAM binding"; REQ-032: "Verify no service disruption"). A service name is unique, so
    Terraform can only replace it by deleting it first: requests fail until the new service
    serves, and its IAM bindings (the invoker binding) are recreated with it. Changes to the
    revision template are updates and do not trigger this; a replacement comes from immutable
    arguments (name, location, project) or -replace. Destroying the service (a pure delete) is
    flagged too. Lower severity than data loss: the service can be recreated, but it is an
    outage.""",
    resource_types=_CLOUD_RUN_TYPES,
    view=View.CHANGE,
    references=(
        "https://cloud.google.com/run/docs/managing/services",
        "https://cloud.google.com/run/docs/rollouts-rollbacks-traffic-migration",
        "https://github.com/hashicorp/terraform-provider-google/blob/main/website/docs/r/cloud_run_v2_service.html.markdown",
    ),
)
def cloud_run_not_replaced(resource: Resource, ctx: PolicyContext) -> Iterator[Violation]:
    change = resource.change
    if change.deposed is not None:
        raise NotApplicable  # cleaning up an object a create-before-destroy left behind
    if change.actions.destroys:
        yield violation(
            "actions",
            "update in place or no change",
            change.actions.values,
            f"{describe_change(change)}; the service is down until a new one serves",
        )


# --------------------------------------------------------------------------- PG-CHG-005


@policy(
    id="PG-CHG-005",
    title="The plan did not error",
    severity=Severity.CRITICAL,
    requirements=("REQ-031",),
    rationale="""Terraform 1.6+ writes `errored: true` when planning failed; the changes it
    lists may be partial, so every other policy would judge an incomplete picture and could
    pass a plan that is not what will be applied (REQ-031: "Verify terraform plan (0
    changes)" is only worth the plan it is given). An errored plan fails. Plans from Terraform
    before 1.6 do not say; the policy is then not applicable.""",
    view=View.PLAN,
    references=("https://developer.hashicorp.com/terraform/internals/json-format",),
)
def plan_not_errored(plan: Plan, ctx: PolicyContext) -> Iterator[Violation]:
    if plan.errored is None:
        raise NotApplicable("this Terraform version does not report errored (added in 1.6)")
    if plan.errored is True:
        yield violation(
            "errored",
            "false",
            True,
            "Terraform reported errors while planning; the listed changes may be partial",
            address=PLAN_ADDRESS,
        )


# --------------------------------------------------------------------------- PG-CHG-006


@policy(
    id="PG-CHG-006",
    title="The plan is complete (no -target, no deferred changes)",
    severity=Severity.HIGH,
    requirements=("REQ-031",),
    rationale="""A plan made with -target, or with deferred changes, covers only part of the
    configuration: Terraform writes `complete: false` (1.8+) and lists postponed changes in
    `deferred_changes` (1.9+). The gate would approve a plan whose other half nobody judged,
    and a "0 changes" result would mean nothing (REQ-031: "Verify terraform plan (0
    changes)"). The plan-level finding has the address `(plan)`; each deferred change is
    named with its own address. Plans that do not write `complete` (Terraform before 1.8,
    OpenTofu) are judged on their deferred changes alone.""",
    view=View.PLAN,
    references=(
        "https://developer.hashicorp.com/terraform/internals/json-format",
        "https://developer.hashicorp.com/terraform/cli/commands/plan#resource-targeting",
    ),
)
def plan_complete(plan: Plan, ctx: PolicyContext) -> Iterator[Violation]:
    if plan.complete is None and not plan.deferred_changes:
        raise NotApplicable("this Terraform version does not report complete (added in 1.8)")
    if plan.complete is False:
        yield violation(
            "complete",
            "true",
            False,
            "planned with -target or with deferrals; more changes follow in a later plan",
            address=PLAN_ADDRESS,
        )
    for deferred in plan.deferred_changes:
        rc = deferred.resource_change
        yield violation(
            "deferred_changes",
            "no deferred change",
            deferred.reason,
            f"Terraform postponed {describe_change(rc)} to a later plan",
            address=rc.address,
        )
