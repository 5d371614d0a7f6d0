"""The plan as terraform-compliance's steps walk it: plain dicts with `address`, `type`, `values`
and metadata, built once from plangate's plan model.

Differences from terraform-compliance's own reading, on purpose: a pure delete is kept (its
`values` are what is being deleted, its `actions` metadata `["delete"]`); a value known only
after apply is the UNKNOWN marker, not missing; a sensitive value is the SENSITIVE marker.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from plangate.plan import Plan, ResourceChange
from plangate.plan.configuration import Expression

REFERENCES = "terraform-compliance.references"
"""Metadata key: addresses of the resources linked to this one by a reference, either way."""

_INDEX = re.compile(r"\[[^\]]*\]")
_NOT_RESOURCES = ("var.", "local.", "each.", "count.", "path.", "self.", "terraform.", "data.")


@dataclass(frozen=True, slots=True)
class PlanView:
    """Resources, data sources, variables, outputs and providers, each as tc-shaped dicts."""

    resources: tuple[dict[str, Any], ...]
    unmounted: tuple[dict[str, Any], ...]
    """The same resources before mounting: tc's `any resource` and `resource that supports`
    read these (no values of referring resources, no reference addresses)."""
    data: tuple[dict[str, Any], ...]
    variables: Mapping[str, dict[str, Any]]
    """Each variable as tc reads it from the plan: `{"value": ...}` and nothing else."""
    declared_variables: tuple[dict[str, Any], ...]
    outputs: tuple[dict[str, Any], ...]
    providers: tuple[dict[str, Any], ...]


def thaw(value: Any) -> Any:
    """Frozen plan values as mutable-looking plain containers (markers stay as they are)."""
    if isinstance(value, Mapping):
        return {key: thaw(item) for key, item in value.items()}
    if isinstance(value, tuple | list):
        return [thaw(item) for item in value]
    return value


def _as_written(expressions: Any) -> Any:
    """Configuration expressions in the plan's own shape (`constant_value`, `references`),
    which is what terraform-compliance searches when a step drills into a provider block."""
    if isinstance(expressions, Expression):
        written: dict[str, Any] = {}
        if expressions.is_constant:
            written["constant_value"] = thaw(expressions.constant_value)
        if expressions.references:
            written["references"] = list(expressions.references)
        return written
    if isinstance(expressions, Mapping):
        return {key: _as_written(item) for key, item in expressions.items()}
    if isinstance(expressions, tuple):
        return [_as_written(item) for item in expressions]
    return expressions


def build_view(plan: Plan) -> PlanView:
    config = plan.configuration
    managed: dict[str, dict[str, Any]] = {}
    data: dict[str, dict[str, Any]] = {}
    for state in plan.planned_values.resources:
        if state.mode == "data":
            data[state.address] = _entity(
                state.address,
                state.mode,
                state.type,
                state.name,
                state.provider_name,
                state.index,
                thaw(state.values),
                ["read"],
            )
    for change in plan.resource_changes:
        if change.deposed is not None:
            continue
        entity = _from_change(change)
        (data if change.mode == "data" else managed)[change.address] = entity
    for entity in managed.values():
        entity["source"] = _module_source(entity, config.module_calls)
    unmounted = tuple(
        {**entity, "values": copy.deepcopy(entity["values"])} for entity in managed.values()
    )
    _mount_references(plan, managed, {entity["address"]: entity["values"] for entity in unmounted})
    outputs = tuple(
        {
            "address": name,
            "value": thaw(output.value),
            "sensitive": "true" if output.sensitive else "false",
            "type": thaw(output.type),
        }
        for name, output in plan.planned_values.outputs.items()
    )
    declared = tuple(
        {
            "address": name,
            "name": name,
            "default": thaw(item.default),
            "description": item.description,
        }
        for name, item in config.root_variables.items()
    )
    providers = tuple(
        {
            "address": provider.key,
            "name": provider.name,
            "full_name": provider.full_name,
            "alias": provider.alias,
            "version_constraint": provider.version_constraint,
            "module_address": provider.module_address,
            "expressions": _as_written(provider.expressions),
        }
        for provider in config.provider_configs.values()
    )
    return PlanView(
        resources=tuple(managed.values()),
        unmounted=unmounted,
        data=tuple(data.values()),
        variables={name: {"value": thaw(value)} for name, value in plan.variables.items()},
        declared_variables=declared,
        outputs=outputs,
        providers=providers,
    )


def _from_change(change: ResourceChange) -> dict[str, Any]:
    actions = list(change.actions.values)
    values = change.before if actions == ["delete"] else change.after
    return _entity(
        change.address,
        change.mode,
        change.type,
        change.name,
        change.provider_name,
        change.index,
        thaw(values),
        actions,
        change.module_address,
    )


def _entity(
    address: str,
    mode: str,
    type_: str,
    name: str,
    provider: str,
    index: Any,
    values: Any,
    actions: list[str],
    module_address: str | None = None,
) -> dict[str, Any]:
    entity: dict[str, Any] = {
        "address": address,
        "mode": mode,
        "type": type_,
        "name": name,
        "provider_name": provider,
        "values": values if values is not None else {},
        "actions": actions,
    }
    if index is not None:
        entity["index"] = index
    if module_address:
        entity["module_address"] = module_address
    _expand_tag_lists(entity["values"])
    return entity


def _expand_tag_lists(values: Any) -> None:
    """`tags = [{key, value}]` also answers `tags.<key>`, as terraform-compliance arranges."""
    tags = values.get("tags") if isinstance(values, dict) else None
    if isinstance(tags, list):
        for tag in tags:
            if isinstance(tag, dict) and isinstance(tag.get("key"), str) and "value" in tag:
                tag[tag["key"]] = tag["value"]


def config_address(address: str) -> str:
    """`module.a["x"].google_x.y[0]` → `module.a.google_x.y`: the block an instance comes from."""
    return _INDEX.sub("", address)


def _module_source(entity: dict[str, Any], calls: Mapping[str, Any]) -> Any:
    module = entity.get("module_address")
    if not module:
        return None
    call = calls.get(config_address(module))
    return None if call is None else call.source


def _mount_references(
    plan: Plan, managed: dict[str, dict[str, Any]], original: Mapping[str, Any]
) -> None:
    """Resources linked by a reference learn each other's address and carry each other's values.

    That is what terraform-compliance calls mounting, and it goes both ways: when A's
    configuration refers to B, B carries A's values under A's type and A carries B's under
    B's type, and each lists the other's address (`it must have "..." referenced`).
    """
    by_block: dict[str, list[dict[str, Any]]] = {}
    for entity in managed.values():
        by_block.setdefault(config_address(entity["address"]), []).append(entity)
    for block, resource in plan.configuration.resources.items():
        sources = by_block.get(block)
        if not sources or resource.mode != "managed":
            continue
        prefix = f"{resource.module_path}." if resource.module_path else ""
        for target_block in _referenced_blocks(resource.expressions, prefix):
            if target_block == block:
                continue
            for target in by_block.get(target_block, ()):
                for source in sources:
                    _mount(target, source, original)
                    _mount(source, target, original)


def _mount(onto: dict[str, Any], other: dict[str, Any], original: Mapping[str, Any]) -> None:
    known = onto.setdefault(REFERENCES, [])
    if other["address"] in known:
        return
    known.append(other["address"])
    if isinstance(onto["values"], dict):
        mounted = onto["values"].setdefault(other["type"], [])
        if isinstance(mounted, list):
            mounted.append(original[other["address"]])


def _referenced_blocks(expressions: Any, prefix: str) -> set[str]:
    found: set[str] = set()
    stack = [expressions]
    while stack:
        item = stack.pop()
        if isinstance(item, Mapping):
            stack.extend(item.values())
        elif isinstance(item, tuple | list):
            stack.extend(item)
        elif hasattr(item, "references"):
            for ref in item.references:
                if ref.startswith(_NOT_RESOURCES) or ref.startswith("module."):
                    continue
                parts = config_address(ref).split(".")
                if len(parts) >= 2:
                    found.add(prefix + ".".join(parts[:2]))
    return found
