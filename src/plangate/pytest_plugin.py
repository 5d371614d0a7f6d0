"""The pytest gate: `--plan` and `[tool.plangate] plans` decide which plans every check runs on."""

from __future__ import annotations

from pathlib import Path

import pytest

from plangate.errors import PlanGateError
from plangate.evidence.recorder import EvidenceRecorder
from plangate.gate import DEFAULT_WAIVERS, configuration_for, plan_environment
from plangate.plan import LoadedPlan, Plan, load_plan
from plangate.policy import Severity
from plangate.pytest_gate import (
    PolicyItem,
    PolicyModule,
    WaiverFile,
    WaiverItem,
    gate_options,
    is_catalogue_file,
)
from plangate.settings import Settings, read_settings

# The pytest-bdd step library and `*.feature` collection (features directory: [tool.plangate]
# features, default "features"), see plangate.bdd.plugin; the --cai-* conformance options, see
# plangate.pytest_conformance.
pytest_plugins = ["plangate.bdd.plugin", "plangate.pytest_conformance"]

_SETTINGS = pytest.StashKey[Settings]()
_PLAN_PATHS = pytest.StashKey[tuple[Path, ...]]()
_LOADED = pytest.StashKey[dict[Path, LoadedPlan]]()
_USAGE_ERRORS = pytest.StashKey[list[str]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("plangate", "Terraform plan gate")
    group.addoption(
        "--plan",
        action="append",
        default=[],
        metavar="PATH",
        help="plan JSON (terraform show -json) to gate; repeatable; overrides [tool.plangate] plans",
    )
    group.addoption(
        "--plan-env", default=None, metavar="NAME", help="judge every plan as this environment"
    )
    group.addoption(
        "--expect-no-changes",
        action="store_true",
        default=False,
        help="zero-change mode: any change, import, move, output change or drift fails",
    )
    group.addoption(
        "--waivers", default=None, metavar="FILE", help="waivers file instead of the configured one"
    )
    group.addoption(
        "--evidence",
        default=None,
        metavar="PATH",
        help="write the auditors' evidence report to PATH (HTML), with .md and .json twins beside it",
    )


def pytest_configure(config: pytest.Config) -> None:
    pyproject = config.rootpath / "pyproject.toml"
    try:
        settings = (
            read_settings(pyproject) if pyproject.is_file() else Settings(root=config.rootpath)
        )
    except PlanGateError as error:
        raise pytest.UsageError(str(error)) from None
    config.stash[_SETTINGS] = settings
    evidence = config.getoption("--evidence")
    if evidence:
        config.pluginmanager.register(
            EvidenceRecorder(config, Path(evidence).resolve()), "plangate-evidence"
        )
    config.stash[_LOADED] = {}
    for severity in Severity:
        config.addinivalue_line(
            "markers", f"{severity.value}: a plangate policy of {severity.value} severity"
        )
    config.addinivalue_line("markers", "policy: a plangate catalogue policy judged on a plan")
    config.addinivalue_line("markers", "conformance: a check of live inventory against Terraform")


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    """Policy modules and the waivers file of the catalogue become gate items."""
    config = parent.config
    settings = config.stash[_SETTINGS]
    try:
        if is_catalogue_file(settings, file_path):
            collector: PolicyModule | WaiverFile = PolicyModule.from_parent(parent, path=file_path)
        elif file_path.resolve() == effective_waivers_path(config, settings):
            collector = WaiverFile.from_parent(parent, path=file_path)
        else:
            return None
        paths = plan_paths(config)
    except PlanGateError as error:
        usage_error(config, str(error))
        return None
    collector.settings = settings
    collector.plans = paths
    collector.plan_ids = plan_ids(paths)
    return collector


def usage_error(config: pytest.Config, message: str) -> None:
    """Note a usage error found while collecting; it ends the session once collection is done.

    Raised inside a collector, a UsageError would become a collection error with a traceback
    and exit status 2; raised from pytest_collection_modifyitems it is the one-line usage
    error (exit status 4) it is meant to be.
    """
    config.stash.setdefault(_USAGE_ERRORS, []).append(message)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    errors = config.stash.get(_USAGE_ERRORS, [])
    if not errors and any(_needs_plans(item) for item in items):
        errors = _unusable_plans(config)
    if errors:
        raise pytest.UsageError(errors[0])


def _needs_plans(item: pytest.Item) -> bool:
    return isinstance(item, PolicyItem | WaiverItem) or "loaded_plan" in getattr(
        item, "fixturenames", ()
    )


def _unusable_plans(config: pytest.Config) -> list[str]:
    """Load every gated plan and its configuration up front: a plan that cannot be read is
    bad input (one line, before any test runs), not a hundred failing tests."""
    settings = session_settings(config)
    options = gate_options(config)
    problems = []
    for path in plan_paths(config):
        try:
            loaded = config.stash[_LOADED].get(path) or load_plan(path)
            config.stash[_LOADED][path] = loaded
            configuration_for(settings, options, plan_environment(loaded, options.environment))
        except PlanGateError as error:
            problems.append(str(error))
    return problems


def pytest_report_header(config: pytest.Config) -> list[str]:
    """Name the plans this session gates, so a CI log says what was checked."""
    paths = plan_paths(config)
    return [f"plangate: gating {len(paths)} plan(s): {', '.join(plan_ids(paths))}"] if paths else []


def session_settings(config: pytest.Config) -> Settings:
    """The project settings this session runs with."""
    return config.stash[_SETTINGS]


def plan_paths(config: pytest.Config) -> tuple[Path, ...]:
    """The plans this session gates: --plan if given, else the configured ones."""
    if _PLAN_PATHS not in config.stash:
        options: list[str] = config.getoption("--plan")
        settings = config.stash[_SETTINGS]
        try:
            paths = tuple(Path(option) for option in options) if options else settings.plan_paths()
        except PlanGateError as error:
            usage_error(config, str(error))
            paths = ()
        config.stash[_PLAN_PATHS] = paths
    return config.stash[_PLAN_PATHS]


def effective_waivers_path(config: pytest.Config, settings: Settings) -> Path:
    option = config.getoption("--waivers")
    if option:
        return Path(option).resolve()
    return (settings.root / settings.raw.get("waivers", DEFAULT_WAIVERS)).resolve()


def plan_ids(paths: tuple[Path, ...]) -> list[str]:
    """Test ids from file names, widened with the parent folder where names collide."""
    stems = [path.stem for path in paths]
    return [
        f"{path.parent.name}/{path.stem}" if stems.count(path.stem) > 1 else path.stem
        for path in paths
    ]


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


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "loaded_plan" not in metafunc.fixturenames:
        return
    paths = plan_paths(metafunc.config)
    if not paths:
        usage_error(
            metafunc.config,
            f"{metafunc.definition.nodeid} needs a plan: pass --plan PATH or set plans in [tool.plangate]",
        )
        return
    metafunc.parametrize("plan_path", paths, ids=plan_ids(paths), scope="session")


@pytest.fixture(scope="session")
def loaded_plan(request: pytest.FixtureRequest, plan_path: Path) -> LoadedPlan:
    """The plan under test with its source (name, sha256) and loader notes."""
    return loaded_plan_for(request.config, plan_path)


@pytest.fixture(scope="session")
def plan(loaded_plan: LoadedPlan) -> Plan:
    """The plan under test, once per configured plan."""
    return loaded_plan.plan
