"""Assemble a gate run from project settings and options; the CLI and pytest both use this."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from plangate.config import Configuration, load_configuration
from plangate.errors import InputError
from plangate.plan import LoadedPlan, load_plan
from plangate.policy import (
    REGISTRY,
    SETTINGS,
    GateReport,
    PlanRun,
    Severity,
    load_catalogue,
    load_waivers,
)
from plangate.policy.engine import GateInput, evaluate
from plangate.policy.waivers import Waiver
from plangate.settings import Settings

DEFAULT_POLICY_DIRS = ("policies",)
DEFAULT_WAIVERS = "policies/waivers.yaml"


@dataclass(frozen=True, slots=True)
class GateOptions:
    """What one invocation asks for, on top of the project's settings."""

    plans: tuple[str, ...] = ()
    environment: str | None = None
    config_dir: Path | None = None
    waivers_file: Path | None = None
    expect_no_changes: bool = False
    fail_on: Severity = Severity.INFO
    extra_settings: dict[str, Any] = field(default_factory=dict)


def policy_dirs(settings: Settings) -> tuple[Path, ...]:
    """The catalogue directories; read_settings has checked their type."""
    configured = settings.raw.get("policies", list(DEFAULT_POLICY_DIRS))
    if isinstance(configured, str):
        configured = [configured]
    return tuple(settings.root / item for item in configured)


def load_project_catalogue(settings: Settings) -> None:
    """Import the project's policy modules and refuse settings no policy declares."""
    load_catalogue(policy_dirs(settings))
    SETTINGS.check_tables(settings.raw)


def project_waivers(settings: Settings, override: Path | None = None) -> tuple[Waiver, ...]:
    if override is not None:
        return load_waivers(override)
    configured = settings.raw.get("waivers", DEFAULT_WAIVERS)
    path = settings.root / configured
    if "waivers" not in settings.raw and not path.exists():
        return ()
    return load_waivers(path)


def plan_environment(loaded: LoadedPlan, override: str | None) -> str | None:
    """--env wins; otherwise the plan's own `environment` variable, when it has one."""
    if override is not None:
        return override
    value = loaded.plan.variables.get("environment")
    return value if isinstance(value, str) else None


@cache
def _configuration(directory: Path) -> Configuration:
    return load_configuration(directory)


def configuration_for(
    settings: Settings, options: GateOptions, environment: str | None
) -> Configuration | None:
    """The HCL a plan must match: --config, else `config` in [tool.plangate] (may name {environment})."""
    if options.config_dir is not None:
        return _configuration(options.config_dir.resolve())
    template = settings.raw.get("config")
    if not isinstance(template, str) or ("{environment}" in template and environment is None):
        return None
    return _configuration((settings.root / template.format(environment=environment)).resolve())


def gate_input(settings: Settings, loaded: LoadedPlan, options: GateOptions) -> GateInput:
    environment = plan_environment(loaded, options.environment)
    extra = dict(options.extra_settings)
    if options.expect_no_changes:
        extra["expect_no_changes"] = True
    return GateInput(
        loaded=loaded,
        environment=environment,
        settings=SETTINGS.resolve(settings.raw, environment, extra),
        configuration=configuration_for(settings, options, environment),
    )


def hcl_locator(root: Path) -> Callable[[PlanRun, str], tuple[str, int] | None]:
    """Locate a resource address in the HCL its plan was judged against, relative to `root`."""

    def locate(run: PlanRun, address: str) -> tuple[str, int] | None:
        if not isinstance(run.configuration, Configuration):
            return None
        try:
            found = run.configuration.locate(address)
        except InputError:
            return None
        if found is None:
            return None
        path = found.path.resolve()
        return (str(path.relative_to(root)) if path.is_relative_to(root) else str(path)), found.line

    return locate


def run_gate(
    settings: Settings, options: GateOptions, loaded: Sequence[LoadedPlan] | None = None
) -> GateReport:
    """Load what is needed, judge every plan, and return the report (exit code included)."""
    load_project_catalogue(settings)
    waivers = project_waivers(settings, options.waivers_file)
    if loaded is None:
        paths = settings.plan_paths(options.plans or None)
        if not paths:
            raise InputError(
                "no plans to check: pass PLAN arguments or set plans in [tool.plangate]"
            )
        loaded = [load_plan(path) for path in paths]
    inputs = [gate_input(settings, item, options) for item in loaded]
    return evaluate(inputs, REGISTRY, waivers, fail_on=options.fail_on)
