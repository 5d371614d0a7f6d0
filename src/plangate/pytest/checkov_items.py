"""checkov's checks as pytest items: one per check id and plan, `plangate.checkov::CKV_GCP_29[prod]`.

With `--with-checkov` (or `checkov = true` in [tool.plangate]) the gate runs checkov on each
plan and merges its results into the plan's report; these items report their slice of it, as
the catalogue's items do (they are the same kind of item: one policy judged on one plan). Which ids exist is known only once checkov has run, so the plans'
reports are made when the items are collected (they are cached for the session either way);
a checkov that is missing or fails is a collection error, never a pass.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import pytest

from plangate.checkov import CheckovError
from plangate.gate import checkov_requested
from plangate.policy import GateReport
from plangate.pytest.builtin import gates_project
from plangate.pytest.policy_items import PolicyItem
from plangate.pytest.session import (
    gate_options,
    plan_ids,
    plan_paths,
    report_for,
    session_settings,
)

CHECKOV_ID = "plangate.checkov"
CHECKOV_SERVICE = "checkov"
"""The `service` of the PolicySpecs plangate.checkov makes for checkov's checks."""


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(
    collector: pytest.Collector,
) -> Generator[None, pytest.CollectReport, pytest.CollectReport]:
    """Add checkov's checks to the session's top-level nodes when checkov is asked for and the
    session gates the project (the rule of the built-in catalogue's items)."""
    report = yield
    if isinstance(collector, pytest.Session) and report.passed:
        config = collector.config
        if (
            plan_paths(config)
            and checkov_requested(session_settings(config), gate_options(config))
            and gates_project(config)  # as the built-in items: not for a few chosen tests
        ):
            report.result.append(
                CheckovChecks.from_parent(
                    collector, path=config.rootpath, name=CHECKOV_ID, nodeid=CHECKOV_ID
                )
            )
    return report


class CheckovChecks(pytest.Collector):
    """checkov's results on every plan: one item per check id it reported, per plan."""

    def __init__(self, *, path: Path, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.path = path

    def collect(self) -> Iterator[pytest.Item]:
        paths = plan_paths(self.config)
        for path, plan_id in zip(paths, plan_ids(paths), strict=True):
            report = self._report(path)
            for result in report.results:
                if result.spec.service == CHECKOV_SERVICE:
                    yield PolicyItem.from_parent(
                        self, name=f"{result.spec.id}[{plan_id}]", spec=result.spec, plan_path=path
                    )

    def _report(self, path: Path) -> GateReport:
        try:
            return report_for(self.config, session_settings(self.config), path)
        except CheckovError as error:
            raise self.CollectError(str(error)) from None
        except pytest.fail.Exception as failure:
            raise self.CollectError(str(failure)) from None
