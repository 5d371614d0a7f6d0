"""Reports pinned exactly: what mutation testing of plangate.report found no test noticing.

A report is read by people (text, Markdown) and by machines (JSON, SARIF): a renamed key, a
dropped line, a changed word or a reordered section breaks a reader as surely as a wrong
count. The golden files under tests/fixtures/report_golden/ hold every format rendered from
the shared fixture report (tests/test_report_common.py) and from the bundled conformance demo,
with the run's clock and version fixed; each test below compares one rendering byte for byte.

After an intended change to a report, rewrite the golden files and review their diff:

    PLANGATE_GOLDEN_UPDATE=1 .venv/bin/python -m pytest tests/test_mutation_report.py
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from plangate.policy import GateReport, Severity
from plangate.policy.results import Finding, Status, WaiverUse
from plangate.report import conformance, markdown, render, sarif
from plangate.report import text as text_report
from plangate.report._common import pretty_json, shorten, summary, summary_line
from plangate.report.locate import CachedLocator
from tests.test_report_common import build_report, fake_locator, plan_document

REPO = Path(__file__).resolve().parents[1]
GOLDEN = REPO / "tests" / "fixtures" / "report_golden"
PLAN = "infrastructure/plans/prod.json"
DEMO = "infrastructure/inventory/prod.ndjson"


def fixed(report: GateReport, **changes: Any) -> GateReport:
    """The report with its clock and version fixed, so that a rendering is reproducible."""
    values: dict[str, Any] = {
        "plangate_version": "9.8.7",
        "started_at": "2025-06-01T12:30:45.678901+02:00",
        "duration_seconds": 1.25,
        **changes,
    }
    return dataclasses.replace(report, **values)


def matches_golden(name: str, output: str) -> None:
    # a policy's source file is named by its absolute path: the checkout's place is not pinned
    output = output.replace(str(REPO), "<repo>")
    path = GOLDEN / name
    if os.environ.get("PLANGATE_GOLDEN_UPDATE"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(output, encoding="utf-8")
    assert output == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


def several_plans() -> GateReport:
    """Two plans, the second an OpenTofu plan without version or timestamp, and an error
    without detail, judged with --fail-on high."""
    second = plan_document()
    del second["timestamp"]
    second["terraform_version"] = ""
    for change in second["resource_changes"]:
        change["provider_name"] = "registry.opentofu.org/hashicorp/google"
    report = build_report(
        {
            "plans/dev.json": plan_document(),
            "/abs/outside/prod.json": second,
        },
        fail_on=Severity.HIGH,
    )
    first, other = report.runs
    results = tuple(
        dataclasses.replace(result, error=None) if result.error else result
        for result in other.results
    )
    return dataclasses.replace(report, runs=(first, dataclasses.replace(other, results=results)))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> GateReport:
    """The bundled conformance demo: a live-inventory comparison with drift. Its waivers are
    given a far expiry date, so that the rendering does not change when they expire."""
    from plangate.conform import ConformOptions, run_conformance
    from plangate.settings import find_settings

    waivers = tmp_path_factory.mktemp("demo") / "waivers.yaml"
    text = (REPO / "policies" / "waivers.yaml").read_text(encoding="utf-8")
    waivers.write_text(
        re.sub(r"(?m)^(\s*expires:\s*).*$", r"\g<1>2099-12-31", text), encoding="utf-8"
    )
    here = Path.cwd()
    os.chdir(REPO)
    try:
        report = run_conformance(
            find_settings(REPO),
            ConformOptions(
                plans=(PLAN,),
                states=(),
                scope=None,
                inventory=Path(DEMO),
                environment=None,
                waivers_file=waivers,
            ),
        )
    finally:
        os.chdir(here)
    return fixed(report, root=Path("/checkout"))


# --- every format, byte for byte ----------------------------------------------------------


@pytest.mark.parametrize("verbose", [False, True], ids=["short", "verbose"])
def test_text_report_is_pinned_line_for_line(verbose):
    output = render(fixed(build_report()), "text", fake_locator, verbose=verbose)
    matches_golden(f"fixture.{'verbose.' if verbose else ''}txt", output)


def test_markdown_summary_page_is_pinned_line_for_line():
    matches_golden("fixture.md", render(fixed(build_report()), "markdown", fake_locator))


def test_json_report_keys_and_values_are_pinned():
    matches_golden("fixture.json", render(fixed(build_report()), "json", fake_locator))


def test_sarif_log_keys_and_values_are_pinned():
    matches_golden("fixture.sarif", render(fixed(build_report()), "sarif", fake_locator))


def test_sarif_log_with_waived_findings_as_suppressions_is_pinned():
    report = fixed(build_report(), root=Path("/project"))
    document = sarif.document(report, fake_locator, include_waived=True)
    matches_golden("fixture.waived.sarif", pretty_json(document))


@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "sarif"])
def test_several_plans_and_a_fail_on_threshold_are_pinned(fmt):
    output = render(fixed(several_plans()), fmt, None, verbose=True)
    matches_golden(f"several.{fmt}", output)


@pytest.mark.parametrize(
    ("fmt", "verbose"),
    [("text", False), ("text", True), ("markdown", False), ("json", False), ("sarif", False)],
)
def test_conformance_demo_report_is_pinned(demo, fmt, verbose):
    output = render(demo, fmt, None, verbose=verbose)
    matches_golden(f"conformance{'.verbose' if verbose else ''}.{fmt}", output)


# --- behaviours the golden files do not reach ---------------------------------------------


def test_json_output_is_indented_by_two_and_types_json_lacks_are_written_as_text():
    assert pretty_json({"a": [1]}) == '{\n  "a": [\n    1\n  ]\n}\n'
    assert json.loads(pretty_json({"path": Path("x/y")})) == {"path": "x/y"}


def test_shorten_keeps_text_of_exactly_the_limit_and_cuts_to_the_ellipsis_alone():
    assert shorten("abcde", 5) == "abcde"
    assert shorten("abcdef", 5) == "abcd…"
    assert shorten("abcdef", 1) == "…"
    assert shorten("abcdef", 0) == "…"


def test_summary_line_singular_and_plural_words():
    report = build_report()
    data = summary(report, _findings(report))
    one = {
        **data,
        "findings": {"fail": 1, "blocking": 1, "waived": 0},
        "failing_by_severity": {"critical": 1},
        "errors": 1,
        "expired_waivers": 1,
        "unused_waivers": 1,
        "policies": 1,
        "plans": 1,
    }
    line = summary_line(report, one)
    assert "1 failing finding (1 critical)" in line
    assert "1 policy error;" in line and "1 expired waiver;" in line
    assert "1 unused waiver;" in line and "(1 policy on 1 plan)" in line
    two = {**one, "errors": 2, "expired_waivers": 2, "unused_waivers": 2, "policies": 2}
    line = summary_line(report, {**two, "findings": {"fail": 2, "blocking": 2, "waived": 0}})
    assert "2 failing findings" in line and "2 policy errors" in line
    assert "2 expired waivers" in line and "2 unused waivers" in line and "2 policies" in line


def test_unused_waivers_count_only_live_waivers_that_matched_nothing():
    report = build_report()
    data = summary(report, _findings(report))
    expected = sum(1 for use in report.waivers if use.uses == 0 and not use.expired)
    assert data["unused_waivers"] == expected
    assert any(use.uses == 0 and use.expired for use in report.waivers) or expected


def test_the_locator_is_asked_with_the_plan_run():
    seen: list[Any] = []

    def locator(run, address):
        seen.append(run)

    report = build_report()
    run = report.runs[0]
    assert CachedLocator(locator)(run, "google_storage_bucket.logs") is None
    assert seen == [run]


def _findings(report: GateReport):
    from plangate.report._common import findings

    return findings(report)


# --- SARIF helpers: fingerprints, names, paths and times ----------------------------------


def _print(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode("utf-8", "surrogateescape")).hexdigest()


def _finding(address: str, actual: Any, plan: str = "plans\\dev.json") -> Finding:
    return Finding(
        policy_id="PG-X-001",
        severity=Severity.HIGH,
        status=Status.FAIL,
        plan=plan,
        address=address,
        attribute="members",
        expected="no public member",
        actual=actual,
        message="public",
    )


def test_fingerprints_tell_apart_findings_that_share_policy_plan_address_and_attribute():
    findings = [
        _finding("a.b", "allUsers"),
        _finding("a.b", "allAuthenticatedUsers"),
        _finding("a.b", "allUsers"),
        _finding("c.d", "allUsers"),
    ]
    key = ("PG-X-001", "plans/dev.json", "a.b", "members")
    assert sarif._finding_fingerprints(findings, None) == [
        _print(*key, '"allUsers"', "0"),  # identical value: told apart by position
        _print(*key, '"allAuthenticatedUsers"'),  # shared key, own value: no position
        _print(*key, '"allUsers"', "1"),
        _print("PG-X-001", "plans/dev.json", "c.d", "members"),  # alone: the plain print
    ]


def test_fingerprints_hash_the_plan_path_relative_to_the_root():
    root = Path("/project")
    findings = [_finding("a.b", 1, plan="/project/plans/dev.json")]
    assert sarif._finding_fingerprints(findings, root) == [
        _print("PG-X-001", "plans/dev.json", "a.b", "members")
    ]


def test_a_fingerprint_accepts_text_that_is_not_valid_unicode():
    assert sarif._fingerprint("P", "p\\q", "\udcff", "") == _print("P", "p/q", "\udcff", "")


def test_rule_names_come_from_the_function_then_the_title_then_the_id():
    def bucket_HasUBLA():  # capitals in a function name stay capitals
        pass

    named = SimpleNamespace(function=bucket_HasUBLA, title="T", id="PG-A-001")
    assert sarif._rule_name(named) == "BucketHasUBLA"
    no_name = SimpleNamespace(function=object(), title="Buckets are private", id="PG-A-001")
    assert sarif._rule_name(no_name) == "BucketsArePrivate"
    anonymous = SimpleNamespace(function=lambda: None, title="T", id="PG-A-001")
    assert sarif._rule_name(anonymous) == "PGA001"
    nothing = SimpleNamespace(function=object(), title="", id="PG-A-001")
    assert sarif._rule_name(nothing) == "PGA001"


def test_root_location_without_a_root_describes_it():
    assert sarif._root_location(None) == {
        "description": {"text": "The repository root; result paths are relative to it."}
    }
    assert sarif._root_location(Path("/project/")) == {"uri": "file:///project/"}


def test_relative_uris_drop_every_leading_dot_slash_and_escape_the_rest():
    assert sarif._relative_uri("././a\\b c/%.tf") == "a/b%20c/%25.tf"
    assert sarif._relative_uri("./a/[x]@y.tf") == "a/%5Bx%5D@y.tf"
    assert sarif._repository_path("a\\b.json", None) == "a/b.json"


def test_automation_id_names_environments_else_plan_stems_else_none():
    report = build_report({"plans/dev.json": plan_document(), "x\\stage.json": plan_document()})
    runs = tuple(dataclasses.replace(run, environment=None) for run in report.runs)
    assert sarif._automation_id(dataclasses.replace(report, runs=runs)) == "plangate/dev+stage/"
    assert sarif._automation_id(dataclasses.replace(report, runs=())) == "plangate/none/"


def test_invocation_times_are_utc_and_a_time_without_zone_is_read_as_utc():
    report = build_report()
    naive = dataclasses.replace(report, started_at="2025-06-01T10:00:00", duration_seconds=2.5)
    assert sarif._times(naive) == {
        "startTimeUtc": "2025-06-01T10:00:00Z",
        "endTimeUtc": "2025-06-01T10:00:02.500Z",
    }
    assert sarif._times(dataclasses.replace(report, started_at="yesterday")) == {}


# --- the locator: what a locator's answer must be to point at code -------------------------


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (("./a\\b.tf", 1), ("a/b.tf", 1)),
        (("a.tf", 0), ("a.tf", 1)),
        (("a.tf", "3"), None),
        (("a.tf", True), None),
        (("", 3), None),
        (("./", 3), None),
    ],
)
def test_a_located_line_is_a_positive_int_in_a_named_file(answer, expected):
    assert CachedLocator(lambda run, address: answer)(None, "a.b") == expected


def test_the_locator_is_asked_again_for_the_same_address_in_another_plan():
    report = several_plans()
    first, second = report.runs
    locate = CachedLocator(lambda run, address: (run.name, 1))
    assert locate(first, "a.b") == ("plans/dev.json", 1)
    assert locate(second, "a.b") == ("/abs/outside/prod.json", 1)


# --- fingerprints, locations and counts that the fixture report does not reach -------------


def test_two_findings_sharing_a_key_are_told_apart_by_value_and_three_identical_by_position():
    key = ("PG-X-001", "plans/dev.json", "a.b", "members")
    pair = [_finding("a.b", {"b": 1, "a": "é"}), _finding("a.b", "x")]
    assert sarif._finding_fingerprints(pair, None) == [
        _print(*key, '{"a": "é", "b": 1}'),  # canonical JSON: keys sorted, text as written
        _print(*key, '"x"'),
    ]
    three = [_finding("a.b", "x")] * 3
    assert sarif._finding_fingerprints(three, None) == [
        _print(*key, '"x"', str(position)) for position in range(3)
    ]


def test_sarif_fingerprints_do_not_depend_on_where_the_checkout_is():
    relative = sarif.document(build_report())
    report = build_report({"/project/plans/dev.json": plan_document()})
    absolute = sarif.document(dataclasses.replace(report, root=Path("/project")))
    prints = [
        [result["partialFingerprints"] for result in doc["runs"][0]["results"]]
        for doc in (relative, absolute)
    ]
    assert prints[0] == prints[1]
    assert any(
        result["kind"] == "fail" and "error" in result["properties"]
        for result in absolute["runs"][0]["results"]
    )


def test_a_plan_outside_the_root_is_fingerprinted_by_its_file_name():
    assert sarif._stable_name("/elsewhere/x\\dev.json", Path("/project")) == "dev.json"


@pytest.mark.parametrize("fmt", ["text", "json", "sarif"])
def test_every_format_asks_the_locator_about_the_finding_s_own_plan(fmt):
    report = several_plans()

    def locator(run, address):
        return (f"{run.name.rsplit('/', 1)[-1]}.tf", 7) if address.endswith(".logs") else None

    output = render(report, fmt, locator)
    assert "dev.json.tf" in output and "prod.json.tf" in output


def test_unused_waivers_are_the_live_ones_that_matched_nothing():
    report = build_report()
    waiver = report.waivers[0].waiver
    uses = (
        WaiverUse(waiver=waiver, uses=0, expired=False),
        WaiverUse(waiver=waiver, uses=0, expired=False),
        WaiverUse(waiver=waiver, uses=0, expired=True),
        WaiverUse(waiver=waiver, uses=2, expired=False),
    )
    report = dataclasses.replace(report, waivers=uses)
    assert summary(report, _findings(report))["unused_waivers"] == 2


def test_invocation_times_do_not_depend_on_the_machine_s_time_zone(monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    try:
        report = dataclasses.replace(build_report(), started_at="2025-06-01T10:00:00")
        assert sarif._times(report)["startTimeUtc"] == "2025-06-01T10:00:00Z"
        offset = dataclasses.replace(report, started_at="2025-06-01T10:00:00+02:00")
        assert sarif._times(offset)["startTimeUtc"] == "2025-06-01T08:00:00Z"
    finally:
        monkeypatch.undo()
        time.tzset()


def test_a_plan_without_environment_says_so_and_an_empty_field_stays_empty():
    report = build_report()
    run = dataclasses.replace(report.runs[0], environment=None)
    assert text_report._plan_line(report, run).startswith("  plans/dev.json (no environment): ")
    assert text_report._field("error", "") == "    error:     "


def test_conformance_without_a_source_or_a_coverage():
    assert conformance.coverage_text(None) == "n/a (nothing to compare)"
    assert conformance.coverage_text(0.8846) == "88.5%"


def _with_inventory(report: GateReport, **changes: Any) -> GateReport:
    runs = tuple(
        run
        if run.inventory is None
        else dataclasses.replace(run, inventory=dataclasses.replace(run.inventory, **changes))
        for run in report.runs
    )
    return dataclasses.replace(report, runs=runs)


def test_conformance_names_when_the_inventory_was_read_and_every_state(demo):
    [run] = conformance.runs(demo)
    source = dataclasses.replace(run.inventory.source, read_time="2025-06-01T09:00:00Z")
    state = run.inventory.terraform[0]
    report = _with_inventory(demo, source=source, terraform=(state, state))
    [summary_] = [conformance.info(run) for run in conformance.runs(report)]
    assert summary_["inventory"]["read_time"] == "2025-06-01T09:00:00Z"
    text = render(report, "text")
    assert "inventory records read, as of 2025-06-01T09:00:00Z\n" in text
    markdown = render(report, "markdown")
    assert ", as of 2025-06-01T09:00:00Z" in markdown
    shown = f"{state.name} (`{state.sha256[:12]}`)"
    assert f"{shown}, {shown}" in markdown.replace("\\_", "_")


def test_conformance_without_a_known_source_or_anything_to_compare(demo):
    report = _with_inventory(demo, source=None, managed=(), unmanaged=(), missing=())
    [summary_] = [conformance.info(run) for run in conformance.runs(report)]
    assert summary_["coverage"] is None
    assert "n/a (nothing to compare)" in render(report, "text")
    assert summary_["inventory"] == {
        "kind": None,
        "description": None,
        "scope": None,
        "read_time": None,
        "files": [],
        "records": summary_["inventory"]["records"],
        "records_ignored": summary_["inventory"]["records_ignored"],
    }


def test_a_long_policy_error_is_cut_at_300_characters_in_markdown():
    report = several_plans()
    first, other = report.runs
    results = tuple(
        dataclasses.replace(result, error="e" * 400) if result.status is Status.ERROR else result
        for result in first.results
    )
    report = dataclasses.replace(report, runs=(dataclasses.replace(first, results=results), other))
    assert f"| {'e' * 299}… |" in render(report, "markdown")


def test_a_plain_http_reference_is_a_rule_s_help_link():
    spec = build_report().results[0].spec
    rule = sarif._rule(dataclasses.replace(spec, references=("docs/a.md", "http://example.com/x")))
    assert rule["helpUri"] == "http://example.com/x"


def test_markdown_shows_a_dash_for_a_plan_without_environment():
    report = build_report()
    report = dataclasses.replace(
        report, runs=(dataclasses.replace(report.runs[0], environment=None),)
    )
    assert "| plans/dev.json | — |" in render(report, "markdown")


def test_markdown_cuts_a_warning_at_500_characters():
    report = SimpleNamespace(warnings=("w" * 600,))
    assert markdown._warnings(report)[2] == f"- {'w' * 499}…"


def _more(noun: str, count: int = 1) -> str:
    return f"… and {count} more {noun} (see the JSON or SARIF report)"


def test_markdown_tables_past_fifty_rows_say_how_many_more_of_what():
    report = build_report()
    error = next(result for result in report.results if result.status is Status.ERROR)
    runs = (dataclasses.replace(report.runs[0], results=(error,) * 51),)
    assert _more("errors") in markdown._errors(dataclasses.replace(report, runs=runs))
    expired = SimpleNamespace(expired_waivers=(report.waivers[0].waiver,) * 52)
    assert _more("waivers", 2) in markdown._expired(expired)
    waived = _findings(report).waived[:1] * 51
    assert _more("waived findings") in markdown._waived(waived)
    many = dataclasses.replace(report, runs=(report.runs[0],) * 51)
    page = render(many, "markdown")
    assert _more("plans") in page  # the plan details
    assert page.count("more plans") == 1  # the counts table is never cut, its total row kept
    assert "| **Total** |" in page


def test_the_root_location_of_a_root_ending_in_a_letter_or_the_filesystem_root():
    assert sarif._root_location(Path("/p/X")) == {"uri": "file:///p/X/"}
    assert sarif._root_location(Path("/")) == {"uri": "file:/"}


def test_conformance_names_the_scope_the_inventory_was_read_from(demo):
    [run] = conformance.runs(demo)
    source = dataclasses.replace(run.inventory.source, scope="projects/demo")
    [summary_] = [
        conformance.info(run) for run in conformance.runs(_with_inventory(demo, source=source))
    ]
    assert summary_["inventory"]["scope"] == "projects/demo"


def test_the_text_report_says_where_a_checkov_check_s_findings_were_reported():
    report = build_report()
    run = report.runs[0]
    first, *rest = run.results
    checkov = dataclasses.replace(
        first, spec=dataclasses.replace(first.spec, service="checkov"), reason="see PG-GCS-001"
    )
    run = dataclasses.replace(run, results=(checkov, *rest))
    output = render(dataclasses.replace(report, runs=(run,)), "text")
    assert f"\n    {first.spec.id}: see PG-GCS-001\n" in output
