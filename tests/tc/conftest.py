"""A small plan, written at several plan format versions, and a helper to run one scenario on it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from plangate.tc import TcScenario, run_features
from tests.fixtures.builder import UNKNOWN, PlanBuilder, Secret

FORMATS = ("0.2", "1.0", "1.2")


def sample_plan(format_version: str) -> PlanBuilder:
    return (
        PlanBuilder(format_version=format_version)
        .resource(
            "google_storage_bucket.a",
            action="create",
            after={
                "name": "a",
                "location": "EU",
                "force_destroy": False,
                "versioning": [{"enabled": True}],
                "self_link": UNKNOWN,
                "labels": {"team": "platform", "env": "prod"},
                "lifecycle_rule": [{"action": [{"type": "Delete"}], "condition": [{"age": 30}]}],
            },
        )
        .resource(
            "google_storage_bucket.b",
            action="update",
            before={"name": "b", "location": "US"},
            after={
                "name": "b",
                "location": "US",
                "force_destroy": True,
                "versioning": [{"enabled": False}],
                "self_link": "https://b",
                "labels": {"team": "data"},
                "lifecycle_rule": [],
            },
        )
        .resource(
            "google_compute_instance.old",
            action="delete",
            before={"name": "old", "machine_type": "e2-small"},
        )
        .resource(
            "google_compute_firewall.ssh",
            action="create",
            after={
                "name": "ssh",
                "source_ranges": ["0.0.0.0/0"],
                "allow": [{"protocol": "tcp", "ports": ["22"]}],
            },
        )
        .resource(
            "google_secret_manager_secret_version.db",
            action="create",
            after={"secret": "db", "secret_data": Secret("hunter2")},
        )
        .variable("region", "europe-west1")
    )


@pytest.fixture(params=FORMATS)
def plan_file(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    return sample_plan(request.param).write(tmp_path / f"plan-{request.param}.json")


Scenario = Callable[[str], TcScenario]


@pytest.fixture
def scenario(plan_file: Path, tmp_path: Path) -> Scenario:
    """Run one scenario (steps as written under `Scenario:`, tags as a leading line) on the plan."""

    def run(body: str) -> TcScenario:
        lines = [line.strip() for line in body.strip().splitlines()]
        tags = [line for line in lines if line.startswith("@")]
        steps = [line for line in lines if not line.startswith("@")]
        text = "Feature: f\n" + "".join(f"  {t}\n" for t in tags) + "  Scenario: s\n"
        text += "".join(f"    {step}\n" for step in steps)
        feature = tmp_path / "s.feature"
        feature.write_text(text)
        (result,) = run_features([feature], plan_file).scenarios
        return result

    return run
