"""Report details that mutation testing of plangate.report showed no other test pinning.

The Markdown summary page and the SARIF log are read by people and by code-scanning services:
a waived finding whose waiver record is missing, a second conformance section, a headline
longer than a table cell, the "and N more" line under a long table, and the fingerprint of a
finding whose value JSON cannot write natively are all things a reader sees. The golden files
in tests/test_mutation_report.py render one fixed report; these tests reach what it does not.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from pathlib import Path

from plangate.policy import Severity
from plangate.policy.results import Finding, Status
from plangate.report import conformance, markdown, render, sarif
from plangate.report._common import findings
from tests.test_mutation_report import _with_inventory, demo, fixed  # noqa: F401
from tests.test_report_common import build_report

KEY = ("PG-X-001", "plans/dev.json", "a.b", "members")


def _print(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode("utf-8", "surrogateescape")).hexdigest()


def _finding(address: str, actual: object) -> Finding:
    return Finding(
        policy_id="PG-X-001",
        severity=Severity.HIGH,
        status=Status.FAIL,
        plan="plans/dev.json",
        address=address,
        attribute="members",
        expected="no public member",
        actual=actual,
        message="public",
    )


# --- Markdown --------------------------------------------------------------------------------


def test_a_waived_finding_without_its_waiver_record_has_empty_waiver_cells():
    """The waived table must not break (or invent text) when a finding carries no waiver."""
    [item] = findings(fixed(build_report())).waived
    bare = dataclasses.replace(item, finding=dataclasses.replace(item.finding, waiver=None))
    lines = markdown._waived([bare])
    assert lines[4] == "| PG-GCS-001 | `google_storage_bucket.legacy` |   |   |   |"


def test_every_inventory_comparison_gets_its_own_conformance_section(demo):  # noqa: F811
    """Two plans compared with the inventory: the first one's section must not be lost."""
    report = dataclasses.replace(demo, runs=demo.runs * 2)
    page = render(report, "markdown")
    assert page.count("### Conformance with Cloud Asset Inventory") == 2
    assert page.count("Not verifiable through the inventory:") == 2


def test_the_conformance_headline_is_shown_whole_past_the_table_cell_limit(demo):  # noqa: F811
    """The headline is a sentence, not a cell: it may run past 120 characters uncut."""
    report = _with_inventory(demo, source=None, managed=(), unmanaged=(), missing=())
    [summary] = [conformance.info(run) for run in conformance.runs(report)]
    headline = conformance.headline(summary)
    assert len(headline) > markdown.CELL_LIMIT
    page = render(report, "markdown")
    assert f"\n{markdown.cell(headline, 1000)}.\n" in page
    assert headline.startswith("coverage n/a (nothing to compare): 0 in sync, 0 drifted")


def test_more_than_fifty_unverifiable_resources_say_how_many_more_resources(demo):  # noqa: F811
    """A capped table names what was left out, so a reader knows to open the full report."""
    [run] = conformance.runs(demo)
    [first, *_] = run.inventory.not_verifiable
    report = _with_inventory(demo, not_verifiable=(first,) * 53)
    page = render(report, "markdown")
    assert "\n… and 3 more resources (see the JSON or SARIF report)\n" in page


# --- SARIF fingerprints ----------------------------------------------------------------------


def test_findings_sharing_a_key_are_told_apart_by_values_json_lacks_written_as_text():
    """A policy may report a date or a path; the fingerprint writes it as its text."""
    pair = [_finding("a.b", dt.date(2025, 1, 2)), _finding("a.b", Path("x/y"))]
    assert sarif._finding_fingerprints(pair, None) == [
        _print(*KEY, '"2025-01-02"'),
        _print(*KEY, '"x/y"'),
    ]


def test_a_finding_alone_on_its_key_is_fingerprinted_without_rendering_its_value():
    """Only findings that share a key have their value rendered: a value canonical JSON
    cannot sort (mixed key types) must not stop the log of a finding that needs no value."""
    alone = [_finding("a.b", {1: "x", "a": "y"}), _finding("c.d", "allUsers")]
    assert sarif._finding_fingerprints(alone, None) == [
        _print(*KEY),
        _print("PG-X-001", "plans/dev.json", "c.d", "members"),
    ]
