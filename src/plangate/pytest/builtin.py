"""The built-in catalogue as pytest items in any repository: `plangate.catalogue/storage.py::...`.

Installed, the catalogue lives in site-packages, which pytest never walks; so when a session
gates plans from the project root, its modules are collected after what was found on disk,
under one `plangate.catalogue` node. Where the project's own policies folder is the catalogue
(plangate's own repository), pytest collects it from disk like any folder, so not here.
A plugin of its own, registered by plangate.pytest.plugin: `-p no:plangate.pytest.builtin`
leaves the built-in items out (the engine still judges every enabled policy).
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from pathlib import Path

import pluggy
import pytest

from plangate.bdd.collect import features_dir
from plangate.gate import DEFAULT_POLICY_DIRS, builtin_catalogue
from plangate.pytest.policy_items import PolicyModule
from plangate.pytest.session import conformance_requested, plan_paths, session_settings
from plangate.settings import Settings

CATALOGUE_ID = "plangate.catalogue"
"""The node id of the built-in catalogue, and the prefix of its modules' ids."""


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(
    collector: pytest.Collector,
) -> Generator[None, pytest.CollectReport, pytest.CollectReport]:
    """Add the built-in catalogue to the session's top-level nodes, after the rootdir's."""
    report = yield
    if isinstance(collector, pytest.Session) and report.passed:
        builtin = builtin_collector(collector)
        if builtin is not None:
            report.result.append(builtin)
    return report


class BuiltinCatalogue(pytest.Directory):
    """The installed catalogue folder: one policy module per service."""

    @property
    def ihook(self) -> pluggy.HookRelay:
        """The rootdir's hooks, conftest.py included: these are the project's gate items."""
        return self.session.gethookproxy(self.config.rootpath)

    def collect(self) -> Iterator[PolicyModule]:
        for path in sorted(self.path.glob("*.py")):
            if not path.name.startswith("_"):
                yield PolicyModule.from_parent(
                    self, path=path, nodeid=f"{CATALOGUE_ID}/{path.name}"
                )


def builtin_collector(session: pytest.Session) -> BuiltinCatalogue | None:
    """The built-in catalogue's node, when this session should collect it."""
    config = session.config
    if not (plan_paths(config) or conformance_requested(config)):
        return None  # not gating: nothing to judge
    builtin = builtin_catalogue()
    if builtin in _own_policy_dirs(session_settings(config)) or not gates_project(config):
        return None
    return BuiltinCatalogue.from_parent(
        session, path=builtin, name=CATALOGUE_ID, nodeid=CATALOGUE_ID
    )


def _own_policy_dirs(settings: Settings) -> set[Path]:
    """The project's `policies` folders as configured, the built-in one included if named."""
    configured = settings.raw.get("policies", DEFAULT_POLICY_DIRS)
    folders = [configured] if isinstance(configured, str) else configured
    return {(settings.root / folder).resolve() for folder in folders}


def gates_project(config: pytest.Config) -> bool:
    """Whether the session gates the project rather than running a few chosen tests: pytest
    walks the rootdir (no arguments there, or `testpaths`), or an argument holds the rootdir,
    one of the project's policies folders or the features folder. Items that pytest does not
    find on disk (the built-in catalogue, checkov's checks) are added only then, so they run
    exactly when the project's own policies do. With no arguments in a subfolder pytest walks
    only that subfolder (ArgsSource.INVOCATION_DIR, `config.args` is the folder): judged as an
    argument."""
    if config.args_source is pytest.Config.ArgsSource.TESTPATHS:
        return True
    wanted = {
        config.rootpath.resolve(),
        *_own_policy_dirs(session_settings(config)),
        features_dir(config),
    }
    for arg in config.args:
        path = (config.invocation_params.dir / arg.split("::")[0]).resolve()
        if any(target.is_relative_to(path) for target in wanted):
            return True
    return False
