"""The live inventory as a plan, so the catalogue's policies judge live resources unchanged.

Each live resource becomes a no-op resource change whose values are the live ones in
Terraform's attribute names (from the mapping table), and each live IAM grant becomes an
`*_iam_member`. A resource Terraform manages keeps its Terraform address, so the waivers
written for it apply; an unmanaged one is addressed by its full resource name.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from plangate.inventory.mapping import PROJECT_ASSET_TYPE, MappingTable
from plangate.inventory.model import InventorySource
from plangate.inventory.reconcile import Grant, Reconciliation
from plangate.plan import LoadedPlan, Plan, PlanSource, to_plain

PROVIDER = "live-inventory/google"
"""Provider name of the synthetic changes; no policy of the live set reads it."""


def live_plan(
    reconciliation: Reconciliation,
    table: MappingTable,
    source: InventorySource,
    environment: str | None,
) -> LoadedPlan:
    """A zero-change plan whose resources are the live ones."""
    changes = [
        _change(resource.address, resource.terraform_type, to_plain(resource.values))
        for resource in reconciliation.live_resources
    ]
    asset_types = {r.asset_name: r.terraform_type for r in reconciliation.live_resources}
    changes.extend(
        change
        for grant in reconciliation.live_grants
        if (change := _grant_change(grant, table, asset_types)) is not None
    )
    document = {
        "format_version": "1.2",
        "variables": {"environment": {"value": environment}} if environment else {},
        "resource_changes": changes,
    }
    digest = hashlib.sha256("\n".join(sorted(f for _, f in source.files)).encode()).hexdigest()
    return LoadedPlan(
        plan=Plan.from_dict(document),
        source=PlanSource(name=f"inventory: {source.description}", sha256=digest, size=0),
        notes=(),
    )


def _change(address: str, terraform_type: str, values: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "address": address,
        "mode": "managed",
        "type": terraform_type,
        "name": address.rsplit(".", 1)[-1],
        "provider_name": PROVIDER,
        "change": {"actions": ["no-op"], "before": values, "after": values},
    }


def _grant_change(
    grant: Grant, table: MappingTable, asset_types: Mapping[str, str]
) -> dict[str, Any] | None:
    target_type = (
        PROJECT_ASSET_TYPE
        if grant.asset_name.startswith("//cloudresourcemanager.googleapis.com/projects/")
        else _asset_type(asset_types.get(grant.asset_name), table)
    )
    member_type = table.member_type_for(target_type) if target_type else None
    if member_type is None:
        return None
    address = grant.address or f"{grant.asset_name} {grant.role} {grant.member}"
    values = {"role": grant.role, "member": grant.member, "resource": grant.asset_name}
    return _change(address, member_type, values)


def _asset_type(terraform_type: str | None, table: MappingTable) -> str | None:
    mapping = table.resources.get(terraform_type or "")
    return mapping.asset_type if mapping else None
