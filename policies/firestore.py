"""Firestore: the prediction log that the API writes and the drift monitor reads.

What this module protects: the Firestore database from being deleted by Terraform (its
`deletion_policy`) or by anyone through the API (delete protection), and the documents in it
from an unrecoverable bad write (point-in-time recovery). The last two are required where the
project says so, normally in prod. checkov has no Firestore checks (docs/peers.md).

Policies (ids are stable; reports and waivers refer to them):

- PG-FS-001  Firestore databases have deletion_policy = ABANDON.
- PG-FS-002  Firestore databases have delete protection (setting
             `require_firestore_delete_protection`).
- PG-FS-003  Firestore databases have point-in-time recovery (setting
             `require_firestore_pitr`).
"""

from __future__ import annotations

from collections.abc import Iterator

from plangate.policy import (
    NotApplicable,
    PolicyContext,
    Resource,
    Severity,
    View,
    Violation,
    expect_equal,
    policy,
    setting,
)

DATABASE = ("google_firestore_database",)

_PROVIDER_DOC = (
    "https://github.com/hashicorp/terraform-provider-google/blob/main/"
    "website/docs/r/firestore_database.html.markdown"
)

REQUIRE_DELETE_PROTECTION = setting(
    "require_firestore_delete_protection",
    False,
    """Require `delete_protection_state = "DELETE_PROTECTION_ENABLED"` on Firestore databases
    (PG-FS-002). Off by default; the project turns it on for prod.""",
)

REQUIRE_PITR = setting(
    "require_firestore_pitr",
    False,
    """Require `point_in_time_recovery_enablement = "POINT_IN_TIME_RECOVERY_ENABLED"` on
    Firestore databases (PG-FS-003). Off by default; the project turns it on for prod.""",
)


@policy(
    id="PG-FS-001",
    title="Firestore databases have deletion_policy = ABANDON",
    severity=Severity.CRITICAL,
    requirements=("REQ-008",),
    rationale="""`deletion_policy` decides what Terraform does when the database leaves the
    configuration or is replaced: ABANDON only forgets it, DELETE deletes it with every
    prediction record. The team fixed this as a critical issue (REQ-008: "Changed Firestore
    deletion_policy to ABANDON"). The attribute exists only in Terraform
    (it is not a Firestore setting), so nothing outside the plan would catch a regression.""",
    resource_types=DATABASE,
    view=View.AFTER,
    references=(_PROVIDER_DOC, "https://cloud.google.com/firestore/docs/manage-databases"),
)
def firestore_deletion_policy_abandon(
    resource: Resource, ctx: PolicyContext
) -> Iterator[Violation]:
    yield from expect_equal(
        resource,
        "deletion_policy",
        "ABANDON",
        why="any other policy lets Terraform delete the database and every document in it",
    )


@policy(
    id="PG-FS-002",
    title="Firestore databases have delete protection",
    severity=Severity.HIGH,
    requirements=("REQ-039",),
    rationale="""Delete protection makes the Firestore API refuse to delete the database, from
    Terraform, gcloud or the console alike; `deletion_policy` only covers Terraform. The
    firestore module enables it (REQ-039: once the prediction log moves from SQLite to
    Firestore in Phase 4, the database is its only copy). Required where
    `require_firestore_delete_protection` is on; a value known only after apply fails.""",
    resource_types=DATABASE,
    view=View.AFTER,
    references=(
        "https://cloud.google.com/firestore/docs/manage-databases#delete_protection",
        _PROVIDER_DOC,
    ),
)
def firestore_delete_protection(resource: Resource, ctx: PolicyContext) -> Iterator[Violation]:
    if ctx.setting(REQUIRE_DELETE_PROTECTION) is not True:
        raise NotApplicable(
            f"require_firestore_delete_protection is off for {ctx.environment or 'this plan'}"
        )
    yield from expect_equal(
        resource,
        "delete_protection_state",
        "DELETE_PROTECTION_ENABLED",
        why="require_firestore_delete_protection is on for this environment",
    )


@policy(
    id="PG-FS-003",
    title="Firestore databases have point-in-time recovery",
    severity=Severity.MEDIUM,
    requirements=("REQ-036", "REQ-039"),
    rationale="""Point-in-time recovery keeps seven days of versions, so a bad deployment that
    overwrites or deletes prediction records can be rolled back (REQ-036: "Validate rollback
    procedures"; REQ-039: Phase 4 moves the prediction log from SQLite to Firestore). Without
    it, only the current documents exist. Required where `require_firestore_pitr` is on; a
    value known only after apply fails.""",
    resource_types=DATABASE,
    view=View.AFTER,
    references=("https://cloud.google.com/firestore/docs/pitr", _PROVIDER_DOC),
)
def firestore_pitr(resource: Resource, ctx: PolicyContext) -> Iterator[Violation]:
    if ctx.setting(REQUIRE_PITR) is not True:
        raise NotApplicable(f"require_firestore_pitr is off for {ctx.environment or 'this plan'}")
    yield from expect_equal(
        resource,
        "point_in_time_recovery_enablement",
        "POINT_IN_TIME_RECOVERY_ENABLED",
        why="require_firestore_pitr is on for this environment",
    )
