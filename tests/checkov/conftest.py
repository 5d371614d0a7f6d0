"""Real checkov for the checkov tests: installed once into the user cache folder if missing
(about a minute the first time, then reused), never skipped for want of it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from plangate.checkov import Checkov, Scan, find_checkov, install, run_on_plan
from plangate.checkov.locate import ENV_VAR
from plangate.gate import GateOptions, run_gate
from plangate.policy import GateReport
from plangate.settings import Settings, find_settings

REPO = Path(__file__).resolve().parents[2]
PLANS = REPO / "infrastructure" / "plans"
PROD_CONFIG = REPO / "infrastructure" / "terraform" / "environments" / "prod"
SCENARIOS = tuple(sorted(p.stem for p in (PLANS / "scenarios").glob("*.json")))


def plan_path(name: str) -> Path:
    return PLANS / f"{name}.json" if name == "prod" else PLANS / "scenarios" / f"{name}.json"


@pytest.fixture(scope="session")
def checkov() -> Checkov:
    install()
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(ENV_VAR, raising=False)
        return find_checkov()


@pytest.fixture(scope="session")
def scans(checkov: Checkov) -> Mapping[str, Scan]:
    """checkov on prod.json and every scenario, three processes at a time."""
    names = ("prod", *SCENARIOS)

    def scan(name: str) -> Scan:
        return run_on_plan(plan_path(name), checkov=checkov, config_dir=PROD_CONFIG)

    with ThreadPoolExecutor(max_workers=3) as pool:
        return dict(zip(names, pool.map(scan, names), strict=True))


@pytest.fixture(scope="session")
def settings() -> Settings:
    return find_settings(REPO)


@pytest.fixture(scope="session")
def gate(settings: Settings) -> Callable[[str], GateReport]:
    """plangate's own report on a repository plan (without checkov)."""

    def judge(name: str) -> GateReport:
        return run_gate(settings, GateOptions(plans=(str(plan_path(name)),)))

    return judge
