"""`plangate summary`: what a plan will do, counted and listed, values safe to print."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

from plangate.plan import LoadedPlan, ResourceChange, format_path, get_path, render, to_plain
from plangate.plan.actions import ChangeKind

COUNTED = ("create", "update", "replace", "delete", "forget", "read", "no-op", "import", "move")


@dataclass(frozen=True, slots=True)
class AttributeChange:
    path: str
    before: Any
    after: Any


@dataclass(frozen=True, slots=True)
class ChangeRow:
    address: str
    action: str
    attributes: tuple[AttributeChange, ...]


@dataclass(frozen=True, slots=True)
class OutputRow:
    name: str
    action: str
    before: Any
    after: Any


@dataclass(frozen=True, slots=True)
class PlanSummary:
    name: str
    sha256: str
    format_version: str
    terraform_version: str | None
    opentofu: bool
    counts: dict[str, int]
    drift: tuple[ChangeRow, ...]
    output_changes: tuple[OutputRow, ...]
    rows: tuple[ChangeRow, ...]
    errored: bool | None
    complete: bool | None
    notes: tuple[str, ...]


def summarize(loaded: LoadedPlan) -> PlanSummary:
    plan = loaded.plan
    counts: Counter[str] = Counter({key: 0 for key in COUNTED})
    for change in plan.resource_changes:
        counts[_counted_kind(change)] += 1
        counts["import"] += change.is_import
        counts["move"] += change.is_move
    return PlanSummary(
        name=loaded.name,
        sha256=loaded.source.sha256,
        format_version=plan.format_version,
        terraform_version=plan.terraform_version,
        opentofu=plan.is_opentofu,
        counts=dict(counts),
        drift=tuple(_row(change) for change in plan.resource_drift),
        output_changes=tuple(
            OutputRow(o.name, o.actions.kind.value, o.before, o.after)
            for o in plan.changing_outputs
        ),
        rows=tuple(_row(change) for change in plan.changes),
        errored=plan.errored,
        complete=plan.complete,
        notes=loaded.notes,
    )


def _counted_kind(change: ResourceChange) -> str:
    kind = change.kind
    if kind is ChangeKind.FORGET_REPLACE:
        return "forget"  # the old object stays, unmanaged; it is not destroyed as in a replace
    if kind in (ChangeKind.OPEN, ChangeKind.UNRECOGNISED):
        return "update" if kind is ChangeKind.UNRECOGNISED else "read"
    return kind.value


def _row(change: ResourceChange) -> ChangeRow:
    paths = change.change.changed_paths
    before, after = (change.before, change.after) if paths else (None, None)
    attributes = tuple(
        AttributeChange(
            path=format_path(path),
            before=get_path(before, path),
            after=get_path(after, path),
        )
        for path in paths
    )
    action = change.kind.value
    if change.is_import:
        action += " (import)"
    if change.is_move:
        action += f" (moved from {change.previous_address})"
    return ChangeRow(address=change.display_address, action=action, attributes=attributes)


def render_text(summary: PlanSummary) -> str:
    counts = summary.counts
    engine = "OpenTofu" if summary.opentofu else "Terraform"
    lines = [
        f"Plan: {summary.name}",
        f"  sha256 {summary.sha256}, format {summary.format_version}, "
        f"{engine} {summary.terraform_version or 'version unknown'}",
        "Resources: " + ", ".join(f"{counts[key]} {key}" for key in COUNTED),
        f"Drift: {len(summary.drift)} resource(s) changed outside Terraform",
        f"Outputs: {len(summary.output_changes)} changing"
        + "".join(
            f"\n  {o.action:8} output.{o.name}: {_short(o.before)} -> {_short(o.after)}"
            for o in summary.output_changes
        ),
    ]
    if summary.errored:
        lines.append("Status: ERRORED: Terraform reported errors; the plan may be partial")
    if summary.complete is False:
        lines.append(
            "Status: INCOMPLETE: planned with -target or deferrals; more changes may follow"
        )
    lines.extend(f"Note: {note}" for note in summary.notes)
    for title, rows in (("Changes", summary.rows), ("Drift", summary.drift)):
        if rows:
            lines.append(f"{title}:")
            for row in rows:
                lines.append(f"  {row.action:10} {row.address}")
                lines.extend(
                    f"      {item.path}: {render(item.before)} -> {render(item.after)}"
                    for item in row.attributes
                )
    if not summary.rows and not summary.drift and not summary.output_changes:
        lines.append("No changes.")
    return "\n".join(lines)


def _short(value: Any, limit: int = 80) -> str:
    text = render(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render_json(summary: PlanSummary) -> str:
    def rows(items: tuple[ChangeRow, ...]) -> list[dict[str, Any]]:
        return [
            {
                "address": row.address,
                "action": row.action,
                "changed": [
                    {"path": a.path, "before": to_plain(a.before), "after": to_plain(a.after)}
                    for a in row.attributes
                ],
            }
            for row in items
        ]

    return json.dumps(
        {
            "plan": summary.name,
            "sha256": summary.sha256,
            "format_version": summary.format_version,
            "terraform_version": summary.terraform_version,
            "opentofu": summary.opentofu,
            "errored": summary.errored,
            "complete": summary.complete,
            "counts": summary.counts,
            "drift": rows(summary.drift),
            "output_changes": [
                {
                    "name": o.name,
                    "action": o.action,
                    "before": to_plain(o.before),
                    "after": to_plain(o.after),
                }
                for o in summary.output_changes
            ],
            "changes": rows(summary.rows),
            "notes": list(summary.notes),
        },
        indent=2,
    )
