"""Run feature files against one plan, scenario by scenario, the way terraform-compliance does."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from plangate.plan import load_plan
from plangate.tc import registry
from plangate.tc.context import Context, Skip
from plangate.tc.features import ScenarioSpec, feature_files, read_feature
from plangate.tc.matching import Undecidable
from plangate.tc.results import TcRun, TcScenario
from plangate.tc.view import PlanView, build_view


def run_features(features: Sequence[Path], plan: Path, *, wip: bool = False) -> TcRun:
    """Every scenario of the feature files (directories searched for `*.feature`) on the plan.

    With `wip`, only scenarios tagged @wip run; the others are left out. Bad input (a missing
    file, an unreadable plan, a feature Gherkin cannot parse) raises plangate's InputError.
    """
    files = feature_files([Path(p) for p in features])
    specs = [spec for path in files for spec in read_feature(path, str(path))]
    view = build_view(load_plan(plan).plan)
    if wip:
        specs = [spec for spec in specs if "wip" in (tag.lower() for tag in spec.tags)]
    return TcRun(scenarios=tuple(run_scenario(spec, view) for spec in specs))


def run_scenario(spec: ScenarioSpec, view: PlanView) -> TcScenario:
    """Steps run in order until one fails or skips; a skip under @noskip is a failure."""
    ctx = Context(view=view, tags=spec.tags)

    def verdict(outcome: str, step: str | None, messages: list[str]) -> TcScenario:
        if outcome == "failed" and ctx.no_failure:
            outcome = "skipped"
        return TcScenario(spec.feature, spec.name, outcome, step, tuple(messages), spec.tags)  # type: ignore[arg-type]

    for step in spec.steps:
        found = registry.find(step.kind.lower(), step.text)
        if found is None:
            return verdict("failed", step.display, [f"no step matches '{step.display}'"])
        form, arguments = found
        try:
            registry.run(form, ctx, arguments)
        except Skip as skip:
            if ctx.no_skip(step.line):
                return verdict("failed", step.display, [str(skip)])
            return verdict("skipped", step.display, [str(skip)])
        except Undecidable as error:
            where = ", ".join(ctx.addresses) or ctx.name
            ctx.error(f"{where}: {error}")
        if ctx.errors:
            return verdict("failed", step.display, list(ctx.errors))
        if form.kind == "given" and ctx.exclude:
            ctx.stash = [
                e
                for e in ctx.stash
                if not ctx.match.regex_match(ctx.exclude, str(e.get("address", "")))
            ]
            if not ctx.stash:
                message = f"Can not find {ctx.name} defined in target terraform plan."
                return verdict(
                    "failed" if ctx.no_skip(step.line) else "skipped", step.display, [message]
                )
    return verdict("passed", None, [])
