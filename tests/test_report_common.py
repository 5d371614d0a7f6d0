"""Shared report fixtures (a real engine run over small plans) and cross-format guarantees."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest

from plangate.errors import InputError
from plangate.plan import ABSENT, parse_plan
from plangate.policy import GateReport, PlanRun, Registry, Severity, View, policy
from plangate.policy.engine import GateInput, evaluate
from plangate.policy.expect import expect_equal, violation
from plangate.policy.waivers import Waiver
from plangate.report import FORMATS, RENDERERS, render, renderer

SECRET = "hunter2-TOPSECRET-7f3a9c"
TODAY = dt.date(2025, 6, 1)
PROVIDER = "google"


def _change(
    address: str,
    actions: list[str],
    after: dict[str, Any] | None,
    *,
    before: dict[str, Any] | None = None,
    after_unknown: dict[str, Any] | None = None,
    after_sensitive: dict[str, Any] | None = None,
    before_sensitive: dict[str, Any] | None = None,
) -> dict[str, Any]:
    type_, name = address.rsplit(".", 2)[-2:]
    return {
        "address": address,
        "mode": "managed",
        "type": type_,
        "name": name,
        "provider_name": PROVIDER,
        "change": {
            "actions": actions,
            "before": before,
            "after": after,
            "after_unknown": after_unknown or {},
            "before_sensitive": before_sensitive or {},
            "after_sensitive": after_sensitive or {},
        },
    }


def plan_document() -> dict[str, Any]:
    """One plan with something for every outcome, a sensitive secret and an unknown value."""
    return {
        "format_version": "1.2",
        "terraform_version": "1.9.5",
        "timestamp": "2025-06-01T10:00:00Z",
        "variables": {"db_password": {"value": SECRET}, "region": {"value": "europe-west1"}},
        "configuration": {
            "root_module": {
                "variables": {"db_password": {"sensitive": True}, "region": {}},
            }
        },
        "resource_changes": [
            _change(
                "google_storage_bucket.logs",
                ["create"],
                {"name": "logs", "uniform_bucket_level_access": False},
            ),
            _change(
                "google_storage_bucket.legacy",
                ["create"],
                {"name": "legacy", "uniform_bucket_level_access": False},
            ),
            _change(
                "google_storage_bucket.ok",
                ["create"],
                {"name": "ok|`pipe`", "uniform_bucket_level_access": True},
            ),
            _change(
                "google_sql_user.app",
                ["update"],
                {"name": "app", "password": SECRET},
                before={"name": "app", "password": SECRET + "-old"},
                after_sensitive={"password": True},
                before_sensitive={"password": True},
            ),
            _change(
                "module.net.google_compute_network.vpc",
                ["create"],
                {"name": "vpc"},
                after_unknown={"auto_create_subnetworks": True},
            ),
            _change("google_pubsub_topic.events", ["create"], {"name": "events"}),
        ],
    }


class LocalRegistry(Registry):
    """A registry that is truthy when empty.

    `policy(registry=...)` falls back to the global registry with `registry or REGISTRY`, and an
    empty Registry is falsy (it has __len__), so the first policies would land globally.
    """

    def __bool__(self) -> bool:
        return True


def registry() -> Registry:
    """A tiny catalogue: one policy per outcome and severity."""
    reg = LocalRegistry()

    @policy(
        id="PG-GCS-001",
        title="Buckets use uniform bucket-level access",
        severity="critical",
        rationale="ACLs on objects bypass IAM; uniform access keeps one place to audit.",
        resource_types=["google_storage_bucket"],
        references=["https://cloud.google.com/storage/docs/uniform-bucket-level-access"],
        registry=reg,
    )
    def bucket_uniform_access(resource, context):
        yield from expect_equal(resource, "uniform_bucket_level_access", True)

    @policy(
        id="PG-GCS-002",
        title="Buckets have a name",
        severity="low",
        rationale="Named buckets are easier to find.",
        resource_types=["google_storage_bucket"],
        registry=reg,
    )
    def bucket_named(resource, context):
        if resource.get("name") is ABSENT:
            yield violation("name", "a value", ABSENT)

    @policy(
        id="PG-SQL-001",
        title="Database passwords are not managed | in `Terraform`",
        severity="high",
        rationale="A password in Terraform lands in state in plain text.",
        resource_types=["google_sql_user"],
        registry=reg,
    )
    def sql_password(resource, context):
        actual = resource.get("password")
        if actual is not ABSENT:
            yield violation("password", "no password attribute", actual)

    @policy(
        id="PG-SQL-002",
        title="Database passwords were not managed before either",
        severity="medium",
        rationale="The previous value was in state too.",
        resource_types=["google_sql_user"],
        view=View.BEFORE,
        registry=reg,
    )
    def sql_password_before(resource, context):
        actual = resource.get("password")
        if actual is not ABSENT:
            yield violation("password", "no password attribute", actual)

    @policy(
        id="PG-NET-001",
        title="Networks use custom subnet mode",
        severity="medium",
        rationale="Auto mode creates subnets in every region.",
        resource_types=["google_compute_network"],
        registry=reg,
    )
    def custom_subnets(resource, context):
        yield from expect_equal(resource, "auto_create_subnetworks", False)

    @policy(
        id="PG-PS-001",
        title="Topics are encrypted with a customer key",
        severity="low",
        rationale="Customer keys let us revoke access.",
        resource_types=["google_pubsub_topic"],
        registry=reg,
    )
    def topic_cmek(resource, context):
        raise RuntimeError("boom: <b>broken</b> | `policy`")
        yield  # pragma: no cover

    @policy(
        id="PG-KMS-001",
        title="Key rings live in approved locations",
        severity="info",
        rationale="Data residency.",
        resource_types=["google_kms_key_ring"],
        registry=reg,
    )
    def keyring_location(resource, context):
        yield from ()  # pragma: no cover

    @policy(
        id="PG-VAR-001",
        title="No secrets passed as root variables",
        severity="medium",
        rationale="Root variables are stored in the plan file.",
        view=View.PLAN,
        registry=reg,
    )
    def no_secret_variables(plan, context):
        for name, value in plan.variables.items():
            if "password" in name:
                yield violation(name, "no such variable", value, address=f"var.{name}")

    return reg


def waivers() -> tuple[Waiver, ...]:
    return (
        Waiver(
            policy="PG-GCS-001",
            address="google_storage_bucket.legacy",
            justification="Legacy bucket served by a CDN that needs ACLs; migration planned.",
            approver="alice@example.com",
            expires=dt.date(2026, 1, 31),
            ticket="SEC-42",
        ),
        Waiver(
            policy="PG-NET-001",
            address="module.other.*",
            justification="Unused on purpose",
            approver="bob@example.com",
            expires=dt.date(2026, 1, 31),
        ),
        Waiver(
            policy="PG-SQL-001",
            address="google_sql_user.nobody",
            justification="Expired long ago",
            approver="carol@example.com",
            expires=dt.date(2024, 1, 1),
        ),
    )


def build_report(
    documents: dict[str, dict[str, Any]] | None = None,
    *,
    reg: Registry | None = None,
    waiver_list: tuple[Waiver, ...] | None = None,
    fail_on: Severity = Severity.INFO,
    only: list[str] | None = None,
) -> GateReport:
    documents = documents or {"plans/dev.json": plan_document()}
    inputs = [
        GateInput(
            loaded=parse_plan(json.dumps(doc).encode(), name),
            environment=name.rsplit("/", 1)[-1].split(".")[0],
            settings={},
        )
        for name, doc in documents.items()
    ]
    return evaluate(
        inputs,
        reg or registry(),
        waivers() if waiver_list is None else waiver_list,
        fail_on=fail_on,
        only=only,
        today=TODAY,
    )


def clean_report() -> GateReport:
    """Every policy passes or does not apply, no waivers: the gate passes."""
    return build_report(only=["PG-GCS-002", "PG-KMS-001"], waiver_list=())


def fake_locator(run: PlanRun, address: str) -> tuple[str, int] | None:
    known = {
        "google_storage_bucket.logs": ("infrastructure/terraform/modules/gcs/main.tf", 12),
        "google_storage_bucket.legacy": ("./infrastructure\\terraform\\legacy.tf", 3),
    }
    return known.get(address)


def all_outputs(report: GateReport) -> Iterator[tuple[str, str]]:
    for fmt in FORMATS:
        yield fmt, render(report, fmt)
        yield fmt, render(report, fmt, fake_locator)


# --- the fixtures are what the tests below assume ---------------------------------------------


def test_the_fixture_report_has_every_outcome():
    report = build_report()
    statuses = {(r.spec.id, r.status.value) for r in report.results}
    assert statuses == {
        ("PG-GCS-001", "fail"),
        ("PG-GCS-002", "pass"),
        ("PG-SQL-001", "fail"),
        ("PG-SQL-002", "fail"),
        ("PG-NET-001", "fail"),
        ("PG-PS-001", "error"),
        ("PG-KMS-001", "not_applicable"),
        ("PG-VAR-001", "fail"),
    }
    assert {f.status.value for f in report.findings} == {"fail", "waived"}
    assert report.expired_waivers and report.warnings
    assert not report.passed
    assert clean_report().passed


# --- the factory ------------------------------------------------------------------------------


def test_factory_knows_every_format():
    assert set(FORMATS) == {"text", "json", "sarif", "markdown"}
    assert set(RENDERERS) == set(FORMATS)
    report = build_report()
    for fmt in FORMATS:
        assert render(report, fmt) == renderer(fmt)(report, None)


def test_unknown_format_is_an_input_error():
    with pytest.raises(
        InputError, match=r"unknown report format 'xml'; choose one of text, json, sarif, markdown"
    ):
        render(build_report(), "xml")


# --- guarantees every format keeps ------------------------------------------------------------


def test_sensitive_values_never_appear_in_any_format():
    report = build_report()
    sensitive = [
        f for f in report.findings if f.policy_id in {"PG-SQL-001", "PG-SQL-002", "PG-VAR-001"}
    ]
    assert len(sensitive) == 3, "the secret must be reported on, or this test proves nothing"
    for fmt, output in all_outputs(report):
        assert "hunter2" not in output, fmt
        assert "TOPSECRET" not in output, fmt
        assert "(sensitive)" in output, fmt


def test_sensitive_values_stay_hidden_when_waived():
    extra = Waiver(
        policy="PG-SQL-001",
        address="google_sql_user.*",
        justification="Rotated by the secret manager",
        approver="dan@example.com",
        expires=dt.date(2026, 1, 1),
    )
    report = build_report(waiver_list=(extra,))
    assert any(f.policy_id == "PG-SQL-001" and f.status.value == "waived" for f in report.findings)
    for fmt, output in all_outputs(report):
        assert SECRET not in output, fmt


def test_unknown_values_show_as_known_after_apply_in_every_format():
    report = build_report()
    for fmt, output in all_outputs(report):
        assert "(known after apply)" in output, fmt


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "markdown"])
def test_every_format_renders_every_outcome(fmt):
    output = render(build_report(), fmt, fake_locator, verbose=True)  # text: everything
    for policy_id in ("PG-GCS-001", "PG-SQL-001", "PG-NET-001", "PG-PS-001"):
        assert policy_id in output
    if fmt == "sarif":  # code scanning ignores suppressions: waived findings stay out
        assert "google_storage_bucket.legacy" not in output
    else:
        assert "google_storage_bucket.legacy" in output  # the waived finding
        assert "Legacy bucket served by a CDN" in output
    assert "boom" in output  # the policy error


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "markdown"])
def test_every_format_renders_a_clean_run(fmt):
    output = render(clean_report(), fmt, verbose=True)  # text: the passing policies too
    assert output.endswith("\n")
    assert "PG-GCS-002" in output or fmt == "markdown"


def test_renderers_are_deterministic():
    report = build_report()
    for fmt in FORMATS:
        assert render(report, fmt, fake_locator) == render(report, fmt, fake_locator)


def test_a_locator_is_asked_once_per_address():
    calls: list[str] = []

    def counting(run: PlanRun, address: str) -> tuple[str, int] | None:
        calls.append(address)
        return None

    render(build_report(), "sarif", counting)
    assert len(calls) == len(set(calls))
