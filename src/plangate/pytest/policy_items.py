"""Catalogue policies as pytest items: one item per (policy, plan), named like `PG-GCS-001[prod]`.

Collecting a policy module yields its enabled policies' items; the waivers file yields one item
per waiver. Each plan is judged once per session by the engine (all policies, one pass); items
only report their slice of that result, so 30 policies on 3 plans cost 3 engine runs. With an
inventory (`--cai-*`), the policies that judge live resources also get an item on it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pluggy
import pytest

from plangate.errors import PlanGateError
from plangate.gate import disabled_policies, policy_dirs, project_waivers
from plangate.policy import REGISTRY, GateReport, PolicySpec
from plangate.policy.registry import import_policy_module
from plangate.policy.waivers import Waiver
from plangate.pytest.conformance_items import conformance_items
from plangate.pytest.result_item import GateItem, PolicyFailed, ResultItem
from plangate.pytest.session import (
    conformance_reports,
    plan_ids,
    plan_paths,
    report_for,
    session_settings,
)
from plangate.settings import Settings


def is_catalogue_file(settings: Settings, file_path: Path) -> bool:
    """A policy module of a catalogue folder; both sides resolved, so a path reached through
    a symbolic link is still the project's own."""
    return (
        file_path.suffix == ".py"
        and not file_path.name.startswith("_")
        and file_path.parent.resolve()
        in {directory.resolve() for directory in policy_dirs(settings)}
    )


def _defined_in(spec: PolicySpec, path: Path) -> bool:
    return Path(spec.source.rsplit(":", 1)[0]).resolve() == path.resolve()


class PolicyModule(pytest.File):
    """A catalogue module: its enabled policies, times the session's plans (and the inventory)."""

    @property
    def ihook(self) -> pluggy.HookRelay:
        """Its folder's hooks, which are the rootdir's for the built-in catalogue."""
        assert self.parent is not None
        return self.parent.ihook

    def collect(self) -> Iterator[pytest.Item]:
        try:
            import_policy_module(self.path)
        except PlanGateError as error:
            raise self.CollectError(str(error)) from None
        paths = plan_paths(self.config)
        off = disabled_policies(session_settings(self.config))
        for spec in REGISTRY:
            if spec.id in off or not _defined_in(spec, self.path):
                continue
            for plan_path, plan_id in zip(paths, plan_ids(paths), strict=True):
                item = PolicyItem.from_parent(
                    self, name=f"{spec.id}[{plan_id}]", spec=spec, plan_path=plan_path
                )
                item.add_marker(spec.severity.value)
                item.add_marker("policy")
                yield item
            yield from conformance_items(self, spec)


class PolicyItem(ResultItem):
    """One policy judged on one plan."""

    def __init__(self, *, plan_path: Path, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.plan_path = plan_path

    def judged(self) -> GateReport:
        return report_for(self.config, session_settings(self.config), self.plan_path)


class WaiverFile(pytest.File):
    """The waivers file: each waiver is an item that fails once expired."""

    def collect(self) -> Iterator[pytest.Item]:
        try:
            waivers = project_waivers(session_settings(self.config), self.path)
        except PlanGateError as error:
            raise self.CollectError(str(error)) from None
        for position, waiver in enumerate(waivers):
            yield WaiverItem.from_parent(
                self, name=f"{waiver.policy}[{waiver.address}]", waiver=waiver, position=position
            )


class WaiverItem(GateItem):
    """A waiver: expired fails the gate; unused across every plan warns."""

    def __init__(self, *, waiver: Waiver, position: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.waiver = waiver
        self.position = position

    def runtest(self) -> None:
        settings = session_settings(self.config)
        reports = [report_for(self.config, settings, path) for path in plan_paths(self.config)]
        reports += conformance_reports(self.config)
        uses = [
            report.waivers[self.position]
            for report in reports
            if len(report.waivers) > self.position
        ]
        if any(use.expired for use in uses):
            raise PolicyFailed(
                f"waiver expired: {self.waiver.describe()}; renew it with a new approval or fix the resource"
            )
        if not any(use.uses for use in uses):
            notes = sorted({use.note for use in uses if use.note})
            why = f" ({'; '.join(notes)})" if notes else ""
            self.warn(pytest.PytestWarning(f"unused waiver: {self.waiver.describe()}{why}"))
