"""The `plangate tc` report: per scenario its name, outcome, the failing step and the addresses
that failed; colours only on a terminal and never with --no-ansi."""

from __future__ import annotations

from plangate.tc.results import TcRun, TcScenario

_COLOURS = {"passed": "\033[32m", "failed": "\033[1;31m", "skipped": "\033[35m"}
_RESET = "\033[0m"


def render_run(run: TcRun, *, colour: bool, quiet: bool) -> str:
    """Scenarios grouped by feature file; `quiet` keeps only failures and the summary."""
    lines: list[str] = []
    feature = None
    for scenario in run.scenarios:
        if quiet and scenario.outcome != "failed":
            continue
        if scenario.feature != feature:
            feature = scenario.feature
            lines.append(f"Feature: {feature}")
        lines.extend(_scenario(scenario, colour))
    lines.append(_summary(run, colour))
    return "\n".join(lines) + "\n"


def _scenario(scenario: TcScenario, colour: bool) -> list[str]:
    outcome = _paint(scenario.outcome.upper(), scenario.outcome, colour)
    lines = [f"    Scenario: {scenario.name}  {outcome}"]
    if scenario.failed_step and scenario.outcome != "passed":
        lines.append(f"        {scenario.failed_step}")
    lines.extend(f"            {message}" for message in scenario.messages)
    return lines


def _summary(run: TcRun, colour: bool) -> str:
    parts = [
        _paint(f"{run.count(outcome)} {outcome}", outcome, colour and run.count(outcome) > 0)
        for outcome in ("passed", "failed", "skipped")
    ]
    return f"{len(run.scenarios)} scenarios ({', '.join(parts)})"


def _paint(text: str, outcome: str, colour: bool) -> str:
    return f"{_COLOURS[outcome]}{text}{_RESET}" if colour else text
