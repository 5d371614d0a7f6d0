"""This repository's own policies, judged beside plangate's built-in catalogue.

A policy is a function registered with @policy: plangate calls it for every resource of its
types in each plan, and every Violation it yields is a finding that names the resource, the
attribute, what was expected and what the plan says. Ids are stable: reports, waivers and
features cite them. `plangate policies` lists every policy; docs: writing-policies.md.
"""

from __future__ import annotations

from collections.abc import Iterator

from plangate.policy import (
    PolicyContext,
    Resource,
    Severity,
    View,
    Violation,
    expect_one_of,
    policy,
)

# Where this organisation keeps data. Edit to your own regions.
APPROVED_LOCATIONS = ("EU", "EUROPE-WEST1", "EUROPE-WEST4")


@policy(
    id="PG-LOCAL-001",
    title="Buckets are in an approved location",
    severity=Severity.MEDIUM,
    rationale="""Data stays in the regions the organisation has approved for it. A bucket
    elsewhere must be moved, or waived with a justification in policies/waivers.yaml.""",
    resource_types=("google_storage_bucket",),
    view=View.AFTER,
    references=("https://cloud.google.com/storage/docs/locations",),
)
def approved_location(resource: Resource, ctx: PolicyContext) -> Iterator[Violation]:
    # A value known only after apply fails: the gate cannot prove the control before apply.
    yield from expect_one_of(resource, "location", APPROVED_LOCATIONS)
