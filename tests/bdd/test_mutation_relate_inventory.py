"""Membership among a selection's values, provider and containment edges, and the inventory
steps' own messages, pinned where mutation testing of plangate.bdd left them loose.

Membership must agree with `is VALUE` on what counts as equal (large integers included), and
its predicate must read as the step that made it. The inventory steps are run here in-process,
on the repository's prod plan and bundled export, because the feature tests that cover them
run pytest in a subprocess, out of reach of a mutated module: these pin the line under each
failure that says what was judged, the offender lines, the "nothing to check" refusal and the
skip without an inventory.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from plangate.bdd.compare import Verdict, contains
from plangate.bdd.inventory_steps import InventoryState, _grant_lines
from plangate.bdd.relate import ValuePool, _canonical_key, membership_predicate, value_pool
from plangate.bdd.select import selection
from plangate.inventory.reconcile import Grant, Reconciliation
from plangate.plan import Plan, load_plan
from plangate.plan.load import PlanSource
from plangate.plan.values import parse_path
from tests.bdd.conftest import Project
from tests.bdd.test_relations import expect
from tests.conformance_runs import EXPORT, NO_INVENTORY, PLAN
from tests.fixtures.builder import PlanBuilder

pytest_plugins = ["pytester"]

PASS, FAIL = Verdict.PASS, Verdict.FAIL
ACCOUNTS = 'the "email" values of resources of type "google_service_account"'


def _plan(tmp_path: Path, builder: PlanBuilder) -> Plan:
    return load_plan(builder.write(tmp_path / "plan.json")).plan


def _accounts(tmp_path: Path) -> Plan:
    return _plan(
        tmp_path,
        PlanBuilder()
        .resource("google_service_account.run", action="create", after={"email": "run@p.io"})
        .resource("google_service_account.ci", action="create", after={"email": "ci@p.io"}),
    )


# --- containment ----------------------------------------------------------------------------


def test_an_object_never_contains_a_list_even_one_holding_objects():
    """`their "labels" contains [{"a": 1}]` fails; looking the list up among the keys would
    crash on an unhashable value instead of answering."""
    assert contains({"a": "1"}, ({"a": "1"},)) is FAIL
    assert contains({"a": "1"}, "a") is PASS


# --- membership ------------------------------------------------------------------------------


def test_a_membership_predicate_reads_as_its_step_with_spaces_collapsed(tmp_path):
    """The predicate keeps the step's own words, as every other predicate does."""
    plan = _accounts(tmp_path)
    among = membership_predicate(plan, f"is  one of\t{ACCOUNTS}")
    assert among is not None
    assert among.text == f"is one of {ACCOUNTS}"
    assert among.expected == f'one of {ACCOUNTS} (2 value(s): "run@p.io", "ci@p.io")'
    outside = membership_predicate(plan, f"is not one of  {ACCOUNTS}")
    assert outside is not None
    assert outside.text == f"is not one of {ACCOUNTS}"
    assert (outside.test("run@p.io"), outside.test("x@p.io")) == (FAIL, PASS)


def test_membership_in_a_selection_without_values_fails_every_value(tmp_path):
    """An empty pool is a mistake in the step (a wrong type or attribute): it never passes."""
    plan = _accounts(tmp_path)
    nothing = 'the "email" values of resources of type "google_nothing"'
    predicate = membership_predicate(plan, f"is  one of {nothing}")
    assert predicate is not None
    assert predicate.text == f"is one of {nothing}"
    assert predicate.expected == (
        f"one of {nothing}, but that selection has no values after apply (check the type and "
        "attribute names)"
    )
    assert [predicate.test(value) for value in ("run@p.io", None, 1)] == [FAIL, FAIL, FAIL]


def test_a_pool_of_known_values_says_nothing_is_unknown_or_sensitive(tmp_path):
    pool = value_pool(
        _accounts(tmp_path),
        "resources",
        ' of type "google_service_account"',
        parse_path("email"),
    )
    assert pool == ValuePool(
        keys=frozenset({_canonical_key("run@p.io"), _canonical_key("ci@p.io")}),
        shown=("run@p.io", "ci@p.io"),
        marked=(),
        has_unknown=False,
        has_sensitive=False,
    )


def test_membership_tells_large_integers_apart_as_equality_does(tmp_path):
    """Terraform numbers are exact: 2**53 + 1 is not 2**53 for `is`, nor for `is one of`.
    Keyed as floats, the two met, so membership passed a value `is` refuses."""
    big = 2**53
    plan = _plan(
        tmp_path,
        PlanBuilder()
        .resource("google_project.a", action="create", after={"number": big})
        .resource("google_project.b", action="create", after={"number": big + 2}),
    )
    predicate = membership_predicate(
        plan, 'is one of the "number" values of resources of type "google_project"'
    )
    assert predicate is not None
    assert predicate.expected.endswith(f"(2 value(s): {big}, {big + 2})")
    assert [predicate.test(n) for n in (big, float(big), big + 1, big + 2)] == [
        PASS,
        PASS,
        FAIL,
        PASS,
    ]


# --- selection -------------------------------------------------------------------------------


def test_a_bare_legacy_provider_name_is_its_provider(tmp_path):
    """Terraform 0.12 wrote `google` without a source; an unaliased name is the provider."""
    document = (
        PlanBuilder()
        .resource("google_storage_bucket.ga", action="create", after={"location": "EU"})
        .resource("google_storage_bucket.beta", action="create", after={"location": "EU"})
        .build()
    )
    document["resource_changes"][0]["provider_name"] = "google"
    document["resource_changes"][1]["provider_name"] = "google-beta"
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(document))
    plan = load_plan(path).plan
    _, test = selection("resources", ' from provider "google"')
    assert [c.address for c in plan.resource_changes if test(c)] == ["google_storage_bucket.ga"]


# --- the inventory steps, in-process ---------------------------------------------------------

INVENTORY_FEATURE = """
    @conformance
    Feature: Inventory edges

      Scenario: Buckets
        Given the live inventory
        Then every live resource of type "google_storage_bucket" is managed by Terraform

      Scenario: Public
        Given the live inventory
        Then no live binding grants a public principal

      Scenario: Nothing
        Given the live inventory
        Then every live resource of type "google_nothing" is managed by Terraform
"""
ADHOC = "//storage.googleapis.com/ct-scan-mlops-prod-adhoc-exports"


@pytest.fixture
def inventory_project(project: Project) -> Project:
    """The prod plan beside a feature of inventory steps; run it with or without the export."""
    shutil.copy(PLAN, project.root / "plans" / "prod.json")
    project.feature(INVENTORY_FEATURE)
    return project


def test_inventory_failures_say_what_was_judged_and_list_each_offender(
    inventory_project: Project,
) -> None:
    result = inventory_project.run(f"--cai-export={EXPORT}")
    result.assert_outcomes(failed=3)
    judged = f"  inventory: Cloud Asset Inventory export {EXPORT}, against plans/prod.json"
    expect(
        result,
        'features/controls.feature:6: Then every live resource of type "google_storage_bucket" '
        "is managed by Terraform",
        judged,
        "  1 of 5 live google_storage_bucket resources are not managed by Terraform:",
        f"    {ADHOC}: expected a google_storage_bucket in Terraform's state, actual in no state "
        "(made outside Terraform)",
    )
    expect(
        result,
        "features/controls.feature:10: Then no live binding grants a public principal",
        judged,
        "  1 of 21 IAM grants in force break it, expected no public principal (allUsers, "
        "allAuthenticatedUsers):",
        f"    {ADHOC}: roles/storage.objectViewer to allUsers (not declared in Terraform)",
    )
    expect(
        result,
        'features/controls.feature:14: Then every live resource of type "google_nothing" is '
        "managed by Terraform",
        judged,
        "  the inventory lists no live google_nothing resources, so there is nothing to check",
    )


def test_without_an_inventory_each_scenario_is_skipped_at_its_first_step(
    inventory_project: Project,
) -> None:
    result = inventory_project.run("-rs")
    result.assert_outcomes(skipped=3)
    expect(
        result,
        f"SKIPPED [1] features/controls.feature:4: line 5, Given the live inventory: {NO_INVENTORY}",
    )


def _state(request: pytest.FixtureRequest, rec: Reconciliation) -> InventoryState:
    report: Any = SimpleNamespace(runs=(SimpleNamespace(inventory=rec),))
    return InventoryState(config=request.config, node=request.node, report=report)


def test_an_inventory_with_no_source_or_state_is_named_plainly(
    request: pytest.FixtureRequest,
) -> None:
    """Before the stream ends the source is unknown, and a run may compare no state at all."""
    empty = Reconciliation((), (), (), (), (), (), (), (), 0, 0)
    assert _state(request, empty).judged_label() == (
        "inventory: Cloud Asset Inventory, against no Terraform state"
    )


def test_every_state_compared_is_named_in_the_judged_line(
    request: pytest.FixtureRequest,
) -> None:
    """A conformance run over several plans names each, relative to the rootdir."""
    root = request.config.rootpath
    states = (PlanSource(str(root / "a.json"), "0", 1), PlanSource("/elsewhere/b.json", "0", 1))
    rec = Reconciliation((), (), (), (), (), (), (), (), 0, 0, terraform=states)
    assert _state(request, rec).judged_label() == (
        "inventory: Cloud Asset Inventory, against a.json, /elsewhere/b.json"
    )


def test_nothing_offending_is_no_failure(request: pytest.FixtureRequest) -> None:
    empty = Reconciliation((), (), (), (), (), (), (), (), 0, 0)
    assert _state(request, empty).fail_each("never shown:", []) is None


def test_a_grant_line_names_the_declaring_resource_or_says_there_is_none():
    grants = [
        Grant("//a", "roles/viewer", "user:x@p.io", address="google_project_iam_member.x"),
        Grant("//b", "roles/owner", "allUsers", condition="request.time < t"),
    ]
    assert _grant_lines(grants) == [
        "//a: roles/viewer to user:x@p.io (declared by google_project_iam_member.x)",
        "//b: roles/owner to allUsers when request.time < t (not declared in Terraform)",
    ]
