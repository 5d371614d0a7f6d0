"""Write a `terraform show -json` document (format 1.2) from a prior and a planned evaluation.

Key order follows Terraform's Go structs; maps (object values, variables, output and module-call
names, expressions) are sorted as Go's encoder and cty's JSON marshaller sort them. Sensitive
values stay in plain text and are flagged by the masks, as in a real plan.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

import plangen_google as google
from plangen_deps import dependency_map
from plangen_eval import Evaluation, Instance
from plangen_expr import (
    UNKNOWN,
    EvalError,
    Node,
    Sensitive,
    evaluate,
    is_constant,
    parse_expression,
    references,
)
from plangen_spec import ModuleSpec, ResourceSpec, Where, is_block_list, to_node

from plangate.config import ABSENT

FORMAT_VERSION = "1.2"
STATE_FORMAT_VERSION = "1.0"
TERRAFORM_VERSION = "1.9.8"


# --------------------------------------------------------------------------- values


def known(value: Any) -> Any:
    """JSON value with marks removed: unknown object attributes omitted, unknown list items null."""
    if isinstance(value, Sensitive):
        return known(value.value)
    if isinstance(value, dict):
        return {k: known(value[k]) for k in sorted(value) if _plain(value[k]) is not UNKNOWN}
    if isinstance(value, list):
        return [None if _plain(item) is UNKNOWN else known(item) for item in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)  # cty writes whole numbers without a fraction
    return value


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Sensitive) else value


def _mirror(value: Any, leaf: Any) -> Any:
    """Terraform's unknownAsBool / SensitiveAsBool shape: true at marked leaves, false omitted
    from objects, kept positionally in lists, containers always present."""
    if leaf(value):
        return True
    value = _plain(value)
    if isinstance(value, dict):
        mirrored = {k: _mirror(value[k], leaf) for k in sorted(value)}
        return {k: v for k, v in mirrored.items() if v is not False}
    if isinstance(value, list):
        return [_mirror(item, leaf) for item in value]
    return False


def unknown_mask(value: Any) -> Any:
    return _mirror(value, lambda v: _plain(v) is UNKNOWN)


def sensitive_mask(value: Any) -> Any:
    return _mirror(value, lambda v: isinstance(v, Sensitive))


def _cty_type(value: Any) -> Any:
    value = _plain(value)
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return ["object", {k: _cty_type(value[k]) for k in sorted(value)}]
    if isinstance(value, list):
        return ["tuple", [_cty_type(item) for item in value]]
    return "dynamic"


# --------------------------------------------------------------------------- resources


def _resource_header(instance: Instance, module_address: bool = False) -> dict[str, Any]:
    entry: dict[str, Any] = {"address": instance.address}
    if module_address and instance.module_address:
        entry["module_address"] = instance.module_address
    entry |= {
        "mode": instance.mode,
        "type": instance.type,
        "name": instance.name,
    }
    if instance.key is not None:
        entry["index"] = instance.key
    entry["provider_name"] = google.PROVIDER_FQN
    return entry


def _parent_module(address: str) -> str:
    """``module.a.module.b`` -> ``module.a``; ``module.a`` -> the root ("")."""
    return address.rsplit(".module.", 1)[0] if ".module." in address else ""


def _module_tree(entries: Iterable[tuple[Instance, dict[str, Any]]]) -> dict[str, Any]:
    """The values representation's root_module: resources by module, child modules nested."""
    by_module: dict[str, list[dict[str, Any]]] = {}
    for instance, entry in entries:
        by_module.setdefault(instance.module_address, []).append(entry)
    children: dict[str, set[str]] = {}
    for address in list(by_module):
        while address:  # a module appears when it or a descendant has a resource
            children.setdefault(_parent_module(address), set()).add(address)
            address = _parent_module(address)

    def node(address: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        resources = sorted(by_module.get(address, ()), key=lambda e: e["address"])
        if resources:
            out["resources"] = resources
        if address:
            out["address"] = address
        if children.get(address):
            out["child_modules"] = [node(child) for child in sorted(children[address])]
        return out

    return node("")


def _state_entry(instance: Instance, depends_on: tuple[str, ...] | None) -> dict[str, Any]:
    entry = _resource_header(instance)
    entry["schema_version"] = google.SCHEMA_VERSION
    entry["values"] = known(instance.values)
    entry["sensitive_values"] = sensitive_mask(instance.values)
    if depends_on:
        entry["depends_on"] = list(depends_on)
    return entry


def _outputs(outputs: Mapping[str, Any], specs: Mapping[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for name in sorted(outputs):
        value = outputs[name]
        entry: dict[str, Any] = {"sensitive": bool(specs[name].sensitive)}
        if not _has_unknown(value):
            entry["type"] = _cty_type(value)
            entry["value"] = known(value)
        found[name] = entry
    return found


def _has_unknown(value: Any) -> bool:
    value = _plain(value)
    if value is UNKNOWN:
        return True
    if isinstance(value, dict):
        return any(_has_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_unknown(v) for v in value)
    return False


def _delete_reason(root: ModuleSpec, instance: Instance) -> str:
    """Why Terraform plans to delete an instance the configuration no longer has."""
    path = tuple(instance.module_address.split(".")[1::2]) if instance.module_address else ()
    try:
        module = root.module(path)
    except KeyError:
        return "delete_because_no_module"
    local = instance.config_address.removeprefix(module.prefix())
    spec = module.resources.get(local)
    if spec is None:
        return "delete_because_no_resource_config"
    if spec.count is not None:
        return "delete_because_count_index"
    if spec.for_each is not None:
        return "delete_because_each_key"
    return "delete_because_wrong_repetition"


def _change(
    root: ModuleSpec, prior: Instance | None, planned: Instance | None
) -> tuple[dict[str, Any], str | None]:
    if planned is None:
        assert prior is not None
        change = {
            "actions": ["delete"],
            "before": known(prior.values),
            "after": None,
            "after_unknown": False,
            "before_sensitive": sensitive_mask(prior.values),
            "after_sensitive": False,
        }
        return change, _delete_reason(root, prior)
    assert planned.planned is not None
    plan = planned.planned
    change = {
        "actions": list(plan.actions),
        "before": None if prior is None else known(prior.values),
        "after": known(plan.values),
        "after_unknown": unknown_mask(plan.values),
        "before_sensitive": False if prior is None else sensitive_mask(prior.values),
        "after_sensitive": sensitive_mask(plan.values),
    }
    if plan.replace_paths:
        change["replace_paths"] = [list(path) for path in plan.replace_paths]
    return change, plan.action_reason


def _output_change(
    before: Any, after: Any, exists_before: bool, exists_after: bool, sensitive: bool
) -> dict[str, Any]:
    if not exists_before:
        actions = ["create"]
    elif not exists_after:
        actions = ["delete"]
    elif _has_unknown(after) or known(before) != known(after):
        actions = ["update"]
    else:
        actions = ["no-op"]
    return {
        "actions": actions,
        "before": known(before) if exists_before else None,
        "after": known(after) if exists_after else None,
        "after_unknown": unknown_mask(after) if exists_after and _has_unknown(after) else False,
        "before_sensitive": sensitive,
        "after_sensitive": sensitive,
    }


# --------------------------------------------------------------------------- configuration


def _node_expression(node: Node, where: Where) -> dict[str, Any]:
    """jsonconfig's expression: ``constant_value`` when it needs no context, else references."""
    if is_constant(node):
        return {"constant_value": known(evaluate(node, lambda *_: UNKNOWN, str(where)))}
    refs = references(node)
    return {"references": refs} if refs else {}


def _expression(raw: Any, where: Where) -> dict[str, Any]:
    return _node_expression(to_node(raw, where), where)


def _block_expressions(
    body: Mapping[str, Any], where: Where, top_level: ResourceSpec | None
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in sorted(body):
        raw = body[name]
        at = top_level.where_of(name) if top_level is not None else where.at(name)
        nested = name in top_level.block_types if top_level is not None else is_block_list(raw)
        if nested:
            out[name] = [_block_expressions(block, at, None) for block in raw]
        else:
            out[name] = _expression(raw, at)
    return out


def _config_resource(spec: ResourceSpec, provider_key: str) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "address": spec.address,
        "mode": spec.mode,
        "type": spec.type,
        "name": spec.name,
        "provider_config_key": provider_key,
        "expressions": _block_expressions(spec.attributes, spec.where, spec),
        "schema_version": google.SCHEMA_VERSION,
    }
    if spec.count is not None:
        at = spec.where_of("count")
        entry["count_expression"] = _node_expression(parse_expression(spec.count, str(at)), at)
    elif spec.for_each is not None:
        at = spec.where_of("for_each")
        entry["for_each_expression"] = _node_expression(
            parse_expression(spec.for_each, str(at)), at
        )
    if spec.depends_on:
        entry["depends_on"] = list(spec.depends_on)
    return entry


def _config_module(module: ModuleSpec) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if module.outputs:
        outputs: dict[str, Any] = {}
        for name in sorted(module.outputs):
            spec = module.outputs[name]
            entry: dict[str, Any] = {}
            if spec.sensitive:
                entry["sensitive"] = True
            entry["expression"] = _expression(spec.value, spec.where.at("value"))
            if spec.depends_on:
                entry["depends_on"] = list(spec.depends_on)
            if spec.description:
                entry["description"] = spec.description
            outputs[name] = entry
        out["outputs"] = outputs
    managed = sorted(
        (s for s in module.resources.values() if s.mode == "managed"), key=lambda s: s.address
    )
    data = sorted(
        (s for s in module.resources.values() if s.mode == "data"), key=lambda s: s.address
    )
    if managed or data:
        out["resources"] = [_config_resource(spec, "google") for spec in [*managed, *data]]
    if module.calls:
        calls: dict[str, Any] = {}
        for name in sorted(module.calls):
            call = module.calls[name]
            entry = {"source": call.source}
            if call.arguments:
                entry["expressions"] = {
                    arg: _expression(call.arguments[arg], call.where.at(arg))
                    for arg in sorted(call.arguments)
                }
            entry["module"] = _config_module(module.children[name])
            if call.depends_on:
                entry["depends_on"] = list(call.depends_on)
            calls[name] = entry
        out["module_calls"] = calls
    if module.variables:
        variables: dict[str, Any] = {}
        for name in sorted(module.variables):
            var = module.variables[name]
            entry = {}
            if var.default is not ABSENT:
                entry["default"] = known(var.default)
            if var.description:
                entry["description"] = var.description
            if var.sensitive:
                entry["sensitive"] = True
            variables[name] = entry
        out["variables"] = variables
    return out


def _provider_config(root: ModuleSpec) -> dict[str, Any]:
    """The root's google provider configuration; child modules inherit it, so their resources
    point at its key and no per-module entry remains (jsonconfig's normalisation)."""
    for module in root.walk():
        names = {block.name for block in module.providers} | set(module.required_providers)
        if names - {"google"}:
            raise EvalError(f"{module.directory}: only the google provider is modelled")
    entry: dict[str, Any] = {"name": "google", "full_name": google.PROVIDER_FQN}
    version = root.required_providers.get("google", (None, None))[1]
    if version:
        entry["version_constraint"] = version
    for block in root.providers:
        entry["expressions"] = {
            name: _expression(block.attributes[name], block.where.at(name))
            for name in sorted(block.attributes)
        }
    return {"google": entry}


# --------------------------------------------------------------------------- document


def plan_document(
    root: ModuleSpec,
    prior: Evaluation,
    planned: Evaluation,
    prior_root: ModuleSpec,
    timestamp: str,
) -> dict[str, Any]:
    """The plan JSON object for ``planned`` against the state ``prior`` describes."""
    managed_prior = {a: i for a, i in prior.instances.items() if i.mode == "managed"}
    managed_planned = {a: i for a, i in planned.instances.items() if i.mode == "managed"}

    changes: list[dict[str, Any]] = []
    for address in sorted(managed_prior.keys() | managed_planned.keys()):
        before, after = managed_prior.get(address), managed_planned.get(address)
        instance = after or before
        assert instance is not None
        entry = _resource_header(instance, module_address=True)
        change, reason = _change(root, before, after)
        entry["change"] = change
        if reason:
            entry["action_reason"] = reason
        changes.append(entry)

    planned_entries = [(i, _state_entry(i, None)) for i in managed_planned.values()]
    deps = dependency_map(prior_root)
    prior_entries = [
        (i, _state_entry(i, deps.get(i.config_address) if i.mode == "managed" else None))
        for i in prior.instances.values()
    ]

    output_changes: dict[str, Any] = {}
    for name in sorted(prior.outputs.keys() | planned.outputs.keys()):
        spec = root.outputs.get(name) or prior_root.outputs[name]
        output_changes[name] = _output_change(
            prior.outputs.get(name),
            planned.outputs.get(name),
            name in prior.outputs,
            name in planned.outputs,
            bool(spec.sensitive),
        )

    applyable = any(c["change"]["actions"] != ["no-op"] for c in changes) or any(
        o["actions"] != ["no-op"] for o in output_changes.values()
    )
    document: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "terraform_version": TERRAFORM_VERSION,
        "variables": {
            name: {"value": known(planned.variables[name])} for name in sorted(planned.variables)
        },
        "planned_values": {
            "outputs": _outputs(planned.outputs, root.outputs),
            "root_module": _module_tree(planned_entries),
        },
        "resource_changes": changes,
        "output_changes": output_changes,
        "prior_state": {
            "format_version": STATE_FORMAT_VERSION,
            "terraform_version": TERRAFORM_VERSION,
            "values": {
                "outputs": _outputs(prior.outputs, prior_root.outputs),
                "root_module": _module_tree(prior_entries),
            },
        },
        "configuration": {
            "provider_config": _provider_config(root),
            "root_module": _config_module(root),
        },
        "timestamp": timestamp,
        "applyable": applyable,
        "complete": True,
        "errored": False,
    }
    return document


def dumps(document: Mapping[str, Any]) -> str:
    """Pretty JSON, with Go's HTML-safe escapes so the text matches what Terraform writes."""
    text = json.dumps(document, indent=2, ensure_ascii=False)
    for char, escape in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e")):
        text = text.replace(char, escape)
    return text + "\n"
