"""plangate.gcp.iam: reading IAM grants and telling public members apart."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from plangate.gcp.iam import (
    POLICY_DATA_EXPECTED,
    PUBLIC_MEMBERS,
    Grant,
    Member,
    is_public,
    read_grants,
)
from plangate.plan import ABSENT, SENSITIVE
from plangate.plan import UNKNOWN as PLAN_UNKNOWN
from plangate.policy import Resource, Violation
from tests.fixtures.builder import UNKNOWN, PlanBuilder, Secret

RUNTIME = "serviceAccount:api@acme-prod.iam.gserviceaccount.com"


def _resource(resource_type: str, **after: Any) -> Resource:
    plan = PlanBuilder().resource(f"{resource_type}.r", action="create", after=after).plan()
    (change,) = plan.resource_changes
    return Resource(change=change, values=change.after)


def _grants(resource_type: str, **after: Any) -> tuple[Grant, ...]:
    grants, problems = read_grants(_resource(resource_type, **after))
    assert problems == ()
    return grants


def _problem(policy_data: Any) -> Violation:
    after = {} if policy_data is ABSENT else {"policy_data": policy_data}
    grants, problems = read_grants(_resource("google_project_iam_policy", **after))
    assert grants == ()
    (problem,) = problems
    assert problem.attribute == "policy_data"
    assert problem.expected == POLICY_DATA_EXPECTED
    return problem


def _policy_data(document: Any) -> str:
    return json.dumps(document)


# --------------------------------------------------------------------------- _iam_member


def test_member_resource_is_one_grant_at_role_and_member() -> None:
    (grant,) = _grants("google_project_iam_member", role="roles/run.invoker", member=RUNTIME)
    assert grant == Grant("roles/run.invoker", (Member("member", "member", RUNTIME),))
    assert (grant.role_path, grant.binding, grant.members[0].index) == ("role", None, None)
    assert grant.where() == ""
    assert grant.where(grant.members[0]) == ""


def test_unknown_member_and_role_are_handed_over_as_markers() -> None:
    (grant,) = _grants("google_project_iam_member", role=UNKNOWN, member=UNKNOWN)
    assert grant.role is PLAN_UNKNOWN
    assert grant.members[0].value is PLAN_UNKNOWN


# --------------------------------------------------------------------------- _iam_binding


def test_binding_members_have_indexed_paths() -> None:
    (grant,) = _grants(
        "google_storage_bucket_iam_binding",
        role="roles/storage.objectViewer",
        members=[RUNTIME, "allUsers", UNKNOWN, Secret("group:ops@acme.example")],
    )
    assert grant.role == "roles/storage.objectViewer"
    assert grant.role_path == "role"
    assert [(m.attribute, m.path, m.index) for m in grant.members] == [
        ("members", f"members[{i}]", i) for i in range(4)
    ]
    assert [m.value for m in grant.members] == [RUNTIME, "allUsers", PLAN_UNKNOWN, SENSITIVE]
    assert grant.where(grant.members[1]) == ""


def test_binding_with_an_unknown_member_list_is_one_member_at_members() -> None:
    (grant,) = _grants("google_project_iam_binding", role="roles/viewer", members=UNKNOWN)
    assert grant.members == (Member("members", "members", PLAN_UNKNOWN),)


def test_binding_with_a_sensitive_member_list_is_one_member_at_members() -> None:
    (grant,) = _grants(
        "google_project_iam_binding", role="roles/viewer", members=Secret(["allUsers"])
    )
    assert grant.members == (Member("members", "members", SENSITIVE),)


@pytest.mark.parametrize("members", [None, "absent"])
def test_binding_without_members_grants_nobody(members: Any) -> None:
    after: dict[str, Any] = {"role": "roles/viewer"}
    if members != "absent":
        after["members"] = members
    (grant,) = _grants("google_project_iam_binding", **after)
    assert grant.members == ()


# --------------------------------------------------------------------------- _iam_policy


def test_policy_document_bindings_are_read_with_their_place() -> None:
    data = _policy_data(
        {
            "bindings": [
                {"role": "roles/storage.admin", "members": ["group:ops@acme.example"]},
                "not a binding",
                {"role": "roles/storage.objectViewer", "members": [RUNTIME, "allUsers"]},
            ]
        }
    )
    first, second = _grants("google_storage_bucket_iam_policy", policy_data=data)
    assert (first.role, first.role_path, first.binding) == (
        "roles/storage.admin",
        "policy_data",
        0,
    )
    # The binding that is not an object is skipped; the others keep their own index.
    assert (second.role, second.binding) == ("roles/storage.objectViewer", 2)
    assert second.members == (
        Member("policy_data", "policy_data", RUNTIME, 0),
        Member("policy_data", "policy_data", "allUsers", 1),
    )
    assert second.where() == "bindings[2].role of the policy JSON"
    assert second.where(second.members[1]) == "bindings[2].members[1] of the policy JSON"


def test_policy_binding_without_role_or_members() -> None:
    (grant,) = _grants("google_project_iam_policy", policy_data=_policy_data({"bindings": [{}]}))
    assert grant.role is ABSENT
    assert grant.members == ()


def test_policy_binding_with_a_lone_member_is_still_judged() -> None:
    data = _policy_data({"bindings": [{"role": "roles/viewer", "members": "allUsers"}]})
    (grant,) = _grants("google_project_iam_policy", policy_data=data)
    assert grant.members == (Member("policy_data", "policy_data", "allUsers", 0),)


def test_policy_binding_members_that_are_not_strings_are_handed_over() -> None:
    data = _policy_data({"bindings": [{"role": "roles/viewer", "members": [None, 7]}]})
    (grant,) = _grants("google_project_iam_policy", policy_data=data)
    assert [m.value for m in grant.members] == [None, 7]


@pytest.mark.parametrize("document", [{}, {"bindings": []}, {"etag": "BwX", "version": 3}])
def test_policy_document_without_bindings_grants_nothing(document: Any) -> None:
    assert _grants("google_project_iam_policy", policy_data=_policy_data(document)) == ()


@pytest.mark.parametrize("marker", [UNKNOWN, ABSENT])
def test_unknown_or_absent_policy_document_is_a_violation(marker: Any) -> None:
    problem = _problem(marker)
    expected = PLAN_UNKNOWN if marker is UNKNOWN else ABSENT
    assert problem.actual is expected
    assert problem.message.startswith(f"policy_data: expected {POLICY_DATA_EXPECTED}, got (")


def test_sensitive_policy_document_is_a_violation_that_hides_it() -> None:
    problem = _problem(Secret(_policy_data({"bindings": []})))
    assert problem.actual is SENSITIVE
    assert "the value is hidden" in problem.message
    assert "bindings" not in problem.message


def test_policy_document_that_is_not_a_string_is_a_violation() -> None:
    assert _problem(None).actual is None


def test_policy_document_that_is_not_json_is_a_violation() -> None:
    problem = _problem("{not json")
    assert problem.actual == "(not valid JSON)"
    assert "{not json" not in problem.message


@pytest.mark.parametrize(
    "document", [[], "bindings", {"bindings": None}, {"bindings": {"role": "roles/viewer"}}]
)
def test_policy_document_without_a_bindings_list_is_a_violation(document: Any) -> None:
    assert _problem(_policy_data(document)).actual == "(no bindings list)"


def test_other_resource_types_are_a_programming_error() -> None:
    with pytest.raises(ValueError, match="google_storage_bucket is not an IAM"):
        read_grants(_resource("google_storage_bucket", name="b"))


def test_grants_and_members_are_frozen() -> None:
    (grant,) = _grants("google_project_iam_member", role="roles/viewer", member=RUNTIME)
    with pytest.raises(dataclasses.FrozenInstanceError):
        grant.role = "roles/owner"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        grant.members[0].value = "allUsers"  # type: ignore[misc]


# --------------------------------------------------------------------------- is_public


def test_public_members_are_named_for_messages() -> None:
    assert PUBLIC_MEMBERS == ("allUsers", "allAuthenticatedUsers")


@pytest.mark.parametrize(
    "member",
    [
        "allUsers",
        "allAuthenticatedUsers",
        "allusers",
        "ALLAUTHENTICATEDUSERS",
        "principalSet://goog/public:all",
        "PrincipalSet://GOOG/Public:all",
        "principalSet://goog/public:anything",
    ],
)
def test_public_members(member: str) -> None:
    assert is_public(member)


@pytest.mark.parametrize(
    "member",
    [
        RUNTIME,
        "user:allUsers@acme.example",
        "group:allusers@acme.example",
        "domain:acme.example",
        "allUsers2",
        " allUsers",
        "",
        "principal://goog/public:all",
        "principalSet://goog/publicity",
        "principalSet://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/*",
    ],
)
def test_non_public_members(member: str) -> None:
    assert not is_public(member)
