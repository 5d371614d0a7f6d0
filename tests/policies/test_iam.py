"""policies/iam.py: basic roles, public principals, keys, additive IAM, scoped roles, workload identity."""

from __future__ import annotations

import json
from typing import Any

import pytest

from plangate.policy import Status
from tests.fixtures.builder import UNKNOWN, PlanBuilder
from tests.policies.helpers import assert_unknown, failed, one_finding, plan, says
from tests.support import judge

RUNTIME = "serviceAccount:ct-scan-api-runtime@acme-prod.iam.gserviceaccount.com"
REPO = "acme/ct-scan-mlops"
POOL = "principalSet://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/github"
PROVIDER = "module.workload_identity.google_iam_workload_identity_pool_provider.github"
WIF_GRANT = "module.workload_identity.google_service_account_iam_member.ci_deployer_wif"
DEPLOYER = (
    "projects/acme-prod/serviceAccounts/ct-scan-ci-deployer@acme-prod.iam.gserviceaccount.com"
)


def _member(role: str, member: Any = RUNTIME) -> dict[str, Any]:
    return {"project": "acme-prod", "role": role, "member": member}


def _policy_data(*bindings: tuple[str, list[str]]) -> str:
    return json.dumps(
        {"bindings": [{"role": role, "members": members} for role, members in bindings]}
    )


# --------------------------------------------------------------------------- PG-IAM-001

MEMBER = 'module.iam.google_project_iam_member.roles["api_runtime_datastore_user"]'


def test_basic_roles_predefined_role_passes() -> None:
    assert judge("PG-IAM-001", plan(MEMBER, _member("roles/datastore.user"))).status is Status.PASS


@pytest.mark.parametrize("role", ["roles/owner", "roles/editor", "roles/viewer"])
def test_basic_roles_fail_on_a_project_member(role: str) -> None:
    finding = one_finding(judge("PG-IAM-001", plan(MEMBER, _member(role))))
    assert finding.address == MEMBER
    assert finding.attribute == "role"
    assert finding.actual == role
    says(
        finding,
        MEMBER,
        "role:",
        "expected a predefined or custom role, not roles/owner",
        f'got "{role}"',
    )


def test_basic_roles_fail_on_a_binding_and_on_resource_level_grants() -> None:
    doc = (
        PlanBuilder()
        .resource(
            "google_project_iam_binding.editors",
            action="create",
            after={"project": "acme-prod", "role": "roles/editor", "members": [RUNTIME]},
        )
        .resource(
            "google_secret_manager_secret_iam_member.viewer",
            action="update",
            before={
                "secret_id": "wandb-api-key",
                "role": "roles/secretmanager.secretAccessor",
                "member": RUNTIME,
            },
            after={"secret_id": "wandb-api-key", "role": "roles/viewer", "member": RUNTIME},
        )
        .build()
    )
    findings = failed(judge("PG-IAM-001", doc), 2)
    assert [f.address for f in findings] == [
        "google_project_iam_binding.editors",
        "google_secret_manager_secret_iam_member.viewer",
    ]


def test_basic_roles_in_policy_json_name_the_binding() -> None:
    data = _policy_data(
        ("roles/run.developer", [RUNTIME]), ("roles/owner", ["user:admin@acme.example"])
    )
    finding = one_finding(
        judge("PG-IAM-001", plan("google_project_iam_policy.project", {"policy_data": data}))
    )
    assert finding.attribute == "policy_data"
    assert finding.actual == "roles/owner"
    says(
        finding,
        "google_project_iam_policy.project",
        "policy_data:",
        "bindings[1].role",
        '"roles/owner"',
    )


def test_basic_roles_unknown_role_is_a_finding() -> None:
    finding = one_finding(judge("PG-IAM-001", plan(MEMBER, _member(UNKNOWN))))
    assert_unknown(finding, MEMBER, "role")


def test_basic_roles_unknown_policy_json_is_a_finding() -> None:
    address = "google_project_iam_policy.project"
    finding = one_finding(
        judge("PG-IAM-001", plan(address, {"project": "acme-prod", "policy_data": UNKNOWN}))
    )
    assert_unknown(finding, address, "policy_data")


def test_basic_roles_unreadable_policy_json_is_a_finding() -> None:
    finding = one_finding(
        judge("PG-IAM-001", plan("google_project_iam_policy.p", {"policy_data": "{not json"}))
    )
    says(finding, "policy_data", "not valid JSON")


# --------------------------------------------------------------------------- PG-IAM-002

SECRET_MEMBER = "module.secret_manager.google_secret_manager_secret_iam_member.wandb_api_runtime"


def _secret_member(member: Any) -> dict[str, Any]:
    return {
        "secret_id": "wandb-api-key",
        "role": "roles/secretmanager.secretAccessor",
        "member": member,
    }


def test_public_principals_named_identity_passes() -> None:
    assert judge("PG-IAM-002", plan(SECRET_MEMBER, _secret_member(RUNTIME))).status is Status.PASS


@pytest.mark.parametrize("member", ["allUsers", "allAuthenticatedUsers", "allusers"])
def test_public_principals_fail_on_a_member(member: str) -> None:
    finding = one_finding(judge("PG-IAM-002", plan(SECRET_MEMBER, _secret_member(member))))
    assert finding.attribute == "member"
    assert finding.actual == member
    says(
        finding,
        SECRET_MEMBER,
        "member: expected no public principal (allUsers, allAuthenticatedUsers)",
        f'got "{member}"',
        "granted roles/secretmanager.secretAccessor",
    )


def test_public_principals_fail_on_a_binding_member_by_index() -> None:
    address = "google_service_account_iam_binding.users"
    after = {
        "service_account_id": DEPLOYER,
        "role": "roles/iam.serviceAccountUser",
        "members": [RUNTIME, "allAuthenticatedUsers"],
    }
    finding = one_finding(judge("PG-IAM-002", plan(address, after)))
    assert finding.attribute == "members[1]"
    says(finding, address, "members[1]:", '"allAuthenticatedUsers"')


def test_public_principals_fail_in_a_project_policy_document() -> None:
    data = _policy_data(("roles/logging.viewer", [RUNTIME, "allUsers"]))
    finding = one_finding(
        judge("PG-IAM-002", plan("google_project_iam_policy.project", {"policy_data": data}))
    )
    assert finding.actual == "allUsers"
    says(finding, "policy_data:", "bindings[0].members[1]", '"allUsers"')


def test_public_principals_allowed_by_setting_pass_and_others_still_fail() -> None:
    settings = {"allowed_public_members": ["allAuthenticatedUsers"]}
    doc = (
        PlanBuilder()
        .resource(
            "google_pubsub_topic_iam_member.any_google",
            action="create",
            after={
                "topic": "t",
                "role": "roles/pubsub.subscriber",
                "member": "allAuthenticatedUsers",
            },
        )
        .resource(
            "google_pubsub_topic_iam_member.anyone",
            action="create",
            after={"topic": "t", "role": "roles/pubsub.subscriber", "member": "allUsers"},
        )
        .build()
    )
    finding = one_finding(judge("PG-IAM-002", doc, settings=settings))
    assert finding.address == "google_pubsub_topic_iam_member.anyone"
    says(finding, "other than allAuthenticatedUsers", '"allUsers"')


def test_public_principals_unknown_member_is_a_finding() -> None:
    finding = one_finding(judge("PG-IAM-002", plan(SECRET_MEMBER, _secret_member(UNKNOWN))))
    assert_unknown(finding, SECRET_MEMBER, "member")


def test_public_principals_unknown_binding_element_is_a_finding() -> None:
    address = "google_secret_manager_secret_iam_binding.readers"
    after = {
        "secret_id": "s",
        "role": "roles/secretmanager.secretAccessor",
        "members": [RUNTIME, UNKNOWN],
    }
    finding = one_finding(judge("PG-IAM-002", plan(address, after)))
    assert_unknown(finding, address, "members[1]")


def test_public_principals_leave_cloud_run_and_buckets_to_their_own_policies() -> None:
    doc = (
        PlanBuilder()
        .resource(
            "google_cloud_run_v2_service_iam_member.invoker",
            action="create",
            after={"name": "api", "role": "roles/run.invoker", "member": "allUsers"},
        )
        .resource(
            "google_storage_bucket_iam_member.public",
            action="create",
            after={"bucket": "b", "role": "roles/storage.objectViewer", "member": "allUsers"},
        )
        .build()
    )
    assert judge("PG-IAM-002", doc).status is Status.NOT_APPLICABLE


# --------------------------------------------------------------------------- PG-IAM-003


def test_service_account_key_fails() -> None:
    address = "google_service_account_key.ci"
    finding = one_finding(
        judge(
            "PG-IAM-003",
            plan(address, {"service_account_id": DEPLOYER, "key_algorithm": "KEY_ALG_RSA_2048"}),
        )
    )
    assert finding.attribute == "service_account_id"
    says(finding, address, "service_account_id:", "no long-lived key", DEPLOYER, "user-managed key")


def test_hmac_key_fails() -> None:
    address = "google_storage_hmac_key.dvc"
    email = "ct-scan-training@acme-prod.iam.gserviceaccount.com"
    finding = one_finding(judge("PG-IAM-003", plan(address, {"service_account_email": email})))
    says(finding, address, "service_account_email:", "HMAC key")


def test_service_account_key_being_deleted_passes() -> None:
    doc = (
        PlanBuilder()
        .resource(
            "google_service_account_key.old",
            action="delete",
            before={"service_account_id": DEPLOYER},
        )
        .build()
    )
    result = judge("PG-IAM-003", doc)
    assert result.status is Status.NOT_APPLICABLE
    assert not result.findings


def test_service_account_key_for_an_unknown_account_still_fails() -> None:
    address = "google_service_account_key.new"
    finding = one_finding(judge("PG-IAM-003", plan(address, {"service_account_id": UNKNOWN})))
    assert_unknown(finding, address, "service_account_id")


# --------------------------------------------------------------------------- PG-IAM-004


def test_additive_project_member_is_not_judged_and_binding_fails() -> None:
    assert (
        judge("PG-IAM-004", plan(MEMBER, _member("roles/datastore.user"))).status
        is Status.NOT_APPLICABLE
    )
    address = "google_project_iam_binding.run_developers"
    finding = one_finding(
        judge(
            "PG-IAM-004",
            plan(address, {"project": "p", "role": "roles/run.developer", "members": [RUNTIME]}),
        )
    )
    assert finding.attribute == "role"
    says(
        finding,
        address,
        "role:",
        "expected grants made with google_project_iam_member (additive)",
        '"roles/run.developer"',
        "authoritative",
    )


def test_additive_project_policy_fails() -> None:
    finding = one_finding(
        judge(
            "PG-IAM-004",
            plan(
                "google_organization_iam_policy.org", {"org_id": "1", "policy_data": _policy_data()}
            ),
        )
    )
    says(
        finding,
        "google_organization_iam_policy.org",
        "policy_data:",
        "google_organization_iam_member",
        "replaces the whole IAM policy",
    )


def test_additive_binding_with_unknown_role_still_fails() -> None:
    address = "google_folder_iam_binding.f"
    finding = one_finding(
        judge(
            "PG-IAM-004",
            plan(address, {"folder": "folders/1", "role": UNKNOWN, "members": [RUNTIME]}),
        )
    )
    assert_unknown(finding, address, "role")


# --------------------------------------------------------------------------- PG-IAM-005


def test_scoped_roles_project_level_runtime_role_passes() -> None:
    assert (
        judge("PG-IAM-005", plan(MEMBER, _member("roles/monitoring.metricWriter"))).status
        is Status.PASS
    )


@pytest.mark.parametrize(
    "role", ["roles/secretmanager.secretAccessor", "roles/artifactregistry.writer"]
)
def test_scoped_roles_fail_at_project_level(role: str) -> None:
    finding = one_finding(judge("PG-IAM-005", plan(MEMBER, _member(role))))
    says(finding, MEMBER, "role:", "grant it on the secret or repository", f'"{role}"')


def test_scoped_roles_on_the_secret_itself_are_not_judged() -> None:
    result = judge("PG-IAM-005", plan(SECRET_MEMBER, _secret_member(RUNTIME)))
    assert result.status is Status.NOT_APPLICABLE


def test_scoped_roles_in_a_project_policy_document_fail() -> None:
    data = _policy_data(
        ("roles/run.developer", [RUNTIME]), ("roles/artifactregistry.reader", [RUNTIME])
    )
    finding = one_finding(
        judge("PG-IAM-005", plan("google_project_iam_policy.p", {"policy_data": data}))
    )
    says(finding, "bindings[1].role", '"roles/artifactregistry.reader"')


def test_scoped_roles_unknown_role_is_a_finding() -> None:
    finding = one_finding(judge("PG-IAM-005", plan(MEMBER, _member(UNKNOWN))))
    assert_unknown(finding, MEMBER, "role")


# --------------------------------------------------------------------------- PG-IAM-006


def test_bucket_scoped_storage_roles_non_storage_role_passes() -> None:
    assert judge("PG-IAM-006", plan(MEMBER, _member("roles/datastore.user"))).status is Status.PASS


@pytest.mark.parametrize("role", ["roles/storage.objectAdmin", "roles/storage.objectViewer"])
def test_bucket_scoped_storage_roles_fail_at_project_level(role: str) -> None:
    finding = one_finding(judge("PG-IAM-006", plan(MEMBER, _member(role))))
    says(finding, MEMBER, "role:", "grant it on the bucket", f'"{role}"')


def test_bucket_scoped_storage_roles_on_a_bucket_are_not_judged() -> None:
    bucket_grant = {
        "bucket": "acme-models",
        "role": "roles/storage.objectViewer",
        "member": RUNTIME,
    }
    result = judge("PG-IAM-006", plan("google_storage_bucket_iam_member.reader", bucket_grant))
    assert result.status is Status.NOT_APPLICABLE


def test_bucket_scoped_storage_roles_unknown_role_is_a_finding() -> None:
    finding = one_finding(judge("PG-IAM-006", plan(MEMBER, _member(UNKNOWN))))
    assert_unknown(finding, MEMBER, "role")


# --------------------------------------------------------------------------- PG-WIF-001

MAPPING = {
    "google.subject": "assertion.sub",
    "attribute.repository": "assertion.repository",
    "attribute.ref": "assertion.ref",
}


def _provider(
    condition: Any = f'assertion.repository == "{REPO}"',
    issuer: Any = "https://token.actions.githubusercontent.com",
    mapping: Any = None,
) -> dict[str, Any]:
    return {
        "workload_identity_pool_id": "github",
        "workload_identity_pool_provider_id": "github-oidc",
        "attribute_mapping": MAPPING if mapping is None else mapping,
        "attribute_condition": condition,
        "oidc": [{"issuer_uri": issuer, "allowed_audiences": []}],
    }


@pytest.mark.parametrize(
    "condition",
    [
        f'assertion.repository == "{REPO}"',
        f"'{REPO}' == assertion.repository",
        f'assertion.repository == "{REPO}" && assertion.ref == "refs/heads/main"',
        f'(assertion.ref == "refs/heads/main" || assertion.ref.startsWith("refs/tags/")) && (assertion.repository == "{REPO}")',
        f'attribute.repository == "{REPO}"',
    ],
)
def test_wif_provider_pinned_condition_passes(condition: str) -> None:
    result = judge(
        "PG-WIF-001", plan(PROVIDER, _provider(condition)), settings={"github_repository": REPO}
    )
    assert result.status is Status.PASS, [f.message for f in result.findings]


def test_wif_provider_without_setting_accepts_any_pinned_repository() -> None:
    assert (
        judge(
            "PG-WIF-001", plan(PROVIDER, _provider('assertion.repository == "other/repo"'))
        ).status
        is Status.PASS
    )


def test_wif_provider_other_issuer_fails() -> None:
    finding = one_finding(
        judge("PG-WIF-001", plan(PROVIDER, _provider(issuer="https://gitlab.com")))
    )
    assert finding.attribute == "oidc[0].issuer_uri"
    says(
        finding,
        PROVIDER,
        "oidc[0].issuer_uri:",
        '"https://token.actions.githubusercontent.com"',
        '"https://gitlab.com"',
    )


@pytest.mark.parametrize(
    ("condition", "reason"),
    [
        ('assertion.repository_owner == "acme"', "no top-level"),
        (
            f'assertion.repository == "{REPO}" || assertion.repository_owner == "acme"',
            "no top-level",
        ),
        (f'(assertion.repository == "{REPO}" || true)', "no top-level"),
        ('assertion.repository.startsWith("acme/")', "no top-level"),
        (f'assertion.repository != "{REPO}"', "no top-level"),
        ('assertion.repository == "acme/other"', 'admits "acme/other"'),
        (
            f'assertion.repository == "{REPO}" || assertion.repository == "acme/other"',
            'admits "acme/ct-scan-mlops", "acme/other"',
        ),
        (
            f'(assertion.repository == "{REPO}" || assertion.repository == "acme/other") && assertion.ref == "refs/heads/main"',
            'admits "acme/ct-scan-mlops", "acme/other"',
        ),
    ],
)
def test_wif_provider_unpinned_condition_fails(condition: str, reason: str) -> None:
    result = judge(
        "PG-WIF-001", plan(PROVIDER, _provider(condition)), settings={"github_repository": REPO}
    )
    finding = one_finding(result)
    assert finding.attribute == "attribute_condition"
    assert finding.actual == condition
    says(finding, PROVIDER, "attribute_condition:", f'assertion.repository == "{REPO}"', reason)


def test_wif_provider_attribute_repository_needs_the_mapping() -> None:
    after = _provider(
        f'attribute.repository == "{REPO}"',
        mapping={
            "google.subject": "assertion.sub",
            "attribute.repository": "assertion.repository_owner",
        },
    )
    says(one_finding(judge("PG-WIF-001", plan(PROVIDER, after))), "attribute_condition")


@pytest.mark.parametrize("condition", [None, ""])
def test_wif_provider_missing_condition_fails(condition: Any) -> None:
    finding = one_finding(judge("PG-WIF-001", plan(PROVIDER, _provider(condition))))
    says(finding, "attribute_condition:", "assertion.repository ==")


def test_wif_provider_unknown_condition_and_issuer_are_findings() -> None:
    findings = failed(judge("PG-WIF-001", plan(PROVIDER, _provider(UNKNOWN, issuer=UNKNOWN))), 2)
    assert_unknown(findings[0], PROVIDER, "oidc[0].issuer_uri")
    assert_unknown(findings[1], PROVIDER, "attribute_condition")


# --------------------------------------------------------------------------- PG-WIF-002


def _wif_grant(member: Any, role: str = "roles/iam.workloadIdentityUser") -> dict[str, Any]:
    return {"service_account_id": DEPLOYER, "role": role, "member": member}


@pytest.mark.parametrize(
    "member",
    [
        f"{POOL}/attribute.repository/{REPO}",
        f"principal://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/github/subject/repo:{REPO}:ref:refs/heads/main",
        "serviceAccount:acme-prod.svc.id.goog[ct-scan/api]",
    ],
)
def test_wif_grant_scoped_to_the_repository_passes(member: str) -> None:
    result = judge(
        "PG-WIF-002", plan(WIF_GRANT, _wif_grant(member)), settings={"github_repository": REPO}
    )
    assert result.status is Status.PASS, [f.message for f in result.findings]


@pytest.mark.parametrize(
    ("member", "reason"),
    [
        (f"{POOL}/*", "admits every identity of the pool"),
        (f"{POOL}/attribute.repository_owner/acme", "not scoped to one repository"),
        (f"{POOL}/attribute.repository/acme/other", f"names acme/other, not {REPO}"),
        (f"{POOL}/group/ci", "not scoped to one repository"),
    ],
)
def test_wif_grant_wider_than_the_repository_fails(member: str, reason: str) -> None:
    finding = one_finding(
        judge(
            "PG-WIF-002", plan(WIF_GRANT, _wif_grant(member)), settings={"github_repository": REPO}
        )
    )
    assert finding.attribute == "member"
    assert finding.actual == member
    says(finding, WIF_GRANT, "member:", f"attribute.repository/{REPO}", member, reason)


def test_wif_grant_token_creator_to_the_whole_pool_fails_and_other_roles_are_ignored() -> None:
    doc = (
        PlanBuilder()
        .resource(
            "google_service_account_iam_member.token",
            action="create",
            after=_wif_grant(f"{POOL}/*", "roles/iam.serviceAccountTokenCreator"),
        )
        .resource(
            "google_service_account_iam_member.viewer",
            action="create",
            after=_wif_grant(f"{POOL}/*", "roles/iam.serviceAccountViewer"),
        )
        .build()
    )
    finding = one_finding(judge("PG-WIF-002", doc))
    assert finding.address == "google_service_account_iam_member.token"


def test_wif_grant_in_a_binding_names_the_member_index() -> None:
    address = "google_service_account_iam_binding.wif"
    after = {
        "service_account_id": DEPLOYER,
        "role": "roles/iam.workloadIdentityUser",
        "members": [f"{POOL}/attribute.repository/{REPO}", f"{POOL}/*"],
    }
    finding = one_finding(judge("PG-WIF-002", plan(address, after)))
    says(finding, address, "members[1]:")


def test_wif_grant_unknown_member_is_a_finding() -> None:
    finding = one_finding(judge("PG-WIF-002", plan(WIF_GRANT, _wif_grant(UNKNOWN))))
    assert_unknown(finding, WIF_GRANT, "member")
