"""Catalogue policies as pytest items: one item per (policy, plan), named like `PG-GCS-001[prod]`.

Collecting a policy module yields its policies' items; the waivers file yields one item per
waiver. Each plan is judged once per session by the engine (all policies, one pass); items
only report their slice of that result, so 30 policies on 3 plans cost 3 engine runs. With an
inventory (`--cai-*`), the policies that judge live resources also get an item on it
(`PG-CAI-001[inventory]`, see plangate.pytest_conformance).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from plangate.errors import PlanGateError
from plangate.gate import GateOptions, policy_dirs, project_waivers, run_gate
from plangate.policy import REGISTRY, GateReport, PolicySpec, Status
from plangate.policy.registry import import_policy_module
from plangate.policy.waivers import Waiver
from plangate.settings import Settings

REPORTS = pytest.StashKey[dict[Path, GateReport]]()


class PolicyFailed(Exception):
    """Raised by a policy item; its text lists every violating resource."""


def gate_options(config: pytest.Config) -> GateOptions:
    return GateOptions(
        environment=config.getoption("--plan-env"),
        expect_no_changes=config.getoption("--expect-no-changes"),
        waivers_file=_optional_path(config.getoption("--waivers")),
    )


def _optional_path(value: str | None) -> Path | None:
    return Path(value) if value else None


def report_for(config: pytest.Config, settings: Settings, path: Path) -> GateReport:
    """The engine's report on one plan, computed once per session."""
    from plangate.pytest_plugin import loaded_plan_for

    reports = config.stash.setdefault(REPORTS, {})
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


def is_catalogue_file(settings: Settings, file_path: Path) -> bool:
    return (
        file_path.suffix == ".py"
        and not file_path.name.startswith("_")
        and any(file_path.parent == directory.resolve() for directory in policy_dirs(settings))
    )


class PolicyModule(pytest.File):
    """A catalogue module: its policies, times the session's plans (and the inventory)."""

    settings: Settings
    plans: tuple[Path, ...]
    plan_ids: list[str]

    def collect(self) -> Iterator[pytest.Item]:
        try:
            import_policy_module(self.path)
        except PlanGateError as error:
            raise self.CollectError(str(error)) from None
        from plangate.pytest_conformance import conformance_items

        module_name = f"plangate_catalogue.{self.path.parent.name}.{self.path.stem}"
        for spec in REGISTRY:
            if spec.function.__module__ != module_name:
                continue
            for plan_path, plan_id in zip(self.plans, self.plan_ids, strict=True):
                item = PolicyItem.from_parent(
                    self, name=f"{spec.id}[{plan_id}]", spec=spec, plan_path=plan_path
                )
                item.add_marker(spec.severity.value)
                item.add_marker("policy")
                yield item
            yield from conformance_items(self, spec)


class ResultItem(pytest.Item):
    """One policy's result in one engine report, as a test: the plan items and the
    conformance items share it, so both fail, skip and show waivers the same way."""

    def __init__(self, *, spec: PolicySpec, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.spec = spec
        self.user_properties.append(("policy", spec.id))
        self.user_properties.append(("severity", spec.severity.value))

    def judged(self) -> GateReport:
        """The engine report that holds this item's result."""
        raise NotImplementedError

    def runtest(self) -> None:
        report = self.judged()
        (result,) = [r for r in report.results if r.spec.id == self.spec.id]
        self.user_properties.append(("status", result.status.value))
        if result.status is Status.ERROR:
            raise PolicyFailed(f"{self.spec.id} raised while judging {result.plan}: {result.error}")
        for finding in result.findings:
            if finding.status is Status.WAIVED and finding.waiver is not None:
                self.add_report_section(
                    "call",
                    "waived",
                    f"{finding.address}: {finding.message}\n  waived: {finding.waiver.justification} "
                    f"(approved by {finding.waiver.approver}, expires {finding.waiver.expires})",
                )
        if result.status is Status.FAIL:
            lines = [
                f"{self.spec.id} {self.spec.title}: {len(result.failures)} violation(s) in {result.plan}"
            ]
            lines.extend(f"  {f.address}: {f.message}" for f in result.failures)
            raise PolicyFailed("\n".join(lines))
        if result.status is Status.NOT_APPLICABLE:
            # Report the skip at the policy, not at this line of the plugin.
            raise pytest.skip.Exception(
                f"not applicable to {result.plan}: {result.reason}", _use_item_location=True
            )

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, PolicyFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, self.name


class PolicyItem(ResultItem):
    """One policy judged on one plan."""

    def __init__(self, *, plan_path: Path, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.plan_path = plan_path

    def judged(self) -> GateReport:
        parent = self.parent
        assert isinstance(parent, PolicyModule)
        return report_for(self.config, parent.settings, self.plan_path)


class WaiverFile(pytest.File):
    """The waivers file: each waiver is an item that fails once expired."""

    settings: Settings
    plans: tuple[Path, ...]
    plan_ids: list[str]

    def collect(self) -> Iterator[pytest.Item]:
        try:
            waivers = project_waivers(self.settings, self.path)
        except PlanGateError as error:
            raise self.CollectError(str(error)) from None
        for position, waiver in enumerate(waivers):
            yield WaiverItem.from_parent(
                self, name=f"{waiver.policy}[{waiver.address}]", waiver=waiver, position=position
            )


class WaiverItem(pytest.Item):
    """A waiver: expired fails the gate; unused across every plan warns."""

    def __init__(self, *, waiver: Waiver, position: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.waiver = waiver
        self.position = position

    def runtest(self) -> None:
        parent = self.parent
        assert isinstance(parent, WaiverFile)
        from plangate.pytest_conformance import conformance_reports

        reports = [report_for(self.config, parent.settings, path) for path in parent.plans]
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
            self.warn(pytest.PytestWarning(f"unused waiver: {self.waiver.describe()}"))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, PolicyFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, self.name
