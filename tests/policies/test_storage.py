"""policies/storage.py: force_destroy, uniform access, public access prevention, versioning,
public bucket IAM."""

from __future__ import annotations

import json
from typing import Any

import pytest

from plangate.plan import ABSENT
from plangate.policy import Status
from tests.fixtures.builder import UNKNOWN, PlanBuilder
from tests.policies.helpers import one_finding
from tests.support import judge

GOOD = {
    "name": "acme-prod-tfstate",
    "location": "EU",
    "force_destroy": False,
    "uniform_bucket_level_access": True,
    "public_access_prevention": "enforced",
    "versioning": [{"enabled": True}],
}


def _bucket(
    address: str = "module.storage.google_storage_bucket.tfstate", **changes: Any
) -> dict[str, Any]:
    return PlanBuilder().resource(address, action="create", after={**GOOD, **changes}).build()


def _assert_unknown(finding: Any, path: str) -> None:
    assert finding.attribute == path
    assert finding.actual is UNKNOWN
    assert f"{path}: expected " in finding.message
    assert "got (known after apply)" in finding.message


# --------------------------------------------------------------------------- PG-GCS-001..003

BUCKET_SETTINGS = [
    ("PG-GCS-001", "force_destroy", True, "force_destroy: expected false, got true"),
    (
        "PG-GCS-002",
        "uniform_bucket_level_access",
        False,
        "uniform_bucket_level_access: expected true, got false",
    ),
    (
        "PG-GCS-003",
        "public_access_prevention",
        "inherited",
        'public_access_prevention: expected "enforced", got "inherited"',
    ),
]


@pytest.mark.parametrize(("policy_id", "path", "bad", "message"), BUCKET_SETTINGS)
def test_bucket_setting_passes_when_set(policy_id: str, path: str, bad: Any, message: str) -> None:
    assert judge(policy_id, _bucket()).status is Status.PASS


@pytest.mark.parametrize(("policy_id", "path", "bad", "message"), BUCKET_SETTINGS)
def test_bucket_setting_fails_when_wrong(policy_id: str, path: str, bad: Any, message: str) -> None:
    finding = one_finding(judge(policy_id, _bucket(**{path: bad})))
    assert finding.address == "module.storage.google_storage_bucket.tfstate"
    assert finding.attribute == path
    assert finding.actual == bad
    assert finding.message.startswith(message + " (")


@pytest.mark.parametrize(("policy_id", "path", "bad", "message"), BUCKET_SETTINGS)
def test_bucket_setting_known_only_after_apply_fails(
    policy_id: str, path: str, bad: Any, message: str
) -> None:
    finding = one_finding(judge(policy_id, _bucket(**{path: UNKNOWN})))
    _assert_unknown(finding, path)


def test_force_destroy_missing_from_the_plan_fails() -> None:
    after = {key: value for key, value in GOOD.items() if key != "force_destroy"}
    doc = PlanBuilder().resource("google_storage_bucket.x", action="create", after=after).build()
    assert one_finding(judge("PG-GCS-001", doc)).actual is ABSENT


def test_deleted_buckets_are_not_judged_on_their_settings() -> None:
    doc = (
        PlanBuilder()
        .resource(
            "google_storage_bucket.old", action="delete", before={**GOOD, "force_destroy": True}
        )
        .build()
    )
    assert judge("PG-GCS-001", doc).status is Status.NOT_APPLICABLE


def test_unchanged_buckets_are_judged_too() -> None:
    doc = (
        PlanBuilder()
        .resource(
            "google_storage_bucket.drift_logs",
            action="no-op",
            after={**GOOD, "force_destroy": True},
        )
        .build()
    )
    assert one_finding(judge("PG-GCS-001", doc)).address == "google_storage_bucket.drift_logs"


# --------------------------------------------------------------------------- PG-GCS-004


def test_versioned_state_bucket_passes() -> None:
    assert judge("PG-GCS-004", _bucket()).status is Status.PASS


@pytest.mark.parametrize(
    ("name", "pattern"),
    [
        ("acme-prod-tfstate", "*tfstate*"),
        ("acme-prod-dvc", "*dvc*"),
        ("ACME-PROD-MODELS", "*models*"),
    ],
)
def test_unversioned_state_dvc_and_models_buckets_fail(name: str, pattern: str) -> None:
    doc = _bucket("google_storage_bucket.bucket", name=name, versioning=[{"enabled": False}])
    finding = one_finding(judge("PG-GCS-004", doc))
    assert finding.address == "google_storage_bucket.bucket"
    assert finding.attribute == "versioning[0].enabled"
    assert finding.message == (
        f'versioning[0].enabled: expected true, got false (bucket name matches versioned_buckets pattern "{pattern}")'
    )


def test_bucket_without_a_versioning_block_fails() -> None:
    finding = one_finding(judge("PG-GCS-004", _bucket(versioning=[])))
    assert finding.actual is ABSENT
    assert "got (absent)" in finding.message


def test_resource_name_is_matched_too() -> None:
    doc = _bucket("google_storage_bucket.models", name="acme-artefacts", versioning=[])
    finding = one_finding(judge("PG-GCS-004", doc))
    assert 'resource name "models" matches versioned_buckets pattern "*models*"' in finding.message


def test_drift_logs_bucket_is_not_required_to_be_versioned() -> None:
    doc = _bucket("google_storage_bucket.drift_logs", name="acme-prod-drift-logs", versioning=[])
    assert judge("PG-GCS-004", doc).status is Status.NOT_APPLICABLE


def test_versioning_known_only_after_apply_fails() -> None:
    _assert_unknown(
        one_finding(judge("PG-GCS-004", _bucket(versioning=UNKNOWN))), "versioning[0].enabled"
    )
    _assert_unknown(
        one_finding(judge("PG-GCS-004", _bucket(versioning=[UNKNOWN]))), "versioning[0].enabled"
    )


def test_bucket_name_known_only_after_apply_fails_unless_versioned() -> None:
    unversioned = _bucket("google_storage_bucket.scratch", name=UNKNOWN, versioning=[])
    finding = one_finding(judge("PG-GCS-004", unversioned))
    _assert_unknown(finding, "name")
    assert "versioned_buckets" in finding.expected
    versioned = _bucket("google_storage_bucket.scratch", name=UNKNOWN)
    assert judge("PG-GCS-004", versioned).status is Status.PASS


def test_versioned_bucket_patterns_come_from_the_setting() -> None:
    doc = _bucket("google_storage_bucket.logs", name="acme-prod-drift-logs", versioning=[])
    result = judge("PG-GCS-004", doc, settings={"versioned_buckets": ["*-drift-logs"]})
    assert 'pattern "*-drift-logs"' in one_finding(result).message
    tfstate = _bucket(versioning=[])
    assert (
        judge("PG-GCS-004", tfstate, settings={"versioned_buckets": []}).status
        is Status.NOT_APPLICABLE
    )


# --------------------------------------------------------------------------- PG-GCS-005

EXPECTED_PRIVATE = "no public principal (allUsers, allAuthenticatedUsers)"


def _iam(resource_type: str, action: str = "create", **values: Any) -> dict[str, Any]:
    after = {"bucket": "acme-prod-models", "role": "roles/storage.objectViewer", **values}
    return PlanBuilder().resource(f"{resource_type}.grant", action=action, after=after).build()


def test_member_grant_to_a_service_account_passes() -> None:
    doc = _iam(
        "google_storage_bucket_iam_member", member="serviceAccount:api@acme.iam.gserviceaccount.com"
    )
    assert judge("PG-GCS-005", doc).status is Status.PASS


@pytest.mark.parametrize("member", ["allUsers", "allAuthenticatedUsers"])
def test_member_grant_to_the_public_fails(member: str) -> None:
    doc = _iam("google_storage_bucket_iam_member", member=member)
    finding = one_finding(judge("PG-GCS-005", doc))
    assert finding.address == "google_storage_bucket_iam_member.grant"
    assert finding.attribute == "member"
    assert finding.actual == member
    assert finding.message == (
        f'member: expected {EXPECTED_PRIVATE}, got "{member}" '
        "(role roles/storage.objectViewer would be open to anyone on the internet)"
    )


def test_member_known_only_after_apply_fails() -> None:
    _assert_unknown(
        one_finding(judge("PG-GCS-005", _iam("google_storage_bucket_iam_member", member=UNKNOWN))),
        "member",
    )


def test_binding_names_each_public_member() -> None:
    members = ["group:ml@acme.example", "allAuthenticatedUsers", UNKNOWN]
    result = judge("PG-GCS-005", _iam("google_storage_bucket_iam_binding", members=members))
    assert result.status is Status.FAIL
    public, unknown = result.findings
    assert (public.attribute, public.actual) == ("members", "allAuthenticatedUsers")
    _assert_unknown(unknown, "members")


def test_binding_members_known_only_after_apply_fail() -> None:
    doc = _iam("google_storage_bucket_iam_binding", members=UNKNOWN)
    _assert_unknown(one_finding(judge("PG-GCS-005", doc)), "members")


def test_binding_without_public_members_passes() -> None:
    doc = _iam("google_storage_bucket_iam_binding", members=["group:ml@acme.example"])
    assert judge("PG-GCS-005", doc).status is Status.PASS


def _policy_data(*bindings: tuple[str, list[str]]) -> str:
    return json.dumps(
        {"bindings": [{"role": role, "members": members} for role, members in bindings]}
    )


def test_policy_document_is_parsed() -> None:
    text = _policy_data(
        ("roles/storage.admin", ["group:ops@acme.example"]),
        ("roles/storage.objectViewer", ["user:a@acme.example", "allUsers"]),
    )
    finding = one_finding(
        judge("PG-GCS-005", _iam("google_storage_bucket_iam_policy", policy_data=text))
    )
    assert finding.attribute == "policy_data.bindings[1].members"
    assert finding.message.startswith(
        f'policy_data.bindings[1].members: expected {EXPECTED_PRIVATE}, got "allUsers"'
    )


def test_private_policy_document_passes() -> None:
    text = _policy_data(("roles/storage.admin", ["group:ops@acme.example"]))
    assert (
        judge("PG-GCS-005", _iam("google_storage_bucket_iam_policy", policy_data=text)).status
        is Status.PASS
    )


def test_policy_document_known_only_after_apply_fails() -> None:
    doc = _iam("google_storage_bucket_iam_policy", policy_data=UNKNOWN)
    _assert_unknown(one_finding(judge("PG-GCS-005", doc)), "policy_data")


def test_unreadable_policy_document_fails() -> None:
    finding = one_finding(
        judge("PG-GCS-005", _iam("google_storage_bucket_iam_policy", policy_data="{not json"))
    )
    assert finding.message.startswith(
        'policy_data: expected an IAM policy in JSON, got "{not json"'
    )


def test_managed_folder_grants_are_covered() -> None:
    doc = _iam("google_storage_managed_folder_iam_member", member="allUsers")
    assert (
        one_finding(judge("PG-GCS-005", doc)).address
        == "google_storage_managed_folder_iam_member.grant"
    )


def test_allowed_public_members_setting_lets_a_principal_through() -> None:
    doc = _iam("google_storage_bucket_iam_member", member="allUsers")
    assert (
        judge("PG-GCS-005", doc, settings={"allowed_public_members": ["allUsers"]}).status
        is Status.PASS
    )
    other = _iam("google_storage_bucket_iam_member", member="allAuthenticatedUsers")
    assert (
        judge("PG-GCS-005", other, settings={"allowed_public_members": ["allUsers"]}).status
        is Status.FAIL
    )


def test_any_public_principal_set_is_public() -> None:
    members = ["PrincipalSet://goog/public:all", "principalSet://goog/public:other"]
    result = judge("PG-GCS-005", _iam("google_storage_bucket_iam_binding", members=members))
    assert [(f.attribute, f.actual) for f in result.findings] == [
        ("members", member) for member in members
    ]


def test_policy_document_with_a_lone_public_member_fails() -> None:
    text = json.dumps({"bindings": [{"role": "roles/storage.objectViewer", "members": "allUsers"}]})
    finding = one_finding(
        judge("PG-GCS-005", _iam("google_storage_bucket_iam_policy", policy_data=text))
    )
    assert (finding.attribute, finding.actual) == ("policy_data.bindings[0].members", "allUsers")


def test_policy_document_member_that_is_not_a_string_fails() -> None:
    text = json.dumps({"bindings": [{"role": "roles/storage.objectViewer", "members": [7]}]})
    finding = one_finding(
        judge("PG-GCS-005", _iam("google_storage_bucket_iam_policy", policy_data=text))
    )
    assert (finding.attribute, finding.actual) == ("policy_data.bindings[0].members", 7)


@pytest.mark.parametrize("document", [[], {"bindings": None}, {"bindings": {"members": []}}])
def test_policy_document_without_a_bindings_list_fails(document: Any) -> None:
    text = json.dumps(document)
    finding = one_finding(
        judge("PG-GCS-005", _iam("google_storage_bucket_iam_policy", policy_data=text))
    )
    assert (finding.attribute, finding.expected, finding.actual) == (
        "policy_data",
        "an IAM policy in JSON",
        text,
    )
    assert finding.message.endswith("(the gate cannot read its members)")
