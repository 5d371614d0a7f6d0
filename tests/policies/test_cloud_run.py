"""policies/cloud_run.py: service identity, secrets in env, public invokers."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from plangate.plan import SENSITIVE as PLAN_SENSITIVE
from plangate.policy import REGISTRY, Status
from tests.fixtures.builder import UNKNOWN, PlanBuilder, Secret
from tests.policies.helpers import assert_unknown, failed, one_finding, plan, says
from tests.support import judge

SERVICE = "module.cloud_run.google_cloud_run_v2_service.api"
V1_SERVICE = "google_cloud_run_service.legacy"
INVOKER = "module.cloud_run.google_cloud_run_v2_service_iam_member.invoker"
RUNTIME_EMAIL = "ct-scan-api-runtime@acme-prod.iam.gserviceaccount.com"
SECRET_REF = [{"secret_key_ref": [{"secret": "wandb-api-key", "version": "latest"}]}]


def _env(name: str, value: Any) -> dict[str, Any]:
    return {"name": name, "value": value, "value_source": []}


def _service(
    *extra_env: dict[str, Any], service_account: Any = RUNTIME_EMAIL, **top: Any
) -> dict[str, Any]:
    env = [
        _env("ENVIRONMENT", "prod"),
        _env("MODEL_BUCKET", "acme-prod-models"),
        {"name": "WANDB_API_KEY", "value": None, "value_source": copy.deepcopy(SECRET_REF)},
        *extra_env,
    ]
    return {
        "name": "ct-scan-api",
        "location": "europe-west1",
        "ingress": "INGRESS_TRAFFIC_ALL",
        "invoker_iam_disabled": False,
        "template": [
            {
                "service_account": service_account,
                "containers": [
                    {"image": "europe-west1-docker.pkg.dev/acme-prod/ct-scan/api:1.4.2", "env": env}
                ],
            }
        ],
        **top,
    }


def _v1_service(*env: dict[str, Any], account: Any = RUNTIME_EMAIL) -> dict[str, Any]:
    return {
        "name": "legacy",
        "location": "europe-west1",
        "template": [
            {
                "spec": [
                    {
                        "service_account_name": account,
                        "containers": [{"image": "img", "env": list(env)}],
                    }
                ]
            }
        ],
    }


# --------------------------------------------------------------------------- PG-RUN-001


def test_dedicated_service_account_passes() -> None:
    assert judge("PG-RUN-001", plan(SERVICE, _service())).status is Status.PASS


@pytest.mark.parametrize(
    "account",
    ["123456789012-compute@developer.gserviceaccount.com", "acme-prod@appspot.gserviceaccount.com"],
)
def test_default_service_account_fails(account: str) -> None:
    finding = one_finding(judge("PG-RUN-001", plan(SERVICE, _service(service_account=account))))
    assert finding.attribute == "template[0].service_account"
    assert finding.actual == account
    says(
        finding,
        SERVICE,
        "template[0].service_account:",
        "expected a dedicated",
        f'"{account}"',
        "roles/editor",
    )


@pytest.mark.parametrize("account", [None, ""])
def test_missing_service_account_fails(account: Any) -> None:
    finding = one_finding(judge("PG-RUN-001", plan(SERVICE, _service(service_account=account))))
    says(finding, SERVICE, "template[0].service_account:", "Compute Engine default service account")


def test_unknown_service_account_fails() -> None:
    finding = one_finding(judge("PG-RUN-001", plan(SERVICE, _service(service_account=UNKNOWN))))
    assert_unknown(finding, SERVICE, "template[0].service_account")


def test_v1_service_default_account_fails_at_its_own_path() -> None:
    account = "123456789012-compute@developer.gserviceaccount.com"
    finding = one_finding(judge("PG-RUN-001", plan(V1_SERVICE, _v1_service(account=account))))
    says(finding, V1_SERVICE, "template[0].spec[0].service_account_name:", account)


# --------------------------------------------------------------------------- PG-RUN-002


def test_secret_references_and_ordinary_values_pass() -> None:
    extra = (
        _env("TOKENIZER_NAME", "bert-base"),
        _env("WANDB_API_KEY_SECRET_ID", "wandb-api-key"),
        _env("PASSTHROUGH_MODE", "on"),
        _env("MODEL_SHA", "3f786850e387550fdab836ed7e6dc881de23001b"),
        _env("EMPTY_TOKEN", ""),
    )
    result = judge("PG-RUN-002", plan(SERVICE, _service(*extra)))
    assert result.status is Status.PASS, [f.message for f in result.findings]


@pytest.mark.parametrize(
    "name",
    [
        "DB_PASSWORD",
        "dbPassword",
        "WANDB_API_KEY",
        "GITHUB_TOKEN",
        "CLIENT_SECRET",
        "GOOGLE_APPLICATION_CREDENTIALS",
        "ALERT_WEBHOOK_URL",
        "private-key",
    ],
)
def test_credential_named_plain_value_fails_without_showing_it(name: str) -> None:
    finding = one_finding(
        judge("PG-RUN-002", plan(SERVICE, _service(_env(name, "hunter2-very-secret"))))
    )
    assert finding.attribute == "template[0].containers[0].env[3].value"
    assert finding.actual is PLAN_SENSITIVE
    says(
        finding,
        SERVICE,
        "template[0].containers[0].env[3].value:",
        "expected credentials only through value_source.secret_key_ref",
        f"{name} is named like a credential",
        "the value is not shown",
    )
    assert "hunter2" not in finding.message and "hunter2" not in finding.expected


@pytest.mark.parametrize(
    ("value", "shape"),
    [
        (
            "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----",
            "a PEM private key",
        ),
        ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjaSJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ", "a JSON Web Token"),
        ("AIza" + "SyD3abcdefghijklmnopqrstuvwxyz01234", "a Google API key"),
        ("postgres://app:s3cr3tpw@10.0.0.5:5432/predictions", "a URL with a password"),
        ('{"type": "service_account", "project_id": "acme"}', "a service account key file"),
        ("ghp_" + "a" * 36, "a GitHub token"),
    ],
)
def test_credential_shaped_value_fails_whatever_the_name(value: str, shape: str) -> None:
    finding = one_finding(judge("PG-RUN-002", plan(SERVICE, _service(_env("MODEL_CONFIG", value)))))
    says(finding, "env[3].value:", f"MODEL_CONFIG: the value looks like {shape}")
    assert value not in finding.message


def test_sensitive_plain_value_is_a_finding_and_never_shown() -> None:
    finding = one_finding(
        judge("PG-RUN-002", plan(SERVICE, _service(_env("MODEL_BUCKET_2", Secret("p@ss-w0rd-42")))))
    )
    assert finding.actual is PLAN_SENSITIVE
    says(finding, SERVICE, "env[3].value:", "a secret passed as a plain env value")
    assert "p@ss-w0rd-42" not in repr(finding)


def test_unknown_plain_value_of_a_credential_named_variable_fails() -> None:
    finding = one_finding(
        judge("PG-RUN-002", plan(SERVICE, _service(_env("DB_PASSWORD", UNKNOWN))))
    )
    assert_unknown(finding, SERVICE, "template[0].containers[0].env[3].value")
    says(finding, "DB_PASSWORD is named like a credential")


def test_unknown_env_list_fails() -> None:
    after = _service()
    after["template"][0]["containers"][0]["env"] = UNKNOWN
    finding = one_finding(judge("PG-RUN-002", plan(SERVICE, after)))
    assert_unknown(finding, SERVICE, "template[0].containers[0].env")


def test_unknown_name_with_a_plain_value_fails() -> None:
    finding = one_finding(judge("PG-RUN-002", plan(SERVICE, _service(_env(UNKNOWN, "x")))))
    assert_unknown(finding, SERVICE, "template[0].containers[0].env[3].name")


def test_v1_service_plain_credential_fails_at_its_own_path() -> None:
    after = _v1_service({"name": "API_TOKEN", "value": "abc", "value_from": []})
    finding = one_finding(judge("PG-RUN-002", plan(V1_SERVICE, after)))
    says(finding, "template[0].spec[0].containers[0].env[0].value:", "value_from.secret_key_ref")


def test_no_finding_of_any_policy_shows_a_secret() -> None:
    """Every policy of this suite, on a plan full of secrets: none of them appears anywhere."""
    secrets = (
        "p@ss-w0rd-42",
        "hunter2-very-secret",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjaSJ9.c2lnbmF0dXJl",
    )
    after = _service(
        _env("MODEL_BUCKET_2", Secret(secrets[0])),
        _env("DB_PASSWORD", secrets[1]),
        _env("MODEL_CONFIG", secrets[2]),
    )
    doc = PlanBuilder().resource(SERVICE, action="create", after=after).build()
    judge("PG-RUN-002", doc)  # loads the catalogue
    mine = [
        spec.id
        for spec in REGISTRY
        if spec.service in {"iam", "cloud_run", "monitoring", "artifact_registry", "labels"}
    ]
    assert "PG-RUN-002" in mine and len(mine) >= 18
    seen = 0
    for policy_id in mine:
        for finding in judge(policy_id, doc).findings:
            seen += 1
            text = f"{finding.message} {finding.expected} {finding.actual!r} {finding.attribute}"
            for secret in secrets:
                assert secret not in text, (policy_id, text)
    assert seen >= 3


# --------------------------------------------------------------------------- PG-RUN-003


def _invoker(member: Any) -> dict[str, Any]:
    return {
        "project": "acme-prod",
        "location": "europe-west1",
        "name": "ct-scan-api",
        "role": "roles/run.invoker",
        "member": member,
    }


def test_authenticated_invoker_passes() -> None:
    assert (
        judge("PG-RUN-003", plan(INVOKER, _invoker("group:ct-scan-callers@acme.example"))).status
        is Status.PASS
    )


@pytest.mark.parametrize("member", ["allUsers", "allAuthenticatedUsers"])
def test_public_invoker_fails(member: str) -> None:
    finding = one_finding(judge("PG-RUN-003", plan(INVOKER, _invoker(member))))
    assert finding.attribute == "member"
    assert finding.actual == member
    says(
        finding,
        INVOKER,
        "member: expected an authenticated invoker, not allUsers, allAuthenticatedUsers",
        f'"{member}"',
        "granted roles/run.invoker",
    )


def test_public_invoker_is_not_lifted_by_allowed_public_members() -> None:
    result = judge(
        "PG-RUN-003",
        plan(INVOKER, _invoker("allUsers")),
        settings={"allowed_public_members": ["allUsers"]},
    )
    assert result.status is Status.FAIL


def test_public_invoker_in_a_binding_and_a_v1_policy_fails() -> None:
    doc = (
        PlanBuilder()
        .resource(
            "google_cloud_run_v2_service_iam_binding.invokers",
            action="create",
            after={
                "name": "api",
                "role": "roles/run.invoker",
                "members": ["group:callers@acme.example", "allAuthenticatedUsers"],
            },
        )
        .resource(
            "google_cloud_run_service_iam_policy.legacy",
            action="create",
            after={
                "service": "legacy",
                "policy_data": '{"bindings": [{"role": "roles/run.invoker", "members": ["allUsers"]}]}',
            },
        )
        .build()
    )
    first, second = failed(judge("PG-RUN-003", doc), 2)
    says(first, "google_cloud_run_v2_service_iam_binding.invokers", "members[1]:")
    says(
        second,
        "google_cloud_run_service_iam_policy.legacy",
        "policy_data:",
        "bindings[0].members[0]",
    )


def test_disabled_invoker_check_fails() -> None:
    finding = one_finding(judge("PG-RUN-003", plan(SERVICE, _service(invoker_iam_disabled=True))))
    assert finding.actual is True
    says(finding, SERVICE, "invoker_iam_disabled: expected false", "got true")


def test_enabled_invoker_check_passes() -> None:
    assert judge("PG-RUN-003", plan(SERVICE, _service())).status is Status.PASS


def test_unknown_invoker_member_and_check_are_findings() -> None:
    assert_unknown(
        one_finding(judge("PG-RUN-003", plan(INVOKER, _invoker(UNKNOWN)))), INVOKER, "member"
    )
    finding = one_finding(
        judge("PG-RUN-003", plan(SERVICE, _service(invoker_iam_disabled=UNKNOWN)))
    )
    assert_unknown(finding, SERVICE, "invoker_iam_disabled")


@pytest.mark.parametrize(
    ("policy_data", "shown"),
    [
        ("[]", "(no bindings list)"),
        ('{"bindings": {"role": "roles/run.invoker"}}', "(no bindings list)"),
        (
            '{"bindings": [{"role": "roles/run.invoker", "members": "allUsers"}]}',
            "bindings[0].members[0] of the policy JSON",
        ),
    ],
)
def test_unreadable_or_odd_policy_documents_fail(policy_data: str, shown: str) -> None:
    address = "google_cloud_run_service_iam_policy.legacy"
    doc = plan(address, {"service": "legacy", "policy_data": policy_data})
    says(one_finding(judge("PG-RUN-003", doc)), address, "policy_data:", shown)
