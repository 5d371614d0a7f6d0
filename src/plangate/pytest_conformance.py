"""Conformance in pytest: Terraform's state against Cloud Asset Inventory, once per session.

`--cai-project ID` lists the project live (CLOUD_ASSET_EMULATOR_HOST points it at a local
server); `--cai-export PATH` reads an export. Either one adds an item per conformance result,
named like `PG-CAI-001[inventory]` and marked `conformance`, beside the plan items of the same
policy, and lets the `@conformance` features run. An inventory that cannot be read whole makes
every one of them an error with the one-line reason: a partial inventory never passes.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from plangate.conform import ConformOptions, run_conformance
from plangate.errors import PlanGateError
from plangate.policy import GateReport, PolicySpec
from plangate.pytest_gate import ResultItem, gate_options

INVENTORY_ID = "inventory"
"""The test id of everything judged on the inventory: `PG-CAI-001[inventory]`."""
INVENTORY_PARAM = "inventory_id"
"""The parameter that gives inventory scenarios their `[inventory]` id."""

_OUTCOME = pytest.StashKey["GateReport | str"]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("plangate", "Terraform plan gate")
    group.addoption(
        "--cai-project",
        default=None,
        metavar="ID",
        help="check Terraform's state against the project's live Cloud Asset Inventory",
    )
    group.addoption(
        "--cai-export",
        default=None,
        metavar="PATH",
        help="check Terraform's state against a Cloud Asset Inventory export",
    )
    for option, what in (("--cai-plan", "plan JSON"), ("--cai-state", "state JSON")):
        group.addoption(
            option,
            action="append",
            default=[],
            metavar="PATH",
            help=f"{what} whose state the inventory is checked against; repeatable (default: "
            "[tool.plangate.conformance], else the gated plans)",
        )


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--cai-project") and config.getoption("--cai-export"):
        raise pytest.UsageError("--cai-project and --cai-export are alternatives: pass one")
    if not conformance_requested(config) and (
        config.getoption("--cai-plan") or config.getoption("--cai-state")
    ):
        raise pytest.UsageError(
            "--cai-plan and --cai-state need an inventory: pass --cai-project or --cai-export"
        )


def pytest_report_header(config: pytest.Config) -> str:
    """Say what the inventory is, or that conformance is not checked at all."""
    if conformance_requested(config):
        return f"conformance: {requested_inventory(config)}"
    return "conformance: not run (pass --cai-project or --cai-export)"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if INVENTORY_PARAM in metafunc.fixturenames:
        metafunc.parametrize(INVENTORY_PARAM, [INVENTORY_ID], ids=[INVENTORY_ID], scope="session")


@pytest.fixture(scope="session")
def live_inventory(request: pytest.FixtureRequest, inventory_id: str) -> GateReport | None:
    """The session's conformance run, None without an inventory; one that cannot be read
    errors the test at setup."""
    return conformance_report(request.config) if conformance_requested(request.config) else None


def conformance_requested(config: pytest.Config) -> bool:
    return bool(config.getoption("--cai-project") or config.getoption("--cai-export"))


def requested_inventory(config: pytest.Config) -> str:
    """The inventory the command line asks for, in the words its source will use."""
    project = config.getoption("--cai-project")
    if project:
        return f"Cloud Asset Inventory ListAssets, projects/{project}"
    return f"Cloud Asset Inventory export {config.getoption('--cai-export')}"


def conformance_options(config: pytest.Config) -> ConformOptions:
    """The command line as ConformOptions; plans default to the configured table's, then to
    the gated plans."""
    from plangate.pytest_plugin import plan_paths, session_settings

    plans: tuple[str, ...] = tuple(config.getoption("--cai-plan"))
    states: tuple[str, ...] = tuple(config.getoption("--cai-state"))
    table = session_settings(config).raw.get("conformance", {})
    if not plans and not states and not (table.get("plans") or table.get("states")):
        plans = tuple(str(path) for path in plan_paths(config))
    project, export = config.getoption("--cai-project"), config.getoption("--cai-export")
    gate = gate_options(config)
    return ConformOptions(
        plans=plans,
        states=states,
        scope=f"projects/{project}" if project else None,
        inventory=Path(export) if export else None,
        environment=gate.environment,
        waivers_file=gate.waivers_file,
    )


def conformance_outcome(config: pytest.Config) -> GateReport | str:
    """The session's one conformance run, or the one line that says why it could not run."""
    from plangate.pytest_plugin import session_settings

    if _OUTCOME not in config.stash:
        try:
            outcome: GateReport | str = run_conformance(
                session_settings(config), conformance_options(config)
            )
        except PlanGateError as error:
            outcome = " ".join(str(error).split())
        config.stash[_OUTCOME] = outcome
    return config.stash[_OUTCOME]


def conformance_report(config: pytest.Config) -> GateReport:
    """The session's conformance report; a run that failed fails the caller with its reason."""
    outcome = conformance_outcome(config)
    if isinstance(outcome, str):
        pytest.fail(outcome, pytrace=False)
    return outcome


def conformance_reports(config: pytest.Config) -> list[GateReport]:
    """The conformance report if the session has one that ran, for waiver bookkeeping."""
    if not conformance_requested(config):
        return []
    outcome = conformance_outcome(config)
    return [] if isinstance(outcome, str) else [outcome]


def conformance_items(parent: pytest.Collector, spec: PolicySpec) -> Iterator[ConformanceItem]:
    """The inventory item of a policy that judges live resources, when the session has one."""
    if spec.judges_inventory and conformance_requested(parent.config):
        item = ConformanceItem.from_parent(parent, name=f"{spec.id}[{INVENTORY_ID}]", spec=spec)
        item.add_marker(spec.severity.value)
        item.add_marker("conformance")
        yield item


class ConformanceItem(ResultItem):
    """One policy judged on the live resources and the reconciliation."""

    def setup(self) -> None:
        conformance_report(self.config)  # an unreadable inventory errors here, never passes

    def judged(self) -> GateReport:
        return conformance_report(self.config)
