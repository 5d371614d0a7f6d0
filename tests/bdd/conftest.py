"""A throwaway plangate project per test: pyproject, plans, features, then a pytest run.

Test modules here declare `pytest_plugins = ["pytester"]` themselves: pytest refuses
`pytest_plugins` in a conftest below the rootdir.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.fixtures.builder import UNKNOWN, PlanBuilder

PYPROJECT = """\
[tool.pytest.ini_options]
# only this project's own items: tests/test_pytest_builtin.py covers the built-in ones
addopts = "--strict-markers -p no:cacheprovider -p no:hypothesispytest -p no:plangate.pytest.builtin"

[tool.plangate]
plans = ["plans/*.json"]
{extra}
"""


@dataclass
class Project:
    pytester: pytest.Pytester

    @property
    def root(self) -> Path:
        return self.pytester.path

    def settings(self, extra: str) -> None:
        (self.root / "pyproject.toml").write_text(PYPROJECT.format(extra=extra))

    def plan(self, name: str, builder: PlanBuilder, *, indent: int | None = None) -> Path:
        return builder.write(self.root / "plans" / f"{name}.json", indent=indent)

    def feature(self, text: str, name: str = "controls", folder: str = "features") -> Path:
        path = self.root / folder / f"{name}.feature"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip())
        return path

    def run(self, *args: str) -> pytest.RunResult:
        return self.pytester.runpytest(*args)

    def run_subprocess(self, *args: str) -> pytest.RunResult:
        return self.pytester.runpytest_subprocess(*args)


@pytest.fixture
def project(pytester: pytest.Pytester) -> Project:
    made = Project(pytester)
    made.settings("")
    (made.root / "plans").mkdir()
    return made


def buckets() -> PlanBuilder:
    """A prod plan of three buckets: kept, replaced (url unknown), and one being deleted."""
    return (
        PlanBuilder()
        .variable("environment", "prod")
        .resource(
            "google_storage_bucket.logs",
            action="no-op",
            after={
                "name": "acme-logs",
                "location": "EU",
                "force_destroy": False,
                "storage_class": "STANDARD",
                "versioning": [{"enabled": True}],
                "labels": {"environment": "prod", "team": "ops"},
            },
        )
        .resource(
            "google_storage_bucket.scratch",
            action="replace",
            before={"name": "acme-scratch", "location": "US", "force_destroy": True},
            after={
                "name": "acme-scratch",
                "location": "EU",
                "force_destroy": True,
                "storage_class": "NEARLINE",
                "versioning": [{"enabled": False}],
                "labels": {"environment": "prod"},
                "url": UNKNOWN,
            },
        )
        .resource(
            "google_storage_bucket.old",
            action="delete",
            before={"name": "acme-old", "location": "EU", "force_destroy": False},
        )
    )
