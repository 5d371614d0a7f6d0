"""Tests of this repository's own policies: one small plan per behaviour."""

from __future__ import annotations

from pathlib import Path

from plangate.policy import Status
from plangate.testing import judge, plan_of

POLICIES = Path(__file__).resolve().parents[1] / "policies"


def test_a_bucket_in_an_approved_location_passes() -> None:
    plan = plan_of("google_storage_bucket.data", {"name": "data", "location": "EU"})
    assert judge("PG-LOCAL-001", plan, catalogue=[POLICIES]).status is Status.PASS


def test_a_bucket_elsewhere_fails_naming_the_resource_and_location() -> None:
    plan = plan_of("google_storage_bucket.data", {"name": "data", "location": "US"})
    result = judge("PG-LOCAL-001", plan, catalogue=[POLICIES])
    assert result.status is Status.FAIL
    [finding] = result.findings
    assert (finding.address, finding.attribute, finding.actual) == (
        "google_storage_bucket.data",
        "location",
        "US",
    )
