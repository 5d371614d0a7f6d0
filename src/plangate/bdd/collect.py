"""Collect `*.feature` files of the configured features directory as pytest tests.

No test module calls `scenarios()`: each feature file becomes a module-like collector whose
scenarios are bound with pytest-bdd's public `scenario()` and request `loaded_plan`, so the
plan parametrisation of the gate applies (`test_buckets_are_versioned[prod]`); a feature
tagged `@conformance` requests the session's inventory instead (`test_x[inventory]`). Tags
found in the file are registered as markers first, so `--strict-markers` accepts them. Two
scenarios with one name would silently collapse into one test in pytest-bdd; here they are
an error.
"""

from __future__ import annotations

import re
import types
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd import scenario
from pytest_bdd.exceptions import GherkinParseError
from pytest_bdd.feature import get_feature
from pytest_bdd.gherkin_parser import get_gherkin_document

from plangate.pytest.session import session_settings
from plangate.pytest.tc_files import is_tc_feature

DEFAULT_FEATURES = "features"
INVENTORY_TAG = "conformance"
"""A feature tagged so is judged once on the session's inventory, not once per plan."""
_REGISTERED = pytest.StashKey[set[str]]()


def features_dir(config: pytest.Config) -> Path:
    """`[tool.plangate] features` (type checked by read_settings), relative to the project root."""
    settings = session_settings(config)
    return (settings.root / settings.raw.get("features", DEFAULT_FEATURES)).resolve()


def is_feature_file(config: pytest.Config, file_path: Path) -> bool:
    """A `*.feature` of the features directory, unless it is terraform-compliance's dialect
    (tagged `@terraform-compliance` or under `tc_features`): the tc engine collects those."""
    if file_path.suffix != ".feature":
        return False
    if not file_path.resolve().is_relative_to(features_dir(config)):
        return False
    return not is_tc_feature(config, file_path)


def _python_name(name: str, taken: set[str]) -> str:
    base = "test_" + (re.sub(r"\W+", "_", name).strip("_").lower() or "scenario")
    candidate, number = base, 1
    while candidate in taken:
        candidate, number = f"{base}_{number}", number + 1
    taken.add(candidate)
    return candidate


def _anchor(path: Path, line: int) -> types.FunctionType:
    """A function whose code points at the scenario, so reports locate the test in the feature."""

    def scenario_location() -> None:  # pragma: no cover - never called
        return None

    code = scenario_location.__code__.replace(co_filename=str(path), co_firstlineno=max(line, 1))
    return types.FunctionType(code, {})


def _scenario_tags(path: Path) -> tuple[set[str], dict[str, list[int]]]:
    """Every tag of the file, and the lines of each scenario name (to find duplicates)."""
    document = get_gherkin_document(str(path))
    tags: set[str] = {tag.name.lstrip("@") for tag in document.feature.tags}
    lines: dict[str, list[int]] = {}
    pending = list(document.feature.children)
    while pending:
        child = pending.pop(0)
        if child.rule is not None:
            tags.update(tag.name.lstrip("@") for tag in child.rule.tags)
            pending.extend(child.rule.children)
        if child.scenario is not None:
            found = child.scenario
            lines.setdefault(found.name, []).append(found.location.line)
            tags.update(tag.name.lstrip("@") for tag in found.tags)
            for examples in found.examples:
                tags.update(tag.name.lstrip("@") for tag in examples.tags)
    return tags, lines


def register_tags(config: pytest.Config, tags: set[str]) -> None:
    """Make each tag a known marker (once per session) so `--strict-markers` accepts it."""
    done = config.stash.setdefault(_REGISTERED, set())
    known = {line.split(":", 1)[0].split("(", 1)[0].strip() for line in config.getini("markers")}
    for tag in sorted(tags - done - known):
        config.addinivalue_line("markers", f"{tag}: tag from a feature file")
    done.update(tags)


def _on_plan(loaded_plan: Any) -> None:
    """The steps do the work; requesting `loaded_plan` parametrises by plan."""


def _on_inventory(live_inventory: Any) -> None:
    """The steps do the work; requesting `live_inventory` runs once, as `[inventory]`."""


class FeatureFile(pytest.Module):
    """A feature file, collected like a test module of one test per scenario."""

    _module: types.ModuleType | None = None

    def _getobj(self) -> Any:
        if self._module is None:
            self._module = self._build()
        return self._module

    def _build(self) -> types.ModuleType:
        base = features_dir(self.config)
        try:
            tags, lines = _scenario_tags(self.path)
            feature = get_feature(str(base), self.path.resolve().relative_to(base).as_posix())
        except GherkinParseError as error:
            raise self.CollectError(f"{self.path}: {error}") from None
        duplicates = {name: found for name, found in lines.items() if len(found) > 1}
        if duplicates:
            described = "; ".join(
                f"{name!r} at lines {', '.join(map(str, found))}"
                for name, found in duplicates.items()
            )
            raise self.CollectError(
                f"{self.path}: scenario names must be unique in a feature file, or pytest-bdd "
                f"keeps only the last one: {described}"
            )
        register_tags(self.config, tags)
        slug = re.sub(r"\W+", "_", str(self.path))
        module = types.ModuleType(f"plangate_features.{slug}")
        module.__file__ = str(self.path)
        taken: set[str] = set()
        bound = _on_inventory if INVENTORY_TAG in feature.tags else _on_plan
        for name, template in feature.scenarios.items():
            test = scenario(feature.rel_filename, name, features_base_dir=str(base.parent))(bound)
            test.__module__ = module.__name__
            test.place_as = _anchor(self.path, template.line_number)  # type: ignore[attr-defined]
            setattr(module, _python_name(name, taken), test)
        return module
