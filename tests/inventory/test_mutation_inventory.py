"""Behaviour of inventory/ that the mutation run (issue 14, bench/mutation.py) found unpinned.

Each test names what it protects: why an inventory is refused as incomplete (exact words), what
is counted as read and ignored, where project ids come from, the fields of every finding, how
declared grants are read from the state (members, bindings, policy_data, conditions), and the
live resources handed to the catalogue policies.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from plangate.errors import InputError
from plangate.inventory import InventoryIncomplete
from plangate.inventory.decode import asset_from_dict
from plangate.inventory.export import ExportInventory
from plangate.inventory.mapping import mapping_table
from plangate.inventory.normalise import RULES, ProjectDirectory, equal
from plangate.inventory.reconcile import (
    Grant,
    Missing,
    NotVerifiable,
    Unmanaged,
    member_key,
    reconcile,
)
from plangate.inventory.terraform import TerraformSide
from plangate.plan import SENSITIVE, UNKNOWN, StateResource

PROJECT = {
    "name": "//cloudresourcemanager.googleapis.com/projects/111",
    "asset_type": "cloudresourcemanager.googleapis.com/Project",
    "ancestors": ["projects/111"],
    "resource": {"data": {"projectId": "p", "projectNumber": "111"}},
}
PROJECT_POLICY = {
    "name": "//cloudresourcemanager.googleapis.com/projects/111",
    "asset_type": "cloudresourcemanager.googleapis.com/Project",
    "iam_policy": {"bindings": []},
}
BUCKET = "storage.googleapis.com/Bucket"


def _resource(address: str, kind: str, values: dict[str, Any], mode: str = "managed"):
    return StateResource.of(
        values,
        address=address,
        mode=mode,
        type=kind,
        name=address.rsplit(".", 1)[-1],
        provider_name="google",
    )


def _state(*resources: tuple[str, str, dict[str, Any]], data_sources=()) -> TerraformSide:
    return TerraformSide(
        sources=(),
        resources=tuple(_resource(*r) for r in resources),
        data_sources=tuple(_resource(*d, mode="data") for d in data_sources),
        environment=None,
    )


def _bucket(name: str, **data: Any) -> dict[str, Any]:
    return {
        "name": f"//storage.googleapis.com/{name}",
        "asset_type": BUCKET,
        "ancestors": ["projects/111"],
        "resource": {"data": {"name": name, **data}},
    }


def _policy(name: str, asset_type: str, *bindings: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "asset_type": asset_type, "iam_policy": {"bindings": list(bindings)}}


def _reconcile(terraform: TerraformSide, *records: dict[str, Any]):
    assets = [asset_from_dict(r, f"test:{i}") for i, r in enumerate(records)]
    return reconcile(terraform, iter(assets), mapping_table())


def _refusal(terraform: TerraformSide, *records: dict[str, Any]) -> str:
    with pytest.raises(InventoryIncomplete) as caught:
        _reconcile(terraform, *records)
    return str(caught.value)


# -- an incomplete inventory is refused, with the reason in words ---------------------------


def test_an_empty_inventory_is_refused_in_words() -> None:
    assert _refusal(_state()) == "the inventory has no assets; an empty listing proves nothing"


def test_projects_the_inventory_does_not_cover_are_all_named() -> None:
    state = _state(
        ("b.one", "google_storage_bucket", {"name": "one", "project": "q"}),
        ("b.two", "google_storage_bucket", {"name": "two", "project": "r"}),
    )
    assert _refusal(state, PROJECT, PROJECT_POLICY) == (
        "the inventory has no cloudresourcemanager.googleapis.com/Project asset for q, r: it does"
        " not cover the project Terraform manages (wrong scope, or that asset type was not listed)"
    )


def test_managed_types_the_inventory_never_lists_are_all_named() -> None:
    state = _state(
        ("b.one", "google_storage_bucket", {"name": "one", "project": "p"}),
        ("sa.a", "google_service_account", {"email": "a@p.iam.gserviceaccount.com"}),
    )
    assert _refusal(state, PROJECT, PROJECT_POLICY) == (
        "the inventory has no iam.googleapis.com/ServiceAccount, storage.googleapis.com/Bucket"
        " record although Terraform manages some: those types were not listed or exported"
        " (a listing that lost a whole type is never read as every such resource deleted)"
    )


def test_granted_types_without_any_iam_policy_are_all_named() -> None:
    state = _state(
        ("g.b", "google_storage_bucket_iam_member", {"bucket": "one", "role": "r", "member": "m"}),
        ("g.t", "google_pubsub_topic_iam_member", {"topic": "t", "role": "r", "member": "m"}),
    )
    assert _refusal(state, PROJECT, PROJECT_POLICY) == (
        "the inventory has no IAM policy of any pubsub.googleapis.com/Topic,"
        " storage.googleapis.com/Bucket although Terraform grants roles on them: their"
        " IAM_POLICY records were not listed or exported"
    )


def test_an_inventory_without_iam_policies_is_refused_in_words() -> None:
    assert _refusal(_state(), PROJECT) == (
        "the inventory has no IAM_POLICY records; list or export the IAM policies too "
        "(content type IAM_POLICY, `gcloud asset export --content-type=iam-policy`)"
    )


def test_a_governed_record_without_resource_data_is_refused_in_words() -> None:
    record = {"name": "//storage.googleapis.com/b", "asset_type": BUCKET}
    assert _refusal(_state(), PROJECT, PROJECT_POLICY, record) == (
        "//storage.googleapis.com/b has no resource data: list or export it with content type "
        "RESOURCE (`gcloud asset export --content-type=resource`)"
    )


def test_the_project_of_an_unmapped_type_is_not_required() -> None:
    state = _state(("x.y", "google_compute_network", {"project": "elsewhere"}))
    rec = _reconcile(state, PROJECT, PROJECT_POLICY)
    assert [v.address for v in rec.not_verifiable] == ["x.y"]


# -- what is read, ignored and learnt ------------------------------------------------------


def test_records_read_and_ignored_are_counted_one_by_one() -> None:
    other = "compute.googleapis.com/Instance"
    rec = _reconcile(
        _state(),
        PROJECT,
        PROJECT_POLICY,
        _bucket("b"),
        {"name": "//compute.googleapis.com/i", "asset_type": other},  # no data, not governed
        {"name": "//compute.googleapis.com/j", "asset_type": other, "resource": {"data": {}}},
        _policy("//compute.googleapis.com/i", other),
    )
    assert (rec.records_read, rec.records_ignored) == (6, 3)


@pytest.mark.parametrize(
    "project",
    [
        {**PROJECT, "resource": {"data": {"projectId": "p"}}},
        {
            **PROJECT,
            "name": "//cloudresourcemanager.googleapis.com/projects/p",
            "resource": {"data": {}},
        },
    ],
    ids=["id-in-data-only", "id-in-name-only"],
)
def test_a_project_is_covered_by_its_id_in_the_data_or_its_name(project: dict[str, Any]) -> None:
    state = _state(("b.b", "google_storage_bucket", {"name": "b", "project": "p"}))
    rec = _reconcile(state, project, PROJECT_POLICY, _bucket("b"))
    assert [m.address for m in rec.managed] == ["b.b"]


def test_a_google_project_data_source_teaches_a_project_number() -> None:
    state = _state(
        data_sources=[
            ("data.google_project.q", "google_project", {"number": "222", "project_id": "q"})
        ]
    )
    account = {
        "name": "//iam.googleapis.com/projects/222/serviceAccounts/9",
        "asset_type": "iam.googleapis.com/ServiceAccount",
        "resource": {"data": {"email": "x@q.iam.gserviceaccount.com"}},
    }
    rec = _reconcile(state, PROJECT, PROJECT_POLICY, account)
    assert [u.asset_name for u in rec.unmanaged] == [
        "//iam.googleapis.com/projects/q/serviceAccounts/9"
    ]


def test_another_data_source_teaches_nothing() -> None:
    state = _state(
        data_sources=[("data.x.q", "google_other", {"number": "222", "project_id": "q"})]
    )
    account = {
        "name": "//iam.googleapis.com/projects/222/serviceAccounts/9",
        "asset_type": "iam.googleapis.com/ServiceAccount",
        "resource": {"data": {"email": "x@q.iam.gserviceaccount.com"}},
    }
    rec = _reconcile(state, PROJECT, PROJECT_POLICY, account)
    assert [u.asset_name for u in rec.unmanaged] == [
        "//iam.googleapis.com/projects/222/serviceAccounts/9"
    ]


# -- every field of every finding ------------------------------------------------------------


def test_findings_carry_every_field() -> None:
    state = _state(
        ("b.nameless", "google_storage_bucket", {"project": "p"}),
        ("b.here", "google_storage_bucket", {"name": "here", "project": "p"}),
        ("b.gone", "google_storage_bucket", {"name": "gone", "project": "p"}),
    )
    rec = _reconcile(state, PROJECT, PROJECT_POLICY, _bucket("here"), _bucket("extra"))
    assert rec.not_verifiable == (
        NotVerifiable(
            "b.nameless",
            "google_storage_bucket",
            "the state lacks the attributes that name the asset",
        ),
    )
    assert [(m.address, m.terraform_type, m.asset_name) for m in rec.managed] == [
        ("b.here", "google_storage_bucket", "//storage.googleapis.com/here")
    ]
    assert rec.missing == (
        Missing("b.gone", "google_storage_bucket", BUCKET, "//storage.googleapis.com/gone"),
    )
    assert rec.unmanaged == (
        Unmanaged("//storage.googleapis.com/extra", BUCKET, "google_storage_bucket"),
    )


def test_live_resources_are_in_terraform_shape_under_their_address() -> None:
    state = _state(("b.here", "google_storage_bucket", {"name": "here", "project": "p"}))
    rec = _reconcile(state, PROJECT, PROJECT_POLICY, _bucket("here", versioning={"enabled": True}))
    (live,) = rec.live_resources
    assert (live.address, live.terraform_type, live.asset_name) == (
        "b.here",
        "google_storage_bucket",
        "//storage.googleapis.com/here",
    )
    assert live.values["versioning"] == [{"enabled": True}]


def test_google_managed_accounts_are_live_resources_only_when_terraform_manages_them() -> None:
    ours = "123-compute@developer.gserviceaccount.com"
    theirs = "456-compute@developer.gserviceaccount.com"

    def account(email: str, number: str) -> dict[str, Any]:
        return {
            "name": f"//iam.googleapis.com/projects/p/serviceAccounts/{number}",
            "asset_type": "iam.googleapis.com/ServiceAccount",
            "resource": {"data": {"email": email}},
        }

    state = _state(("sa.default", "google_service_account", {"email": ours, "project": "p"}))
    rec = _reconcile(state, PROJECT, PROJECT_POLICY, account(ours, "1"), account(theirs, "2"))
    assert [r.address for r in rec.live_resources] == ["sa.default"]
    assert rec.unmanaged == ()


# -- grants ----------------------------------------------------------------------------------


def test_a_grant_describes_its_role_member_and_condition() -> None:
    assert Grant("a", "roles/x", "user:u").describe() == "roles/x to user:u"
    assert Grant("a", "roles/x", "user:u", "c > 1").describe() == "roles/x to user:u when c > 1"


@pytest.mark.parametrize(
    ("member", "key"),
    [
        ("user:A@X.com", "user:a@x.com"),
        ("group:A@X.com", "group:a@x.com"),
        ("serviceAccount:A@X.com", "serviceAccount:a@x.com"),
        ("domain:X.com", "domain:x.com"),
        ("deleted:user:A@X.com?uid=1", "deleted:user:a@x.com?uid=1"),
        ("principalSet://iam/X", "principalSet://iam/X"),
        ("allUsers", "allUsers"),
    ],
)
def test_e_mail_members_compare_without_case_others_exactly(member: str, key: str) -> None:
    assert member_key(member) == key


def _missing(*resources: tuple[str, str, dict[str, Any]]):
    return _reconcile(_state(*resources), PROJECT, PROJECT_POLICY)


def test_declared_grants_of_members_bindings_and_policies_with_conditions() -> None:
    rec = _missing(
        (
            "g.member",
            "google_project_iam_member",
            {
                "project": "p",
                "role": "roles/a",
                "member": "user:m@x.com",
                "condition": [{"expression": "e1"}],
            },
        ),
        (
            "g.binding",
            "google_project_iam_binding",
            {"project": "p", "role": "roles/b", "members": ["user:n@x.com", 7], "condition": []},
        ),
        (
            "g.policy",
            "google_project_iam_policy",
            {
                "project": "p",
                "policy_data": '{"bindings": [{"role": "roles/c", "members": ["user:o@x.com"],'
                ' "condition": {"expression": "e2"}}, {"role": "roles/d", "members": [],'
                ' "condition": {"expression": ""}}]}',
            },
        ),
        ("g.no_role", "google_project_iam_member", {"project": "p", "member": "user:q@x.com"}),
        ("g.empty", "google_project_iam_policy", {"project": "p", "policy_data": "{}"}),
    )
    assert sorted(
        (g.address, g.asset_name, g.role, g.member, g.condition) for g in rec.missing_grants
    ) == [
        (
            "g.binding",
            "//cloudresourcemanager.googleapis.com/projects/p",
            "roles/b",
            "user:n@x.com",
            None,
        ),
        (
            "g.member",
            "//cloudresourcemanager.googleapis.com/projects/p",
            "roles/a",
            "user:m@x.com",
            "e1",
        ),
        (
            "g.policy",
            "//cloudresourcemanager.googleapis.com/projects/p",
            "roles/c",
            "user:o@x.com",
            "e2",
        ),
    ]
    assert rec.not_verifiable == ()


@pytest.mark.parametrize(
    ("policy_data", "reason"),
    [
        ("{", "policy_data is not JSON"),
        ("[]", "policy_data has no list of bindings"),
        ('{"bindings": {}}', "policy_data has no list of bindings"),
        ('{"bindings": ["x"]}', "a binding of policy_data lacks a role or a members list"),
        (
            '{"bindings": [{"members": []}]}',
            "a binding of policy_data lacks a role or a members list",
        ),
        (
            '{"bindings": [{"role": "r"}]}',
            "a binding of policy_data lacks a role or a members list",
        ),
        (
            '{"bindings": [{"role": "r", "members": [1]}]}',
            "a member of r in policy_data is not a string",
        ),
    ],
)
def test_a_policy_data_that_spells_out_no_grants_is_not_verifiable(
    policy_data: str, reason: str
) -> None:
    rec = _missing(
        ("g.p", "google_project_iam_policy", {"project": "p", "policy_data": policy_data})
    )
    assert rec.not_verifiable == (NotVerifiable("g.p", "google_project_iam_policy", reason),)
    assert rec.missing_grants == ()


def test_a_grant_on_an_asset_nobody_lists_or_manages_is_not_verifiable() -> None:
    rec = _reconcile(
        _state(
            (
                "g.b",
                "google_storage_bucket_iam_member",
                {"bucket": "b9", "role": "r", "member": "m"},
            )
        ),
        PROJECT,
        PROJECT_POLICY,
        _policy("//storage.googleapis.com/other", BUCKET),
    )
    assert rec.not_verifiable == (
        NotVerifiable(
            "g.b",
            "iam",
            "//storage.googleapis.com/b9 is not in the inventory and no state given manages it, "
            "so its IAM policy cannot be read",
        ),
    )


def test_a_grant_on_a_listed_or_managed_asset_is_missing_when_absent_live() -> None:
    grant = {"role": "r", "member": "user:m@x.com"}
    rec = _reconcile(
        _state(
            ("g.record", "google_storage_bucket_iam_member", {"bucket": "rec", **grant}),
            ("g.policy", "google_storage_bucket_iam_member", {"bucket": "pol", **grant}),
            ("g.managed", "google_storage_bucket_iam_member", {"bucket": "man", **grant}),
            ("b.man", "google_storage_bucket", {"name": "man", "project": "p"}),
            ("g.project", "google_project_iam_member", {"project": "q", **grant}),
        ),
        PROJECT,
        PROJECT_POLICY,
        {
            "name": "//cloudresourcemanager.googleapis.com/projects/222",
            "asset_type": "cloudresourcemanager.googleapis.com/Project",
            "resource": {"data": {"projectId": "q", "projectNumber": "222"}},
        },
        _bucket("rec"),
        _policy("//storage.googleapis.com/pol", BUCKET),
    )
    assert sorted(g.address for g in rec.missing_grants) == [
        "g.managed",
        "g.policy",
        "g.project",
        "g.record",
    ]
    assert [v.address for v in rec.not_verifiable] == []


def test_a_live_grant_keeps_its_condition() -> None:
    policy = _policy(
        "//storage.googleapis.com/b",
        BUCKET,
        {"role": "r", "members": ["user:m@x.com"], "condition": {"expression": "c"}},
    )
    rec = _reconcile(_state(), PROJECT, PROJECT_POLICY, _bucket("b"), policy)
    assert [(g.role, g.member, g.condition) for g in rec.undeclared_grants] == [
        ("r", "user:m@x.com", "c")
    ]


# -- decoding a record: one-line errors that name the record and what is wrong ----------------


def _decode_error(raw: Any) -> str:
    with pytest.raises(InputError) as caught:
        asset_from_dict(raw, "f:1")
    return str(caught.value)


GOOD = {"name": "//storage.googleapis.com/b", "asset_type": BUCKET}


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ([], "an array"),
        ("x", "a string"),
        (True, "a boolean"),
        (None, "null"),
        (1, "a number"),
        (1.5, "a number"),
        ({1}, "set"),
    ],
)
def test_a_record_that_is_not_an_object_is_named_by_its_json_kind(raw: Any, kind: str) -> None:
    assert _decode_error(raw) == f"f:1: an inventory record must be a JSON object, not {kind}"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"asset_type": "Bucket"},
            'f:1: no asset type (expected "asset_type": "SERVICE.googleapis.com/Kind")',
        ),
        ({"resource": "x"}, "f:1: resource must be an object, not a string"),
        ({"resource": {"data": 5}}, "f:1: resource.data must be an object, not a number"),
        (
            {"ancestors": "projects/1"},
            "f:1: ancestors must be a list of names such as projects/123",
        ),
        ({"ancestors": [1]}, "f:1: ancestors must be a list of names such as projects/123"),
        ({"iam_policy": "x"}, "f:1: iam_policy must be an object, not a string"),
        (
            {"iam_policy": {"bindings": ["x"]}},
            "f:1: an IAM binding needs a role (expected {role, members})",
        ),
        (
            {"iam_policy": {"bindings": [{"members": []}]}},
            "f:1: an IAM binding needs a role (expected {role, members})",
        ),
        (
            {"iam_policy": {"bindings": [{"role": "r", "members": "abc"}]}},
            "f:1: the members of r must be strings",
        ),
        (
            {"iam_policy": {"bindings": [{"role": "r", "members": [1]}]}},
            "f:1: the members of r must be strings",
        ),
    ],
)
def test_a_malformed_record_is_refused_in_one_line(changes: dict[str, Any], message: str) -> None:
    assert _decode_error({**GOOD, **changes}) == message


def test_resource_data_nested_too_deeply_is_refused_in_one_line() -> None:
    data: dict[str, Any] = {}
    for _ in range(1000):
        data = {"x": data}
    assert _decode_error({**GOOD, "resource": {"data": data}}) == (
        "f:1: resource.data is nested too deeply"
    )


def test_an_empty_condition_expression_is_no_condition() -> None:
    policy = {"bindings": [{"role": "r", "members": ["m"], "condition": {"expression": ""}}]}
    asset = asset_from_dict({**GOOD, "iam_policy": policy}, "f:1")
    assert asset.bindings is not None
    assert [b.condition for b in asset.bindings] == [None]


# -- normalising both sides -------------------------------------------------------------------


def test_a_project_directory_learns_only_a_number_with_an_id() -> None:
    projects = ProjectDirectory()
    for number, project_id in [(None, "p"), ("1", None), ("1", ""), ("abc", "x"), (True, "t")]:
        projects.learn(number, project_id)
    assert len(projects) == 0
    projects.learn(111, "p")
    projects.learn(222.0, "q")
    projects.learn("333", "r")
    assert projects.numbers() == {"111", "222", "333"}
    assert [projects.project_id(n) for n in ("111", "222", "333", "abc")] == ["p", "q", "r", "abc"]


def test_rules_leave_values_of_other_types_alone() -> None:
    projects = ProjectDirectory()
    projects.learn("111", "p")
    assert RULES["casefold"](5, projects) == 5
    assert RULES["cloud_run_ingress"]([1], projects) == [1]
    assert RULES["resource_names"](["projects/111/x", 5], projects) == ["5", "projects/p/x"]


def test_equal_is_deep_and_exact_about_shapes() -> None:
    assert equal(UNKNOWN, UNKNOWN)
    assert not equal({}, "x")
    assert not equal(["a"], "a")
    assert not equal([1], [2])


# -- drifts, keys and identities -------------------------------------------------------------

BUCKET_TF = {"name": "b", "project": "p", "location": "EU", "storage_class": "STANDARD"}
BUCKET_LIVE = {"location": "eu", "storageClass": "STANDARD"}


def _drifts(terraform: dict[str, Any], live: dict[str, Any]) -> list[str]:
    rec = _reconcile(
        _state(("b.b", "google_storage_bucket", {**BUCKET_TF, **terraform})),
        PROJECT,
        PROJECT_POLICY,
        _bucket("b", **{**BUCKET_LIVE, **live}),
    )
    return [d.attribute for m in rec.managed for d in m.drifts]


def test_a_hidden_value_skips_only_its_own_field() -> None:
    assert _drifts({"storage_class": SENSITIVE, "effective_labels": {"a": "b"}}, {}) == [
        "effective_labels"
    ]


def test_labels_on_one_side_only_are_drift_on_either_side() -> None:
    assert _drifts({"effective_labels": {"a": "b"}}, {}) == ["effective_labels"]
    assert _drifts({}, {"labels": {"a": "b"}}) == ["effective_labels"]
    assert _drifts({"effective_labels": {}}, {}) == []


def test_an_asset_named_by_a_per_project_identity_without_a_project_still_matches() -> None:
    state = _state(("a.d", "google_monitoring_alert_policy", {"display_name": "d"}))
    alert = {
        "name": "//monitoring.googleapis.com/alertPolicies/1",
        "asset_type": "monitoring.googleapis.com/AlertPolicy",
        "resource": {"data": {"displayName": "d"}},
    }
    rec = _reconcile(state, PROJECT, PROJECT_POLICY, alert)
    assert [m.address for m in rec.managed] == ["a.d"]


def test_the_project_of_a_live_asset_is_read_from_its_name_first() -> None:
    state = _state(("a.d", "google_monitoring_alert_policy", {"display_name": "d", "project": "p"}))
    alert = {
        "name": "//monitoring.googleapis.com/projects/p/alertPolicies/1",
        "asset_type": "monitoring.googleapis.com/AlertPolicy",
        "resource": {"data": {"displayName": "d"}},
    }
    rec = _reconcile(state, PROJECT, PROJECT_POLICY, alert)
    assert [m.address for m in rec.managed] == ["a.d"]


def _account(email: Any, number: str = "1") -> dict[str, Any]:
    return {
        "name": f"//iam.googleapis.com/projects/p/serviceAccounts/{number}",
        "asset_type": "iam.googleapis.com/ServiceAccount",
        "resource": {"data": {"email": email}},
    }


def test_identities_name_missing_accounts_and_their_grants() -> None:
    state = _state(
        ("sa.gone", "google_service_account", {"email": "gone@p.iam.gserviceaccount.com"}),
        ("sa.blank", "google_service_account", {"email": ""}),
        (
            "g.here",
            "google_service_account_iam_member",
            {"service_account_id": "here@p.iam.gserviceaccount.com", "role": "r", "member": "m"},
        ),
        (
            "g.nowhere",
            "google_service_account_iam_member",
            {"service_account_id": "no@p.iam.gserviceaccount.com", "role": "r", "member": "m"},
        ),
        ("g.unnamed", "google_service_account_iam_member", {"role": "r", "member": "m"}),
        ("g.unnamed_bucket", "google_storage_bucket_iam_member", {"role": "r", "member": "m"}),
    )
    rec = _reconcile(
        state,
        PROJECT,
        PROJECT_POLICY,
        _account("here@p.iam.gserviceaccount.com"),
        _account(5, "2"),
        _policy(
            "//iam.googleapis.com/projects/p/serviceAccounts/1", "iam.googleapis.com/ServiceAccount"
        ),
        _policy("//storage.googleapis.com/x", BUCKET),
    )
    assert [(m.address, m.expected) for m in rec.missing] == [
        ("sa.gone", "gone@p.iam.gserviceaccount.com")
    ]
    assert [(g.address, g.asset_name) for g in rec.missing_grants] == [
        ("g.here", "here@p.iam.gserviceaccount.com")
    ]
    lacks = "the state lacks the attributes that name the asset"
    assert sorted((v.address, v.reason) for v in rec.not_verifiable) == [
        (
            "g.nowhere",
            "no@p.iam.gserviceaccount.com is not in the inventory and no state given"
            " manages it, so its IAM policy cannot be read",
        ),
        ("g.unnamed", lacks),
        ("g.unnamed_bucket", lacks),
        ("sa.blank", lacks),
    ]
    assert [u.identity for u in rec.unmanaged] == ["here@p.iam.gserviceaccount.com", None]


def test_an_empty_condition_expression_in_the_state_is_no_condition() -> None:
    tf = {"project": "p", "role": "r", "member": "m", "condition": [{"expression": ""}]}
    rec = _missing(("g.m", "google_project_iam_member", tf))
    assert [g.condition for g in rec.missing_grants] == [None]


# -- reading an export file: the excerpt of a line that is not JSON ----------------------------

_EXPECTED_EXPORT = (
    "expected ExportAssets newline-delimited JSON (one asset per line) or the array of"
    " `gcloud asset list --format=json`"
)


@pytest.mark.parametrize(
    ("line", "excerpt"),
    [
        ("x" * 31, "x" * 31),
        ("x" * 32, "x" * 32 + "…"),
        ("x" * 32 + "yyyy", "x" * 32 + "…"),
    ],
    ids=["32-with-newline", "33-with-newline", "longer"],
)
def test_a_line_that_is_not_json_is_shown_by_its_first_32_characters(
    tmp_path: Path, line: str, excerpt: str
) -> None:
    path = tmp_path / "export.json"
    path.write_text("\n" + line + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        list(ExportInventory(path).records())
    assert str(caught.value) == (
        f"{path}:2: not JSON (Expecting value at character 1; the record starts {excerpt!r}); "
        + _EXPECTED_EXPORT
    )


def test_a_pretty_printed_document_is_refused_with_where_plans_go(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text('\n{\n  "a": 1\n}\n', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        list(ExportInventory(path).records())
    assert str(caught.value) == (
        f"{path}:2: a JSON document spread over several lines; {_EXPECTED_EXPORT}"
        " (a Terraform plan or state goes to --plan/--state)"
    )
