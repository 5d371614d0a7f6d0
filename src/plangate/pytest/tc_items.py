"""terraform-compliance feature files as pytest items, run by plangate's tc engine.

A file in the dialect (see tc_files: tagged `@terraform-compliance` or under `tc_features`)
yields one item per scenario (per Examples row of an outline) and gated plan, named like the
`plangate tc` report names it: `features/tc.feature::Buckets are versioned[prod]`. Each plan
is read once per session (the session's cache) and turned into the engine's view once; an
item runs its scenario on that view. It passes, fails with the step and the addresses the
engine names (no traceback), or skips with the engine's reason. The evidence recorder reads
the scenario's feature, line and tags from the item.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from gherkin.errors import CompositeParserException, ParserError
from gherkin.parser import Parser
from gherkin.pickles.compiler import Compiler

from plangate.bdd.collect import register_tags
from plangate.errors import InputError
from plangate.pytest.result_item import GateItem, PolicyFailed
from plangate.pytest.session import loaded_plan_for, plan_ids, plan_paths, usage_error
from plangate.pytest.tc_files import tc_feature_paths
from plangate.tc.features import ScenarioSpec, read_feature
from plangate.tc.runner import run_scenario
from plangate.tc.view import PlanView, build_view

_VIEWS = pytest.StashKey[dict[Path, PlanView]]()


def unwalked_tc_features(session: pytest.Session) -> list[pytest.Collector]:
    """The `tc_features` paths pytest does not walk (outside `testpaths`, say), as top-level
    nodes, when the session gates the project (the rule of the built-in catalogue's items):
    a configured folder of checks never silently runs nothing."""
    # Imported here: plangate.pytest.builtin is a plugin of its own, and a plugin module
    # imported before pytest registers it warns that its asserts cannot be rewritten.
    from plangate.pytest.builtin import gates_project

    config = session.config
    configured = tc_feature_paths(config)
    if not configured or not plan_paths(config) or not gates_project(config):
        return []
    walked = [(config.invocation_params.dir / arg.split("::")[0]).resolve() for arg in config.args]
    nodes: list[pytest.Collector] = []
    for path in configured:
        if any(path.is_relative_to(found) for found in walked):
            continue
        if path.is_dir():
            nodes.append(pytest.Dir.from_parent(session, path=path))
        elif path.suffix == ".feature":
            nodes.append(TcFeatureFile.from_parent(session, path=path))
    return nodes


class TcFailed(PolicyFailed):
    """A terraform-compliance scenario failed; its text is the step and the engine's messages."""


def view_for(config: pytest.Config, path: Path) -> PlanView:
    """The engine's view of a gated plan, built once per session from the session's loaded plan."""
    views = config.stash.setdefault(_VIEWS, {})
    if path not in views:
        views[path] = build_view(loaded_plan_for(config, path).plan)
    return views[path]


class TcFeatureFile(pytest.File):
    """A feature file in terraform-compliance's dialect: its scenarios times the gated plans."""

    def collect(self) -> Iterator[pytest.Item]:
        relative = self._relative()
        paths = plan_paths(self.config)
        if not paths:
            usage_error(
                self.config,
                f"{relative} needs a plan: pass --plan PATH or set plans in [tool.plangate]",
            )
            return
        try:
            specs = read_feature(self.path, relative)
            name, description, lines = _outline(self.path)
        except InputError as error:
            raise self.CollectError(str(error)) from None
        if len(lines) != len(specs):  # the same compiler on the same text: never expected
            lines = [0] * len(specs)
        register_tags(self.config, {tag for spec in specs for tag in spec.tags})
        taken: dict[str, int] = {}
        for spec, line in zip(specs, lines, strict=True):
            title = _unique(spec.name.replace("::", ":"), taken)
            for plan_path, plan_id in zip(paths, plan_ids(paths), strict=True):
                item = TcScenarioItem.from_parent(
                    self,
                    name=f"{title}[{plan_id}]",
                    spec=spec,
                    plan_path=plan_path,
                    plan_id=plan_id,
                    line=line,
                    feature_name=name,
                    feature_description=description,
                )
                for tag in spec.tags:
                    item.add_marker(tag)
                yield item

    def _relative(self) -> str:
        try:
            return self.path.resolve().relative_to(self.config.rootpath).as_posix()
        except ValueError:
            return str(self.path)


class TcScenarioItem(GateItem):
    """One scenario of a terraform-compliance feature file judged on one plan."""

    def __init__(
        self,
        *,
        spec: ScenarioSpec,
        plan_path: Path,
        plan_id: str,
        line: int,
        feature_name: str,
        feature_description: str,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.spec = spec
        self.plan_path = plan_path
        self.plan_id = plan_id
        self.line = line
        self.feature_name = feature_name
        self.feature_description = feature_description
        self.user_properties.append(("scenario", spec.name))

    def runtest(self) -> None:
        result = run_scenario(self.spec, view_for(self.config, self.plan_path))
        self.user_properties.append(("status", result.outcome))
        if result.outcome == "failed":
            lines = [f"Scenario: {self.spec.name} failed on {self.plan_id}"]
            if result.failed_step:
                lines.append(f"    {result.failed_step}")
            lines.extend(f"        {message}" for message in result.messages)
            raise TcFailed("\n".join(lines))
        if result.outcome == "skipped":
            reason = "; ".join(result.messages) or "skipped"
            where = f"{result.failed_step}: " if result.failed_step else ""
            raise pytest.skip.Exception(f"{where}{reason}", _use_item_location=True)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, max(self.line - 1, 0), self.name


def _outline(path: Path) -> tuple[str, str, list[int]]:
    """The feature's name and description, and the line of each scenario as read_feature lists
    them (an outline's rows: the row's line)."""
    try:
        document = dict(Parser().parse(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, CompositeParserException, ParserError) as error:
        raise InputError(f"{path}: not a valid feature file: {error}") from None
    document["uri"] = str(path)
    feature = document.get("feature") or {}
    description = " ".join(str(feature.get("description") or "").split())
    lines = [pickle["location"]["line"] for pickle in Compiler().compile(document)]
    return str(feature.get("name", "")), description, lines


def _unique(name: str, taken: dict[str, int]) -> str:
    """Scenario names as written; a repeated name gets ` #2`, ` #3`, ... so node ids stay apart."""
    taken[name] = taken.get(name, 0) + 1
    return name if taken[name] == 1 else f"{name} #{taken[name]}"
