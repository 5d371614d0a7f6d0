"""Assemble a gate run from project settings and options; the CLI and pytest both use this."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from plangate import __version__
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
    with_checkov: bool = False
    """Also run checkov (from its own environment) on each plan; `checkov = true` in
    [tool.plangate] asks for it too."""


def builtin_catalogue() -> Path:
    """Where the built-in catalogue is installed (this repository's policies/ when editable)."""
    return Path(str(resources.files("plangate.catalogue"))).resolve()


def policy_dirs(settings: Settings) -> tuple[Path, ...]:
    """The built-in catalogue, then the project's own directories (read_settings checked
    their type). Without a `policies` setting, ./policies counts when it exists."""
    configured = settings.raw.get("policies")
    if configured is None:
        configured = [d for d in DEFAULT_POLICY_DIRS if (settings.root / d).is_dir()]
    elif isinstance(configured, str):
        configured = [configured]
    builtin = builtin_catalogue()
    own = [settings.root / item for item in configured]
    return (builtin, *(d for d in own if d.resolve() != builtin))


def load_project_catalogue(settings: Settings) -> None:
    """Import the catalogue and the project's policy modules, and refuse settings no policy
    declares and policy ids to disable that no policy has."""
    load_catalogue(policy_dirs(settings))
    SETTINGS.check_tables(settings.raw)
    unknown = [pid for pid in disabled_policies(settings) if pid not in REGISTRY]
    if unknown:
        raise InputError(
            f"[tool.plangate] disable names {', '.join(unknown)}, which no policy has; "
            "`plangate policies` lists them"
        )


def disabled_policies(settings: Settings) -> tuple[str, ...]:
    return tuple(settings.raw.get("disable", ()))


def enabled_policies(settings: Settings) -> list[str]:
    """Ids of every loaded policy that the project did not switch off."""
    off = set(disabled_policies(settings))
    return [spec.id for spec in REGISTRY if spec.id not in off]


def describe_catalogue(settings: Settings) -> tuple[str, ...]:
    """Which catalogues ran, for reports: the built-in one with plangate's version, then each
    project directory, with policy counts (and how many of them run, when some are switched
    off), and the policies switched off."""
    builtin = builtin_catalogue()
    off = disabled_policies(settings)
    counts: dict[Path, list[int]] = {}
    for spec in REGISTRY:
        folder = Path(spec.source.rsplit(":", 1)[0]).resolve().parent
        count = counts.setdefault(folder, [0, 0])
        count[0] += 1
        count[1] += spec.id in off
    lines = [f"plangate {__version__} built-in catalogue: {_counted(*counts.pop(builtin, [0, 0]))}"]
    for folder, count in sorted(counts.items()):
        shown = (
            folder.relative_to(settings.root) if folder.is_relative_to(settings.root) else folder
        )
        lines.append(f"{shown.as_posix()}/: {_counted(*count)}")
    if off:
        lines.append(f"switched off: {', '.join(off)}")
    return tuple(lines)


def _counted(total: int, off: int) -> str:
    """`46 policies`, or `46 policies (45 run, 1 switched off)`."""
    text = f"{total} {'policy' if total == 1 else 'policies'}"
    return f"{text} ({total - off} run, {off} switched off)" if off else text


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
        paths = settings.plan_paths(options.plans or None, cwd=Path.cwd())
        if not paths:
            raise InputError(
                "no plans to check: pass PLAN arguments or set plans in [tool.plangate]"
            )
        loaded = [load_plan(path) for path in paths]
    inputs = [gate_input(settings, item, options) for item in loaded]
    report = evaluate(
        inputs, REGISTRY, waivers, fail_on=options.fail_on, only=enabled_policies(settings)
    )
    report = replace(report, root=settings.root, catalogue=describe_catalogue(settings))
    if not checkov_requested(settings, options):
        return report
    from plangate.checkov import add_checkov  # subprocess machinery only when asked for

    return add_checkov(report)


def checkov_requested(settings: Settings, options: GateOptions) -> bool:
    return options.with_checkov or settings.raw.get("checkov") is True
