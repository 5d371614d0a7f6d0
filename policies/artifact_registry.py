"""Artifact Registry: image repositories clean up after themselves without losing rollback targets.

What this module protects, for an auditor:

* Every standard or remote repository has cleanup policies, and they are enforced rather than
  left in dry run (PG-AR-001), so superseded images do not accumulate storage cost and stale,
  vulnerable images do not linger.
* Every duration in a cleanup condition (`older_than`, `newer_than`) is written in seconds,
  e.g. "2592000s" for 30 days (PG-AR-002). The Phase 2 import fixed exactly this (REQ-025:
  "Artifact Registry `older_than` format - Fixed to seconds"): "30d" or "720h" make the plan
  disagree with what the API stores.
* A repository that deletes images also keeps the most recent versions, or every tagged image
  (PG-AR-003), so a rollback to the previous release always finds its image.

Virtual repositories store no artifacts and take no cleanup policies; they are not judged.
Unknown ("known after apply") values never pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from plangate.plan import ABSENT, UNKNOWN
from plangate.plan.values import Marker
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

REPOSITORY = "google_artifact_registry_repository"
_SECONDS = re.compile(r"^[0-9]+s$")
_DURATIONS = ("older_than", "newer_than")


def _skip_virtual(resource: Resource) -> None:
    if resource.get("mode") == "VIRTUAL_REPOSITORY":
        raise NotApplicable("virtual repositories store no images of their own")


@policy(
    id="PG-AR-001",
    title="Artifact Registry repositories have enforced cleanup policies",
    severity=Severity.MEDIUM,
    requirements=("REQ-025",),
    rationale="""Without cleanup policies every CI build leaves an image behind: storage cost
    grows without bound against the monthly budget, and old images with known vulnerabilities
    stay pullable. A cleanup policy in dry run only logs what it would delete. The
    artifact-registry module declares a DELETE policy for untagged images, the policy whose
    ages the import had to fix (REQ-025: "Artifact Registry `older_than` format - Fixed to
    seconds"), and sets cleanup_policy_dry_run = false; checkov has no check for cleanup
    policies.""",
    resource_types=(REPOSITORY,),
    view=View.AFTER,
    references=(
        "https://cloud.google.com/artifact-registry/docs/repositories/cleanup-policy",
        "https://cloud.google.com/artifact-registry/docs/repositories/cleanup-policy-overview",
    ),
)
def cleanup_enforced(resource: Resource, ctx: PolicyContext) -> Iterator[Violation]:
    _skip_virtual(resource)
    policies = resource.get("cleanup_policies")
    if isinstance(policies, Marker) or not isinstance(policies, tuple) or not policies:
        yield violation("cleanup_policies", "at least one cleanup policy", policies)
    dry_run = resource.get("cleanup_policy_dry_run")
    if dry_run is not False and dry_run is not ABSENT and dry_run is not None:
        yield violation(
            "cleanup_policy_dry_run",
            "false (cleanup policies enforced)",
            dry_run,
            "in dry run, cleanup policies delete nothing",
        )


@policy(
    id="PG-AR-002",
    title='Cleanup durations are written in seconds ("2592000s")',
    severity=Severity.HIGH,
    requirements=("REQ-025", "REQ-030"),
    rationale="""The Artifact Registry API stores cleanup durations in seconds. The Phase 2
    import hit this as a HIGH issue (REQ-025: "Artifact Registry `older_than` format - Fixed to
    seconds"): a value such as "30d" or "720h" shows a change on every plan, hiding real
    changes in the noise and breaking the zero-change result the team verifies after every
    import (REQ-030: "`terraform plan` shows 0 changes"). Each older_than and newer_than must
    match ^[0-9]+s$.""",
    resource_types=(REPOSITORY,),
    view=View.AFTER,
    references=(
        "https://cloud.google.com/artifact-registry/docs/repositories/cleanup-policy#json",
        "https://cloud.google.com/artifact-registry/docs/reference/rest/v1/projects.locations.repositories#CleanupPolicyCondition",
    ),
)
def durations_in_seconds(resource: Resource, ctx: PolicyContext) -> Iterator[Violation]:
    _skip_virtual(resource)
    policies = resource.get("cleanup_policies")
    if policies is UNKNOWN:
        yield violation("cleanup_policies", "cleanup policies known at plan time", policies)
        return
    if not isinstance(policies, tuple):
        return
    for index, item in enumerate(policies):
        base = f"cleanup_policies[{index}]"
        if not isinstance(item, Mapping):
            yield violation(base, "a cleanup policy known at plan time", item)
            continue
        conditions = item.get("condition", ABSENT)
        if conditions is ABSENT or conditions is None or conditions == ():
            continue
        condition = conditions[0] if isinstance(conditions, tuple) else conditions
        if not isinstance(condition, Mapping):
            yield violation(f"{base}.condition[0]", "a condition known at plan time", condition)
            continue
        for key in _DURATIONS:
            value = condition.get(key, ABSENT)
            if value is ABSENT or value is None or value == "":
                continue
            if isinstance(value, Marker) or not isinstance(value, str) or not _SECONDS.match(value):
                yield violation(
                    f"{base}.condition[0].{key}",
                    'a duration in seconds matching ^[0-9]+s$ (e.g. "2592000s" for 30 days)',
                    value,
                )


def _keeps_rollback_images(item: Mapping[str, Any]) -> bool | None:
    """True for a KEEP policy that keeps recent versions or tagged images; None if unknown."""
    action = item.get("action", ABSENT)
    if action is UNKNOWN:
        return None
    if action != "KEEP":
        return False
    recent = item.get("most_recent_versions", ABSENT)
    if isinstance(recent, tuple) and recent:
        count = recent[0].get("keep_count", ABSENT) if isinstance(recent[0], Mapping) else recent[0]
        if isinstance(count, Marker):
            return None
        return isinstance(count, int) and not isinstance(count, bool) and count >= 1
    condition = item.get("condition", ABSENT)
    if isinstance(condition, tuple) and condition and isinstance(condition[0], Mapping):
        state = condition[0].get("tag_state", ABSENT)
        prefixes = condition[0].get("tag_prefixes", ABSENT)
        if state is UNKNOWN or prefixes is UNKNOWN:
            return None
        # Prefixes narrow the policy to some tags; only "every tagged image" protects rollbacks.
        return state == "TAGGED" and (prefixes is ABSENT or prefixes is None or prefixes == ())
    return False


@policy(
    id="PG-AR-003",
    title="Repositories that delete images keep the most recent versions for rollback",
    severity=Severity.MEDIUM,
    requirements=("REQ-036",),
    rationale="""A DELETE cleanup policy without a KEEP policy can remove the image of the
    previous release, and a rollback of the API (REQ-036: "Validate rollback
    procedures") then fails because its revision's image is gone. Keep policies win over
    delete policies, so a KEEP policy with most_recent_versions (keep_count >= 1) or one
    that keeps every tagged image protects rollback targets; the artifact-registry module
    declares "keep-most-recent" for this reason.""",
    resource_types=(REPOSITORY,),
    view=View.AFTER,
    references=(
        "https://cloud.google.com/artifact-registry/docs/repositories/cleanup-policy-overview",
        "https://cloud.google.com/run/docs/rollouts-rollbacks-traffic-migration",
    ),
)
def keeps_rollback_images(resource: Resource, ctx: PolicyContext) -> Iterator[Violation]:
    _skip_virtual(resource)
    policies = resource.get("cleanup_policies")
    if not isinstance(policies, tuple):
        if policies is UNKNOWN:
            yield violation("cleanup_policies", "cleanup policies known at plan time", policies)
        return
    items = [item for item in policies if isinstance(item, Mapping)]
    deletes = [item for item in items if item.get("action") in ("DELETE", UNKNOWN)]
    if not deletes and len(items) == len(policies):
        return
    verdicts = [_keeps_rollback_images(item) for item in items]
    if True in verdicts:
        return
    unknown = None in verdicts or len(items) != len(policies)
    yield violation(
        "cleanup_policies",
        "a KEEP policy with most_recent_versions.keep_count >= 1, or one keeping TAGGED images",
        UNKNOWN if unknown else _summary(items),
        "a DELETE policy without it can remove the image a rollback needs",
    )


def _summary(items: list[Mapping[str, Any]]) -> tuple[str, ...]:
    """The policies as `id (ACTION)`, short enough for a message."""
    return tuple(f"{item.get('id', '?')} ({item.get('action', '?')})" for item in items)
