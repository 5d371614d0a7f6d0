"""This repository's own pytest wiring.

The gate itself is configured in pyproject.toml (`[tool.plangate]`: the plans to gate, the
Terraform directory each must match, the catalogue, the waivers and the features) and run by
the plangate plugin. What is specific to this repository is that its plans are generated
from its Terraform code, so a failure in the plan tests ends with the command that
regenerates them.
"""

from __future__ import annotations

import pytest

REGENERATE = "python infrastructure/scripts/generate_plans.py"
GENERATED_FROM_HCL = ("tests/test_infrastructure_plans.py", "tests/test_config_infrastructure.py")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    failed = terminalreporter.stats.get("failed", [])
    if any(report.nodeid.startswith(GENERATED_FROM_HCL) for report in failed):
        terminalreporter.section("plans generated from infrastructure/terraform")
        terminalreporter.line(f"After an HCL change, regenerate the plans: {REGENERATE}")
