"""One policy's result in one engine report, as a pytest item.

The plan items and the inventory items share it, so both fail, skip and show waivers the same
way; each says only which report holds its result.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pluggy
import pytest

from plangate.policy import GateReport, PolicySpec, Status


class PolicyFailed(Exception):
    """Raised by a gate item; its text lists every violating resource."""


class GateItem(pytest.Item):
    """An item whose failure is its message alone, reported at its own node."""

    @property
    def ihook(self) -> pluggy.HookRelay:
        """Its collector's hooks: on disk the same, for the built-in catalogue the rootdir's."""
        assert self.parent is not None
        return self.parent.ihook

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, PolicyFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, self.name


class ResultItem(GateItem):
    """One policy's result in one engine report."""

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
            if result.reason:  # a checkov check's other findings, carried by plangate's policy
                lines.append(f"  also {result.reason}")
            raise PolicyFailed("\n".join(lines))
        if result.status is Status.NOT_APPLICABLE:
            # Report the skip at the policy, not at this line of the plugin. A checkov check
            # whose findings plangate's policy carries says where: "reported once, under ...".
            raise pytest.skip.Exception(
                f"{self.spec.id} not applicable to {result.plan}: {result.reason}",
                _use_item_location=True,
            )
