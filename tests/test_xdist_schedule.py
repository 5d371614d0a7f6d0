"""Which plan an item judges, read from its node id, for the per-plan xdist scheduler."""

from __future__ import annotations

import pytest

from plangate.pytest.xdist_schedule import plan_of

PLANS = ("prod", "prod-eu", "dev")


@pytest.mark.parametrize(
    ("nodeid", "plan"),
    [
        ("policies/storage.py::PG-GCS-001[prod]", "prod"),
        ("policies/storage.py::PG-GCS-001[prod-eu]", "prod-eu"),  # the longer id wins
        ("features/a.feature::test_outline[prod-eu-EU]", "prod-eu"),
        ("features/a.feature::test_outline[x-dev]", "dev"),
        ("features/a.feature::test_outline[production]", None),  # whole ids only
        ("tests/test_unit.py::test_something", None),
        ("tests/test_unit.py::test_case[3]", None),
    ],
)
def test_the_plan_is_a_whole_dash_separated_part_of_the_parameter_id(
    nodeid: str, plan: str | None
) -> None:
    assert plan_of(nodeid, PLANS) == plan
