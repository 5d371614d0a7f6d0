"""Per-session state of the pytest gate: settings, plans, engine reports, the inventory run.

The plugin, the items, the step library and the evidence recorder all read the session
through these accessors. This module imports only plangate's core, never what reads it, so
nothing can import it back in a circle.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from plangate.conform import ConformOptions, run_conformance
from plangate.errors import PlanGateError
from plangate.gate import (
    DEFAULT_WAIVERS,
    GateOptions,
    configuration_for,
    plan_environment,
    run_gate,
)
from plangate.plan import LoadedPlan, load_plan
from plangate.policy import GateReport
from plangate.settings import Settings, read_settings

INVENTORY_ID = "inventory"
"""The test id of everything judged on the inventory: `PG-CAI-001[inventory]`."""
INVENTORY_PARAM = "inventory_id"
"""The parameter that gives inventory scenarios their `[inventory]` id."""

_SETTINGS = pytest.StashKey[Settings]()
_PLAN_PATHS = pytest.StashKey[tuple[Path, ...]]()
_LOADED = pytest.StashKey[dict[Path, LoadedPlan]]()
_REPORTS = pytest.StashKey[dict[Path, GateReport]]()
_OUTCOME = pytest.StashKey["GateReport | str"]()
_USAGE_ERRORS = pytest.StashKey[list[str]]()


def start_session(config: pytest.Config) -> None:
    """Read `[tool.plangate]` of the rootdir's pyproject.toml; a bad one is a usage error."""
    pyproject = config.rootpath / "pyproject.toml"
    try:
        settings = (
            read_settings(pyproject) if pyproject.is_file() else Settings(root=config.rootpath)
        )
    except PlanGateError as error:
        raise pytest.UsageError(str(error)) from None
    config.stash[_SETTINGS] = settings
    config.stash[_LOADED] = {}


def session_settings(config: pytest.Config) -> Settings:
    """The project settings this session runs with."""
    return config.stash[_SETTINGS]


def usage_error(config: pytest.Config, message: str) -> None:
    """Note a usage error found while collecting; it ends the session once collection is done.

    Raised inside a collector, a UsageError would become a collection error with a traceback
    and exit status 2; raised from pytest_collection_modifyitems it is the one-line usage
    error (exit status 4) it is meant to be.
    """
    config.stash.setdefault(_USAGE_ERRORS, []).append(message)


def usage_errors(config: pytest.Config) -> list[str]:
    return config.stash.get(_USAGE_ERRORS, [])


def plan_paths(config: pytest.Config) -> tuple[Path, ...]:
    """The plans this session gates: --plan if given (relative to the working directory, globs
    expanded), else the configured ones (relative to the project root)."""
    if _PLAN_PATHS not in config.stash:
        options: list[str] = config.getoption("--plan")
        settings = session_settings(config)
        try:
            # --plan as typed, from where pytest runs (globs expanded, as `plangate check`
            # does); the configured plans from the project root
            paths = settings.plan_paths(tuple(options) if options else None)
        except PlanGateError as error:
            usage_error(config, str(error))
            paths = ()
        config.stash[_PLAN_PATHS] = paths
    return config.stash[_PLAN_PATHS]


def plan_ids(paths: tuple[Path, ...]) -> list[str]:
    """Test ids from file names, widened with parent folders, one level at a time, only where
    ids still collide: `prod`, or `e1/prod/plan` beside `e2/prod/plan`."""
    parts = [(*path.parent.relative_to(path.anchor).parts, path.stem) for path in paths]
    depth = [1] * len(paths)

    def name(index: int) -> str:
        return "/".join(parts[index][-depth[index] :])

    while True:
        ids = [name(index) for index in range(len(paths))]
        widen = [
            index
            for index, found in enumerate(ids)
            if ids.count(found) > 1 and depth[index] < len(parts[index])
        ]
        if not widen:
            break
        for index in widen:
            depth[index] += 1
    # paths that differ only above what they share (or not at all) keep a counter
    return [
        found if ids.count(found) == 1 else f"{found}#{ids[: index + 1].count(found)}"
        for index, found in enumerate(ids)
    ]


def effective_waivers_path(config: pytest.Config, settings: Settings) -> Path:
    option = config.getoption("--waivers")
    if option:
        return Path(option).resolve()
    return (settings.root / settings.raw.get("waivers", DEFAULT_WAIVERS)).resolve()


def gate_options(config: pytest.Config) -> GateOptions:
    waivers = config.getoption("--waivers")
    return GateOptions(
        environment=config.getoption("--plan-env"),
        expect_no_changes=config.getoption("--expect-no-changes"),
        waivers_file=Path(waivers) if waivers else None,
        with_checkov=config.getoption("--with-checkov"),
    )


def loaded_plan_for(config: pytest.Config, path: Path) -> LoadedPlan:
    """Load each plan once per session; a bad plan fails every test that needs it."""
    cache = config.stash[_LOADED]
    if path not in cache:
        try:
            cache[path] = load_plan(path)
        except PlanGateError as error:
            problem = str(error)
        else:
            return cache[path]
        # failed outside the except block, so the report is the one line, not a chain of two
        pytest.fail(problem, pytrace=False)
    return cache[path]


def unusable_plans(config: pytest.Config) -> list[str]:
    """Load every gated plan and its configuration up front: a plan that cannot be read is
    bad input (one line, before any test runs), not a hundred failing tests."""
    settings = session_settings(config)
    options = gate_options(config)
    cache = config.stash[_LOADED]
    problems = []
    for path in plan_paths(config):
        try:
            loaded = cache.get(path) or load_plan(path)
            cache[path] = loaded
            configuration_for(settings, options, plan_environment(loaded, options.environment))
        except PlanGateError as error:
            problems.append(str(error))
    return problems


def report_for(config: pytest.Config, settings: Settings, path: Path) -> GateReport:
    """The engine's report on one plan, computed once per session."""
    reports = config.stash.setdefault(_REPORTS, {})
    if path not in reports:
        loaded = loaded_plan_for(config, path)
        try:
            reports[path] = run_gate(settings, gate_options(config), [loaded])
        except PlanGateError as error:
            problem = str(error)
        else:
            return reports[path]
        pytest.fail(problem, pytrace=False)  # outside the except block: one line, no chain
    return reports[path]


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
