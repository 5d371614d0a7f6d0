"""The pytest gate: `--plan` and `[tool.plangate] plans` decide which plans every check runs on."""

from __future__ import annotations

from pathlib import Path

import pytest

from plangate.errors import PlanGateError
from plangate.plan import LoadedPlan, Plan, load_plan
from plangate.settings import Settings, read_settings

_SETTINGS = pytest.StashKey[Settings]()
_PLAN_PATHS = pytest.StashKey[tuple[Path, ...]]()
_LOADED = pytest.StashKey[dict[Path, LoadedPlan]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("plangate", "Terraform plan gate")
    group.addoption(
        "--plan",
        action="append",
        default=[],
        metavar="PATH",
        help="plan JSON (terraform show -json) to gate; repeatable; overrides [tool.plangate] plans",
    )


def pytest_configure(config: pytest.Config) -> None:
    pyproject = config.rootpath / "pyproject.toml"
    try:
        settings = read_settings(pyproject) if pyproject.is_file() else Settings(root=config.rootpath)
    except PlanGateError as error:
        raise pytest.UsageError(str(error)) from None
    config.stash[_SETTINGS] = settings
    config.stash[_LOADED] = {}


def plan_paths(config: pytest.Config) -> tuple[Path, ...]:
    """The plans this session gates: --plan if given, else the configured ones."""
    if _PLAN_PATHS not in config.stash:
        options: list[str] = config.getoption("--plan")
        settings = config.stash[_SETTINGS]
        try:
            if options:
                paths = tuple(Path(option) for option in options)
            else:
                paths = settings.plan_paths()
        except PlanGateError as error:
            raise pytest.UsageError(str(error)) from None
        config.stash[_PLAN_PATHS] = paths
    return config.stash[_PLAN_PATHS]


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
            pytest.fail(str(error), pytrace=False)
    return cache[path]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "loaded_plan" not in metafunc.fixturenames:
        return
    paths = plan_paths(metafunc.config)
    if not paths:
        raise pytest.UsageError(
            f"{metafunc.definition.nodeid} needs a plan: pass --plan PATH or set plans in [tool.plangate]"
        )
    metafunc.parametrize("plan_path", paths, ids=plan_ids(paths), scope="session")


@pytest.fixture(scope="session")
def loaded_plan(request: pytest.FixtureRequest, plan_path: Path) -> LoadedPlan:
    """The plan under test with its source (name, sha256) and loader notes."""
    return loaded_plan_for(request.config, plan_path)


@pytest.fixture(scope="session")
def plan(loaded_plan: LoadedPlan) -> Plan:
    """The plan under test, once per configured plan."""
    return loaded_plan.plan
