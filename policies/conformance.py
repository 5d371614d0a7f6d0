"""Conformance: what runs in the project is what Terraform says (Cloud Asset Inventory).

What this module protects, for an auditor. After the stack was imported, the threat is what
Terraform does not see: resources made by hand, settings changed in the console, grants added
outside code, and resources deleted behind Terraform's back. `terraform plan` sees only what
Terraform manages; Cloud Asset Inventory lists everything in the project, IAM included.
`plangate conform` reads the inventory (live, or an export), reconciles it with Terraform's
state, and judges these controls on the result (docs/conformance.md):

- PG-CAI-001  Every resource in Terraform's state exists in the project (nothing missing).
- PG-CAI-002  Live resources hold the values Terraform recorded (no drift), field by field
              as the mapping table compares them.
- PG-CAI-003  Every live resource of a type the stack governs is managed by Terraform (no
              unmanaged resources); Google's own default service accounts excepted.
- PG-CAI-004  No IAM grant is in force on the project or a governed resource that Terraform
              does not declare; grants to Google's service agents excepted.
- PG-CAI-005  Every IAM grant Terraform declares is in force.

They apply only to a conformance run: on a plan they are not applicable. An inventory that
could not be read whole is never judged (exit 3), so none of them can pass on a partial one.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from plangate.plan import Plan, render
from plangate.policy import (
    NotApplicable,
    PolicyContext,
    Severity,
    View,
    Violation,
    policy,
    violation,
)

_CAI_DOC = "https://cloud.google.com/asset-inventory/docs/overview"
_NOT_A_CONFORMANCE_RUN = "judged by `plangate conform` against Cloud Asset Inventory, not on a plan"


def _reconciliation(ctx: PolicyContext) -> Any:
    if ctx.inventory is None:
        raise NotApplicable(_NOT_A_CONFORMANCE_RUN)
    return ctx.inventory


@policy(
    id="PG-CAI-001",
    title="Every resource in Terraform's state exists in the project",
    severity=Severity.HIGH,
    requirements=("REQ-022",),
    rationale="""A resource Terraform records but the project no longer has was deleted
    outside Terraform (or its state is stale): the next apply recreates it empty, and until
    then the service that needs it is broken. Budgets and Firestore indexes cannot be
    listed by Cloud Asset Inventory; the report lists them as not verifiable, never as
    passed.""",
    view=View.PLAN,
    judges_inventory=True,
    references=(_CAI_DOC,),
)
def nothing_missing(plan: Plan, ctx: PolicyContext) -> Iterator[Violation]:
    for gone in _reconciliation(ctx).missing:
        yield violation(
            "",
            f"the {gone.asset_type} asset {gone.expected}",
            "not in the inventory",
            "in Terraform's state, not in the project: deleted outside Terraform?",
            address=gone.address,
        )


@policy(
    id="PG-CAI-002",
    title="Live resources hold the values Terraform recorded",
    severity=Severity.HIGH,
    requirements=("REQ-030",),
    rationale="""A setting changed in the console or by a script (versioning switched off, a
    P0 alert disabled, a label rewritten) is invisible to review and is silently reverted,
    or kept, by the next apply. Each compared field of the mapping table is checked after
    normalising what the two sides write differently (location case, project id or number,
    Struct numbers, labels Google adds itself).""",
    view=View.PLAN,
    judges_inventory=True,
    references=(_CAI_DOC,),
)
def no_drift(plan: Plan, ctx: PolicyContext) -> Iterator[Violation]:
    for resource in _reconciliation(ctx).drifted:
        for drift in resource.drifts:
            yield violation(
                drift.attribute,
                f"{render(drift.terraform)}, as Terraform recorded",
                drift.live,
                "changed outside Terraform",
                address=resource.address,
            )


@policy(
    id="PG-CAI-003",
    title="Every live resource of a governed type is managed by Terraform",
    severity=Severity.MEDIUM,
    requirements=("REQ-022",),
    rationale="""A bucket or service account made by hand escapes review, the catalogue's
    controls and the budget's labels; after an import, the promise is that Terraform
    manages everything of the stack's types. Google's own default service accounts are not
    counted. Waive a known exception by its full resource name.""",
    view=View.PLAN,
    judges_inventory=True,
    references=(_CAI_DOC,),
)
def nothing_unmanaged(plan: Plan, ctx: PolicyContext) -> Iterator[Violation]:
    for asset in _reconciliation(ctx).unmanaged:
        yield violation(
            "",
            f"a {asset.terraform_type} in Terraform's state",
            "not managed by Terraform",
            f"a live {asset.asset_type}{f' ({asset.identity})' if asset.identity else ''} "
            "that no state declares",
            address=asset.asset_name,
        )


@policy(
    id="PG-CAI-004",
    title="No IAM grant is in force that Terraform does not declare",
    severity=Severity.HIGH,
    requirements=("REQ-004",),
    rationale="""A grant added by hand (an editor role for a colleague, public read on a
    bucket) is the most common and most dangerous drift, and `terraform plan` never shows
    it for additive `_iam_member` resources. Grants to Google's service agents and the
    legacy convenience members of buckets are Google's, and are not reported. Each finding is
    addressed `ASSET ROLE MEMBER`, so a waiver names one grant, never every grant on an
    asset.""",
    view=View.PLAN,
    judges_inventory=True,
    references=(_CAI_DOC, "https://cloud.google.com/iam/docs/service-agents"),
)
def no_undeclared_grants(plan: Plan, ctx: PolicyContext) -> Iterator[Violation]:
    for grant in _reconciliation(ctx).undeclared_grants:
        yield violation(
            f"iam_policy[{grant.role}]",
            "only the grants Terraform declares",
            grant.member,
            f"{grant.describe()} is granted outside Terraform",
            address=f"{grant.asset_name} {grant.role} {grant.member}",
        )


@policy(
    id="PG-CAI-005",
    title="Every IAM grant Terraform declares is in force",
    severity=Severity.MEDIUM,
    requirements=("REQ-015",),
    rationale="""A declared grant that is not in force was removed outside Terraform (or its
    resource is gone): a workload loses access it needs, and the state no longer describes
    the project's access.""",
    view=View.PLAN,
    judges_inventory=True,
    references=(_CAI_DOC,),
)
def declared_grants_in_force(plan: Plan, ctx: PolicyContext) -> Iterator[Violation]:
    for grant in _reconciliation(ctx).missing_grants:
        yield violation(
            "member",
            f"{grant.member} granted {grant.role} on {grant.asset_name}",
            "not in force",
            "declared in Terraform, not in force",
            address=grant.address,
        )
