"""The overlap table: every pair tests the same property (both fire on the same resource),
and a finding both report is said once, under plangate's id, naming the checkov id."""

from __future__ import annotations

import re
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from plangate.checkov import RATED, absorb, overlaps, rating, run_on_plan, to_results
from plangate.gate import GateOptions, load_project_catalogue, run_gate
from plangate.plan import load_plan
from plangate.policy import REGISTRY, GateReport, Status
from plangate.policy.results import PolicyResult
from tests.checkov.probes import OVERLAP_ADDRESSES, overlap_plan


@pytest.fixture(scope="module")
def probe(tmp_path_factory, settings, checkov) -> tuple[GateReport, tuple[PolicyResult, ...]]:
    path = overlap_plan(tmp_path_factory.mktemp("overlap") / "plan.json")
    report = run_gate(settings, GateOptions(), loaded=[load_plan(path)])
    (run,) = report.runs
    return report, to_results(run_on_plan(path, checkov=checkov), run)


def flagged(results) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for result in results:
        for finding in result.findings:
            found.setdefault(finding.policy_id, set()).add(finding.address)
    return found


def test_the_probe_covers_every_pair():
    assert set(OVERLAP_ADDRESSES) == {entry.policy_id for entry in overlaps()}


@pytest.mark.parametrize("entry", overlaps(), ids=lambda entry: entry.policy_id)
def test_both_sides_of_a_pair_flag_the_same_resources(probe, entry):
    report, checkov_results = probe
    plangate = flagged(report.runs[0].results)
    checkov = flagged(checkov_results)
    assert plangate[entry.policy_id] == OVERLAP_ADDRESSES[entry.policy_id]
    for checkov_id in entry.checkov_ids:
        assert checkov[checkov_id] <= plangate[entry.policy_id], checkov_id
    assert set().union(*(checkov[c] for c in entry.checkov_ids)) == plangate[entry.policy_id]


def test_the_merge_says_each_shared_finding_once_naming_both_ids(probe):
    report, checkov_results = probe
    merged = absorb(report.runs[0].results, checkov_results)
    left = flagged(merged.checkov)
    for entry in overlaps():
        assert not any(left.get(c) for c in entry.checkov_ids), entry.policy_id
    messages = {(f.policy_id, f.address): f.message for r in merged.plangate for f in r.findings}
    assert messages[("PG-IAM-001", "google_folder_iam_member.editor")].endswith(
        "(also CKV_GCP_116)"
    )
    tfstate = "google_storage_bucket.tfstate"
    assert messages[("PG-GCS-004", tfstate)].endswith("(also CKV_GCP_78)")
    # checks with no plangate counterpart stay checkov's
    assert left["CKV_GCP_62"] == {tfstate}
    assert left["CKV_GCP_125"] == {"google_iam_workload_identity_pool_provider.github"}
    assert ("PG-WIF-001", "CKV_GCP_118") in merged.pairs


def test_a_plangate_waiver_covers_the_shared_finding(probe):
    report, checkov_results = probe
    results = tuple(
        replace(
            r,
            status=Status.WAIVED,
            findings=tuple(replace(f, status=Status.WAIVED) for f in r.findings),
        )
        if r.spec.id == "PG-GCS-002"
        else r
        for r in report.runs[0].results
    )
    merged = absorb(results, checkov_results)
    (uniform,) = [r for r in merged.checkov if r.spec.id == "CKV_GCP_29"]
    # the waived finding is PG-GCS-002's; checkov's result neither passes nor counts it again
    assert (uniform.status, uniform.findings) == (Status.NOT_APPLICABLE, ())
    assert uniform.reason is not None and uniform.reason.startswith(
        "reported once, under PG-GCS-002 for "
    )


def test_only_checkov_s_finding_stays_when_plangate_passes(probe):
    report, checkov_results = probe
    without = tuple(
        replace(r, status=Status.PASS, findings=()) if r.spec.id == "PG-GCS-005" else r
        for r in report.runs[0].results
    )
    merged = absorb(without, checkov_results)
    assert flagged(merged.checkov)["CKV_GCP_28"] == {"google_storage_bucket_iam_member.public"}


def test_table_ids_exist(settings, checkov):
    """Every plangate id is a catalogue policy; every checkov id is rated and is one of
    checkov's own checks (`checkov --list`)."""
    load_project_catalogue(settings)
    listed = subprocess.run(
        [str(checkov.path), "--list", "--framework", "terraform"],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(checkov.path).parent,
    ).stdout
    known = set(re.findall(r"\|\s*(CKV2?_GCP_\d+)\s*\|", listed))
    assert set(RATED) <= known
    for entry in overlaps():
        assert entry.policy_id in REGISTRY
        assert set(entry.checkov_ids) <= set(RATED)


@pytest.mark.parametrize("entry", overlaps(), ids=lambda entry: entry.policy_id)
def test_a_shared_check_is_never_rated_above_its_plangate_policy(settings, entry):
    """A checkov result whose findings moved to plangate's can then never block the gate
    where plangate's finding does not."""
    load_project_catalogue(settings)
    ceiling = REGISTRY.get(entry.policy_id).severity.rank
    assert all(rating(c).severity.rank <= ceiling for c in entry.checkov_ids)
