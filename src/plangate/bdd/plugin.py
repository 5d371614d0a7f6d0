"""The pytest side of the step library: feature collection and the running step's location.

Registered by `plangate.pytest.plugin` (`pytest_plugins`); it registers the steps in turn.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from plangate.bdd.collect import FeatureFile, is_feature_file
from plangate.bdd.context import CURRENT_STEP, StepRef

pytest_plugins = ["plangate.bdd.steps", "plangate.bdd.inventory_steps"]


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    """`*.feature` under the configured features directory: one test per scenario and plan."""
    if not is_feature_file(parent.config, file_path):
        return None
    return FeatureFile.from_parent(parent, path=file_path)


def pytest_bdd_before_step(
    request: pytest.FixtureRequest,
    feature: Any,
    scenario: Any,
    step: Any,
    step_func: Callable[..., object],
) -> None:
    """Remember where the running step is written, for failure messages."""
    request.node.stash[CURRENT_STEP] = StepRef(
        filename=feature.filename, line=step.line_number, keyword=step.keyword, text=step.name
    )
