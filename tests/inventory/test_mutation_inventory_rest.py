"""More of inventory/ that the mutation run (issue 14) found unpinned: reading plans and states,
name templates, Google's own members, the mapping table as an engine, and export arrays.

The mapping table is data, and a new type is meant to be one entry: so some tests hand
`reconcile` a table that differs from the shipped one in a way the schema allows (a
`compare: false` field before compared ones, a path ending in an index, overlapping member
patterns) and pin that the engine still honours each entry. The others pin exact outcomes a
user reads: refusal messages, the environment taken from a plan, the values of live resources.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest

from plangate.errors import InputError
from plangate.inventory import export as export_module
from plangate.inventory.export import ExportInventory
from plangate.inventory.mapping import FieldRule, MappingTable, mapping_table, render_name
from plangate.inventory.normalise import ProjectDirectory
from plangate.inventory.reconcile import Missing, Unmanaged
from plangate.inventory.terraform import read_terraform
from plangate.plan import ABSENT
from tests.inventory.test_mutation_inventory import (
    PROJECT,
    PROJECT_POLICY,
    _bucket,
    _reconcile,
    _state,
)

PROVIDER = "registry.terraform.io/hashicorp/google"
ALERT_POLICY = "monitoring.googleapis.com/AlertPolicy"

# -- plans and states -----------------------------------------------------------------------


def _write(path: Path, document: dict[str, Any]) -> str:
    path.write_text(json.dumps(document))
    return str(path)


def _plan(path: Path, *, prior_state: bool = True, environment: Any = "prod") -> str:
    document: dict[str, Any] = {
        "format_version": "1.2",
        "terraform_version": "1.9.0",
        "variables": {"environment": {"value": environment}},
        "resource_changes": [],
    }
    if prior_state:
        document["prior_state"] = {"format_version": "1.0", "values": {"root_module": {}}}
    return _write(path, document)


def test_a_plan_without_prior_state_is_refused_saying_what_to_pass(tmp_path: Path) -> None:
    path = _plan(tmp_path / "plan.json", prior_state=False)
    with pytest.raises(InputError) as caught:
        read_terraform([path], [])
    assert str(caught.value) == (
        f"{path}: the plan has no prior_state (an empty state?); conformance needs the resources"
        " Terraform manages: pass a plan made against the state, or --state"
    )


def test_an_environment_variable_that_is_not_text_is_no_environment(tmp_path: Path) -> None:
    """A number or object in `environment` must not be taken as an environment name."""
    path = _plan(tmp_path / "plan.json", environment=3)
    assert read_terraform([path], []).environment is None


def test_a_state_is_a_source_with_its_hash_and_splits_managed_from_data(tmp_path: Path) -> None:
    """Without a plan there is no environment at all (None, not an empty name)."""

    def resource(mode: str, kind: str, name: str, values: dict[str, Any]) -> dict[str, Any]:
        prefix = "data." if mode == "data" else ""
        return {
            "address": f"{prefix}{kind}.{name}",
            "mode": mode,
            "type": kind,
            "name": name,
            "provider_name": PROVIDER,
            "values": values,
        }

    path = _write(
        tmp_path / "state.json",
        {
            "format_version": "1.0",
            "terraform_version": "1.9.0",
            "values": {
                "root_module": {
                    "resources": [
                        resource("managed", "google_storage_bucket", "b", {"name": "b"}),
                        resource("data", "google_project", "p", {"number": "1", "project_id": "p"}),
                    ]
                }
            },
        },
    )
    side = read_terraform([], [path])
    assert [(s.name, s.sha256) for s in side.sources] == [
        (path, hashlib.sha256(Path(path).read_bytes()).hexdigest())
    ]
    assert [r.address for r in side.resources] == ["google_storage_bucket.b"]
    assert [r.address for r in side.data_sources] == ["data.google_project.p"]
    assert side.environment is None


# -- name templates -------------------------------------------------------------------------


def _directory() -> ProjectDirectory:
    projects = ProjectDirectory()
    projects.learn("111", "p")
    return projects


def test_a_template_writes_integers_as_text_and_refuses_booleans() -> None:
    assert render_name("//x.googleapis.com/{n}", {"n": 42}, _directory()) == "//x.googleapis.com/42"
    assert render_name("//x.googleapis.com/{n}", {"n": True}, _directory()) is None


def test_the_project_placeholder_alone_becomes_a_project_id() -> None:
    """{project} is compared as an id even where no `projects/` segment precedes it."""
    projects = _directory()
    assert render_name("{project}", {"project": "111"}, projects) == "p"
    assert render_name("{name}", {"name": "111"}, projects) == "111"


# -- Google's own members -------------------------------------------------------------------


def test_a_service_agent_is_google_s_only_for_a_project_in_the_inventory() -> None:
    table = mapping_table()
    agent = "serviceAccount:service-111@gcp-sa-pubsub.iam.gserviceaccount.com"
    assert table.is_google_member(agent, {"111"}, "p") is True
    assert table.is_google_member(agent, {"222"}, "p") is False


def test_a_member_of_a_later_pattern_is_google_s() -> None:
    member = "serviceAccount:111@cloudservices.gserviceaccount.com"
    assert mapping_table().is_google_member(member, {"111"}, "p") is True


def _members_table(*patterns: str) -> MappingTable:
    return dataclasses.replace(
        mapping_table(), google_members=tuple(re.compile(p) for p in patterns)
    )


def test_a_pattern_whose_number_is_unknown_leaves_the_next_pattern_to_decide() -> None:
    table = _members_table(r"^user:(?P<number>\d+)@x\.com$", r"^user:\d+@x\.com$")
    assert table.is_google_member("user:9@x.com", {"111"}, "p") is True


def test_a_pattern_of_another_project_leaves_the_next_pattern_to_decide() -> None:
    table = _members_table(r"^projectOwner:(?P<project>[a-z]+)$", r"^projectOwner:q$")
    assert table.is_google_member("projectOwner:q", set(), "p") is True


# -- the mapping table as an engine ---------------------------------------------------------


def test_an_identity_without_global_is_looked_up_within_its_project() -> None:
    """An alert policy of the same display name in another project is not Terraform's."""
    other_project = {
        **PROJECT,
        "name": "//cloudresourcemanager.googleapis.com/projects/222",
        "ancestors": ["projects/222"],
        "resource": {"data": {"projectId": "q", "projectNumber": "222"}},
    }
    live_policy = {
        "name": "//monitoring.googleapis.com/projects/222/alertPolicies/7",
        "asset_type": ALERT_POLICY,
        "ancestors": ["projects/222"],
        "resource": {"data": {"displayName": "High errors", "combiner": "OR"}},
    }
    state = _state(
        (
            "a.high",
            "google_monitoring_alert_policy",
            {"display_name": "High errors", "project": "p", "combiner": "OR"},
        )
    )
    rec = _reconcile(state, PROJECT, other_project, PROJECT_POLICY, live_policy)
    assert rec.managed == ()
    assert rec.missing == (
        Missing("a.high", "google_monitoring_alert_policy", ALERT_POLICY, "High errors"),
    )
    assert rec.unmanaged == (
        Unmanaged(
            "//monitoring.googleapis.com/projects/q/alertPolicies/7",
            ALERT_POLICY,
            "google_monitoring_alert_policy",
            "High errors",
        ),
    )


def test_a_live_resource_leaves_out_attributes_the_inventory_does_not_give() -> None:
    """Absent, not null: a catalogue policy must tell 'not listed' from 'set to null'."""
    rec = _reconcile(_state(), PROJECT, PROJECT_POLICY, _bucket("b1", location="EU"))
    assert [dict(r.values) for r in rec.live_resources] == [
        {
            "location": "EU",
            "uniform_bucket_level_access": False,
            "public_access_prevention": "inherited",
            "versioning": [{"enabled": False}],
        }
    ]


def test_an_absent_attribute_drifts_from_a_set_one_as_absent_not_null() -> None:
    state = _state(("b.b1", "google_storage_bucket", {"name": "b1", "storage_class": "STANDARD"}))
    rec = _reconcile(state, PROJECT, PROJECT_POLICY, _bucket("b1"))
    [managed] = rec.managed
    drift = {d.attribute: d for d in managed.drifts}["storage_class"]
    assert drift.terraform == "STANDARD" and drift.live is ABSENT


def _bucket_fields(*fields: FieldRule) -> MappingTable:
    table = mapping_table()
    bucket = dataclasses.replace(table.resources["google_storage_bucket"], fields=fields)
    return dataclasses.replace(
        table,
        resources={**table.resources, "google_storage_bucket": bucket},
        by_asset_type={**table.by_asset_type, bucket.asset_type: bucket},
    )


def _rule(terraform: tuple[str | int, ...], live: tuple[str | int, ...], compare: bool = True):
    return FieldRule(terraform, (live,), normalise=None, default=ABSENT, compare=compare)


def _reconcile_with(table: MappingTable, terraform: Any, *records: dict[str, Any]):
    from plangate.inventory.decode import asset_from_dict
    from plangate.inventory.reconcile import reconcile

    assets = [asset_from_dict(r, f"test:{i}") for i, r in enumerate(records)]
    return reconcile(terraform, iter(assets), table)


def test_a_field_carried_only_for_policies_does_not_stop_the_comparison() -> None:
    """`compare: false` may come before compared fields in a table entry."""
    table = _bucket_fields(
        _rule(("labels",), ("labels",), compare=False), _rule(("storage_class",), ("storageClass",))
    )
    state = _state(("b.b1", "google_storage_bucket", {"name": "b1", "storage_class": "STANDARD"}))
    rec = _reconcile_with(
        table, state, PROJECT, PROJECT_POLICY, _bucket("b1", storageClass="COLDLINE")
    )
    [managed] = rec.managed
    assert [(d.attribute, d.terraform, d.live) for d in managed.drifts] == [
        ("storage_class", "STANDARD", "COLDLINE")
    ]


def test_a_field_whose_terraform_path_ends_in_an_index_fills_the_list_up_to_it() -> None:
    table = _bucket_fields(_rule(("tags", 1), ("tags", 1)))
    rec = _reconcile_with(table, _state(), PROJECT, PROJECT_POLICY, _bucket("b1", tags=["a", "b"]))
    assert [dict(r.values) for r in rec.live_resources] == [{"tags": [None, "b"]}]


# -- export files ---------------------------------------------------------------------------


def _records(path: Path) -> list[Any]:
    return list(ExportInventory(path).records())


def test_a_bad_element_of_an_array_is_shown_by_its_first_characters(tmp_path: Path) -> None:
    path = tmp_path / "assets.json"
    path.write_text('[{"name": "//storage.googleapis.com/b1" "asset_type": "x"}]')
    with pytest.raises(InputError) as caught:
        _records(path)
    assert str(caught.value) == (
        f"{path}[0]: not JSON (Expecting ',' delimiter at character 40; the record starts"
        ' \'{"name": "//storage.googleapis.c…\'); ' + export_module._EXPECTED
    )


def test_a_number_cut_by_a_chunk_boundary_is_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the whole number has too many digits; its first chunk alone would not."""
    monkeypatch.setattr(export_module, "CHUNK_SIZE", 8)
    path = tmp_path / "assets.json"
    path.write_text("[" + "1" * 5000 + "]")
    with pytest.raises(InputError) as caught:
        _records(path)
    assert str(caught.value) == (
        f"{path}[0]: a JSON number with too many digits; " + export_module._EXPECTED
    )


def test_a_record_with_a_format_version_but_no_plan_keys_is_judged_as_a_record(
    tmp_path: Path,
) -> None:
    """Only a document with Terraform's keys is sent to --plan/--state."""
    path = tmp_path / "assets.ndjson"
    path.write_text('{"format_version": "1.0"}\n')
    with pytest.raises(InputError) as caught:
        _records(path)
    assert str(caught.value) == (
        f'{path}:1: no full resource name (expected "name": "//SERVICE.googleapis.com/...")'
    )
