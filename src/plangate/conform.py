"""Assemble a conformance run: Terraform's state against Cloud Asset Inventory.

The result is a GateReport like a plan gate's, so every report format, waivers and the
evidence report work unchanged: the reconciliation is judged by the conformance controls
(PG-CAI-*) and the live resources by the catalogue policies marked `judges_inventory`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from plangate.errors import InputError
from plangate.gate import (
    describe_catalogue,
    enabled_policies,
    load_project_catalogue,
    project_waivers,
)
from plangate.inventory.export import ExportInventory
from plangate.inventory.live_view import live_plan
from plangate.inventory.mapping import MappingTable, mapping_table
from plangate.inventory.reconcile import reconcile
from plangate.inventory.terraform import read_terraform
from plangate.memory import collector_paused
from plangate.policy import REGISTRY, SETTINGS, GateReport, Severity
from plangate.policy.engine import GateInput, evaluate
from plangate.settings import Settings

if TYPE_CHECKING:
    from plangate.inventory.live import LiveInventory


@dataclass(frozen=True, slots=True)
class ConformOptions:
    """What one `plangate conform` asks for; empty plans, states and source take the
    `[tool.plangate.conformance]` table (this repository's is the bundled demo)."""

    plans: tuple[str, ...] = ()
    states: tuple[str, ...] = ()
    scope: str | None = None
    inventory: Path | None = None
    environment: str | None = None
    waivers_file: Path | None = None
    fail_on: Severity = Severity.INFO
    progress: bool | None = None


def with_defaults(settings: Settings, options: ConformOptions) -> ConformOptions:
    """Fill what the command line left out from [tool.plangate.conformance]."""
    table = settings.raw.get("conformance", {})
    plans, states, inventory = options.plans, options.states, options.inventory
    if not plans and not states:
        plans = tuple(_paths(settings, table.get("plans", [])))
        states = tuple(_paths(settings, table.get("states", [])))
    if options.scope is None and inventory is None and "inventory" in table:
        inventory = _shown(settings.root / table["inventory"])
    if not plans and not states:
        raise InputError(
            "no Terraform state to compare: pass --plan PLAN or --state STATE "
            "(or set plans in [tool.plangate.conformance])"
        )
    if options.scope is None and inventory is None:
        raise InputError(
            "no inventory: pass --project ID, --folder ID, --organization ID or --inventory PATH"
        )
    return ConformOptions(
        plans=plans,
        states=states,
        scope=options.scope,
        inventory=inventory,
        environment=options.environment,
        waivers_file=options.waivers_file,
        fail_on=options.fail_on,
        progress=options.progress,
    )


def _reader(options: ConformOptions, table: MappingTable) -> ExportInventory | LiveInventory:
    if options.inventory is not None:
        return ExportInventory(options.inventory)
    # Imported here: Google's client, grpc and google-auth cost 0.3 s that an export run
    # never needs.
    from plangate.inventory.live import LiveInventory

    return LiveInventory(
        scope=options.scope or "", asset_types=table.asset_types(), progress=options.progress
    )


def _paths(settings: Settings, configured: str | list[str]) -> list[str]:
    items = [configured] if isinstance(configured, str) else configured
    return [str(_shown(settings.root / item)) for item in items]


def _shown(path: Path) -> Path:
    """Relative to the working directory when below it, as reports should name files."""
    return path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path


def run_conformance(settings: Settings, options: ConformOptions) -> GateReport:
    """Read Terraform, stream the inventory through the reconciliation, judge the result."""
    options = with_defaults(settings, options)
    load_project_catalogue(settings)
    waivers = project_waivers(settings, options.waivers_file)
    terraform = read_terraform(options.plans, options.states)
    table = mapping_table()
    reader = _reader(options, table)
    environment = options.environment or terraform.environment
    with collector_paused():
        reconciliation = replace(
            reconcile(terraform, reader.records(), table),
            source=reader.source,
            terraform=terraform.sources,
        )
        judged = GateInput(
            loaded=live_plan(reconciliation, table, reader.source, environment),
            environment=environment,
            settings=SETTINGS.resolve(settings.raw, environment),
            inventory=reconciliation,
        )
        only = [pid for pid in enabled_policies(settings) if REGISTRY.get(pid).judges_inventory]
        report = evaluate([judged], REGISTRY, waivers, fail_on=options.fail_on, only=only)
    return replace(report, root=settings.root, catalogue=describe_catalogue(settings))
