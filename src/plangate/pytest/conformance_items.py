"""Policies judged on Cloud Asset Inventory as pytest items: `PG-CAI-001[inventory]`.

With an inventory (`--cai-project ID` or `--cai-export PATH`), each policy that judges live
resources gets one item beside its plan items, marked `conformance`. An inventory that cannot
be read whole makes every one of them an error with the one-line reason: a partial inventory
never passes.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from plangate.policy import GateReport, PolicySpec
from plangate.pytest.result_item import ResultItem
from plangate.pytest.session import INVENTORY_ID, conformance_report, conformance_requested


def conformance_items(parent: pytest.Collector, spec: PolicySpec) -> Iterator[ConformanceItem]:
    """The inventory item of a policy that judges live resources, when the session has one."""
    if spec.judges_inventory and conformance_requested(parent.config):
        item = ConformanceItem.from_parent(parent, name=f"{spec.id}[{INVENTORY_ID}]", spec=spec)
        item.add_marker(spec.severity.value)
        item.add_marker("conformance")
        yield item


class ConformanceItem(ResultItem):
    """One policy judged on the live resources and the reconciliation."""

    def setup(self) -> None:
        conformance_report(self.config)  # an unreadable inventory errors here, never passes

    def judged(self) -> GateReport:
        return conformance_report(self.config)
