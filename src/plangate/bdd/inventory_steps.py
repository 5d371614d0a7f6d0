"""Steps on the live inventory: what runs in the project against what Terraform describes.

They read the session's one conformance run (`--cai-project` or `--cai-export`, see
plangate.pytest.session) in features tagged `@conformance`. Without an inventory every
scenario is skipped with the reason, never passed; an inventory that could not be read whole
errors the scenario before its first step. Failures name each asset (Terraform address or full
resource name) and what is wrong with it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NoReturn

import pytest
from pytest_bdd import given, parsers, then

from plangate.bdd.compare import StepTextError, show
from plangate.bdd.context import StepState
from plangate.bdd.select import quoted_values
from plangate.gcp.iam import BASIC_ROLES, is_public
from plangate.inventory.reconcile import Grant, Reconciliation
from plangate.policy import GateReport

NO_INVENTORY = "no inventory: pass --cai-project or --cai-export"
"""Why an inventory scenario is skipped: the session was given no inventory."""


@dataclass
class InventoryState(StepState):
    """One scenario on the session's inventory; `report` is None when no inventory was given."""

    report: GateReport | None

    def judged_label(self) -> str:
        rec = self.reconciliation()
        source = rec.source.description if rec.source else "Cloud Asset Inventory"
        states = ", ".join(self._relative(terraform.name) for terraform in rec.terraform)
        return f"inventory: {source}, against {states or 'no Terraform state'}"

    def policy_report(self) -> GateReport:
        if self.report is None:
            self.skip(NO_INVENTORY)
        return self.report

    def reconciliation(self) -> Reconciliation:
        rec: Reconciliation = self.policy_report().runs[0].inventory
        return rec

    def fail_each(self, summary: str, lines: list[str]) -> None:
        """Fail with every offending line, if there is any."""
        if lines:
            self.fail(summary, lines)


@pytest.fixture
def plangate_inventory(
    request: pytest.FixtureRequest, live_inventory: GateReport | None
) -> InventoryState:
    """The state of the running scenario on the session's inventory."""
    return InventoryState(config=request.config, node=request.node, report=live_inventory)


def _nothing_to_check(state: InventoryState, what: str) -> NoReturn:
    state.fail(f"the inventory lists {what}, so there is nothing to check")


@given(parsers.re(r"the live inventory"))
def the_live_inventory(plangate_inventory: InventoryState) -> None:
    """`Given the live inventory`: the session's inventory; skips the scenario without one."""
    plangate_inventory.reconciliation()


@then(parsers.re(r"every live resource(?: of type (?P<types>.+?))? is managed by Terraform"))
def every_live_resource_is_managed(plangate_inventory: InventoryState, types: str | None) -> None:
    """`Then every live resource of type "google_storage_bucket" is managed by Terraform`
    (`"a" or "b"` for several; without a type, every type the mapping table governs)."""
    state = plangate_inventory
    try:
        wanted = set(quoted_values(types)) if types is not None else None
    except StepTextError as error:
        raise state.failure(f"cannot read this step: {error}") from None
    rec = state.reconciliation()
    managed = [m for m in rec.managed if wanted is None or m.terraform_type in wanted]
    unmanaged = [u for u in rec.unmanaged if wanted is None or u.terraform_type in wanted]
    kind = "live resources" if wanted is None else f"live {' or '.join(sorted(wanted))} resources"
    total = len(managed) + len(unmanaged)
    if not total:
        _nothing_to_check(state, f"no {kind}")
    state.fail_each(
        f"{len(unmanaged)} of {total} {kind} are not managed by Terraform:",
        [
            f"{u.asset_name}{f' ({u.identity})' if u.identity else ''}: expected a "
            f"{u.terraform_type} in Terraform's state, actual in no state (made outside Terraform)"
            for u in unmanaged
        ],
    )


def _grant_lines(grants: Iterable[Grant]) -> list[str]:
    return [
        f"{grant.asset_name}: {grant.describe()} "
        + (f"(declared by {grant.address})" if grant.address else "(not declared in Terraform)")
        for grant in grants
    ]


@then(parsers.re(r"no live binding grants (?P<what>a basic role|a public principal)"))
def no_live_binding_grants(plangate_inventory: InventoryState, what: str) -> None:
    """`Then no live binding grants a basic role` (owner, editor, viewer) or `a public
    principal` (allUsers, allAuthenticatedUsers): every grant in force, Terraform's or not,
    except Google's own service agents'."""
    state = plangate_inventory
    grants = state.reconciliation().live_grants
    if not grants:
        _nothing_to_check(state, "no IAM binding")
    if what == "a basic role":
        offending = [grant for grant in grants if grant.role in BASIC_ROLES]
        expected = f"no basic role ({', '.join(BASIC_ROLES)})"
    else:
        offending = [grant for grant in grants if is_public(grant.member)]
        expected = "no public principal (allUsers, allAuthenticatedUsers)"
    state.fail_each(
        f"{len(offending)} of {len(grants)} IAM grants in force break it, expected {expected}:",
        _grant_lines(offending),
    )


@then(parsers.re(r"every resource in Terraform's state exists in the project"))
def every_state_resource_exists(plangate_inventory: InventoryState) -> None:
    """`Then every resource in Terraform's state exists in the project`; the resources the
    inventory cannot list are reported beside the result as not verifiable, never as found."""
    state = plangate_inventory
    rec = state.reconciliation()
    if rec.not_verifiable:
        state.node.add_report_section(
            "call",
            "not verifiable",
            "\n".join(f"{n.address}: {n.reason}" for n in rec.not_verifiable),
        )
    total = len(rec.managed) + len(rec.missing)
    if not total:
        _nothing_to_check(state, "nothing Terraform's state holds")
    state.fail_each(
        f"{len(rec.missing)} of {total} resources in Terraform's state are not in the project:",
        [
            f"{m.address}: expected the {m.asset_type} asset {m.expected}, actual not in the "
            "inventory (deleted outside Terraform?)"
            for m in rec.missing
        ],
    )


@then(parsers.re(r"no managed resource has drifted"))
def no_managed_resource_drifted(plangate_inventory: InventoryState) -> None:
    """`Then no managed resource has drifted`: every compared field holds Terraform's value."""
    state = plangate_inventory
    rec = state.reconciliation()
    if not rec.managed:
        _nothing_to_check(state, "no resource Terraform manages")
    state.fail_each(
        f"{len(rec.drifted)} of {len(rec.managed)} managed resources changed outside Terraform:",
        [
            f"{m.address}: {d.attribute}: expected {show(d.terraform)} (as Terraform recorded), "
            f"actual {show(d.live)} ({m.asset_name})"
            for m in rec.drifted
            for d in m.drifts
        ],
    )


@then(parsers.re(r"no IAM grant is in force that Terraform does not declare"))
def no_undeclared_grant(plangate_inventory: InventoryState) -> None:
    """`Then no IAM grant is in force that Terraform does not declare` (Google's service
    agents excepted)."""
    state = plangate_inventory
    rec = state.reconciliation()
    if not rec.live_grants:
        _nothing_to_check(state, "no IAM binding")
    state.fail_each(
        f"{len(rec.undeclared_grants)} IAM grants in force are declared nowhere in Terraform:",
        [
            f"{g.asset_name}: {g.describe()}: granted outside Terraform"
            for g in rec.undeclared_grants
        ],
    )


@then(parsers.re(r"every IAM grant Terraform declares is in force"))
def every_declared_grant_in_force(plangate_inventory: InventoryState) -> None:
    """`Then every IAM grant Terraform declares is in force`."""
    state = plangate_inventory
    rec = state.reconciliation()
    declared = sum(1 for grant in rec.live_grants if grant.address) + len(rec.missing_grants)
    if not declared:
        _nothing_to_check(state, "no IAM grant Terraform declares")
    state.fail_each(
        f"{len(rec.missing_grants)} of {declared} IAM grants Terraform declares are not in force:",
        [
            f"{g.address}: expected {g.describe()} on {g.asset_name}, actual not in force"
            for g in rec.missing_grants
        ],
    )


_PERCENT = r"(?P<percent>\d+(?:\.\d+)?)\s*%"


@then(parsers.re(r"the inventory covers at least " + _PERCENT + r" of the resources"))
def inventory_coverage(plangate_inventory: InventoryState, percent: str) -> None:
    """`Then the inventory covers at least 95% of the resources`: managed / (managed +
    unmanaged + missing) resources, IAM not counted."""
    state = plangate_inventory
    rec = state.reconciliation()
    coverage = rec.coverage
    if coverage is None:
        _nothing_to_check(state, "no resource of a type Terraform governs")
    wanted = float(percent) / 100
    if coverage < wanted:
        total = len(rec.managed) + len(rec.unmanaged) + len(rec.missing)
        state.fail(
            f"expected at least {wanted:.1%}, actual {coverage:.1%}: "
            f"{len(rec.managed)} of {total} resources match Terraform "
            f"({len(rec.unmanaged)} unmanaged, {len(rec.missing)} missing):",
            [f"{u.asset_name}: unmanaged" for u in rec.unmanaged]
            + [f"{m.address}: missing ({m.expected})" for m in rec.missing],
        )
