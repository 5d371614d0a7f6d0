"""Reports over a gate run, one module per output format.

`render(report, fmt, locator=None)` picks a renderer by name; each renderer is a function
`render(report, locator=None) -> str` (text also takes `verbose`). A `Locator` maps a plan
run and resource address to the `.tf` file and line that declare it, for formats that point
at code (SARIF above all).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeAlias

from plangate.errors import InputError
from plangate.policy.results import GateReport
from plangate.report import json_report, markdown, sarif, text
from plangate.report.locate import Location, Locator

Renderer: TypeAlias = Callable[[GateReport, Locator | None], str]

RENDERERS: dict[str, Renderer] = {
    "text": text.render,
    "json": json_report.render,
    "sarif": sarif.render,
    "markdown": markdown.render,
}
FORMATS: tuple[str, ...] = tuple(RENDERERS)


def renderer(fmt: str) -> Renderer:
    """The renderer for a format name, or an InputError that lists the known ones."""
    try:
        return RENDERERS[fmt]
    except KeyError:
        raise InputError(
            f"unknown report format {fmt!r}; choose one of {', '.join(FORMATS)}"
        ) from None


def render(
    report: GateReport, fmt: str, locator: Locator | None = None, *, verbose: bool = False
) -> str:
    """The report in the named format. `verbose` lists the passing policies and every waived
    finding in the text report; the other formats always carry everything."""
    if fmt == "text":
        return text.render(report, locator, verbose=verbose)
    return renderer(fmt)(report, locator)


__all__ = ["FORMATS", "RENDERERS", "Location", "Locator", "Renderer", "render", "renderer"]
